"""Data for reviewing tagged passages: one row per annotation across the library, filters,
sorting, and an overview (counts per tag, per source, per tag x source, mentions over time).

Plain data only: the review screen and ``reader export`` both build on :func:`collect`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from reader.annotations.format import AnnotationFileError
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.models import Annotation, Article, ArticleMeta

if TYPE_CHECKING:
    from reader.search.index import SearchIndex

SortKey = Literal["tags", "title", "source", "date", "quote", "note", "article", "position",
                  "created", "updated"]
SORT_KEYS: tuple[str, ...] = ("date", "tags", "title", "source", "quote", "note", "article",
                              "position", "created", "updated")
UNTAGGED = "(untagged)"
NO_SOURCE = "(no source)"
QUERY_LIMIT = 1_000_000  # "every matching article" for a query filter


@dataclass(frozen=True, slots=True)
class ReviewRow:
    article_id: str
    title: str
    source: str
    date: str  # ISO "YYYY-MM-DD" or ""
    annotation_id: str
    tags: tuple[str, ...]
    quote: str
    note: str
    start: int
    end: int
    orphaned: bool = False  # cannot be placed in the current text (re-attach or delete)
    prefix: str = ""
    suffix: str = ""
    created: str = ""
    updated: str = ""
    language: str = ""
    url: str = ""  # where the article came from, when known
    path: str = ""  # the article file under articles/ ("" when the article is gone)
    article_missing: bool = False  # the article file no longer exists
    coders: tuple[str, ...] = ()  # who coded it (none: an unknown coder)

    @property
    def key(self) -> tuple[str, str]:
        """(article id, annotation id): identifies the row across reloads."""
        return (self.article_id, self.annotation_id)


# -- collecting ---------------------------------------------------------------------------------
def row_for(meta: ArticleMeta | None, article_id: str, ann: Annotation) -> ReviewRow:
    return ReviewRow(
        article_id=article_id,
        title=meta.title if meta else article_id,
        source=meta.source if meta else "",
        date=meta.date if meta else "",
        annotation_id=ann.id,
        tags=tuple(ann.tags),
        quote=ann.quote,
        note=ann.note,
        start=ann.start,
        end=ann.end,
        orphaned=ann.orphaned or meta is None,
        prefix=ann.prefix,
        suffix=ann.suffix,
        created=ann.created,
        updated=ann.updated,
        language=meta.language if meta else "",
        url=meta.url if meta else "",
        path=meta.path if meta else "",
        article_missing=meta is None,
        coders=tuple(ann.coders),
    )


def collect_with_errors(config: Config, tags: Iterable[str] | None = None,
                        text: str | None = None, query: str | None = None, *,
                        store: AnnotationStore | None = None, library: Library | None = None,
                        index: SearchIndex | None = None,
                        ) -> tuple[list[ReviewRow], list[AnnotationFileError]]:
    """Rows for every annotation (anchored to the current text of its article) and the
    annotation files that could not be read (their annotations are left out; show them).

    ``tags``: keep rows carrying any of these tags (case-insensitive). ``text``: keep rows
    whose quote, note, title, source or tags contain every word of it (case and accents
    ignored). ``query``: keep rows of articles matching this search query (raises
    :class:`reader.search.query.QueryError` for a malformed one). Rows come in text order per
    article, articles by id; use :func:`sort_rows` for another order.
    """
    store = store or AnnotationStore(config.annotations_dir)
    library = library or Library(config)
    allowed: set[str] | None = None
    if query is not None and query.strip():
        allowed = matching_articles(config, query, index)
    rows: list[ReviewRow] = []
    errors: list[AnnotationFileError] = []
    for article_id, raw in store.iter_all():
        if raw.error is not None:
            errors.append(raw.error)
            continue
        if allowed is not None and article_id not in allowed:
            continue
        if not raw.annotations:
            continue
        article = _load(library, article_id)
        if article is None:
            rows.extend(row_for(None, article_id, a) for a in raw.annotations)
            continue
        found = store.load(article)
        if found.error is not None:  # changed on disk since iter_all read it
            errors.append(found.error)
            continue
        rows.extend(row_for(article.meta, article_id, a) for a in found.annotations)
    return filter_rows(rows, tags=tags, text=text), errors


def collect(config: Config, tags: Iterable[str] | None = None, text: str | None = None,
            query: str | None = None, *, store: AnnotationStore | None = None,
            library: Library | None = None, index: SearchIndex | None = None,
            ) -> list[ReviewRow]:
    """See :func:`collect_with_errors`; broken annotation files are skipped here."""
    return collect_with_errors(config, tags, text, query, store=store, library=library,
                               index=index)[0]


def matching_articles(config: Config, query: str, index: SearchIndex | None = None) -> set[str]:
    """Ids of every article matching ``query``. Without ``index`` the library's index is
    brought up to date first (it is a cache)."""
    if index is None:
        from reader.search.index import IndexBusy, SearchIndex

        index = SearchIndex(config)
        try:
            index.update()
        except IndexBusy:
            pass  # another instance is updating it: search the index as it stands
    return set(index.ids(query, limit=QUERY_LIMIT))


def _load(library: Library, article_id: str) -> Article | None:
    try:
        return library.load(article_id)
    except (LookupError, OSError, ValueError):
        return None


# -- filtering and sorting ----------------------------------------------------------------------
def fold(s: str) -> str:
    """Case and accents ignored, for matching typed text."""
    low = s.casefold()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low)
                   if not unicodedata.combining(c))


def filter_rows(rows: Iterable[ReviewRow], tags: Iterable[str] | None = None,
                text: str | None = None) -> list[ReviewRow]:
    wanted = {fold(t) for t in tags} if tags is not None else None
    words = fold(text).split() if text else []
    out = []
    for r in rows:
        if wanted is not None and not wanted.intersection(fold(t) for t in r.tags):
            continue
        if words:
            hay = fold("\n".join((r.quote, r.note, r.title, r.source, " ".join(r.tags),
                                  r.article_id)))
            if not all(w in hay for w in words):
                continue
        out.append(r)
    return out


def _sort_value(row: ReviewRow, key: str) -> tuple[object, ...]:
    if key == "tags":
        return (", ".join(sorted(fold(t) for t in row.tags)),)
    if key == "title":
        return (fold(row.title),)
    if key == "source":
        return (fold(row.source),)
    if key == "date":
        return (row.date,)
    if key == "quote":
        return (fold(" ".join(row.quote.split())),)
    if key == "note":
        return (fold(row.note),)
    if key == "article":
        return (row.article_id,)
    if key == "position":
        return (row.article_id, row.start)
    if key == "created":
        return (row.created,)
    if key == "updated":
        return (row.updated,)
    raise ValueError(f"cannot sort by {key!r} (one of: {', '.join(SORT_KEYS)})")


def _tiebreak(row: ReviewRow) -> tuple[str, int, int, str]:
    return (row.article_id, row.start, row.end, row.annotation_id)


def sort_rows(rows: Iterable[ReviewRow], key: str = "date", reverse: bool = False
              ) -> list[ReviewRow]:
    """Rows sorted by a column (:data:`SORT_KEYS`); ties in text order. Rows with an empty
    value in that column (no date, no source, no note...) come last either way."""
    items = list(rows)
    filled = [r for r in items if any(v not in ("", ()) for v in _sort_value(r, key))]
    empty = [r for r in items if not any(v not in ("", ()) for v in _sort_value(r, key))]
    filled.sort(key=_tiebreak)
    filled.sort(key=lambda r: _sort_value(r, key), reverse=reverse)
    empty.sort(key=_tiebreak)
    return filled + empty


def canonical_order(rows: Iterable[ReviewRow]) -> list[ReviewRow]:
    """A stable order independent of how the rows were found (exports use it)."""
    return sorted(rows, key=_tiebreak)


def tag_counts(rows: Iterable[ReviewRow]) -> dict[str, int]:
    """Passages per tag, most frequent first (ties by name)."""
    counts: Counter[str] = Counter()
    for r in rows:
        counts.update(set(r.tags) or {UNTAGGED})
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0]))))


# -- overview -----------------------------------------------------------------------------------
Granularity = Literal["month", "week"]


@dataclass(frozen=True, slots=True)
class Overview:
    total: int  # passages
    articles: int  # articles with at least one passage
    per_tag: dict[str, int]  # most frequent first
    per_source: dict[str, int]  # most frequent first
    per_tag_source: dict[tuple[str, str], int]  # (tag, source) -> passages
    granularity: Granularity
    timeline: list[tuple[str, int]]  # (period label, passages), oldest first, gaps filled
    tag_timeline: dict[str, list[int]] = field(default_factory=dict)  # aligned with timeline
    undated: int = 0  # passages of articles without a date
    orphaned: int = 0

    @property
    def tags(self) -> list[str]:
        return list(self.per_tag)

    @property
    def sources(self) -> list[str]:
        return list(self.per_source)


def _parse_date(s: str) -> date | None:
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        pass
    try:  # "YYYY-MM": the first of the month
        return date.fromisoformat(s[:7] + "-01") if len(s) >= 7 else None
    except ValueError:
        return None


def _month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _periods(first: date, last: date, granularity: Granularity) -> list[str]:
    out: list[str] = []
    if granularity == "week":
        d = first - timedelta(days=first.weekday())
        while d <= last:
            out.append(_week(d))
            d += timedelta(days=7)
        return out
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def overview(rows: Sequence[ReviewRow], granularity: Granularity | None = None,
             max_periods: int = 240, only_tags: Iterable[str] | None = None) -> Overview:
    """Counts for the overview. A passage with several tags counts once per tag in the
    per-tag figures and once in the totals. ``granularity`` defaults to weeks when the dated
    passages span at most about four months, months otherwise. Periods without passages
    between the first and last are included (as 0) so charts show gaps, up to
    ``max_periods`` (the most recent are kept). ``only_tags`` (the tags the rows were
    filtered by): the per-tag figures count those tags only."""
    wanted = None if only_tags is None else {fold(t) for t in only_tags} or None
    per_tag: Counter[str] = Counter()
    per_source: Counter[str] = Counter()
    per_pair: Counter[tuple[str, str]] = Counter()
    dated: list[tuple[date, ReviewRow]] = []
    undated = orphaned = 0
    for r in rows:
        tags = sorted(set(r.tags))
        if wanted is not None:
            tags = [t for t in tags if fold(t) in wanted] or tags
        tags = tags or [UNTAGGED]
        source = r.source or NO_SOURCE
        per_tag.update(tags)
        per_source[source] += 1
        per_pair.update((t, source) for t in tags)
        d = _parse_date(r.date) if r.date else None
        if d is None:
            undated += 1
        else:
            dated.append((d, r))
        orphaned += r.orphaned
    if granularity is None:
        span = (max(d for d, _ in dated) - min(d for d, _ in dated)).days if dated else 0
        granularity = "week" if span <= 120 else "month"
    label: Callable[[date], str] = _week if granularity == "week" else _month
    timeline: list[tuple[str, int]] = []
    tag_timeline: dict[str, list[int]] = {}
    if dated:
        periods = _periods(min(d for d, _ in dated), max(d for d, _ in dated), granularity)
        periods = periods[-max_periods:]
        pos = {p: i for i, p in enumerate(periods)}
        counts = [0] * len(periods)
        for t in per_tag:
            tag_timeline[t] = [0] * len(periods)
        for d, r in dated:
            i = pos.get(label(d))
            if i is None:
                continue
            counts[i] += 1
            for t in set(r.tags) or {UNTAGGED}:
                if t in tag_timeline:  # a tag left out by only_tags is not charted
                    tag_timeline[t][i] += 1
        timeline = list(zip(periods, counts, strict=True))

    def ranked(c: Counter[str]) -> dict[str, int]:
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], fold(kv[0]))))

    return Overview(
        total=len(rows),
        articles=len({r.article_id for r in rows}),
        per_tag=ranked(per_tag),
        per_source=ranked(per_source),
        per_tag_source=dict(sorted(per_pair.items(),
                                   key=lambda kv: (fold(kv[0][0]), fold(kv[0][1])))),
        granularity=granularity,
        timeline=timeline,
        tag_timeline=tag_timeline,
        undated=undated,
        orphaned=orphaned,
    )


# -- plain-text charts --------------------------------------------------------------------------
_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"
_SPARK = "▁▂▃▄▅▆▇█"


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of ``width`` cells for ``value`` out of ``maximum``, in eighths of a
    cell; padded with spaces to exactly ``width``. A non-zero value shows at least a sliver."""
    if width <= 0:
        return ""
    if maximum <= 0 or value <= 0:
        return " " * width
    eighths = round(min(value, maximum) / maximum * width * 8)
    eighths = max(eighths, 1)
    full, part = divmod(eighths, 8)
    out = _FULL * full + (_EIGHTHS[part] if part else "")
    return out.ljust(width)


def sparkline(values: Sequence[int]) -> str:
    """One character per value (``▁`` to ``█``), blank for zero."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(" " if v <= 0 else _SPARK[min(7, (v * 8 - 1) // top)] for v in values)


def bar_chart(items: Iterable[tuple[str, int]], width: int = 60, label_width: int = 24
              ) -> list[str]:
    """Lines "label  ████▌     12" for a plain-text chart (CLI, or a Static in the TUI)."""
    pairs = list(items)
    if not pairs:
        return []
    top = max(v for _, v in pairs)
    digits = len(str(top))
    bar_width = max(1, width - label_width - digits - 2)
    lines = []
    for name, value in pairs:
        shown = name if len(name) <= label_width else name[:label_width - 1] + "…"
        lines.append(f"{shown:<{label_width}} {bar(value, top, bar_width)} {value:>{digits}}")
    return lines
