"""The reading view's keys (see :class:`~reader.ui.widgets.article_view.ArticleView`), as
one table: the help and the footer are made from it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

TAGGING_ACTIONS = frozenset({"tag", "tag_again", "note", "edit_highlight", "delete_highlight",
                             "undo"})


def _binding(key: str, action: str, description: str, tooltip: str, *, show: bool = False,
             key_display: str | None = None) -> Binding:
    return Binding(key, action, description, show=show, tooltip=tooltip,
                   id=f"article-view.{action}", key_display=key_display)


BINDINGS: list[BindingType] = [
    _binding("j,down", "line_down", "Down", "Scroll down a line (visual mode: extend)"),
    _binding("k,up", "line_up", "Up", "Scroll up a line (visual mode: extend)"),
    _binding("space,pagedown", "page_down", "Page down", "Scroll down a page"),
    _binding("b", "word_left", "Word back",
             "Visual mode: extend the selection to the previous word"),
    _binding("b,pageup", "page_up", "Page up", "Scroll up a page (outside visual mode)"),
    _binding("g,home", "top", "Top", "Go to the top of the article"),
    _binding("G,end", "bottom", "Bottom", "Go to the end of the article"),
    # the keys the footer shows come in their order of importance; those that do not
    # apply where the cursor is are hidden (check_action)
    _binding("t", "tag", "Tag", "Tag the selected passage (tag picker)", show=True),
    _binding("full_stop", "tag_again", "Tag again", "Tag the selected passage with the tag "
             "used last, the current tag (the status line says which)", show=True,
             key_display="."),
    _binding("n", "next_hit", "Next hit", "Go to the next search hit (when there are hits and "
             "nothing is selected)", show=True),
    _binding("n", "note", "Note", "Tag the selected passage with a note, or edit the note "
             "of the highlight under the cursor", show=True),
    _binding("e", "edit_highlight", "Edit", "Edit the tags and note of the highlight under "
             "the cursor", show=True),
    _binding("d", "delete_highlight", "Delete", "Delete the highlight under the cursor "
             "(u undoes)", show=True),
    _binding("escape", "clear_selection", "Clear", "Clear the selection", show=True),
    _binding("right_square_bracket", "next_highlight", "Next mark",
             "Go to the next highlight", show=True, key_display="]"),
    _binding("left_square_bracket", "previous_highlight", "Prev mark",
             "Go to the previous highlight (from inside one: the one before it)",
             key_display="["),
    _binding("o", "link", "Link", "Show the address of the link under the cursor (and "
             "copy it)", show=True),
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
             "Move to the start of the next sentence (visual mode: extend to its end)",
             key_display=")"),
    _binding("left_parenthesis", "sentence_left", "Sentence ←",
             "Move/extend to the start of the sentence (then of the one before)",
             key_display="("),
    _binding("right_curly_bracket", "paragraph_right", "Paragraph →",
             "Move to the start of the next paragraph (visual mode: extend to its end)",
             key_display="}"),
    _binding("left_curly_bracket", "paragraph_left", "Paragraph ←",
             "Move/extend to the start of the paragraph (then of the one before)",
             key_display="{"),
    _binding("N", "previous_hit", "Prev hit", "Go to the previous search hit"),
    _binding("u", "undo", "Undo", "Undo the last annotation change", show=True),
    _binding("m", "moved_passages", "Moved", "List the passages moved or orphaned since "
             "the article was tagged (before they are saved)", show=True),
    # t, e, d or n with nothing to act on say what to do (the help leaves these out)
    *[Binding(key, f"explain('{what}')", what.capitalize(), show=False,
              tooltip=f"Say how to {what} when there is nothing to {what} here",
              id=f"article-view.explain_{what}")
      for key, what in (("t", "tag"), ("e", "edit"), ("d", "delete"), ("n", "note"))],
    _binding("q", "app.quit", "Quit", "Quit reader (also ctrl+q anywhere)"),
]
