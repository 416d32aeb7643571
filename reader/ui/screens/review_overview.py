"""What the review screen shows besides its tables: the column widths, the overview (bar
charts of passages per tag, source and period) and small text helpers."""

from __future__ import annotations

from rich.text import Text

from reader.annotations.vocabulary import Vocabulary
from reader.review import rows as review
from reader.review.rows import ReviewRow
from reader.ui.screens.review_tags import tag_tree_counts

COLUMNS: tuple[tuple[str, str, int], ...] = (  # (sort key, label, width at 100 columns)
    ("tags", "Tags", 14), ("title", "Title", 18), ("source", "Source", 10),
    ("date", "Date", 10), ("quote", "Passage", 0), ("note", "Note", 14))
MIN_PASSAGE = 20


def column_widths(total: int) -> dict[str, int]:
    """Widths that fill ``total`` cells: the passage takes what the others leave; on wide
    screens title and note grow too."""
    widths = {key: width for key, _, width in COLUMNS}
    extra = max(0, total - 120) // 4
    widths["title"] += extra
    widths["note"] += extra
    padding = 2 * len(COLUMNS) + 2
    widths["quote"] = max(MIN_PASSAGE, total - padding - sum(widths.values()))
    return widths
DEFAULT_COLOUR = "#888888"


def row_key(row: ReviewRow) -> str:
    return f"{row.article_id}\x1f{row.annotation_id}"


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


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
