"""Tables for analysis: passages per tag per article (or source, or month), and how often two
tags fall together (on one passage, on overlapping passages, or in one article).

Pure functions over review rows (:func:`reader.review.rows.collect`); the command line
prints them as tables and bar charts, or writes them as CSV and JSON (:func:`matrix_csv`,
:func:`cooccurrence_csv`) for a spreadsheet or R. Tags are in alphabetical order (case and
accents ignored), so the same passages give the same table.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

from reader.review.export import BOM, csv_cell
from reader.review.rows import NO_SOURCE, UNTAGGED, ReviewRow, _parse_date, _periods, fold

By = Literal["article", "source", "month"]
BY: tuple[By, ...] = ("article", "source", "month")
Within = Literal["passage", "overlap", "article"]
WITHIN: tuple[Within, ...] = ("overlap", "passage", "article")
UNDATED = "(undated)"
WITHIN_TITLE = {"passage": "on the same passage", "overlap": "on overlapping passages",
                "article": "in the same article"}
WITHIN_MEANING = {
    "passage": "passages carrying both tags",
    "overlap": "pairs of passages that overlap (a passage carrying both tags counts once)",
    "article": "articles with passages of both tags",
}
DIAGONAL_MEANING = {
    "passage": "passages with the tag",
    "overlap": "passages with the tag",
    "article": "articles with the tag",
}


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    title: str
    source: str
    date: str


@dataclass(frozen=True, slots=True)
class Matrix:
    """Passages per tag (columns) per unit (rows: articles, sources or months). A passage
    with two tags counts in both columns, and once in :attr:`passages`."""

    by: By
    tags: tuple[str, ...]
    units: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # [unit][tag]
    passages: tuple[int, ...]  # per unit
    articles: dict[str, ArticleInfo]  # by article id, for by="article"

    @property
    def tag_totals(self) -> tuple[int, ...]:
        return tuple(sum(row[j] for row in self.counts) for j in range(len(self.tags)))

    @property
    def total(self) -> int:
        return sum(self.passages)


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    """A symmetric tag x tag table: off the diagonal how often the two tags fall together
    (:data:`WITHIN_MEANING`), on it each tag's own count (:data:`DIAGONAL_MEANING`)."""

    within: Within
    tags: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def pairs(self) -> list[tuple[str, str, int]]:
        """(tag, tag, count) for every pair that falls together, most often first."""
        out = [(self.tags[i], self.tags[j], self.counts[i][j])
               for i, j in combinations(range(len(self.tags)), 2) if self.counts[i][j]]
        return sorted(out, key=lambda p: -p[2])


def _tags_of(row: ReviewRow, wanted: set[str] | None) -> list[str]:
    tags = sorted(set(row.tags))
    if wanted is not None:
        tags = [t for t in tags if fold(t) in wanted]
    return tags


def _tag_order(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(tags), key=lambda t: (t == UNTAGGED, fold(t), t)))


def _wanted(only_tags: Iterable[str] | None) -> set[str] | None:
    return None if only_tags is None else {fold(t) for t in only_tags} or None


def _months(rows: Sequence[ReviewRow]) -> tuple[list[str], dict[str, str]]:
    """Every month from the first dated passage's to the last one's (gaps included), and
    each row's month by annotation key."""
    month_of: dict[str, str] = {}
    dates = []
    for r in rows:
        d = _parse_date(r.date) if r.date else None
        if d is not None:
            dates.append(d)
            month_of[r.article_id] = f"{d.year:04d}-{d.month:02d}"
    months = _periods(min(dates), max(dates), "month") if dates else []
    return months, month_of


def matrix(rows: Sequence[ReviewRow], by: By = "article",
           only_tags: Iterable[str] | None = None) -> Matrix:
    """Passages per tag per article, source (``(no source)`` last) or month (by the
    articles' dates, every month between the first and the last, ``(undated)`` last).
    ``only_tags``: columns for these tags only (the rows were filtered by them); passages
    without tags get an ``(untagged)`` column otherwise."""
    if by not in BY:
        raise ValueError(f"cannot count by {by!r} (one of: {', '.join(BY)})")
    wanted = _wanted(only_tags)
    per_unit: dict[str, Counter[str]] = defaultdict(Counter)
    passages: Counter[str] = Counter()
    articles: dict[str, ArticleInfo] = {}
    months, month_of = _months(rows) if by == "month" else ([], {})
    for r in rows:
        if by == "article":
            unit = r.article_id
            articles.setdefault(unit, ArticleInfo(r.title, r.source, r.date))
        elif by == "source":
            unit = r.source or NO_SOURCE
        else:
            unit = month_of.get(r.article_id, UNDATED)
        per_unit[unit].update(_tags_of(r, wanted) if r.tags else [UNTAGGED])
        passages[unit] += 1
    columns = _tag_order(t for c in per_unit.values() for t in c)
    if by == "month":
        units = months + ([UNDATED] if UNDATED in passages else [])
    elif by == "source":
        units = sorted(passages, key=lambda s: (s == NO_SOURCE, fold(s), s))
    else:
        units = sorted(passages)
    return Matrix(by, columns, tuple(units),
                  tuple(tuple(per_unit[u][t] for t in columns) for u in units),
                  tuple(passages[u] for u in units), articles)


