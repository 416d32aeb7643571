"""Hostile files for the torture runs: YAML for each of our files (annotations, vocabulary,
rejected suggestions, front matter), articles that are hard to read, web pages made to break
an importer. Each YAML case says whether it must be reported as broken (and left as is)."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

HUGE = "9" * 5000


LAUGHS = ("lol0: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
          + "".join(f"lol{i + 1}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
                    for i in range(9)))


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    broken: bool  # must be reported, left as is, and the rest must work


def _b(text: str) -> bytes:
    return text.encode("utf-8")


def _generic(valid: str) -> list[Hostile]:
    """Hostile versions of a valid file ``valid``, good for any of our YAML files."""
    rng = random.Random(5)
    lines = valid.splitlines(keepends=True)
    return [
        Hostile("alias-bomb", _b(valid + LAUGHS), True),
        Hostile("anchor", _b(valid + "x: &x 1\ny: *x\n"), True),
        Hostile("huge-int", _b(valid + f"n: {HUGE}\n"), True),
        Hostile("huge-hex", _b(valid + f"n: 0x{'f' * 5000}\n"), True),
        Hostile("bad-int-tag", _b(valid + "n: !!int abc\n"), True),
        Hostile("bad-bool-tag", _b(valid + "n: !!bool maybe\n"), True),
        Hostile("python-tag", _b(valid + "n: !!python/object/apply:os.system ['touch pwned']\n"),
                True),
        Hostile("python-name", _b(valid + "n: !!python/name:os.system\n"), True),
        Hostile("merge-key", _b(valid + "<<: {z: 1}\n"), True),
        Hostile("unhashable-key", _b(valid + "? [a, b]\n: 1\n"), True),
        Hostile("conflict", _b("<<<<<<< HEAD\n" + valid + "=======\n" + valid
                               + ">>>>>>> other\n"), True),
        Hostile("binary", bytes(rng.randrange(256) for _ in range(4000)), True),
        Hostile("nul", _b(valid) + b"\x00\x00junk: 1\n", True),
        Hostile("latin-1", _b(valid) + b"x: caf\xe9\n", True),
        Hostile("utf-16", ("\ufeff" + valid).encode("utf-16-le"), True),
        Hostile("too-large", _b(valid + "# padding\n" * 600_000), True),
        Hostile("deep", _b(valid + "d: " + "[" * 3000 + "]" * 3000 + "\n"), True),
        Hostile("unclosed", _b(valid + 'x: "unclosed\n'), True),
        Hostile("tab-indent", _b(valid + "t:\n\tu: 1\n"), True),
        Hostile("list-top", _b("- just\n- a list\n"), True),
        Hostile("scalar-top", _b("just some text\n"), True),
        Hostile("dup-top", _b(valid + lines[0]), True),
        Hostile("bad-date", _b(valid + "when: 2024-02-30\nat: 2024-13-45T99:99:99Z\n"), False),
        Hostile("bom-crlf", _b("\ufeff" + valid.replace("\n", "\r\n")), False),
    ]


def annotation_files(article_id: str, sha: str) -> list[Hostile]:
    entry = ("  - id: {id}\n    quote: Presiden Rusia\n    prefix: ''\n    suffix: ''\n"
             "    start: 0\n    end: 14\n    tags:\n    - sanctions\n    note: {note}\n"
             "    created: '2026-01-01T00:00:00Z'\n    updated: '2026-01-01T00:00:00Z'\n")
    head = f"article: {article_id}\ntext_sha256: {sha}\nversion: 1\n"
    valid = head + "annotations:\n" + entry.format(id="a1", note="first")
    out = _generic(valid)
    out += [
        Hostile("dup-note", _b(valid + "    note: second\n"), True),
        Hostile("dup-id", _b(valid + entry.format(id="a1", note="again")), True),
        Hostile("annotations-twice", _b(valid + "annotations: []\n"), True),
        Hostile("start-text", _b(valid.replace("start: 0", "start: abc")), True),
        Hostile("end-before-start", _b(valid.replace("end: 14", "end: -3")), True),
        Hostile("tags-mapping", _b(valid.replace("    - sanctions\n", "      a: 1\n")), True),
        Hostile("quote-list", _b(valid.replace("quote: Presiden Rusia", "quote: [1, 2]")), True),
        Hostile("annotations-text", _b(head + "annotations: x\n"), True),
        Hostile("newer-version", _b(valid.replace("version: 1", "version: 99")), True),
        Hostile("other-article", _b(valid.replace(f"article: {article_id}", "article: x")),
                True),
        Hostile("empty", b"", True),
        Hostile("huge-note", _b(valid.replace("note: first", "note: " + "kata " * 400_000)),
                False),
        Hostile("many", _b(head + "annotations:\n" + "".join(
            entry.format(id=f"m{i}", note=f"n{i}") for i in range(3000))), False),
        Hostile("created-bad-date", _b(valid.replace("'2026-01-01T00:00:00Z'", "2024-02-30", 1)),
                False),
    ]
    return out


def vocabulary_files() -> list[Hostile]:
    valid = ("version: 1\ntags:\n  - name: sanctions\n    colour: '#e06c75'\n    key: '1'\n"
             "    cues: [sanksi, sanctions]\n")
    out = _generic(valid)
    out += [
        Hostile("dup-name-key", _b(valid + "    name: again\n"), True),
        Hostile("listed-twice", _b(valid + "  - name: Sanctions\n    colour: '#ffffff'\n"), True),
        Hostile("tags-text", _b("version: 1\ntags: x\n"), True),
        Hostile("bad-colour", _b(valid.replace("'#e06c75'", "red")), True),
        Hostile("long-key", _b(valid.replace("key: '1'", "key: ab")), True),
        Hostile("name-300", _b(valid.replace("name: sanctions", "name: " + "x" * 300)), True),
        Hostile("name-newline", _b(valid.replace("name: sanctions", 'name: "sank\\nsi"')), True),
        Hostile("retired-maybe", _b(valid + "    retired: maybe\n"), True),
        Hostile("cues-mapping", _b(valid.replace("[sanksi, sanctions]", "{a: 1}")), True),
        Hostile("newer-version", _b(valid.replace("version: 1", "version: 99")), True),
        Hostile("empty", b"", False),
    ]
    return out


def rejected_files() -> list[Hostile]:
    valid = ("version: 1\nrejected:\n  - article: 000_783d5be973c3013a\n    tag: sanctions\n"
             "    hash: 0123456789abcdef\n")
    out = _generic(valid)
    out += [
        Hostile("dup-hash", _b(valid + "    hash: again\n"), True),
        Hostile("rejected-text", _b("version: 1\nrejected: x\n"), True),
        Hostile("no-hash", _b(valid.replace("    hash: 0123456789abcdef\n", "")), True),
        Hostile("hash-int", _b(valid.replace("0123456789abcdef", "1234")), True),
        Hostile("newer-version", _b(valid.replace("version: 1", "version: 99")), True),
        Hostile("empty", b"", False),
    ]
    return out


BODY = ("JAKARTA - Pemerintah mengumumkan sanksi ekonomi baru terhadap perusahaan itu pada "
        "Senin (3/6/2024), setelah perjanjian dagang dibatalkan.\n\nIsi kedua berita ini.\n")


def front_matter_articles() -> list[Hostile]:
    """Articles whose front matter is hostile: ``broken`` ones must be listed with a
    warning and read as having no front matter."""
    valid = "title: Judul yang baik\nsource: Kompas\ndate: 2024-06-03\n"
    out = []
    for h in _generic(valid):
        if h.name in ("binary", "utf-16", "conflict", "list-top", "scalar-top", "too-large"):
            continue  # not front matter at all: the articles part has binary and encodings
        data = b"---\n" + h.data + b"\n---\n" + _b(BODY)
        # NUL and Latin-1 bytes are replaced on decoding (the article is flagged as not
        # UTF-8): what is left is valid front matter
        out.append(Hostile(h.name, data, h.broken and h.name not in ("nul", "latin-1")))
    out += [
        Hostile("fm-too-large", _b("---\n" + valid + "pad: " + "x" * 70_000 + "\n---\n" + BODY),
                True),
        Hostile("fm-unclosed", _b("---\n" + valid + BODY), True),
        Hostile("fm-wrong-types", _b("---\ntitle: [1, {a: b}]\ndate: {y: 2024}\nauthors: 7\n"
                                     "language: [id]\nurl: 12\ntags: {x: 1}\n---\n" + BODY),
                False),
        Hostile("fm-only", _b("---\n" + valid + "---\n"), False),
    ]
    return out


def hostile_articles(big: int) -> list[tuple[str, bytes]]:
    """(file name, content) of articles that are hard to read; ``big`` bytes for the large
    ones."""
    rng = random.Random(7)
    line = ("kata " * (big // 5))[:big]
    return [
        ("binary.txt", bytes(rng.randrange(256) for _ in range(20_000))),
        ("nul.txt", _b("Sanksi baru\n\n") + b"\x00" * 50 + _b(BODY)),
        ("huge-line.txt", _b("Judul panjang\n\n" + line + "\n")),
        ("big-file.md", _b(("Paragraf sanksi yang berulang. " * 25 + "\n\n") * (big // 800))),
        ("utf16.txt", ("\ufeff" + BODY).encode("utf-16-le")),
        ("latin1.txt", ("Café sanksi à la carte. " + BODY).encode("latin-1", errors="replace")),
        ("shift-jis.txt", "制裁が発表された。".encode("shift_jis") + _b(BODY)),
        ("crlf.txt", _b(BODY.replace("\n", "\r\n"))),
        ("cr-only.txt", _b(BODY.replace("\n", "\r"))),
        ("empty.txt", b""),
        ("spaces.md", b"   \n\n\t\n"),
        ("rtl-mixed.md", _b("خبر عاجل: عقوبات جديدة\n\n" + BODY + "\u202e evil \u202c\n")),
        ("combining.txt", _b("Sa\u0301nksi\u0308 " * 2000 + "\n")),
        ("many-paras.txt", _b("x\n\n" * 50_000)),
        ("Ünïcödé ✓ بحث.md", _b(BODY)),
        (("n" * 240) + ".txt", _b(BODY)),
        ("back\\slash.txt", _b(BODY)),
        ("new\nline.md", _b(BODY)),
        (os.fsdecode(b"bad\xffbytes.txt"), _b(BODY)),
        ("twin.txt", _b("Kembar teks.\n\n" + BODY)),
        ("twin.md", _b("Kembar markdown.\n\n" + BODY)),
    ]


def hostile_pages() -> list[tuple[str, bytes]]:
    """(file name, content) of saved web pages made to break an importer."""
    para = ("Pemerintah mengumumkan sanksi baru terhadap perusahaan tambang itu pada hari "
            "Senin, setelah penyelidikan panjang atas izin ekspor. ") * 3
    good = f"<p>{para}</p><p>{para}</p>"
    rng = random.Random(9)
    return [
        ("good.html", _b(f"<html><head><title>Sanksi baru</title></head><body><article>{good}"
                         "</article></body></html>")),
        ("nested.html", _b("<html><body>" + "<div>" * 60_000 + good + "</div>" * 60_000
                           + "</body></html>")),
        ("attributes.html", _b("<html><body><p " + " ".join(f"a{i}='x'" for i in range(100_000))
                               + f">{para}</p></body></html>")),
        ("entities.html", _b('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                             '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;'
                             '&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c;</p>' + good
                             + "</body></html>")),
        ("title-injection.html", _b("<html><head><title>Judul\n---\nevil: !!python/name:os.system"
                                    "\n---</title></head><body><article>" + good
                                    + "</article></body></html>")),
        ("huge-meta.html", _b(f"<html><head><meta name='author' content='{'x' * 500_000}'>"
                              f"<title>{'t' * 100_000}</title></head><body><article>{good}"
                              "</article></body></html>")),
        ("json-ld.html", _b('<html><head><script type="application/ld+json">'
                            + '{"a":' * 20_000 + "1" + "}" * 20_000
                            + f"</script></head><body><article>{good}</article></body></html>")),
        ("binary.html", bytes(rng.randrange(256) for _ in range(50_000))),
        ("nul.html", _b("<html><body><p>") + b"\x00" * 10_000 + _b(good + "</p></body></html>")),
        ("charset-lie.html", _b("<html><head><meta charset='utf-16'></head><body>")
         + para.encode("latin-1") + _b("</body></html>")),
        ("empty.html", b""),
        ("script-only.html", _b("<html><body><script>" + "x=1;" * 200_000
                                + "</script></body></html>")),
        ("boilerplate-only.html", _b("<html><body>" + "<p>Baca juga: sesuatu</p>" * 500
                                     + "</body></html>")),
        ("follow-lines.html", _b("<html><body><article>" + good + "<p>"
                                 + "ikuti kami di whatsapp " * 20_000 + "</p></article></body>"
                                 "</html>")),
        ("not-html.txt", _b("Judul teks\n\n" + para)),
        ("---.md", _b("---\ntitle: &a x\nsource: *a\n---\n" + para)),
    ]
