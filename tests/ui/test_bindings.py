"""The keys are documented from the bindings themselves: every Binding of the UI has a
description, a tooltip and an id (so help and user keymaps work), the help screen is made
from them, and the README's key table names only keys that are bound where it says."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

import reader.ui
from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.analysis import AnalysisScreen
from reader.ui.screens.help import HelpScreen, key_label
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.memos import MemosScreen
from reader.ui.screens.review import ReviewScreen
from reader.ui.screens.saved_searches import SavedSearchesScreen
from reader.ui.screens.vocabulary import VocabularyScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.search_pane import SearchPane
from reader.ui.widgets.search_results import SearchResults
from tests.conftest import REPO
from tests.ui.conftest import screen_text, settle

AREAS: dict[str, list[type[DOMNode]]] = {
    "list": [ArticleList], "reading": [ArticleView], "results": [SearchResults],
    "search box": [SearchBar, SearchPane], "main screen": [LibraryScreen],
    "anywhere": [ReaderApp], "review": [ReviewScreen], "manage tags": [VocabularyScreen],
    "memos": [MemosScreen], "saved searches": [SavedSearchesScreen],
    "analysis": [AnalysisScreen],
}
SYMBOLS = {"↑": "up", "↓": "down", "pgup": "pageup", "pgdn": "pagedown", "esc": "escape",
           "F1": "f1", "?": "question_mark", "/": "slash", "]": "right_square_bracket",
           "[": "left_square_bracket", "(": "left_parenthesis", ")": "right_parenthesis",
           "{": "left_curly_bracket", "}": "right_curly_bracket", ".": "full_stop"}


def ui_classes() -> list[type[DOMNode]]:
    found: dict[str, type[DOMNode]] = {}
    for info in pkgutil.walk_packages(reader.ui.__path__, "reader.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and issubclass(cls, DOMNode) and "BINDINGS" in \
                    cls.__dict__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def bindings(cls: type[DOMNode]) -> list[Binding]:
    out: list[Binding] = []
    for klass in reversed(cls.__mro__):
        own: list[BindingType] = klass.__dict__.get("BINDINGS", [])
        out += [b for b in own if isinstance(b, Binding)]
    return out


def keys_of(cls: type[DOMNode]) -> set[str]:
    keys = {k for b in bindings(cls) for k in b.key.split(",")}
    if cls is ReaderApp:
        keys.add(ReaderApp.COMMAND_PALETTE_BINDING)
    return keys


def test_every_binding_has_a_description_a_tooltip_and_an_id() -> None:
    classes = ui_classes()
    assert len(classes) >= 10
    for cls in classes:
        for binding in cls.__dict__["BINDINGS"]:
            assert isinstance(binding, Binding), (cls, binding)
            assert binding.description and binding.tooltip and binding.id, (cls, binding)
    ids = [b.id for cls in classes for b in cls.__dict__["BINDINGS"]]
    assert len(ids) == len(set(ids)), "binding ids are unique (keymaps name them)"


def readme_rows() -> list[tuple[list[str], str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Keys", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1] in AREAS:
            rows.append((re.findall(r"`([^`]+)`", cells[0]), cells[1]))
    return rows


def test_the_readme_key_table_matches_the_bindings() -> None:
    rows = readme_rows()
    assert len(rows) >= 10
    documented: dict[str, set[str]] = {}
    for keys, area in rows:
        bound = set().union(*(keys_of(cls) for cls in AREAS[area]))
        for key in keys:
            name = SYMBOLS.get(key, key)
            assert name in bound, f"README: `{key}` is not bound in the {area}"
            documented.setdefault(area, set()).add(name)
    for area in ("list", "reading", "results", "main screen", "anywhere"):
        for cls in AREAS[area]:
            for binding in bindings(cls):
                if binding.show:
                    first = binding.key.split(",")[0]
                    assert first in documented.get(area, set()), (
                        f"README: the {area} key `{key_label(first)}` "
                        f"({binding.description}) is missing from the key table")


async def test_help_lists_the_bound_keys(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=(120, 200)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in bindings(ArticleView):
            if binding.action.startswith("explain("):  # t/e/d/n's fallback: said with them
                assert binding.tooltip not in text
                continue
            assert binding.tooltip is not None and binding.tooltip[:30] in text, binding
        assert "ctrl+q" in text and "ctrl+r" in text
        assert "once search is available" not in text
