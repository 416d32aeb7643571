"""The tag hierarchy, definitions and the current tag in the reader, with Pilot: a real
library in tmp_path (the two seeds), no mocks."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Label, OptionList, SelectionList, Static

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
        assert app.main_screen is not None
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


# -- Manage tags: tree, move, merge, split, define, undo ------------------------------------------
async def test_manage_tags_moves_merges_splits_defines_and_undoes_it_all(config: Config) -> None:
    from reader.annotations.store import AnnotationStore
    from reader.library.articles import Library
    from reader.ui.screens.vocabulary import VocabularyScreen
    from tests.conftest import SEED_KOMPAS

    store = AnnotationStore(config.annotations_dir)
    library = Library(config)
    one, two = library.load(SEED_LIPUTAN), library.load(SEED_KOMPAS)
    a = store.add(one, 0, 20, ["sanctions", "military cooperation"])
    b = store.add(one, 30, 50, ["military cooperation"])
    c = store.add(two, 0, 20, ["sanctions"])
    v = Vocabulary(config.vocabulary_path)
    v.add("sanctions/economic")
    files_before = {p.name: p.read_bytes() for p in config.annotations_dir.glob("*.yaml")}

    def tags() -> dict[str, list[str]]:
        return {x.id: x.tags for art in (one, two) for x in store.load(art).annotations}

    app = Host(lambda: VocabularyScreen(v, store))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        table = screen.query_one(DataTable)
        await settle(pilot)
        assert [str(k.value) for k in table.rows] == [
            "sanctions", "sanctions/economic", "military cooperation", "treaties"]

        async def on_row(name: str, *keys: str) -> None:
            table.move_cursor(row=table.get_row_index(name))
            await pilot.press(*keys)
            await settle(pilot)

        await on_row("treaties", "m")  # move treaties under sanctions
        app.screen.query_one(Input).value = "sanctions"
        await pilot.press("enter")
        await settle(pilot)
        assert v.get("sanctions/treaties") is not None and v.get("treaties") is None
        await on_row("military cooperation", "g")  # merge it into sanctions
        app.screen.query_one(Input).value = "sanctions"
        await pilot.press("enter")
        await settle(pilot)
        assert tags() == {a.id: ["sanctions"], b.id: ["sanctions"], c.id: ["sanctions"]}
        await on_row("sanctions", "s")  # split: the first passage ticked goes to economic
        dialog = app.screen
        dialog.query_one(Input).value = "sanctions/economic"
        listing = dialog.query_one(SelectionList)
        listing.focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        moved = [k for k, t in tags().items() if t == ["sanctions/economic"]]
        assert len(moved) == 1
        await on_row("sanctions/economic", "i")  # define it
        app.screen.query_one("#definition-include", Input).value = "trade measures"
        app.screen.query_one("#definition-example", Input).value = f"{SEED_LIPUTAN} {moved[0]}"
        await pilot.press("ctrl+s")
        await settle(pilot)
        tag = Vocabulary(v.path).get("sanctions/economic")
        assert tag is not None and tag.include == "trade measures"
        assert tag.example == (SEED_LIPUTAN, moved[0])
        for _ in range(4):  # definition, split, merge, move: each undone
            await pilot.press("u")
            await settle(pilot)
        assert tags() == {a.id: ["sanctions", "military cooperation"],
                          b.id: ["military cooperation"], c.id: ["sanctions"]}
        assert [str(k.value) for k in table.rows] == [
            "sanctions", "sanctions/economic", "military cooperation", "treaties"]
    assert {p.name: p.read_bytes() for p in config.annotations_dir.glob("*.yaml")} == \
        files_before
    fresh = Vocabulary(v.path)
    assert fresh.get("sanctions/economic") is not None and not fresh.get(
        "sanctions/economic").include  # type: ignore[union-attr]


# -- review: the tag bar as a tree, a parent's filter with its children, the definition ---------
async def test_review_groups_children_under_parents_and_shows_the_definition(
        config: Config) -> None:
    from reader.annotations.store import AnnotationStore
    from reader.library.articles import Library
    from reader.ui.screens.review import ReviewScreen
    from tests.conftest import SEED_KOMPAS

    v = Vocabulary(config.vocabulary_path)
    v.add("military cooperation/arms transfer")
    v.describe("military cooperation", include="defence ties between states")
    store, library = AnnotationStore(config.annotations_dir), Library(config)
    one, two = library.load(SEED_LIPUTAN), library.load(SEED_KOMPAS)
    store.add(one, 0, 20, ["military cooperation/arms transfer"])
    store.add(two, 0, 20, ["military cooperation"])
    store.add(two, 30, 50, ["military cooperation", "military cooperation/arms transfer"])
    store.add(one, 30, 50, ["treaties"])
    app = ReaderApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        bar = str(review.query_one("#review-tagbar", Static).render())
        assert "1:military cooperation 3  2:›arms transfer 2  3:treaties 1" in bar
        await pilot.press("1")  # the parent: its passages and its children's
        await settle(pilot)
        assert len(review.shown) == 3
        bar = str(review.query_one("#review-tagbar", Static).render())
        assert "military cooperation: Arms, ammunition, defence ties · Include: defence ties " \
            "between states" in bar
        overview = str(review.query_one("#review-overview", Static).render())
        assert "›arms transfer" in overview
