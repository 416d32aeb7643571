"""Every screen at 80x24 (and the same at 120x35) with Pilot: what a user needs is on the
screen, not cut: the list tells articles apart, the review shows the passage and its note,
the footer fits with the keys that apply, the tag dialog keeps its hint and buttons, the
help keeps its query examples whole; the export dialog and the tag numbers work by keys."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.widgets import Input

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.cli.main import main as cli_main
from reader.config import Config
from reader.library.articles import Library
from reader.library.text import sentences
from reader.ui.app import ReaderApp
from reader.ui.screens.export_dialog import ExportDialog, FormatChoice
from reader.ui.screens.review import ReviewScreen
from reader.ui.screens.suggestions import SuggestionsScreen
from reader.ui.screens.tag_picker import TagPicker
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.key_footer import KeyFooter
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import screen_text, settle, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 35), id="120x35")]


def tag_seeds(config: Config) -> None:
    library, store = Library(config), AnnotationStore(config.annotations_dir)
    liputan, kompas = library.load(SEED_LIPUTAN), library.load(SEED_KOMPAS)
    at = liputan.text.index("kerja sama bilateral")
    store.add(liputan, at, at + len("kerja sama bilateral"),
              ["military cooperation", "treaties"], "MoU signed at the summit in Pyongyang")
    s, e = sentences(kompas.text)[0]
    store.add(kompas, s, e, ["sanctions"], "US-led")


def footer_fits(app: ReaderApp) -> str:
    """The footer's last line: it holds ``? Help`` (or Close) and nothing runs off it."""
    footer = app.screen.query_one(KeyFooter)
    keys = list(footer.children)
    assert sum(k.outer_size.width for k in keys) <= app.size.width, [
        (k.key_display, k.outer_size.width) for k in keys]  # type: ignore[attr-defined]
    return screen_text(app).splitlines()[-1]


@pytest.mark.parametrize("size", SIZES)
async def test_the_main_screen_tells_articles_apart(config: Config,
                                                    size: tuple[int, int]) -> None:
    tag_seeds(config)
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        # both titles start "Presiden Rusia Vladimir Put…": each gets a line of its own,
        # source and date under it
        assert "Presiden Rusia Vladimir Putin d" in shown
        assert "Presiden Rusia Vladimir Putin t" in shown
        assert "Liputan6.com · 2024-06-19" in shown and "KOMPAS.TV · 2024-06-19" in shown
        assert "? Help" in footer_fits(app)
        screen = app.main_screen
        assert screen is not None
        screen.open_article(SEED_LIPUTAN)
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        last = footer_fits(app)
        assert "s Sentence" in last and "? Help" in last and "t Tag" not in last
        await pilot.press("s")
        last = footer_fits(app)
        assert "t Tag" in last and "n Note" in last and "? Help" in last


@pytest.mark.parametrize("size", SIZES)
async def test_the_tag_dialog_keeps_its_hint_and_buttons(config: Config,
                                                         size: tuple[int, int]) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        screen.open_article(SEED_LIPUTAN)
        await settle(pilot)
        await pilot.press("p", "t")  # a whole paragraph: the longest quote
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        shown = screen_text(app)
        for needed in ("Tag passage", "1 ██ sanctions", "3 ██ treaties", "No tag selected",
                       "1-9 toggle", "Esc cancel", "Apply", "Cancel"):
            assert needed in shown, needed
        footer_fits(app)


@pytest.mark.parametrize("size", SIZES)
async def test_the_review_shows_passage_and_note(config: Config, size: tuple[int, int]
                                                 ) -> None:
    tag_seeds(config)
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        widths = {c.key.value: c.width for c in review.table.columns.values()}
        assert sum(widths.values()) + 2 * len(widths) + 2 <= size[0]
        assert widths["quote"] >= 40
        shown = screen_text(app)
        assert "kerja sama bilateral" in shown and "MoU signed" in shown
        assert "US-led" in shown
        assert "1:sanctions" in shown and "2:military cooperation" in shown
        # cut with an ellipsis, never mid-word without one
        assert "military coope " not in shown and "Liputan6.c " not in shown
        assert "? Help" in footer_fits(app)


