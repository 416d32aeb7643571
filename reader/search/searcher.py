"""Searching the index: the open Whoosh index and its searcher, refreshed when another
process committed, and a search run on it. A searcher is never shared between threads at
once: the caller serialises.

Any failure to open or read the index (a file truncated, deleted or changed under it, a
pickle refused, a folder gone) raises :class:`IndexDamaged`: the caller reopens it, and
repairs it when reopening does not help. A segment file whose size changed since it was
opened is not read at all: a mapped file read past its new end would kill the process.
"""

from __future__ import annotations

import heapq
import os
import time
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.scoring import BM25F

from reader.search import (
    scoring,
    terms,
    whoosh_fixes,  # noqa: F401 - Whoosh as this package runs it
)
from reader.search.query import QueryError
from reader.search.schema import INDEX_NAME
from reader.search.terms import EXACT
from reader.search.tiers import Ceiling

Meta = tuple[str, str, str, str, str]  # title, source, date, language, path
Found = tuple[str, Meta, float]  # id, stored meta, score
REFRESH_SECONDS = 1.0  # how often a searcher checks for another process's commit
MAX_EXPANSIONS = 300  # words a prefix may stand for: each is a posting list to read
WORD_FIELDS = frozenset({"words", "title", "notes", "source", "place"})


class IndexDamaged(RuntimeError):
    """The index could not be opened or read as it is."""


class IndexMissing(IndexDamaged):
    """There is no index in the folder."""


