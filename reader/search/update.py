"""Keeping the index in step with the library: which articles were added, changed or removed
(by the manifest, or by the files a caller names), writing them, rebuilding an index that is
corrupt, missing or of another version, and the lock and pid files that keep one updater
per index across threads and processes.

The index is a cache of ``articles/`` and ``annotations/``: it can always be rebuilt.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.index import LockError
from whoosh.util.filelock import FileLock

from reader.config import Config, make_private_dir
from reader.library.articles import ArticleNotFound, Library
from reader.library.folders import folder_of
from reader.models import Article
from reader.search import analysis, build, segwrite, sources, stemcache, whoosh_fixes
from reader.search.manifest import Entry, Manifest
from reader.search.safe_pickle import RefusedPickle
from reader.search.schema import INDEX_NAME, document_of, make_schema, signature

Progress = Callable[[int, int], None]  # (done, total)

UPDATE_LOCK = "update.lock"
UPDATE_PID = "update.pid"
# full builds with more articles than this use several processes (starting them costs about
# 0.1 s, what one process takes for 20 to 40 articles)
MP_THRESHOLD = 150
LOCK_SECONDS = 30.0  # how long an update waits for another one
POOL_MB = 128  # a writer's posting pool before it spills to disk
WRITE_LOCK_SECONDS = 1.0  # how long it waits for Whoosh's lock, held by another program
_NOT_DAMAGE = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS}
FOREIGN = "index was made by another version of reader, or not by reader; rebuilt"


class IndexBusy(RuntimeError):
    """Another live process is updating the index."""


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
    quick: bool = False  # only the folders were checked (see SearchIndex.update)
    checked: float = 0.0  # then: when the last full walk was made (time.time())

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        if self.quick:
            what = "up to date by its folders"
        elif self.unchanged and not self.rebuilt:
            what = "up to date"
        else:
            what = (f"{len(self.added)} added, {len(self.changed)} changed, "
                    f"{len(self.removed)} removed")
            if self.rebuilt:
                what = f"rebuilt: {what}"
        return f"index {what} ({self.total} articles) in {self.seconds:.2f} s"


class Updater:
    """Writes the index in ``config.index_dir``. Call its methods holding :meth:`lock`."""

    def __init__(self, config: Config, library: Library, manifest: Manifest) -> None:
        self.config = config
        self.library = library
        self.manifest = manifest
        self._thread_lock = threading.Lock()

    @property
    def dir(self) -> Path:
        return self.config.index_dir

    # -- one updater at a time -------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[str]:
        """Held while writing: one updater per index across threads and processes. Yields a
        notice when an earlier update had been interrupted by its process dying."""
        self._prepare_dir()
        lock = FileLock(str(self.dir / UPDATE_LOCK))
        deadline = time.monotonic() + LOCK_SECONDS
        stale = self._stale_lock_notice()
        with self._thread_lock:
            while not lock.acquire(blocking=False):
                if time.monotonic() > deadline:
                    raise IndexBusy("the search index is being updated by another reader")
                time.sleep(0.1)
            try:
                (self.dir / UPDATE_PID).write_text(str(os.getpid()), encoding="utf-8")
                yield stale
            finally:
                (self.dir / UPDATE_PID).unlink(missing_ok=True)
                lock.release()

    def _prepare_dir(self) -> None:
        if self.config.index_override is None:
            self.config.ensure_cache_dir()
        make_private_dir(self.dir)

    def _stale_lock_notice(self) -> str:
        """Whoosh's and our locks are OS locks, released when their process dies; a pid file
        left by a dead process only tells us an update was interrupted."""
        try:
            pid = int((self.dir / UPDATE_PID).read_text(encoding="utf-8").strip())
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

    # -- opening ---------------------------------------------------------------------------
    def create(self) -> Any:
        """A new empty index, in place of whatever the folder held."""
        for p in self.dir.iterdir():
            if p.name in (UPDATE_LOCK, UPDATE_PID):  # a rebuild killed is reported as such
                continue
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
        return windex.create_in(str(self.dir), make_schema(), indexname=INDEX_NAME)

    def open_checked(self, manifest: dict[str, Any] | None) -> tuple[Any, str]:
        """The index opened (or created); a notice when it had to be made afresh. When the
        manifest vouches for this generation only the table of contents and the presence of
        the segment files are checked (start-up stays fast); otherwise every segment is read."""
        try:
            exists = windex.exists_in(str(self.dir), indexname=INDEX_NAME)
        except RefusedPickle:
            return self.create(), FOREIGN
        except Exception:  # noqa: BLE001 - an unreadable table of contents
            return self.create(), "index was corrupt; rebuilt"
        if not exists:
            had_files = any(p.name.startswith(("_", INDEX_NAME)) for p in self.dir.iterdir())
            return self.create(), ("index was unreadable; rebuilt" if had_files else "")
        try:
            ix = whoosh_fixes.open_index(str(self.dir), INDEX_NAME)
            names = set(ix.schema.names())
            if names != set(make_schema().names()) or (
                    manifest is not None and manifest.get("signature") != signature()):
                ix.close()
                return self.create(), "index was made by another version; rebuilt"
            trusted = (manifest is not None and not self.manifest.marked_broken()
                       and manifest.get("generation") == ix.latest_generation())
            if trusted:
                assert manifest is not None
                if self._segment_files(ix) != manifest.get("files"):
                    ix.close()  # truncated, replaced or gone since this reader wrote them
                    return self.create(), "index was damaged; rebuilt"
            else:
                with ix.reader() as r:
                    r.doc_count()
                    for leaf, _ in r.leaf_readers():
                        if leaf.doc_count_all():
                            leaf.stored_fields(0)
                        next(iter(leaf.lexicon("id")), None)
        except RefusedPickle:
            return self.create(), FOREIGN
        except Exception:  # noqa: BLE001 - any failure to read a cache means: rebuild it
            return self.create(), "index was corrupt; rebuilt"
        return ix, ""

    # -- update ----------------------------------------------------------------------------
    def run(self, report: UpdateReport, progress: Progress | None,
            cancelled: Callable[[], bool] | None, rebuild: bool,
            paths: list[str] | None = None) -> Any:
        """Bring the index up to date (see :meth:`SearchIndex.update`); the index, open. An
        index that fails while it is read or written is rebuilt, once, with a notice; a
        full disk or a folder that cannot be written is not damage, and is raised."""
        try:
            return self._run(report, progress, cancelled, rebuild, paths)
        except IndexBusy:
            raise
        except OSError as exc:
            if rebuild or exc.errno in _NOT_DAMAGE:
                raise
        except Exception:  # noqa: BLE001 - a damaged cache: rebuilt below
            if rebuild:
                raise
        report.added, report.changed, report.removed = [], [], []
        ix = self._run(report, progress, cancelled, True, None)
        report.notice, report.rebuilt = "index was corrupt; rebuilt", True
        return ix

    def _run(self, report: UpdateReport, progress: Progress | None,
             cancelled: Callable[[], bool] | None, rebuild: bool,
             paths: list[str] | None) -> Any:
        manifest = None if rebuild else self.manifest.read()
        if rebuild:
            ix, notice = self.create(), ""
        else:
            ix, notice = self.open_checked(manifest)
        report.notice = notice
        report.rebuilt = rebuild or bool(notice)
        try:
            return self._sync(ix, manifest, report, progress, cancelled, paths)
        except BaseException:
            ix.close()
            raise

    def _sync(self, ix: Any, manifest: dict[str, Any] | None, report: UpdateReport,
              progress: Progress | None, cancelled: Callable[[], bool] | None,
              paths: list[str] | None) -> Any:
        """Write to ``ix`` what changed in the library since ``manifest``."""
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
            files, gone = sources.named_files(self.library, paths)
            anns = sources.annotation_states(self.config, [*files, *gone])
            removed = [a for a in gone if a in known]
        else:
            files = sources.article_files(self.library)
            anns = sources.annotation_files(self.config)
            removed = [a for a in known if a not in files]
        todo: list[str] = []
        stamp_of = self.library.folders.resolver()
        for article_id, st in files.items():
            entry = known.get(article_id)
            ann = anns.get(article_id)
            if entry is None:
                todo.append(article_id)
            elif (entry[0] != st[0] or entry[1] != st[1]
                  or (entry[3], entry[4]) != (ann or (0, 0))
                  or entry[5] != stamp_of(folder_of(article_id)).stamp):
                todo.append(article_id)
        if not todo and not removed:
            report.total = len(known)
            if not trusted:  # read back from the index: keep it, so the next start is quick
                self._write_manifest(ix, known)
            return ix
        stemcache.load(self.config)  # before any worker starts: they inherit what it knows
        if fresh and len(todo) > MP_THRESHOLD and build.workers() > 1:
            return self._build(ix, todo, files, anns, report, progress, cancelled)

        writer = self._writer(ix, fresh)
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
                size, mtime_ns = files[article_id]  # as stat'ed before the file was read
                if old is not None and old[2:] == [
                        article.sha256[:16], *(ann or (0, 0)),
                        stamp_of(folder_of(article_id)).stamp]:
                    known[article_id] = [size, mtime_ns, *old[2:]]  # touched only
                else:
                    doc = self._document(article, (size, mtime_ns), ann)
                    if fresh:
                        writer.add_document(**doc)
                    else:
                        writer.update_document(**doc)
                    (report.changed if old is not None else report.added).append(article_id)
                    known[article_id] = doc["state"]
                done += 1
                if progress is not None and (done % 50 == 0 or done == total):
                    progress(done, total)
            writer.commit(merge=True)
        except BaseException:
            writer.cancel()
            raise
        stemcache.save(self.config, analysis.made_id_stems())
        self.manifest.clear_broken()
        self._write_manifest(ix, known, [*todo, *removed])
        report.total = len(known)
        return ix

    def _build(self, ix: Any, todo: list[str], files: dict[str, sources.FileState],
               anns: dict[str, sources.FileState], report: UpdateReport,
               progress: Progress | None, cancelled: Callable[[], bool] | None) -> Any:
        """A full build of ``todo`` into the empty ``ix`` by several processes
        (:mod:`reader.search.build`), committed as their segments."""
        writer = self._writer(ix)  # held meanwhile: no other writer
        try:
            built = build.build(self.config, todo, files, anns, progress, cancelled)
            writer._close_segment()
            writer._commit_toc(built.segments)
            writer._finish()
        except BaseException:
            writer.cancel()
            raise
        report.cancelled = built.cancelled
        report.added = sorted(built.entries)
        stemcache.save(self.config, {**built.stems, **analysis.made_id_stems()})
        ix.close()
        ix = whoosh_fixes.open_index(str(self.dir), INDEX_NAME)
        self.manifest.clear_broken()
        self._write_manifest(ix, built.entries)
        report.total = len(built.entries)
        return ix

    def _segment_files(self, ix: Any) -> dict[str, int]:
        """{segment file: size} of the index as it stands."""
        out = {}
        for seg in ix._segments():
            name = seg.make_filename(".seg")
            out[name] = (self.dir / name).stat().st_size
        return out

    def _write_manifest(self, ix: Any, known: dict[str, Entry],
                        touched: list[str] | None = None) -> None:
        self.manifest.write(known, ix.latest_generation(), signature(), self._segment_files(ix),
                            touched)

    def _document(self, article: Article, file: sources.FileState,
                  ann: sources.FileState | None) -> dict[str, Any]:
        return document_of(self.config, self.library, article, file, ann)

    def _writer(self, ix: Any, fresh: bool = False) -> Any:
        """A writer of ``ix`` (of a new segment written a term at a time when ``fresh``:
        an empty index only gains documents). Every reader takes the update lock before
        Whoosh's own: that one held means another program writes the index, and waiting
        would not help."""
        try:
            if fresh:
                return segwrite.BuildWriter(ix, POOL_MB, timeout=WRITE_LOCK_SECONDS,
                                            codec=whoosh_fixes.codec())
            return ix.writer(limitmb=POOL_MB, timeout=WRITE_LOCK_SECONDS,
                             codec=whoosh_fixes.codec())
        except LockError:
            raise IndexBusy(f"the search index is locked by another program "
                            f"({self.dir / (INDEX_NAME + '_WRITELOCK')})") from None

    @staticmethod
    def _manifest_from_index(ix: Any) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        with ix.searcher() as s:
            for fields in s.all_stored_fields():
                state = fields.get("state")
                if not (isinstance(fields.get("id"), str) and isinstance(state, list)
                        and len(state) == ENTRY_LENGTH):
                    raise ValueError(f"stored fields of an unexpected shape: {fields!r:.80}")
                out[fields["id"]] = list(state)
        return out

    def update_annotations(self, ix: Any, article_id: str) -> Any | None:
        """Re-index the tags and notes of one article (only that article: no scan of the
        library); the index reopened after the commit. None when a full update is needed
        instead (the manifest does not describe ``ix``)."""
        manifest = self.manifest.read()
        if (manifest is None or manifest.get("generation") != ix.latest_generation()
                or manifest.get("signature") != signature()):
            return None
        known: dict[str, Entry] = manifest["articles"]
        ann = sources.annotation_states(self.config, [article_id]).get(article_id)
        try:
            article = self.library.load(article_id)
        except (ArticleNotFound, OSError):
            return ix
        old = known.get(article_id)
        # the file's state as the last walk saw it (unknown: the next update looks at it)
        doc = self._document(article, (old[0], old[1]) if old else (-1, -1), ann)
        writer = self._writer(ix)
        try:
            writer.update_document(**doc)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        ix.close()
        ix = whoosh_fixes.open_index(str(self.dir), INDEX_NAME)
        known[article_id] = doc["state"]
        self._write_manifest(ix, known, [article_id])
        return ix


ENTRY_LENGTH = 6
