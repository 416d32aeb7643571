"""LibraryWatcher: what changed on disk under ``articles/`` and ``annotations/`` (another
reader, the command line, an editor, a ``git pull``), reported within about a second.

It uses watchfiles (the operating system's change notifications: inotify, FSEvents,
ReadDirectoryChangesW) in one thread, so an idle library of 100k articles costs nothing.
Where notifications are not available (some network file systems, a watch limit reached) it
falls back to polling what matters: the vocabulary, the annotation files, the open article
(every second) and the folders of ``articles/`` (new or removed files, every few seconds).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchfiles import watch

from reader.config import Config
from reader.library.articles import ARTICLE_SUFFIXES
from reader.ui.services import Reading

ANNOTATION_SUFFIX = ".yaml"
MEMO_SUFFIX = ".md"  # memos: annotations/memos/**/*.md
POLL_SECONDS = 1.0
FOLDER_POLL_SECONDS = 3.0
STEP_MS = 50  # changes are reported once the disk has been quiet this long


@dataclass(slots=True)
class Changes:
    vocabulary: bool = False
    annotations: set[str] = field(default_factory=set)  # article ids
    articles: set[str] = field(default_factory=set)  # paths under articles/
    rescan: bool = False  # folders came or went: read the library again
    memos: bool = False  # a memo file came, changed or went

    def __bool__(self) -> bool:
        return (self.vocabulary or bool(self.annotations or self.articles) or self.rescan
                or self.memos)


def classify(config: Config, paths: list[str]) -> Changes:
    """Sort changed paths into what the reader must take in; the rest is ignored."""
    out = Changes()
    articles, annotations = str(config.articles_dir), str(config.annotations_dir)
    for path in paths:
        if path.startswith(annotations + os.sep):
            rel = Path(path).relative_to(annotations).as_posix()
            if rel == config.vocabulary_path.name:
                out.vocabulary = True
            elif rel.startswith("memos/") and not _hidden(rel):
                out.memos |= rel.endswith(MEMO_SUFFIX) or not os.path.isfile(path)
            elif rel.endswith(ANNOTATION_SUFFIX) and not _hidden(rel):
                out.annotations.add(rel[: -len(ANNOTATION_SUFFIX)])
        elif path.startswith(articles + os.sep):
            rel = Path(path).relative_to(articles).as_posix()
            if _hidden(rel):
                continue
            if rel.lower().endswith(ARTICLE_SUFFIXES):
                out.articles.add(rel)
            elif not os.path.isfile(path):  # a folder (or something gone): read again
                out.rescan = True
        elif path in (articles, annotations):
            out.rescan = True
    return out


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


class LibraryWatcher:
    """Calls ``on_change`` (from its thread) with each batch of :class:`Changes`."""

    def __init__(self, config: Config, reading: Reading,
                 on_change: Callable[[Changes], None]) -> None:
        self.config = config
        self.reading = reading
        self.on_change = on_change
        self.mode = ""  # "notify" or "poll", once started
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._stamps: dict[str, tuple[int, int]] = {}
        self._folders: dict[str, float] = {}
        self._open: tuple[str, tuple[int, int] | None] = ("", None)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="library watcher",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _folders_to_watch(self) -> list[str]:
        return [str(d) for d in (self.config.articles_dir, self.config.annotations_dir)
                if d.is_dir()]

    def _run(self) -> None:
        notify = True
        while not self._stop.is_set():
            folders = self._folders_to_watch()
            if notify and folders:
                try:
                    self.mode = "notify"
                    for batch in watch(*folders, stop_event=self._stop, step=STEP_MS,
                                       rust_timeout=1000, yield_on_timeout=True,
                                       raise_interrupt=False, ignore_permission_denied=True):
                        if batch:
                            self._report(classify(self.config, [p for _, p in batch]))
                        if self._folders_to_watch() != folders:
                            self._report(Changes(vocabulary=True, rescan=True))
                            break  # a folder came or went: watch again
                    continue
                except Exception:  # noqa: BLE001 - no notifications here: poll instead
                    notify = False
            self.mode = "poll"
            self._poll()
            self._stop.wait(POLL_SECONDS)

    def _report(self, changes: Changes) -> None:
        if changes and not self._stop.is_set():
            self.on_change(changes)

    # -- polling -----------------------------------------------------------------------------
    def _poll(self) -> None:
        first = not self._stamps and not self._folders
        changes = Changes()
        stamps: dict[str, tuple[int, int]] = {}
        annotations = self.config.annotations_dir
        for folder, _dirs, files in os.walk(annotations):
            _dirs[:] = [d for d in _dirs if not d.startswith(".")]
            for name in files:
                if name.endswith((ANNOTATION_SUFFIX, ".yml", MEMO_SUFFIX)) \
                        and not name.startswith("."):
                    path = os.path.join(folder, name)
                    stamp = _stat(path)
                    if stamp is not None:
                        stamps[path] = stamp
        for path in set(stamps) ^ set(self._stamps) | {
                p for p in stamps if self._stamps.get(p) != stamps[p]}:
            changes = _merge(changes, classify(self.config, [path]))
        self._stamps = stamps
        if self.reading.path:
            path = str(self.config.articles_dir / self.reading.path)
            stamp = _stat(path)
            if self._open[0] == path and self._open[1] != stamp:
                changes.articles.add(self.reading.path)
            self._open = (path, stamp)
        now = time.monotonic()
        if first or now - self._folders.get("", 0.0) >= FOLDER_POLL_SECONDS:
            folders = _folder_mtimes(self.config.articles_dir)
            folders[""] = now
            if not first and {k: v for k, v in folders.items() if k} != {
                    k: v for k, v in self._folders.items() if k}:
                changes.rescan = True
            self._folders = folders
        if not first:
            self._report(changes)


def _merge(a: Changes, b: Changes) -> Changes:
    a.vocabulary |= b.vocabulary
    a.annotations |= b.annotations
    a.articles |= b.articles
    a.rescan |= b.rescan
    a.memos |= b.memos
    return a


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _folder_mtimes(root: Path) -> dict[str, float]:
    """mtime of ``articles/`` and its sub-folders: a file added or removed changes one."""
    out: dict[str, float] = {}
    for folder, subfolders, _files in os.walk(root):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        try:
            out[folder] = os.stat(folder).st_mtime
        except OSError:
            continue
    return out
