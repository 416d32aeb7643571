"""SearchBar: the search box above the article list, with a history of earlier queries.

It only reports what happened (:class:`SearchBar.QueryChanged`, :class:`SearchBar.Accepted`,
:class:`SearchBar.Cleared`); the screen runs the searches. Up/down recall earlier queries;
the history is kept as JSON in the state folder, written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

HISTORY_FILE = "search_history.json"
HISTORY_MAX = 100

QUERY_HELP = """\
# Search

`/` focuses the search box; results appear as you type. **Enter** opens the chosen result at
its first hit with every hit highlighted; **n** / **N** go to the next / previous hit;
**Esc** clears the search. In the box **↓** moves to the results (**↑** on the first result
comes back) and **↑** recalls earlier queries (then **↓** the later ones). On a result,
**t** tags the sentence of its first hit and **T** tags the sentence of every hit of the
query (after a confirmation; **u** undoes it in one step).
"""

# (what you type: one example a line, never wrapped; what it finds)
QUERY_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("sanksi militer", "articles with both words (any form: sanksi also finds disanksi)"),
    ("sanksi OR embargo", "either word"),
    ("sanksi NOT rusia\nsanksi -rusia", "the first word without the second; -source:kompas "
     "too"),
    ('"kerja sama militer"', "the exact phrase"),
    ("senjat*", "words starting with senjat"),
    ("belousof~", "words close to belousof (typos)"),
    ("title:rusia", "a word in the title; also source:, place:, lang:id, tag:, note:"),
    ("date:2024-06-19", "articles of that day"),
    ("tag:sanctions\ntag:*", "articles with a passage tagged so, or with any tag"),
    ("date:[2024-06-01 TO 2024-06-30]\ndate:[2024-06 TO *]", "a date range; open-ended with *"),
    ("memo:dateline", "articles one of whose memos holds the word"),
    ("@arms", "the search saved as arms (ctrl+s in the box saves one)"),
)

QUERY_NOTE = """\
Words are stemmed per language (Indonesian and English): `peluk` finds `berpelukan`,
`sanction` finds `sanctions`. Articles holding the word exactly as typed rank first.
"""


def load_history(path: Path) -> list[str]:
    """Earlier queries, oldest first; an unreadable file gives an empty history."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    items = data.get("queries", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return []
    return [q for q in items if isinstance(q, str) and q.strip()][-HISTORY_MAX:]


def save_history(path: Path, queries: list[str]) -> None:
    """Write atomically (temp file then replace): a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"version": 1, "queries": queries[-HISTORY_MAX:]}, ensure_ascii=False,
                      indent=1)
    fd, tmp = tempfile.mkstemp(prefix=".search_history-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SearchBar(Input):
    """The search box. ``history_path`` None keeps the history in memory only."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "Results", key_display="↓",
                tooltip="Move to the results", id="search_to_results"),
        Binding("down", "history(1)", "Later", key_display="↓",
                tooltip="Recall the next query (after ↑)", id="search_history_forward"),
        Binding("up", "history(-1)", "Earlier", key_display="↑",
                tooltip="Recall the previous query", id="search_history_back"),
        Binding("escape", "clear_search", "Clear", tooltip="Clear the search, back to the "
                "full list", id="clear_search"),
    ]

    class QueryChanged(Message):
        """The text in the box changed (the screen debounces and searches)."""

        def __init__(self, bar: SearchBar, query: str) -> None:
            super().__init__()
            self.bar, self.query = bar, query

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SearchBar.QueryChanged)

    class Accepted(Message):
        """Enter in the box: open the first (or chosen) result."""

        def __init__(self, bar: SearchBar, query: str) -> None:
            super().__init__()
            self.bar, self.query = bar, query

    class ToResults(Message):
        """↓ in the box (not going through the history): on to the results."""

        def __init__(self, bar: SearchBar) -> None:
            super().__init__()
            self.bar = bar

    class Cleared(Message):
        """Esc in the box: the search is over."""

        def __init__(self, bar: SearchBar) -> None:
            super().__init__()
            self.bar = bar

    def __init__(self, history_path: Path | None = None, **kwargs: Any) -> None:
        super().__init__(placeholder="/ search (? for the syntax)", select_on_focus=False,
                         **kwargs)
        self.history_path = history_path
        self.history: list[str] = load_history(history_path) if history_path else []
        self._history_pos: int | None = None
        self._draft = ""
        self._recalling = False

    def remember(self, query: str) -> None:
        """Add ``query`` to the history (most recent last, no duplicates) and save it."""
        query = query.strip()
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-HISTORY_MAX]
        self._history_pos = None
        if self.history_path is not None:
            try:
                save_history(self.history_path, self.history)
            except OSError as exc:
                self.notify(f"Search history not saved: {exc.strerror or exc}",
                            severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        browsing = self._history_pos is not None
        if action == "to_results":
            return not browsing
        if action == "history":
            return browsing if parameters == (1,) else bool(self.history)
        return super().check_action(action, parameters)

    def action_to_results(self) -> None:
        self.post_message(self.ToResults(self))

    def action_history(self, step: int) -> None:
        self._history_step(step)
        self.refresh_bindings()

    def _history_step(self, step: int) -> None:
        if not self.history:
            return
        if self._history_pos is None:
            if step > 0:
                return
            self._draft = self.value
            pos = len(self.history) - 1
        else:
            pos = self._history_pos + step
        if pos >= len(self.history):
            self._history_pos = None
            self._set(self._draft)
            return
        self._history_pos = max(0, pos)
        self._set(self.history[self._history_pos])

    def _set(self, value: str) -> None:
        self._recalling = True
        try:
            self.value = value
        finally:
            self._recalling = False
        self.cursor_position = len(value)

    def action_clear_search(self) -> None:
        self._history_pos = None
        self.refresh_bindings()
        self.value = ""
        self.post_message(self.Cleared(self))

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if not self._recalling and self._history_pos is not None:
            self._history_pos = None  # typed over a recalled query: ↓ goes to the results
            self.refresh_bindings()
        self.post_message(self.QueryChanged(self, value))

    async def action_submit(self) -> None:
        self.remember(self.value)
        self.post_message(self.Accepted(self, self.value))
