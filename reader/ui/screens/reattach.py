"""SentencePicker: choose the sentence of an article to re-attach an orphaned annotation to.
The sentences most like the saved quote come first."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.library.text import sentences
from reader.models import Article

MAX_SENTENCES = 2000


class SentencePicker(ModalScreen[tuple[int, int] | None]):
    CSS_PATH = "reattach.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without re-attaching",
                id="reattach_cancel"),
    ]

    def __init__(self, article: Article, quote: str) -> None:
        super().__init__()
        self.article, self.quote = article, quote
        spans = sentences(article.text)[:MAX_SENTENCES]
        want = " ".join(quote.split()).casefold()

        def likeness(span: tuple[int, int]) -> float:
            text = " ".join(article.text[span[0]:span[1]].split()).casefold()
            return SequenceMatcher(None, want, text, autojunk=False).quick_ratio()

        self.spans = sorted(spans, key=likeness, reverse=True)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Saved quote: “{' '.join(self.quote.split())[:200]}”\n"
                        "Choose the sentence to attach it to (Enter):")
            yield OptionList(*[Option(" ".join(self.article.text[s:e].split()))
                               for s, e in self.spans], id="reattach-sentences")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.spans[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
