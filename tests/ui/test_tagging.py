"""Tagging in the TUI: the tag picker, the note dialog, the vocabulary screen and the
reading-view glue (t, n, e, d, u), with real files in tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Label, OptionList, TextArea

from reader.annotations.vocabulary import Vocabulary, number_keys
from reader.models import Tag
from reader.ui.screens.note_dialog import NoteDialog
from reader.ui.screens.tag_picker import NEW_OPTION, TagPicker

SIZE = (100, 36)


class Host(App[None]):
    """A bare app that opens one dialog and records what it returns."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Label("host")

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


def tag_of(path: Path, name: str) -> Tag:
    """The tag as saved in the file."""
    tag = Vocabulary(path).get(name)
    assert tag is not None, name
    return tag


def vocab(tmp_path: Path) -> Vocabulary:
    return Vocabulary(tmp_path / "annotations" / "vocabulary.yml")


# -- TagPicker -----------------------------------------------------------------------------


async def test_number_key_toggles_and_enter_applies(tmp_path: Path) -> None:
    v = vocab(tmp_path)
    app = Host(lambda: TagPicker(v, quote="Rusia dijatuhi sanksi."))
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TagPicker)
        await pilot.press("1", "3")
        assert app.screen.chosen() == ["sanctions", "treaties"]
        await pilot.press("3")  # toggles off again
        assert app.screen.chosen() == ["sanctions"]
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [["sanctions"]]


