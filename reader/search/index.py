"""The search index's public face: :class:`SearchIndex` (update, search, hits) and what it
returns. The work is done by the modules beside it: :mod:`~reader.search.update` writes the
index, :mod:`~reader.search.searcher` reads it, :mod:`~reader.search.compiler` turns a
parsed query into Whoosh's, :mod:`~reader.search.hits` makes the snippets.

The index is a cache of ``articles/`` and ``annotations/``: it can always be rebuilt.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from reader.annotations.memos import MemoStore
from reader.config import Config
from reader.library.articles import Library
from reader.models import Annotation, Article
from reader.search import hits as hitsmod
from reader.search import memo_filter, sources, stamps, stemcache
from reader.search.analysis import folded_words
from reader.search.compiler import Plan, plan
from reader.search.hits import SearchResult, Snippet
from reader.search.manifest import Manifest, latest_generation
from reader.search.query import Node, Phrase, QueryError, parse
from reader.search.schema import signature
from reader.search.searcher import Found, IndexDamaged, IndexMissing, Searcher
from reader.search.tiers import Ceiling
from reader.search.update import IndexBusy, Progress, Updater, UpdateReport

__all__ = ["IndexBusy", "QueryError", "SearchIndex", "SearchResult", "Snippet", "UpdateReport"]

RESULT_CACHE = 64  # queries whose results are kept while the index stays the same
QUICK_MIN_ARTICLES = 20_000  # below this a full walk is quick enough: update(quick) walks


class SearchIndex:
    """One per app or CLI run. Thread-safe: searches and updates are serialised by a lock,
    and the searcher (never shared between threads at once) is refreshed after commits."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.library = Library(config)
        self._lock = threading.RLock()  # searching (held briefly by an update, to swap)
        self._write_lock = threading.RLock()  # writing; taken before _lock, never after
        self._manifest = Manifest(config.index_dir)
        self._updater = Updater(config, self.library, self._manifest)
        self._searcher = Searcher(config.index_dir)
        self._texts = sources.ArticleTexts(self.library)
        self._notice = ""  # what a search had to repair, for take_notice()
        self._unanswerable: set[str] = set()  # queries that failed on a new index
        self.memos = MemoStore(config.annotations_dir)  # for memo: terms
        # the last searches' results, for the index generation they were found in: typing
        # a query searches again for what was just there (a backspace, a word retyped)
        self.result_cache = True
        self._results: OrderedDict[tuple[int, str, int], list[SearchResult]] = OrderedDict()
        # scoring the best articles of frequent words first (their tiers); off, every match
        # is scored: the exhaustive ranking the tiers are checked against (tests, bench)
        self.use_tiers = True
        self.answered_by_tier = False  # whether the last search was answered by a tier

    @property
    def dir(self) -> Path:
        return self.config.index_dir

    # -- keeping it up to date -------------------------------------------------------------
    def update(self, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None,
               rebuild: bool = False, paths: Iterable[str] | None = None,
               quick: bool = False) -> UpdateReport:
        """Bring the index up to date with the library (incremental unless ``rebuild``).
        Searches go on meanwhile, on the index as it was.

        ``paths``: article files (paths under ``articles/``) the caller knows were added,
        changed or removed, say from its own scan: only they are looked at, without walking
        the library. The full walk is still made when the index has to be rebuilt or its
        manifest cannot be trusted.

        ``quick``: when no folder of the library changed since the last full walk (nothing
        was added, removed or renamed: :mod:`reader.search.stamps`) and the library holds
        :data:`QUICK_MIN_ARTICLES` or more, return at once, the report saying ``quick``; an
        article edited in place is only seen by a full update, which the caller is to run
        next."""
        t0 = time.perf_counter()
        report = UpdateReport()
        with self._write_lock:
            if quick and not rebuild and paths is None and self._quick_check(report):
                report.seconds = time.perf_counter() - t0
                return report
            with self._updater.lock() as stale:
                taken = None
                if paths is None:  # before the walk: a change made meanwhile shows next time
                    taken = stamps.take(self.config.articles_dir, self.config.annotations_dir)
                ix = self._updater.run(report, progress, cancelled, rebuild,
                                       None if paths is None else list(paths))
                if taken is not None and not report.cancelled:
                    stamps.write(self.dir, taken, ix.latest_generation(), signature(),
                                 report.total)
                if stale and not report.notice:
                    report.notice = stale
            with self._lock:
                self._searcher.use(ix)
                self._results.clear()
        report.seconds = time.perf_counter() - t0
        return report

    def _quick_check(self, report: UpdateReport) -> bool:
        """Whether the stamps of the last full walk vouch for the index as it is."""
        found = stamps.read(self.dir)
        if (found is None or found.get("signature") != signature()
                or found.get("generation") != latest_generation(self.dir)
                or self._manifest.marked_broken() or not stamps.unchanged(found)):
            return False
        report.total = int(found.get("total", 0))
        if report.total < QUICK_MIN_ARTICLES:
            return False
        report.quick = True
        report.checked = float(found.get("taken", 0.0))
        return True

    def update_annotations(self, article_id: str) -> None:
        """Re-index the tags and notes of one article after its annotations changed (only
        that article: no scan of the library)."""
        with self._write_lock, self._lock:
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
    def _parsed(self, query: str) -> tuple[Node | None, str]:
        """The query's tree (memo: terms resolved) and the key its results are kept by."""
        node = parse(query)
        if node is not None and memo_filter.has_memo_terms(node):  # memos change without
            node = memo_filter.resolve(node, lambda: memo_filter.article_memos(self.memos))
            query = f"{query}\0{node!r}"  # the index: in the key
        stemcache.load(self.config)  # no Sastrawi to load for a word the library holds
        return node, query

    def ids(self, query: str, limit: int = 20) -> list[str]:
        """The ids of the best ``limit`` matches, ranked, without snippets: for acting on
        every hit (tagging them, keeping review to them). Raises :class:`QueryError`."""
        node, _key = self._parsed(query)
        if node is None:
            return []
        how = plan(node)
        with self._lock:
            return [article_id for article_id, _meta, _score in self._find(how, limit)]

    def search(self, query: str, limit: int = 20,
               cancelled: Callable[[], bool] | None = None) -> list[SearchResult]:
        """Ranked results. Raises :class:`QueryError` for a malformed query. ``cancelled``
        is asked once the matches are known: when it says so, the snippets are not made and
        no result is returned (a search typed past)."""
        node, query = self._parsed(query)
        if node is None:
            return []
        how = plan(node)
        with self._lock:
            key = (self._searcher.version, query if self.use_tiers else f"{query}\0all", limit)
            kept = self._results.get(key) if self.result_cache else None
            if kept is not None:
                self._results.move_to_end(key)
                return list(kept)
            found = self._find(how, limit)
            key = (self._searcher.version, key[1], limit)  # (a search may have reopened it)
        if cancelled is not None and cancelled():
            return []
        finder = hitsmod.HitFinder(node)
        results = [hitsmod.result(article_id, meta, score, self._text(article_id), node,
                                  finder, self._annotations_of(article_id))
                   for article_id, meta, score in found]
        if self.result_cache:
            with self._lock:
                if key[0] == self._searcher.version:
                    self._results[key] = results
                    while len(self._results) > RESULT_CACHE:
                        self._results.popitem(last=False)
        return list(results)

    def _find(self, how: Plan, limit: int) -> list[Found]:
        """The best ``limit`` matches: from the tiers of the query's frequent words when they
        fill the page, else from the whole query; phrases confirmed on the text."""
        for tier in how.tiers if self.use_tiers else ():
            if self._estimate(tier.candidates) < limit * how.spread:
                continue  # too few candidates to fill the page: the next tier is tried
            found = self._run(how.full, limit, tier.candidates)
            if len(found) >= limit and found[-1][2] >= self._ceiling(tier.ceiling):
                self.answered_by_tier = True  # no article outside it could rank higher
                return found
        self.answered_by_tier = False
        if not how.confirm:
            return self._run(how.full, limit)
        finders = [hitsmod.HitFinder(Phrase(words)) for words in how.confirm]
        fetch = 2 * limit + 10
        while True:
            found = self._run(how.full, fetch)
            kept = [f for f in found if self._holds(f, how.confirm, finders)]
            if len(kept) >= limit or len(found) < fetch:
                return kept[:limit]
            fetch *= 4

    def _holds(self, found: Found, phrases: tuple[tuple[str, ...], ...],
               finders: list[hitsmod.HitFinder]) -> bool:
        """Whether the article holds every phrase, in its title or its text (the index's
        pairs only say it holds their words)."""
        article_id, meta, _score = found
        text = self._text(article_id)
        title = f" {' '.join(folded_words(meta[0]))} "
        for words, finder in zip(phrases, finders, strict=True):
            if f" {' '.join(words)} " in title:
                continue
            if text is None or not finder.spans(hitsmod.bounded(text), meta[3]):
                return False
        return True

    def warm(self) -> None:
        """Have the searcher read ahead what a search of the articles' words needs first, so
        the first search after an update is as quick as the next (a reader calls this after
        each update, in the background). A damaged index is left for a search to repair."""
        with self._lock:
            try:
                self._searcher.warm(("words", "title"))
            except IndexDamaged:
                pass

    def articles_with_terms(self, stems: Mapping[str, Iterable[str]]) -> set[str]:
        """Ids of the articles holding any of the stemmed terms given for their language:
        ``{"id": ["sanksi", ...], "en": ["sanction", ...]}`` (stems as
        :func:`reader.search.analysis.stem` makes them; "" for articles of no known
        language). A look-up of those terms' posting lists, not a scan of the library."""
        with self._lock:
            return self._searcher.articles_with_terms(
                {lang: list(found) for lang, found in stems.items()})

    def _ceiling(self, ceiling: Ceiling) -> float:
        """The most an article outside a tier can score (infinite when it cannot be had)."""
        try:
            return self._searcher.ceiling(ceiling)
        except IndexDamaged:
            return float("inf")

    def _estimate(self, q: Any) -> int:
        """An upper bound of the articles ``q`` matches (its terms' document counts), or a
        number large enough to try it when it cannot be had."""
        try:
            return self._searcher.estimate(q)
        except IndexDamaged:
            return 1 << 30

    def _annotations_of(self, article_id: str) -> Callable[[], list[Annotation]]:
        return lambda: sources.annotations_of(self.config, article_id)

    def _run(self, q: Any, limit: int, among: Any = None) -> list[Found]:
        """The search (``among`` the articles that query matches, when given), on an index
        found damaged or missing: reopened (another process may have replaced it), else
        repaired by an update (which rebuilds what it cannot read, saying so in
        :meth:`take_notice`), else rebuilt."""
        def run() -> list[Found]:
            if among is None:
                return self._searcher.run(q, limit)
            return self._searcher.run_candidates(among, q, limit)

        try:
            return run()
        except IndexDamaged:
            pass
        try:
            return run()  # reopened at the latest generation
        except IndexMissing:  # never built, or deleted while in use
            notice = "the search index was missing; rebuilt" if self._searcher.opened else ""
        except IndexDamaged:
            notice = "the search index could not be read; rebuilt"
            self._manifest.mark_broken()
        if repr(q) in self._unanswerable:
            raise QueryError("this query cannot be answered (it fails in the search engine)")
        if not self._write_lock.acquire(blocking=False):  # an update is under way: not now
            self._notice = "the search index is being brought up to date; search again soon"
            return []
        try:
            return self._repair(run, q, notice)
        finally:
            self._write_lock.release()

    def _repair(self, run: Callable[[], list[Found]], q: Any, notice: str) -> list[Found]:
        for rebuild in (False, True):
            try:
                report = self.update(rebuild=rebuild)
            except (IndexBusy, OSError) as exc:
                self._notice = f"the search index cannot be repaired now: {exc}"
                return []
            self._notice = report.notice or notice
            try:
                return run()
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
        with self._write_lock, self._lock:
            self._searcher.close()
