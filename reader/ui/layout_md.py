"""Laying out a Markdown article (a :class:`~reader.library.markdown.Rendition`): its lines
as drawn (a newline inside a paragraph is a space, mark-up takes no room) wrapped into rows
of source ranges, with the prefix each row is drawn after (a quote's bar, a list item's
hanging indent). Pure code: no Textual.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len

from reader.library.markdown import HIDDEN, SOFT, Rendition


def shown_width(r: Rendition, i: int) -> int:
    """Cells character ``i`` takes as drawn (0 when hidden)."""
    shown = r.shown(i)
    if not shown:
        return 0
    if len(shown) == 1 and (shown < " " or shown == "\x7f"):
        return 1  # a control character, drawn as a space
    return cell_len(shown)


def hard_lines(r: Rendition) -> Iterator[tuple[int, int, bool]]:
    """(start, end, shown) of each line as drawn: lines end at newlines that are not drawn
    as spaces; ``shown`` is False for a line of hidden mark-up only (a code fence, a setext
    underline), which takes no row and is not a gap either."""
    text, flags = r.text, r.flags
    pos, n = 0, len(text)
    while pos <= n:
        end = text.find("\n", pos)
        while end >= 0 and flags[end] & SOFT:
            end = text.find("\n", end + 1)
        end = n if end < 0 else end
        shown = any(not flags[i] & HIDDEN for i in range(pos, end))
        yield pos, end, shown
        if end >= n:
            break
        pos = end + 1


def blank(r: Rendition, a: int, b: int) -> bool:
    """Nothing but spaces drawn in ``[a, b)``."""
    return not any(r.shown(i).strip() for i in range(a, b))


def wrap_rendered(r: Rendition, a: int, b: int, first: int, rest: int
                  ) -> list[tuple[int, int]]:
    """Rows tiling ``[a, b)``: at most ``first`` cells drawn in the first row and ``rest`` in
    the others, broken after a run of spaces, inside a word longer than a row. Mark-up
    before a word starts the row of that word."""
    rows: list[tuple[int, int]] = []
    pos, width, x = a, max(1, first), 0
    brk: int | None = None  # where the next row starts when breaking at the last spaces
    content = False
    i = a
    while i < b:
        shown = r.shown(i)
        if not shown:
            i += 1
            continue
        if shown in (" ", "\t"):
            j = i
            while j < b and (r.shown(j) in (" ", "\t") or (
                    r.flags[j] & HIDDEN and r.text[j].isspace())):
                j += 1
            if content:
                brk = j
            x += sum(shown_width(r, k) for k in range(i, j))
            i = j
            continue
        w = shown_width(r, i)
        if x + w > width and content:
            cut = brk if brk is not None and brk > pos else i
            rows.append((pos, cut))
            pos, width, brk = cut, max(1, rest), None
            x = sum(shown_width(r, k) for k in range(pos, i))
            content = any(r.shown(k).strip() for k in range(pos, i))
            continue
        x += w
        content = True
        i += 1
    rows.append((pos, b))
    return rows


def visible_end(r: Rendition, s: int, e: int) -> int:
    """The end of what row ``[s, e)`` draws, trailing spaces and mark-up left out."""
    while e > s and not r.shown(e - 1).strip():
        e -= 1
    return e
