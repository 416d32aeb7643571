"""The tag hierarchy, definitions and the current tag in the reader, with Pilot: a real
library in tmp_path (the two seeds), no mocks."""

from __future__ import annotations

from textual.widgets import Static

from reader.config import Config
from reader.library.text import sentences
from reader.ui.app import ReaderApp
from tests.conftest import SEED_LIPUTAN
from tests.ui.conftest import settle
from tests.ui.test_tagging_app import SIZE, open_article, read_yaml, tag_sentence_with_keys


async def test_full_stop_tags_the_selection_with_the_current_tag(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        spans = [s for s in sentences(view.article.text) if s[1] - s[0] > 40]
        view.cursor = spans[0][0] + 2
        await pilot.press("s", "full_stop")  # nothing used yet: said, nothing written
        await settle(pilot)
        assert not (config.annotations_dir / f"{SEED_LIPUTAN}.yaml").exists()
        await tag_sentence_with_keys(pilot, view, spans[1][0] + 2, "3", "enter")
        status = app.main_screen.query_one("#list-status", Static)
        assert "current tag (.): treaties" in str(status.render())
        for start, _ in (spans[2], spans[3]):
            view.cursor = start + 2
            await pilot.press("s", "full_stop")
            await settle(pilot)
        await pilot.press("s", "full_stop")  # again on the same passage: kept once
        await settle(pilot)
    anns = read_yaml(config)["annotations"]
    assert sorted((a["start"], a["tags"][0]) for a in anns) == [
        (spans[1][0], "treaties"), (spans[2][0], "treaties"), (spans[3][0], "treaties")]
    assert all(a["tags"] == ["treaties"] for a in anns)
