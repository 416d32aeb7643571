"""Cursor motions and selection snapping over an article's text. Pure code: no Textual.

Offsets index ``Article.text``. A *paragraph* is one of ``Article.blocks`` (or, where the text
has no blocks, a line); sentences come from :func:`reader.library.text.sentences`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from reader.library import text as textmod
from reader.models import Block


def is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def _inside_word(text: str, i: int) -> bool:
    """``text[i]`` continues a word (a letter/digit, or ' - ’ between two of them)."""
    if is_word_char(text, i):
        return True
    return (0 <= i < len(text) and text[i] in "'’-" and is_word_char(text, i - 1)
            and is_word_char(text, i + 1))


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word covering ``offset`` (letters, digits, inner ' - ’), or None."""
    if not _inside_word(text, offset):
        return None
    s, e = offset, offset + 1
    while s > 0 and _inside_word(text, s - 1):
        s -= 1
    while e < len(text) and _inside_word(text, e):
        e += 1
    return s, e


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim surrounding whitespace."""
    start, end = max(0, start), min(len(text), end)
    w = word_at(text, start)
    if w is not None:
        start = w[0]
    if end > start:
        w = word_at(text, end - 1)
        if w is not None:
            end = w[1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def next_word_start(text: str, offset: int) -> int:
    """Start of the next word after ``offset`` (the text's end when there is none)."""
    i, n = offset, len(text)
    while i < n and _inside_word(text, i):
        i += 1
    while i < n and not _inside_word(text, i):
        i += 1
    return min(i, max(0, n - 1)) if n else 0


def prev_word_start(text: str, offset: int) -> int:
    """Start of the word before ``offset`` (or of the word ``offset`` is inside)."""
    i = offset - 1
    while i > 0 and not _inside_word(text, i):
        i -= 1
    while i > 0 and _inside_word(text, i - 1):
        i -= 1
    return max(0, i)


def paragraphs(text: str, blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """Paragraph spans: the blocks, or the non-blank lines when there are none."""
    if blocks:
        return [(b.start, b.end) for b in blocks if b.end > b.start]
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def paragraph_index(paras: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the paragraph holding ``offset``, else the one before (0 when none)."""
    starts = [p[0] for p in paras]
    return max(0, bisect_right(starts, offset) - 1)


def paragraph_at(paras: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    if not paras:
        return None
    return paras[paragraph_index(paras, offset)]


def _sentences(text: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    return textmod.sentences(text, para[0], para[1]) or [para]


def next_sentence_end(text: str, paras: Sequence[tuple[int, int]], cursor: int) -> int:
    """Offset of the last character of the next sentence ending after ``cursor``."""
    if not paras:
        return cursor
    i = paragraph_index(paras, cursor)
    for para in paras[i:]:
        for _s, e in _sentences(text, para):
            if e - 1 > cursor:
                return e - 1
    return cursor


def prev_sentence_start(text: str, paras: Sequence[tuple[int, int]], cursor: int) -> int:
    """Offset of the start of the sentence beginning before ``cursor``."""
    if not paras:
        return cursor
    i = paragraph_index(paras, cursor)
    for para in reversed(paras[: i + 1]):
        for s, _e in reversed(_sentences(text, para)):
            if s < cursor:
                return s
    return cursor


def next_sentence_start(text: str, paras: Sequence[tuple[int, int]], cursor: int) -> int:
    """Offset of the start of the next sentence after the one holding ``cursor``."""
    if not paras:
        return cursor
    i = paragraph_index(paras, cursor)
    for para in paras[i:]:
        for s, _e in _sentences(text, para):
            if s > cursor:
                return s
    return cursor


def next_paragraph_start(paras: Sequence[tuple[int, int]], cursor: int) -> int:
    for s, _e in paras[paragraph_index(paras, cursor):]:
        if s > cursor:
            return s
    return cursor


def next_paragraph_end(paras: Sequence[tuple[int, int]], cursor: int) -> int:
    for _s, e in paras[paragraph_index(paras, cursor):]:
        if e - 1 > cursor:
            return e - 1
    return cursor


def prev_paragraph_start(paras: Sequence[tuple[int, int]], cursor: int) -> int:
    for s, _e in reversed(paras[: paragraph_index(paras, cursor) + 1]):
        if s < cursor:
            return s
    return cursor


def next_word_end(text: str, offset: int) -> int:
    """Last character of the next word ending after ``offset``."""
    i, n = offset + 1, len(text)
    while i < n and not _inside_word(text, i):
        i += 1
    while i + 1 < n and _inside_word(text, i + 1):
        i += 1
    return min(i, max(0, n - 1))


def prev_word_end(text: str, offset: int) -> int:
    """Last character of the word before the one holding ``offset``."""
    i = offset
    while i > 0 and _inside_word(text, i - 1) and _inside_word(text, i):
        i -= 1
    i -= 1
    while i > 0 and not _inside_word(text, i):
        i -= 1
    return max(0, i)
