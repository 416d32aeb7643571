"""MemoDialog: write or edit a memo's text (a TextArea) and its kind (free text, the usual
kinds suggested as you type)."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, TextArea

from reader.annotations.memos import KINDS
from reader.ui.widgets.key_footer import KeyFooter


class MemoDraft(NamedTuple):
    text: str
    kind: str


class MemoDialog(ModalScreen[MemoDraft | None]):
    """Returns the text and kind, or None when cancelled."""

    CSS_PATH = "memos.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the memo", id="memo_dialog.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving",
                id="memo_dialog.cancel"),
    ]

    def __init__(self, title: str, text: str = "", kind: str = "") -> None:
        super().__init__()
        self._title, self._text, self._kind = title, text, kind

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-dialog"):
            yield Label(self._title, id="memo-dialog-title")
            yield Input(self._kind, placeholder="kind: " + ", ".join(KINDS) + " or any",
                        suggester=SuggestFromList(KINDS, case_sensitive=False),
                        id="memo-dialog-kind")
            yield TextArea(self._text, id="memo-dialog-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            yield Label("Ctrl+S save · Esc cancel · Tab between kind, text and buttons",
                        id="memo-dialog-hint")
            with Horizontal(id="memo-dialog-buttons"):
                yield Button("Save", variant="primary", id="memo-dialog-save")
                yield Button("Cancel", id="memo-dialog-cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def draft(self) -> MemoDraft:
        return MemoDraft(self.query_one(TextArea).text,
                         self.query_one("#memo-dialog-kind", Input).value)

    @on(Input.Submitted, "#memo-dialog-kind")
    def _kind_entered(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#memo-dialog-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#memo-dialog-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        draft = self.draft
        if not draft.text.strip():
            self.notify("A memo needs some text (Esc to cancel).", severity="warning")
            return
        self.dismiss(draft)

    def action_cancel(self) -> None:
        self.dismiss(None)
