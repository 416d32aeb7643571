"""ReaderApp: the domain objects, global keys, themes, help, command palette."""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, TextArea

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.models import ArticleMeta
from reader.search.index import SearchIndex
from reader.ui.commands import OpenArticleCommands
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.vocabulary import TagCommands
from reader.ui.state import UIState
from reader.ui.widgets.article_list import SORT_LABELS, SORTS

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
SAVE_DELAY = 1.0  # seconds: state writes are batched (scrolling posts many positions)


class ReaderApp(App[None]):
    """The reader. ``articles`` is the library as last listed (for the palette)."""

    TITLE = "reader"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {OpenArticleCommands, TagCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", priority=True, tooltip="Quit reader", id="quit"),
        Binding("question_mark", "help", "Help", tooltip="Keys and the search syntax",
                id="help"),
        Binding("f1", "toggle_key_panel", "Keys", show=False,
                tooltip="Show or hide the key panel", id="key_panel"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False,
                tooltip="Switch between the light and the dark theme", id="toggle_theme"),
    ]

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self.library = Library(config)
        self.store = AnnotationStore(config.annotations_dir)
        self.vocabulary = Vocabulary(config.vocabulary_path)
        self.index = SearchIndex(config)
        self.state = UIState.for_dir(config.state_dir)
        self.articles: Sequence[ArticleMeta] = []
        self.first_list_at: float | None = None  # monotonic time the list first had rows
        self._save_timer: Any = None
        self._save_warned = False
        if self.state.theme in self.available_themes:
            self.theme = self.state.theme

    # -- screens -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())  # pushed (not the default screen): loads its .tcss
        if self.state.problem:
            self.notify(self.state.problem, severity="warning")

    @property
    def main_screen(self) -> LibraryScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                return screen
        return None

    def list_ready(self) -> None:
        """Called by the main screen when the list shows the library (for bench/tests)."""
        if self.first_list_at is None and self.articles:
            self.first_list_at = time.monotonic()

    # -- what the palette providers need -----------------------------------------------------
    @property
    def recent_ids(self) -> Sequence[str]:
        return self.state.recent

    def open_article(self, article_id: str) -> None:
        screen = self.main_screen
        if screen is not None:
            while self.screen is not screen:
                self.pop_screen()
            screen.open_article(article_id)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Toggle light/dark theme", "Switch between the light and the "
                            "dark theme (ctrl+t)", self.action_toggle_theme)
        yield SystemCommand("Help", "Keys of each area and the search syntax (?)",
                            self.action_help)
        main = self.main_screen
        if main is not None:
            for key in SORTS:
                yield SystemCommand(f"Sort by {key}", f"Sort the article list by "
                                    f"{SORT_LABELS[key]}", lambda k=key: main.sort_by(k))
            yield SystemCommand("Show/hide the article list", "More room for reading (z)",
                                main.action_toggle_list)
            yield SystemCommand("Review tagged passages", "Every tagged passage: filter, "
                                "sort, open, export (r)", main.action_review)
            yield SystemCommand("Suggested passages", "Untagged sentences holding a tag's "
                                "cue words: accept, reject or skip", self.action_suggestions)
            yield SystemCommand("Tag every hit", "Tag the sentence of every hit of the "
                                "current search (asks first; u undoes)",
                                main.action_tag_every_hit)
            yield SystemCommand("Import articles…", "From a saved web page, a folder, a "
                                "text file or a URL", main.action_import_articles)

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit":
            # q is a priority key, but it must still type into dialogs and text fields
            focused = self.focused
            if focused is not None and isinstance(focused, Input | TextArea):
                return False
            return isinstance(self.screen, LibraryScreen)
        return True

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(search_syntax()))

    def action_suggestions(self) -> None:
        from reader.ui.screens.suggestions import open_suggestions

        open_suggestions(self)

    def action_toggle_key_panel(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_toggle_theme(self) -> None:
        dark = self.current_theme.dark
        self.theme = LIGHT_THEME if dark else DARK_THEME

    def watch_theme(self, theme: str) -> None:
        if theme != self.state.theme:
            self.state.theme = theme
            self.save_state_soon()

    # -- state -------------------------------------------------------------------------------
    def save_state_soon(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_state)

    def save_state(self) -> None:
        self._save_timer = None
        try:
            self.config.ensure_cache_dir()
            self.state.save()
        except OSError as exc:
            if not self._save_warned:
                self._save_warned = True
                self.notify(f"Reading positions cannot be saved: {exc.strerror or exc}",
                            severity="warning")

    async def action_quit(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self.save_state()
        self.exit()


def search_syntax() -> str | None:
    """The search bar's query-language help (Markdown), once search exists."""
    try:
        search_bar = importlib.import_module("reader.ui.widgets.search_bar")
    except ImportError:
        return None
    text = getattr(search_bar, "QUERY_HELP", None)
    return text if isinstance(text, str) else None


def run_app(config: Config) -> int:
    app = ReaderApp(config)
    app.run()
    if app._save_timer is not None:  # quit other than by q: keep the reading positions
        app.save_state()
    if app.return_code:
        return app.return_code
    return 0
