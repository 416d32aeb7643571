"""ArticleList: the library's articles as a Line-API list (no widget per row; 100k rows OK).

Columns: title (with a ⚠ marker for warnings), source, date, words, annotations (count and
tag colours). The header row shows the sort order; ``o`` cycles it, a click on a header sorts
by that column. Enter or a click posts :class:`ArticleList.Selected`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from reader.models import ArticleMeta
from reader.ui.widgets.list_columns import (
    SORT_LABELS,
    SORTS,
    WARNING_MARK,
    Column,
    RowNotes,
    fit,
    layout,
    sort_articles,
)

__all__ = ["SORT_LABELS", "SORTS", "ArticleList", "RowNotes"]

SYNC_SORT_LIMIT = 5000  # larger lists are sorted in a thread worker
PASS_THROUGH = "/?"  # typed in the list, these still reach the screen (search, help)


class ArticleList(ScrollView, can_focus=True):
    """The article list. Data comes down by method calls; choices go up as messages."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--header", "article-list--cursor", "article-list--open",
        "article-list--warning", "article-list--dim", "article-list--empty",
    }
    DEFAULT_CSS = """
    ArticleList { overflow-x: hidden; }
    ArticleList > .article-list--header { text-style: bold; background: $panel; }
    ArticleList > .article-list--cursor { background: $boost; }
    ArticleList:focus > .article-list--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
    ArticleList > .article-list--open { text-style: bold; color: $accent; }
    ArticleList > .article-list--warning { color: $warning; }
    ArticleList > .article-list--dim { color: $foreground-muted; }
    ArticleList > .article-list--empty { color: $foreground-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, tooltip="Previous article", id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, tooltip="Next article",
                id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, tooltip="A page up",
                id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, tooltip="A page down",
                id="list.page_down"),
        Binding("home,g", "first", "First", show=False, tooltip="First article",
                id="list.first"),
        Binding("end,G", "last", "Last", show=False, tooltip="Last article", id="list.last"),
        Binding("enter", "open", "Open", tooltip="Open the article under the cursor",
                id="list.open"),
        Binding("o", "cycle_sort", "Sort", tooltip="Sort by date, title or source (cycles)",
                id="list.sort"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    sort_key: reactive[str] = reactive("date", init=False)

    class Selected(Message):
        """The user chose an article (Enter or click)."""

        def __init__(self, article_list: ArticleList, meta: ArticleMeta) -> None:
            super().__init__()
            self.article_list = article_list
            self.meta = meta

        @property
        def control(self) -> ArticleList:
            return self.article_list

    class TypedAhead(Message):
        """A character that is not a list key was typed: look for it (the screen starts a
        search with it, as file pickers do)."""

        def __init__(self, text: str, first: bool = True) -> None:
            super().__init__()
            self.text = text
            self.first = first  # False: more of the same burst, to add after what came

    class SortChanged(Message):
        def __init__(self, article_list: ArticleList, sort_key: str) -> None:
            super().__init__()
            self.article_list = article_list
            self.sort_key = sort_key

    def __init__(self, *, sort_key: str = "date", name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        self._metas: list[ArticleMeta] = []  # as given
        self._rows: list[ArticleMeta] = []  # sorted
        self._positions: dict[str, int] = {}
        self._notes: Mapping[str, RowNotes] = {}
        self._has_notes = False  # the Notes column is shown only when it has something
        self._colours: Mapping[str, str] = {}
        self._open_id = ""
        self._empty = "No articles."
        self._pending_sort = 0
        # Keys typed fast reach the list before the search box has taken the focus: once a
        # search started here, every character still queued for the list belongs to it.
        self._typing_ahead = False
        self.set_reactive(ArticleList.sort_key, sort_key if sort_key in SORTS else "date")

    # -- data down ---------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> Sequence[ArticleMeta]:
        """The articles in display order."""
        return self._rows

    @property
    def current(self) -> ArticleMeta | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_articles(self, metas: Sequence[ArticleMeta],
                     on_done: Callable[[], None] | None = None) -> None:
        """Replace the articles; the cursor stays on the same article when it is still there.
        Big lists are sorted in a thread worker; ``on_done`` runs once they are shown."""
        self._metas = list(metas)
        self._resort(on_done)

    def set_notes(self, notes: Mapping[str, RowNotes], colours: Mapping[str, str]) -> None:
        """Annotation counts and tags per article id; ``colours`` maps tag name to '#rrggbb'."""
        self._notes = notes
        self._has_notes = any(n.count > 0 for n in notes.values())
        self._colours = colours
        self.refresh()

    def set_open(self, article_id: str) -> None:
        """Mark the article shown in the reading view."""
        self._open_id = article_id
        self.refresh()

    def set_empty_message(self, text: str) -> None:
        self._empty = text
        self.refresh()

    def select_id(self, article_id: str) -> bool:
        """Move the cursor to an article; False if it is not in the list."""
        index = self._positions.get(article_id)
        if index is None:
            return False
        self.cursor = index
        return True

    # -- sorting -----------------------------------------------------------------------------
    def _resort(self, on_done: Callable[[], None] | None = None) -> None:
        key = self.sort_key
        metas = self._metas
        self._pending_sort += 1
        ticket = self._pending_sort
        if len(metas) <= SYNC_SORT_LIMIT:
            rows = sort_articles(metas, key)
            self._apply_sorted(ticket, rows, {m.id: i for i, m in enumerate(rows)}, on_done)
            return

        def work() -> None:
            rows = sort_articles(metas, key)
            positions = {m.id: i for i, m in enumerate(rows)}
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._apply_sorted, ticket, rows, positions, on_done)

        self.run_worker(work, thread=True, exclusive=True, group="article-list-sort",
                        name="sort articles", exit_on_error=False)

    def _apply_sorted(self, ticket: int, rows: list[ArticleMeta], positions: dict[str, int],
                      on_done: Callable[[], None] | None) -> None:
        if ticket != self._pending_sort:
            return
        keep = self.current.id if self.current else ""
        self._rows = rows
        self._positions = positions
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        index = self._positions.get(keep, 0) if keep else 0
        self.cursor = min(index, max(0, len(rows) - 1))
        self.refresh()
        if on_done is not None:
            on_done()

    def watch_sort_key(self, key: str) -> None:
        self._resort()
        self.post_message(self.SortChanged(self, key))

    def action_cycle_sort(self) -> None:
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]

    # -- cursor ------------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_open(self) -> None:
        meta = self.current
        if meta is not None:
            self.post_message(self.Selected(self, meta))

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if self._typing_ahead and char is not None and len(char) == 1 and char.isprintable():
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedAhead(char, first=False))
            return
        if (char is None or len(char) != 1 or not char.isprintable() or char.isspace()
                or char in PASS_THROUGH or event.key in LIST_KEYS or char in LIST_KEYS):
            return
        event.stop()
        event.prevent_default()
        self._typing_ahead = True
        self.post_message(self.TypedAhead(char))

    def on_focus(self) -> None:
        self._typing_ahead = False

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._rows) + 1)
        self._scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = 0
            for col in layout(self.scrollable_content_region.width, self._has_notes):
                if x <= offset.x < x + col.width + 1 and col.key in SORTS:
                    self.sort_key = col.key
                    return
                x += col.width + 1
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self.cursor = index
            self.action_open()

    # -- rendering ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        if not self._rows:
            return self._empty_line(y - 1, width)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._row(index, width)

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("article-list--header")
        parts = []
        columns = layout(width, self._has_notes)
        arrow = " ▼" if self.sort_key == "date" else " ▲"
        shown = any(col.key == self.sort_key for col in columns)
        for col in columns:
            label = col.label
            if col.key == self.sort_key:
                label += arrow
            elif col.key == "title" and not shown:
                label += f" (by {self.sort_key}{arrow})"
            parts.append(fit(label, col.width, right=col.right))
        line = set_cell_size(" ".join(parts), width)
        return Strip([Segment(line, style)], width)

    def _empty_line(self, y: int, width: int) -> Strip:
        lines: list[str] = []
        for para in self._empty.split("\n"):
            words, line = para.split(), ""
            for word in words:
                if line and cell_len(line) + 1 + cell_len(word) > width - 2:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            lines.append(line)
        y -= 1  # a blank line under the header
        if 0 <= y < len(lines):
            style = self.get_component_rich_style("article-list--empty")
            return Strip([Segment(fit(" " + lines[y], width), style)], width)
        return Strip.blank(width, self.rich_style)

    def _row(self, index: int, width: int) -> Strip:
        meta = self._rows[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("article-list--cursor")
        dim = self.get_component_rich_style("article-list--dim", partial=True)
        segments: list[Segment] = []
        for col in layout(width, self._has_notes):
            segments.extend(self._cell(meta, col, base, dim))
            segments.append(Segment(" ", base))
        return Strip(segments).crop(0, width).extend_cell_length(width, base)

    def _cell(self, meta: ArticleMeta, col: Column, base: Style, dim: Style) -> list[Segment]:
        if col.key == "mark":
            if meta.warnings:
                warn = self.get_component_rich_style("article-list--warning", partial=True)
                return [Segment(fit(WARNING_MARK, col.width), base + warn)]
            if meta.id == self._open_id:
                opened = self.get_component_rich_style("article-list--open", partial=True)
                return [Segment(fit("▶", col.width), base + opened)]
            return [Segment(" " * col.width, base)]
        if col.key == "title":
            style = base
            if meta.id == self._open_id:
                style = base + self.get_component_rich_style("article-list--open", partial=True)
            return [Segment(fit(meta.title or meta.id, col.width), style)]
        if col.key == "source":
            return [Segment(fit(meta.source, col.width), base + dim)]
        if col.key == "date":
            return [Segment(fit(meta.date, col.width), base + dim)]
        if col.key == "words":
            return [Segment(fit(f"{meta.words:,}" if meta.words else "", col.width, right=True),
                            base + dim)]
        return self._notes_cell(meta.id, col.width, base, dim)

    def _notes_cell(self, article_id: str, width: int, base: Style,
                    dim: Style) -> list[Segment]:
        notes = self._notes.get(article_id)
        if notes is None or notes.count <= 0:
            return [Segment(" " * width, base)]
        count = f"{notes.count} "
        segments = [Segment(count, base)]
        used = len(count)
        for tag in notes.tags:
            if used + 1 > width:
                break
            colour = self._colours.get(tag, "#888888")
            segments.append(Segment("●", base + Style(color=colour)))
            used += 1
        if width >= 12 and notes.tags and used < width - 2:
            names = " " + fit(", ".join(notes.tags), width - used - 1)
            segments.append(Segment(names, base + dim))
            used = width
        segments.append(Segment(" " * (width - used), base))
        return segments


LIST_KEYS = frozenset(key for binding in ArticleList.BINDINGS if isinstance(binding, Binding)
                      for key in binding.key.split(","))
