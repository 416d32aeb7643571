"""Searching the index: the open Whoosh index and its searcher, refreshed when another
process committed, and a search run on it. A searcher is never shared between threads at
once: the caller serialises.

Any failure to open or read the index (a file truncated, deleted or changed under it, a
pickle refused, a folder gone) raises :class:`IndexDamaged`: the caller reopens it, and
repairs it when reopening does not help. A segment file whose size changed since it was
opened is not read at all: a mapped file read past its new end would kill the process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.scoring import BM25F

from reader.search import whoosh_fixes  # noqa: F401 - Whoosh as this package runs it
from reader.search.query import QueryError
from reader.search.schema import INDEX_NAME

Meta = tuple[str, str, str, str, str]  # title, source, date, language, path
Found = tuple[str, Meta, float]  # id, stored meta, score
REFRESH_SECONDS = 1.0  # how often a searcher checks for another process's commit
MAX_EXPANSIONS = 300  # words a prefix may stand for: each is a posting list to read
WORD_FIELDS = frozenset({"exact", "title_exact", "notes_exact", "source", "place"})


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

    def use(self, ix: Any) -> None:
        """Search ``ix`` from now on (just written by an update)."""
        self.close()
        self.ix = ix
        self.opened = True

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
                self.ix = windex.open_dir(str(self.folder), indexname=INDEX_NAME)
                self.opened = True
            if self._searcher is not None and not self._unchanged():
                self.close()  # changed under us: open what is there now
                return self._get()
            if self._searcher is None:
                self._files = self._segment_sizes()
                self._searcher = self.ix.searcher(weighting=BM25F())
                self._checked_at = time.monotonic()
            elif time.monotonic() - self._checked_at > REFRESH_SECONDS:
                self._checked_at = time.monotonic()
                if not self._searcher.up_to_date():  # another process committed
                    self._searcher = self._searcher.refresh()
                    self._files = self._segment_sizes()
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
        searcher = self._get()
        try:
            _check_breadth(q, searcher.reader())
            found: list[Found] = []
            for hit in searcher.search(q, limit=limit):
                article_id, meta = hit["id"], hit["meta"]
                if not (isinstance(article_id, str) and isinstance(meta, tuple)
                        and len(meta) == 5 and all(isinstance(m, str) for m in meta)):
                    raise ValueError(f"stored fields of an unexpected shape: {article_id!r}")
                found.append((article_id, meta, float(hit.score or 0.0)))
            return found
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged cache
            self.close()
            raise IndexDamaged(f"the search index cannot be read: {exc!r:.200}") from exc

    def close(self) -> None:
        searcher, ix = self._searcher, self.ix
        self._searcher = self.ix = None
        self._files = {}
        for thing in (searcher, ix):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 - closing a damaged index may fail too
                    pass


def _check_breadth(q: Any, reader: Any) -> None:
    """Refuse a prefix that stands for too many words of the index to answer quickly (at 1k
    articles 'me*' is 1,659 words, 1 s; at 100k far more)."""
    for leaf in q.leaves():
        if isinstance(leaf, wq.Prefix) and leaf.field() in WORD_FIELDS:
            for n, _ in enumerate(reader.expand_prefix(leaf.field(), leaf.text), 1):
                if n > MAX_EXPANSIONS:
                    raise QueryError(f"'{leaf.text}*' stands for more than {MAX_EXPANSIONS} "
                                     "different words in this library: add letters")
