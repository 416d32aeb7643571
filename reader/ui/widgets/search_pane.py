"""SearchPane: the search box, its status line and index progress, and the ranked results.

Typing searches after a short pause, in a thread worker. One search runs at a time: a query
typed while one runs waits as the next one (only the newest is kept), so searches the user
has typed past never pile up competing for the processor; their results are dropped (a
generation counter), and the next search starts the moment the running one ends. It
reports what the screen must act on:
:class:`SearchPane.Toggled` (results shown in place of the article list, or not),
:class:`SearchPane.Opened` (a result chosen) and :class:`SearchPane.Left` (the search was
cleared: the list takes the focus). Tagging from the results (``t``, ``T``, ``u``) is the
:class:`~reader.ui.result_tagging.ResultTagger`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, get_current_worker

from reader.search.index import QueryError, SearchResult
from reader.search.saved import SavedSearchError, SavedSearches
from reader.ui.messages import AnnotationsChanged
from reader.ui.result_tagging import ResultTagger
from reader.ui.services import Services
from reader.ui.widgets.search_bar import HISTORY_FILE, SearchBar
from reader.ui.widgets.search_results import SearchResults

DEBOUNCE = 0.05  # seconds between a key and the search, when none is running
RESULT_LIMIT = 20


class SearchPane(Vertical):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_search", "Save search", tooltip="Save this query under a "
                "name (then @name searches it)", id="search.save"),
    ]

    class Toggled(Message):
        """The results are shown (``active``) or the search is over."""

        def __init__(self, active: bool) -> None:
            super().__init__()
            self.active = active

    class Opened(Message):
        """A result was chosen: open it at its hits."""

        def __init__(self, result: SearchResult, query: str) -> None:
            super().__init__()
            self.result, self.query = result, query

    class Left(Message):
        """The search was cleared: back to the article list."""

    def __init__(self, services: Services, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.services = services
        self.tagger = ResultTagger(services, self)
        self._generation = 0
        self._timer: Timer | None = None
        self._index_ready = False
        self._worker: Worker[None] | None = None  # the search running, if any
        self._next: tuple[str, int] | None = None  # the search to run when it ends

    def compose(self) -> ComposeResult:
        yield SearchBar(self.history_path, id="search-bar")
        yield Static("", id="search-status")
        yield ProgressBar(id="index-progress", show_eta=False)
        yield SearchResults(self.tagger.can_undo, id="search-results")

    @property
    def history_path(self) -> Path:
        return self.services.config.state_dir / HISTORY_FILE

    @property
    def bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def results(self) -> SearchResults:
        return self.query_one(SearchResults)

    @property
    def active(self) -> bool:
        return bool(self.bar.value.strip())

    def status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(text)
        status.set_class(error, "error")
        status.display = bool(text)

    # -- calls from the screen ---------------------------------------------------------------
    def focus_box(self, typed: str = "", add: bool = False) -> None:
        """Focus the search box; ``typed`` starts a query (typed in the article list), or
        with ``add`` continues the one it started. The focus moves at once, not after the
        keys already waiting, so a query typed fast after ``/`` reaches the box whole."""
        bar = self.bar
        self.screen.set_focus(bar)
        if typed and add:
            bar.insert_text_at_cursor(typed)
        elif typed:
            bar.value = typed
            bar.cursor_position = len(typed)

    def focus_results(self) -> None:
        self.results.focus()

    def index_progress(self, done: int, total: int) -> None:
        bar = self.query_one("#index-progress", ProgressBar)
        bar.display = done < total
        bar.update(total=total, progress=done)
        if done < total:
            self.status(f"Indexing for search: {done:,} of {total:,}…")

    def index_updated(self, changed: bool) -> None:
        self._index_ready = True
        self.query_one("#index-progress").display = False
        if self.active and (changed or not self.results.results):
            self._run_search(self.bar.value)
        elif not self.active:
            self.status("")

    def memos_changed(self) -> None:
        """Memos changed: a ``memo:`` query may find other articles now."""
        if self.active and "memo" in self.expanded(self.bar.value).casefold():
            self._run_search(self.bar.value)

    def annotations_changed(self, message: AnnotationsChanged) -> None:
        self.tagger.annotations_changed(message)

    def clear(self) -> None:
        """End the search: empty box, no results; the list shows again."""
        self._generation += 1
        self._next = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        bar = self.bar
        if bar.value:
            with bar.prevent(SearchBar.QueryChanged):
                bar.value = ""
        self._show_list()
        self.post_message(self.Left())

    # -- typing ------------------------------------------------------------------------------
    @on(SearchBar.QueryChanged)
    def _query_changed(self, message: SearchBar.QueryChanged) -> None:
        message.stop()
        self._generation += 1
        if self._timer is not None:
            self._timer.stop()
        query = message.query
        if not query.strip():
            self._show_list()
            return
        self._timer = self.set_timer(DEBOUNCE, lambda: self._run_search(query))

    def _run_search(self, query: str, limit: int = RESULT_LIMIT) -> None:
        self._timer = None
        self._generation += 1
        generation = self._generation
        if self._worker is not None and not self._worker.is_finished:
            self._next = (query, limit)  # run when that one ends, unless typed past
            return
        if not self._index_ready and not self.results.results:
            self.status("Searching… (the search index is being brought up to date)")
        self._next = None
        self._worker = self.run_worker(lambda: self._search(query, generation, limit),
                                       thread=True, exclusive=True, group="search",
                                       name="search", exit_on_error=False)

    @on(Worker.StateChanged)
    def _worker_ended(self, event: Worker.StateChanged) -> None:
        """The search ended (errors are the screen's to report): the next one starts."""
        if event.worker is not self._worker or not event.worker.is_finished:
            return
        self._worker = None
        wanted, self._next = self._next, None
        if wanted is not None and self._timer is None and self.active:
            self._run_search(*wanted)

    def expanded(self, query: str) -> str:
        """``query`` with its saved searches (``@name``) written out; as typed when one
        cannot be (the search says why)."""
        try:
            return SavedSearches(self.services.config.annotations_dir).expand(query)
        except (QueryError, SavedSearchError):
            return query

    def _search(self, query: str, generation: int, limit: int) -> None:
        try:
            full = SavedSearches(self.services.config.annotations_dir).expand(query)
            results = self.services.index.search(  # no snippets for a search typed past
                full, limit=limit, cancelled=lambda: generation != self._generation)
            error = ""
        except QueryError as exc:
            results, error = [], str(exc)
        except SavedSearchError as exc:
            results, error = [], f"saved searches: {exc.path.name}: {exc.reason}"
        if generation == self._generation and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_results, generation, query, results, error,
                                      limit)

    def _show_results(self, generation: int, query: str, results: Sequence[SearchResult],
                      error: str, limit: int) -> None:
        if generation != self._generation:
            return  # the user typed on: a newer search is under way
        shown = self.results
        if not shown.display:
            shown.display = True
            self.add_class("-active")
            self.post_message(self.Toggled(True))
        if error:
            self.status(error, error=True)
            return  # keep the last good results
        shown.set_results(query, results, more=len(results) >= limit)
        if results:
            n = len(results)
            more = "+" if n >= limit else ""
            self.status(f"{n}{more} result{'s' if n != 1 else ''} · Enter opens")
        elif not self._index_ready:
            self.status("No results yet: the search index is being built…")
        else:
            self.status("No results.")

    def _show_list(self) -> None:
        shown = self.results
        was = shown.display
        shown.display = False
        shown.set_results("", [])
        self.remove_class("-active")
        self.status("")
        if was:
            self.post_message(self.Toggled(False))

    # -- from the box and the results --------------------------------------------------------
    @on(SearchBar.Accepted)
    def _accepted(self, message: SearchBar.Accepted) -> None:
        message.stop()
        if not message.query.strip():
            return
        results = self.results
        if results.results and results.query_text.strip() == message.query.strip():
            current = results.current
            if current is not None:
                self.post_message(self.Opened(current, self.expanded(message.query)))
        else:  # Enter before the debounce fired: search now, then focus the results
            self._run_search(message.query)
            results.focus()

    @on(SearchResults.Opened)
    def _opened(self, message: SearchResults.Opened) -> None:
        message.stop()
        self.bar.remember(self.results.query_text)
        self.post_message(self.Opened(message.result, self.expanded(self.results.query_text)))

    @on(SearchResults.MoreWanted)
    def _more(self, message: SearchResults.MoreWanted) -> None:
        message.stop()
        results = self.results
        if results.query_text.strip() == self.bar.value.strip():
            self._run_search(results.query_text, limit=len(results.results) + RESULT_LIMIT)

    @on(SearchBar.ToResults)
    def _to_results(self, message: SearchBar.ToResults) -> None:
        message.stop()
        if self.results.results:
            self.results.focus()

    @on(SearchResults.BackToBox)
    def _back_to_box(self, message: SearchResults.BackToBox) -> None:
        message.stop()
        self.bar.focus()

    @on(SearchBar.Cleared)
    @on(SearchResults.Cleared)
    def _cleared(self, message: Any) -> None:
        message.stop()
        self.clear()

    @on(SearchResults.TagHit)
    def _tag_hit(self, message: SearchResults.TagHit) -> None:
        message.stop()
        self.tagger.tag_hit(message.result)

    @on(SearchResults.TagEveryHit)
    def _tag_every_hit(self, message: SearchResults.TagEveryHit) -> None:
        message.stop()
        self.tag_every_hit()

    @on(SearchResults.UndoWanted)
    def _undo(self, message: SearchResults.UndoWanted) -> None:
        message.stop()
        self.tagger.undo()

    def action_save_search(self) -> None:
        from reader.ui.screens.saved_searches import save_search

        save_search(self, self.services, self.bar.value)

    def tag_every_hit(self) -> None:
        self.tagger.tag_every_hit(self.expanded(self.results.query_text.strip()))
