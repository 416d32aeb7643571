"""The article library: scan ``articles/``, derive metadata, load articles.

Metadata is kept in a cache (SQLite in the library's cache folder) so a large library
lists at once: :meth:`Library.cached` returns it without touching the articles, and
:meth:`Library.scan` re-reads only files whose size or mtime changed. The cache is rebuilt when
missing, corrupt or of an older version; losing it loses nothing.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reader.config import Config
from reader.library import text as textmod
from reader.library import walk as walkmod
from reader.library.cache import MetaCache, Row
from reader.library.dates import first_date
from reader.library.folders import NO_DEFAULTS, FolderDefaults, FolderFiles, folder_of
from reader.library.language import detect_language, normalise_language
from reader.library.walk import ArticleFile, Skipped
from reader.models import Article, ArticleMeta

ARTICLE_SUFFIXES = walkmod.SUFFIXES
Progress = Callable[[int, int], None]  # (done, total)
LARGE_FILE = 50 * 1024 * 1024  # bigger files are listed but not read in full for metadata
LARGE_FILE_HEAD = 1024 * 1024
PARTIAL_SECONDS = 1.0  # how often a long scan hands over what it has read so far


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
    if isinstance(value, list | tuple):  # source: [a, b]
        return ", ".join(v for v in (_str(x) for x in value) if v)
    if isinstance(value, dict):  # author: {name: X, ...}
        return _str(value.get("name", "")) or ", ".join(
            v for v in (_str(x) for x in value.values()) if v)
    return str(value).strip()


def _authors(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):
        return tuple(_str(v) for v in value if _str(v))
    return tuple(a.strip() for a in str(value).replace(";", ",").split(",") if a.strip())


_ISO = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][\d:.]+(?:Z|[+-][\d:]+| ?[A-Z]{1,5})?)?)?)?")


def _iso_date(value: Any) -> tuple[str, str]:
    """A front-matter date -> (ISO date or "", warning or ""). ISO dates (a time part is
    dropped), ``2024`` and ``2024-06`` (partial), and the forms the text parser knows
    (``19 Juni 2024``, ``June 19, 2024``, ``19/6/2024``). An impossible date
    (``2024-02-30``) is reported and the date in the text is used."""
    s = _str(value)
    if not s:
        return "", ""
    m = _ISO.fullmatch(s)
    if m is not None:
        year, month, day = (int(g) if g else 0 for g in m.groups())
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            return "", f"front matter date {s!r} is not a real date; the date in the text is used"
        return s[: 10 if day else 7 if month else 4], ""
    found = first_date(s)
    if found:
        return found, ""
    return "", f"front matter date {s[:40]!r} not understood; the date in the text is used"


def _tag_list(value: Any) -> list[str]:
    """Front-matter ``tags``: a list, or one comma-separated text."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return []
    return [t for t in (_str(x) for x in items) if t]


def parse(article_id: str, rel_path: str, data: bytes, size: int, mtime: float,
          folder: FolderDefaults = NO_DEFAULTS) -> Article:
    """An article from its file's bytes: text, blocks and metadata. Each field comes from the
    first of: the front matter; the folder files' defaults (``folder``: source, language,
    tags, which add up); the site of the front matter's ``url`` (source); what the text
    itself says (dateline, date, headline, byline, language)."""
    # loaded by the first article parsed (their regular expressions cost ~20 ms to compile),
    # not by every command: a search reads the index, and parses no article
    from reader.library import markdown
    from reader.library import metadata as metamod

    decoded, warnings = textmod.decode(data)
    fm, body, fm_warnings = textmod.split_front_matter(decoded)
    warnings += fm_warnings
    warnings += folder.warnings
    blocks = tuple(textmod.blocks(body))
    language = (normalise_language(fm.get("language") or fm.get("lang")) or folder.language
                or detect_language(body))
    fm_date, date_warning = _iso_date(fm.get("date"))
    if date_warning:
        warnings.append(date_warning)
    derived = metamod.derive(body, blocks, language, find_date=not fm_date)
    stem = rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    derived_title = derived.title
    if derived_title and markdown.is_markdown(rel_path, fm):  # "# **Judul**" reads "Judul"
        derived_title = markdown.plain_text(derived_title)
    title = _str(fm.get("title")) or derived_title or stem.replace("_", " ").replace("-", " ")
    if body.strip() and not language:
        warnings.append("language not recognised")
    url = _str(fm.get("url"))
    meta = ArticleMeta(
        id=article_id,
        path=rel_path,
        title=" ".join(title.split()),
        source=(_str(fm.get("source") or fm.get("site") or fm.get("sitename")) or folder.source
                or metamod.site_of(url) or derived.source),
        place=_str(fm.get("place")) or derived.place,
        date=fm_date or derived.date,
        language=language,
        authors=_authors(fm.get("authors", fm.get("author"))) or derived.authors,
        url=url,
        words=len(body.split()),
        size=size,
        mtime=mtime,
        warnings=tuple(warnings),
    )
    if folder.tags:  # the front matter's own tags first, then the folders'
        own = _tag_list(fm.get("tags"))
        fm = {**fm, "tags": own + [t for t in folder.tags if t not in own]}
    sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return Article(meta, body, blocks, fm, sha)


