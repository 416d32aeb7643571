"""Several coders in the reader, with Pilot: asked who codes once, coder filter in the
reading view and review, the agreement view (figures, cases opened in context, resolved and
undone). Real files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.widgets import Input

from reader.annotations.coders import AGREED
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.agreement import AgreementScreen
from reader.ui.screens.coders import CoderDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.review import ReviewScreen
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import settle

SIZE = (120, 34)
QUOTE = "berjabat tangan cukup lama"


def two_coders(config: Config) -> tuple[int, int]:
    library = Library(config)
    liputan = library.load(SEED_LIPUTAN)
    kompas = library.load(SEED_KOMPAS)
    ana = AnnotationStore(config.annotations_dir, coder="ana")
    budi = AnnotationStore(config.annotations_dir, coder="budi")
    s = liputan.text.index(QUOTE)
    ana.tag(liputan, s, s + len(QUOTE), ["sanctions"])
    budi.tag(liputan, s, s + len(QUOTE), ["treaties"])
    k = liputan.text.index("Kim Jong Un")
    for who in (ana, budi):
        who.tag(liputan, k, k + 11, ["treaties"])
        p = kompas.text.index("Putin")
        who.tag(kompas, p, p + 5, ["military cooperation"])
    return s, s + len(QUOTE)


async def test_asked_once_who_codes_and_it_is_remembered(config: Config,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.delenv("READER_CODER")
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoderDialog)
        await pilot.press(*"Dewi", "enter")
        await settle(pilot)
        assert app.store.coder == "Dewi"
    settings = yaml.safe_load((tmp_path / "data" / "settings.yml").read_text("utf-8"))
    assert settings == {"coder": "Dewi"}
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, CoderDialog) and app.store.coder == "Dewi"


async def test_coder_filter_review_and_agreement_view(config: Config) -> None:
    start, end = two_coders(config)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert len(review.shown) == 4  # two shared passages, one each on the quote
        app.services.shown_coders = ("budi",)
        review.refresh_table()
        assert len(review.shown) == 3 and all("budi" in r.coders for r in review.shown)
        app.services.shown_coders = ()
        review.refresh_table()

        await pilot.press("K")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, AgreementScreen)
        screen: AgreementScreen = view
        await app.workers.wait_for_complete()
        await settle(pilot)
        figures = str(view.query_one("#agreement-figures").render())
        assert "Agreement of ana, budi on 2 article(s)" in figures and "overall" in figures
        assert [(c.article_id, set(c.tags)) for c in view.cases] == [
            (SEED_LIPUTAN, {"sanctions", "treaties"})]
        # Enter opens the sentence in the reading view; Esc comes back
        await pilot.press("enter")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, LibraryScreen)
        article = main.reading.article
        assert article is not None and article.id == SEED_LIPUTAN
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is view
        # keep A's (ana's): the agreed record says sanctions; the coders' passages stay
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await settle(pilot)
        liputan = Library(config).load(SEED_LIPUTAN)
        anns = app.store.load(liputan).annotations
        agreed = [(a.start, a.end, a.tags) for a in anns if AGREED in a.coders]
        assert agreed == [(start, end, ["sanctions"])]
        assert sorted(tuple(a.coders) for a in anns if (a.start, a.end) == (start, end)) == [
            ("ana", AGREED), ("budi",)]
        row = screen.table.get_row_at(0)
        assert row[3] == "sanctions"  # the agreed column
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await settle(pilot)
        anns = app.store.load(liputan).annotations
        assert not [a for a in anns if AGREED in a.coders]
        await pilot.press("n")
        await app.workers.wait_for_complete()
        assert not [a for a in app.store.load(liputan).annotations if AGREED in a.coders]
        assert isinstance(view.query_one("#agreement-cases"), object)
        assert not isinstance(app.screen.focused, Input)
