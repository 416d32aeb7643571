"""The reading view's pure layout (wrapping, offset <-> row/column) and cursor motions."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from reader.config import Config
from reader.library import text as textmod
from reader.library.articles import Library
from reader.models import Block
from reader.ui import motions
from reader.ui.layout import RowKind, build_layout, wrap_line, wrap_plain
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


def _check_tiling(text: str, rows: list[tuple[int, int]], a: int, b: int, width: int) -> None:
    assert rows[0][0] == a and rows[-1][1] == b
    for (_s1, e1), (s2, _e2) in zip(rows, rows[1:], strict=False):
        assert e1 == s2
    for s, e in rows:
        assert e > s
        assert cell_len(text[s:e].rstrip(" ")) <= width


@pytest.mark.parametrize("width", [1, 5, 12, 40, 80])
def test_wrap_tiles_the_line_exactly(width: int) -> None:
    text = "xx Presiden Rusia Vladimir Putin dan pemimpin Korea Utara   berpelukan. yy"
    rows = wrap_line(text, 3, len(text) - 3, width)
    _check_tiling(text, rows, 3, len(text) - 3, width)


def test_wrap_breaks_at_spaces_and_keeps_words_whole() -> None:
    text = "the quick brown fox jumps over the lazy dog"
    rows = wrap_line(text, 0, len(text), 10)
    assert [text[s:e].rstrip() for s, e in rows] == [
        "the quick", "brown fox", "jumps over", "the lazy", "dog"]


def test_long_words_are_broken() -> None:
    text = "a " + "x" * 25 + " b"
    rows = wrap_line(text, 0, len(text), 10)
    _check_tiling(text, rows, 0, len(text), 10)
    assert [text[s:e].rstrip() for s, e in rows] == ["a", "x" * 10, "x" * 10, "x" * 5 + " b"]


def test_wide_characters_count_two_cells() -> None:
    text = "漢字" * 15 + " end"
    rows = wrap_line(text, 0, len(text), 10)
    _check_tiling(text, rows, 0, len(text), 10)
    assert rows[0] == (0, 5)
    layout = build_layout(text, [Block("paragraph", 0, len(text))], 10)
    assert layout is not None
    assert layout.position(7) == (layout.text_rows[1], 4)
    assert layout.offset_at(layout.text_rows[1], 4) == 7
    assert layout.offset_at(layout.text_rows[1], 5) == 7  # the right half of a wide char


def test_wrap_plain_for_labels() -> None:
    assert wrap_plain("one two three", 7) == ["one two", "three"]
    assert wrap_plain("", 7) == [""]


def _blocks(text: str) -> list[Block]:
    return textmod.blocks(text)


def test_layout_header_blank_rows_and_every_offset_round_trips() -> None:
    text = "First paragraph is here.\nSecond one follows it directly.\n\n\nHeading\nLast."
    layout = build_layout(text, _blocks(text), 20, title="A title",
                          meta=[(RowKind.META, "Src · 2024-06-19"), (RowKind.WARNING, "bad")])
    assert layout is not None
    kinds = layout.kinds
    assert kinds[:4] == [RowKind.TITLE, RowKind.META, RowKind.WARNING, RowKind.BLANK]
    assert layout.labels[0] == "A title"
    shown = [layout.display(r) for r in range(len(layout)) if layout.is_text(r)]
    assert " ".join(shown).split() == text.split()
    # one blank row between blocks, never two in a row
    assert all(not (a == b == RowKind.BLANK) for a, b in zip(kinds, kinds[1:], strict=False))
    for offset in range(len(text)):
        if text[offset] == "\n":
            continue
        row, col = layout.position(offset)
        assert layout.is_text(row)
        assert layout.starts[row] <= offset < layout.ends[row]
        if text[offset] != " ":
            assert layout.offset_at(row, col) == offset


def test_title_line_in_the_text_is_not_repeated() -> None:
    text = "Putin Visits Pyongyang\n\nThe president arrived.\n\nMore text."
    layout = build_layout(text, _blocks(text), 40, title="Putin Visits Pyongyang",
                          meta=[(RowKind.META, "meta line")])
    assert layout is not None
    assert layout.title_in_text and layout.title_span == (0, 22)
    assert RowKind.TITLE not in layout.kinds
    assert [layout.display(r) for r in range(4)] == [
        "Putin Visits Pyongyang", "meta line", "", "The president arrived."]


def test_empty_text_and_cancel() -> None:
    layout = build_layout("", [], 40, title="Empty", meta=[(RowKind.META, "0 words")])
    assert layout is not None and layout.text_rows == []
    assert layout.row_of(0) == 0 and layout.offset_at(0, 0) is None
    big = "word " * 100 + "\n"
    assert build_layout(big * 5000, [], 40, cancelled=lambda: True) is None


def test_seed_articles_wrap_exactly(config: Config) -> None:
    lib = Library(config)
    for article_id in (SEED_LIPUTAN, SEED_KOMPAS):
        article = lib.load(article_id)
        for measure in (30, 78):
            layout = build_layout(article.text, article.blocks, measure,
                                  title=article.meta.title)
            assert layout is not None
            for row in layout.text_rows:
                assert cell_len(layout.display(row)) <= measure
            for b in article.blocks:
                for offset in (b.start, (b.start + b.end) // 2, b.end - 1):
                    row, col = layout.position(offset)
                    assert layout.offset_at(row, col) == offset or article.text[offset] == " "


def test_word_snapping_and_motions() -> None:
    text = "Kim Jong-un's visit, today. Next sentence here!\nNew para."
    assert motions.word_at(text, 5) == (4, 13)  # Jong-un's
    assert motions.word_at(text, 3) is None
    assert motions.snap_to_words(text, 5, 16) == (4, 19)  # "Jong-un's visit"
    assert motions.snap_to_words(text, 3, 9) == (4, 13)  # leading space trimmed
    assert motions.next_word_start(text, 0) == 4
    assert motions.prev_word_start(text, 15) == 14
    paras = motions.paragraphs(text, [])
    assert paras == [(0, 47), (48, 57)]
    assert motions.next_sentence_end(text, paras, 0) == 26
    assert motions.next_sentence_end(text, paras, 26) == 46
    assert motions.next_sentence_end(text, paras, 46) == 56
    assert motions.prev_sentence_start(text, paras, 50) == 48
    assert motions.prev_sentence_start(text, paras, 48) == 28
    assert motions.next_paragraph_end(paras, 0) == 46
    assert motions.prev_paragraph_start(paras, 50) == 48
    assert motions.prev_paragraph_start(paras, 48) == 0
