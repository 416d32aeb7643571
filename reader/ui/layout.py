"""Word-wrapping of an article into visual rows for the reading view. Pure code: no Textual.

A :class:`Layout` is a list of rows. A *text row* covers the character range
``[start, end)`` of ``Article.text`` (trailing spaces of a wrapped row belong to it, so every
character of a laid-out line belongs to exactly one row); a *label row* shows a string that
is not part of the text (title, metadata, warnings) and a *blank row* separates blocks.
Offsets map to (row, column) and back exactly, by bisection over the text rows' starts;
columns are terminal cells (wide characters count two).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from rich.cells import get_character_cell_size

from reader.library.markdown import Rendition
from reader.library.metadata import clean_title
from reader.models import Block
from reader.ui import layout_md

MAX_MEASURE = 80
_NARROW = re.compile(r"[^\t\x20-\x7e\u00a0-\u02ff\u0370-\u052f\u2010-\u2027\u2030-\u205e]")
_DISPLAY = {i: " " for i in range(32)} | {127: " "}


class RowKind(IntEnum):
    BLANK = 0
    TEXT = 1
    TITLE = 2  # label: the title when the text has none of its own
    META = 3  # label: source · place · date · language · words
    WARNING = 4  # label: a load warning


@dataclass(slots=True)
class Layout:
    text: str
    measure: int
    kinds: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # per row; label/blank: anchor offset
    ends: list[int] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)
    text_rows: list[int] = field(default_factory=list)  # row numbers of text rows
    text_starts: list[int] = field(default_factory=list)  # their starts (sorted)
    title_in_text: bool = False  # the first text line is the title (styled as such)
    title_span: tuple[int, int] | None = None  # that line's range
    rendition: Rendition | None = None  # a Markdown article: how its characters are drawn
    prefixes: dict[int, str] = field(default_factory=dict)  # row -> drawn before its text

    def __len__(self) -> int:
        return len(self.kinds)

    # -- building -------------------------------------------------------------------------
    def _add(self, kind: RowKind, start: int, end: int, label: str | None = None) -> None:
        row = len(self.kinds)
        self.kinds.append(kind)
        self.starts.append(start)
        self.ends.append(end)
        if label is not None:
            self.labels[row] = label
        if kind == RowKind.TEXT:
            self.text_rows.append(row)
            self.text_starts.append(start)

    # -- queries --------------------------------------------------------------------------
    def is_text(self, row: int) -> bool:
        return 0 <= row < len(self.kinds) and self.kinds[row] == RowKind.TEXT

    def display(self, row: int) -> str:
        """What the row shows (control characters as spaces, trailing spaces dropped)."""
        if self.kinds[row] != RowKind.TEXT:
            return self.labels.get(row, "")
        r = self.rendition
        if r is None:
            return self.text[self.starts[row]:self.ends[row]].translate(_DISPLAY).rstrip(" ")
        return (self.prefixes.get(row, "") + r.plain(self.starts[row], self.ends[row])
                ).translate(_DISPLAY).rstrip(" ")

    def width_of(self, i: int) -> int:
        """Cells character ``i`` takes as drawn."""
        r = self.rendition
        return char_cells(self.text[i]) if r is None else layout_md.shown_width(r, i)

    def visible_end(self, row: int) -> int:
        """The end of what a text row draws (trailing spaces and mark-up left out)."""
        s, e = self.starts[row], self.ends[row]
        if self.rendition is None:
            return s + len(self.text[s:e].rstrip(" \t"))
        return layout_md.visible_end(self.rendition, s, e)

    def row_of(self, offset: int) -> int:
        """The row holding ``offset`` (offsets between lines belong to the row before)."""
        if not self.text_rows:
            return 0
        i = max(0, bisect_right(self.text_starts, offset) - 1)
        return self.text_rows[i]

    def position(self, offset: int) -> tuple[int, int]:
        """Offset -> (row, column in cells from the start of the text column)."""
        row = self.row_of(offset)
        if not self.is_text(row):
            return row, 0
        start = self.starts[row]
        offset = max(start, min(offset, self.ends[row]))
        if self.rendition is None:
            return row, cells(self.text[start:offset])
        return row, cells(self.prefixes.get(row, "")) + sum(
            self.width_of(i) for i in range(start, offset))

    def offset_at(self, row: int, column: int) -> int | None:
        """(row, column) -> the offset of the character drawn there; past the end of a row's
        visible text, the offset just after it. None for label and blank rows."""
        if not self.is_text(row):
            return None
        start = self.starts[row]
        visible = self.visible_end(row)
        r = self.rendition
        if r is not None:
            column -= cells(self.prefixes.get(row, ""))
            first = r.visible_at_or_after(start)
            start = first if first is not None and first < visible else start
        if column <= 0:
            return start
        x = 0
        for i in range(start, visible):
            x += self.width_of(i)
            if x > column:
                return i
        return visible

    def nearest_text_row(self, row: int, forward: bool = True) -> int | None:
        """The text row at ``row`` or the closest one after (before when not ``forward``)."""
        if not self.text_rows:
            return None
        i = bisect_right(self.text_rows, row)
        if i > 0 and self.text_rows[i - 1] == row:
            return row
        if forward:
            return self.text_rows[i] if i < len(self.text_rows) else self.text_rows[-1]
        return self.text_rows[i - 1] if i > 0 else self.text_rows[0]


def display_text(s: str) -> str:
    """Text as drawn: control characters (tabs included) become spaces."""
    return s.translate(_DISPLAY)


def char_cells(ch: str) -> int:
    if ch < " " or ch == "\x7f":
        return 1  # displayed as a space
    return get_character_cell_size(ch)


def cells(s: str) -> int:
    if not _NARROW.search(s):
        return len(s)
    return sum(char_cells(c) for c in s)


def wrap_line(text: str, a: int, b: int, width: int) -> list[tuple[int, int]]:
    """Wrap ``text[a:b]`` (no newline inside) into rows of at most ``width`` cells, breaking
    at spaces, and inside words longer than a row. Rows tile ``[a, b)`` exactly."""
    width = max(1, width)
    rows: list[tuple[int, int]] = []
    narrow = not _NARROW.search(text, a, b)
    pos = a
    while True:
        if narrow:
            if b - pos <= width:
                break
            cut = pos + width
        else:
            x, cut = 0, pos
            while cut < b:
                x += char_cells(text[cut])
                if x > width:
                    break
                cut += 1
            if cut >= b:
                break
            cut = max(cut, pos + 1)
        if text[cut] in " \t":
            nxt = cut
        else:
            j = max(text.rfind(" ", pos + 1, cut), text.rfind("\t", pos + 1, cut))
            nxt = j if j > pos and text[pos:j].strip() else cut
        while nxt < b and text[nxt] in " \t":
            nxt += 1
        if nxt >= b:
            break
        rows.append((pos, nxt))
        pos = nxt
    rows.append((pos, b))
    return rows


def wrap_plain(s: str, width: int) -> list[str]:
    """Wrap a label string (not part of the text)."""
    return [s[a:b].rstrip() for a, b in wrap_line(s, 0, len(s), width)] if s else [""]


def _same_title(line: str, title: str) -> bool:
    """The text's first line is the article's title (case, spacing and mark-up aside)."""
    def norm(x: str) -> str:
        return " ".join(clean_title(x).split()).casefold()

    return bool(title) and norm(line) == norm(title)


def build_layout(
    text: str,
    blocks: Sequence[Block],
    measure: int,
    *,
    title: str = "",
    meta: Sequence[tuple[RowKind, str]] = (),
    cancelled: Callable[[], bool] | None = None,
    rendition: Rendition | None = None,
) -> Layout | None:
    """Lay out ``text`` at ``measure`` cells. Every non-blank source line is shown (wrapped);
    a blank row separates lines that were apart in the source or belong to different blocks.
    ``title`` and ``meta`` rows form the header; when the text starts with the title itself
    (its first line reads as ``title``) the header follows that line. A Markdown article's
    ``rendition`` says how its lines are drawn (see :mod:`reader.ui.layout_md`).
    Returns None when ``cancelled()`` turns true."""
    measure = max(1, measure)
    layout = Layout(text, measure, rendition=rendition)
    if rendition is not None:
        lines = [(a, b) for a, b, shown in layout_md.hard_lines(rendition)
                 if shown and not layout_md.blank(rendition, a, b)]
        first = lines[0] if lines else None
        first_text = rendition.plain(*first) if first else ""
    else:
        first = _first_line(text)
        first_text = text[first[0]:first[1]] if first else ""
    title_first = first is not None and _same_title(first_text, title)
    layout.title_in_text = title_first
    layout.title_span = first if title_first else None
    anchor = 0

    def header() -> None:
        for kind, s in meta:
            for part in wrap_plain(s, measure):
                layout._add(kind, anchor, anchor, part)
        layout._add(RowKind.BLANK, anchor, anchor)

    if not title_first:
        if title:
            for part in wrap_plain(title, measure):
                layout._add(RowKind.TITLE, 0, 0, part)
        if meta or title:
            header()
    header_pending = title_first and bool(meta)
    source = (_markdown_lines(layout, rendition, measure) if rendition is not None
              else _plain_lines(layout, blocks, measure))
    for count, end in enumerate(source, start=1):
        if header_pending:  # the title line is followed by the metadata
            anchor = end
            header()
            header_pending = False
            source.send(True)
        if cancelled is not None and count % 2000 == 0 and cancelled():
            return None
    return layout


def _plain_lines(layout: Layout, blocks: Sequence[Block], measure: int
                 ) -> Generator[int, bool | None, None]:
    """Lay out the text's lines; yields each line's end (sent True: a header came between,
    the next line is not apart from anything)."""
    text = layout.text
    block_starts = [b.start for b in blocks]

    def block_index(offset: int) -> int:
        i = bisect_right(block_starts, offset) - 1
        if i >= 0 and blocks[i].start <= offset < max(blocks[i].end, blocks[i].start + 1):
            return i
        return -2 - i  # outside any block: negative, distinct per gap

    prev_block: int | None = None
    gap = False
    pos, n = 0, len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if text[pos:end].strip():
            bi = block_index(pos)
            if prev_block is not None and (gap or bi != prev_block or bi < 0):
                layout._add(RowKind.BLANK, pos, pos)
            for s, e in wrap_line(text, pos, end, measure):
                layout._add(RowKind.TEXT, s, e)
            prev_block = block_index(max(pos, end - 1))
            gap = False
            if (yield end):
                prev_block = None
                yield end  # the value of send()
        else:
            gap = True
        if nl < 0:
            break
        pos = nl + 1


def _markdown_lines(layout: Layout, r: Rendition, measure: int
                    ) -> Generator[int, bool | None, None]:
    """As :func:`_plain_lines` for a Markdown article: its lines as drawn, a blank row where
    the source has a blank line or a new top-level block starts, rows after a prefix."""
    prev: int | None = None
    gap = False
    for a, b, shown in layout_md.hard_lines(r):
        if not shown:
            continue
        if layout_md.blank(r, a, b):
            gap = True
            continue
        group = r.groups.get(a, -1)
        if prev is not None and (gap or group != prev):
            layout._add(RowKind.BLANK, a, a)
        hang = r.hang.get(a, "")
        lead = hang if a in r.hang_first else ""
        rows = layout_md.wrap_rendered(r, a, b, measure - cells(lead), measure - cells(hang))
        for k, (s, e) in enumerate(rows):
            prefix = lead if k == 0 else hang
            if prefix:
                layout.prefixes[len(layout.kinds)] = prefix
            layout._add(RowKind.TEXT, s, e)
        prev, gap = group, False
        if (yield b):
            prev = None
            yield b


def _first_line(text: str) -> tuple[int, int] | None:
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if text[pos:end].strip():
            return pos, end
        pos = end + 1
    return None
