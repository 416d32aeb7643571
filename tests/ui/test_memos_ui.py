"""Memos in the reader with Pilot: from the reading view (M), from review (M) and from the
command palette; add, edit, read, delete with a confirmation that names the memo, undo;
filter by kind; a memo written by another program shows; an edit that crosses a change on
disk loses neither text; no other key of the screen writes a file. Real memo files."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from textual.app import App
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TextArea

from reader.annotations.memos import MemoStore
from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.memo_dialog import MemoDialog
from reader.ui.screens.memo_reader import MemoReader
from reader.ui.screens.memos import MemosScreen
from reader.ui.screens.review import ReviewScreen
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import folder_digest, screen_text, settle, wait_until
from tests.ui.test_review import annotate
from tests.ui.test_tagging_app import open_article

SIZE = (100, 30)


def top(app: App[None]) -> Screen[Any]:
    """The screen on top now (a function, so that type checkers do not keep an earlier
    narrowing of ``app.screen``)."""
    return app.screen


async def press_every_key(pilot: Pilot[None], screen: Screen[None], *folders: Path) -> int:
    """Press every printable key on ``screen`` (Esc closes a dialog a key opened); no file
    under ``folders`` may change. Returns how many keys were pressed."""
    before = [folder_digest(f) for f in folders]
    pressed = 0
    for char in string.printable.strip():
        await pilot.press(char)
        await pilot.pause()
        while pilot.app.screen is not screen:  # a dialog the key opened: cancelled
            await pilot.press("escape")
            await pilot.pause()
        pressed += 1
        assert [folder_digest(f) for f in folders] == before, char
    return pressed


def memos_screen(app: ReaderApp) -> MemosScreen:
    assert isinstance(app.screen, MemosScreen), app.screen
    return app.screen


async def write_in_dialog(pilot: Pilot[None], text: str, kind: str | None = None) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, MemoDialog)
    if kind is not None:
        dialog.query_one("#memo-dialog-kind", Input).value = kind
    area = dialog.query_one(TextArea)
    area.text = ""
    area.focus()
    await pilot.press(*text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_memos_of_the_article_being_read(config: Config) -> None:
    store = MemoStore(config.annotations_dir)
    store.add("article", SEED_KOMPAS, "Someone else's article memo")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, app, SEED_LIPUTAN)
        await pilot.press("M")
        await pilot.pause()
        screen = memos_screen(app)
        assert (screen.scope, screen.about) == ("article", SEED_LIPUTAN)
        assert screen.shown == []  # the other article's memo is not here
        # add
        await pilot.press("a")
        await write_in_dialog(pilot, "Check the dateline", kind="to do")
        memos, _ = store.find("article", SEED_LIPUTAN)
        assert [(m.text, m.kind) for m in memos] == [("Check the dateline", "to do")]
        assert memos[0].path.is_file() and app.screen is screen
        assert [m.id for m in screen.shown] == [memos[0].id]
        assert "Check the dateline" in screen_text(app)
        # read, then edit from there
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemoReader)
        await pilot.press("e")
        await pilot.pause()
        await write_in_dialog(pilot, "Check the dateline twice")
        assert store.get(memos[0].id).text == "Check the dateline twice"
        # delete: the question names it; then undo
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Check the dateline twice" in app.screen.question
        assert memos[0].id in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert not memos[0].path.exists() and screen.shown == []
        await pilot.press("u")
        await pilot.pause()
        back = store.find("article", SEED_LIPUTAN)[0]
        assert [(m.text, m.kind, m.created) for m in back] == [
            ("Check the dateline twice", "to do", memos[0].created)]
        await pilot.press("u")  # the edit undone
        await pilot.pause()
        assert store.find("article", SEED_LIPUTAN)[0][0].text == "Check the dateline"
        await pilot.press("u")  # the add undone
        await pilot.pause()
        assert store.find("article", SEED_LIPUTAN)[0] == []
        await pilot.press("escape")
        assert top(app) is app.main_screen


async def test_kind_and_scope_filters_over_the_library(config: Config) -> None:
    store = MemoStore(config.annotations_dir)
    store.add("library", "", "Sampling: Detik and BBC", "method")
    store.add("tag", "sanctions", "Do they work?", "theory")
    store.add("article", SEED_KOMPAS, "Framing", "theory")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MemosScreen(app.services))
        await pilot.pause()
        screen = memos_screen(app)
        assert len(screen.shown) == 3
        await pilot.press("k")  # method
        assert [m.kind for m in screen.shown] == ["method"]
        await pilot.press("k")  # theory
        assert sorted(m.scope for m in screen.shown) == ["article", "tag"]
        await pilot.press("s", "s")  # on articles
        assert [m.scope for m in screen.shown] == ["article"]
        assert "kind theory" in screen_text(app) and "on article" in screen_text(app)
        await pilot.press("k", "s", "s")  # any kind, everything
        assert len(screen.shown) == 3


async def test_a_memo_written_by_another_program_shows(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MemosScreen(app.services))
        await pilot.pause()
        screen = memos_screen(app)
        assert screen.shown == []
        memo = MemoStore(config.annotations_dir).add("library", "", "Written elsewhere")
        took = await wait_until(pilot, lambda: [m.id for m in screen.shown] == [memo.id], 10)
        print(f"a memo written elsewhere shows after {took:.2f} s ({app.watcher.mode})")
        memo.path.unlink()
        await wait_until(pilot, lambda: screen.shown == [], 10)


async def test_an_edit_crossing_a_change_on_disk_loses_neither_text(config: Config) -> None:
    store = MemoStore(config.annotations_dir)
    memo = store.add("tag", "sanctions", "First version", "theory")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MemosScreen(app.services, "tag", "sanctions"))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        store.edit(memo.id, text="Changed on disk meanwhile")  # another program
        await write_in_dialog(pilot, "Mine")
        assert store.get(memo.id).text == "Changed on disk meanwhile"  # not overwritten
        assert isinstance(app.screen, MemoDialog)  # open again, with my text
        assert app.screen.draft.text == "Mine"
        await pilot.press("ctrl+s")  # now over the new version, knowingly
        await pilot.pause()
        assert store.get(memo.id).text == "Mine"


async def test_memos_from_review_and_from_the_palette(config: Config) -> None:
    annotate(config)
    store = MemoStore(config.annotations_dir)
    store.add("tag", "treaties", "Treaty memo")
    store.add("library", "", "Library memo")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press(next(d for d, n in review._numbers.items() if n == "treaties"))
        await pilot.press("M")
        await pilot.pause()
        screen = memos_screen(app)
        assert (screen.scope, screen.about) == ("tag", "treaties")
        assert [m.text for m in screen.shown] == ["Treaty memo"]
        await pilot.press("a")
        await write_in_dialog(pilot, "Second on treaties")
        assert sorted(m.text for m in store.find("tag", "treaties")[0]) == [
            "Second on treaties", "Treaty memo"]
        await pilot.press("escape")
        assert app.screen is review
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"memos of the library")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause()
        screen = memos_screen(app)
        assert screen.scope == "library"
        assert [m.text for m in screen.shown] == ["Library memo"]


async def test_no_other_key_of_the_memos_screen_writes_a_file(config: Config) -> None:
    store = MemoStore(config.annotations_dir)
    store.add("article", SEED_KOMPAS, "One", "theory")
    store.add("library", "", "Two", "method")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = MemosScreen(app.services)
        app.push_screen(screen)
        await pilot.pause()
        pressed = await press_every_key(pilot, screen, config.annotations_dir)
        print(f"{pressed} keys pressed on the memos screen, no file changed")
        assert len(screen.memos) == 2


def test_the_watcher_reports_memo_files_in_both_modes(config: Config) -> None:
    from reader.ui.services import Reading
    from reader.ui.watcher import Changes, LibraryWatcher, classify

    memos = config.annotations_dir / "memos"
    memo = memos / "tag" / "sanctions" / "2026-11-25-x.md"
    got = classify(config, [str(memo)])
    assert got.memos and not got.annotations and not got.vocabulary
    assert not classify(config, [str(memos / "tag" / ".x.md.tmp")]).memos  # hidden
    seen: list[Changes] = []
    watcher = LibraryWatcher(config, Reading(), seen.append)
    watcher._poll()  # the first look: nothing reported
    MemoStore(config.annotations_dir).add("tag", "sanctions", "polled")
    watcher._poll()
    assert [c.memos for c in seen] == [True]
