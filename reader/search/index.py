"""The search index's public face: :class:`SearchIndex` and what it returns."""

from reader.search.update import (
    IndexBusy,
    QueryError,
    SearchIndex,
    SearchResult,
    Snippet,
    UpdateReport,
    article_text,
)

__all__ = ["IndexBusy", "QueryError", "SearchIndex", "SearchResult", "Snippet", "UpdateReport",
           "article_text"]
