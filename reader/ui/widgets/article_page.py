"""ArticlePage: an article laid out and drawn. A Line-API ScrollView of the article's wrapped
rows (see :mod:`reader.ui.layout`) under a metadata header, with what is drawn over the text:
the reading cursor, a selection, annotation highlights, search hits and an emphasis
(:class:`~reader.ui.widgets.marks.Marks`). Huge texts are laid out in a thread worker while
"Loading…" is shown. The keys, selecting and tagging are the
:class:`~reader.ui.widgets.article_view.ArticleView`'s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.style import Style
from textual import events, work
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from reader.library import markdown
from reader.models import Article, Block
from reader.ui.layout import MAX_MEASURE, Layout, RowKind, build_layout, wrap_plain
from reader.ui.widgets.article_render import render_row
from reader.ui.widgets.marks import Highlight, Marks

LARGE_TEXT = 200_000  # characters: lay out in a thread worker above this
LARGE_MARKDOWN = 20_000  # the same for Markdown, which costs more per character


def rendition_for(article: Article) -> markdown.Rendition | None:
    """How a Markdown article is drawn; None for plain text (and Markdown too long to
    format quickly, shown as written)."""
    if len(article.text) > markdown.MAX_CHARS or not markdown.is_markdown(
            article.meta.path, article.front_matter):
        return None
    return markdown.render(article.text)


class ArticlePage(ScrollView):
    """An article, laid out and drawn; see the module docstring."""


    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title", "article-view--heading", "article-view--boilerplate",
        "article-view--dateline", "article-view--meta", "article-view--warning",
        "article-view--message", "article-view--cursor", "article-view--selection",
        "article-view--hit", "article-view--hit-current", "article-view--emphasis",
        "article-view--code", "article-view--link", "article-view--url", "article-view--quote",
        "article-view--mark",
    }
    DEFAULT_CSS = """
    ArticlePage { overflow-x: hidden; overflow-y: auto; scrollbar-gutter: stable; }
    ArticlePage > .article-view--title { color: $text-accent; text-style: bold; }
    ArticlePage > .article-view--heading { color: $text-primary; text-style: bold; }
    ArticlePage > .article-view--dateline { text-style: bold; }
    ArticlePage > .article-view--boilerplate { color: $foreground-disabled; text-style: italic; }
    ArticlePage > .article-view--meta { color: $foreground-muted; }
    ArticlePage > .article-view--warning { color: $text-warning; }
    ArticlePage > .article-view--message { color: $foreground-muted; }
    ArticlePage > .article-view--cursor { background: $accent 45%; text-style: underline; }
    ArticlePage > .article-view--selection { background: $primary 55%; }
    ArticlePage > .article-view--hit { background: $warning 35%; }
    ArticlePage > .article-view--hit-current { background: $warning 80%; text-style: bold; }
    ArticlePage > .article-view--emphasis { background: $accent 60%; text-style: bold; }
    ArticlePage > .article-view--code { color: $text-success; background: $boost; }
    ArticlePage > .article-view--link { color: $text-primary; text-style: underline; }
    ArticlePage > .article-view--url { color: $foreground-muted; }
    ArticlePage > .article-view--quote { color: $foreground-muted; text-style: italic; }
    ArticlePage > .article-view--mark { color: $text-accent; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, bindings=True, layout=False)
    selection: reactive[tuple[int, int] | None] = reactive(None, bindings=True)
    visual: reactive[bool] = reactive(False, bindings=True)

    class SelectionChanged(Message, namespace="article_view"):
        def __init__(self, view: ArticlePage, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view, self.selection = view, selection

    class Scrolled(Message, namespace="article_view"):
        def __init__(self, view: ArticlePage, article_id: str, scroll_y: float) -> None:
            super().__init__()
            self.view, self.article_id, self.scroll_y = view, article_id, scroll_y

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticlePage.Scrolled)

    class CursorMoved(Message, namespace="article_view"):
        def __init__(self, view: ArticlePage, cursor: int) -> None:
            super().__init__()
            self.view, self.cursor = view, cursor

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticlePage.CursorMoved)

    def __init__(self, *, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.marks = Marks()
        self._layout: Layout | None = None
        self._message: str = ""
        self._blocks: Sequence[Block] = ()  # paragraphs and headings as drawn
        self._blocks_starts: list[int] = []
        self._rendition: markdown.Rendition | None = None
        self._markdown = False  # the article is Markdown (its rendition may be on its way)
        self._emphasis_timer: Timer | None = None
        self._style_cache: dict[tuple[Any, ...], Style] = {}
        self._paint_cache: dict[str, tuple[Color | None, Color | None, Style]] = {}
        self._laid_width = 0
        self._restoring = False
        self._keep_cursor_on_screen = True

    # -- showing -----------------------------------------------------------------------------
    def show(self, article: Article, *, scroll_y: float = 0) -> None:
        """Show ``article`` scrolled to ``scroll_y`` (a row, as reported by ``Scrolled``)."""
        self.article = article
        self._message = ""
        self._layout = None
        self.marks.clear()
        self._rendition = None
        self._markdown = markdown.is_markdown(article.meta.path, article.front_matter) and \
            len(article.text) <= markdown.MAX_CHARS
        if self._markdown and len(article.text) <= LARGE_MARKDOWN:
            self._rendition = rendition_for(article)
        self._set_blocks(article.blocks if self._rendition is None else self._rendition.blocks)
        self.visual = False
        self.selection = None
        self.set_reactive(ArticlePage.cursor, 0)
        self._relayout(("row", scroll_y))

    def show_message(self, text: str) -> None:
        """Replace the article by a message (empty state, errors)."""
        self.workers.cancel_group(self, "article-view-layout")
        self.article = None
        self._layout = None
        self._message = text
        self.marks.clear()
        self.visual = False
        self.selection = None
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    @property
    def layout_ready(self) -> bool:
        return self._layout is not None

    @property
    def rendition(self) -> markdown.Rendition | None:
        """How the (Markdown) article is drawn; None for plain text."""
        return self._rendition

    def _set_blocks(self, blocks: Sequence[Block]) -> None:
        self._blocks = blocks
        self._blocks_starts = [b.start for b in blocks]

    def _measure(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(10, min(width - 2, MAX_MEASURE))

    def _header(self, article: Article) -> list[tuple[RowKind, str]]:
        m = article.meta
        words = f"{m.words:,} word{'s' if m.words != 1 else ''}"
        lang = {"id": "Indonesian", "en": "English"}.get(m.language, m.language)
        parts = [p for p in (m.source, m.place, m.date, lang, words) if p]
        rows: list[tuple[RowKind, str]] = [(RowKind.META, " · ".join(parts))]
        rows += [(RowKind.WARNING, f"⚠ {w}") for w in m.warnings]
        return rows

    def _relayout(self, keep: tuple[str, float]) -> None:
        article = self.article
        if article is None or not self.is_mounted:
            return
        measure = self._measure()
        self._laid_width = measure
        large = LARGE_MARKDOWN if self._markdown else LARGE_TEXT
        if len(article.text) > large:
            if self._layout is None:
                self._message = "Loading…"
                self._update_virtual_size()
                self.refresh()
            self._layout_worker(article, measure, keep, self._rendition)
            return
        layout = build_layout(article.text, self._blocks, measure, title=article.meta.title,
                              meta=self._header(article), rendition=self._rendition)
        assert layout is not None
        self._install(article, layout, keep)

    @work(thread=True, exclusive=True, group="article-view-layout", exit_on_error=False)
    def _layout_worker(self, article: Article, measure: int, keep: tuple[str, float],
                       rendition: markdown.Rendition | None) -> None:
        worker = get_current_worker()
        if rendition is None and self._markdown:
            rendition = rendition_for(article)
        blocks = article.blocks if rendition is None else rendition.blocks
        layout = build_layout(article.text, blocks, measure, title=article.meta.title,
                              meta=self._header(article), rendition=rendition,
                              cancelled=lambda: worker.is_cancelled)
        if layout is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._install, article, layout, keep)

    def _install(self, article: Article, layout: Layout, keep: tuple[str, float]) -> None:
        if article is not self.article:
            return
        if layout.rendition is not self._rendition:
            self._rendition = layout.rendition
            self._set_blocks(article.blocks if layout.rendition is None
                             else layout.rendition.blocks)
        self._layout = layout
        self._message = ""
        self._update_virtual_size()
        how, value = keep
        row = layout.row_of(int(value)) if how == "offset" else int(value)
        self._restoring = True
        self.scroll_to(0, row, animate=False, immediate=True, force=True)
        self._restoring = False
        top = layout.nearest_text_row(int(self.scroll_y))
        if how != "offset" and top is not None and not self.visual:
            self.set_reactive(ArticlePage.cursor, layout.starts[top])
        self.refresh()

    def _update_virtual_size(self) -> None:
        rows = len(self._layout) if self._layout is not None else len(self._message_rows())
        self.virtual_size = Size(self.size.width, rows)

    def _message_rows(self) -> list[str]:
        if not self._message:
            return []
        out = [""]
        for para in self._message.split("\n"):
            out += wrap_plain(para, self._measure())
        return out

    def on_resize(self, event: events.Resize) -> None:
        if self._layout is not None and self._measure() != self._laid_width:
            self._relayout(("offset", self._top_offset()))
        else:
            self._update_virtual_size()

    def _top_offset(self) -> int:
        layout = self._layout
        if layout is None or not len(layout):
            return 0
        row = min(int(self.scroll_y), len(layout) - 1)
        return layout.starts[row]

    # -- public: highlights, hits, scrolling -------------------------------------------------
    # -- public: highlights, hits, scrolling -------------------------------------------------
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self.marks.set_highlights(highlights)
        self._style_cache.clear()
        self.refresh_bindings()
        self.refresh()

    def set_hits(self, spans: Sequence[tuple[int, int]]) -> None:
        self.marks.set_hits(spans)
        self.refresh_bindings()
        self.refresh()

    def highlight_at(self, offset: int) -> Highlight | None:
        return self.marks.highlight_at(offset)

    def scroll_to_offset(self, offset: int, *, center: bool = True) -> None:
        layout = self._layout
        if layout is None:
            return
        row = layout.row_of(offset)
        height = self.scrollable_content_region.height or self.size.height
        if center:
            y = row - height // 3
        elif row < self.scroll_y:
            y = row
        elif row >= self.scroll_y + height:
            y = row - height + 1
        else:
            return
        self.scroll_to(0, max(0, y), animate=False, immediate=True, force=True)

    def emphasise(self, start: int, end: int, seconds: float = 2.0) -> None:
        self.marks.emphasis = (start, end)
        if self._emphasis_timer is not None:
            self._emphasis_timer.stop()
        self._emphasis_timer = self.set_timer(seconds, self._end_emphasis)
        self.refresh()

    def _end_emphasis(self) -> None:
        self.marks.emphasis = None
        self.refresh()
    def watch_selection(self, old: tuple[int, int] | None,
                        new: tuple[int, int] | None) -> None:
        self.post_message(self.SelectionChanged(self, new))
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        self.post_message(self.CursorMoved(self, new))
        self.refresh()

    def validate_cursor(self, value: int) -> int:
        n = len(self.article.text) if self.article is not None else 0
        value = max(0, min(value, n))
        r = self._rendition
        if r is not None and value < n and (r.hidden(value) or r.text[value] == "\n"):
            moved = r.visible_at_or_after(value)  # never on mark-up: on what is drawn
            value = moved if moved is not None else (r.visible_before(value) or 0)
        return value

    # -- scrolling keeps the cursor on screen; positions are reported -------------------------
    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        layout = self._layout
        if layout is None or self.article is None or self._restoring:
            return
        if not self.visual and self._keep_cursor_on_screen:
            height = self.scrollable_content_region.height or self.size.height
            row = layout.row_of(self.cursor)
            top = int(new)
            if row < top or row >= top + height:
                target = layout.nearest_text_row(top if row < top else top + height - 1,
                                                 forward=row < top)
                if target is not None:
                    self.set_reactive(ArticlePage.cursor, layout.starts[target])
        self.post_message(self.Scrolled(self, self.article.id, new))

    def _margin(self) -> int:
        measure = self._layout.measure if self._layout is not None else self._measure()
        width = self.scrollable_content_region.width or self.size.width
        return max(1, (width - measure) // 2)


    # -- drawing ---------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        self._style_cache.clear()
        self._paint_cache.clear()
        super().notify_style_update()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.notify_style_update())
        if self.article is not None and self._layout is None:  # shown before mounting
            self._relayout(("row", 0))

    def render_line(self, y: int) -> Strip:
        return render_row(self, int(self.scroll_y) + y)
