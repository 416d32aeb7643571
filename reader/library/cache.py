"""The metadata cache: one SQLite row of :class:`ArticleMeta` per article file, keyed by its
path under ``articles/`` with the size and mtime it had when read.

A cache only: when the file is missing, corrupt or written by another version it is rebuilt
without a word. SQLite makes every write atomic and lets several processes share the file
(a busy one is waited for, up to ``TIMEOUT`` seconds); a long first scan is saved as it goes.

Next to it, a *snapshot* (``metadata.snapshot``: every row in one ``marshal`` blob sealed
with this user's key by :mod:`reader.sealed`, replaced atomically after each scan) is what
the first screen reads: 100k rows load in about half the time SQLite takes to hand them over.
A snapshot this user's reader did not write is never unmarshalled. Any row in either store
is right for the file state (path, size, mtime) it names, so a stale snapshot only costs
re-reading.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reader import sealed
from reader.models import ArticleMeta

VERSION = 7  # bump when the schema or the metadata derivation changes: the cache is rebuilt
TIMEOUT = 10.0
_SEP = "\x1f"  # joins authors and warnings in one column
_COLUMNS = ("id", "path", "title", "source", "place", "date", "language", "authors", "url",
            "words", "size", "mtime", "warnings")  # ArticleMeta's fields, in order
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, "
    "id TEXT, title TEXT, source TEXT, place TEXT, date TEXT, language TEXT, authors TEXT, "
    "url TEXT, words INTEGER, size INTEGER, mtime REAL, warnings TEXT)"
)
_SELECT = f"SELECT {', '.join(_COLUMNS)}, mtime_ns FROM meta"
_INSERT = (f"INSERT OR REPLACE INTO meta (mtime_ns, {', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})")

Row = tuple[ArticleMeta, int]  # the metadata and the file's mtime in nanoseconds
SNAPSHOT_NAME = "metadata.snapshot"
_MAGIC = f"reader-metadata-{VERSION}.4\n".encode()  # .3: the snapshot's own layout, sealed;
# .4: the values many rows share (source, place, date, language) stored once
_SHARED = (3, 4, 5, 6, 7, 12)  # those columns, authors and warnings: one object per value


def _meta(r: tuple[Any, ...]) -> ArticleMeta:
    """A row (``_COLUMNS`` order) -> ArticleMeta. Hot: 100k of these make the first screen."""
    authors, warnings = r[7], r[12]
    return ArticleMeta(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                       tuple(authors.split(_SEP)) if authors else (), r[8], r[9], r[10], r[11],
                       tuple(warnings.split(_SEP)) if warnings else ())


def _values(meta: ArticleMeta, mtime_ns: int) -> tuple[object, ...]:
    return (mtime_ns, meta.id, meta.path, meta.title, meta.source, meta.place, meta.date,
            meta.language, _SEP.join(meta.authors), meta.url, meta.words, meta.size,
            meta.mtime, _SEP.join(meta.warnings))


def _shared(metas: list[ArticleMeta]) -> list[tuple[Any, ...]]:
    """The rows as tuples, equal values of the :data:`_SHARED` columns made one object:
    marshal writes an object met again as a reference, so the rows loaded back share them
    (100k rows of a few sources and dates: about 20 MB less)."""
    seen: dict[Any, Any] = {}
    out = []
    for meta in metas:
        row = list(meta)
        for i in _SHARED:
            row[i] = seen.setdefault(row[i], row[i])
        out.append(tuple(row))
    return out


class MetaCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.snapshot_stale = True  # set by rows(): the snapshot could not be used
        # the snapshot as last read or written, for the file state it had: a scan after the
        # first screen then compares with the very rows the list shows, instead of making a
        # second copy of 100k of them (memory)
        self._held: tuple[tuple[int, int, int], list[ArticleMeta], list[int]] | None = None

    # ------------------------------------------------------------------ opening

    def _open_existing(self) -> sqlite3.Connection | None:
        """The cache if it exists and is of this version, else None (nothing is changed)."""
        if not self.path.is_file():
            return None
        db = sqlite3.connect(self.path, timeout=TIMEOUT)
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == VERSION:
                return db
        except sqlite3.DatabaseError:
            pass
        db.close()
        return None

    def open(self) -> sqlite3.Connection:
        """The cache, created or rebuilt as needed."""
        db = self._open_existing()
        if db is not None:
            return db
        try:
            db = sqlite3.connect(self.path, timeout=TIMEOUT)
            db.execute("BEGIN IMMEDIATE")  # one process at a time sets the cache up
            version = db.execute("PRAGMA user_version").fetchone()[0]
            fresh = not db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            if version == VERSION:
                db.rollback()
                return db
            if fresh:
                db.execute(_SCHEMA)
                db.execute(f"PRAGMA user_version = {VERSION}")
                db.commit()
                return db
            db.rollback()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise  # another process holds it: not a reason to delete it
        except sqlite3.DatabaseError:
            pass  # not a database: rebuilt below
        if db is not None:
            db.close()
        self.reset()
        db = sqlite3.connect(self.path, timeout=TIMEOUT)
        db.execute(_SCHEMA)
        db.execute(f"PRAGMA user_version = {VERSION}")
        db.commit()
        return db

    def reset(self) -> None:
        """Remove the cache files (another version's or a corrupt one)."""
        paths = [f"{self.path}{suffix}" for suffix in ("", "-journal", "-wal", "-shm")]
        for path in [*paths, str(self.snapshot_path)]:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    # ------------------------------------------------------------------ the snapshot

    @property
    def snapshot_path(self) -> Path:
        return self.path.with_name(SNAPSHOT_NAME)

    def _snapshot_state(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.snapshot_path)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size, st.st_ino

    def _read_snapshot(self) -> tuple[list[ArticleMeta], list[int]] | None:
        """(the rows, mtime_ns of each), or None when there is no good one; the rows read
        last time while the file is as it was then."""
        state = self._snapshot_state()
        held = self._held
        if held is not None and state is not None and held[0] == state:
            return held[1], held[2]
        try:
            found = sealed.loads(_MAGIC, self.snapshot_path.read_bytes())
        except OSError:
            return None
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        fields, mtimes = found
        if not (isinstance(fields, list) and isinstance(mtimes, list)
                and len(fields) == len(mtimes)):
            return None
        metas = list(map(ArticleMeta._make, fields))
        self._held = (state, metas, mtimes) if state is not None else None
        return metas, mtimes

    def write_snapshot(self, rows: Iterable[Row]) -> None:
        """Replace the snapshot with ``rows`` (atomically: readers see the old or the new)."""
        metas: list[ArticleMeta] = []
        mtimes: list[int] = []
        for meta, ns in rows:
            metas.append(meta)
            mtimes.append(ns)
        data = sealed.dumps(_MAGIC, (_shared(metas), mtimes))
        self._held = None
        fd, tmp = tempfile.mkstemp(prefix=".snapshot-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.snapshot_path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return
        state = self._snapshot_state()
        self._held = (state, metas, mtimes) if state is not None else None

    # ------------------------------------------------------------------ reading and writing

    def load(self) -> list[ArticleMeta] | None:
        """Every cached entry sorted by path, or None when there is no usable cache."""
        try:
            snap = self._read_snapshot()
            if snap is not None:
                return list(snap[0])
            db = self._open_existing()
            if db is None:
                return None
            try:
                return [_meta(r) for r in db.execute(_SELECT + " ORDER BY path")]
            finally:
                db.close()
        except (sqlite3.Error, ValueError, TypeError, IndexError):
            return None

    def rows(self, db: sqlite3.Connection) -> dict[str, Row]:
        """path -> (metadata, mtime_ns) of every cached entry (from the snapshot when there is
        one, it is faster to read)."""
        out: dict[str, Row] = {}
        snap = self._read_snapshot()
        if snap is not None and db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] != len(
                snap[1]):
            snap = None  # the two disagree (a database deleted or rebuilt): trust the database
        self.snapshot_stale = snap is None  # missing, damaged or another version's: rewrite it
        if snap is not None:
            for meta, ns in zip(*snap, strict=True):
                out[meta.path] = (meta, ns)
            return out
        for r in db.execute(_SELECT):
            try:
                out[str(r[1])] = (_meta(r), int(r[13]))
            except (ValueError, TypeError, IndexError):
                continue  # a damaged row: the file is read again
        return out

    @staticmethod
    def store(db: sqlite3.Connection, rows: Iterable[Row]) -> None:
        db.executemany(_INSERT, (_values(m, ns) for m, ns in rows))
        db.commit()

    @staticmethod
    def paths(db: sqlite3.Connection) -> list[str]:
        return [str(r[0]) for r in db.execute("SELECT path FROM meta")]

    @staticmethod
    def delete(db: sqlite3.Connection, paths: Iterable[str]) -> None:
        db.executemany("DELETE FROM meta WHERE path = ?", ((p,) for p in paths))
        db.commit()
