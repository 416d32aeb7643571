"""ReaderApp: builds the services, shows the main screen, holds the global keys, and passes
the app-level events (annotations, vocabulary and articles changed, here or on disk; the
search index updated) to every screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.models import ArticleMeta
from reader.search.index import SearchIndex
from reader.ui.commands import OpenArticleCommands
from reader.ui.host import ReaderHost
from reader.ui.messages import (
    AnnotationsChanged,
    AppEvent,
    ArticlesChanged,
    IndexProgress,
    IndexUpdated,
    MemosChanged,
    OpenArticle,
    OpenPassage,
    RunSearch,
    VocabularyChanged,
    announce,
)
from reader.ui.screens.coders import ask_coder, coder_commands
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.vocabulary import TagCommands
from reader.ui.services import Services
from reader.ui.state import UIState
from reader.ui.study_commands import MemoCommands, SavedSearchCommands
from reader.ui.watcher import Changes, LibraryWatcher
from reader.ui.widgets.article_list import SORT_LABELS, SORTS
from reader.ui.widgets.search_results import SearchResults

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
SAVE_EVERY = 1.0  # seconds: state writes are batched (scrolling posts many positions)


class ReaderApp(ReaderHost):
    """The reader."""

    TITLE = "reader"
    CSS_PATH = "app.tcss"
    COMMANDS = ReaderHost.COMMANDS | {OpenArticleCommands, TagCommands, MemoCommands,
                                      SavedSearchCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Quit reader", id="quit"),
        Binding("question_mark", "help", "Help", tooltip="Keys and the search syntax",
                id="help"),
        Binding("f1", "toggle_key_panel", "Keys", show=False,
                tooltip="Show or hide the key panel", id="key_panel"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False,
                tooltip="Switch between the light and the dark theme", id="toggle_theme"),
    ]

    def __init__(self, config: Config) -> None:
        super().__init__(Services.for_config(config))
        self._save_warned = False
        self.watcher = LibraryWatcher(config, self.services.reading, self._disk_changed)
        if self.services.state.theme in self.available_themes:
            self.theme = self.services.state.theme

    # -- the services, by name (tests, bench) ------------------------------------------------
    @property
    def config(self) -> Config:
        return self.services.config

    @property
    def library(self) -> Library:
        return self.services.library

    @property
    def store(self) -> AnnotationStore:
        return self.services.store

    @property
    def vocabulary(self) -> Vocabulary:
        return self.services.vocabulary

    @property
    def index(self) -> SearchIndex:
        return self.services.index

    @property
    def state(self) -> UIState:
        return self.services.state

    @property
    def articles(self) -> Sequence[ArticleMeta]:
        return self.services.articles

    @property
    def first_list_at(self) -> float | None:
        main = self.main_screen
        return main.first_list_at if main is not None else None

    # -- screens -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        keeper = self.services.keeper
        keeper.on_progress = self._index_progress
        keeper.on_done = self._index_done
        self.push_screen(LibraryScreen(self.services))  # pushed: loads its .tcss
        self.set_interval(SAVE_EVERY, self._save_if_changed)
        self.watcher.start()
        if self.services.state.problem:
            self.notify(self.services.state.problem, severity="warning")
        if self.services.store.coder is None:
            ask_coder(self, self.services)

    def _index_progress(self, done: int, total: int) -> None:  # from the keeper's thread
        self.post_message(IndexProgress(done, total))

    def _index_done(self, changed: bool, notice: str) -> None:  # from the keeper's thread
        self.post_message(IndexUpdated(changed, notice))

    def on_unmount(self) -> None:
        self.watcher.stop()
        self.services.keeper.stop()
        self._save_if_changed()

    @property
    def main_screen(self) -> LibraryScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, LibraryScreen)), None)

    def _to_main(self) -> LibraryScreen | None:
        main = self.main_screen
        if main is not None:
            while self.screen is not main:
                self.pop_screen()
        return main

    def on_open_article(self, message: OpenArticle) -> None:
        main = self._to_main()
        if main is not None:
            main.open_article(message.article_id)

    def on_open_passage(self, message: OpenPassage) -> None:
        main = self._to_main()
        if main is not None:
            main.open_passage(message.article_id, message.start, message.end, message.back_to)

    def on_run_search(self, message: RunSearch) -> None:
        main = self._to_main()
        if main is not None:
            main.action_focus_search(message.query)

    # -- app-level events: every screen hears them -------------------------------------------
    def _broadcast(self, event: AppEvent) -> None:
        screens: list[Screen[Any]] = list(self.screen_stack)
        for name in ("review", "suggestions"):
            if self.is_screen_installed(name):
                screen = self.get_screen(name)
                if screen not in screens:
                    screens.append(screen)
        for screen in screens:
            if screen.is_mounted:
                screen.post_message(event.copy())

    def on_annotations_changed(self, message: AnnotationsChanged) -> None:
        self.services.keeper.annotations(message.article_ids)
        self._broadcast(message)

    def on_vocabulary_changed(self, message: VocabularyChanged) -> None:
        if message.renamed:
            self.services.keeper.annotations(message.renamed)
        self._broadcast(message)

    def on_articles_changed(self, message: ArticlesChanged) -> None:
        self._broadcast(message)

    def on_memos_changed(self, message: MemosChanged) -> None:
        self._broadcast(message)

    def on_index_progress(self, message: IndexProgress) -> None:
        self._broadcast(message)

    def on_index_updated(self, message: IndexUpdated) -> None:
        self._broadcast(message)

    def _disk_changed(self, changes: Changes) -> None:
        """From the watcher's thread: what changed on disk, made by another program."""
        self.call_from_thread(self._take_in, changes)

    def _take_in(self, changes: Changes) -> None:
        if changes.vocabulary and self.services.refresh_vocabulary():
            announce(self, VocabularyChanged(origin="disk"))
        if changes.annotations:
            announce(self, AnnotationsChanged(sorted(changes.annotations), "disk"))
        if changes.articles or changes.rescan:
            announce(self, ArticlesChanged(sorted(changes.articles)))
        if changes.memos:
            announce(self, MemosChanged("disk"))

    # -- the palette -------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Toggle light/dark theme", "Switch between the light and the "
                            "dark theme (ctrl+t)", self.action_toggle_theme)
        yield SystemCommand("Help", "Keys of each area and the search syntax (?)",
                            self.action_help)
        main = self.main_screen
        if main is None:
            return
        for key in SORTS:
            yield SystemCommand(f"Sort by {key}", f"Sort the article list by "
                                f"{SORT_LABELS[key]}", lambda k=key: main.sort_by(k))
        yield SystemCommand("Show/hide the article list", "More room for reading (z)",
                            main.action_toggle_list)
        yield SystemCommand("Review tagged passages", "Every tagged passage: filter, sort, "
                            "open, export (ctrl+r)", main.action_review)
        yield SystemCommand("Suggested passages", "Untagged sentences holding a tag's cue "
                            "words: accept, reject or skip", self.action_suggestions)
        yield SystemCommand("Tag every hit", "Tag the sentence of every hit of the current "
                            "search (asks first; u in the results undoes)",
                            main.action_tag_every_hit)
        yield SystemCommand("Import articles…", "From a saved web page, a folder, a text "
                            "file or a URL", self.action_import_articles)
        yield from coder_commands(self, self.services)

    # -- actions -----------------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_suggestions(self) -> None:
        from reader.ui.screens.suggestions import open_suggestions

        open_suggestions(self, self.services)

    def on_search_results_suggest_wanted(self, message: SearchResults.SuggestWanted) -> None:
        from reader.search.query import QueryError
        from reader.search.saved import SavedSearchError, SavedSearches
        from reader.ui.screens.suggestions import open_suggestions

        try:
            query = SavedSearches(self.config.annotations_dir).expand(message.query)
        except (QueryError, SavedSearchError):
            query = message.query
        open_suggestions(self, self.services, query=query)

    def action_toggle_key_panel(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def watch_theme(self, theme: str) -> None:
        state = self.services.state
        if theme != state.theme:
            state.theme = theme
            state.touch()

    def action_import_articles(self) -> None:
        from reader.ui.screens.import_dialog import ImportDialog

        def chosen(sources: list[str] | None) -> None:
            if sources:
                self.notify(f"Importing {len(sources)} source(s)…", timeout=3)
                self._import(sources)

        self.push_screen(ImportDialog(), chosen)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False,
          name="import articles")
    def _import(self, sources: list[str]) -> None:
        from reader.importing.importer import import_sources

        report = import_sources(self.services.config, sources, update_index=False)
        summary = report.summary().capitalize() + "."
        severity = ("error" if report.failed and not report.imported else
                    "warning" if report.failed or report.duplicates else "information")
        self.call_from_thread(self.notify, summary, title="Import", severity=severity,
                              timeout=10)
        if report.imported:  # the list shows them; its scan brings the index up to date
            self.call_from_thread(announce, self, ArticlesChanged())

    # -- state -------------------------------------------------------------------------------
    def _save_if_changed(self) -> None:
        state = self.services.state
        if not state.dirty:
            return
        try:
            self.services.config.ensure_cache_dir()
            state.save()
        except OSError as exc:
            if not self._save_warned:
                self._save_warned = True
                self.notify(f"Reading positions cannot be saved: {exc.strerror or exc}",
                            severity="warning")


def run_app(config: Config) -> int:
    app = ReaderApp(config)
    app.run()
    return app.return_code or 0