class Searcher:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ix: Any = None
        self._searcher: Any = None
        self._checked_at = 0.0
        self._files: dict[str, int] = {}  # segment file -> size, as opened
        self.opened = False  # an index was opened here once
        self._version = 0  # changes whenever what is searched may have changed
        self._ids: tuple[int, dict[int, str]] = (-1, {})  # (version, docnum -> article id)
        # score a term at a time over arrays (reader.search.scoring); off: Whoosh's matchers
        self.term_at_a_time = True

    @property
    def version(self) -> int:
        """Changes whenever the index searched changes (reopened, refreshed, written)."""
        try:
            self._get()
        except IndexDamaged:
            pass
        return self._version

    def use(self, ix: Any) -> None:
        """Search ``ix`` from now on (just written by an update)."""
        self.close()
        self.ix = ix
        self.opened = True
        self._version += 1

    def detach(self) -> Any:
        """The open index (None when there is none), no longer searched here: the caller
        writes to it, then hands it back with :meth:`use`."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        ix, self.ix = self.ix, None
        return ix

    def _segment_sizes(self) -> dict[str, int]:
        out = {}
        for seg in self.ix._segments():
            name = seg.make_filename(".seg")
            out[name] = os.stat(self.folder / name).st_size
        return out

    def _unchanged(self) -> bool:
        """Whether every segment file opened is still there with its size."""
        for name, size in self._files.items():
            try:
                if os.stat(self.folder / name).st_size != size:
                    return False
            except OSError:
                return False
        return True

    def _get(self) -> Any:
        try:
            if self.ix is None:
                if not windex.exists_in(str(self.folder), indexname=INDEX_NAME):
                    raise IndexMissing(f"no search index in {self.folder}")
                self.ix = whoosh_fixes.open_index(str(self.folder), INDEX_NAME)
                self.opened = True
            if self._searcher is not None and not self._unchanged():
                self.close()  # changed under us: open what is there now
                return self._get()
            if self._searcher is None:
                self._files = self._segment_sizes()
                self._searcher = self.ix.searcher(weighting=BM25F())
                self._checked_at = time.monotonic()
                self._version += 1
            elif time.monotonic() - self._checked_at > REFRESH_SECONDS:
                self._checked_at = time.monotonic()
                if not self._searcher.up_to_date():  # another process committed
                    self._searcher = self._searcher.refresh()
                    self._files = self._segment_sizes()
                    self._version += 1
        except IndexDamaged:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001 - any failure to read a cache: damaged
            self.close()
            raise IndexDamaged(f"the search index cannot be read: {exc!r:.200}") from exc
        return self._searcher

    def run(self, q: Any, limit: int) -> list[Found]:
        """(id, stored meta, score) of the best ``limit`` matches of the Whoosh query ``q``.
        Raises :class:`IndexDamaged` (the searcher is then closed)."""
        return self.run_candidates(None, q, limit)

    def run_candidates(self, candidates: Any, q: Any, limit: int) -> list[Found]:
        """As :meth:`run`, among the articles ``candidates`` matches only (None: all), a
        short list (the tiers of frequent words): ``q`` is scored on those articles alone,
        so its long posting lists are skipped through rather than read whole.

        Every match is scored: Whoosh's own top-N collector drops sub-queries whose
        estimated best score is below the N-th best so far, and its estimate is not a bound
        (on a two-segment index of 300 articles, ``presiden OR minister`` lost its 4th best
        article from the top 30); so it is not used."""
        searcher = self._get()
        try:
            _check_breadth(q, searcher.reader())
            best: list[tuple[float, int]] = []  # (score, -docnum): a min-heap of the best
            for sub, offset in searcher.leaf_searchers():
                segment = scoring.Segment(searcher, sub)
                among = None if candidates is None else segment.docs(candidates)
                if among is not None and not among:
                    continue
                scores = (segment.scores(q, among) if self.term_at_a_time
                          else segment.whoosh_scores(q, among))
                for item in heapq.nlargest(limit, [(s, -(offset + d))
                                                   for d, s in scores.items()]):
                    _keep(best, limit, item[0], -item[1])
            found: list[Found] = []
            for score, neg in sorted(best, reverse=True):
                fields = searcher.stored_fields(-neg)
                found.append(_found(fields.get("id"), fields.get("meta"), score))
            return found
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged cache
            self.close()
            raise IndexDamaged(f"the search index cannot be read: {exc!r:.200}") from exc

    def warm(self, fields: tuple[str, ...]) -> None:
        """Read what every search of these fields needs first (their documents' lengths,
        segment by segment), so the first search after a change costs what the next ones do.
        Raises :class:`IndexDamaged`."""
        searcher = self._get()
        try:
            for sub, _offset in searcher.leaf_searchers():
                segment = scoring.Segment(searcher, sub)
                for field in fields:
                    segment.norms(field)
        except Exception as exc:  # noqa: BLE001 - a damaged cache
            self.close()
            raise IndexDamaged(f"the search index cannot be read: {exc!r:.200}") from exc

    def estimate(self, q: Any) -> int:
        """Whoosh's estimate of the articles ``q`` matches (for an OR of terms, the sum of
        their document counts: an upper bound)."""
        searcher = self._get()
        try:
            return int(q.estimate_size(searcher.reader()))
        except Exception as exc:  # noqa: BLE001 - a damaged cache
            self.close()
            raise IndexDamaged(f"the search index cannot be read: {exc!r:.200}") from exc

    def ceiling(self, ceiling: Ceiling) -> float:
        """The value of a tier's ceiling on this index (:mod:`reader.search.tiers`)."""
        searcher = self._get()
        try:
            average = searcher.avg_field_length("words") or terms.NOMINAL_LENGTH
            return ceiling.value(lambda f, t: float(searcher.idf(f, t)), float(average))
        except Exception as exc:  # noqa: BLE001 - a damaged cache
            self.close()
            raise IndexDamaged(f"the search index cannot be read: {exc!r:.200}") from exc

    def articles_with_terms(self, stems: dict[str, list[str]]) -> set[str]:
        """Ids of the articles of each language (a key of ``stems``; "" for none known)
        holding any of its stemmed terms."""
        searcher = self._get()
        parts = [wq.And([wq.Term("lang", lang or "unknown"),
                         wq.Or([wq.Term("words", t) for t in found])])
                 for lang, found in stems.items() if found]
        if not parts:
            return set()
        try:
            if self._ids[0] != self._version:  # document numbers change with the index
                self._ids = (self._version, {})
            known = self._ids[1]
            out = set()
            for sub, offset in searcher.leaf_searchers():
                for d in scoring.Segment(searcher, sub).docs(wq.Or(parts)):
                    docnum = offset + d
                    article_id = known.get(docnum)
                    if article_id is None:
                        found = searcher.stored_fields(docnum).get("id")
                        if not isinstance(found, str):
                            continue
                        article_id = known[docnum] = found
                    out.add(article_id)
            return out
        except Exception as exc:  # noqa: BLE001 - a damaged cache
            self.close()
            raise IndexDamaged(f"the search index cannot be read: {exc!r:.200}") from exc

    def close(self) -> None:
        searcher, ix = self._searcher, self.ix
        self._searcher = self.ix = None
        self._files = {}
        self._version += 1
        for thing in (searcher, ix):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 - closing a damaged index may fail too
                    pass


def _keep(best: list[tuple[float, int]], limit: int, score: float, docnum: int) -> None:
    item = (score, -docnum)  # equal scores: the lower document number first, as Whoosh
    if len(best) < limit:
        heapq.heappush(best, item)
    elif item > best[0]:
        heapq.heapreplace(best, item)


def _found(article_id: Any, meta: Any, score: float) -> Found:
    if not (isinstance(article_id, str) and isinstance(meta, tuple)
            and len(meta) == 5 and all(isinstance(m, str) for m in meta)):
        raise ValueError(f"stored fields of an unexpected shape: {article_id!r}")
    return article_id, meta, score


def _check_breadth(q: Any, reader: Any) -> None:
    """Refuse a prefix that stands for too many words of the index to answer quickly (at 1k
    articles 'me*' is 1,659 words, 1 s; at 100k far more)."""
    for leaf in q.leaves():
        if isinstance(leaf, wq.Prefix) and leaf.field() in WORD_FIELDS:
            for n, _ in enumerate(reader.expand_prefix(leaf.field(), leaf.text), 1):
                if n > MAX_EXPANSIONS:
                    shown = leaf.text.lstrip(EXACT)
                    raise QueryError(f"'{shown}*' stands for more than {MAX_EXPANSIONS} "
                                     "different words in this library: add letters")
