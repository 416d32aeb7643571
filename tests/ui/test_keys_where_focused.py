"""Keys act only on what has the focus: every printable key (and the usual special keys)
pressed in the article list, the search box and the search results leaves every annotation
file as it was and the app running, while the reading view shows an article with a highlight
under its cursor and an undoable change (what a stray t, d, u, e, n would act on)."""

from __future__ import annotations

import string

import pytest
from textual import events
from textual.pilot import Pilot

from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from tests.conftest import SEED_KOMPAS
from tests.ui.conftest import folder_digest, screen_text, settle

SIZE = (100, 30)
SPECIAL = ["escape", "enter", "tab", "shift+tab", "backspace", "delete", "up", "down", "left",
           "right", "home", "end", "pageup", "pagedown", "space"]
KEYS = list(string.ascii_letters + string.digits + string.punctuation) + SPECIAL


async def prepared(pilot: Pilot[None], app: ReaderApp) -> LibraryScreen:
    """The Kompas seed open, the cursor on a highlight made by this app (so u could undo)."""
    await settle(pilot)
    screen = app.main_screen
    assert screen is not None
    article = app.library.load(SEED_KOMPAS)
    at = article.text.index("sanksi")
    app.store.add(article, at, at + 30, ["sanctions"], "a note")
    screen.open_article(SEED_KOMPAS)
    await settle(pilot)
    view = screen.view
    assert view.article is not None and view.highlight_at(at + 1) is not None
    view.cursor = at + 1
    assert app.store.can_undo()
    return screen


async def back_to_main(pilot: Pilot[None], app: ReaderApp) -> None:
    for _ in range(4):  # a dialog a key opened (the tag picker from a result, help, ...)
        if app.screen is app.main_screen:
            return
        await pilot.press("escape")
        await pilot.pause()
    assert app.screen is app.main_screen, app.screen


async def storm(pilot: Pilot[None], app: ReaderApp, focus: object, what: str) -> None:
    """Press every key with ``focus()`` giving the focus back before each."""
    before = folder_digest(app.config.annotations_dir)
    for key in KEYS:
        await focus()  # type: ignore[operator]
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running, f"{key!r} in the {what} quit the app"
        await back_to_main(pilot, app)
        assert folder_digest(app.config.annotations_dir) == before, (
            f"{key!r} in the {what} changed an annotation file")
    await settle(pilot)
    assert folder_digest(app.config.annotations_dir) == before
    print(f"{len(KEYS)} keys pressed in the {what}: no annotation changed")


async def test_no_key_in_the_list_changes_an_annotation(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await prepared(pilot, app)

        async def focus() -> None:
            # only what the last key changed is put back (a letter moved the focus to the
            # search box with it, z hid the list): a reset that changes nothing still costs
            # a redraw of the whole screen
            if screen.search_bar.value or screen.search_results.display:
                screen.search.clear()
            if not screen.query_one("#left-pane").display:
                screen.query_one("#left-pane").display = True
            if not screen.article_list.has_focus:
                screen.article_list.focus()
            await pilot.pause()

        await focus()
        footer = screen_text(app).splitlines()[-1]
        assert "Tag" not in footer and "Undo" not in footer and "Delete" not in footer
        await storm(pilot, app, focus, "article list")


async def test_no_key_in_the_search_box_changes_an_annotation(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await prepared(pilot, app)

        async def focus() -> None:
            if screen.search_bar.has_focus:
                screen.search_bar.value = ""  # emptied as a user does, the focus stays
            else:
                screen.search.clear()
                screen.search.focus_box()
            await pilot.pause()

        await storm(pilot, app, focus, "search box")


async def test_no_key_in_the_results_changes_an_annotation(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await prepared(pilot, app)

        async def focus() -> None:
            if screen.search.bar.value != "putin" or not screen.search_results.results:
                screen.search.focus_box()
                screen.search.bar.value = "putin"
                await pilot.pause(0.3)
                await settle(pilot)
            screen.search_results.focus()
            await pilot.pause()
            assert screen.search_results.results

        await focus()
        footer = screen_text(app).splitlines()[-1]
        assert "Undo" not in footer  # nothing was tagged from the results
        await storm(pilot, app, focus, "search results")


@pytest.mark.parametrize("word", ["qatar", "rusia", "undo", "delete", "tag"])
async def test_typing_a_word_in_the_list_searches_for_it(config: Config, word: str) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await prepared(pilot, app)
        before = folder_digest(config.annotations_dir)
        screen.article_list.focus()
        await pilot.pause()
        await pilot.press(*word)
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert screen.search_bar.has_focus and screen.search_bar.value == word
        assert folder_digest(config.annotations_dir) == before


async def test_a_word_typed_fast_in_the_list_reaches_the_search_box_whole(config: Config) -> None:
    """Keys that arrive together (a fast typist, a paste) all reach the list before the search
    box has the focus: none is lost, and a list key among them (``o`` sorts) is a letter."""
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await prepared(pilot, app)
        screen.article_list.focus()
        await pilot.pause()
        sort_before = screen.article_list.sort_key
        for char in "prabowo jo":
            app.post_message(events.Key("space" if char == " " else char, char))
        await pilot.pause(0.3)
        assert screen.search_bar.has_focus and screen.search_bar.value == "prabowo jo"
        assert screen.article_list.sort_key == sort_before
