"""LibraryScreen: the main screen, composed of the search pane and the article list (left)
and the reading view (right). The widgets report what happened by messages; the screen
answers by calling them. It listens to the app-level events (annotations, vocabulary,
articles changed here or elsewhere; the search index updated) instead of being poked.

Startup never does per-article work on the UI thread: the metadata cache is read in a thread
worker and shown at once, then an incremental scan refreshes it (with a progress bar when it
is long); after that, changes on disk come from the app's watcher as
:class:`~reader.ui.messages.ArticlesChanged`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader.models import ArticleMeta
from reader.ui.messages import (
    AnnotationsChanged,
    ArticlesChanged,
    IndexProgress,
    IndexUpdated,
    MemosChanged,
    VocabularyChanged,
)
from reader.ui.reading import ReadingController
from reader.ui.services import Services
from reader.ui.tagging import Tagger
from reader.ui.widgets.article_list import ArticleList, RowNotes
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.search_pane import SearchPane
from reader.ui.widgets.search_results import SearchResults

SHOW_PROGRESS_AFTER = 0.4  # seconds of scanning before the progress bar appears
SAFETY_SCAN_SECONDS = 60.0  # a full incremental scan now and then (scaled by its cost)


class ScanCancelled(Exception):
    """Raised from the progress callback to stop a scan when the app quits."""


class ScanProgress(Message):
    """From the scan worker (thread-safe via post_message)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ScanProgress)


