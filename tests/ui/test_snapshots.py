"""Snapshots (pytest-textual-snapshot) of every screen at 80x24 and 120x35: the main screen
with tagged passages and a long title and source, a Markdown article, the tag picker, the
review, the suggestions, the help, the export dialog and Manage tags. Deterministic: the
bundled articles copied to a temp library, fixed annotations, the dark theme, no blinking
cursor, every worker done before the picture, paths of the temp folder replaced.
``pytest --snapshot-update`` redraws them after a wanted change of the layout."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.export_dialog import ExportDialog
from reader.ui.screens.vocabulary import VocabularyScreen
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import settle

LONG = """\
---
title: Pemerintah dan DPR Sepakati Revisi Undang-Undang Penyiaran setelah Rapat Panjang di Senayan
source: Kantor Berita Antara Biro Jakarta Pusat
date: 2024-06-18
---
Rapat kerja antara pemerintah dan Komisi I DPR berlangsung hingga larut malam di gedung
parlemen. Revisi undang-undang itu akhirnya disepakati oleh seluruh fraksi yang hadir, dan
akan dibawa ke rapat paripurna untuk disahkan pada pekan depan.

Menurut ketua komisi, pembahasan yang panjang diperlukan karena banyak pasal yang harus
disesuaikan dengan perkembangan media digital dan kebutuhan masyarakat.
"""
MARKDOWN = """\
---
title: MPs back wider sanctions on shipping firms
source: Example Wire
date: 2024-06-17
---
# Parliament votes for wider sanctions

Members voted on **Tuesday** to widen sanctions, after a debate that ran
[late into the night](https://example.org/live).

## What the motion says

- publish a list of vessels within *thirty days*;
- freeze the assets of firms that insure them.

> "We cannot let the shadow fleet sail past our rules," the chair said,
> adding that the list would be `public`.
"""
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 35), id="120x35")]
Before = Callable[[Pilot[None]], Awaitable[None]]


def tagged_app(config: Config) -> ReaderApp:
    (config.articles_dir / "panjang.txt").write_text(LONG, encoding="utf-8")
    (config.articles_dir / "motion.md").write_text(MARKDOWN, encoding="utf-8")
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


def opened(then: tuple[str, ...] = (), article: str = SEED_LIPUTAN) -> Before:
    async def run(pilot: Pilot[None]) -> None:
        await steady(pilot)
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = app.main_screen
        assert screen is not None
        screen.open_article(article)
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
def test_markdown_article(config: Config, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(tagged_app(config), terminal_size=size,
                        run_before=opened(("z",), article="motion"))


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


@pytest.mark.parametrize("size", SIZES)
def test_suggestions(config: Config, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await steady(pilot)
        app = pilot.app
        assert isinstance(app, ReaderApp)
        app.action_suggestions()
        await steady(pilot)
        await app.workers.wait_for_complete()
        await steady(pilot)

    assert snap_compare(tagged_app(config), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(config: Config, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await steady(pilot)
        await pilot.press("ctrl+r")
        await steady(pilot)
        await pilot.press("x")
        await steady(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path", Input).value = "/home/ana/news/exports/2024-06-19-all.md"
        await steady(pilot)

    assert snap_compare(tagged_app(config), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_manage_tags(config: Config, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await steady(pilot)
        app = pilot.app
        assert isinstance(app, ReaderApp)
        app.push_screen(VocabularyScreen(app.services.vocabulary, app.services.store))
        await steady(pilot)
        await app.workers.wait_for_complete()
        app.screen.query_one("#vocabulary-path", Label).update(
            "Tags in /home/ana/news/annotations/vocabulary.yml")
        await steady(pilot)

    assert snap_compare(tagged_app(config), terminal_size=size, run_before=run)


def test_snapshots_are_kept_in_the_repository() -> None:
    folder = Path(__file__).parent / "__snapshots__" / "test_snapshots"
    assert folder.is_dir() and len(list(folder.glob("*.svg"))) == 16