def _overlap(a: ReviewRow, b: ReviewRow) -> bool:
    return not a.orphaned and not b.orphaned and a.start < b.end and b.start < a.end


def cooccurrence(rows: Sequence[ReviewRow], within: Within = "overlap",
                 only_tags: Iterable[str] | None = None) -> Cooccurrence:
    """How often each two tags fall together ``within`` one passage, overlapping passages
    (pairs of passages of one article whose text overlaps, and each passage with itself),
    or one article. Orphaned passages (not placed in the current text) overlap nothing but
    themselves. ``only_tags``: those tags only."""
    if within not in WITHIN:
        raise ValueError(f"cannot count within {within!r} (one of: {', '.join(WITHIN)})")
    wanted = _wanted(only_tags)
    own: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    by_article: dict[str, list[tuple[ReviewRow, list[str]]]] = defaultdict(list)
    for r in rows:
        tags = _tags_of(r, wanted)
        if tags:
            by_article[r.article_id].append((r, tags))
    for items in by_article.values():
        if within == "article":
            present = sorted({t for _, tags in items for t in tags})
            own.update(present)
            together.update(combinations(present, 2))
            continue
        for _, tags in items:
            own.update(tags)
            together.update(combinations(tags, 2))
        if within == "overlap":
            ordered = sorted(items, key=lambda x: (x[0].start, x[0].end))
            for i, (a, tags_a) in enumerate(ordered):
                for b, tags_b in ordered[i + 1:]:
                    if b.start >= a.end:
                        break
                    if _overlap(a, b):
                        together.update({(x, y) if x < y else (y, x)
                                         for x in tags_a for y in tags_b if x != y})
    names = _tag_order(own)
    counts = tuple(tuple(own[a] if a == b else together[(min(a, b), max(a, b))]
                         for b in names) for a in names)
    return Cooccurrence(within, names, counts)


# -- CSV and JSON -------------------------------------------------------------------------------
def _csv(header: Sequence[str], body: Iterable[Sequence[str | int]], bom: bool) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([csv_cell(h) for h in header])
    for row in body:
        w.writerow([c if isinstance(c, int) else csv_cell(c) for c in row])
    return (BOM if bom else "") + buf.getvalue()


def matrix_csv(m: Matrix, *, bom: bool = True) -> str:
    """One line per unit; an article's line has its title, source and date; then a column
    per tag and the passages. UTF-8 with a byte order mark, formula-safe cells, CRLF (as the
    export's CSV)."""
    lead = ["article_id", "title", "source", "date"] if m.by == "article" else [m.by]

    def lead_cells(unit: str) -> list[str | int]:
        if m.by != "article":
            return [unit]
        info = m.articles[unit]
        return [unit, info.title, info.source, info.date]

    body: list[list[str | int]] = [[*lead_cells(u), *m.counts[i], m.passages[i]]
                                   for i, u in enumerate(m.units)]
    return _csv([*lead, *m.tags, "passages"], body, bom)


def cooccurrence_csv(c: Cooccurrence, *, bom: bool = True) -> str:
    """The square table: a line per tag, a column per tag (the diagonal: the tag's own
    count)."""
    body: list[list[str | int]] = [[t, *c.counts[i]] for i, t in enumerate(c.tags)]
    return _csv(["tag", *c.tags], body, bom)


def matrix_json(m: Matrix) -> dict[str, Any]:
    def lead(unit: str) -> dict[str, Any]:
        if m.by != "article":
            return {m.by: unit}
        info = m.articles[unit]
        return {"article": unit, "title": info.title, "source": info.source,
                "date": info.date}

    return {
        "by": m.by, "tags": list(m.tags),
        "rows": [{**lead(u), "passages": m.passages[i],
                  "counts": dict(zip(m.tags, m.counts[i], strict=True))}
                 for i, u in enumerate(m.units)],
        "totals": {"passages": m.total,
                   "tags": dict(zip(m.tags, m.tag_totals, strict=True))},
    }


def cooccurrence_json(c: Cooccurrence) -> dict[str, Any]:
    return {
        "within": c.within, "counts": WITHIN_MEANING[c.within],
        "diagonal": DIAGONAL_MEANING[c.within], "tags": list(c.tags),
        "matrix": [list(row) for row in c.counts],
        "pairs": [{"tags": [a, b], "count": n} for a, b, n in c.pairs()],
    }
