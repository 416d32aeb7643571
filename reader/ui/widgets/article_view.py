"""ArticleView: the reading view. An :class:`~reader.ui.widgets.article_page.ArticlePage` with
its keys: scrolling, moving the cursor, selecting (keyboard visual mode or mouse drag), going
from hit to hit and highlight to highlight, and tagging (``t``, ``n``, ``e``, ``d``, ``u``, given
a :class:`~reader.ui.tagging.Tagger`), which therefore act only while the reading view has the
focus."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType

from reader.library.text import sentence_at
from reader.models import Article
from reader.ui import motions
from reader.ui.tagging import Tagger
from reader.ui.widgets.article_page import ArticlePage
from reader.ui.widgets.marks import Highlight

__all__ = ["ArticleView", "Highlight"]

TAGGING_ACTIONS = frozenset({"tag", "tag_again", "note", "edit_highlight", "delete_highlight",
                             "undo"})


def _binding(key: str, action: str, description: str, tooltip: str, *, show: bool = False,
             key_display: str | None = None) -> Binding:
    return Binding(key, action, description, show=show, tooltip=tooltip,
                   id=f"article-view.{action}", key_display=key_display)


class ArticleView(ArticlePage, can_focus=True, inherit_bindings=False):
    """The reading view (see the module docstring); keys in ``BINDINGS``."""

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
        _binding("t", "tag", "Tag", "Tag the selected passage (tag picker)", show=True),
        _binding("full_stop", "tag_again", "Tag again", "Tag the selected passage with the tag "
                 "used last, the current tag (the status line says which)", show=True,
                 key_display="."),
        _binding("n", "note", "Note", "Tag the selected passage with a note, or edit the note "
                 "of the highlight under the cursor", show=True),
        _binding("e", "edit_highlight", "Edit", "Edit the tags and note of the highlight under "
                 "the cursor", show=True),
        _binding("d", "delete_highlight", "Delete", "Delete the highlight under the cursor "
                 "(u undoes)", show=True),
        _binding("u", "undo", "Undo", "Undo the last annotation change", show=True),
        _binding("m", "moved_passages", "Moved", "List the passages moved or orphaned since "
                 "the article was tagged (before they are saved)", show=True),
        _binding("q", "app.quit", "Quit", "Quit reader (also ctrl+q anywhere)"),
    ]

    def __init__(self, tagger: Tagger | None = None, *, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        self.tagger = tagger
        if tagger is not None:
            tagger.attach(self, self)
        self._paras: list[tuple[int, int]] = []
        self._anchor = 0  # visual mode / drag anchor
        self._char_mode = False  # last extension was by character: no word snapping
        self._dragging = False

    def on_mount(self) -> None:  # (ArticlePage.on_mount runs too: Textual calls each class's)
        if self.tagger is not None:
            self.tagger.check_vocabulary()  # a broken vocabulary is said at once

    def show(self, article: Article, *, scroll_y: float = 0) -> None:
        self._paras = motions.paragraphs(article.text, article.blocks)
        super().show(article, scroll_y=scroll_y)

    # -- hits and highlights -------------------------------------------------------------------
    def next_hit(self) -> bool:
        return self._goto_hit(forward=True)

    def previous_hit(self) -> bool:
        return self._goto_hit(forward=False)

    def _goto_hit(self, *, forward: bool) -> bool:
        start = self.marks.step_hit(self.cursor, forward=forward)
        if start is None:
            return False
        self.cursor = start
        self.scroll_to_offset(start)
        self.refresh()
        return True

    def next_highlight(self) -> bool:
        h = self.marks.next_highlight(self.cursor)
        return h is not None and self._goto_highlight(h)

    def previous_highlight(self) -> bool:
        h = self.marks.previous_highlight(self.cursor)
        return h is not None and self._goto_highlight(h)

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
                self.set_reactive(ArticlePage.cursor, hi - 1 if forward else lo)
        self.select(lo, hi)

    # -- keys ----------------------------------------------------------------------------------
    _ARTICLE_ACTIONS: ClassVar[frozenset[str]] = frozenset({
        "visual", "select_sentence", "select_paragraph", "char_left", "char_right",
        "word_right", "word_left", "sentence_right", "sentence_left", "paragraph_right",
        "paragraph_left"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        ready = self.article is not None and self._layout is not None
        if action in TAGGING_ACTIONS:
            return self._check_tagging(action, ready)
        if action == "moved_passages":
            return ready and self.tagger is not None and self.tagger.has_relocations()
        if action == "word_left":
            return self.visual and ready
        if action == "page_up":
            return not self.visual
        if action in self._ARTICLE_ACTIONS:
            return ready
        if action == "clear_selection":
            return self.selection is not None or self.visual
        if action in ("next_hit", "previous_hit"):
            return self.selection is None and bool(self.marks.hits.spans)
        if action in ("next_highlight", "previous_highlight"):
            return bool(self.marks.highlights)
        return True

    def _check_tagging(self, action: str, ready: bool) -> bool:
        """Show (and act on) only the tagging keys that apply."""
        tagger = self.tagger
        if tagger is None:
            return False
        if action == "undo":
            return tagger.can_undo()
        if not ready:
            return False
        if action == "tag":  # shown while reading: without a selection it says how to select
            return True
        if action == "note":
            return tagger.can_tag() or tagger.on_highlight()
        if action == "tag_again":
            return tagger.can_tag() and bool(tagger.last_tags)
        return tagger.on_highlight()  # edit, delete

    def action_tag(self) -> None:
        if self.tagger is not None:
            self.tagger.tag()

    def action_tag_again(self) -> None:
        if self.tagger is not None:
            self.tagger.tag_again()

    def action_note(self) -> None:
        if self.tagger is not None:
            self.tagger.note()

    def action_edit_highlight(self) -> None:
        if self.tagger is not None:
            self.tagger.edit()

    def action_delete_highlight(self) -> None:
        if self.tagger is not None:
            self.tagger.delete()

    def action_undo(self) -> None:
        if self.tagger is not None:
            self.tagger.undo()

    def action_moved_passages(self) -> None:
        if self.tagger is not None:
            self.tagger.list_relocations()

    def go_to(self, start: int, end: int) -> None:
        """Put the cursor on ``start``-``end``, scrolled into view and emphasised briefly."""
        self.clear_selection()
        self.cursor = start
        self.scroll_to_offset(start)
        self.emphasise(start, end, 2.5)

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


    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at_mouse(event)
        if offset is None or event.button != 1:
            return
        self.focus()
        self.clear_selection()
        self.cursor = offset
        self._anchor = offset
        self._dragging = True
        self._keep_cursor_on_screen = False
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
            self._keep_cursor_on_screen = True
            self.release_mouse()

