"""The main screen with Pilot: list, sorting, opening, scrolling, help, palette, themes, empty
library, a bad file, reading positions. Real libraries in tmp_path, no mocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from reader.config import Config
from reader.library.articles import Library
from reader.ui.app import DARK_THEME, LIGHT_THEME, ReaderApp
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.library import LibraryScreen
from reader.ui.state import UIState
from reader.ui.widgets.article_list import ArticleList
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import screen_text, settle

SMALL = (80, 24)
LARGE = (160, 48)
SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="160x48")]


def main_screen(app: ReaderApp) -> LibraryScreen:
    screen = app.main_screen
    assert screen is not None
    return screen


def article_list(app: ReaderApp) -> ArticleList:
    return main_screen(app).article_list


async def open_first(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_list_shows_both_seed_titles(config: Config, size: tuple[int, int]) -> None:
    titles = {m.id: m.title for m in Library(config).scan()}
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        rows = article_list(app).rows
        assert {m.id for m in rows} == {SEED_LIPUTAN, SEED_KOMPAS}
        assert {m.id: m.title for m in rows} == titles
        text = screen_text(app)
        for title in titles.values():
            assert title[:12] in text
        assert "2 articles" in text
        assert "Date" in text and "Title" in text  # the header row
        assert app.first_list_at is not None


async def test_sort_cycles_with_o(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        lst = article_list(app)
        assert lst.sort_key == "date"
        await pilot.press("o")
        assert lst.sort_key == "title"
        titles = [m.title.casefold() for m in lst.rows]
        assert titles == sorted(titles)
        await pilot.press("o")
        assert lst.sort_key == "source"
        sources = [m.source.casefold() for m in lst.rows if m.source]
        assert sources == sorted(sources)
        assert "source ▲" in screen_text(app).casefold()  # a column header or the title's
        await pilot.press("o")
        assert lst.sort_key == "date"
        await pilot.pause(1.2)  # the state is written shortly after a change
    assert UIState.for_dir(config.state_dir).sort == "date"


async def test_sort_is_remembered(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.press("ctrl+q")
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert article_list(app).sort_key == "title"


@pytest.mark.parametrize("size", SIZES)
async def test_enter_opens_the_article_and_shows_its_text(config: Config,
                                                          size: tuple[int, int]) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        first = article_list(app).rows[0]
        await pilot.press("enter")
        await settle(pilot)
        view = main_screen(app).view
        assert view.article is not None and view.article.id == first.id
        assert app.focused is view
        text = screen_text(app)
        assert "Vladimir" in text and "Putin" in text


async def test_click_opens_an_article(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        second = article_list(app).rows[1]
        await pilot.click("#article-list", offset=(5, 2))  # row 2 (row 0 is the header)
        await settle(pilot)
        shown = main_screen(app).view.article
        assert shown is not None and shown.id == second.id


async def test_scrolling_keys_reach_the_view(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await open_first(pilot)
        view = main_screen(app).view
        assert view.scroll_y == 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert view.scroll_y > 0
        after_lines = view.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > after_lines
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0


async def test_list_keys_move_the_cursor(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        lst = article_list(app)
        assert lst.cursor == 0
        await pilot.press("j")
        assert lst.cursor == 1
        await pilot.press("down")  # stays on the last row
        assert lst.cursor == 1
        await pilot.press("k")
        assert lst.cursor == 0
        await pilot.press("end")
        assert lst.cursor == 1
        await pilot.press("home")
        assert lst.cursor == 0


@pytest.mark.parametrize("size", SIZES)
async def test_help_opens_and_closes(config: Config, size: tuple[int, int]) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Article list" in text and "ctrl+p" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("q")  # closes the help, does not quit
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.is_running


async def test_key_panel_toggles_with_f1(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_palette_open_article(config: Config) -> None:
    kompas = next(m for m in Library(config).scan() if m.id == SEED_KOMPAS)
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"kompas")
        await pilot.pause(0.6)  # the palette searches in the background
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        view = main_screen(app).view
        assert view.article is not None and view.article.id == kompas.id
        current = article_list(app).current
        assert current is not None and current.id == kompas.id


async def test_palette_sort_command(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sort by title")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause()
        assert article_list(app).sort_key == "title"


async def test_theme_toggle_is_remembered(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.theme == DARK_THEME or app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.theme == LIGHT_THEME
        await pilot.press("ctrl+q")
    assert UIState.for_dir(config.state_dir).theme == LIGHT_THEME
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.theme == LIGHT_THEME
        await pilot.press("ctrl+t")
        assert app.theme == DARK_THEME


@pytest.mark.parametrize("size", SIZES)
async def test_empty_library_says_where_to_put_articles(tmp_path: Path,
                                                        size: tuple[int, int]) -> None:
    lib = tmp_path / "empty"
    (lib / "articles").mkdir(parents=True)
    config = Config.from_args(lib)
    app = ReaderApp(config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert article_list(app).row_count == 0
        text = screen_text(app).replace("\n", " ")
        assert "No articles yet" in text
        assert "articles" in text
        assert "0 articles" in text
        await pilot.press("enter", "o", "j")  # nothing to open; no crash
        await settle(pilot)


async def test_missing_articles_folder(tmp_path: Path) -> None:
    config = Config.from_args(tmp_path)
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "No articles yet" in text and "does not exist yet" in text


async def test_new_file_appears_without_restart(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        assert article_list(app).row_count == 2
        (config.articles_dir / "news").mkdir()
        (config.articles_dir / "news" / "fresh.md").write_text(
            "---\ntitle: A fresh English story\n---\nThe minister spoke on Monday.\n",
            encoding="utf-8")
        for _ in range(60):  # the library is polled every few seconds
            await pilot.pause(0.2)
            if article_list(app).row_count == 3:
                break
        assert "news/fresh" in {m.id for m in article_list(app).rows}


async def test_bad_file_is_listed_with_a_warning_and_opens(config: Config) -> None:
    (config.articles_dir / "broken.txt").write_bytes(
        b"Judul rusak\n\nTeks \xff\xfe dengan byte \x80 yang salah.\x00\x01\x02")
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        lst = article_list(app)
        bad = next(m for m in lst.rows if m.id == "broken")
        assert bad.warnings
        assert "⚠" in screen_text(app)
        assert lst.select_id("broken")
        await pilot.press("enter")
        await settle(pilot)
        view = main_screen(app).view
        assert view.article is not None and view.article.id == "broken"
        assert "dengan byte" in screen_text(app)
        assert app.is_running


async def test_scroll_position_is_restored(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await open_first(pilot)
        view = main_screen(app).view
        assert view.article is not None
        first_id = view.article.id
        for _ in range(12):
            await pilot.press("j")
        await pilot.pause()
        position = view.scroll_y
        assert position > 0
        # open another article and come back: same place
        await pilot.press("escape", "escape")
        assert article_list(app).has_focus
        await pilot.press("j", "enter")
        await settle(pilot)
        assert view.article is not None and view.article.id != first_id
        await pilot.press("escape", "escape", "k", "enter")
        await settle(pilot)
        await pilot.pause()
        assert view.article is not None and view.article.id == first_id
        assert view.scroll_y == position
        await pilot.press("q")
    saved = json.loads((config.state_dir / "ui.json").read_text(encoding="utf-8"))
    assert saved["positions"][first_id] == position
    # across a restart
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        current = article_list(app).current
        assert current is not None and current.id == first_id  # the last article read
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause()
        assert main_screen(app).view.scroll_y == position


async def test_corrupt_state_file_gives_defaults(config: Config) -> None:
    config.state_dir.mkdir(parents=True)
    (config.state_dir / "ui.json").write_text("{not json", encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert article_list(app).row_count == 2
        await pilot.press("o", "ctrl+q")
    assert UIState.for_dir(config.state_dir).sort == "title"


async def test_ctrl_q_quits_and_q_quits_only_from_the_reading_view(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("q")  # in the list: a search for "q", not quitting
        await pilot.pause()
        assert app.is_running and main_screen(app).search_bar.value == "q"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None)
    assert not app.is_running
    app = ReaderApp(config)
    async with app.run_test(size=SMALL) as pilot:
        await open_first(pilot)
        assert main_screen(app).view.has_focus
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


def test_state_round_trip(tmp_path: Path) -> None:
    state = UIState.for_dir(tmp_path / "state")
    state.set_position("a/b", 12.0)
    state.opened("a/b")
    state.theme = LIGHT_THEME
    state.save()
    again = UIState.for_dir(tmp_path / "state")
    assert again.position("a/b") == 12.0
    assert again.recent == ["a/b"] and again.last_article == "a/b"
    assert again.theme == LIGHT_THEME
    assert not list((tmp_path / "state").glob("*.tmp"))



async def test_a_big_list_is_sorted_off_the_ui_thread_and_pages() -> None:
    from textual.app import App, ComposeResult

    from reader.models import ArticleMeta

    metas = [ArticleMeta(id=f"a/{i:06d}", path=f"a/{i:06d}.txt", title=f"Title {i % 977:04d}",
                         source=f"Source {i % 13}", date=f"2024-01-{1 + i % 28:02d}")
             for i in range(20_000)]

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticleList(id="article-list")

    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        lst = app.query_one(ArticleList)
        lst.set_articles(metas)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lst.row_count == 20_000
        dates = [m.date for m in lst.rows]
        assert dates == sorted(dates, reverse=True)
        lst.focus()
        await pilot.press("pagedown", "pagedown")
        assert lst.cursor == 2 * (lst.scrollable_content_region.height - 2)
        await pilot.press("end")
        assert lst.cursor == 19_999
        assert lst.scroll_y == lst.max_scroll_y
        last = lst.current
        assert last is not None
        await pilot.press("o")  # title
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lst.rows[0].title == "Title 0000"
        assert lst.current is not None and lst.current.id == last.id  # the cursor stays on it


async def test_annotation_counts_and_tags_in_the_list(config: Config) -> None:
    from reader.annotations.store import AnnotationStore
    from reader.ui.messages import AnnotationsChanged

    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    store.add(library.load(SEED_LIPUTAN), 0, 20, ["sanctions"])
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "Liputan6.com" in line)
        assert "1 ● sanctions" in row
        # a change made while the app runs shows after AnnotationsChanged
        store.add(library.load(SEED_KOMPAS), 0, 15, ["treaties"])
        main_screen(app).post_message(AnnotationsChanged(SEED_KOMPAS))
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert "1 ● treaties" in next(line for line in lines if "KOMPAS.TV" in line)
        assert "1 ● sanctions" in next(line for line in lines if "Liputan6.com" in line)


async def test_the_notes_column_appears_once_there_are_annotations(config: Config) -> None:
    """A library with nothing tagged gives the titles the room; the first annotation brings
    the Notes column (the count and tag marks), before the source, even in a 120-column
    terminal."""
    from reader.annotations.store import AnnotationStore
    from reader.ui.messages import AnnotationsChanged

    app = ReaderApp(config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        header = next(line for line in screen_text(app).splitlines() if "Title" in line)
        assert "Notes" not in header
        library = Library(config)
        AnnotationStore(config.annotations_dir).add(library.load(SEED_KOMPAS), 0, 15,
                                                    ["treaties"])
        main_screen(app).post_message(AnnotationsChanged(SEED_KOMPAS))
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert "Notes" in next(line for line in lines if "Title" in line)
        rows = [line for line in lines if "2024-06-19" in line]
        assert len(rows) == 2 and sum("1 ●" in row for row in rows) == 1, rows


@pytest.mark.parametrize("theme", [LIGHT_THEME, DARK_THEME])
async def test_metadata_and_boilerplate_stay_readable_in_both_themes(config: Config,
                                                                     theme: str) -> None:
    """Dimmed, not invisible: 'auto' text colours came out near-white on the light theme."""
    app = ReaderApp(config)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        app.theme = theme
        await open_first(pilot)
        await settle(pilot)
        view = main_screen(app).view
        for component in ("article-view--meta", "article-view--boilerplate"):
            style = view.get_component_rich_style(component)
            assert style.color is not None and style.bgcolor is not None
            fg = style.color.get_truecolor()
            bg = style.bgcolor.get_truecolor()
            contrast = sum(abs(a - b) for a, b in zip(fg, bg, strict=True)) / 3
            assert contrast > 60, (theme, component, fg, bg)
