"""A stand-in for the reading view, used only when ``ArticleView`` cannot be imported, so the
main screen always composes. It shows the plain text; it has the view's public surface."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.models import Article


class PlainArticleView(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    PlainArticleView { padding: 0 2; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.article: Article | None = None
        self.selection: tuple[int, int] | None = None
        self.cursor = 0

    def compose(self) -> Any:
        yield Static("", id="plain-text", markup=False)

    def show(self, article: Article, *, scroll_y: float = 0) -> None:
        self.article = article
        head = f"{article.meta.title}\n{article.meta.source} · {article.meta.date}\n\n"
        self.query_one("#plain-text", Static).update(head + article.text)
        self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)

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
