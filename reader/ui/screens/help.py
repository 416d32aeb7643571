"""The help screen (``?``): what the keys do in each area, and the search query language."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

Section = tuple[str, tuple[tuple[str, str], ...]]

SECTIONS: tuple[Section, ...] = (
    ("Anywhere", (
        ("?", "this help (Esc or q closes it)"),
        ("ctrl+p", "command palette: open an article by title, sort, theme, help…"),
        ("F1", "the key panel for the focused area"),
        ("tab  shift+tab", "move between the list, the search bar and the reading view"),
        ("ctrl+t", "switch between the light and the dark theme"),
        ("z", "hide or show the article list (more room for reading)"),
        ("q", "quit"),
    )),
    ("Article list", (
        ("↑ ↓  k j", "previous / next article"),
        ("pgup pgdn", "a page up / down"),
        ("home end  g G", "first / last article"),
        ("enter, click", "open the article in the reading view"),
        ("o", "sort by date (newest first), title, source; a click on a header sorts too"),
        ("⚠", "marks a file with a problem (not UTF-8, empty, binary…); it still opens"),
    )),
    ("Reading view", (
        ("j k  ↓ ↑", "scroll a line"),
        ("space pgdn  b pgup", "a page down / up"),
        ("g home  G end", "top / bottom"),
        ("v", "visual mode; extend by h l character, w b word, ) ( sentence, } { paragraph"),
        ("s  p", "select the sentence / paragraph at the cursor"),
        ("esc", "clear the selection; again: back to the list"),
        ("n  N", "next / previous search hit (when nothing is selected)"),
        ("]  [", "next / previous highlight"),
        ("", "Each article's reading position is remembered, also across restarts."),
    )),
    ("Tagging passages", (
        ("drag", "select with the mouse (snaps to whole words); a click moves the cursor"),
        ("t", "tag the selection: 1-9 tick tags, type to filter or create one, enter"),
        ("n", "with a selection: tag it with a note; on a highlight: edit its note"),
        ("e", "edit the tags and note of the highlight under the cursor"),
        ("d", "delete the highlight under the cursor"),
        ("u", "undo the last annotation change"),
        ("r", "review the tagged passages"),
        ("ctrl+p", "“Manage tags”: add, rename (annotations follow), recolour, retire"),
    )),
    ("Search", (
        ("/", "focus the search bar"),
        ("esc", "clear the search, back to the full list"),
        ("↑ ↓", "in the search bar: earlier / later queries"),
        ("enter", "open the result at its first hit, every hit highlighted"),
        ("t  T", "on a result: tag the sentence of its hit / of every hit of the query"),
    )),
    ("Review (r)", (
        ("1-9  0", "show only passages with that tag (toggle) / every tag"),
        ("/", "filter the passages by text"),
        ("o  O", "sort by the next column / reverse (a click on a header sorts too)"),
        ("enter", "open the article at the passage; esc comes back here"),
        ("x", "export what is shown (Markdown, CSV, JSON, W3C Web Annotation)"),
        ("S", "suggested passages: a accept, x reject, space skip"),
        ("a  d", "on the Orphaned tab: re-attach to a sentence / delete"),
    )),
)


def keys_table(sections: tuple[Section, ...] = SECTIONS) -> Table:
    """All sections as one compact two-column table."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=12)
    table.add_column(ratio=1)
    for i, (title, rows) in enumerate(sections):
        if i:
            table.add_row("", "")
        table.add_row(Text(title, style="bold underline"), "")
        for keys, what in rows:
            table.add_row(Text(keys, style="bold"), Text(what))
    return table


SEARCH_SYNTAX = """\
## Search query language
Words match any form of the word (Indonesian and English). More is explained here once
search is available.
"""


class HelpScreen(ModalScreen[None]):
    """Keys of each area; the search section can be replaced with :data:`SEARCH_SYNTAX`."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", tooltip="Close the help",
                id="help.close"),
    ]

    def __init__(self, search_syntax: str | None = None) -> None:
        super().__init__()
        self.search_syntax = search_syntax if search_syntax is not None else SEARCH_SYNTAX

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "reader · keys"
            body.border_subtitle = "Esc closes"
            yield Static(keys_table(), id="help-keys")
            yield Markdown(self.search_syntax, id="help-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
