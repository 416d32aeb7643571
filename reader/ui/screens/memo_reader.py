"""MemoReader: one memo to read (scroll with the arrows); ``e`` edits it, Esc closes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from reader.annotations.memos import Memo
from reader.ui.widgets.key_footer import KeyFooter


class MemoReader(ModalScreen[bool]):
    """Returns True when the user asked to edit the memo."""

    CSS_PATH = "memos.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", tooltip="Close the memo", id="memo_reader.close"),
        Binding("e", "edit", "Edit", tooltip="Edit the memo", id="memo_reader.edit"),
    ]

    def __init__(self, memo: Memo) -> None:
        super().__init__()
        self.memo = memo

    def compose(self) -> ComposeResult:
        m = self.memo
        with Vertical(id="memo-reader"):
            yield Label(Text(m.title), id="memo-reader-title")
            yield Label(f"{m.subject} · {m.kind or 'no kind'} · written {m.created[:16]}"
                        f"{' · edited ' + m.updated[:16] if m.updated != m.created else ''}"
                        .replace("T", " "), id="memo-reader-about")
            with VerticalScroll(id="memo-reader-body"):
                yield Static(Text(m.text))
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#memo-reader-body").focus()

    def action_close(self) -> None:
        self.dismiss(False)

    def action_edit(self) -> None:
        self.dismiss(True)
