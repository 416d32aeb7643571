"""The full-text search index (Whoosh). The only module that imports Whoosh.

The index is a cache of ``articles/`` and ``annotations/``: it can always be rebuilt.

Fields: ``body`` holds stemmed terms (per the article's language, stop words out, no
positions: recall), ``exact`` the folded words as written (with positions: phrases, and a
boost so an article holding the word as typed ranks above stem-only matches); ``title`` and
``title_exact`` likewise; ``source``/``place`` folded words; ``date`` ISO text (ranges
compare as text); ``lang``; ``tags`` (one term per tag) and ``notes``/``notes_exact`` from
the annotations. Ranking is BM25F.

Beside the Whoosh files, ``manifest.bin`` records per article its size, mtime and content
hash (and its annotation file's size and mtime), so an update with nothing changed only
stats the files. It is ``marshal`` data behind a header: at 100k articles JSON took 0.6 s
to read and write back, most of taking in one changed article.
"""

from __future__ import annotations

import marshal
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import Token as WToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.structfile import BufferFile
from whoosh.scoring import BM25F
from whoosh.util.filelock import FileLock

from reader.config import Config
from reader.library import text as textmod
from reader.library.articles import ARTICLE_SUFFIXES, ArticleNotFound, Library
from reader.models import Article
from reader.search import analysis
from reader.search.query import (
    FUZZY_PREFIX,
    And,
    DateRange,
    HitFinder,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Word,
    parse,
    snippet_windows,
)

__all__ = ["QueryError", "SearchIndex", "SearchResult", "Snippet", "UpdateReport"]

Progress = Callable[[int, int], None]  # (done, total)

SCHEMA_VERSION = 7  # 6: front-matter tags in "tags"; 7: Snowball's English stemmer
INDEX_NAME = "articles"
MANIFEST = "manifest.bin"
_MANIFEST_HEAD = b"reader-index-manifest 1\n"
UPDATE_LOCK = "update.lock"
BROKEN = "broken"  # left by a search that could not read the index: the next update checks
SEP = "\x1f"  # between the language and the text handed to the stemming analyzer
EXACT_BOOST = 1.5
TITLE_BOOST = 2.0
MP_THRESHOLD = 2000  # full builds with more articles than this use two processes


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str  # the keyword-in-context excerpt, on one line
    highlights: tuple[tuple[int, int], ...]  # spans in ``text`` to emphasise
    start: int  # offset in the article text where ``text`` begins


@dataclass(frozen=True, slots=True)
class SearchResult:
    id: str
    title: str
    source: str
    date: str
    score: float
    hits: int  # number of matching terms in the body
    snippets: tuple[Snippet, ...]
    first_hit: int = 0  # offset in the article text of the first hit
    language: str = ""


@dataclass(slots=True)
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebuilt: bool = False
    notice: str = ""  # e.g. "index was corrupt; rebuilt"
    seconds: float = 0.0
    total: int = 0  # articles in the index afterwards
    cancelled: bool = False

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        if self.unchanged and not self.rebuilt:
            what = "up to date"
        else:
            what = (f"{len(self.added)} added, {len(self.changed)} changed, "
                    f"{len(self.removed)} removed")
            if self.rebuilt:
                what = f"rebuilt: {what}"
        return f"index {what} ({self.total} articles) in {self.seconds:.2f} s"


# -- a fix for Whoosh 2.7.4 on Python 3 -----------------------------------------------------

class _MemReader:
    """Reads a memoryview in place. Whoosh's ``BufferFile`` wraps each sub-file of a mapped
    segment in ``BytesIO(memoryview)``, which copies it: opening a 100k-article segment's
    readers copied hundreds of MB, so start-up, every commit and every searcher refresh paid
    for it. Reading through this view instead leaves the data in the mapping."""

    __slots__ = ("_buf", "_pos")

    def __init__(self, buf: Any) -> None:
        self._buf = buf
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._buf) if n is None or n < 0 else min(len(self._buf), self._pos + n)
        out = bytes(self._buf[self._pos:end])
        self._pos = end
        return out

    def readline(self, limit: int = -1) -> bytes:
        buf = self._buf
        end = len(buf) if limit is None or limit < 0 else min(len(buf), self._pos + limit)
        i = self._pos
        while i < end and buf[i] != 10:
            i += 1
        return self.read(min(i + 1, end) - self._pos)

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._buf)}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = b""


