"""LibraryScreen: the main screen. The article list (left) and the reading view (right).

Startup never does per-article work on the UI thread: the metadata cache is read in a thread
worker and shown at once, then an incremental scan refreshes it (with a progress bar when it
is long), then the library is watched for new, changed and removed files.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader.library.articles import ArticleNotFound
from reader.models import Article, ArticleMeta
from reader.ui.messages import AnnotationsChanged
from reader.ui.search_controller import SEARCH_BINDINGS, SearchController, history_path
from reader.ui.tagging import TAGGING_ACTIONS, TAGGING_BINDINGS, Tagger, TaggingActions
from reader.ui.widgets.article_list import ArticleList, RowNotes
from reader.ui.widgets.reading_placeholder import load_view_class
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.search_results import SearchResults

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

POLL_SECONDS = 3.0  # cheap check (folder mtimes) for new / removed files
FULL_SCAN_MIN_SECONDS = 20.0  # full incremental scan (catches edited files), scaled by its cost
SHOW_PROGRESS_AFTER = 0.4  # seconds of scanning before the progress bar appears


class ScanCancelled(Exception):
    """Raised from the progress callback to stop a scan when the app quits."""


class ScanProgress(Message):
    """From the scan worker (thread-safe via post_message)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ScanProgress)


class LibraryScreen(SearchController, TaggingActions, Screen[None]):
    CSS_PATH = "library.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", tooltip="Search the articles",
                id="focus_search"),
        *TAGGING_BINDINGS,
        *SEARCH_BINDINGS,
        Binding("z", "toggle_list", "List", tooltip="Hide or show the article list",
                id="toggle_list"),
        Binding("escape", "back_to_list", "List", show=False,
                tooltip="Back to the article list", id="back_to_list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._metas: list[ArticleMeta] = []
        self._scan_started = 0.0
        self._last_full_scan = 0.0
        self._full_scan_cost = 0.0
        self._dir_mtimes: dict[str, float] = {}
        self._first_shown = False
        self._scanned = False
        self._index_started = False
        self._list_shown = threading.Event()
        self._save_timer: Any = None

    @property
    def reader(self) -> ReaderApp:
        from reader.ui.app import ReaderApp

        assert isinstance(self.app, ReaderApp)
        return self.app

    # -- composition -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        view_class = load_view_class()
        with Horizontal(id="main"):
            with Vertical(id="left-pane"):
                yield SearchBar(history_path(self.reader), id="search-bar")
                yield Static("", id="search-status")
                yield ProgressBar(id="index-progress", show_eta=False)
                yield ArticleList(id="article-list", sort_key=self.reader.state.sort)
                yield SearchResults(id="search-results")
                with Vertical(id="scan-status"):
                    yield ProgressBar(id="scan-progress", show_eta=False)
                yield Static("Loading the library…", id="list-status")
            yield view_class(id="article-view")
        yield Footer(compact=True)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#article-list", ArticleList)

    @property
    def view(self) -> Any:
        return self.query_one("#article-view")

    def on_mount(self) -> None:
        self.tagger = Tagger(self, self.view)
        self.article_list.focus()
        self.query_one("#list-status", Static).tooltip = "Articles in the library"
        self.view.show_message("Choose an article on the left: ↑/↓ then Enter, or click it.")
        self.article_list.set_empty_message("Loading the library…")
        self.load_library()  # the search index is brought up to date once the list is read:
        self.set_interval(POLL_SECONDS, self._poll)

    # -- loading the library -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library-scan", exit_on_error=False,
          name="read the library")
    def load_library(self) -> None:
        worker = get_current_worker()
        library = self.reader.library
        cached = library.cached()
        if cached is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._show_articles, cached, False)
            # the walk that checks the files waits for the first screen rather than share the
            # CPU with sorting and drawing it
            self._list_shown.wait(timeout=3.0)
        self._scan(worker)

    @work(thread=True, exclusive=True, group="library-scan", exit_on_error=False,
          name="rescan the library")
    def rescan(self) -> None:
        self._scan(get_current_worker())

    def _scan(self, worker: Worker[None]) -> None:
        library = self.reader.library
        started = time.monotonic()
        last_post = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_post
            if worker.is_cancelled:  # quitting: stop reading files now
                raise ScanCancelled
            now = time.monotonic()
            if now - last_post > 0.1 or done == total:
                last_post = now
                self.post_message(ScanProgress(done, total))

        def partial(metas: list[ArticleMeta]) -> None:
            if worker.is_cancelled:
                raise ScanCancelled
            self.app.call_from_thread(self._show_partial, metas)

        self._scan_started = started
        try:
            # a first run (nothing listed yet) shows the articles read so far as it goes
            metas = library.scan(progress, partial=None if self._metas else partial)
        except ScanCancelled:
            return
        self._full_scan_cost = time.monotonic() - started
        self._last_full_scan = time.monotonic()
        self._dir_mtimes = self._folder_mtimes()
        if worker.is_cancelled:
            return
        changed = metas != self._metas or not self._scanned
        self._scanned = True
        opened: Article | None = getattr(self.view, "article", None)
        open_meta: ArticleMeta | None = None
        if opened is not None and changed:
            open_meta = next((m for m in metas if m.id == opened.id), None)
        self.app.call_from_thread(self._scan_done, metas if changed else None, open_meta)

    def _folder_mtimes(self) -> dict[str, float]:
        """mtime of articles/ and its sub-folders: a file added or removed changes one."""
        root = self.reader.config.articles_dir
        out: dict[str, float] = {}
        try:
            out[str(root)] = root.stat().st_mtime
        except OSError:
            return out
        for folder, subfolders, _files in os.walk(root):
            for name in subfolders:
                path = os.path.join(folder, name)
                try:
                    out[path] = os.stat(path).st_mtime
                except OSError:
                    continue
        return out

    def _folders_changed(self) -> bool:
        known = self._dir_mtimes
        root = str(self.reader.config.articles_dir)
        if root not in known:
            return os.path.isdir(root)  # articles/ appeared
        for folder, mtime in known.items():
            try:
                if os.stat(folder).st_mtime != mtime:
                    return True
            except OSError:
                return True
        return False

    def _poll(self) -> None:
        if any(w.group == "library-scan" and w.is_running for w in self.workers):
            return
        self._check_for_changes()

    @work(thread=True, exclusive=False, group="library-poll", exit_on_error=False,
          name="watch the library")
    def _check_for_changes(self) -> None:
        due = time.monotonic() - self._last_full_scan > max(FULL_SCAN_MIN_SECONDS,
                                                              30 * self._full_scan_cost)
        if due or self._folders_changed():
            self.app.call_from_thread(self.rescan)

    @on(ScanProgress)
    def _scan_progress(self, message: ScanProgress) -> None:
        if time.monotonic() - self._scan_started < SHOW_PROGRESS_AFTER and self._first_shown:
            return
        if message.total < 50 or message.done >= message.total:
            return
        bar = self.query_one("#scan-progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        self.query_one("#scan-status").display = True
        self._status(f"Reading articles: {message.done:,} of {message.total:,}…")

    def _show_partial(self, metas: list[ArticleMeta]) -> None:
        if not self._scanned:
            self._show_articles(metas, False)

    def _scan_done(self, metas: list[ArticleMeta] | None, open_meta: ArticleMeta | None) -> None:
        self.query_one("#scan-status").display = False
        if metas is not None:
            had_articles = bool(self._metas)
            before = self._metas
            self._show_articles(metas, True)
            if had_articles:
                self._check_open_article(open_meta)
                if self._index_started:  # the index takes in the files this scan saw change
                    self.update_index(changed_paths(before, metas))
        else:
            self._status_summary()
        self._start_index()

    def _start_index(self) -> None:
        """Bring the search index up to date once, after the first read of the library: both
        at once would share the CPU and keep a first-time list waiting for seconds."""
        if not self._index_started:
            self._index_started = True
            self.update_index()

    def _show_articles(self, metas: Sequence[ArticleMeta], final: bool) -> None:
        self._metas = list(metas)
        self.reader.articles = self._metas
        article_list = self.article_list
        if not metas:
            article_list.set_empty_message(self._empty_text() if final else
                                           "Loading the library…")
        article_list.set_articles(self._metas, on_done=self._after_list_shown)
        self._refresh_notes()

    def _after_list_shown(self) -> None:
        self._list_shown.set()
        self._status_summary()
        if not self._first_shown and self._metas:
            self._first_shown = True
            last = self.reader.state.last_article
            if last:
                self.article_list.select_id(last)
        if not self._metas:
            self.view.show_message(self._empty_text())
        self.reader.list_ready()

    def _empty_text(self) -> str:
        folder = self.reader.config.articles_dir
        where = ("" if folder.is_dir()
                 else "\n\n(That folder does not exist yet: create it.)")
        return (f"No articles yet.\n\nPut UTF-8 .txt or .md files (optionally with YAML "
                f"front matter: title, source, date) in:\n\n{folder}{where}\n\n"
                f"Sub-folders are fine. New files appear here by themselves.")

    def _status(self, text: str) -> None:
        self.query_one("#list-status", Static).update(text)

    def _status_summary(self) -> None:
        n = len(self._metas)
        warned = sum(1 for m in self._metas if m.warnings) if n < 5000 else 0
        text = f"{n:,} article{'s' if n != 1 else ''} · by {self.article_list.sort_key}"
        if warned:
            text += f" · {warned} with warnings"
        self._status(text)

    def _check_open_article(self, fresh: ArticleMeta | None) -> None:
        """After a rescan: reload the open article if its file changed, warn if removed."""
        article: Article | None = getattr(self.view, "article", None)
        if article is None:
            return
        if fresh is None:
            self.notify(f"“{article.meta.title}” was removed from the library.",
                        severity="warning")
            return
        if (fresh.mtime, fresh.size) != (article.meta.mtime, article.meta.size):
            self.open_article(article.id, announce="The article changed on disk; reloaded.")

    # -- annotations summary -----------------------------------------------------------------
    def _refresh_notes(self) -> None:
        if callable(getattr(self.reader.store, "summary", None)):
            self._load_notes()

    @work(thread=True, exclusive=True, group="notes-summary", exit_on_error=False,
          name="count annotations")
    def _load_notes(self) -> None:
        summary: Mapping[str, object] = getattr(self.reader.store, "summary")()  # noqa: B009
        notes = {key: to_row_notes(value) for key, value in summary.items()}
        colours = {t.name: t.colour for t in self.reader.vocabulary.tags}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.article_list.set_notes, notes, colours)

    def on_annotations_changed(self, _message: AnnotationsChanged) -> None:
        self._refresh_notes()

    # -- opening an article ------------------------------------------------------------------
    @on(ArticleList.Selected)
    def _selected(self, message: ArticleList.Selected) -> None:
        self.open_article(message.meta.id)

    @on(ArticleList.SortChanged)
    def _sort_changed(self, message: ArticleList.SortChanged) -> None:
        self.reader.state.sort = message.sort_key
        self.reader.save_state_soon()
        self._status_summary()

    def sort_by(self, key: str) -> None:
        self.article_list.sort_key = key

    def open_article(self, article_id: str, *, announce: str = "") -> None:
        """Load the article in a thread worker (a 20 MB file must not freeze the UI)."""
        self.article_list.select_id(article_id)
        current: Article | None = getattr(self.view, "article", None)
        if current is None or current.id != article_id:
            self.view.show_message("Loading…")
        self._load_article(article_id, announce)

    @work(thread=True, exclusive=True, group="open-article", exit_on_error=False,
          name="open an article")
    def _load_article(self, article_id: str, announce: str) -> None:
        try:
            article = self.reader.library.load(article_id)
        except ArticleNotFound:
            self.app.call_from_thread(self._open_failed, article_id, "it is no longer there")
            return
        except OSError as exc:
            self.app.call_from_thread(self._open_failed, article_id,
                                      exc.strerror or str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_article, article, announce)

    def _open_failed(self, article_id: str, reason: str) -> None:
        self.view.show_message(f"Could not open {article_id}: {reason}.")
        self.notify(f"Could not open {article_id}: {reason}.", severity="error")

    def _show_article(self, article: Article, announce: str) -> None:
        state = self.reader.state
        self.view.show(article, scroll_y=state.position(article.id))
        try:
            self.tagger.show(article)
        except ImportError:  # the reading view stand-in has no highlights
            pass
        self.article_list.set_open(article.id)
        self.show_search_hits(article)
        state.opened(article.id)
        self.reader.save_state_soon()
        if article.meta.warnings:
            self.notify("\n".join(article.meta.warnings), title="This file has problems",
                        severity="warning")
        if announce:
            self.notify(announce)
        if self.query_one("#left-pane").display is False or self.article_list.has_focus:
            self.view.focus()

    def on_article_view_scrolled(self, message: Any) -> None:
        """ArticleView.Scrolled: remember the reading position of the article."""
        self.reader.state.set_position(message.article_id, message.scroll_y)
        self.reader.save_state_soon()

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TAGGING_ACTIONS:
            return self.check_tagging_action(action)
        if action == "focus_search":
            return bool(self.query("#search-bar"))
        if action == "back_to_list":
            return not self.article_list.has_focus
        return True

    def action_focus_search(self) -> None:
        bars = self.query("#search-bar")
        if bars:
            bars.first().focus()

    def action_toggle_list(self) -> None:
        pane = self.query_one("#left-pane")
        pane.display = not pane.display
        if pane.display:
            self.article_list.focus()
        else:
            self.view.focus()

    def action_back_to_list(self) -> None:
        if self.return_to_screen():
            return
        pane = self.query_one("#left-pane")
        pane.display = True
        if self.search_active:
            self.search_results.focus()
            return
        self.article_list.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"{event.worker.name}: {error}", title="Something went wrong",
                        severity="error", timeout=10)
            if event.worker.group == "library-scan":
                self._start_index()
                self.query_one("#scan-status").display = False
                if not self._metas:
                    self.article_list.set_empty_message(
                        f"Could not read the library: {error}")


def changed_paths(before: Sequence[ArticleMeta], after: Sequence[ArticleMeta]) -> list[str]:
    """Article files added, changed (size or mtime) or removed between two scans."""
    old = {m.path: (m.size, m.mtime) for m in before}
    new = {m.path: (m.size, m.mtime) for m in after}
    return ([p for p, state in new.items() if old.get(p) != state]
            + [p for p in old if p not in new])


def to_row_notes(value: object) -> RowNotes:
    """Accept what ``AnnotationStore.summary()`` gives per article: an object with ``count``
    and ``tags``, a ``(count, tags)`` pair, or a count."""
    if isinstance(value, RowNotes):
        return value
    if isinstance(value, int):
        return RowNotes(value)
    if isinstance(value, tuple) and len(value) == 2:
        return RowNotes(int(value[0]), tuple(str(t) for t in value[1]))
    count = getattr(value, "count", 0)
    tags = getattr(value, "tags", ())
    return RowNotes(int(count) if isinstance(count, int) else 0,
                    tuple(str(t) for t in tags))
