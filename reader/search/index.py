"""The search index's public face: :class:`SearchIndex` (update, search, hits) and what it
returns. The work is done by the modules beside it: :mod:`~reader.search.update` writes the
index, :mod:`~reader.search.searcher` reads it, :mod:`~reader.search.compiler` turns a
parsed query into Whoosh's, :mod:`~reader.search.hits` makes the snippets.

The index is a cache of ``articles/`` and ``annotations/``: it can always be rebuilt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reader.annotations.memos import MemoStore
from reader.config import Config
from reader.library.articles import Library
from reader.models import Annotation, Article
from reader.search import hits as hitsmod
from reader.search import memo_filter, sources
from reader.search.compiler import compile_query
from reader.search.hits import SearchResult, Snippet
from reader.search.manifest import Manifest
from reader.search.query import QueryError, parse
from reader.search.searcher import Found, IndexDamaged, IndexMissing, Searcher
from reader.search.update import IndexBusy, Progress, Updater, UpdateReport

__all__ = ["IndexBusy", "QueryError", "SearchIndex", "SearchResult", "Snippet", "UpdateReport"]


class SearchIndex:
    """One per app or CLI run. Thread-safe: searches and updates are serialised by a lock,
    and the searcher (never shared between threads at once) is refreshed after commits."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.library = Library(config)
        self._lock = threading.RLock()
        self._manifest = Manifest(config.index_dir)
        self._updater = Updater(config, self.library, self._manifest)
        self._searcher = Searcher(config.index_dir)
        self._texts = sources.ArticleTexts(self.library)
        self._notice = ""  # what a search had to repair, for take_notice()
        self._unanswerable: set[str] = set()  # queries that failed on a new index
        self.memos = MemoStore(config.annotations_dir)  # for memo: terms

    @property
    def dir(self) -> Path:
        return self.config.index_dir

    # -- keeping it up to date -------------------------------------------------------------
    def update(self, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None,
               rebuild: bool = False, paths: Iterable[str] | None = None) -> UpdateReport:
        """Bring the index up to date with the library (incremental unless ``rebuild``).

        ``paths``: article files (paths under ``articles/``) the caller knows were added,
        changed or removed, say from its own scan: only they are looked at, without walking
        the library. The full walk is still made when the index has to be rebuilt or its
        manifest cannot be trusted."""
        t0 = time.perf_counter()
        report = UpdateReport()
        with self._lock:
            self._searcher.close()
            with self._updater.lock() as stale:
                ix = self._updater.run(report, progress, cancelled, rebuild,
                                       None if paths is None else list(paths))
                self._searcher.use(ix)
                if stale and not report.notice:
                    report.notice = stale
        report.seconds = time.perf_counter() - t0
        return report

    def update_annotations(self, article_id: str) -> None:
        """Re-index the tags and notes of one article after its annotations changed (only
        that article: no scan of the library)."""
        with self._lock:
            if self._searcher.ix is None or self._manifest.read() is None:
                self.update()
                return
            with self._updater.lock():
                ix = self._searcher.detach()
                if ix is None:
                    ix = self._updater.run(UpdateReport(), None, None, False)
                else:
                    try:
                        done = self._updater.update_annotations(ix, article_id)
                    except IndexBusy:
                        self._searcher.use(ix)
                        raise
                    except Exception:  # noqa: BLE001 - damaged: the full update repairs it
                        done = None
                    if done is None:
                        ix.close()
                        done = self._updater.run(UpdateReport(), None, None, False)
                    ix = done
                self._searcher.use(ix)

    # -- searching -------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Ranked results. Raises :class:`QueryError` for a malformed query."""
        node = parse(query)
        if node is None:
            return []
        node = memo_filter.resolve(node, lambda: memo_filter.article_memos(self.memos))
        q = compile_query(node)
        with self._lock:
            found = self._run(q, limit)
        finder = hitsmod.HitFinder(node)
        return [hitsmod.result(article_id, meta, score, self._text(article_id), node, finder,
                               self._annotations_of(article_id))
                for article_id, meta, score in found]

    def _annotations_of(self, article_id: str) -> Callable[[], list[Annotation]]:
        return lambda: sources.annotations_of(self.config, article_id)

    def _run(self, q: Any, limit: int) -> list[Found]:
        """The search, on an index found damaged or missing: reopened (another process may
        have replaced it), else repaired by an update (which rebuilds what it cannot read,
        saying so in :meth:`take_notice`), else rebuilt."""
        try:
            return self._searcher.run(q, limit)
        except IndexDamaged:
            pass
        try:
            return self._searcher.run(q, limit)  # reopened at the latest generation
        except IndexMissing:  # never built, or deleted while in use
            notice = "the search index was missing; rebuilt" if self._searcher.opened else ""
        except IndexDamaged:
            notice = "the search index could not be read; rebuilt"
            self._manifest.mark_broken()
        if repr(q) in self._unanswerable:
            raise QueryError("this query cannot be answered (it fails in the search engine)")
        for rebuild in (False, True):
            try:
                report = self.update(rebuild=rebuild)
            except (IndexBusy, OSError) as exc:
                self._notice = f"the search index cannot be repaired now: {exc}"
                return []
            self._notice = report.notice or notice
            try:
                return self._searcher.run(q, limit)
            except IndexDamaged:
                self._manifest.mark_broken()
        # a new index fails too: the query, not the index (never rebuilt for it again)
        self._unanswerable.add(repr(q))
        raise QueryError("this query cannot be answered (it fails in the search engine)")

    def take_notice(self) -> str:
        """What the last searches had to repair (the index was damaged, missing, rebuilt),
        once; "" when nothing."""
        with self._lock:
            notice, self._notice = self._notice, ""
        return notice

    def _text(self, article_id: str) -> str | None:
        """The article's text, from the library (None when it is gone)."""
        return self._texts.get(article_id)

    def hit_spans(self, query: str, article: Article) -> list[tuple[int, int]]:
        """Every hit of ``query`` in ``article.text`` as (start, end), in text order; hits in
        boilerplate lines ('Baca Juga: ...') are left out, as the index leaves those lines out."""
        return hitsmod.hit_spans(query, article)

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
