"""The help screen (``?``): the keys of each area, made from the bindings themselves (so it
cannot go stale), and the search query language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from reader.ui.screens.analysis import AnalysisScreen
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.memos import MemosScreen
from reader.ui.screens.review import ReviewScreen
from reader.ui.screens.saved_searches import SavedSearchesScreen
from reader.ui.screens.suggestions import SuggestionsScreen
from reader.ui.screens.tag_picker import TagPicker
from reader.ui.screens.vocabulary import VocabularyScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.search_bar import QUERY_EXAMPLES, QUERY_HELP, QUERY_NOTE, SearchBar
from reader.ui.widgets.search_pane import SearchPane
from reader.ui.widgets.search_results import SearchResults

Row = tuple[str, str]  # (keys, what they do)

AREAS: tuple[tuple[str, Sequence[BindingType]], ...] = (
    ("Article list", ArticleList.BINDINGS),
    ("Main screen", LibraryScreen.BINDINGS),
    ("Reading view", ArticleView.BINDINGS),
    ("Search box", [*SearchBar.BINDINGS, *SearchPane.BINDINGS]),
    ("Search results", SearchResults.BINDINGS),
    ("Tag picker", TagPicker.BINDINGS),
    ("Review (ctrl+r)", ReviewScreen.BINDINGS),
    ("Suggestions", SuggestionsScreen.BINDINGS),
    ("Manage tags (ctrl+p)", VocabularyScreen.BINDINGS),
    ("Memos (M, ctrl+p)", MemosScreen.BINDINGS),
    ("Saved searches (ctrl+p)", SavedSearchesScreen.BINDINGS),
    ("Analysis (A in review)", AnalysisScreen.BINDINGS),
)


def key_label(key: str) -> str:
    """How a key is written for people: ``question_mark`` -> ``?``, ``ctrl+q`` -> ``ctrl+q``."""
    *mods, name = key.split("+")
    return "+".join([*mods, format_key(name) if len(name) > 1 else name])


def rows(bindings: Iterable[BindingType]) -> list[Row]:
    """One row per action, its keys together, described by the binding's tooltip."""
    keys: dict[str, list[str]] = {}
    what: dict[str, str] = {}
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.action.startswith("explain("):
            continue  # a fallback that only says what to do (e with no highlight...)
        shown = binding.key_display or ", ".join(key_label(k) for k in binding.key.split(","))
        keys.setdefault(binding.action, []).append(shown)
        what.setdefault(binding.action, binding.tooltip or binding.description)
    return [("  ".join(dict.fromkeys(keys[action])), what[action]) for action in keys]


EXTRA: dict[str, list[Row]] = {  # what typing does where no binding says it
    "Article list": [("other keys", "Start a search with what is typed (the search box takes "
                      "the focus and keeps it)")],
}


def sections(app_bindings: Sequence[BindingType]) -> list[tuple[str, list[Row]]]:
    return [("Anywhere", rows(app_bindings))] + [
        (title, rows(b) + EXTRA.get(title, [])) for title, b in AREAS]


def keys_table(parts: list[tuple[str, list[Row]]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=12, max_width=22)
    table.add_column(ratio=1)
    for i, (title, section) in enumerate(parts):
        if i:
            table.add_row("", "")
        table.add_row(Text(title, style="bold underline"), "")
        for keys, what in section:
            table.add_row(Text(keys, style="bold"), Text(what))
    return table


def query_table() -> Table:
    """The query examples, each on a line of its own (never wrapped), and what they find."""
    table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
    width = max(len(line) for example, _ in QUERY_EXAMPLES for line in example.split("\n"))
    table.add_column("Query", no_wrap=True, min_width=width, style="bold")
    table.add_column("Finds", ratio=1)
    for example, what in QUERY_EXAMPLES:
        table.add_row(example, what)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of each area, then the search syntax."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", tooltip="Close the help",
                id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "reader · keys"
            body.border_subtitle = "Esc closes"
            palette = Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette", "Palette",
                              tooltip="The command palette: open an article by title, sort, "
                              "theme, review, suggestions, manage tags, import")
            app_keys = [*type(self.app).BINDINGS, palette]
            yield Static(keys_table(sections(app_keys)), id="help-keys")
            yield Markdown(QUERY_HELP, id="help-text")
            yield Static(query_table(), id="help-queries")
            yield Markdown(QUERY_NOTE, id="help-note")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
