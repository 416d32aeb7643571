"""ArticleView: the reading view. A Line-API ScrollView drawing an article's wrapped rows
(see :mod:`reader.ui.layout`) with a metadata header, a reading cursor, a selection (keyboard
visual mode or mouse drag), annotation highlights and search hits. Huge texts are laid out in
a thread worker while "Loading…" is shown."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from reader.models import Article
from reader.ui import motions
from reader.ui.layout import MAX_MEASURE, Layout, RowKind, build_layout, wrap_plain

LARGE_TEXT = 200_000  # characters: lay out in a thread worker above this


@dataclass(frozen=True)
class Highlight:
    """An annotation drawn in the text: ``colours`` are its tags' ``'#rrggbb'``."""

    id: str
    start: int
    end: int
    colours: tuple[str, ...]


class _Spans:
    """Spans sorted by start, with the longest length, for the spans touching a range."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted((s, e) for s, e in spans if e > s)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def touching(self, start: int, end: int) -> list[int]:
        """Indexes of the spans overlapping ``[start, end)``."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [i for i in range(lo, hi) if self.spans[i][1] > start]


def _binding(key: str, action: str, description: str, tooltip: str, *, show: bool = False,
             key_display: str | None = None) -> Binding:
    return Binding(key, action, description, show=show, tooltip=tooltip,
                   id=f"article-view.{action}", key_display=key_display)


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """The reading view (see the module docstring); keys in ``BINDINGS``."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title", "article-view--heading", "article-view--boilerplate",
        "article-view--dateline", "article-view--meta", "article-view--warning",
        "article-view--message", "article-view--cursor", "article-view--selection",
        "article-view--hit", "article-view--hit-current", "article-view--emphasis",
    }
    DEFAULT_CSS = """
    ArticleView { overflow-x: hidden; overflow-y: auto; scrollbar-gutter: stable; }
    ArticleView > .article-view--title { color: $text-accent; text-style: bold; }
    ArticleView > .article-view--heading { color: $text-primary; text-style: bold; }
    ArticleView > .article-view--dateline { text-style: bold; }
    ArticleView > .article-view--boilerplate { color: $foreground-disabled; text-style: italic; }
    ArticleView > .article-view--meta { color: $foreground-muted; }
    ArticleView > .article-view--warning { color: $text-warning; }
    ArticleView > .article-view--message { color: $foreground-muted; }
    ArticleView > .article-view--cursor { background: $accent 45%; text-style: underline; }
    ArticleView > .article-view--selection { background: $primary 55%; }
    ArticleView > .article-view--hit { background: $warning 35%; }
    ArticleView > .article-view--hit-current { background: $warning 80%; text-style: bold; }
    ArticleView > .article-view--emphasis { background: $accent 60%; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("j,down", "line_down", "Down", "Scroll down a line (visual mode: extend)"),
        _binding("k,up", "line_up", "Up", "Scroll up a line (visual mode: extend)"),
        _binding("space,pagedown", "page_down", "Page down", "Scroll down a page"),
        _binding("b", "word_left", "Word back", "Extend the selection to the previous word"),
        _binding("b,pageup", "page_up", "Page up", "Scroll up a page"),
        _binding("g,home", "top", "Top", "Go to the top of the article"),
        _binding("G,end", "bottom", "Bottom", "Go to the end of the article"),
        _binding("v", "visual", "Visual", "Start selecting at the cursor (visual mode)",
                 show=True),
        _binding("s", "select_sentence", "Sentence", "Select the sentence at the cursor",
                 show=True),
        _binding("p", "select_paragraph", "Paragraph", "Select the paragraph at the cursor",
                 show=True),
        _binding("h,left", "char_left", "Char left", "Move/extend one character left"),
        _binding("l,right", "char_right", "Char right", "Move/extend one character right"),
        _binding("w", "word_right", "Word", "Move/extend to the next word"),
        _binding("right_parenthesis", "sentence_right", "Sentence →",
                 "Move/extend to the end of the next sentence", key_display=")"),
        _binding("left_parenthesis", "sentence_left", "Sentence ←",
                 "Move/extend to the start of the previous sentence", key_display="("),
        _binding("right_curly_bracket", "paragraph_right", "Paragraph →",
                 "Move/extend to the end of the next paragraph", key_display="}"),
        _binding("left_curly_bracket", "paragraph_left", "Paragraph ←",
                 "Move/extend to the start of the previous paragraph", key_display="{"),
        _binding("escape", "clear_selection", "Clear", "Clear the selection", show=True),
        _binding("n", "next_hit", "Next hit", "Go to the next search hit", show=True),
        _binding("N", "previous_hit", "Prev hit", "Go to the previous search hit"),
        _binding("right_square_bracket", "next_highlight", "Next mark",
                 "Go to the next highlight", show=True, key_display="]"),
        _binding("left_square_bracket", "previous_highlight", "Prev mark",
                 "Go to the previous highlight", key_display="["),
    ]

    cursor: reactive[int] = reactive(0, bindings=True, layout=False)
    selection: reactive[tuple[int, int] | None] = reactive(None, bindings=True)
    visual: reactive[bool] = reactive(False, bindings=True)

    class SelectionChanged(Message):
        def __init__(self, view: ArticleView, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view, self.selection = view, selection

    class Scrolled(Message):
        def __init__(self, view: ArticleView, article_id: str, scroll_y: float) -> None:
            super().__init__()
            self.view, self.article_id, self.scroll_y = view, article_id, scroll_y

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.Scrolled)

    class CursorMoved(Message):
        def __init__(self, view: ArticleView, cursor: int) -> None:
            super().__init__()
            self.view, self.cursor = view, cursor

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.CursorMoved)

    def __init__(self, *, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self._layout: Layout | None = None
        self._message: str = ""
        self._paras: list[tuple[int, int]] = []
        self._blocks_starts: list[int] = []
        self._highlights: list[Highlight] = []
        self._hl_spans = _Spans([])
        self._hits = _Spans([])
        self._current_hit: int | None = None
        self._emphasis: tuple[int, int] | None = None
        self._emphasis_timer: Timer | None = None
        self._anchor = 0  # visual mode / drag anchor
        self._char_mode = False  # last extension was by character: no word snapping
        self._dragging = False
        self._style_cache: dict[tuple[Any, ...], Style] = {}
        self._paint_cache: dict[str, tuple[Color | None, Color | None, Style]] = {}
        self._laid_width = 0
        self._restoring = False

    # -- showing -----------------------------------------------------------------------------
    def show(self, article: Article, *, scroll_y: float = 0) -> None:
        """Show ``article`` scrolled to ``scroll_y`` (a row, as reported by ``Scrolled``)."""
        self.article = article
        self._message = ""
        self._layout = None
        self._highlights, self._hl_spans = [], _Spans([])
        self._hits, self._current_hit, self._emphasis = _Spans([]), None, None
        self._paras = motions.paragraphs(article.text, article.blocks)
        self._blocks_starts = [b.start for b in article.blocks]
        self.visual = False
        self.selection = None
        self.set_reactive(ArticleView.cursor, 0)
        self._relayout(("row", scroll_y))

    def show_message(self, text: str) -> None:
        """Replace the article by a message (empty state, errors)."""
        self.workers.cancel_group(self, "article-view-layout")
        self.article = None
        self._layout = None
        self._message = text
        self._highlights, self._hl_spans, self._hits = [], _Spans([]), _Spans([])
        self.visual = False
        self.selection = None
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    @property
    def layout_ready(self) -> bool:
        return self._layout is not None

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
        if len(article.text) > LARGE_TEXT:
            if self._layout is None:
                self._message = "Loading…"
                self._update_virtual_size()
                self.refresh()
            self._layout_worker(article, measure, keep)
            return
        layout = build_layout(article.text, article.blocks, measure, title=article.meta.title,
                              meta=self._header(article))
        assert layout is not None
        self._install(article, layout, keep)

    @work(thread=True, exclusive=True, group="article-view-layout", exit_on_error=False)
    def _layout_worker(self, article: Article, measure: int, keep: tuple[str, float]) -> None:
        worker = get_current_worker()
        layout = build_layout(article.text, article.blocks, measure, title=article.meta.title,
                              meta=self._header(article),
                              cancelled=lambda: worker.is_cancelled)
        if layout is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._install, article, layout, keep)

    def _install(self, article: Article, layout: Layout, keep: tuple[str, float]) -> None:
        if article is not self.article:
            return
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
            self.set_reactive(ArticleView.cursor, layout.starts[top])
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
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self._highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._hl_spans = _Spans([(h.start, h.end) for h in self._highlights])
        self._style_cache.clear()
        self.refresh_bindings()
        self.refresh()

    def set_hits(self, spans: Sequence[tuple[int, int]]) -> None:
        self._hits = _Spans(spans)
        self._current_hit = None
        self.refresh_bindings()
        self.refresh()

    def next_hit(self) -> bool:
        return self._goto_hit(forward=True)

    def previous_hit(self) -> bool:
        return self._goto_hit(forward=False)

    def _goto_hit(self, *, forward: bool) -> bool:
        spans = self._hits.spans
        if not spans:
            return False
        if self._current_hit is not None:
            i = (self._current_hit + (1 if forward else -1)) % len(spans)
        elif forward:
            i = bisect_right(self._hits.starts, self.cursor - 1) % len(spans)
        else:
            i = (bisect_left(self._hits.starts, self.cursor) - 1) % len(spans)
        self._current_hit = i
        self.cursor = spans[i][0]
        self.scroll_to_offset(spans[i][0])
        self.refresh()
        return True

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
        self._emphasis = (start, end)
        if self._emphasis_timer is not None:
            self._emphasis_timer.stop()
        self._emphasis_timer = self.set_timer(seconds, self._end_emphasis)
        self.refresh()

    def _end_emphasis(self) -> None:
        self._emphasis = None
        self.refresh()

    def highlight_at(self, offset: int) -> Highlight | None:
        """The topmost (last drawn: latest starting, then shortest) highlight at ``offset``."""
        found = [self._highlights[i] for i in self._hl_spans.touching(offset, offset + 1)]
        return min(found, key=lambda h: (-h.start, h.end - h.start)) if found else None

    def next_highlight(self) -> bool:
        for h in self._highlights:
            if h.start > self.cursor:
                return self._goto_highlight(h)
        return False

    def previous_highlight(self) -> bool:
        for h in reversed(self._highlights):
            if h.start < self.cursor:
                return self._goto_highlight(h)
        return False

    def _goto_highlight(self, h: Highlight) -> bool:
        self.clear_selection()
        self.cursor = h.start
        self.scroll_to_offset(h.start)
        return True

    # -- selection ---------------------------------------------------------------------------
    def select(self, start: int, end: int) -> None:
        n = len(self.article.text) if self.article is not None else 0
        start, end = max(0, min(start, end)), min(n, max(start, end))
        self.selection = (start, end) if end > start else None

    def clear_selection(self) -> None:
        self.visual = False
        self.selection = None

    def _text(self) -> str:
        return self.article.text if self.article is not None else ""

    def _extend(self, cursor: int, *, by_char: bool = False) -> None:
        """Move the cursor; in visual mode the selection follows from the anchor."""
        text = self._text()
        cursor = max(0, min(cursor, max(0, len(text) - 1)))
        self.cursor = cursor
        self.scroll_to_offset(cursor, center=False)
        if not self.visual:
            return
        self._char_mode = by_char
        lo, hi = min(self._anchor, cursor), max(self._anchor, cursor) + 1
        if not by_char:
            lo, hi = motions.snap_to_words(text, lo, hi)
            if hi > lo:  # keep extending from the edges the user sees
                forward = cursor >= self._anchor
                self._anchor = lo if forward else hi - 1
                self.set_reactive(ArticleView.cursor, hi - 1 if forward else lo)
        self.select(lo, hi)

    def watch_selection(self, old: tuple[int, int] | None,
                        new: tuple[int, int] | None) -> None:
        self.post_message(self.SelectionChanged(self, new))
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        self.post_message(self.CursorMoved(self, new))
        self.refresh()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._text())))

    # -- keys ----------------------------------------------------------------------------------
    _ARTICLE_ACTIONS: ClassVar[frozenset[str]] = frozenset({
        "visual", "select_sentence", "select_paragraph", "char_left", "char_right",
        "word_right", "word_left", "sentence_right", "sentence_left", "paragraph_right",
        "paragraph_left"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        ready = self.article is not None and self._layout is not None
        if action == "word_left":
            return self.visual and ready
        if action == "page_up":
            return not self.visual
        if action in self._ARTICLE_ACTIONS:
            return ready
        if action == "clear_selection":
            return self.selection is not None or self.visual
        if action in ("next_hit", "previous_hit"):
            return self.selection is None and bool(self._hits.spans)
        if action in ("next_highlight", "previous_highlight"):
            return bool(self._highlights)
        return True

    def _row_step(self, rows: int) -> None:
        layout = self._layout
        if layout is None:
            return
        row, col = layout.position(self.cursor)
        target = layout.nearest_text_row(max(0, min(len(layout) - 1, row + rows)), rows > 0)
        if target is None:
            return
        offset = layout.offset_at(target, col)
        self._extend(offset if offset is not None else layout.starts[target])

    def action_line_down(self) -> None:
        if self.visual:
            self._row_step(1)
        else:
            self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)

    def action_line_up(self) -> None:
        if self.visual:
            self._row_step(-1)
        else:
            self.scroll_to(y=self.scroll_y - 1, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height or self.size.height) - 2)

    def action_page_down(self) -> None:
        if self.visual:
            self._row_step(self._page())
        else:
            self.scroll_to(y=self.scroll_y + self._page(), animate=False, immediate=True)

    def action_page_up(self) -> None:
        if self.visual:
            self._row_step(-self._page())
        else:
            self.scroll_to(y=self.scroll_y - self._page(), animate=False, immediate=True)

    def action_top(self) -> None:
        if self.visual:
            self._extend(0)
        else:
            self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        if self.visual:
            self._extend(len(self._text()))
        else:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_visual(self) -> None:
        if self.visual:
            self.visual = False  # leave visual mode, keep the selection
            return
        self.visual = True
        self._anchor = self.cursor
        self._extend(self.cursor)

    def _select_span(self, span: tuple[int, int] | None) -> None:
        if span is None or span[1] <= span[0]:
            return
        self._anchor = span[0]
        self.visual = True
        self._char_mode = False
        self.cursor = span[1] - 1
        self.select(*span)
        self.scroll_to_offset(span[0], center=False)

    def action_select_sentence(self) -> None:
        from reader.library.text import sentence_at

        self._select_span(sentence_at(self._text(), self.cursor))

    def action_select_paragraph(self) -> None:
        self._select_span(motions.paragraph_at(self._paras, self.cursor))

    def action_char_left(self) -> None:
        self._extend(self.cursor - 1, by_char=True)

    def action_char_right(self) -> None:
        self._extend(self.cursor + 1, by_char=True)

    def action_word_right(self) -> None:
        text = self._text()
        if self.visual and self.cursor >= self._anchor:
            self._extend(motions.next_word_end(text, self.cursor))
        else:
            self._extend(motions.next_word_start(text, self.cursor))

    def action_word_left(self) -> None:
        text = self._text()
        target = motions.prev_word_start(text, self.cursor)
        if self.visual and self.cursor > self._anchor:
            end = motions.prev_word_end(text, self.cursor)
            target = end if end >= self._anchor else target
        self._extend(target)

    def action_sentence_right(self) -> None:
        self._extend(motions.next_sentence_end(self._text(), self._paras, self.cursor))

    def action_sentence_left(self) -> None:
        self._extend(motions.prev_sentence_start(self._text(), self._paras, self.cursor))

    def action_paragraph_right(self) -> None:
        self._extend(motions.next_paragraph_end(self._paras, self.cursor))

    def action_paragraph_left(self) -> None:
        self._extend(motions.prev_paragraph_start(self._paras, self.cursor))

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def action_next_hit(self) -> None:
        self.next_hit()

    def action_previous_hit(self) -> None:
        self.previous_hit()

    def action_next_highlight(self) -> None:
        if not self.next_highlight():
            self.notify("No highlight after the cursor.", timeout=2)

    def action_previous_highlight(self) -> None:
        if not self.previous_highlight():
            self.notify("No highlight before the cursor.", timeout=2)

    # -- scrolling keeps the cursor on screen; positions are reported -------------------------
    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        layout = self._layout
        if layout is None or self.article is None or self._restoring:
            return
        if not self.visual and not self._dragging:
            height = self.scrollable_content_region.height or self.size.height
            row = layout.row_of(self.cursor)
            top = int(new)
            if row < top or row >= top + height:
                target = layout.nearest_text_row(top if row < top else top + height - 1,
                                                 forward=row < top)
                if target is not None:
                    self.set_reactive(ArticleView.cursor, layout.starts[target])
        self.post_message(self.Scrolled(self, self.article.id, new))

    # -- mouse ---------------------------------------------------------------------------------
    def _offset_at_mouse(self, event: events.MouseEvent) -> int | None:
        layout = self._layout
        if layout is None:
            return None
        row = int(self.scroll_y) + event.y
        row = max(0, min(row, len(layout) - 1))
        if not layout.is_text(row):
            nearest = layout.nearest_text_row(row, forward=True)
            return layout.starts[nearest] if nearest is not None else None
        return layout.offset_at(row, event.x - self._margin())

    def _margin(self) -> int:
        measure = self._layout.measure if self._layout is not None else self._measure()
        width = self.scrollable_content_region.width or self.size.width
        return max(1, (width - measure) // 2)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at_mouse(event)
        if offset is None or event.button != 1:
            return
        self.focus()
        self.clear_selection()
        self.cursor = offset
        self._anchor = offset
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_at_mouse(event)
        if offset is None:
            return
        if event.y < 0:
            self.scroll_to(y=self.scroll_y - 1, animate=False, immediate=True)
        elif event.y >= self.size.height:
            self.scroll_to(y=self.scroll_y + 1, animate=False, immediate=True)
        self.cursor = offset
        if offset != self._anchor:
            lo, hi = min(self._anchor, offset), max(self._anchor, offset) + 1
            self.select(*motions.snap_to_words(self._text(), lo, hi))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

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
        from reader.ui.widgets.article_render import render_row

        return render_row(self, int(self.scroll_y) + y)
