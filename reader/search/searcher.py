"""Searching the index: the open Whoosh index and its searcher, refreshed when another
process committed, and a search run on it. A searcher is never shared between threads at
once: the caller serialises.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.scoring import BM25F

from reader.search import whoosh_fixes  # noqa: F401 - Whoosh as this package runs it
from reader.search.manifest import Manifest
from reader.search.schema import INDEX_NAME

Found = tuple[str, tuple[str, str, str, str, str], float]  # id, stored meta, score
REFRESH_SECONDS = 1.0  # how often a searcher checks for another process's commit


class Searcher:
    def __init__(self, folder: Path, manifest: Manifest) -> None:
        self.folder = folder
        self.manifest = manifest
        self.ix: Any = None
        self._searcher: Any = None
        self._checked_at = 0.0

    def use(self, ix: Any) -> None:
        """Search ``ix`` from now on (just written by an update)."""
        self.close()
        self.ix = ix

    def detach(self) -> Any:
        """The open index (None when there is none), no longer searched here: the caller
        writes to it, then hands it back with :meth:`use`."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        ix, self.ix = self.ix, None
        return ix

    def _get(self) -> Any:
        if self.ix is None:
            try:
                if not windex.exists_in(str(self.folder), indexname=INDEX_NAME):
                    return None
                self.ix = windex.open_dir(str(self.folder), indexname=INDEX_NAME)
            except Exception:  # noqa: BLE001 - unreadable: the next update rebuilds it
                return None
        if self._searcher is None:
            try:
                self._searcher = self.ix.searcher(weighting=BM25F())
            except Exception:  # noqa: BLE001 - unreadable: have the next update rebuild it
                self.manifest.mark_broken()
                self.ix = None
                return None
            self._checked_at = time.monotonic()
        elif time.monotonic() - self._checked_at > REFRESH_SECONDS:
            self._checked_at = time.monotonic()
            if not self._searcher.up_to_date():  # another process committed
                self._searcher = self._searcher.refresh()
        return self._searcher

    def run(self, q: Any, limit: int) -> list[Found]:
        """(id, stored meta, score) of the best ``limit`` matches of the Whoosh query ``q``."""
        searcher = self._get()
        if searcher is None:
            return []
        try:
            hits = searcher.search(q, limit=limit)
            return [(h["id"], h["meta"], float(h.score or 0.0)) for h in hits]
        except Exception:  # noqa: BLE001 - a damaged cache: the next update rebuilds it
            self.manifest.mark_broken()
            self.close()
            return []

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self.ix is not None:
            self.ix.close()
            self.ix = None
