"""SearchResults: the ranked results of the query, shown in place of the article list.

An OptionList (Line API: no widget per result). Each result: title, source · date · hits, and
one or two keyword-in-context snippets with the hit terms highlighted. It reports
:class:`SearchResults.Opened` (Enter / click), :class:`SearchResults.TagHit` (``t``),
:class:`SearchResults.TagEveryHit` (``T``), :class:`SearchResults.UndoWanted` (``u``) and
:class:`SearchResults.Cleared` (Esc).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.search.index import SearchResult, Snippet

MAX_SNIPPETS = 2
HIT_STYLE = "bold reverse"


def snippet_text(snippet: Snippet) -> Text:
    """The snippet with its hit terms styled."""
    text = Text("  " + snippet.text.strip(), style="dim")
    lead = 2 - (len(snippet.text) - len(snippet.text.lstrip()))
    for start, end in snippet.highlights:
        text.stylize(HIT_STYLE, start + lead, end + lead)
    return text


def result_prompt(result: SearchResult) -> Text:
    # no hit in the text (found by tag:, title:, source:, ...): no count rather than "0 hits"
    hits = f"{result.hits} hit{'s' if result.hits != 1 else ''}" if result.hits else ""
    meta = " · ".join(p for p in (result.source, result.date, hits) if p)
    out = Text.assemble((result.title or result.id, "bold"), "\n", (meta, "italic"))
    for snippet in result.snippets[:MAX_SNIPPETS]:
        out.append("\n")
        out.append_text(snippet_text(snippet))
    return out


class SearchResults(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "tag_hit", "Tag hit", tooltip="Tag the sentence of this result's hit "
                "without opening the article", id="tag_hit"),
        Binding("T", "tag_every_hit", "Tag every hit", tooltip="Tag the sentence of every "
                "hit of the query (asks first; u undoes)", id="tag_every_hit"),
        Binding("u", "undo", "Undo", tooltip="Undo what was last tagged from the results",
                id="results.undo"),
        Binding("S", "suggest_here", "Suggest here", show=False, tooltip="Suggestions "
                "(untagged sentences with a tag's cue words) in the articles of this search "
                "only", id="results.suggest"),
        Binding("escape", "clear_search", "Clear", tooltip="Clear the search, back to the "
                "full list", id="clear_results"),
    ]

    class Opened(Message):
        def __init__(self, result: SearchResult) -> None:
            super().__init__()
            self.result = result

    class TagHit(Message):
        def __init__(self, result: SearchResult) -> None:
            super().__init__()
            self.result = result

    class TagEveryHit(Message):
        pass

    class Cleared(Message):
        pass

    class SuggestWanted(Message):
        """``S``: suggestions limited to the articles this search finds."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class MoreWanted(Message):
        """The cursor is on the last result and the index may have more."""

    class UndoWanted(Message):
        """``u``: undo what was last tagged from the results."""

    class BackToBox(Message):
        """``↑`` on the first result: back to the search box."""

    def __init__(self, can_undo: Callable[[], bool] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.can_undo = can_undo or (lambda: False)
        self.results: list[SearchResult] = []
        self.query_text = ""
        self.more = False  # a full page: scrolling to the end asks for more

    def set_results(self, query: str, results: Sequence[SearchResult], *,
                    more: bool = False) -> None:
        """Show ``results``; a longer page of the same query keeps the cursor where it is."""
        same = query == self.query_text and [r.id for r in self.results] == [
            r.id for r in results[: len(self.results)]]
        keep = self.highlighted if same else None
        self.more = False
        self.query_text = query
        if same and len(results) >= len(self.results) and self.results:
            new = list(results[len(self.results):])
            self.results = list(results)
            self.add_options([Option(result_prompt(r)) for r in new])
        else:
            self.results = list(results)
            self.clear_options()
            self.add_options([Option(result_prompt(r)) for r in self.results])
        if self.results:
            self.highlighted = keep if keep is not None else 0
        self.more = more

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted
                                           ) -> None:
        if self.more and event.option_index == len(self.results) - 1:
            self.more = False
            self.post_message(self.MoreWanted())

    @property
    def current(self) -> SearchResult | None:
        i = self.highlighted
        if i is None or not 0 <= i < len(self.results):
            return self.results[0] if self.results else None
        return self.results[i]

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.results):
            self.post_message(self.Opened(self.results[event.option_index]))

    def action_tag_hit(self) -> None:
        if self.current is not None:
            self.post_message(self.TagHit(self.current))

    def action_tag_every_hit(self) -> None:
        self.post_message(self.TagEveryHit())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self.can_undo()
        if action in ("tag_hit", "tag_every_hit", "suggest_here"):
            return bool(self.results)
        return True

    def action_suggest_here(self) -> None:
        if self.results:
            self.post_message(self.SuggestWanted(self.query_text))

    def action_undo(self) -> None:
        self.post_message(self.UndoWanted())

    def action_cursor_up(self) -> None:
        if not self.highlighted:
            self.post_message(self.BackToBox())
            return
        super().action_cursor_up()

    def action_clear_search(self) -> None:
        self.post_message(self.Cleared())
