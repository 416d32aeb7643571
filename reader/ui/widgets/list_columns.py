"""The article list's rows without Textual: sorting, the columns that fit a width, cells
cut to a width, the annotations cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from reader.models import ArticleMeta

SORTS: tuple[str, ...] = ("date", "title", "source")
SORT_LABELS = {"date": "date (newest first)", "title": "title (A–Z)", "source": "source (A–Z)"}
WARNING_MARK = "⚠"
_CONTROLS = {c: "\ufffd" for c in [*range(0, 9), 11, 12, *range(14, 32), 127]}




@dataclass(frozen=True, slots=True)
class RowNotes:
    """What the list shows about an article's annotations."""

    count: int
    tags: tuple[str, ...] = ()


def sort_articles(metas: Sequence[ArticleMeta], key: str) -> list[ArticleMeta]:
    """Pure; safe in a thread. Date: newest first, undated last. Others: A–Z, then date."""
    if key == "title":
        return sorted(metas, key=lambda m: (m.title.casefold(), m.id))
    by_id = sorted(metas, key=lambda m: m.id)
    by_date = sorted(by_id, key=lambda m: m.date, reverse=True)  # stable: ties stay by id
    undated_last = [m for m in by_date if m.date] + [m for m in by_date if not m.date]
    if key == "source":
        return sorted(undated_last, key=lambda m: (not m.source, m.source.casefold()))
    return undated_last


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded or cut (with an ellipsis) to exactly ``width`` cells."""
    if width <= 0:
        return ""
    text = " ".join(text.translate(_CONTROLS).split())
    n = cell_len(text)
    if n > width:
        return set_cell_size(text, width - 1) + "…"
    return " " * (width - n) + text if right else text + " " * (width - n)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    right: bool = False


TWO_LINES_BELOW = 80  # a narrower list gives each article two lines: title, then the rest


def lines_per_row(width: int) -> int:
    """2 where the list is narrow: the title gets a line of its own (two titles that start
    alike still differ there), source, date and words the line under it."""
    return 2 if width < TWO_LINES_BELOW else 1


def details(meta: ArticleMeta) -> str:
    """The second line of a two-line row: source · date · words."""
    words = f"{meta.words:,} words" if meta.words else ""
    return " · ".join(p for p in (meta.source, meta.date, words) if p)


def layout(width: int, notes: bool = True) -> list[Column]:
    """Columns of a one-line row that fit ``width`` cells. The title always keeps room; the
    others are added in order of use (source, date, notes when any article has some,
    words), each only if the title keeps ``need`` cells, so two articles can be told
    apart by title, then source, then date."""
    wide = width >= 150
    mark = Column("mark", "", 2)
    optional = [(Column("source", "Source", 22 if wide else 14), 30),
                (Column("date", "Date", 10), 30),
                (Column("notes", "Notes", 22 if wide else 14), 30),
                (Column("words", "Words", 7, right=True), 40)]
    if not notes:
        optional = [o for o in optional if o[0].key != "notes"]
    chosen: list[Column] = []
    used = mark.width + 1  # every column but the last is followed by a one-cell gap
    for col, need in optional:
        if width - used - (col.width + 1) >= need:
            chosen.append(col)
            used += col.width + 1
    title = Column("title", "Title", max(4, width - used))
    order = {"title": 0, "source": 1, "date": 2, "words": 3, "notes": 4}
    return [mark, title, *sorted(chosen, key=lambda c: order[c.key])]


def two_line_header(width: int, sort_key: str) -> list[tuple[str, str]]:
    """(sort key or "", text) parts of a two-line list's header, the sort order marked."""
    arrow = " ▼" if sort_key == "date" else " ▲"
    parts: list[tuple[str, str]] = [("", "   ")]
    for key, label in (("title", "Title"), ("source", "Source"), ("date", "Date")):
        if key != "title":
            parts.append(("", " · "))
        parts.append((key, label + (arrow if key == sort_key else "")))
    return parts


def details_notes_width(text: str, notes: RowNotes | None, room: int) -> int:
    """Cells the annotations take after a two-line row's details (``text``): the count and
    a dot per tag always, the tag names only where the details still fit whole."""
    if notes is None or notes.count <= 0:
        return 0
    least = len(f"{notes.count} ") + len(notes.tags)
    spare = room - cell_len(text) - 1
    return max(least, min(22, spare)) if spare >= least else least


def notes_segments(notes: RowNotes | None, width: int, colours: Mapping[str, str],
                   base: Style, dim: Style) -> list[Segment]:
    """An article's annotations in ``width`` cells: the count, a dot in each tag's colour,
    then the tag names as they fit."""
    if notes is None or notes.count <= 0:
        return [Segment(" " * width, base)]
    count = f"{notes.count} "
    segments = [Segment(count, base)]
    used = len(count)
    for tag in notes.tags:
        if used + 1 > width:
            break
        segments.append(Segment("●", base + Style(color=colours.get(tag, "#888888"))))
        used += 1
    if width >= 12 and notes.tags and used < width - 2:
        segments.append(Segment(" " + fit(", ".join(notes.tags), width - used - 1), base + dim))
        used = width
    segments.append(Segment(" " * (width - used), base))
    return segments


def wrap_words(text: str, width: int) -> list[str]:
    """Paragraphs (``\\n``) wrapped at spaces to ``width`` cells."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            if line and cell_len(line) + 1 + cell_len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines
