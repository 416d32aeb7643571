"""Changes made by another process show in a running reader within about a second, without
losing its place: a second process runs the real command line (``reader tags --rename``,
``reader annotate``) or writes an article file while the app runs under Pilot."""

from __future__ import annotations

import subprocess
import sys
import time

from textual.pilot import Pilot

from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.tag_picker import TagPicker
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import reader_command, settle, wait_until

SIZE = (120, 35)
WITHIN = 1.5  # seconds


def cli(config: Config, *args: str) -> None:
    """The real command line, in a second process."""
    done = subprocess.run([*reader_command(), "--library", str(config.library), *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


async def opened(pilot: Pilot[None], app: ReaderApp, article_id: str) -> LibraryScreen:
    await settle(pilot)
    screen = app.main_screen
    assert screen is not None
    screen.open_article(article_id)
    await settle(pilot)
    assert screen.view.article is not None and screen.view.article.id == article_id
    screen.view.focus()
    await pilot.pause(0.5)  # the watcher is up
    return screen


async def test_a_tag_renamed_elsewhere_is_offered_and_drawn(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app, SEED_LIPUTAN)
        view = screen.view
        article = view.article
        assert article is not None
        at = article.text.index("kerja sama")
        app.store.add(article, at, at + 10, ["sanctions"])
        await settle(pilot)
        started = time.monotonic()
        cli(config, "tags", "--rename", "sanctions", "pengakuan wilayah")
        took = await wait_until(pilot, lambda: app.vocabulary.get("pengakuan wilayah")
                                is not None, WITHIN)
        tagger = view.tagger
        assert tagger is not None
        await wait_until(pilot, lambda: tagger.current is not None and [
            a.tags for a in tagger.current.annotations] == [["pengakuan wilayah"]], WITHIN)
        print(f"rename seen after {took:.2f} s (cli run included: "
              f"{time.monotonic() - started:.2f} s)")
        assert app.vocabulary.get("sanctions") is None
        view.cursor = at + 80
        await pilot.press("s", "t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TagPicker)
        names = [t.name for t in picker._all_tags()]
        assert "pengakuan wilayah" in names and "sanctions" not in names
        await pilot.press("escape")


async def test_an_annotation_added_elsewhere_is_drawn_and_counted(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app, SEED_KOMPAS)
        view = screen.view
        for _ in range(5):
            await pilot.press("j")
        place = view.scroll_y
        article = view.article
        assert article is not None
        quote = "sanksi yang dipimpin Amerika Serikat"
        at = article.text.index(quote)
        assert view.highlight_at(at) is None
        cli(config, "annotate", SEED_KOMPAS, "--quote", quote, "--tag", "treaties")
        took = await wait_until(pilot, lambda: view.highlight_at(at) is not None, WITHIN)
        print(f"annotation from the command line drawn after {took:.2f} s")
        assert view.scroll_y == place  # the reader's place is kept
        lst = screen.article_list
        await wait_until(pilot, lambda: lst._notes.get(SEED_KOMPAS) is not None, WITHIN)


async def test_an_article_edited_elsewhere_reloads_in_place(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app, SEED_KOMPAS)
        view = screen.view
        for _ in range(4):
            await pilot.press("j")
        place = view.scroll_y
        path = config.articles_dir / f"{SEED_KOMPAS}.txt"
        text = path.read_text(encoding="utf-8")
        edited = text.rstrip("\n") + "\n\nParagraf baru ditambahkan oleh editor lain.\n"
        subprocess.run([sys.executable, "-c", "import sys, pathlib; pathlib.Path(sys.argv[1])"
                        ".write_text(sys.argv[2], encoding='utf-8')", str(path), edited],
                       check=True)
        took = await wait_until(pilot, lambda: view.article is not None
                                and "Paragraf baru" in view.article.text, WITHIN)
        print(f"edited article reloaded after {took:.2f} s")
        await pilot.pause(0.3)
        assert view.scroll_y == place
        assert view.has_focus


async def test_a_new_article_file_is_listed(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        lst = screen.article_list
        lst.select_id(SEED_KOMPAS)
        await pilot.pause(0.5)
        new = config.articles_dir / "news" / "fresh.md"
        subprocess.run([sys.executable, "-c", "import pathlib, sys; p = pathlib.Path(sys.argv[1]);"
                        " p.parent.mkdir(); p.write_text('---\\ntitle: A fresh story\\n---\\n"
                        "The minister spoke on Monday.\\n', encoding='utf-8')", str(new)],
                       check=True)
        took = await wait_until(pilot, lambda: lst.row_count == 3, WITHIN)
        print(f"new article listed after {took:.2f} s")
        assert lst.current is not None and lst.current.id == SEED_KOMPAS  # the cursor stays
