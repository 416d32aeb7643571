"""The article library: scan ``articles/``, derive metadata, load articles.

Metadata is kept in a cache (SQLite in the library's ``.reader/`` folder) so a large library
lists at once: :meth:`Library.cached` returns it without touching the articles, and
:meth:`Library.scan` re-reads only files whose size or mtime changed. The cache is rebuilt when
missing, corrupt or of an older version; losing it loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reader import text as textmod
from reader.config import Config
from reader.language import detect_language, normalise_language
from reader.models import Article, ArticleMeta

ARTICLE_SUFFIXES = (".txt", ".md")
Progress = Callable[[int, int], None]  # (done, total)
CACHE_VERSION = 4  # bump when metadata derivation changes: the cache is then rebuilt
_COLUMNS = ("path, size, mtime, id, title, source, place, date, language, authors, url, words, "
            "warnings")
LARGE_FILE = 50 * 1024 * 1024  # bigger files are listed but not read in full for metadata


class ArticleNotFound(LookupError):
    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id!r}")
        self.article_id = article_id


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _authors(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):
        return tuple(_str(v) for v in value if _str(v))
    return tuple(a.strip() for a in str(value).replace(";", ",").split(",") if a.strip())


def _iso_date(value: Any) -> str:
    s = _str(value)
    if not s:
        return ""
    found = textmod.first_date(s)
    return found or s


def parse(article_id: str, rel_path: str, data: bytes, size: int, mtime: float) -> Article:
    """An article from its file's bytes: text, blocks and metadata (front matter first, then
    what the text itself says)."""
    decoded, warnings = textmod.decode(data)
    fm, body, fm_warnings = textmod.split_front_matter(decoded)
    warnings += fm_warnings
    blocks = tuple(textmod.blocks(body))
    language = normalise_language(fm.get("language") or fm.get("lang")) or detect_language(body)
    derived = textmod.derive(body, blocks, language)
    stem = rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    title = _str(fm.get("title")) or derived.title or stem.replace("_", " ").replace("-", " ")
    if body.strip() and not language:
        warnings.append("language not recognised")
    meta = ArticleMeta(
        id=article_id,
        path=rel_path,
        title=" ".join(title.split()),
        source=_str(fm.get("source") or fm.get("site") or fm.get("sitename")) or derived.source,
        place=_str(fm.get("place")) or derived.place,
        date=_iso_date(fm.get("date")) or derived.date,
        language=language,
        authors=_authors(fm.get("authors", fm.get("author"))),
        url=_str(fm.get("url")),
        words=len(body.split()),
        size=size,
        mtime=mtime,
        warnings=tuple(warnings),
    )
    sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return Article(meta, body, blocks, fm, sha)


class Library:
    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()

    @property
    def articles_dir(self) -> Path:
        return self.config.articles_dir

    # ------------------------------------------------------------------ files

    def _walk(self) -> Iterator[tuple[str, int, float]]:
        """(relative posix path, size, mtime) of every article file, hidden folders skipped."""
        root = self.articles_dir
        if not root.is_dir():
            return
        stack = [(root, "")]
        while stack:
            folder, prefix = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for e in entries:
                if e.name.startswith("."):
                    continue
                try:
                    if e.is_dir():
                        stack.append((Path(e.path), f"{prefix}{e.name}/"))
                    elif e.name.lower().endswith(ARTICLE_SUFFIXES) and e.is_file():
                        st = e.stat()
                        yield f"{prefix}{e.name}", st.st_size, st.st_mtime
                except OSError:
                    continue

    def iter_paths(self) -> Iterator[Path]:
        for rel, _size, _mtime in sorted(self._walk()):
            yield self.articles_dir / rel

    def id_for(self, path: Path) -> str:
        return path.relative_to(self.articles_dir).with_suffix("").as_posix()

    def path_for(self, article_id: str) -> Path:
        if not article_id or ".." in article_id.split("/") or article_id.startswith("/"):
            raise ArticleNotFound(article_id)
        for suffix in ARTICLE_SUFFIXES + tuple(s.upper() for s in ARTICLE_SUFFIXES):
            p = self.articles_dir / f"{article_id}{suffix}"
            if p.is_file():
                return p
        raise ArticleNotFound(article_id)

    def load(self, article_id: str) -> Article:
        path = self.path_for(article_id)
        try:
            st = path.stat()
            data = path.read_bytes()
        except OSError as exc:
            raise ArticleNotFound(article_id) from exc
        return parse(article_id, path.relative_to(self.articles_dir).as_posix(), data,
                     st.st_size, st.st_mtime)

    # ------------------------------------------------------------------ metadata cache

    def _connect(self) -> sqlite3.Connection:
        self.config.ensure_cache_dir()
        db = sqlite3.connect(self.config.metadata_cache_path, timeout=10)
        try:
            ok = db.execute("PRAGMA user_version").fetchone()[0] == CACHE_VERSION
            if ok:
                db.execute(f"SELECT {_COLUMNS} FROM meta LIMIT 1").fetchall()
        except sqlite3.DatabaseError:
            ok = False
        if not ok:
            db.close()
            self._reset_cache()
            db = sqlite3.connect(self.config.metadata_cache_path, timeout=10)
            db.execute("CREATE TABLE IF NOT EXISTS meta (path TEXT PRIMARY KEY, size INTEGER, "
                       "mtime REAL, id TEXT, title TEXT, source TEXT, place TEXT, date TEXT, "
                       "language TEXT, authors TEXT, url TEXT, words INTEGER, warnings TEXT)")
            db.execute(f"PRAGMA user_version = {CACHE_VERSION}")
            db.commit()
        return db

    def _reset_cache(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(f"{self.config.metadata_cache_path}{suffix}")
            except FileNotFoundError:
                pass

    @staticmethod
    def _meta(row: tuple[Any, ...]) -> ArticleMeta:
        """A cache row (in ``_COLUMNS`` order) -> ArticleMeta; the lists are JSON, usually ''."""
        path, size, mtime, id_, title, source, place, date_, lang, authors, url, words, warn = row
        return ArticleMeta(id_, path, title, source, place, date_, lang,
                           tuple(json.loads(authors)) if authors else (), url, words, size,
                           mtime, tuple(json.loads(warn)) if warn else ())

    @staticmethod
    def _row(meta: ArticleMeta) -> tuple[Any, ...]:
        return (meta.path, meta.size, meta.mtime, meta.id, meta.title, meta.source, meta.place,
                meta.date, meta.language,
                json.dumps(meta.authors, ensure_ascii=False) if meta.authors else "",
                meta.url, meta.words,
                json.dumps(meta.warnings, ensure_ascii=False) if meta.warnings else "")

    def cached(self) -> list[ArticleMeta] | None:
        """The metadata cache as it stands, without touching the articles (fast), or None when
        there is no usable cache."""
        if not self.config.metadata_cache_path.exists():
            return None
        try:
            with self._lock:
                db = self._connect()
                try:
                    rows = db.execute(f"SELECT {_COLUMNS} FROM meta ORDER BY path").fetchall()
                finally:
                    db.close()
            return [self._meta(r) for r in rows]
        except (sqlite3.Error, OSError, ValueError, TypeError):
            return None

    def scan(self, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None) -> list[ArticleMeta]:
        """Every article's metadata, reading only files that are new or changed since the
        cache (by size and mtime); removed files leave the cache. Sorted by path."""
        files = sorted(self._walk())
        try:
            with self._lock:
                db = self._connect()
                try:
                    return self._scan(db, files, progress, cancelled)
                finally:
                    db.close()
        except (sqlite3.Error, OSError):
            # an unusable cache never stops the library from listing
            return [self._read_meta(rel, size, mtime) for rel, size, mtime in files]

    def _scan(self, db: sqlite3.Connection, files: list[tuple[str, int, float]],
              progress: Progress | None, cancelled: Callable[[], bool] | None
              ) -> list[ArticleMeta]:
        known = {r[0]: r for r in db.execute(f"SELECT {_COLUMNS} FROM meta")}
        out: list[ArticleMeta] = []
        todo = [f for f in files if known.get(f[0], (None, None, None))[1:3] != (f[1], f[2])]
        total, done = len(todo), 0
        fresh: list[tuple[Any, ...]] = []
        for rel, size, mtime in files:
            entry = known.get(rel)
            if entry is not None and entry[1:3] == (size, mtime):
                try:
                    out.append(self._meta(entry))
                    continue
                except (ValueError, TypeError):
                    pass
            if cancelled is not None and cancelled():
                break
            meta = self._read_meta(rel, size, mtime)
            out.append(meta)
            fresh.append(self._row(meta))
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
            if len(fresh) >= 2000:
                self._store(db, fresh)
                fresh = []
        self._store(db, fresh)
        present = {f[0] for f in files}
        gone = [(p,) for p in known if p not in present]
        if gone and not (cancelled is not None and cancelled()):
            db.executemany("DELETE FROM meta WHERE path = ?", gone)
            db.commit()
        return out

    @staticmethod
    def _store(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            marks = ", ".join("?" * 13)
            db.executemany(f"INSERT OR REPLACE INTO meta ({_COLUMNS}) VALUES ({marks})", rows)
            db.commit()

    def _read_meta(self, rel: str, size: int, mtime: float) -> ArticleMeta:
        article_id = rel.rsplit(".", 1)[0]
        path = self.articles_dir / rel
        try:
            if size > LARGE_FILE:
                with open(path, "rb") as f:
                    head = f.read(1024 * 1024)
                meta = parse(article_id, rel, head, size, mtime).meta
                return ArticleMeta(**{**asdict(meta), "words": 0,
                                      "warnings": (*meta.warnings, "very large file")})
            return parse(article_id, rel, path.read_bytes(), size, mtime).meta
        except OSError as exc:
            return ArticleMeta(id=article_id, path=rel, title=article_id, size=size, mtime=mtime,
                               warnings=(f"cannot be read: {exc.strerror or exc}",))
