"""The one language detector against the three it replaced, over the real corpora.

Before, the library (metadata), search (index and suggestions) and the importer each had a
detector with its own stop-word list; they disagreed on some texts. Their code is kept here,
frozen, to show that the one detector answers as they did wherever all three agreed on a
language, and to count what it says where they did not. The corpora's folders say each
text's language (``en-bbc``: English; ``id-detik``, ``id-indosum``: Indonesian).
"""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from collections.abc import Callable

import pytest

from reader.library.language import detect_language
from tests.conftest import corpora_or_skip

# -- the three detectors as they were (frozen copies) ------------------------------------------
_LIB = {
    "id": frozenset("""
yang dan di ke dari ini itu dengan untuk pada tidak dalam akan juga ada oleh karena sudah saat
bisa atau kami kita mereka ia adalah bahwa tersebut telah para lebih hingga sebagai namun seperti
masih tak jika menjadi setelah bagi belum harus agar saja hanya antara atas serta yaitu yakni
dia sebuah secara kepada sejak tentang maupun tetapi sedangkan ketika sehingga bahkan pun lagi
sangat baik juga apa siapa mana bagaimana mengapa kenapa begitu demikian tanpa terhadap melalui
sendiri sama semua setiap banyak beberapa salah satu dua tiga kali nya lalu kemudian supaya
""".split()),
    "en": frozenset("""
the and of to in is that for it on was with as be by at this have from are has but not he they
his will said an were which their been had or its would who we after there about more when can
also into than them out up she her what all one new do so if no other some could these our you
only over most just those such how any may should then because while where very
""".split()),
}
_SEARCH = {
    "id": frozenset("""
ada adalah agar akan akan aku anda antara apa apakah atas atau bagi bahwa baik
banyak beberapa begitu belum bila boleh bukan dalam dan dapat dari daripada demi
dengan di dia dia ialah ini itu jadi jika juga kalau kami kamu karena ke kemudian
kepada ketika kita lagi lalu maka masih mereka namun nya oleh pada para per saat
saja sambil sang se sebagai sebelum sedang sehingga sejak selain semua sementara
serta setelah si supaya tak tapi tetapi tentang telah tersebut tidak untuk yaitu
yakni yang pun lah kah
""".split()),
    "en": frozenset("""
a about an and are as at be been but by for from had has have he her his i if in
into is it its of on or our she so than that the their them then there these they
this those to was we were which while who will with would you your
""".split()),
}
_IMPORT = {
    "id": frozenset("yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke "
                    "adalah karena oleh sebagai bahwa kata telah".split()),
    "en": frozenset("the and of to in is that for on with was as by it said are from at "
                    "has have be".split()),
}


def old_library(text: str) -> str:
    counts = dict.fromkeys(_LIB, 0)
    for m in re.finditer(r"[^\W\d_]+", text[:20_000]):
        w = m.group().lower()
        for lang, words in _LIB.items():
            counts[lang] += w in words
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 3 else ""


def old_search(text: str) -> str:
    counts = dict.fromkeys(("id", "en"), 0)
    for i, m in enumerate(re.finditer(r"\w+(?:['’]\w+)*", text)):
        if i >= 300:
            break
        w = m.group().lower()
        for lang in ("id", "en"):
            counts[lang] += w in _SEARCH[lang]
    best = max(("id", "en"), key=lambda k: counts[k])
    other = min(("id", "en"), key=lambda k: counts[k])
    return best if counts[best] >= 3 and counts[best] > 2 * counts[other] else ""


def old_import(text: str) -> str:
    words = re.findall(r"[a-z]+", text[:20_000].lower())
    counts = {lang: sum(w in fw for w in words) for lang, fw in _IMPORT.items()}
    best = max(counts, key=lambda k: counts[k])
    others = max(v for k, v in counts.items() if k != best)
    return best if counts[best] >= 5 and counts[best] >= 2 * others else ""


OLD: tuple[Callable[[str], str], ...] = (old_library, old_search, old_import)


# -- the corpora ---------------------------------------------------------------------------------
def _texts() -> list[tuple[str, str, str]]:
    """(file, expected language, text) for every article of the corpora."""
    root = corpora_or_skip()
    out = []
    for path in sorted(root.rglob("*.txt")):
        rel = path.relative_to(root).as_posix()
        out.append((rel, "en" if rel.startswith("en-") else "id",
                    path.read_text(encoding="utf-8")))
    return out


def _unit(text: str, unit: str) -> str:
    if unit == "title":
        return text.split("\n", 1)[0]
    if unit == "first paragraph":
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        return paragraphs[1] if len(paragraphs) > 1 else paragraphs[0]
    return text


