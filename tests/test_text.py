from __future__ import annotations

import re

import pytest

from reader import metadata as M
from reader import text as T
from reader.library import Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start:b.end]) for b in T.blocks(text)]


def test_seed_structure(config) -> None:
    art = Library(config).load(SEED_LIPUTAN)
    ks = [(b.kind, art.text[b.start:b.end]) for b in art.blocks]
    assert ("heading", "Jarang Terjadi") in ks
    assert ("heading", "Ekonomi hingga Keamanan") in ks
    assert [t for k, t in ks if k == "boilerplate"] == ["Advertisement", "Advertisement"]
    assert ks[0][0] == "paragraph"  # the lead is no headline: it ends with a full stop
    for b in art.blocks:  # block offsets are exact
        assert art.text[b.start:b.end] == art.text[b.start:b.end].strip()


def test_kompas_boilerplate(config) -> None:
    art = Library(config).load(SEED_KOMPAS)
    boiler = [art.text[b.start:b.end] for b in art.blocks if b.kind == "boilerplate"]
    assert boiler == [
        "Baca Juga: Putin Kunjungi Korea Utara, Diyakini Cari Bantuan Militer untuk Perang di "
        "Ukraina",
        "Sumber : Associated Press",
        "Gabung ke Channel WhatsApp KompasTV untuk update berita terbaru dan terpercaya.",
    ]


@pytest.mark.parametrize("rule", T.boilerplate_rules(), ids=lambda r: r.name)
def test_every_boilerplate_rule_matches_its_examples(rule: T.Rule) -> None:
    assert rule.examples, "each rule documents what it matches"
    for example in rule.examples:
        assert T.boilerplate_rule(example) == rule.name


@pytest.mark.parametrize("line", [
    "Related to the dispute, the minister said talks would go on for weeks.",
    "Daftar pemain timnas untuk laga melawan Vietnam diumumkan Senin.",
    "Sumber daya alam Indonesia melimpah dan terus dieksploitasi " * 8,
])
def test_prose_is_not_boilerplate(line: str) -> None:
    assert not T.is_boilerplate(line)


def test_headline_title_and_blank_line_paragraphs() -> None:
    text = "Ad sales boost Time Warner profit\n\nQuarterly profits jumped.\n\nShares rose 2%.\n"
    assert kinds(text) == [("title", "Ad sales boost Time Warner profit"),
                           ("paragraph", "Quarterly profits jumped."),
                           ("paragraph", "Shares rose 2%.")]


def test_question_headline_and_markdown_heading() -> None:
    text = "Will sanctions bite?\n\nLead here.\n\n## Background\n\nMore text.\n"
    assert kinds(text)[0] == ("title", "Will sanctions bite?")
    assert ("heading", "## Background") in kinds(text)


def test_hard_wrapped_paragraph_is_one_block() -> None:
    para = ("The ministers met on Tuesday in Brussels to discuss the new round of\n"
            "sanctions against the regime, which several member states had opposed\n"
            "for months before the summit.")
    text = f"Title line\n\n{para}\n\nSecond paragraph here.\n"
    assert ("paragraph", para) in kinds(text)
    spans = T.sentences(text)
    assert (text.index("The ministers"), text.index("summit.") + 7) in spans


def test_sentences_do_not_split_numbers_domains_abbreviations() -> None:
    text = ("Liputan6.com, Pyongyang - Putin tiba pukul 03.00 waktu setempat. Dr. Smith met "
            "J. K. Rowling in the U.S. on Monday. \"Kami siap,\" katanya. Harga naik 2.5 persen!")
    got = [text[s:e] for s, e in T.sentences(text)]
    assert got == [
        "Liputan6.com, Pyongyang - Putin tiba pukul 03.00 waktu setempat.",
        "Dr. Smith met J. K. Rowling in the U.S. on Monday.",
        "\"Kami siap,\" katanya.",
        "Harga naik 2.5 persen!",
    ]


