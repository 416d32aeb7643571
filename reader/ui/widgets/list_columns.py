"""The article list's rows without Textual: sorting, the columns that fit a width, and cells
cut to a width."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

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


def layout(width: int, notes: bool = True) -> list[Column]:
    """Columns that fit ``width`` cells. The title always keeps room; the others are added
    in order of use (date, then notes when any article has some, source, words), each only if
    the title keeps ``need``."""
    wide = width >= 150
    mark = Column("mark", "", 2)
    optional = [(Column("date", "Date", 10), 18),
                (Column("notes", "Notes", 22 if wide else 14 if width >= 70 else 9), 22),
                (Column("source", "Source", 22 if wide else 14 if width >= 70 else 12), 20),
                (Column("words", "Words", 7, right=True), 36)]
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