def _compare(samples: list[tuple[str, str, str]], label: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    changed: list[str] = []
    for name, expected, text in samples:
        old = {f(text) for f in OLD}
        new = detect_language(text)
        if new and new != expected:
            counts["new: wrong language"] += 1
        if old_library(text) and old_library(text) != expected:
            counts["old library detector: wrong language"] += 1
        if len(old) == 1 and "" not in old:
            counts["old agreed on a language"] += 1
            if new != old.pop():
                counts["... new differs"] += 1
                counts["... new differs: another language"] += bool(new)
                changed.append(name)
        elif old == {""}:
            counts[f"old agreed: unknown; new says {new or 'unknown'}"] += 1
        else:
            verdict = "right" if new == expected else ("unknown" if not new else "WRONG")
            counts[f"old disagreed; new is {verdict}"] += 1
    print(f"\n{label}: {len(samples)} texts")
    for key, n in sorted(counts.items()):
        print(f"  {key}: {n}")
    if changed:
        print("  differs on:", ", ".join(changed[:10]))
    return counts


@pytest.mark.parametrize("unit", ["article", "title", "first paragraph"])
def test_one_detector_answers_as_the_old_three_did_where_they_agreed(unit: str) -> None:
    samples = [(name, lang, _unit(text, unit)) for name, lang, text in _texts()]
    counts = _compare(samples, f"corpora, each {unit}")
    assert counts["old agreed on a language"] > {"article": 6000, "title": 0,
                                                 "first paragraph": 2000}[unit]
    assert counts["... new differs"] == 0
    assert counts["new: wrong language"] == 0  # where they disagreed: right, or unknown
    if unit == "article":
        assert counts["old agreed on a language"] >= len(samples) - 20


def test_random_passages_of_the_corpora() -> None:
    """Windows of 40 to 3,000 characters at random places: where the old three agreed on a
    language the one detector says the same (or, very rarely, that it cannot tell), and it
    is wrong less often than the old library detector (a window can be an English song
    title quoted in Indonesian)."""
    seed = int(os.environ.get("READER_TEST_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    texts = [t for t in _texts() if t[2]]
    samples = []
    for _ in range(6000):
        name, lang, text = rng.choice(texts)
        start, size = rng.randrange(len(text)), rng.choice((40, 100, 300, 1000, 3000))
        samples.append((f"{name}@{start}+{size}", lang, text[start:start + size]))
    counts = _compare(samples, f"random passages (READER_TEST_SEED={seed})")
    agreed = counts["old agreed on a language"]
    assert agreed > 2000
    assert counts["... new differs: another language"] == 0  # only "cannot tell"
    assert counts["... new differs"] <= agreed // 1000
    assert counts["new: wrong language"] <= counts["old library detector: wrong language"] + 3


def test_the_corpora_change_in_the_library_only_where_the_old_detector_was_unsure() -> None:
    """The list's language (what the library said) changes only on texts where the old
    detectors disagreed: whole articles of the corpora."""
    changed = [(name, old_library(text), detect_language(text))
               for name, _, text in _texts() if old_library(text) != detect_language(text)]
    print(f"\narticles whose language in the list changes: {changed}")
    assert len(changed) <= 5
    for name, _old, new in changed:
        assert new == ("en" if name.startswith("en-") else "id") or new == ""


def test_a_declared_language_is_only_a_fallback_for_imports() -> None:
    from reader.importing.textfile import detect_language as for_import

    english = "The minister said that the new sanctions would come into force next month."
    assert for_import(english, "id-ID") == "en"
    assert for_import("Putin Kim", "id-ID") == "id"
    assert for_import("Putin Kim", "Indonesian") == "id"
    assert for_import("Putin Kim", "") == ""


def test_capitals_and_quoted_english_do_not_decide() -> None:
    # "AS" (Amerika Serikat) is no English "as"
    text = ("Dolar AS menguat pekan ini. Nilai tukar dolar AS naik 2 poin, dan dolar AS "
            "sempat menyentuh level Rp 16.582. Seminggu ke belakang, dolar AS naik turun "
            "terhadap rupiah; AS juga menguat terhadap yen, as the markets say.")
    assert detect_language(text) == "id"
    # a text all in capitals is read as it is
    assert detect_language("SELAMAT MALAM, SELAMAT DATANG DI MATA NAJWA. KISAH PASANGAN YANG "
                           "SUDAH SATU TAHUN BERSAMA: BAGAIMANA MEREKA BEKERJA") == "id"
    assert detect_language("THE MINISTER SAID THAT THE TALKS WOULD GO ON FOR A WEEK") == "en"
    quoted = ("Lagu itu dinyanyikan Fergie: \"Wanna hide away in a quiet place, and wait out "
              "your storm of words again, build a wall and put my armor on, who will be the "
              "first to break?\" Penyanyi itu dikabarkan berpisah dengan Duhamel setelah "
              "delapan tahun. Dengan cinta dan rasa hormat, kami memutuskan untuk berpisah, "
              "tulis pernyataan keduanya seperti dikabarkan, dan mereka tidak akan kembali. "
              "Pasangan ini tak lagi terlihat bersama sejak Juni lalu, di mana keduanya "
              "terlihat di sebuah acara yang digelar oleh teman mereka.")
    assert detect_language(quoted) == "id"
