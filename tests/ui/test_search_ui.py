"""Search on the main screen with Pilot: typing shows ranked results with highlighted
snippets, malformed queries give a message, Enter opens at the hits, n moves, Esc restores the
list, history, tagging from a result and tagging every hit (one undo step). Real index."""

from __future__ import annotations

import json
from typing import cast

from rich.text import Text
from textual.pilot import Pilot

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.tag_picker import TagPicker
from reader.ui.widgets.search_bar import HISTORY_FILE, SearchBar
from reader.ui.widgets.search_results import HIT_STYLE, SearchResults
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import settle

SIZE = (100, 30)




def main(app: ReaderApp) -> LibraryScreen:
    screen = app.main_screen
    assert screen is not None
    return screen


async def search(pilot: Pilot[None], query: str) -> SearchResults:
    await settle(pilot)
    await pilot.press("slash")
    screen = main(pilot.app)  # type: ignore[arg-type]
    assert screen.search_bar.has_focus
    screen.search_bar.value = ""
    await pilot.press(*query)
    await pilot.pause(0.3)
    await settle(pilot)
    return screen.search_results


def ids(results: SearchResults) -> list[str]:
    return [r.id for r in results.results]


async def test_typing_shows_results_with_highlighted_snippets(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, "sanksi")
        assert results.display and not main(app).article_list.display
        assert ids(results)[0] == SEED_KOMPAS
        prompt = results.get_option_at_index(0).prompt
        assert isinstance(prompt, Text)
        hits = [prompt.plain[s.start:s.end] for s in prompt.spans if s.style == HIT_STYLE]
        assert hits and all(h.casefold().startswith("sanksi") for h in hits)
        assert "KOMPAS" in prompt.plain and "hit" in prompt.plain


async def test_phrase_finds_liputan6(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, '"kerja sama"')
        assert ids(results)[0] == SEED_LIPUTAN


async def test_malformed_query_gives_a_message(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, 'nosuchfield:x "open')
        status = main(app).query_one("#search-status")
        assert status.display and status.has_class("error")
        assert str(status.render()).strip()


async def test_enter_opens_with_hits_and_n_moves(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "sanksi")
        await pilot.press("enter")
        await settle(pilot)
        view = main(app).view
        assert view.article is not None and view.article.id == SEED_KOMPAS
        assert view.has_focus
        text = view.article.text
        spans = app.index.hit_spans("sanksi", view.article)
        assert len(spans) >= 2
        assert view.cursor == spans[0][0]
        assert text[spans[0][0]:spans[0][1]].casefold().startswith("sanksi")
        await pilot.press("n")
        assert view.cursor == spans[1][0]
        await pilot.press("N")
        assert view.cursor == spans[0][0]
        # Esc from the view goes back to the results, Esc again restores the full list
        await pilot.press("escape")
        assert main(app).search_results.has_focus
        await pilot.press("escape")
        await pilot.pause()
        screen = main(app)
        assert screen.article_list.display and not screen.search_results.display
        assert screen.search_bar.value == ""
        assert screen.article_list.has_focus


async def test_history_up_down(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "sanksi")
        await pilot.press("enter")
        await settle(pilot)
        await search(pilot, "putin")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("slash")
        bar = main(app).search_bar
        bar.value = "draft"
        await pilot.press("up")
        assert bar.value == "putin"
        await pilot.press("up")
        assert bar.value == "sanksi"
        await pilot.press("down", "down")
        assert bar.value == "draft"
    saved = json.loads((config.state_dir / HISTORY_FILE).read_text(encoding="utf-8"))
    assert saved["queries"] == ["sanksi", "putin"]
    assert isinstance(SearchBar(config.state_dir / HISTORY_FILE).history, list)


async def test_esc_in_the_box_clears(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, "sanksi")
        assert results.display
        await pilot.press("escape")
        await pilot.pause()
        assert not results.display and main(app).article_list.display


def _setup_vocabulary(config: Config) -> None:
    vocabulary = Vocabulary(config.vocabulary_path)
    if vocabulary.get("sanctions") is None:
        vocabulary.add("sanctions")


async def test_tag_from_a_result_without_opening(config: Config) -> None:
    _setup_vocabulary(config)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, "sanksi")
        results.focus()
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TagPicker)
        picker.dismiss(["sanctions"])
        await settle(pilot)
        assert main(app).view.article is None  # not opened
    article = Library(config).load(SEED_KOMPAS)
    anns = AnnotationStore(config.annotations_dir).load(article).annotations
    assert len(anns) == 1 and anns[0].tags == ["sanctions"]
    assert "sanksi" in anns[0].quote.casefold()


async def test_tag_every_hit_and_undo_in_one_step(config: Config) -> None:
    _setup_vocabulary(config)
    app = ReaderApp(config)
    store = AnnotationStore(config.annotations_dir)
    article = Library(config).load(SEED_KOMPAS)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, "sanksi")
        results.focus()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        app.screen.dismiss(["sanctions"])
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "sentence" in dialog.question and "sanctions" in dialog.question
        await pilot.press("y")
        await settle(pilot)
        tagged = store.load(article).annotations
        assert len(tagged) >= 2
        main(app).search_results.focus()
        await pilot.press("u")
        await settle(pilot)
        assert store.load(article).annotations == []


async def test_more_results_when_the_cursor_reaches_the_end(config: Config) -> None:
    for n in range(25):
        (config.articles_dir / f"zebra_{n:02d}.txt").write_text(
            f"Zebra number {n}.\n\nThe zebra crossed the road {n} times.\n", encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        results = await search(pilot, "zebra")
        assert len(results.results) == 20
        results.focus()
        await pilot.press("end")
        await pilot.pause(0.2)
        await settle(pilot)
        assert len(results.results) == 25
        assert results.highlighted == 19  # the cursor stays where it was
        assert len({r.id for r in results.results}) == 25


async def test_palette_tag_every_hit_and_review(config: Config) -> None:
    from textual.command import CommandPalette

    from reader.ui.screens.review import ReviewScreen

    _setup_vocabulary(config)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "sanksi")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"tag every hit")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        cast(TagPicker, app.screen).dismiss(["sanctions"])  # narrowed to the palette above
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"review tagged")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert len(review.shown) >= 2 and all(r.tags == ("sanctions",) for r in review.shown)
