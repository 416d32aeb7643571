"""The tag hierarchy, definitions and the current tag in the reader, with Pilot: a real
library in tmp_path (the two seeds), no mocks."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, OptionList, Static

from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.text import sentences
from reader.ui.app import ReaderApp
from reader.ui.screens.tag_picker import NEW_OPTION, NODE_OPTION, TagPicker, number_keys
from tests.conftest import SEED_LIPUTAN
from tests.ui.conftest import settle
from tests.ui.test_tagging import Host
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


# -- the tag picker as a tree -----------------------------------------------------------------
async def test_picker_shows_a_tree_filters_to_children_with_parents_and_definitions(
        tmp_path: Path) -> None:
    v = Vocabulary(tmp_path / "annotations" / "vocabulary.yml")
    v.add("military cooperation/arms transfer")
    v.add("sanctions/economic")
    v.add("nuclear/tests/underground")  # parents that are not tags
    v.describe("military cooperation/arms transfer", description="Weapons changing hands",
               include="sales, gifts", exclude="production at home")
    numbers_before = number_keys(v.active())
    app = Host(lambda: TagPicker(v))
    async with app.run_test(size=(100, 40)) as pilot:
        picker = app.screen
        assert isinstance(picker, TagPicker)
        listing = picker.query_one(OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert ids == ["sanctions", "sanctions/economic", "military cooperation",
                       "military cooperation/arms transfer", "treaties", NODE_OPTION + "nuclear",
                       NODE_OPTION + "nuclear/tests", "nuclear/tests/underground"]
        assert listing.get_option_at_index(5).disabled
        assert str(listing.get_option_at_index(1).prompt) == "[ ] 5   ██ economic"
        await pilot.press(*"arms")
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert ids == [NODE_OPTION + "military cooperation", "military cooperation/arms transfer",
                       NEW_OPTION]
        assert listing.get_option_at_index(listing.highlighted or 0).id == \
            "military cooperation/arms transfer"
        definition = str(picker.query_one("#tag-picker-definition", Label).render())
        assert "Weapons changing hands" in definition and "Exclude: production at home" in \
            definition
        await pilot.press("enter", "enter")
        await pilot.pause()
    assert app.results == [["military cooperation/arms transfer"]]
    assert number_keys(Vocabulary(v.path).active()) == numbers_before
    assert numbers_before["sanctions"] == "1" and numbers_before["treaties"] == "3"
