from __future__ import annotations

import pytest

from reader.library.language import LANGUAGE_NAMES, STOPWORDS, detect_language, normalise_language


def test_stopword_lists_are_lower_case_words_for_both_languages() -> None:
    assert set(STOPWORDS) >= {"id", "en"}
    for lang, words in STOPWORDS.items():
        assert len(words) >= 80, lang
        assert all(w == w.lower() and w.isalpha() for w in words), lang
    assert {"yang", "dan", "di"} <= STOPWORDS["id"] and {"the", "and", "of"} <= STOPWORDS["en"]
    assert set(LANGUAGE_NAMES) >= set(STOPWORDS)


@pytest.mark.parametrize("text,lang", [
    ("Presiden mengatakan bahwa pemerintah akan terus bekerja sama dengan semua pihak.", "id"),
    ("The minister said that the government would work with all of the parties.", "en"),
    ("Harga beras di pasar naik lagi karena pasokan dari daerah belum masuk.", "id"),
    ("Shares in the company fell after it said profits would be lower than expected.", "en"),
    # loanwords and names do not fool it: the function words decide
    ("Smartphone baru dari Samsung ini dirilis di Jakarta dengan harga yang cukup murah "
     "untuk kelas flagship.", "id"),
    ("The Jakarta Post said Presiden Joko Widodo would attend the summit in Bali.", "en"),
])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "12345 67890", "Putin Kim Jong Un", "\ufffd\ufffd"])
def test_too_little_text_is_unknown(text: str) -> None:
    assert detect_language(text) == ""


def test_only_the_start_is_read() -> None:
    text = "The minister said that it was over. " * 10 + "yang dan di ke dari " * 100_000
    assert detect_language(text, sample=300) == "en"


@pytest.mark.parametrize("value,code", [
    ("Indonesian", "id"), ("id-ID", "id"), ("Bahasa Indonesia", "id"), ("in", "id"),
    ("English", "en"), ("EN-gb", "en"), ("Inggris", "en"), ("Bahasa Inggris", "en"),
    ("", ""), (None, ""), ("fr-FR", "fr"),
])
def test_normalise_language(value: object, code: str) -> None:
    assert normalise_language(value) == code