class LibraryScreen(Screen[None]):
    CSS_PATH = "library.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", tooltip="Search the articles",
                id="focus_search"),
        Binding("ctrl+r", "review", "Review", tooltip="Review every tagged passage (filter, "
                "sort, export)", id="review"),
        Binding("z", "toggle_list", "List", tooltip="Hide or show the article list",
                id="toggle_list"),
        Binding("escape", "back_to_list", "List", show=False,
                tooltip="Back to the article list", id="back_to_list"),
        Binding("M", "memos", "Memos", show=False, tooltip="Memos of the article being read "
                "(read, add, edit)", id="article_memos"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.reading = ReadingController(self, services)
        self._metas: list[ArticleMeta] = []
        self._scan_started = 0.0
        self._last_full_scan = 0.0
        self._full_scan_cost = 0.0
        self._first_shown = False
        self._scanned = False
        self._index_started = False
        self._rescan_wanted = False
        self._list_shown = threading.Event()
        self.first_list_at: float | None = None  # monotonic time the list first had rows

    # -- composition -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left-pane"):
                yield SearchPane(self.services, id="search-pane")
                yield ArticleList(id="article-list", sort_key=self.services.state.sort)
                with Vertical(id="scan-status"):
                    yield ProgressBar(id="scan-progress", show_eta=False)
                yield Static("Loading the library…", id="list-status")
            yield ArticleView(Tagger(self.services), id="article-view")
        yield KeyFooter()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def search(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def search_bar(self) -> SearchBar:
        return self.search.bar

    @property
    def search_results(self) -> SearchResults:
        return self.search.results

    def on_mount(self) -> None:
        self.article_list.focus()
        self.query_one("#list-status", Static).tooltip = "Articles in the library"
        self.view.show_message("Choose an article on the left: ↑/↓ then Enter, or click it.")
        self.article_list.set_empty_message("Loading the library…")
        self.load_library()  # the search index is brought up to date once the list is read
        self.set_interval(SAFETY_SCAN_SECONDS / 4, self._safety_scan)

    # -- loading the library -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="library-scan", exit_on_error=False,
          name="read the library")
    def load_library(self) -> None:
        worker = get_current_worker()
        cached = self.services.library.cached()
        if cached is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._show_articles, cached, False)
            # the walk that checks the files waits for the first screen rather than share the
            # CPU with sorting and drawing it
            self._list_shown.wait(timeout=3.0)
        self._scan(worker)

    @work(thread=True, exclusive=True, group="library-scan", exit_on_error=False,
          name="read the library again")
    def rescan(self) -> None:
        self._scan(get_current_worker())

    def _scan(self, worker: Worker[None]) -> None:
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
            metas = self.services.library.scan(progress,
                                               partial=None if self._metas else partial)
        except ScanCancelled:
            return
        self._full_scan_cost = time.monotonic() - started
        self._last_full_scan = time.monotonic()
        if worker.is_cancelled:
            return
        changed = metas != self._metas or not self._scanned
        self._scanned = True
        self.app.call_from_thread(self._scan_done, metas if changed else None)

    def _safety_scan(self) -> None:
        """Changes the watcher could not see (a file system without notifications)."""
        due = time.monotonic() - self._last_full_scan > max(SAFETY_SCAN_SECONDS,
                                                              30 * self._full_scan_cost)
        if due and self._scanned and not self._scanning():
            self.rescan()

    def _scanning(self) -> bool:
        return any(w.group == "library-scan" and w.is_running for w in self.workers)

    def on_articles_changed(self, _message: ArticlesChanged) -> None:
        if self._scanning():
            self._rescan_wanted = True  # once this scan is done
        elif self._scanned:
            self.rescan()

    @on(ScanProgress)
    def _scan_progress(self, message: ScanProgress) -> None:
        if time.monotonic() - self._scan_started < SHOW_PROGRESS_AFTER and self._first_shown:
            return
        if message.total < 50 or message.done >= message.total:
            return
        self.query_one("#scan-progress", ProgressBar).update(total=message.total,
                                                              progress=message.done)
        self.query_one("#scan-status").display = True
        self._status(f"Reading articles: {message.done:,} of {message.total:,}…")

    def _show_partial(self, metas: list[ArticleMeta]) -> None:
        if not self._scanned:
            self._show_articles(metas, False)

    def _scan_done(self, metas: list[ArticleMeta] | None) -> None:
        self.query_one("#scan-status").display = False
        if metas is not None:
            before = self._metas
            self._show_articles(metas, True)
            if before:
                self.reading.library_changed(metas)
                if self._index_started:  # the index takes in the files this scan saw change
                    self.services.keeper.update(changed_paths(before, metas))
        else:
            self._status_summary()
        if not self._index_started:
            # after the first read of the library: both at once would share the CPU and keep
            # a first-time list waiting for seconds
            self._index_started = True
            self.services.keeper.update()
        if self._rescan_wanted:
            self._rescan_wanted = False
            self.rescan()

    def _show_articles(self, metas: Sequence[ArticleMeta], final: bool) -> None:
        self._metas = list(metas)
        self.services.articles = self._metas
        article_list = self.article_list
        if not metas:
            article_list.set_empty_message(self._empty_text() if final else
                                           "Loading the library…")
        article_list.set_articles(self._metas, on_done=self._after_list_shown)
        self._load_notes()

    def _after_list_shown(self) -> None:
        self._list_shown.set()
        self._status_summary()
        if not self._first_shown and self._metas:
            self._first_shown = True
            last = self.services.state.last_article
            if last:
                self.article_list.select_id(last)
        if not self._metas:
            self.view.show_message(self._empty_text())
        if self.first_list_at is None and self._metas:
            self.first_list_at = time.monotonic()

    def _empty_text(self) -> str:
        folder = self.services.config.articles_dir
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
        tagger = self.view.tagger
        if tagger is not None and tagger.last_tags:
            text += f" · current tag (.): {tagger.current_label()}"
        self._status(text)

    # -- annotation counts in the list -------------------------------------------------------
    @work(thread=True, exclusive=True, group="notes-summary", exit_on_error=False,
          name="count annotations")
    def _load_notes(self) -> None:
        summary = self.services.store.summary()
        notes = {key: RowNotes(count, tags) for key, (count, tags) in summary.items()}
        colours = {t.name: t.colour for t in self.services.vocabulary.tags}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.article_list.set_notes, notes, colours)

    # -- app-level events --------------------------------------------------------------------
    def on_annotations_changed(self, message: AnnotationsChanged) -> None:
        self._load_notes()
        if self._scanned:
            self._status_summary()  # the current tag may have changed
        self.search.annotations_changed(message)
        self.reading.annotations_changed(message)
        self.refresh_bindings()

    def on_vocabulary_changed(self, message: VocabularyChanged) -> None:
        self._load_notes()
        self.reading.vocabulary_changed(message)

    def on_memos_changed(self, _message: MemosChanged) -> None:
        self.search.memos_changed()

    def on_index_progress(self, message: IndexProgress) -> None:
        self.search.index_progress(message.done, message.total)

    def on_index_updated(self, message: IndexUpdated) -> None:
        if message.notice:
            self.notify(message.notice, severity="warning")
        self.search.index_updated(message.changed)

    # -- the widgets' messages ---------------------------------------------------------------
    @on(ArticleView.Scrolled)
    def _scrolled(self, message: ArticleView.Scrolled) -> None:
        self.reading.scrolled(message)

    @on(ArticleView.SelectionChanged)
    def _selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        self.reading.selection_changed(message)

    @on(ArticleList.Selected)
    def _selected(self, message: ArticleList.Selected) -> None:
        self.reading.open(message.meta.id)

    @on(ArticleList.TypedAhead)
    def _typed_ahead(self, message: ArticleList.TypedAhead) -> None:
        self.query_one("#left-pane").display = True
        self.search.focus_box(message.text, add=not message.first)

    @on(ArticleList.SortChanged)
    def _sort_changed(self, message: ArticleList.SortChanged) -> None:
        self.services.state.sort = message.sort_key
        self.services.state.touch()
        self._status_summary()

    @on(SearchPane.Toggled)
    def _search_toggled(self, message: SearchPane.Toggled) -> None:
        self.article_list.display = not message.active

    @on(SearchPane.Left)
    def _search_left(self) -> None:
        self.article_list.focus()
        self.view.set_hits([])

    @on(SearchPane.Opened)
    def _result_opened(self, message: SearchPane.Opened) -> None:
        self.reading.open_at_hits(message.result.id, message.query)

    def sort_by(self, key: str) -> None:
        self.article_list.sort_key = key

    def open_article(self, article_id: str, *, announce: str = "") -> None:
        self.reading.open(article_id, announce=announce)

    def open_passage(self, article_id: str, start: int, end: int, back_to: str = "") -> None:
        self.reading.open_passage(article_id, start, end, back_to)

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_to_list":
            return not self.article_list.has_focus
        if action in ("toggle_list", "memos"):  # typed in the list or the box: letters
            return self.view.has_focus
        return True

    def action_focus_search(self, typed: str = "") -> None:
        self.query_one("#left-pane").display = True
        self.search.focus_box(typed)

    def action_toggle_list(self) -> None:
        pane = self.query_one("#left-pane")
        pane.display = not pane.display
        if pane.display:
            self.article_list.focus()
        else:
            self.view.focus()

    def action_back_to_list(self) -> None:
        if self.reading.return_to_screen():
            return
        self.query_one("#left-pane").display = True
        if self.search.active:
            self.search.focus_results()
        else:
            self.article_list.focus()

    def action_review(self) -> None:
        from reader.ui.screens.review import SCREEN_NAME, ReviewScreen

        app = self.app
        self.reading.forget_return()
        if not app.is_screen_installed(SCREEN_NAME):
            app.install_screen(ReviewScreen(self.services), SCREEN_NAME)
        screen = app.get_screen(SCREEN_NAME)
        if screen in app.screen_stack:  # already open (e.g. from the palette): go to it
            while app.screen is not screen:
                app.pop_screen()
            return
        app.push_screen(SCREEN_NAME)

    def action_memos(self) -> None:
        from reader.ui.screens.memos import MemosScreen

        article_id = self.services.reading.article_id
        self.app.push_screen(MemosScreen(self.services, "article", article_id) if article_id
                             else MemosScreen(self.services))

    def action_tag_every_hit(self) -> None:
        self.search.tag_every_hit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"{event.worker.name}: {error}", title="Something went wrong",
                        severity="error", timeout=10)
            if event.worker.group == "library-scan":
                self.query_one("#scan-status").display = False
                if not self._index_started:
                    self._index_started = True
                    self.services.keeper.update()
                if not self._metas:
                    self.article_list.set_empty_message(
                        f"Could not read the library: {error}")


def changed_paths(before: Sequence[ArticleMeta], after: Sequence[ArticleMeta]) -> list[str]:
    """Article files added, changed (size or mtime) or removed between two scans."""
    old = {m.path: (m.size, m.mtime) for m in before}
    new = {m.path: (m.size, m.mtime) for m in after}
    return ([p for p, state in new.items() if old.get(p) != state]
            + [p for p in old if p not in new])
