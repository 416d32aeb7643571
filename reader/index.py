"""The full-text search index (Whoosh). The only module that imports Whoosh.

The index is a cache of ``articles/`` and ``annotations/``: it can always be rebuilt.

(Skeleton: interface fixed, implementation to come.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reader.config import Config
from reader.models import Article

Progress = Callable[[int, int], None]  # (done, total)


class QueryError(ValueError):
    """A query the user must fix; ``str(exc)`` is a short message for them."""


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str  # the keyword-in-context excerpt, on one line
    highlights: tuple[tuple[int, int], ...]  # spans in ``text`` to emphasise
    start: int  # offset in the article text where ``text`` begins


@dataclass(frozen=True, slots=True)
class SearchResult:
    id: str
    title: str
    source: str
    date: str
    score: float
    hits: int  # number of matching terms in the body
    snippets: tuple[Snippet, ...]
    first_hit: int = 0  # offset in the article text of the first hit


@dataclass(slots=True)
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebuilt: bool = False
    notice: str = ""  # e.g. "index was corrupt; rebuilt"
    seconds: float = 0.0


class SearchIndex:
    def __init__(self, config: Config) -> None:
        self.config = config

    def update(self, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None,
               rebuild: bool = False) -> UpdateReport:
        """Bring the index up to date with the library (incremental unless ``rebuild``)."""
        raise NotImplementedError

    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Ranked results. Raises :class:`QueryError` for a malformed query."""
        raise NotImplementedError

    def hit_spans(self, query: str, article: Article) -> list[tuple[int, int]]:
        """Every hit of ``query`` in ``article.text`` as (start, end), in text order."""
        raise NotImplementedError

    def update_annotations(self, article_id: str) -> None:
        """Re-index the tags and notes of one article after its annotations changed."""
        raise NotImplementedError
