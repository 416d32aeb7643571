"""The note dialog: write or edit the note of a passage."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from reader.ui.screens.tag_picker import truncate
from reader.ui.widgets.key_footer import KeyFooter


class NoteDialog(ModalScreen[str | None]):
    """Returns the note (stripped of surrounding blank space), or None when cancelled."""

    CSS_PATH = "note_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the note", id="note_dialog.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving",
                id="note_dialog.cancel"),
    ]

    def __init__(self, note: str = "", quote: str = "", *, title: str = "Note") -> None:
        super().__init__()
        self._note = note
        self._quote = quote
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as box:
            box.border_title = self._title
            if self._quote:
                yield Label(f"“{truncate(self._quote)}”", id="note-dialog-quote")
            yield TextArea(self._note, id="note-dialog-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            yield Label("Ctrl+S save · Esc cancel · Tab to the buttons", id="note-dialog-hint")
            with Horizontal(id="note-dialog-buttons"):
                yield Button("Save", variant="primary", id="note-dialog-save", compact=True)
                yield Button("Cancel", id="note-dialog-cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @on(Button.Pressed, "#note-dialog-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-dialog-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
