"""A stand-in for the reading view, used only when ``ArticleView`` cannot be imported, so the
main screen always composes. It shows the plain text; it has the view's public surface."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from reader.models import Article


class Scrolled(Message, namespace="article_view"):
    """Same shape and handler name as ``ArticleView.Scrolled``."""

    def __init__(self, view: PlainArticleView, article_id: str, scroll_y: float) -> None:
        super().__init__()
        self.view, self.article_id, self.scroll_y = view, article_id, scroll_y

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Scrolled)


class PlainArticleView(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    PlainArticleView { padding: 0 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("b", "page_up", "Page up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.article: Article | None = None
        self.selection: tuple[int, int] | None = None
        self.cursor = 0
        self._ready = False

    def compose(self) -> Any:
        yield Static("", id="plain-text", markup=False)

    def show(self, article: Article, *, scroll_y: float = 0) -> None:
        self.article = article
        head = f"{article.meta.title}\n{article.meta.source} · {article.meta.date}\n\n"
        self._ready = False
        self.query_one("#plain-text", Static).update(head + article.text)
        self.call_after_refresh(self._restore, scroll_y)

    def _restore(self, scroll_y: float) -> None:
        self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self._ready = True

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.article is not None and self._ready:
            self.post_message(Scrolled(self, self.article.id, new))

    def show_message(self, text: str) -> None:
        self.article = None
        self.query_one("#plain-text", Static).update(text)

    def set_highlights(self, highlights: Sequence[Any]) -> None:
        pass

    def set_hits(self, spans: Sequence[tuple[int, int]]) -> None:
        pass

    def highlight_at(self, offset: int) -> Any:
        return None

    def clear_selection(self) -> None:
        self.selection = None

    def emphasise(self, start: int, end: int, seconds: float = 2.0) -> None:
        pass


def load_view_class() -> type[Any]:
    """The real ArticleView when it is importable, else the plain stand-in."""
    try:
        module = importlib.import_module("reader.ui.widgets.article_view")
    except ImportError:
        return PlainArticleView
    view: type[Any] = module.ArticleView
    return view
