"""The review screen with Pilot: filters by tag and text, sorting, Enter jumps to the passage
and Esc comes back to the same row, export writes the filtered passages, orphans; plus import
from the command palette. Real files, real index."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import RadioButton

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.export_dialog import ExportDialog
from reader.ui.screens.import_dialog import ImportDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reattach import SentencePicker
from reader.ui.screens.review import ReviewScreen
from tests.conftest import REPO, SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import settle

SIZE = (100, 30)




def annotate(config: Config) -> None:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    kompas = library.load(SEED_KOMPAS)
    liputan = library.load(SEED_LIPUTAN)

    def span(article_text: str, words: str) -> tuple[int, int]:
        at = article_text.index(words)
        return at, at + len(words)

    store.add(kompas, *span(kompas.text, "sanksi yang dipimpin Amerika Serikat"), ["sanctions"],
              "US-led sanctions")
    store.add(liputan, *span(liputan.text, "kerja sama bilateral"), ["military cooperation"])
    store.add(liputan, *span(liputan.text, "Kunjungan Putin ke DPRK"), ["treaties"],
              "the visit")


async def open_review(pilot: Pilot[None]) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_review_lists_filters_and_sorts(config: Config) -> None:
    annotate(config)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        assert len(review.shown) == 3 and review.table.row_count == 3
        assert "sanctions 1" in str(review.query_one("#review-tagbar").render())
        # tag filter: the number key of "treaties", the same as in the tag picker
        assert "3:treaties" in str(review.query_one("#review-tagbar").render())
        await pilot.press("3")
        assert [r.tags for r in review.shown] == [("treaties",)]
        await pilot.press("3")
        assert len(review.shown) == 3
        # text filter
        await pilot.press("slash")
        await pilot.press(*"us-led")
        await pilot.pause()
        assert [r.article_id for r in review.shown] == [SEED_KOMPAS]
        await pilot.press("escape")  # leaves the filter box, not the screen
        assert app.screen is review
        review.query_one("#review-filter").value = ""  # type: ignore[attr-defined]
        await pilot.pause()
        assert len(review.shown) == 3
        # sort by a column key, then reverse
        review.sort_by("quote", reverse=False)
        quotes = [r.quote for r in review.shown]
        assert quotes == sorted(quotes, key=str.casefold)
        await pilot.press("O")
        assert [r.quote for r in review.shown] == quotes[::-1]
        await pilot.press("o")
        assert review.sort_key == "note"


async def test_enter_jumps_and_esc_returns_to_the_same_row(config: Config) -> None:
    annotate(config)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        review.table.focus()
        await pilot.press("down", "down")
        row = review.shown[2]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        view = app.screen.view
        assert view.article is not None and view.article.id == row.article_id
        assert view.cursor == row.start
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is review  # the same instance, as it was left
        assert review.table.cursor_row == 2


async def test_export_from_review_writes_the_filtered_rows(config: Config, tmp_path: Path
                                                           ) -> None:
    annotate(config)
    app = ReaderApp(config)
    out = tmp_path / "out" / "passages.csv"
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        review.set_tags(["sanctions", "treaties"])
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        default = dialog.query_one("#export-path").value  # type: ignore[attr-defined]
        assert default.endswith("-sanctions-treaties.md")
        assert str(config.library / "exports") in default
        dialog.query(RadioButton)[1].value = True  # CSV
        await pilot.pause()
        assert dialog.query_one("#export-path").value.endswith(".csv")  # type: ignore[attr-defined]
        dialog.query_one("#export-path").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is review
    data = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 2
    assert {r.get("tag") or r.get("tags") for r in rows} == {"sanctions", "treaties"}


async def test_orphan_listed_and_deleted(config: Config) -> None:
    annotate(config)
    path = config.articles_dir / f"{SEED_KOMPAS}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sanksi yang dipimpin Amerika Serikat", "hal lain"),
                    encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        assert len(review.orphans) == 1 and len(review.shown) == 2
        await pilot.press("d")  # not on the orphans tab: nothing
        assert app.screen is review
        review.query_one("TabbedContent").active = "tab-orphans"  # type: ignore[attr-defined]
        await pilot.pause()
        review.orphan_table.focus()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert review.orphans == []
        kompas = Library(config).load(SEED_KOMPAS)
        assert AnnotationStore(config.annotations_dir).load(kompas).annotations == []
        assert "u undoes" in list(app._notifications)[-1].message
        await pilot.press("u")  # undone where it was done: the orphan is back
        await settle(pilot)
        assert len(review.orphans) == 1
        assert len(AnnotationStore(config.annotations_dir).load(kompas).annotations) == 1


async def test_import_from_the_palette(config: Config, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    shutil.copy(REPO / "tests" / "fixtures" / "html" / "ledger_port_strike.html", page)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = {m.id for m in app.articles}
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"import articles")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        await pilot.press(*str(page))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        new = {m.id for m in app.articles} - before
        assert len(new) == 1, [n.message for n in app._notifications]
        assert app.index.search("strike")  # the index took it in


async def test_orphan_reattached_to_a_chosen_sentence(config: Config) -> None:
    annotate(config)
    path = config.articles_dir / f"{SEED_KOMPAS}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sanksi yang dipimpin Amerika Serikat", "hal lain"),
                    encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        assert len(review.orphans) == 1
        review.query_one("TabbedContent").active = "tab-orphans"  # type: ignore[attr-defined]
        await pilot.pause()
        review.orphan_table.focus()
        await pilot.press("a")
        await pilot.pause()
        picker = pilot.app.screen
        assert isinstance(picker, SentencePicker)
        start, end = picker.spans[0]
        await pilot.press("enter")
        await settle(pilot)
        assert review.orphans == [] and len(review.shown) == 3
    kompas = Library(config).load(SEED_KOMPAS)
    (ann,) = AnnotationStore(config.annotations_dir).load(kompas).annotations
    assert not ann.orphaned and (ann.start, ann.end) == (start, end)
