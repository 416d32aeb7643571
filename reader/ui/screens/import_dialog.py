"""ImportDialog: ask for what to import (a saved web page, a folder of them, a text file or a
URL). The import itself runs in a worker on the main screen."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from reader.ui.widgets.key_footer import KeyFooter


def split_sources(value: str) -> list[str]:
    """One path or URL as typed; several when separated by spaces (quote paths with spaces)."""
    value = value.strip()
    if not value:
        return []
    if Path(value).expanduser().exists():
        return [str(Path(value).expanduser())]
    try:
        parts = shlex.split(value)
    except ValueError:
        parts = [value]
    return [str(Path(p).expanduser()) if not p.startswith(("http://", "https://")) else p
            for p in parts]


class ImportDialog(ModalScreen[list[str] | None]):
    CSS_PATH = "import_dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without importing",
                id="import_cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Import articles"
            yield Label("A saved web page (.html), a folder of them, a .txt or .md file, or a "
                        "URL. Enter imports.", id="import-what")
            yield Input(placeholder="~/Downloads/page.html  or  https://…", id="import-source")
            with Horizontal():
                yield Button("Import", variant="primary", id="import-ok", compact=True)
                yield Button("Cancel", id="import-cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#import-source", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._done()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import-ok":
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
        sources = split_sources(self.query_one("#import-source", Input).value)
        if not sources:
            self.notify("Type a path or a URL.", severity="warning")
            return
        self.dismiss(sources)

    def action_cancel(self) -> None:
        self.dismiss(None)