def _buffer_file_init(self: Any, buf: Any, name: str | None = None,
                      onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = _MemReader(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


BufferFile.__init__ = _buffer_file_init


# -- analysis inside Whoosh ----------------------------------------------------------------

class StemTokenizer(Tokenizer):  # type: ignore[misc]
    """Stemmed terms of ``"<lang>\\x1f<text>"`` (stop words out), via
    :mod:`reader.search.analysis`."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Any]:
        lang, _, text = value.partition(SEP)
        t = WToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, term in enumerate(analysis.stemmed_terms(text, lang)):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            yield t


class FoldTokenizer(Tokenizer):  # type: ignore[misc]
    """Folded words as written, stop words kept (exact matches and phrases)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Any]:
        t = WToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, term in enumerate(analysis.folded_words(value)):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            yield t


def make_schema() -> Schema:
    stem, exact = StemTokenizer(), FoldTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        meta=STORED(),  # (title, source, date, language, path under articles/)
        state=STORED(),  # manifest entry, to rebuild the manifest from the index
        title=TEXT(analyzer=stem, phrase=False, field_boost=TITLE_BOOST),
        title_exact=TEXT(analyzer=exact, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=stem, phrase=False),
        exact=TEXT(analyzer=exact),
        source=TEXT(analyzer=exact),
        place=TEXT(analyzer=exact),
        date=ID(sortable=True),
        day=NUMERIC(int, bits=32, signed=False),  # YYYYMMDD: ranges expand to few terms
        lang=ID(),
        tags=KEYWORD(commas=True, lowercase=True, scorable=True),
        notes=TEXT(analyzer=stem, phrase=False),
        notes_exact=TEXT(analyzer=exact),
    )


# -- the index -----------------------------------------------------------------------------

Entry = list[Any]  # [size, mtime, sha16, ann_size, ann_mtime]


class IndexBusy(RuntimeError):
    """Another live process is updating the index."""