class Library:
    """The articles under ``config.articles_dir``; ids are paths without the extension
    (see :mod:`reader.library.walk` for twins, links and names that are not read)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.cache = MetaCache(config.metadata_cache_path)
        self.folders = FolderFiles(config.articles_dir)
        self._lock = threading.Lock()
        self.skipped: list[Skipped] = []  # what the last scan did not read, and why

    @property
    def articles_dir(self) -> Path:
        return self.config.articles_dir

    # ------------------------------------------------------------------ files

    def walk(self, skipped: list[Skipped] | None = None) -> Iterator[ArticleFile]:
        """Every article file (:class:`ArticleFile`: id, path under ``articles/``, size,
        mtime_ns), in no particular order: the one definition of an article file and its id
        (see :mod:`reader.library.walk`). What looks like an article but is not read (a link
        out of ``articles/``, a name with a backslash, a twin whose id is taken) is appended
        to ``skipped``."""
        return walkmod.walk(self.articles_dir, skipped)

    def iter_paths(self) -> Iterator[Path]:
        for f in sorted(self.walk(), key=lambda f: f.path):
            yield self.articles_dir / f.path

    def id_for(self, path: Path) -> str:
        """The id of an article file (a path under ``articles/``); ValueError when the walk
        does not list it."""
        rel = path.relative_to(self.articles_dir).as_posix()
        found = walkmod.article_id(self.articles_dir, rel)
        if found is None:
            raise ValueError(f"{path} is not an article file of this library")
        return found

    def path_for(self, article_id: str) -> Path:
        """The file of the article with this id; ArticleNotFound when there is none (ids
        are checked: no ``..``, no hidden parts, nothing outside ``articles/``)."""
        found = walkmod.resolve(self.articles_dir, article_id) if article_id else None
        if found is None:
            raise ArticleNotFound(article_id)
        return self.articles_dir / found.path

    def load(self, article_id: str) -> Article:
        """The article with its text, blocks and metadata; ArticleNotFound when there is no
        such file or it cannot be read."""
        path = self.path_for(article_id)
        try:
            st = path.stat()
            data = path.read_bytes()
        except OSError as exc:
            raise ArticleNotFound(article_id) from exc
        rel = path.relative_to(self.articles_dir).as_posix()
        return parse(article_id, rel, data, st.st_size, st.st_mtime,
                     self.folders.for_article(rel))

    def text(self, article_id: str) -> str:
        """The article's text as :attr:`Article.text` (decoded, front matter cut off) without
        deriving its metadata: a fraction of :meth:`load`'s cost (search snippets). Raises
        ArticleNotFound and OSError."""
        decoded, _ = textmod.decode(self.path_for(article_id).read_bytes())
        return textmod.split_front_matter(decoded)[1]

    # ------------------------------------------------------------------ metadata cache

    def cached(self) -> list[ArticleMeta] | None:
        """The metadata cache as it stands, sorted by path, without touching the articles
        (the fast first screen); None when there is no usable cache."""
        with self._lock:
            return self.cache.load()

    def scan(self, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None,
             partial: Callable[[list[ArticleMeta]], None] | None = None) -> list[ArticleMeta]:
        """Every article's metadata, sorted by path, reading only files that are new or
        changed (size or mtime) since the cache, which is brought up to date; removed files
        leave it. ``progress(done, total)`` counts the files read; ``partial(metas)`` gets
        what is known so far about once a second while a long scan reads files (a first run
        on a large library can list what it has)."""
        skipped: list[Skipped] = []
        files = sorted(self.walk(skipped), key=lambda f: f.path)
        self.skipped = skipped
        folders = self.folders.resolver()
        defaults = [folders(folder_of(f.path)) for f in files]
        try:
            with self._lock:
                self.config.ensure_cache_dir()
                db = self.cache.open()
                try:
                    return self._scan(db, files, defaults, progress, cancelled, partial)
                finally:
                    db.close()
        except (sqlite3.Error, OSError):
            # an unusable cache (read-only folder, busy for too long) never stops the listing
            return [self._read_meta(f, d) for f, d in zip(files, defaults, strict=True)]

    def _scan(self, db: sqlite3.Connection, files: list[ArticleFile],
              defaults: list[FolderDefaults],
              progress: Progress | None, cancelled: Callable[[], bool] | None,
              partial: Callable[[list[ArticleMeta]], None] | None = None
              ) -> list[ArticleMeta]:
        known = self.cache.rows(db)
        # A cached row is right for the file's size and mtime and for the folder defaults it
        # was read with: the cache's mtime column holds the mtime mixed with their stamp
        # (0 without folder files), so editing a _folder.yml re-reads the articles under it.
        keys = [f.mtime_ns ^ d.stamp for f, d in zip(files, defaults, strict=True)]
        out: list[ArticleMeta | None] = []
        todo: list[int] = []
        for i, f in enumerate(files):
            entry = known.get(f.path)
            if entry is not None and entry[1] == keys[i] and entry[0].size == f.size:
                meta = entry[0]  # its id changes when a twin comes or goes
                out.append(meta if meta.id == f.id else meta._replace(id=f.id))
            else:
                out.append(None)
                todo.append(i)
        total, done = len(todo), 0
        fresh: list[Row] = []
        next_partial = time.monotonic() + PARTIAL_SECONDS
        for i in todo:
            if cancelled is not None and cancelled():
                break
            meta = out[i] = self._read_meta(files[i], defaults[i])
            fresh.append((meta, keys[i]))
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
            if len(fresh) >= 2000:
                MetaCache.store(db, fresh)
                fresh = []
            if partial is not None and done < total and time.monotonic() >= next_partial:
                partial([m for m in out if m is not None])
                next_partial = time.monotonic() + PARTIAL_SECONDS
        MetaCache.store(db, fresh)
        metas = [m for m in out if m is not None]
        if done < total:
            return metas  # stopped: the snapshot stays as it was
        present = {f.path for f in files}
        gone = [p for p in MetaCache.paths(db) if p not in present]
        if gone:
            MetaCache.delete(db, gone)
        if done or gone or len(known) != len(files) or self.cache.snapshot_stale:
            self.cache.write_snapshot(zip(metas, keys, strict=True))
        return metas

    def _read_meta(self, f: ArticleFile, folder: FolderDefaults = NO_DEFAULTS) -> ArticleMeta:
        article_id, rel, size = f.id, f.path, f.size
        path = self.articles_dir / rel
        mtime = f.mtime
        try:
            if size > LARGE_FILE:
                with open(path, "rb") as fh:
                    head = fh.read(LARGE_FILE_HEAD)
                meta = parse(article_id, rel, head, size, mtime, folder).meta
                return meta._replace(words=0, warnings=(*meta.warnings, "very large file"))
            return parse(article_id, rel, path.read_bytes(), size, mtime, folder).meta
        except OSError as exc:
            return ArticleMeta(id=article_id, path=rel, title=article_id, size=size, mtime=mtime,
                               warnings=(f"cannot be read: {exc.strerror or exc}",))
