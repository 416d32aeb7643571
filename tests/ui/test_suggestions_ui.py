"""The suggestions screen with Pilot: seed suggestions listed with their cue, accept creates
the annotation, reject is remembered (not proposed again), skip moves on, Enter opens the
article at the sentence and Esc comes back."""

from __future__ import annotations

from textual.message import Message
from textual.pilot import Pilot

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.review import suggest
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.suggestions import SuggestionsProgress, SuggestionsScreen, cue_spans
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import settle
from tests.ui.test_search_ui import search

SIZE = (100, 30)




async def open_suggestions(pilot: Pilot[None]) -> SuggestionsScreen:
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SuggestionsScreen)
    return screen


async def test_suggestions_read_only_the_articles_the_index_names(config: Config) -> None:
    """With the index up to date, S reads the articles whose indexed words hold a cue, not
    the others (here three without any), and finds what reading all of them finds."""
    for n in range(3):
        (config.articles_dir / f"cuaca-{n}.txt").write_text(
            f"Cuaca hari ke-{n}\n\nHari ini cerah di Jakarta. Hujan turun pada sore hari.\n",
            encoding="utf-8")
    totals: list[int] = []

    def hook(message: Message) -> None:
        if isinstance(message, SuggestionsProgress):
            totals.append(message.total)

    app = ReaderApp(config)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await open_suggestions(pilot)
        assert totals and set(totals) == {2}  # the two seed articles, of five
        assert screen.suggestions == suggest.suggest(config)


def test_cue_spans_find_derived_words() -> None:
    sentence = "Sanksi baru dan embargo senjata; sanctions were imposed."
    found = [sentence[a:b] for a, b in cue_spans(sentence, ["sanksi", "sanctions"])]
    assert found == ["Sanksi", "sanctions"]


async def test_accept_reject_skip(config: Config) -> None:
    app = ReaderApp(config)
    store = AnnotationStore(config.annotations_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_suggestions(pilot)
        total = len(screen.suggestions)
        assert total >= 3
        tags = {s.tag for s in screen.suggestions}
        assert "sanctions" in tags
        first = screen.suggestions[0]
        prompt = screen.option_list.get_option_at_index(0).prompt
        assert first.tag in str(prompt)
        await pilot.press("a")
        await settle(pilot)
        assert len(screen.suggestions) == total - 1
        article = Library(config).load(first.article_id)
        anns = store.load(article).annotations
        assert any(a.start == first.start and first.tag in a.tags for a in anns)
        second = screen.suggestions[0]
        await pilot.press("x")
        assert second not in screen.suggestions
        assert second.key in suggest.load_rejected(config)
        third = screen.suggestions[0]
        await pilot.press("space")
        assert screen.suggestions[0] == third and screen.option_list.highlighted == 1
        assert "accepted 1" in str(screen.query_one("#suggestions-status").render())
        # Enter opens the article at the sentence; Esc comes back to the same list
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        chosen = screen.suggestions[1]
        assert app.screen.view.article is not None
        assert app.screen.view.article.id == chosen.article_id
        assert app.screen.view.cursor == chosen.start
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
    # rejected and accepted ones are not proposed again
    again = suggest.suggest(config)
    assert second.key not in {s.key for s in again}
    assert first.key not in {s.key for s in again}


async def test_suggestions_from_the_results_keep_to_the_search(config: Config) -> None:
    """``S`` on the results: suggestions only in the articles the search finds."""
    everywhere = {s.article_id for s in suggest.suggest(config)}
    assert everywhere == {SEED_KOMPAS, SEED_LIPUTAN}  # else the test proves nothing
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = await search(pilot, "source:kompas")
        assert [r.id for r in results.results] == [SEED_KOMPAS]
        results.focus()
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SuggestionsScreen)
        assert screen.suggestions
        assert {s.article_id for s in screen.suggestions} == {SEED_KOMPAS}
        assert "source:kompas" in str(screen.query_one("#suggestions-status").render())