class SearchIndex:
    """One per app or CLI run. Thread-safe: searches and updates are serialised by a lock,
    and the searcher (never shared between threads at once) is refreshed after commits."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.library = Library(config)
        self._lock = threading.RLock()
        self._ix: Any = None
        self._searcher: Any = None
        self._checked_at = 0.0
        # the manifest last read or written, with the (mtime_ns, size, inode) it had on disk
        self._manifest_memo: tuple[tuple[int, int, int], dict[str, Any]] | None = None

    @property
    def dir(self) -> Path:
        return self.config.index_dir

    # -- opening ---------------------------------------------------------------------------
    def _prepare_dir(self) -> None:
        if self.config.index_override is None:
            self.config.ensure_cache_dir()
        self.dir.mkdir(parents=True, exist_ok=True)

    def _signature(self) -> str:
        return f"{SCHEMA_VERSION}:{analysis.analysis_signature()}"

    def _manifest_key(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.dir / MANIFEST)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read_manifest(self) -> dict[str, Any] | None:
        """The manifest; a fresh dict of entries the caller may change (entries themselves
        are replaced, never changed in place). The last one read or written by this instance
        is kept while the file on disk is the same: at 100k articles reading it is 80 ms of
        taking in one change."""
        key = self._manifest_key()
        if key is not None and self._manifest_memo is not None and self._manifest_memo[0] == key:
            data = self._manifest_memo[1]
            return {**data, "articles": dict(data["articles"])}
        try:
            raw = (self.dir / MANIFEST).read_bytes()
            if not raw.startswith(_MANIFEST_HEAD):
                return None
            data = marshal.loads(raw[len(_MANIFEST_HEAD):])
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not (isinstance(data, dict) and isinstance(data.get("articles"), dict)):
            return None
        if key is not None and key == self._manifest_key():
            self._manifest_memo = (key, data)
        return {**data, "articles": dict(data["articles"])}

    def _write_manifest(self, articles: dict[str, Entry], generation: int) -> None:
        data = {"signature": self._signature(), "generation": generation,
                "articles": dict(articles)}
        tmp = self.dir / f"{MANIFEST}.{os.getpid()}.tmp"
        tmp.write_bytes(_MANIFEST_HEAD + marshal.dumps(data))
        os.replace(tmp, self.dir / MANIFEST)
        key = self._manifest_key()
        self._manifest_memo = (key, data) if key is not None else None

    def _create(self) -> Any:
        for p in self.dir.iterdir():
            if p.name in (UPDATE_LOCK,):
                continue
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        return windex.create_in(str(self.dir), make_schema(), indexname=INDEX_NAME)

    def _open_checked(self, manifest: dict[str, Any] | None) -> tuple[Any, str]:
        """The index opened (or created); a notice when it had to be made afresh. When the
        manifest vouches for this generation only the table of contents and the presence of
        the segment files are checked (start-up stays fast); otherwise every segment is read."""
        try:
            exists = windex.exists_in(str(self.dir), indexname=INDEX_NAME)
        except Exception:  # noqa: BLE001 - an unreadable table of contents
            return self._create(), "index was corrupt; rebuilt"
        if not exists:
            had_files = any(p.name.startswith(("_", INDEX_NAME)) for p in self.dir.iterdir())
            return self._create(), ("index was unreadable; rebuilt" if had_files else "")
        try:
            ix = windex.open_dir(str(self.dir), indexname=INDEX_NAME)
            names = set(ix.schema.names())
            if names != set(make_schema().names()) or (
                    manifest is not None and manifest.get("signature") != self._signature()):
                ix.close()
                return self._create(), "index was made by another version; rebuilt"
            trusted = (manifest is not None and not (self.dir / BROKEN).exists()
                       and manifest.get("generation") == ix.latest_generation())
            if trusted:
                for seg in ix._segments():
                    if not (self.dir / seg.make_filename(".seg")).is_file():
                        raise FileNotFoundError(seg.make_filename(".seg"))
            else:
                with ix.reader() as r:
                    r.doc_count()
                    for leaf, _ in r.leaf_readers():
                        if leaf.doc_count_all():
                            leaf.stored_fields(0)
                        next(iter(leaf.lexicon("id")), None)
        except Exception:  # noqa: BLE001 - any failure to read a cache means: rebuild it
            return self._create(), "index was corrupt; rebuilt"
        return ix, ""

    # -- scanning --------------------------------------------------------------------------
    def _walk_articles(self) -> dict[str, tuple[int, float]]:
        """{article id: (size, mtime)} of every article file (hidden names skipped). Lean on
        purpose: at 100k articles this walk is most of an update with nothing changed."""
        root = self.config.articles_dir
        out: dict[str, tuple[int, float]] = {}
        if not root.is_dir():
            return out
        stack = [(str(root), "")]
        suffixes = tuple(s.lower() for s in ARTICLE_SUFFIXES)
        while stack:
            folder, rel = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for e in entries:
                name = e.name
                if name[0] == ".":
                    continue
                try:
                    if not name.lower().endswith(suffixes):
                        if e.is_dir():
                            stack.append((e.path, f"{rel}{name}/"))
                        continue
                    st = e.stat()
                except OSError:
                    continue
                if stat.S_ISDIR(st.st_mode):
                    stack.append((e.path, f"{rel}{name}/"))
                    continue
                article_id = rel + name[: name.rfind(".")]
                if article_id not in out:  # a.txt and a.md: the library reads the first
                    out[article_id] = (st.st_size, st.st_mtime)
        return out

    def _stat_articles(self, paths: list[str]) -> tuple[dict[str, tuple[int, float]], set[str]]:
        """({id: (size, mtime)} of those of ``paths`` that are article files, {ids of those
        that are gone})."""
        root = self.config.articles_dir
        files: dict[str, tuple[int, float]] = {}
        gone: set[str] = set()
        for rel in paths:
            rel = rel.replace(os.sep, "/").strip("/")
            name = rel.rsplit("/", 1)[-1]
            if not name or name[0] == "." or "." not in name:
                continue
            article_id = rel[: rel.rfind(".")]
            try:
                st = os.stat(root / rel)
            except OSError:
                gone.add(article_id)
                continue
            if stat.S_ISREG(st.st_mode) and article_id not in files:
                files[article_id] = (st.st_size, st.st_mtime)
        return files, gone - files.keys()

    def _annotation_states(self, ids: list[str]) -> dict[str, tuple[int, float]]:
        from reader.annotations.store import AnnotationStore

        store = AnnotationStore(self.config.annotations_dir)
        out: dict[str, tuple[int, float]] = {}
        for article_id in ids:
            try:
                st = store.path_for(article_id).stat()
            except (OSError, ValueError):
                continue
            out[article_id] = (st.st_size, st.st_mtime)
        return out

    def _walk_annotations(self) -> dict[str, tuple[int, float]]:
        from reader.annotations.store import AnnotationStore

        store = AnnotationStore(self.config.annotations_dir)
        out: dict[str, tuple[int, float]] = {}
        for path in store.paths():
            try:
                st = path.stat()
            except OSError:
                continue
            out[store.id_for(path)] = (st.st_size, st.st_mtime)
        return out

    # -- documents -------------------------------------------------------------------------
    def _document(self, article: Article, ann_state: tuple[int, float] | None) -> dict[str, Any]:
        meta = article.meta
        lang = meta.language or analysis.guess_language(article.text)
        body = "\n".join(article.text[b.start:b.end] for b in article.blocks
                         if b.kind != "boilerplate") if article.blocks else article.text
        place = meta.place or str(article.front_matter.get("place") or "")
        tags, notes = self._annotation_text(article.id) if ann_state else ([], [])
        tags += [t for t in _front_matter_tags(article.front_matter.get("tags"))
                 if t not in tags]  # 'reader import --tag' writes these
        entry: Entry = [meta.size, meta.mtime, article.sha256[:16],
                        ann_state[0] if ann_state else 0, ann_state[1] if ann_state else 0.0]
        notes_text = "\n".join(notes)
        return {
            "id": article.id,
            "meta": (meta.title, meta.source, meta.date, lang, meta.path),
            "state": entry,
            "title": f"{lang}{SEP}{meta.title}",
            "title_exact": meta.title,
            "body": f"{lang}{SEP}{body}",
            "exact": body,
            "source": meta.source,
            "place": place,
            "date": meta.date or "",
            "day": _day(meta.date),
            "lang": lang or "unknown",
            "tags": ",".join(analysis.fold(t) for t in tags),
            "notes": f"{lang}{SEP}{notes_text}",
            "notes_exact": notes_text,
        }

    def _annotation_text(self, article_id: str) -> tuple[list[str], list[str]]:
        from reader.annotations.store import AnnotationStore

        found = AnnotationStore(self.config.annotations_dir).load_raw(article_id)
        tags: list[str] = []
        notes: list[str] = []
        for ann in found.annotations:
            for t in ann.tags:
                if t not in tags:
                    tags.append(t)
            if ann.note:
                notes.append(ann.note)
        return tags, notes

    # -- update ----------------------------------------------------------------------------
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
        with self._update_lock() as stale:
            self._update_locked(report, progress, cancelled, rebuild,
                                None if paths is None else list(paths))
            if stale and not report.notice:
                report.notice = stale
        report.seconds = time.perf_counter() - t0
        return report

    @contextmanager
    def _update_lock(self) -> Iterator[str]:
        """Held while writing: one updater per index across threads and processes. Yields a
        notice when an earlier update had been interrupted by its process dying."""
        self._prepare_dir()
        lock = FileLock(str(self.dir / UPDATE_LOCK))
        deadline = time.monotonic() + 30
        stale = self._stale_lock_notice()
        with self._lock:
            while not lock.acquire(blocking=False):
                if time.monotonic() > deadline:
                    raise IndexBusy("the search index is being updated by another reader")
                time.sleep(0.1)
            try:
                (self.dir / "update.pid").write_text(str(os.getpid()), encoding="utf-8")
                yield stale
            finally:
                (self.dir / "update.pid").unlink(missing_ok=True)
                lock.release()

    def _stale_lock_notice(self) -> str:
        """Whoosh's and our locks are OS locks, released when their process dies; a pid file
        left by a dead process only tells us an update was interrupted."""
        try:
            pid = int((self.dir / "update.pid").read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return ""
        if pid == os.getpid():
            return ""
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return f"an update by process {pid} had been interrupted; resumed"
        except PermissionError:
            pass
        return ""

    def _close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def _update_locked(self, report: UpdateReport, progress: Progress | None,
                       cancelled: Callable[[], bool] | None, rebuild: bool,
                       paths: list[str] | None = None) -> None:
        self._close()
        manifest = None if rebuild else self._read_manifest()
        if rebuild:
            ix, notice = self._create(), ""
        else:
            ix, notice = self._open_checked(manifest)
        report.notice = notice
        report.rebuilt = rebuild or bool(notice)
        trusted = (not report.rebuilt and manifest is not None
                   and manifest.get("generation") == ix.latest_generation())
        if report.rebuilt:
            known: dict[str, Entry] = {}
        elif trusted:
            assert manifest is not None
            known = dict(manifest["articles"])
        else:
            known = self._manifest_from_index(ix)  # slow path: the manifest was lost
        fresh = not known and ix.doc_count_all() == 0
        if paths is not None and trusted:
            files, gone = self._stat_articles(paths)
            anns = self._annotation_states([*files, *gone])
            removed = [a for a in gone if a in known]
        else:
            files = self._walk_articles()
            anns = self._walk_annotations()
            removed = [a for a in known if a not in files]
        todo: list[str] = []
        for article_id, st in files.items():
            entry = known.get(article_id)
            ann = anns.get(article_id)
            if entry is None:
                todo.append(article_id)
            elif (entry[0] != st[0] or entry[1] != st[1]
                  or (entry[3], entry[4]) != (ann or (0, 0.0))):
                todo.append(article_id)
        if not todo and not removed:
            report.total = len(known)
            if not trusted:  # read back from the index: keep it, so the next start is quick
                self._write_manifest(known, ix.latest_generation())
            self._ix = ix
            return

        writer = self._writer(ix, len(todo), fresh)
        done = 0
        total = len(todo)
        try:
            for article_id in removed:
                writer.delete_by_term("id", article_id)
                known.pop(article_id, None)
            report.removed = sorted(removed)
            for article_id in todo:
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    break
                try:
                    article = self.library.load(article_id)
                except (ArticleNotFound, OSError):
                    done += 1
                    continue
                old = known.get(article_id)
                ann = anns.get(article_id)
                if (old is not None and old[2] == article.sha256[:16]
                        and (old[3], old[4]) == (ann or (0, 0.0))):
                    known[article_id] = [article.meta.size, article.meta.mtime,
                                         *old[2:]]  # touched only
                else:
                    doc = self._document(article, ann)
                    if fresh:
                        writer.add_document(**doc)
                    else:
                        writer.update_document(**doc)
                    (report.changed if old is not None else report.added).append(article_id)
                    known[article_id] = doc["state"]
                done += 1
                if progress is not None and (done % 50 == 0 or done == total):
                    progress(done, total)
            writer.commit(**self._commit_args(writer))
        except BaseException:
            writer.cancel()
            raise
        (self.dir / BROKEN).unlink(missing_ok=True)
        self._write_manifest(known, ix.latest_generation())
        report.total = len(known)
        self._ix = ix

    @staticmethod
    def _writer(ix: Any, count: int, fresh: bool) -> Any:
        if fresh and count > MP_THRESHOLD and (os.cpu_count() or 1) > 1:
            return ix.writer(procs=2, limitmb=128, multisegment=True)
        return ix.writer(limitmb=128, timeout=30.0)

    @staticmethod
    def _commit_args(writer: Any) -> dict[str, Any]:
        return {} if hasattr(writer, "multisegment") else {"merge": True}

    def _manifest_from_index(self, ix: Any) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        with ix.searcher() as s:
            for fields in s.all_stored_fields():
                out[fields["id"]] = list(fields["state"])
        return out

    def update_annotations(self, article_id: str) -> None:
        """Re-index the tags and notes of one article after its annotations changed (only
        that article: no scan of the library)."""
        manifest = self._read_manifest()
        if self._ix is None or manifest is None:
            self.update()
            return
        with self._update_lock():
            ix = self._ix
            manifest = self._read_manifest()
            if (manifest is None or manifest.get("generation") != ix.latest_generation()
                    or manifest.get("signature") != self._signature()):
                self._update_locked(UpdateReport(), None, None, False)
                return
            known: dict[str, Entry] = manifest["articles"]
            from reader.annotations.store import AnnotationStore

            ann_path = AnnotationStore(self.config.annotations_dir).path_for(article_id)
            try:
                st = ann_path.stat()
                ann: tuple[int, float] | None = (st.st_size, st.st_mtime)
            except OSError:
                ann = None
            try:
                article = self.library.load(article_id)
            except (ArticleNotFound, OSError):
                return
            doc = self._document(article, ann)
            writer = ix.writer(timeout=30.0)
            try:
                writer.update_document(**doc)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            self._close()
            self._ix = windex.open_dir(str(self.dir), indexname=INDEX_NAME)
            known[article_id] = doc["state"]
            self._write_manifest(known, self._ix.latest_generation())

    # -- searching -------------------------------------------------------------------------
    def _get_searcher(self) -> Any:
        if self._ix is None:
            try:
                if not windex.exists_in(str(self.dir), indexname=INDEX_NAME):
                    return None
                self._ix = windex.open_dir(str(self.dir), indexname=INDEX_NAME)
            except Exception:  # noqa: BLE001 - unreadable: the next update rebuilds it
                return None
        if self._searcher is None:
            try:
                self._searcher = self._ix.searcher(weighting=BM25F())
            except Exception:  # noqa: BLE001 - unreadable: have the next update rebuild it
                (self.dir / BROKEN).touch()
                self._ix = None
                return None
            self._checked_at = time.monotonic()
        elif time.monotonic() - self._checked_at > 1.0:
            self._checked_at = time.monotonic()
            if not self._searcher.up_to_date():  # another process committed
                self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Ranked results. Raises :class:`QueryError` for a malformed query."""
        node = parse(query)
        if node is None:
            return []
        q = compile_query(node)
        with self._lock:
            searcher = self._get_searcher()
            if searcher is None:
                return []
            try:
                hits = searcher.search(q, limit=limit)
                found = [(h["id"], h["meta"], float(h.score or 0.0)) for h in hits]
            except Exception:  # noqa: BLE001 - a damaged cache: the next update rebuilds it
                (self.dir / BROKEN).touch()
                self._close()
                return []
        finder = HitFinder(node)
        out = []
        for article_id, meta, score in found:
            title, source, date, lang, path = meta
            snippets: tuple[Snippet, ...] = ()
            count, first = 0, 0
            text = self._text(article_id, path)
            if text is not None:
                spans = finder.spans(text, lang) or self._passage_spans(article_id, node, text)
                count = len(spans)
                first = spans[0][0] if spans else 0
                if not spans:  # matched on a field only: the opening of the text
                    s0 = len(text) - len(text.lstrip())
                    windows = [(s, e, list[tuple[int, int]]())
                               for s, e, _ in snippet_windows(text, [(s0, s0)], 1)]
                else:
                    windows = snippet_windows(text, spans)
                snippets = tuple(
                    Snippet(text[s:e].replace("\n", " "), tuple((a - s, b - s) for a, b in inside),
                            s)
                    for s, e, inside in windows)
            out.append(SearchResult(article_id, title, source, date, score, count, snippets,
                                    first, lang))
        return out

    def _passage_spans(self, article_id: str, node: Node, text: str) -> list[tuple[int, int]]:
        """For a query that matched on ``tag:``/``note:`` only: the tagged passages that
        match, so the snippet shows them (and Enter opens there) rather than the opening."""
        tags, notes = _annotation_leaves(node)
        if not tags and not notes:
            return []
        from reader.annotations.store import AnnotationStore

        try:
            found = AnnotationStore(self.config.annotations_dir).load_raw(article_id)
        except (OSError, ValueError):
            return []
        out = []
        for ann in found.annotations:
            if ann.orphaned or not 0 <= ann.start < ann.end <= len(text):
                continue
            folded = [analysis.fold(t) for t in ann.tags]
            note_words = " ".join(analysis.folded_words(ann.note))
            if (any(t.startswith(w) if prefix else t == w for w, prefix in tags for t in folded)
                    or any(f" {w} " in f" {note_words} " for w in notes)):
                out.append((ann.start, ann.end))
        return sorted(out)

    def _text(self, article_id: str, path: str) -> str | None:
        """The article's text (as :attr:`Article.text`) without parsing its metadata: the
        snippets of 20 results must not cost 20 YAML parses."""
        try:
            data = (self.config.articles_dir / path).read_bytes()
        except OSError:
            try:
                return self.library.load(article_id).text
            except (ArticleNotFound, OSError):
                return None
        return article_text(data)

    def hit_spans(self, query: str, article: Article) -> list[tuple[int, int]]:
        """Every hit of ``query`` in ``article.text`` as (start, end), in text order; hits in
        boilerplate lines ('Baca Juga: ...') are left out, as the index leaves those lines out."""
        node = parse(query)
        lang = article.meta.language or analysis.guess_language(article.text)
        spans = HitFinder(node).spans(article.text, lang)
        skip = [(b.start, b.end) for b in article.blocks if b.kind == "boilerplate"]
        if not skip:
            return spans
        return [(a, b) for a, b in spans if not any(s <= a < e for s, e in skip)]

    def close(self) -> None:
        with self._lock:
            self._close()


