"""The domain objects the UI works with, built once by the app and handed to screens and
widgets in their constructors; and :class:`IndexKeeper`, the one owner of search index
writes in the reader (one thread, one lock)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.annotations import coders
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.models import ArticleMeta
from reader.search.index import IndexBusy, SearchIndex
from reader.ui.state import UIState

SHOW_PROGRESS_MIN = 20  # articles to (re)index before progress is reported

ProgressCallback = Callable[[int, int], None]
DoneCallback = Callable[[bool, str], None]  # (the index changed, notice for the user)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


@dataclass(slots=True)
class Reading:
    """What the reading view shows (kept by the main screen, read by others)."""

    article_id: str = ""
    path: str = ""  # its file, under articles/
    selection: tuple[int, int] | None = None

    def selection_in(self, article_id: str) -> tuple[int, int] | None:
        return self.selection if self.article_id == article_id else None


class IndexKeeper:
    """Keeps the search index in step with the library: whole updates (a walk), named article
    files, and the tags and notes of named articles. Requests are merged while one runs; one
    thread does them in turn under one lock. ``on_progress`` and ``on_done`` are called from
    that thread."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.lock = threading.Lock()  # held while the index is written
        self.on_progress: ProgressCallback | None = None
        self.on_done: DoneCallback | None = None
        self._wake = threading.Condition()
        self._full = False
        self._paths: set[str] = set()
        self._annotations: set[str] = set()
        self._stopping = False
        self._busy = False
        self._thread: threading.Thread | None = None

    # -- requests --------------------------------------------------------------------------
    def update(self, paths: Iterable[str] | None = None) -> None:
        """The whole library (``paths`` None: a walk), or only these article files."""
        with self._wake:
            if paths is None:
                self._full = True
            else:
                self._paths.update(paths)
            self._start()
            self._wake.notify()

    def annotations(self, article_ids: Iterable[str]) -> None:
        """Re-index the tags and notes of these articles."""
        with self._wake:
            self._annotations.update(article_ids)
            self._start()
            self._wake.notify()

    @property
    def idle(self) -> bool:
        with self._wake:
            return not (self._busy or self._full or self._paths or self._annotations)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """For tests and benches: wait until every request so far is done."""
        with self._wake:
            return self._wake.wait_for(
                lambda: not (self._busy or self._full or self._paths or self._annotations)
                or self._stopping, timeout)

    def stop(self, timeout: float = 3.0) -> None:
        """Stop after the current step (an update in progress is cancelled)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # -- the thread ------------------------------------------------------------------------
    def _start(self) -> None:
        if self._thread is None and not self._stopping:
            self._thread = threading.Thread(target=self._run, name="search index",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._stopping or self._full or bool(self._paths)
                                    or bool(self._annotations))
                if self._stopping:
                    self._wake.notify_all()
                    return
                full, paths, annotated = self._full, frozenset(self._paths), \
                    sorted(self._annotations)
                self._full, self._paths, self._annotations = False, set(), set()
                self._busy = True
            try:
                changed, notice = False, ""
                if full or paths:
                    changed, notice = self._update(full, paths)
                if annotated:
                    changed = self._annotate(annotated) or changed
                if self.on_done is not None and not self._stopping:
                    self.on_done(changed, notice)
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    def _update(self, full: bool, paths: frozenset[str]) -> tuple[bool, str]:
        def progress(done: int, total: int) -> None:
            if total >= SHOW_PROGRESS_MIN and self.on_progress is not None:
                self.on_progress(done, total)

        try:
            with self.lock:
                report = self.index.update(progress, lambda: self._stopping,
                                           paths=None if full else paths)
                self.index.warm()  # the next search typed is as quick as the ones after it
        except IndexBusy as exc:
            return False, f"Search: {exc}; searching the index as it stands."
        except Exception as exc:  # noqa: BLE001 - the index is a rebuildable cache
            return False, f"Search index not updated: {exc}"
        if report.cancelled and not self._stopping:  # carried to the next round
            with self._wake:
                if full:
                    self._full = True
                self._paths.update(paths)
        return (not report.unchanged or report.rebuilt), report.notice

    def _annotate(self, article_ids: list[str]) -> bool:
        try:
            with self.lock:
                for article_id in article_ids:
                    if self._stopping:
                        return False
                    self.index.update_annotations(article_id)
        except Exception:  # noqa: BLE001 - the index is a rebuildable cache: next update
            return False
        return True


@dataclass(slots=True)
class Services:
    """Built once per app from a :class:`Config`."""

    config: Config
    library: Library
    store: AnnotationStore
    vocabulary: Vocabulary
    index: SearchIndex
    state: UIState
    keeper: IndexKeeper
    reading: Reading = field(default_factory=Reading)
    articles: Sequence[ArticleMeta] = ()  # the library as last listed
    shown_coders: tuple[str, ...] = ()  # whose passages the reading view and review show
    vocabulary_stamp: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        self.vocabulary_stamp = _stamp(self.vocabulary.path)

    def refresh_vocabulary(self) -> bool:
        """Re-read the vocabulary if its file changed (another program, by hand, a second
        reader); True when it was re-read. A stat: cheap enough before every tag picker."""
        stamp = _stamp(self.vocabulary.path)
        if stamp == self.vocabulary_stamp:
            return False
        self.vocabulary_stamp = stamp
        self.vocabulary.reload()
        return True

    def vocabulary_written(self) -> None:
        """This app changed the vocabulary file: no need to read it again."""
        self.vocabulary_stamp = _stamp(self.vocabulary.path)

    @classmethod
    def for_config(cls, config: Config) -> Services:
        index = SearchIndex(config)
        try:  # who codes; nobody found: the app asks (see reader.annotations.coders)
            found = coders.resolve(None, config.library)
        except ValueError:
            found = None
        store = AnnotationStore(config.annotations_dir,
                                coder=found.name if found is not None else None)
        return cls(config, Library(config), store,
                   Vocabulary(config.vocabulary_path), index,
                   UIState.for_dir(config.state_dir), IndexKeeper(index))
