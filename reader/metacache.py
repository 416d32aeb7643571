"""The metadata cache: one SQLite row of :class:`ArticleMeta` per article file, keyed by its
path under ``articles/`` with the size and mtime it had when read.

A cache only: when the file is missing, corrupt or written by another version it is rebuilt
without a word. SQLite makes every write atomic and lets several processes share the file
(a busy one is waited for, up to ``TIMEOUT`` seconds).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reader.models import ArticleMeta

VERSION = 4  # bump when the schema or the metadata derivation changes: the cache is rebuilt
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


def _meta(row: tuple[Any, ...]) -> ArticleMeta:
    (id_, path, title, source, place, date, language, authors, url, words, size, mtime,
     warnings) = row[:13]
    return ArticleMeta(
        str(id_), str(path), str(title), str(source), str(place), str(date), str(language),
        tuple(str(authors).split(_SEP)) if authors else (), str(url), int(words),
        int(size), float(mtime), tuple(str(warnings).split(_SEP)) if warnings else (),
    )


def _values(meta: ArticleMeta, mtime_ns: int) -> tuple[object, ...]:
    return (mtime_ns, meta.id, meta.path, meta.title, meta.source, meta.place, meta.date,
            meta.language, _SEP.join(meta.authors), meta.url, meta.words, meta.size,
            meta.mtime, _SEP.join(meta.warnings))


class MetaCache:
    def __init__(self, path: Path) -> None:
        self.path = path

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
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass

    # ------------------------------------------------------------------ reading and writing

    def load(self) -> list[ArticleMeta] | None:
        """Every cached entry sorted by path, or None when there is no usable cache."""
        try:
            db = self._open_existing()
            if db is None:
                return None
            try:
                return [_meta(r) for r in db.execute(_SELECT + " ORDER BY path")]
            finally:
                db.close()
        except (sqlite3.Error, ValueError, TypeError):
            return None

    @staticmethod
    def rows(db: sqlite3.Connection) -> dict[str, Row]:
        """path -> (metadata, mtime_ns) of every cached entry."""
        out: dict[str, Row] = {}
        for r in db.execute(_SELECT):
            try:
                out[str(r[1])] = (_meta(r), int(r[13]))
            except (ValueError, TypeError):
                continue  # a damaged row: the file is read again
        return out

    @staticmethod
    def store(db: sqlite3.Connection, rows: Iterable[Row]) -> None:
        db.executemany(_INSERT, (_values(m, ns) for m, ns in rows))
        db.commit()

    @staticmethod
    def delete(db: sqlite3.Connection, paths: Iterable[str]) -> None:
        db.executemany("DELETE FROM meta WHERE path = ?", ((p,) for p in paths))
        db.commit()