def test_sentence_at_is_the_sentence_around_the_offset(config) -> None:
    art = Library(config).load(SEED_LIPUTAN)
    off = art.text.index("pukul 03.00")
    s, e = T.sentence_at(art.text, off)
    assert art.text[s:e] == (
        "Putin tiba di Pyongyang pada Rabu (19/6/2024) pukul 03.00 waktu setempat.")
    s, e = T.sentence_at(art.text, 3)
    assert art.text[s:e].startswith("Liputan6.com, Pyongyang - Presiden")
    assert art.text[s:e].endswith("bandara Pyongyang.")


def test_heading_needs_text_around_it() -> None:
    text = "Lead paragraph ends here.\nShort Heading\nBody paragraph ends here.\nThe End"
    ks = kinds(text)
    assert ("heading", "Short Heading") in ks
    assert ks[-1] == ("paragraph", "The End")  # the last line is not a heading


@pytest.mark.parametrize("text,language,expected", [
    ("Putin tiba pada Rabu (19/6/2024) pukul 03.00.", "id", "2024-06-19"),
    ("Jakarta, 5 Agustus 2025 - Harga naik.", "id", "2025-08-05"),
    ("WASHINGTON, June 3, 2024 (AP) — x", "en", "2024-06-03"),
    ("Published 2023-11-02. Later on 4/5/2024.", "en", "2023-11-02"),
    ("The talks on 6/19/2024 ended.", "en", "2024-06-19"),
    ("Pada tahun 2001 dan 2002, tiga kali.", "id", ""),
    ("On 31/02/2024 nothing happened.", "en", ""),
])
def test_first_date(text: str, language: str, expected: str) -> None:
    assert M.first_date(text, language) == expected


@pytest.mark.parametrize("line,source,place", [
    ("Liputan6.com, Pyongyang - Presiden", "Liputan6.com", "Pyongyang"),
    ("PYONGYANG, KOMPAS.TV - Presiden", "KOMPAS.TV", "Pyongyang"),
    ("LONDON (Reuters) - The", "Reuters", "London"),
    ("WASHINGTON, June 3 (AP) — Lawmakers", "AP", "Washington"),
    ("Jakarta, CNN Indonesia -- Ketua", "CNN Indonesia", "Jakarta"),
    ("JAKARTA - Harga", "", "Jakarta"),
])
def test_dateline(line: str, source: str, place: str) -> None:
    dl = M.dateline(line)
    assert dl is not None and (dl.source, dl.place) == (source, place)
    assert not line[dl.end:].startswith((" ", "-"))


def test_no_dateline_in_ordinary_prose() -> None:
    assert M.dateline("Presiden Rusia, kata dia, akan datang.") is None


def test_decode_normalises_bom_and_line_endings() -> None:
    text, warnings = T.decode("\ufeffJudul\r\n\r\nBaris satu.\rBaris dua.".encode())
    assert text == "Judul\n\nBaris satu.\nBaris dua." and warnings == []


def test_decode_flags_bad_bytes_binary_and_empty() -> None:
    text, warnings = T.decode(b"Teks \xff rusak")
    assert text == "Teks \ufffd rusak" and "UTF-8" in warnings[0]
    text, warnings = T.decode(bytes(range(256)) * 20)
    assert text == "" and "binary" in warnings[0]
    assert "empty" in T.decode(b"  \n")[1][0]


def test_front_matter() -> None:
    fm, body, warnings = T.split_front_matter(
        "---\ntitle: X\ndate: 2024-06-19\nfoo: [1]\n---\nBody\n")
    assert fm["title"] == "X" and fm["foo"] == [1] and body == "Body\n" and not warnings
    fm, body, warnings = T.split_front_matter("---\ntitle: [unclosed\n---\nBody")
    assert fm == {} and body == "Body" and re.search("not valid YAML", warnings[0])
    fm, body, warnings = T.split_front_matter("---\nno end\n")
    assert fm == {} and body == "---\nno end\n" and warnings
