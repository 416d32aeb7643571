"""What the review screen shows besides its tables: the column widths, the overview (bar
charts of passages per tag, source and period) and small text helpers."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from reader.annotations.vocabulary import Vocabulary
from reader.review import rows as review
from reader.review.rows import ReviewRow
from reader.ui.screens.review_tags import tag_tree_counts

COLUMNS: tuple[tuple[str, str, int], ...] = (  # (sort key, label, width at 120 columns)
    ("tags", "Tags", 14), ("title", "Title", 18), ("source", "Source", 12),
    ("date", "Date", 10), ("quote", "Passage", 0), ("note", "Note", 16))
SORT_KEYS = tuple(key for key, _, _ in COLUMNS)
MIN_PASSAGE = 20
NARROW_BELOW = 130  # narrower: one column for the article, rows of several lines
NARROW_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("tags", "Tags", 12), ("title", "Article", 18), ("quote", "Passage · note", 0))
ROW_LINES = 4  # a narrow row: the passage on up to three lines, then the note


def columns(total: int) -> list[tuple[str, str, int]]:
    """(sort key, label, width) of the passages' columns for ``total`` cells: the passage
    takes what the others leave; on wide screens title and note grow too; below
    :data:`NARROW_BELOW` title, source and date share a column and rows are taller, so the
    passage and its note are never pushed off the screen."""
    narrow = total < NARROW_BELOW
    spec = NARROW_COLUMNS if narrow else COLUMNS
    widths = {key: width for key, _, width in spec}
    if not narrow:
        extra = max(0, total - 120) // 4
        widths["title"] += extra
        widths["note"] += extra
    else:  # the article column grows with the screen too (a title on two lines of 31 at 120)
        widths["title"] += max(0, total - 80) // 3
    padding = 2 * len(spec) + 2  # each cell's padding, the scroll bar
    widths["quote"] = max(MIN_PASSAGE, total - padding - sum(widths.values()))
    return [(key, label, widths[key]) for key, label, _ in spec]


def column_widths(total: int) -> dict[str, int]:
    return {key: width for key, _, width in columns(total)}


def lines(text: str, width: int, most: int) -> list[str]:
    """``text`` on at most ``most`` lines of ``width`` cells, broken at spaces (inside a
    word longer than a line), the last one ending in an ellipsis when the text goes on."""
    words = " ".join(text.split())
    out: list[str] = []
    while words and len(out) < most:
        if cell_len(words) <= width:
            out.append(words)
            words = ""
            break
        cut = words.rfind(" ", 0, width + 1)
        cut = cut if cut > 0 else width
        out.append(words[:cut].rstrip())
        words = words[cut:].lstrip()
    if words and out:
        out[-1] = clip(out[-1] + " " + words, width)
    return out


def narrow_cells(row: ReviewRow, widths: dict[str, int]) -> tuple[str, str]:
    """The article and passage cells of a narrow row (several lines each)."""
    width = widths["title"]
    article = lines(row.title or row.article_id, width, 2)
    article += [clip(x, width) for x in (row.source, row.date) if x]
    quote_lines = lines(row.quote, widths["quote"], ROW_LINES - 1 if row.note else ROW_LINES)
    if row.note:
        quote_lines.append(clip("✎ " + row.note, widths["quote"]))
    return "\n".join(article[:ROW_LINES]), "\n".join(quote_lines)


DEFAULT_COLOUR = "#888888"


def row_key(row: ReviewRow) -> str:
    return f"{row.article_id}\x1f{row.annotation_id}"


def clip(text: str, width: int) -> str:
    """One line of at most ``width`` cells, with an ellipsis when cut."""
    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + "…" if width > 0 else ""


def slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.casefold())
    return "-".join(p for p in out.split("-") if p)[:40]



def overview_text(rows: list[ReviewRow], orphans: int, vocabulary: Vocabulary) -> Text:
    """The Overview tab: counts per tag and source, mentions over time, as bar charts."""
    o = review.overview(rows)
    width = 72
    out = Text()

    def heading(text: str) -> None:
        out.append(f"\n{text}\n", style="bold")

    def chart(lines: list[str], names: list[str], label_width: int = 24,
              coloured: bool = False) -> None:
        for name, line in zip(names, lines, strict=True):
            tag = vocabulary.get(name) if coloured else None
            colour = tag.colour if tag is not None else "cyan"
            text = Text(line + "\n")
            text.stylize(colour,
                         label_width, len(line))
            out.append_text(text)

    out.append(f"{o.total} passage{'s' if o.total != 1 else ''} in {o.articles} "
               f"article{'s' if o.articles != 1 else ''}\n", style="bold")
    heading("Per tag")
    per_tag = tag_tree_counts(rows)  # parents with their children's passages, then those
    chart(review.bar_chart([(label, n) for _, label, n in per_tag], width=width),
          [name for name, _, _ in per_tag], coloured=True)
    heading("Per source")
    chart(review.bar_chart(o.per_source.items(), width=width), list(o.per_source))
    if o.timeline:
        heading(f"Mentions over time (per {o.granularity})")
        chart(review.bar_chart(o.timeline, width=width, label_width=12),
              [p for p, _ in o.timeline], label_width=12)
        if len(o.tag_timeline) > 1:
            heading("Per tag over time")
            lines = [f"{clip(name, 22):<24} {review.sparkline(values)}"
                     for name, values in o.tag_timeline.items()]
            chart(lines, list(o.tag_timeline), coloured=True)
    if o.undated:
        out.append(f"\n{o.undated} passage(s) in articles without a date\n", style="dim")
    if orphans:
        out.append(f"\n{orphans} orphaned annotation(s): see the Orphaned "
                   "tab\n", style="yellow")
    if not o.total:
        out = Text("Nothing tagged yet: select a passage in an article and press t.")
    return out
