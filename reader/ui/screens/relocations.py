"""RelocationsScreen: what re-anchoring did to the passages of an article edited since it was
tagged (which moved, old place -> new, which are orphaned), shown when it is opened and before
anything is saved over them. Enter on a moved passage goes to it; Esc closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.annotations.anchoring import Relocation, describe
from reader.annotations.format import quote_preview
from reader.models import Article
from reader.ui.widgets.key_footer import KeyFooter

GoTo = Callable[[int, int], None]  # put the reading view's cursor on a passage


def summary(relocations: list[Relocation]) -> str:
    """``2 passages moved, 1 could not be placed in the changed text (kept as orphaned)``."""
    orphaned = sum(r.orphaned for r in relocations)
    moved = len(relocations) - orphaned
    parts = []
    if moved:
        parts.append(f"{moved} passage{'s' if moved != 1 else ''} moved")
    if orphaned:
        parts.append(f"{orphaned} could not be placed in the changed text (kept as orphaned)")
    return ", ".join(parts)


def row(relocation: Relocation) -> str:
    return describe(relocation, lambda quote: quote_preview(quote, 60))


class RelocationsScreen(ModalScreen[tuple[int, int] | None]):
    """Dismissed with the new (start, end) of the moved passage chosen, or None."""

    CSS_PATH = "relocations.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Close the list (nothing is saved)",
                id="relocations.close"),
    ]

    def __init__(self, title: str, relocations: list[Relocation]) -> None:
        super().__init__()
        self.title_text = title
        self.relocations = sorted(relocations, key=lambda r: (r.old_start, r.old_end))

    def compose(self) -> ComposeResult:
        with Vertical(id="relocations"):
            yield Label(f"“{quote_preview(self.title_text, 60)}” changed since it was tagged: "
                        f"{summary(self.relocations)}", id="relocations-title")
            yield Label("Nothing is saved yet: the new places are saved with your next change "
                        "to this article. Orphaned passages are kept; re-attach or delete them "
                        "in review (ctrl+r, Orphaned tab). Enter on a moved passage goes to it; "
                        "Esc closes.", id="relocations-hint")
            yield OptionList(*[Option(row(r), id=r.annotation_id) for r in self.relocations],
                             id="relocations-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#relocations-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        relocation = self.relocations[event.option_index]
        if relocation.new_start is None or relocation.new_end is None:
            self.notify(f"“{quote_preview(relocation.quote, 40)}” is orphaned: it has no place "
                        "in this text. Re-attach or delete it in review (ctrl+r).",
                        severity="warning")
            return
        self.dismiss((relocation.new_start, relocation.new_end))

    def action_close(self) -> None:
        self.dismiss(None)


class MovedPassages:
    """Tells, once per article and set of relocations, that an article changed since it was
    tagged; the first time it is opened so, lists the passages (nothing is saved until the next
    change to the article, which saves the new places with it)."""

    def __init__(self) -> None:
        self._told: dict[str, frozenset[tuple[str, int | None]]] = {}

    def tell(self, node: Widget, article: Article, relocations: list[Relocation], go_to: GoTo,
             *, opened: bool) -> None:
        key = frozenset((r.annotation_id, r.new_start) for r in relocations)
        new = self._told.get(article.id) != key
        if not (opened or new):
            return
        self._told[article.id] = key
        node.notify(f"{summary(relocations)}. Nothing is saved until you change a highlight "
                    "here (m lists them).", title="The article changed since it was tagged",
                    severity="warning", timeout=10)
        if opened and new:
            self.list(node, article, relocations, go_to)

    def list(self, node: Widget, article: Article, relocations: list[Relocation],
             go_to: GoTo) -> None:
        """The list; Enter on a moved passage goes to it."""

        def chosen(span: tuple[int, int] | None) -> None:
            if span is not None:
                go_to(*span)

        node.app.push_screen(RelocationsScreen(article.meta.title or article.id, relocations),
                             chosen)
