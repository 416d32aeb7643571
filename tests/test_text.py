from __future__ import annotations

import re

import pytest

from reader.library import datecues
from reader.library import dates as D
from reader.library import metadata as M
from reader.library import text as T
from reader.library.articles import Library
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
    assert D.first_date(text, language) == expected


@pytest.mark.parametrize("line,source,place", [
    ("Liputan6.com, Pyongyang - Presiden", "Liputan6.com", "Pyongyang"),
    ("PYONGYANG, KOMPAS.TV - Presiden", "KOMPAS.TV", "Pyongyang"),
    ("LONDON (Reuters) - The", "Reuters", "London"),
    ("WASHINGTON, June 3 (AP) — Lawmakers", "AP", "Washington"),
    ("Jakarta, CNN Indonesia -- Ketua", "CNN Indonesia", "Jakarta"),
    ("JAKARTA - Harga", "", "Jakarta"),
    ("Suara.com - Sebuah pesawat", "Suara.com", ""),
    ("Rimanews - Meriam buatan", "Rimanews", ""),
    ("NEW YORK - The", "", "New York"),
    ("Jakarta (ANTARA) - Harga", "ANTARA", "Jakarta"),
])
def test_dateline(line: str, source: str, place: str) -> None:
    dl = M.dateline(line)
    assert dl is not None and (dl.source, dl.place) == (source, place)
    assert not line[dl.end:].startswith((" ", "-"))


def test_no_dateline_in_ordinary_prose() -> None:
    assert M.dateline("Presiden Rusia, kata dia, akan datang.") is None
    assert M.dateline("GO - JEK perlahan tapi pasti menambah fungsi.") is None


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


@pytest.mark.parametrize("line", [
    "Sign up rates fell by a tenth last year as users left the service for cheaper rivals.",
    "Listen carefully to what the minister said about the budget before the vote took place.",
    "Sumber daya manusia menjadi kunci pembangunan, kata menteri.",
    "Foto-foto itu beredar luas di media sosial sejak Senin.",
    "(Dia pergi ke pasar pada pagi hari untuk membeli sayur.)",
    "Video game sales rose sharply over the holiday season.",
    "Simak pernyataan lengkap presiden di bawah ini, kata juru bicara.",
])
def test_more_prose_is_not_boilerplate(line: str) -> None:
    assert T.boilerplate_rule(line) is None


def test_boilerplate_rules_load_once_and_every_rule_is_named_uniquely() -> None:
    assert T.boilerplate_rules() is T.boilerplate_rules()
    names = [r.name for r in T.boilerplate_rules()]
    assert len(names) == len(set(names)) and len(names) >= 10


@pytest.mark.parametrize("text,expected", [
    ("Buah, sayur, dll. Kemudian dia pergi.", ["Buah, sayur, dll.", "Kemudian dia pergi."]),
    ("I said no. Then he went.", ["I said no.", "Then he went."]),
    ("See No. 5 for details. The end.", ["See No. 5 for details.", "The end."]),
    ('"Kami siap!" katanya. Selesai.', ['"Kami siap!" katanya.', "Selesai."]),
    ("Prices rose in Jan. 2024, said Mr. Brown. Fine.",
     ["Prices rose in Jan. 2024, said Mr. Brown.", "Fine."]),
    ("Prof. Dr. Ir. H. Budi, M.Sc. hadir. Acara dimulai.",
     ["Prof. Dr. Ir. H. Budi, M.Sc. hadir.", "Acara dimulai."]),
    ("Kurs Rp 15.000 per dolar AS. Naik 0,5 persen.",
     ["Kurs Rp 15.000 per dolar AS.", "Naik 0,5 persen."]),
    ("Really?! Yes. Wow... that was fast.", ["Really?!", "Yes.", "Wow... that was fast."]),
    ("He said: “We won.” They cheered.", ["He said: “We won.”", "They cheered."]),
])
def test_sentence_cases(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in T.sentences(text)] == expected


def test_sentences_of_a_range_and_single_newline_paragraphs() -> None:
    text = "Satu dua tiga.\nEmpat lima.\nEnam tujuh delapan sembilan."
    start = text.index("Empat")
    assert T.sentences(text, start, text.index("Enam") - 1) == [(start, start + 11)]
    assert len(T.sentences(text)) == 3