@pytest.mark.parametrize("size", SIZES)
async def test_suggestions_header_is_one_line(config: Config, size: tuple[int, int]) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.action_suggestions()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SuggestionsScreen) and screen.suggestions
        status = screen.query_one("#suggestions-status")
        assert status.outer_size.height == 1
        assert screen_text(app).splitlines()[0].strip().startswith(
            f"{len(screen.suggestions)} to review · accepted 0")
        footer_fits(app)


@pytest.mark.parametrize("size", SIZES)
async def test_help_keeps_query_examples_whole(config: Config, size: tuple[int, int]
                                               ) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        seen = ""
        for _ in range(60):
            seen += screen_text(app)
            await pilot.press("pagedown")
        for example in ("sanksi NOT rusia", "sanksi -rusia", '"kerja sama militer"',
                        "date:[2024-06-01 TO 2024-06-30]", "date:[2024-06 TO *]"):
            assert example in seen, example


async def test_tag_every_hit_says_what_without_nested_quotes(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        await pilot.press("slash", *"putin")
        await wait_until(pilot, lambda: bool(screen.search_results.results), 30)
        await pilot.press("down", "T")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        shown = screen_text(app)
        assert "Tag every hit of putin" in shown
        assert "“Every hit" not in shown and "””" not in shown


async def test_export_dialog_chooses_by_keys_and_exports_that_format(config: Config) -> None:
    tag_seeds(config)
    app = ReaderApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert isinstance(app.focused, FormatChoice)  # the format first, not the path
        path = dialog.query_one("#export-path", Input)
        assert "(●) Markdown" in screen_text(app) and "( ) CSV" in screen_text(app)
        await pilot.press("down")
        shown = screen_text(app)
        assert "( ) Markdown" in shown and "(●) CSV (spreadsheets)" in shown  # a mark
        assert dialog.fmt == "csv" and path.value.endswith(".csv")
        await pilot.press("space")  # in the format list a space changes nothing
        assert path.value.endswith(".csv") and dialog.fmt == "csv"
        await pilot.press("tab")
        focused: object = app.focused
        assert focused is path
        await pilot.press("space")  # in the file name: typed where the cursor is, at its end
        assert path.value.endswith(".csv ")
        await pilot.press("backspace", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    written = Path(path.value)
    assert written.suffix == ".csv" and written.is_file()
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert {r["tag"] for r in rows} == {"sanctions", "military cooperation", "treaties"}


async def test_one_numbering_of_tags_everywhere(config: Config,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The picker's, the review's and ``reader tags``'s numbers are the same, from the
    vocabulary's keys; a tag made in the picker keeps the number it was shown with."""
    vocabulary = Vocabulary(config.vocabulary_path)
    vocabulary.set_key("treaties", "1")
    vocabulary.set_key("sanctions", "3")
    tag_seeds(config)
    app = ReaderApp(config)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        screen.open_article(SEED_LIPUTAN)
        await settle(pilot)
        await pilot.press("s", "t")
        await pilot.pause()
        shown = screen_text(app)
        assert "1 ██ treaties" in shown and "3 ██ sanctions" in shown
        assert "2 ██ military cooperation" in shown
        await pilot.press(*"pengakuan", "enter")  # a new tag: number 4
        assert "4 ██ pengakuan" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        bar = str(review.query_one("#review-tagbar").render())
        assert "1:treaties" in bar and "3:sanctions" in bar and "4:pengakuan" in bar
        await pilot.press("3")
        assert {t for r in review.shown for t in r.tags} == {"sanctions"}
    assert Vocabulary(config.vocabulary_path).get("pengakuan").key == "4"  # type: ignore
    assert cli_main(["--library", str(config.library), "tags"]) == 0
    out = capsys.readouterr().out
    assert "[4] pengakuan" in out and "[1] treaties" in out and "[3] sanctions" in out