async def test_escape_cancels(tmp_path: Path) -> None:
    app = Host(lambda: TagPicker(vocab(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_typing_filters_and_enter_picks_the_match(tmp_path: Path) -> None:
    app = Host(lambda: TagPicker(vocab(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        picker = app.screen
        assert isinstance(picker, TagPicker)
        await pilot.press(*"milit")
        options = picker.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["military cooperation", NEW_OPTION]  # the match, then "create “milit”"
        assert options.highlighted == 0
        await pilot.press("enter")  # picks the match and clears the filter
        assert picker.query_one(Input).value == ""
        assert picker.chosen() == ["military cooperation"]
        await pilot.press("enter")  # empty filter: apply
        await pilot.pause()
    assert app.results == [["military cooperation"]]


async def test_digits_type_into_a_non_empty_filter(tmp_path: Path) -> None:
    app = Host(lambda: TagPicker(vocab(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "2", "0")
        assert app.screen.query_one(Input).value == "g20"
        assert isinstance(app.screen, TagPicker)
        assert app.screen.chosen() == []


@pytest.mark.skipif(not hasattr(Vocabulary, "add"), reason="Vocabulary.add is not built yet")
async def test_new_tag_is_created_and_saved_on_apply(tmp_path: Path) -> None:
    v = vocab(tmp_path)
    app = Host(lambda: TagPicker(v))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"energy deals", "enter")
        assert isinstance(app.screen, TagPicker)
        assert app.screen.chosen() == ["energy deals"]
        assert v.get("energy deals") is None  # not saved before apply
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [["energy deals"]]
    tag = Vocabulary(v.path).get("energy deals")  # re-read from disk
    assert tag is not None
    assert tag.colour not in {t.colour for t in Vocabulary(v.path).tags if t.name != tag.name}
    assert "energy deals" in v.path.read_text(encoding="utf-8")


async def test_apply_with_nothing_chosen_is_refused(tmp_path: Path) -> None:
    app = Host(lambda: TagPicker(vocab(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
    assert app.results == []


async def test_editing_shows_current_tags_and_clicking_toggles(tmp_path: Path) -> None:
    app = Host(lambda: TagPicker(vocab(tmp_path), selected=["treaties"]))
    async with app.run_test(size=SIZE) as pilot:
        picker = app.screen
        assert isinstance(picker, TagPicker)
        assert picker.chosen() == ["treaties"]
        options = picker.query_one(OptionList)
        await pilot.click(options, offset=(6, 0))  # first row (a compact list): sanctions
        assert picker.chosen() == ["sanctions", "treaties"]
        await pilot.click("#tag-picker-apply")
        await pilot.pause()
    assert app.results == [["sanctions", "treaties"]]


def test_number_keys_prefer_the_tags_own_key() -> None:
    from reader.models import Tag

    tags = [Tag("a", "#000000"), Tag("b", "#000000", key="1"), Tag("c", "#000000")]
    assert number_keys(tags) == {"b": "1", "a": "2", "c": "3"}


# -- NoteDialog ----------------------------------------------------------------------------


async def test_note_dialog_saves_with_ctrl_s() -> None:
    app = Host(lambda: NoteDialog("first", quote="a quote"))
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == "first"
        await pilot.press(*" line", "ctrl+s")
        await pilot.pause()
    assert app.results == ["first line"]


async def test_note_dialog_escape_cancels() -> None:
    app = Host(lambda: NoteDialog("keep"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_note_dialog_save_button() -> None:
    app = Host(lambda: NoteDialog())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"why it matters")
        await pilot.click("#note-dialog-save")
        await pilot.pause()
    assert app.results == ["why it matters"]


# -- TagEditor and the Manage tags screen ---------------------------------------------------


async def test_tag_editor_validates_and_returns_the_edit() -> None:
    from reader.models import Tag
    from reader.ui.screens.tag_editor import TagEdit, TagEditor

    tag = Tag("sanctions", "#e06c75", description="old", cues=("sanksi",))
    app = Host(lambda: TagEditor(tag, {"sanctions", "treaties"}))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.screen
        name = editor.query_one("#tag-editor-name", Input)
        name.value = "Treaties"  # taken (case-insensitive)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, TagEditor)
        assert "already a tag" in str(editor.query_one("#tag-editor-error", Label).render())
        name.value = "embargo"
        editor.query_one("#tag-editor-colour", Input).value = "nope"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, TagEditor)
        editor.query_one("#tag-editor-colour", Input).value = "#ABC"
        editor.query_one("#tag-editor-cues", Input).value = "sanksi;  embargo , ,sanksi"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [TagEdit("embargo", "#aabbcc", "old", ("sanksi", "embargo"))]


async def test_tag_editor_palette_sets_the_colour() -> None:
    from reader.models import Tag
    from reader.ui.colours import PALETTE
    from reader.ui.screens.tag_editor import TagEditor

    tag = Tag("sanctions", PALETTE[0][0])
    app = Host(lambda: TagEditor(tag, {"sanctions"}, focus="colour"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")  # third palette colour
        await pilot.pause()
        assert app.screen.query_one("#tag-editor-colour", Input).value == PALETTE[2][0]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results[0].colour == PALETTE[2][0]


@pytest.mark.skipif(
    not all(hasattr(Vocabulary, m)
            for m in ("add", "rename", "recolour", "retire", "unretire", "describe")),
    reason="vocabulary editing is not built yet")
async def test_manage_tags_add_recolour_retire_rename(tmp_path: Path, config: Any) -> None:
    from reader.annotations.store import AnnotationStore
    from reader.library.articles import Library
    from reader.ui.screens.vocabulary import VocabularyScreen
    from tests.conftest import SEED_LIPUTAN

    store = AnnotationStore(config.annotations_dir)
    article = Library(config).load(SEED_LIPUTAN)
    store.add(article, 0, 20, ["sanctions"])
    v = Vocabulary(config.vocabulary_path)
    app = Host(lambda: VocabularyScreen(v, store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#tag-editor-name", Input).value = "energy"
        editor.query_one("#tag-editor-cues", Input).value = "minyak, oil"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Vocabulary(v.path).get("energy") is not None
        # first row is sanctions: recolour it
        await pilot.press("ctrl+home", "c")
        await pilot.pause()
        app.screen.query_one("#tag-editor-colour", Input).value = "#123456"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert tag_of(v.path, "sanctions").colour == "#123456"
        # retire treaties (third row), then restore it
        await pilot.press("down", "down", "x")
        await pilot.pause()
        assert tag_of(v.path, "treaties").retired
        await pilot.press("x")
        await pilot.pause()
        assert not tag_of(v.path, "treaties").retired
        # rename sanctions: the annotation follows
        await pilot.press("ctrl+home", "r")
        await pilot.pause()
        app.screen.query_one("#tag-editor-name", Input).value = "embargoes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [True]
    fresh = Vocabulary(v.path)
    assert fresh.get("sanctions") is None and fresh.get("embargoes") is not None
    assert [a.tags for a in store.load(article).annotations] == [["embargoes"]]


async def test_a_picker_before_a_note_applies_with_no_tag(tmp_path: Path) -> None:
    app = Host(lambda: TagPicker(vocab(tmp_path), allow_empty=True))
    async with app.run_test(size=SIZE) as pilot:
        assert "optional" in str(app.screen.query_one("#tag-picker-selected", Label).render())
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [[]]


async def test_u_in_manage_tags_undoes_a_retire_then_a_rename(config: Any) -> None:
    from reader.annotations.store import AnnotationStore
    from reader.library.articles import Library
    from reader.ui.screens.vocabulary import VocabularyScreen
    from tests.conftest import SEED_LIPUTAN

    store = AnnotationStore(config.annotations_dir)
    article = Library(config).load(SEED_LIPUTAN)
    store.add(article, 0, 20, ["sanctions"])
    v = Vocabulary(config.vocabulary_path)
    app = Host(lambda: VocabularyScreen(v, store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+home", "r")
        await pilot.pause()
        app.screen.query_one("#tag-editor-name", Input).value = "embargoes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [a.tags for a in store.load(article).annotations] == [["embargoes"]]
        await pilot.press("down", "down", "x")
        await pilot.pause()
        assert tag_of(v.path, "treaties").retired
        said = list(app._notifications)[-1].message
        assert "treaties" in said and "retired" in said and "u undoes" in said
        await pilot.press("u")
        await pilot.pause()
        assert not tag_of(v.path, "treaties").retired
        await pilot.press("u")
        await pilot.pause()
        assert Vocabulary(v.path).get("embargoes") is None
        assert [a.tags for a in store.load(article).annotations] == [["sanctions"]]
        await pilot.press("u")  # nothing left to undo here: no change
        await pilot.pause()
        assert tag_of(v.path, "sanctions") is not None
