"""Snapshots (pytest-textual-snapshot) of the main screen with tagged passages, the tag
picker, the review and the help, at 80x24 and 120x35. Deterministic: the bundled articles
copied to a temp library, fixed annotations, the dark theme, no blinking cursor, every
worker done before the picture. ``pytest --snapshot-update`` redraws them after a wanted
change of the layout."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.ui.app import ReaderApp
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 35), id="120x35")]
Before = Callable[[Pilot[None]], Awaitable[None]]


def tagged_app(config: Config) -> ReaderApp:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    liputan = library.load(SEED_LIPUTAN)
    kompas = library.load(SEED_KOMPAS)
    for article, words, tags, note in (
            (liputan, "Presiden Rusia Vladimir Putin tiba di Pyongyang", ["treaties"], ""),
            (liputan, "kerja sama bilateral", ["military cooperation", "treaties"], "MoU"),
            (kompas, "sanksi yang dipimpin Amerika Serikat", ["sanctions"], "US-led")):
        at = article.text.find(words)
        if at >= 0:
            store.add(article, at, at + len(words), tags, note)
    app = ReaderApp(config)
    app.theme = "textual-dark"
    return app


async def steady(pilot: Pilot[None]) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, ReaderApp)
    app.services.keeper.wait_idle()
    await settle(pilot)
    for box in app.screen.query(Input):
        box.cursor_blink = False
    app.clear_notifications()
    await pilot.pause()


def opened(then: tuple[str, ...] = ()) -> Before:
    async def run(pilot: Pilot[None]) -> None:
        await steady(pilot)
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = app.main_screen
        assert screen is not None
        screen.open_article(SEED_LIPUTAN)
        await steady(pilot)
        if then:
            await pilot.press(*then)
        await steady(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_with_tagged_passages(config: Config, snap_compare: Any,
                                          size: tuple[int, int]) -> None:
    assert snap_compare(tagged_app(config), terminal_size=size, run_before=opened())


@pytest.mark.parametrize("size", SIZES)
def test_tag_picker(config: Config, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(tagged_app(config), terminal_size=size,
                        run_before=opened(("j", "j", "j", "s", "t")))


@pytest.mark.parametrize("size", SIZES)
def test_review(config: Config, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("ctrl+r")
        await steady(pilot)

    assert snap_compare(tagged_app(config), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_help(config: Config, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("question_mark")
        await steady(pilot)

    assert snap_compare(tagged_app(config), terminal_size=size, run_before=run)


def test_snapshots_are_kept_in_the_repository() -> None:
    folder = Path(__file__).parent / "__snapshots__" / "test_snapshots"
    assert folder.is_dir() and len(list(folder.glob("*.svg"))) == 8