def _annotation_leaves(node: Node | None) -> tuple[list[tuple[str, bool]], list[str]]:
    """The positive ``tag:`` terms (folded name, prefix?) and ``note:`` words/phrases
    (folded, space-joined) of a query."""
    tags: list[tuple[str, bool]] = []
    notes: list[str] = []
    if isinstance(node, And | Or):
        for n in node.items:
            t, w = _annotation_leaves(n)
            tags += t
            notes += w
    elif isinstance(node, Word) and node.field == "tag":
        tags.append((node.text, node.prefix))
    elif isinstance(node, Word) and node.field == "note" and not node.prefix:
        notes.append(node.text)
    elif isinstance(node, Phrase) and node.field == "note":
        notes.append(" ".join(node.words))
    return tags, notes


def _front_matter_tags(value: object) -> list[str]:
    """The ``tags`` of front matter: a list, or one comma-separated string."""
    items = value if isinstance(value, list) else str(value).split(",") if value else []
    return [str(t).strip() for t in items if str(t).strip()]


def _day(date: str) -> int | None:
    """YYYYMMDD of an ISO date (month or day 00 when unknown); None when there is none."""
    digits = date[:10].replace("-", "")
    if len(digits) in (4, 6, 8) and digits.isdigit():
        return int(digits.ljust(8, "0"))
    return None


