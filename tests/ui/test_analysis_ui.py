"""The analysis view of review with Pilot: A shows the passages shown in review as a
tag-by-article table (by source, by month: s, m) and the co-occurrence table (c, w), each with
a bar chart; x writes the table shown as the same CSV the command line writes; no other key
writes a file. Real annotations."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from reader.config import Config
from reader.review import matrix as mx
from reader.review import rows as review_rows
from reader.ui.app import ReaderApp
from reader.ui.screens.analysis import AnalysisScreen
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.input_dialog import InputDialog
from reader.ui.screens.review import ReviewScreen
from tests.conftest import SEED_LIPUTAN
from tests.ui.conftest import screen_text, settle
from tests.ui.test_memos_ui import press_every_key, top
from tests.ui.test_review import annotate

SIZE = (110, 32)


async def open_analysis(pilot: Pilot[None]) -> AnalysisScreen:
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)
    await pilot.press("A")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AnalysisScreen)
    return screen


async def test_tables_and_charts_for_each_view(config: Config) -> None:
    annotate(config)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_analysis(pilot)
        m = screen.matrix
        assert m is not None and m.by == "article"
        assert m.tags == ("military cooperation", "sanctions", "treaties") and m.total == 3
        assert screen.table.row_count == len(m.units) + 1  # and the totals
        text = screen_text(app)
        assert "Passages per tag per article" in text and "█" in text
        await pilot.press("s")
        assert screen.matrix is not None and screen.matrix.by == "source"
        assert "KOMPAS.TV" in screen_text(app)
        await pilot.press("m")
        assert screen.matrix is not None and str(screen.matrix.by) == "month"
        await pilot.press("c")
        c = screen.cooccurrence
        assert c is not None and c.within == "overlap" and screen.matrix is None
        await pilot.press("w", "w")
        c = screen.cooccurrence
        assert c is not None and c.within == "article"
        # two tags in the same article (Liputan6): the pair is charted
        assert c.pairs() == [("military cooperation", "treaties", 1)]
        assert "military cooperation + treaties" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_the_view_counts_what_review_shows(config: Config) -> None:
    annotate(config)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press(next(d for d, n in review._numbers.items() if n == "treaties"))
        await pilot.press("A")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AnalysisScreen)
        assert screen.matrix is not None and screen.matrix.total == 1
        assert screen.matrix.units == (SEED_LIPUTAN,) and "tags treaties" in screen_text(app)


async def test_x_writes_the_table_shown_as_csv(config: Config, tmp_path: Path) -> None:
    annotate(config)
    rows = [r for r in review_rows.collect(config) if not r.orphaned]
    out = tmp_path / "out"
    out.mkdir()
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("s", "x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, InputDialog)
        dialog.query_one("Input").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        written = out / "matrix-by-source.csv"
        assert written.read_bytes() == mx.matrix_csv(mx.matrix(rows, "source")).encode()
        # again: asks before replacing; the co-occurrence table this time
        await pilot.press("c", "x")
        await pilot.pause()
        app.screen.query_one("Input").value = str(written)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert written.read_bytes() == mx.cooccurrence_csv(
            mx.cooccurrence(rows, "overlap")).encode()
        assert top(app) is screen
        # a folder that does not exist: said, nothing written
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("Input").value = str(tmp_path / "nowhere" / "t.csv")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert not (tmp_path / "nowhere").exists()
        assert "Not written" in str(list(app._notifications)[-1].message)


async def test_no_key_of_the_analysis_view_writes_a_file(config: Config, tmp_path: Path,
                                                         monkeypatch) -> None:
    annotate(config)
    monkeypatch.chdir(tmp_path)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_analysis(pilot)
        assert await press_every_key(pilot, screen, config.annotations_dir, tmp_path) > 90