def test_sentence_at_in_a_huge_single_line_is_local() -> None:
    unit = "Kalimat ini cukup pendek. "
    text = unit * 400_000  # ~10 MB on one line
    s, e = T.sentence_at(text, len(text) // 2 + 3)
    assert text[s:e] == unit.strip() and s <= len(text) // 2 + 3 < e


def test_paragraph_at(config) -> None:
    art = Library(config).load(SEED_LIPUTAN)
    off = art.text.index("Jarang Terjadi") + 3
    b = T.paragraph_at(art, off)
    assert b is not None and b.kind == "heading"
    assert T.paragraph_at(art.blocks, b.end) == b
    text = "One.\n\nTwo."
    blocks = T.blocks(text)
    assert T.paragraph_at(blocks, 5) is None  # the blank line between them
    assert T.paragraph_at(blocks, 7) == blocks[1]


def test_markdown_title_without_blank_line_and_emphasis_removed() -> None:
    text = "# Talks resume\nThe two sides met again.\n"
    assert kinds(text)[0] == ("title", "# Talks resume")
    assert M.derive(text, T.blocks(text)).title == "Talks resume"
    assert M.clean_title("**Bold headline**") == "Bold headline"


@pytest.mark.parametrize("text,language,expected", [
    ("Senin, 19 Juni 2024 10:00 WIB", "id", "2024-06-19"),
    ("Updated: 3rd June 2024", "en", "2024-06-03"),
    ("Posted Jun. 3, 2024, 4:05 pm", "en", "2024-06-03"),
    ("Kamis, 1 Des 2022 — hujan", "id", "2022-12-01"),
    ("Tanggal 19.06.2024 pukul 19.30", "id", "2024-06-19"),
    ("version 1.2.3 and 2.5.2024.1", "en", ""),
    ("In 1066 and 10/10/0999.", "en", ""),
    ("Tiket 12/2024 dan 1/13/2024 berlaku.", "id", "2024-01-13"),
])
def test_first_date_more_forms(text: str, language: str, expected: str) -> None:
    assert D.first_date(text, language) == expected


def test_dates_are_looked_for_in_a_bounded_start() -> None:
    late = "x " * 10_000 + "kata dia, Rabu (19/6/2024)."  # 20k characters in: found
    assert datecues.article_date(late, T.blocks(late), "id") == "2024-06-19"
    huge = "x " * D.SCAN_CHARS + "kata dia, Rabu (19/6/2024)."  # past the scanned part
    assert datecues.article_date(huge, T.blocks(huge), "id") == ""


@pytest.mark.parametrize("line,authors", [
    ("By John Smith", ("John Smith",)),
    ("By Jane Doe and John Roe, BBC News", ("Jane Doe", "John Roe")),
    ("Oleh: Budi Santoso", ("Budi Santoso",)),
    ("by the way, this is prose", ()),
    ("Bylines matter", ()),
])
def test_byline(line: str, authors: tuple[str, ...]) -> None:
    assert M.byline(line) == authors


def test_english_article_with_byline_and_dateline() -> None:
    text = ("Factory output falls again\n\nBy Jane Doe\n\nLONDON (Reuters) - British factory "
            "output fell for a third month in May, figures showed on June 3, 2024. It was "
            "the longest run since 2020.\n")
    d = M.derive(text, T.blocks(text), "en")
    assert (d.title, d.source, d.place, d.date, d.authors) == (  # a date in the story: no date
        "Factory output falls again", "Reuters", "London", "", ("Jane Doe",))
    dated = text.replace("By Jane Doe\n", "By Jane Doe\nPublished 3 June 2024\n")
    assert M.derive(dated, T.blocks(dated), "en").date == "2024-06-03"


def test_lead_title_without_headline_is_shortened_at_a_word() -> None:
    text = ("JAKARTA - " + "Pemerintah memutuskan untuk menaikkan harga bahan bakar minyak "
            "bersubsidi mulai pekan depan setelah rapat panjang di istana. Itu saja.")
    d = M.derive(text, T.blocks(text), "id")
    assert d.place == "Jakarta" and d.source == ""
    assert d.title.startswith("Pemerintah memutuskan") and d.title.endswith("…")
    assert len(d.title) <= M.TITLE_MAX and d.title[:-1] in text
    assert M.shorten("Short one.") == "Short one."


def test_place_title_case() -> None:
    assert M.dateline("RIO DE JANEIRO, KOMPAS.com - x") == M.Dateline(
        "KOMPAS.com", "Rio de Janeiro", len("RIO DE JANEIRO, KOMPAS.com - "))
