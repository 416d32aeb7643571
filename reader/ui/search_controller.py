"""Search on the main screen: the glue between the SearchBar, the SearchResults, the index and
the reading view. Mixed into LibraryScreen (before ``Screen``).

- The index is brought up to date at start (and after a rescan found new files) in a thread
  worker, with a progress bar; the screen is usable meanwhile.
- Typing searches after a short pause, in a thread worker (exclusive); a generation counter
  drops results of queries the user has typed past.
- Enter opens the article at its first hit with every hit highlighted; ``n``/``N`` belong to
  the view. ``t`` / ``T`` on a result tag the hit sentence(s) without opening the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from reader.models import Article
from reader.search.index import IndexBusy, QueryError, SearchResult
from reader.ui.result_actions import INDEX_WRITE, IndexProgress, ResultActions
from reader.ui.widgets.search_bar import HISTORY_FILE, SearchBar
from reader.ui.widgets.search_results import SearchResults

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

DEBOUNCE = 0.15  # seconds between the last key and the search
RESULT_LIMIT = 20
SHOW_INDEX_PROGRESS_MIN = 20  # articles to (re)index before the progress bar shows

SEARCH_BINDINGS = [
    Binding("r", "review", "Review", tooltip="Review every tagged passage (filter, sort, "
            "export)", id="review"),
]


def history_path(app: ReaderApp) -> Any:
    return app.config.state_dir / HISTORY_FILE


class SearchController(ResultActions):
    """Needs ``self.reader`` (the app), ``self.view`` and ``self.open_article`` from the
    screen, and the widgets ``#search-bar``, ``#search-results``, ``#search-status``,
    ``#index-progress`` and ``#article-list`` in its composition."""

    _search_generation = 0
    _search_timer: Any = None
    _pending_hits: tuple[str, str] | None = None  # (article id, query) to highlight on open
    _index_ready = False
    _index_full = True  # the first update walks the library
    _index_paths: frozenset[str] | set[str] = frozenset()  # named files not yet taken in
    _pending_passage: tuple[str, int, int] | None = None  # to emphasise on open
    _return_to: tuple[str, str] | None = None  # (screen, article id): Esc from that article
    # goes back to the installed screen (e.g. the review)

    # -- what the screen provides ---------------------------------------------------------
    if TYPE_CHECKING:
        @property
        def reader(self) -> ReaderApp: ...
        @property
        def view(self) -> Any: ...
        def open_article(self, article_id: str, *, announce: str = "") -> None: ...

    def _w(self, selector: str) -> Any:
        return self.query_one(selector)

    @property
    def search_bar(self) -> SearchBar:
        bar: SearchBar = self._w("#search-bar")
        return bar

    @property
    def search_results(self) -> SearchResults:
        results: SearchResults = self._w("#search-results")
        return results

    @property
    def search_active(self) -> bool:
        return bool(self.search_bar.value.strip())

    def _search_status(self, text: str, error: bool = False) -> None:
        status: Static = self._w("#search-status")
        status.update(text)
        status.set_class(error, "error")
        status.display = bool(text)

    # -- the index -------------------------------------------------------------------------
    def update_index(self, paths: Iterable[str] | None = None) -> None:
        """Bring the index up to date: the whole library (a walk), or only ``paths`` (article
        files the caller saw change). What a cancelled update left is carried to the next."""
        if paths is None:
            self._index_full = True
        else:
            self._index_paths = {*self._index_paths, *paths}
        full, named = self._index_full, frozenset(self._index_paths)
        self.run_worker(lambda: self._update_index(full, named), thread=True, exclusive=True,
                        group="search-index", name="update the search index",
                        exit_on_error=False)

    def _update_index(self, full: bool = True, named: frozenset[str] = frozenset()) -> None:
        worker = get_current_worker()
        post = self.post_message

        def progress(done: int, total: int) -> None:
            if total >= SHOW_INDEX_PROGRESS_MIN:
                post(IndexProgress(done, total))

        notice = ""
        try:
            with INDEX_WRITE:
                report = self.reader.index.update(progress, lambda: worker.is_cancelled,
                                                  paths=None if full else named)
            notice = report.notice
            changed = not report.unchanged or report.rebuilt
            taken = not report.cancelled
        except IndexBusy as exc:
            notice, changed = f"Search: {exc}; searching the index as it stands.", False
            taken = False
        if not worker.is_cancelled:
            self.reader.call_from_thread(self._index_updated, notice, changed,
                                         (full, named) if taken else None)

    def on_index_progress(self, message: IndexProgress) -> None:
        bar: ProgressBar = self._w("#index-progress")
        bar.display = message.done < message.total
        bar.update(total=message.total, progress=message.done)
        if message.done < message.total:
            self._search_status(f"Indexing for search: {message.done:,} of "
                                f"{message.total:,}…")

    def _index_updated(self, notice: str, changed: bool,
                       taken: tuple[bool, frozenset[str]] | None = None) -> None:
        if taken is not None:  # what this update took in is no longer pending
            full, named = taken
            self._index_full = self._index_full and not full
            self._index_paths = set(self._index_paths) - named
        self._index_ready = True
        self._w("#index-progress").display = False
        if notice:
            self.notify(notice, severity="warning")
        if self.search_active and (changed or not self.search_results.results):
            self._run_search(self.search_bar.value)
        elif not self.search_active:
            self._search_status("")

    # -- typing ----------------------------------------------------------------------------
    def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        self._search_generation += 1
        if self._search_timer is not None:
            self._search_timer.stop()
        query = message.query
        if not query.strip():
            self._show_list()
            return
        self._search_timer = self.set_timer(
            DEBOUNCE, lambda: self._run_search(query))

    def _run_search(self, query: str, limit: int = RESULT_LIMIT) -> None:
        self._search_timer = None
        self._search_generation += 1
        generation = self._search_generation
        if not self._index_ready and not self.search_results.results:
            self._search_status("Searching… (the search index is being brought up to date)")
        self.run_worker(lambda: self._search(query, generation, limit), thread=True,
                        exclusive=True, group="search", name="search",
                        exit_on_error=False)

    def on_search_results_more_wanted(self, message: SearchResults.MoreWanted) -> None:
        """The cursor reached the last result of a full page: fetch the next page."""
        results = self.search_results
        if results.query_text.strip() == self.search_bar.value.strip():
            self._run_search(results.query_text, limit=len(results.results) + RESULT_LIMIT)

    def _search(self, query: str, generation: int, limit: int = RESULT_LIMIT) -> None:
        try:
            results = self.reader.index.search(query, limit=limit)
            error = ""
        except QueryError as exc:
            results, error = [], str(exc)
        if generation == self._search_generation and not get_current_worker().is_cancelled:
            self.reader.call_from_thread(self._show_results, generation, query, results, error,
                                         limit)

    def _show_results(self, generation: int, query: str, results: Sequence[SearchResult],
                      error: str, limit: int = RESULT_LIMIT) -> None:
        if generation != self._search_generation:
            return  # the user typed on: a newer search is under way
        self._w("#article-list").display = False
        self.search_results.display = True
        if error:
            self._search_status(error, error=True)
            return  # keep the last good results
        self.search_results.set_results(query, results, more=len(results) >= limit)
        if results:
            n = len(results)
            more = "+" if n >= limit else ""
            self._search_status(f"{n}{more} result{'s' if n != 1 else ''} · Enter opens")
        elif not self._index_ready:
            self._search_status("No results yet: the search index is being built…")
        else:
            self._search_status("No results.")

    def _show_list(self) -> None:
        self.search_results.display = False
        self.search_results.set_results("", [])
        self._w("#article-list").display = True
        self._search_status("")

    # -- leaving the search ----------------------------------------------------------------
    def clear_search(self) -> None:
        self._search_generation += 1
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        bar = self.search_bar
        if bar.value:
            with bar.prevent(SearchBar.QueryChanged):
                bar.value = ""
        self._show_list()
        self._w("#article-list").focus()
        if getattr(self.view, "set_hits", None):
            self.view.set_hits([])

    def on_search_bar_cleared(self, _message: SearchBar.Cleared) -> None:
        self.clear_search()

    def on_search_results_cleared(self, _message: SearchResults.Cleared) -> None:
        self.clear_search()

    # -- opening ---------------------------------------------------------------------------
    def on_search_bar_accepted(self, message: SearchBar.Accepted) -> None:
        if not message.query.strip():
            return
        results = self.search_results
        if results.results and results.query_text.strip() == message.query.strip():
            current = results.current
            if current is not None:
                self._open_result(current, message.query)
        else:  # Enter before the debounce fired: search now, then focus the results
            self._run_search(message.query)
            results.focus()

    def on_search_results_opened(self, message: SearchResults.Opened) -> None:
        self.search_bar.remember(self.search_results.query_text)
        self._open_result(message.result, self.search_results.query_text)

    def _open_result(self, result: SearchResult, query: str) -> None:
        self._pending_hits = (result.id, query)
        self.open_article(result.id)
        current = getattr(self.view, "article", None)
        if current is not None and current.id == result.id:
            self.show_search_hits(current)
        self.view.focus()

    # -- opening a passage (from the review and the suggestions) ---------------------------
    def open_passage(self, article_id: str, start: int, end: int, *,
                     back_to: str | None = None) -> None:
        """Open the article scrolled to ``start``-``end``, emphasised briefly; Esc then goes
        back to the installed screen ``back_to``."""
        self._return_to = (back_to, article_id) if back_to else None
        self._pending_passage = (article_id, start, end)
        self._pending_hits = None
        self.open_article(article_id)
        current = getattr(self.view, "article", None)
        if current is not None and current.id == article_id:
            self.show_search_hits(current)
        self.view.focus()

    def return_to_screen(self) -> bool:
        target, self._return_to = self._return_to, None
        if target is None:
            return False
        name, article_id = target
        article = getattr(self.view, "article", None)
        if article is None or article.id != article_id:
            return False  # the reader has moved on to another article
        if self.app.is_screen_installed(name):
            self.app.push_screen(name)
            return True
        return False

    def action_review(self) -> None:
        from reader.ui.screens.review import SCREEN_NAME, ReviewScreen

        app = self.app
        self._return_to = None
        if not app.is_screen_installed(SCREEN_NAME):
            app.install_screen(ReviewScreen(), SCREEN_NAME)
        screen = app.get_screen(SCREEN_NAME)
        if screen in app.screen_stack:  # already open (e.g. from the palette): go to it
            while app.screen is not screen:
                app.pop_screen()
            return
        app.push_screen(SCREEN_NAME)

    def _show_passage(self, start: int, end: int) -> None:
        view = self.view
        if callable(getattr(view, "emphasise", None)):
            view.emphasise(start, end, 2.5)
        if hasattr(view, "cursor"):
            view.cursor = start

        def scroll() -> None:
            if callable(getattr(view, "scroll_to_offset", None)):
                view.scroll_to_offset(start)

        self.call_after_refresh(scroll)
        self.set_timer(0.2, scroll)

    def show_search_hits(self, article: Article) -> None:
        """Called when the view shows ``article``: highlight the pending query's hits (or
        emphasise the pending passage)."""
        passage = self._pending_passage
        if passage is not None and passage[0] == article.id:
            self._pending_passage = None
            self._show_passage(passage[1], passage[2])
            return
        pending = self._pending_hits
        if pending is None or pending[0] != article.id:
            return
        self._pending_hits = None
        if not callable(getattr(self.view, "set_hits", None)):
            return
        query = pending[1]
        self.run_worker(lambda: self._hit_spans(article, query), thread=True,
                        exclusive=True, group="search-hits", name="find the hits",
                        exit_on_error=False)

    def _hit_spans(self, article: Article, query: str) -> None:
        try:
            spans = self.reader.index.hit_spans(query, article)
        except QueryError:
            return
        self.reader.call_from_thread(self._set_hits, article, spans)

    def _set_hits(self, article: Article, spans: list[tuple[int, int]]) -> None:
        view = self.view
        if getattr(view, "article", None) is not article and (
                getattr(view, "article", None) is None or view.article.id != article.id):
            return
        view.set_hits(spans)
        if not spans:
            return
        first = spans[0][0]
        if callable(getattr(view, "next_hit", None)):
            view.next_hit()

        def scroll() -> None:
            if callable(getattr(view, "scroll_to_offset", None)):
                view.scroll_to_offset(first)

        self.call_after_refresh(scroll)
        self.set_timer(0.2, scroll)

