"""Saved searches in the reader with Pilot: ctrl+s in the search box saves the query under a
name (asking before replacing another), @name searches it, the palette and the saved
searches screen run it, d deletes (asks) and u brings it back; no other key of the screen
writes a file. Real searches.yml, real index."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from reader.config import Config
from reader.search.saved import SavedSearches
from reader.ui.app import ReaderApp
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.input_dialog import InputDialog
from reader.ui.screens.saved_searches import SavedSearchesScreen
from tests.conftest import SEED_KOMPAS
from tests.ui.conftest import screen_text, settle, wait_until
from tests.ui.test_memos_ui import press_every_key, top
from tests.ui.test_search_ui import ids, main, search

SIZE = (100, 30)


async def name_it(pilot: Pilot[None], name: str) -> None:
    assert isinstance(pilot.app.screen, InputDialog)
    await pilot.press(*name, "enter")
    await pilot.pause()


async def test_ctrl_s_saves_the_query_and_at_name_searches_it(config: Config) -> None:
    saved = SavedSearches(config.annotations_dir)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, "sanksi")
        found = ids(results)
        assert found and found[0] == SEED_KOMPAS
        assert "Save search" in screen_text(app)  # the footer says the key
        await pilot.press("ctrl+s")
        await pilot.pause()
        await name_it(pilot, "sanctions")
        assert [(s.name, s.query) for s in saved.load()] == [("sanctions", "sanksi")]
        assert "@sanctions" in str(list(app._notifications)[-1].message)
        # the same name for another query: asks first
        results = await search(pilot, "rusia")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await name_it(pilot, "sanctions")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert saved.get("sanctions").query == "sanksi"  # type: ignore[union-attr]
        # @name in the box searches the saved query; Enter opens at its hits
        results = await search(pilot, "@sanctions")
        assert ids(results) == found
        await pilot.press("enter")
        await settle(pilot)
        view = main(app).view
        assert view.article is not None and view.article.id == SEED_KOMPAS
        assert view.marks.hits  # the saved query's words are marked, not "sanctions"
        # an unknown name: said in one line, nothing searched
        await search(pilot, "@nosuch")
        assert "no saved search @nosuch" in screen_text(app)


async def test_an_empty_box_or_a_bad_name_saves_nothing(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, InputDialog)
        await search(pilot, "sanksi")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await name_it(pilot, "two words")
        assert not (config.annotations_dir / "searches.yml").exists()
        assert "cannot name a saved search" in str(list(app._notifications)[-1].message)


async def test_run_from_the_palette_and_delete_with_undo(config: Config) -> None:
    saved = SavedSearches(config.annotations_dir)
    saved.save("arms", "rusia AND senjata")
    saved.save("sanctions", "sanksi")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"search @sanctions")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause(0.4)
        await settle(pilot)
        screen = main(app)
        assert top(app) is screen and screen.search_bar.value == "@sanctions"
        assert ids(screen.search_results)[0] == SEED_KOMPAS
        # the list, from the palette
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"saved searches")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, SavedSearchesScreen)
        assert [s.name for s in listing.shown] == ["arms", "sanctions"]
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "@sanctions" in app.screen.question and "sanksi" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert [s.name for s in saved.load()] == ["arms"]
        await pilot.press("u")
        await pilot.pause()
        assert [(s.name, s.query) for s in saved.load()] == [("arms", "rusia AND senjata"),
                                                             ("sanctions", "sanksi")]
        await pilot.press("up", "enter")  # runs it
        await pilot.pause(0.4)
        await settle(pilot)
        assert top(app) is screen and screen.search_bar.value == "@arms"


async def test_no_other_key_of_the_saved_searches_screen_writes_a_file(config: Config
                                                                        ) -> None:
    SavedSearches(config.annotations_dir).save("arms", "rusia AND senjata")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = SavedSearchesScreen(app.services)
        app.push_screen(screen)
        await pilot.pause()
        assert await press_every_key(pilot, screen, config.annotations_dir) > 90
        assert not screen.query(Input)


async def test_a_memo_query_follows_the_memos(config: Config) -> None:
    from reader.annotations.memos import MemoStore

    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, "memo:pyongyang")
        assert ids(results) == []
        MemoStore(config.annotations_dir).add("article", SEED_KOMPAS, "Pyongyang angle")
        await wait_until(pilot, lambda: ids(results) == [SEED_KOMPAS], 10)