def article_text(data: bytes) -> str:
    """:attr:`Article.text` of a file's bytes: decoded, front matter cut off (unparsed)."""
    text, _ = textmod.decode(data)
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            rest = text[end + 4:]
            text = rest[1:] if rest.startswith("\n") else rest
    return text


# -- query tree -> Whoosh ------------------------------------------------------------------

def _word_query(w: Word) -> Any:
    if w.field == "lang":
        return wq.Term("lang", w.text)
    if w.field == "tag":
        return wq.Prefix("tags", w.text) if w.prefix else wq.Term("tags", w.text)
    if w.field in ("source", "place"):
        if w.prefix:
            return wq.Prefix(w.field, w.text)
        if w.fuzzy:
            return wq.FuzzyTerm(w.field, w.text, maxdist=w.fuzzy,
                                prefixlength=FUZZY_PREFIX)
        return wq.Term(w.field, w.text)
    pairs = {"": [("body", "exact"), ("title", "title_exact")],
             "title": [("title", "title_exact")],
             "note": [("notes", "notes_exact")]}[w.field]
    parts: list[Any] = []
    for stemmed, exact in pairs:
        if w.prefix:
            parts.append(wq.Prefix(exact, w.text))
        elif w.fuzzy:
            parts.append(wq.FuzzyTerm(exact, w.text, maxdist=w.fuzzy,
                                          prefixlength=FUZZY_PREFIX))
        else:
            parts.extend(wq.Term(stemmed, s) for s in sorted(analysis.stems(w.text)))
            parts.append(wq.Term(exact, w.text, boost=EXACT_BOOST))
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _phrase_query(p: Phrase) -> Any:
    fields = {"": ["exact", "title_exact"], "title": ["title_exact"],
              "note": ["notes_exact"], "source": ["source"], "place": ["place"]}[p.field]
    parts = [wq.Term(f, p.words[0]) if len(p.words) == 1 else wq.Phrase(f, list(p.words))
             for f in fields]
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def compile_query(node: Node) -> Any:
    """The Whoosh query for a parsed query tree."""
    if isinstance(node, Word):
        return _word_query(node)
    if isinstance(node, Phrase):
        return _phrase_query(node)
    if isinstance(node, DateRange):
        if node.start and node.start == node.end and len(node.start) == 10:
            return wq.Term("date", node.start)
        # A text range over "date" would expand to one term per day, scored: seconds at
        # 100k articles. The numeric field's tiered terms make it a handful.
        # An open end is 1 below and None above: Whoosh 2.7.4's tiered numeric range matches
        # every document when the lower bound is None or 0 (checked against a brute-force
        # filter over random dates in tests/test_index.py).
        lo = int((node.start + "-00-00")[:10].replace("-", "")) if node.start else 1
        hi = int((node.end + "-99-99")[:10].replace("-", "")) if node.end else None
        return wq.NumericRange("day", max(lo, 1), hi, constantscore=True)
    if isinstance(node, Not):
        return wq.And([wq.Every(), wq.Not(compile_query(node.item))])
    if isinstance(node, Or):
        return wq.Or([compile_query(n) for n in node.items])
    assert isinstance(node, And)
    positive = [compile_query(n) for n in node.items if not isinstance(n, Not)]
    negative = [compile_query(n.item) for n in node.items if isinstance(n, Not)]
    if not positive:
        positive = [wq.Every()]
    # (Whoosh's AndNot lets excluded documents through here; And + Not does not.)
    items = positive + [wq.Not(n) for n in negative]
    return items[0] if len(items) == 1 else wq.And(items)
