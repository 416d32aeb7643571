"""Saved searches in the reader: save the query of the search box under a name
(:func:`save_search`, ``ctrl+s`` there), and :class:`SavedSearchesScreen`, the list to run
(Enter: the search box gets ``@name``) and delete (``d``, asks first; ``u`` undoes).

The searches are ``annotations/searches.yml`` (:mod:`reader.search.saved`); a file that
cannot be read is said in one line and left as it is.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Label

from reader.search.query import QueryError
from reader.search.saved import SavedSearch, SavedSearchError, SavedSearches
from reader.ui.messages import RunSearch, announce
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.input_dialog import InputDialog
from reader.ui.services import Services
from reader.ui.widgets.key_footer import KeyFooter

ERRORS = (ValueError, KeyError, QueryError, SavedSearchError, OSError)


def _say(exc: BaseException) -> str:
    if isinstance(exc, SavedSearchError):
        return f"{exc.path}: {exc.reason}"
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


def save_search(node: Widget, services: Services, query: str) -> None:
    """Ask for a name, then save ``query`` under it (asking before replacing another)."""
    query = " ".join(query.split())
    if not query:
        node.notify("Type a query first: ctrl+s saves the query of the search box.",
                    severity="warning")
        return
    searches = SavedSearches(services.config.annotations_dir)

    def save(name: str, replace: bool = False) -> None:
        try:
            saved = searches.save(name, query, replace=replace)
        except ValueError as exc:
            if replace or "already" not in str(exc):
                node.notify(f"Not saved: {_say(exc)}", severity="error")
                return
            node.app.push_screen(ConfirmDialog(f"Replace the saved search: {exc}?",
                                               yes="Replace"),
                                 lambda yes: save(name, True) if yes else None)
            return
        except ERRORS as exc:
            node.notify(f"Not saved: {_say(exc)}", severity="error")
            return
        node.notify(f"Saved as @{saved.name}: type @{saved.name} in a search, or run it "
                    "from ctrl+p.", timeout=6)

    node.app.push_screen(InputDialog(f"Save the search “{query}” as",
                                     placeholder="a name: letters, digits, . - _",
                                     hint="Enter to save · Esc to cancel · then @name "
                                     "searches it"),
                         lambda name: save(name) if name else None)


class SavedSearchesScreen(Screen[None]):
    CSS_PATH = "memos.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back", id="searches.back"),
        Binding("enter", "run", "Search", tooltip="Search the articles with it",
                id="searches.run"),
        Binding("d", "delete", "Delete", tooltip="Delete the saved search (asks first; u "
                "undoes)", id="searches.delete"),
        Binding("u", "undo", "Undo", tooltip="Save again the search last deleted here",
                id="searches.undo"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.searches = SavedSearches(services.config.annotations_dir)
        self.shown: list[SavedSearch] = []
        self.deleted: list[SavedSearch] = []

    def compose(self) -> ComposeResult:
        yield Label("", id="searches-heading")
        yield DataTable(id="searches-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#searches-table", DataTable)

    def on_mount(self) -> None:
        for key, label, width in (("name", "Name", 18), ("query", "Query", 44),
                                  ("created", "Saved", 10)):
            self.table.add_column(label, key=key, width=width)
        self.table.focus()
        self.reload()

    def reload(self) -> None:
        heading = self.query_one("#searches-heading", Label)
        try:
            self.shown = self.searches.load()
        except SavedSearchError as exc:
            self.shown = []
            heading.update(Text(f"Saved searches cannot be read: {_say(exc)}"))
        else:
            heading.update(Text(f"Saved searches ({len(self.shown)}) in {self.searches.path}"
                                if self.shown else "No saved search yet: type a query in "
                                "the search box (/), then ctrl+s."))
        self.table.clear()
        for s in self.shown:
            self.table.add_row(Text("@" + s.name), Text(s.query), s.created[:10],
                               key=s.name)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run", "delete"):
            return self.current is not None or None
        if action == "undo":
            return bool(self.deleted) or None
        return True

    @property
    def current(self) -> SavedSearch | None:
        row = self.table.cursor_row if self.is_mounted else -1
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(DataTable.RowSelected, "#searches-table")
    def _row_chosen(self) -> None:  # Enter or a click on the table
        self.action_run()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_run(self) -> None:
        found = self.current
        if found is not None:
            announce(self, RunSearch("@" + found.name))

    def action_delete(self) -> None:
        found = self.current
        if found is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                gone = self.searches.delete(found.name)
            except ERRORS as exc:
                self.notify(f"Not deleted: {_say(exc)}", severity="error")
                return
            self.deleted.append(gone)
            self.reload()
            self.notify(f"Deleted @{gone.name} (u undoes)", timeout=4)

        self.app.push_screen(ConfirmDialog(f"Delete the saved search @{found.name} "
                                           f"({found.query})?", yes="Delete"), answered)

    def action_undo(self) -> None:
        if not self.deleted:
            return
        gone = self.deleted.pop()
        try:
            self.searches.save(gone.name, gone.query)
        except ERRORS as exc:
            self.notify(f"Cannot undo: {_say(exc)}", severity="error")
            return
        self.reload()
        self.notify(f"Undone: @{gone.name} is saved again", timeout=4)
