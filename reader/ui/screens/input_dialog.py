"""InputDialog: one line to type (a name, a file path); Enter accepts, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class InputDialog(ModalScreen[str | None]):
    """Returns the text typed (stripped), or None when cancelled or left empty."""

    DEFAULT_CSS = """
    InputDialog { align: center middle; background: $background 60%; }
    InputDialog > Vertical { width: 72; max-width: 95%; height: auto; padding: 0 1;
        border: round $accent; background: $surface; }
    InputDialog #input-dialog-title { text-style: bold; color: $accent; width: 1fr; }
    InputDialog #input-dialog-hint { color: $text-muted; width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without doing it",
                id="input_dialog.cancel"),
    ]

    def __init__(self, title: str, value: str = "", *, placeholder: str = "",
                 hint: str = "Enter to accept · Esc to cancel") -> None:
        super().__init__()
        self._title, self._value, self._placeholder, self._hint = (title, value,
                                                                   placeholder, hint)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title), id="input-dialog-title")
            yield Input(self._value, placeholder=self._placeholder, id="input-dialog-input")
            yield Label(Text(self._hint), id="input-dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
