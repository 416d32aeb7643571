"""Tagging in the whole app with Pilot: select with the keyboard and the mouse, tag, restart and
see the highlights, edit, delete and undo, a broken annotation file, new tags, jumping between
highlights, the list's counts. A real library in tmp_path (the two seeds), no mocks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.text import sentence_at, sentences
from reader.ui.app import ReaderApp
from reader.ui.screens.note_dialog import NoteDialog
from reader.ui.screens.tag_picker import TagPicker
from reader.ui.widgets.article_view import ArticleView
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import screen_text, settle

SIZE = (180, 44)  # wide enough for the list to show its Notes column
FIELDS = {"id", "quote", "prefix", "suffix", "start", "end", "tags", "note", "created",
          "updated"}




def on_main(app: ReaderApp) -> bool:
    """No dialog is open."""
    return app.screen is app.main_screen


def yaml_path(config: Config, article_id: str = SEED_LIPUTAN) -> Path:
    return config.annotations_dir / f"{article_id}.yaml"


def read_yaml(config: Config, article_id: str = SEED_LIPUTAN) -> dict[str, Any]:
    data = yaml.safe_load(yaml_path(config, article_id).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def the_view(app: ReaderApp) -> ArticleView:
    screen = app.main_screen
    assert screen is not None
    view = screen.view
    assert isinstance(view, ArticleView)
    return view


async def open_article(pilot: Pilot[None], app: ReaderApp, article_id: str) -> ArticleView:
    await settle(pilot)
    screen = app.main_screen
    assert screen is not None
    screen.open_article(article_id)
    await settle(pilot)
    view = the_view(app)
    assert view.article is not None and view.article.id == article_id
    assert view.layout_ready
    view.focus()
    await pilot.pause()
    return view


def second_sentence(text: str) -> tuple[int, int]:
    """A sentence of some length that is not the first one."""
    spans = [s for s in sentences(text) if s[1] - s[0] > 40]
    return spans[1]


async def tag_sentence_with_keys(pilot: Pilot[None], view: ArticleView, offset: int,
                                 *keys: str) -> tuple[int, int]:
    """Put the cursor at ``offset``, ``s`` to select its sentence, ``t`` and ``keys``."""
    view.cursor = offset
    await pilot.press("s")
    await pilot.pause()
    selection = view.selection
    assert selection is not None
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TagPicker)
    await pilot.press(*keys)
    await settle(pilot)
    return selection


def mouse_at(view: ArticleView, offset: int) -> tuple[int, int]:
    """Widget-relative cell of the character at ``offset`` (must be on screen)."""
    layout = view._layout
    assert layout is not None
    row, col = layout.position(offset)
    y = row - int(view.scroll_y)
    assert 0 <= y < view.size.height
    return view._margin() + col, y


async def test_keyboard_sentence_tagged_and_saved_with_every_field(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        text = view.article.text
        start, end = second_sentence(text)
        selection = await tag_sentence_with_keys(pilot, view, start + 5, "1", "enter")
        assert selection == sentence_at(text, start + 5) == (start, end)
        assert app.screen is app.main_screen  # the picker closed
        assert view.selection is None
        hl = view.highlight_at(start)
        assert hl is not None and (hl.start, hl.end) == (start, end)
        sanctions = Vocabulary(config.vocabulary_path).get("sanctions")
        assert sanctions is not None and hl.colours == (sanctions.colour,)
    data = read_yaml(config)
    assert data["article"] == SEED_LIPUTAN
    assert data["version"] == 1
    assert isinstance(data["text_sha256"], str) and len(data["text_sha256"]) == 64
    [ann] = data["annotations"]
    assert FIELDS <= set(ann)
    assert ann["quote"] == text[start:end]
    assert (ann["start"], ann["end"]) == (start, end)
    assert text[:start].endswith(ann["prefix"]) and text[end:].startswith(ann["suffix"])
    assert ann["prefix"] and ann["suffix"]
    assert ann["tags"] == ["sanctions"]
    assert ann["note"] == ""
    assert ann["created"] == ann["updated"] and ann["created"].endswith("Z")


async def test_mouse_drag_selects_words_and_tags_them(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_KOMPAS)
        assert view.article is not None
        text = view.article.text
        start, end = sentences(text)[0]
        # from inside the second word to inside the fifth: the selection snaps to words
        words = [(i, i + len(w)) for i, w in _words(text, start, end)]
        a, b = words[1][0] + 1, words[4][1] - 2
        await pilot.mouse_down(view, offset=mouse_at(view, a))
        await pilot.hover(view, offset=mouse_at(view, b))
        await pilot.mouse_up(view, offset=mouse_at(view, b))
        await pilot.pause()
        assert view.selection == (words[1][0], words[4][1])
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("2", "3", "enter")
        await settle(pilot)
        assert view.highlight_at(words[2][0]) is not None
    [ann] = read_yaml(config, SEED_KOMPAS)["annotations"]
    assert ann["quote"] == text[words[1][0]:words[4][1]]
    assert ann["tags"] == ["military cooperation", "treaties"]


def _words(text: str, start: int, end: int) -> list[tuple[int, str]]:
    return [(m.start() + start, m.group()) for m in re.finditer(r"\w+", text[start:end])]


async def test_highlights_come_back_after_a_restart(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        first = await tag_sentence_with_keys(pilot, view, 0, "1", "enter")
        second = await tag_sentence_with_keys(pilot, view,
                                              second_sentence(view.article.text)[0], "3",
                                              "enter")
        await pilot.press("q")
    again = ReaderApp(config)
    async with again.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, again, SEED_LIPUTAN)
        for start, end in (first, second):
            hl = view.highlight_at(start)
            assert hl is not None and (hl.start, hl.end) == (start, end)
        screen = again.main_screen
        assert screen is not None
        await settle(pilot)
        # the article list shows the count and the tags of the annotated article
        ids = [m.id for m in screen.article_list.rows]
        lines = screen_text(again).splitlines()
        region = screen.article_list.region  # its first line is the header
        row = lines[region.y + 1 + ids.index(SEED_LIPUTAN)][region.x:region.right]
        other = lines[region.y + 1 + ids.index(SEED_KOMPAS)][region.x:region.right]
        assert re.search(r"\b2 ●● (sanct|treat)", row), row
        assert "●" not in other


async def test_e_edits_tags_and_note(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        start, end = await tag_sentence_with_keys(pilot, view, 0, "1", "enter")
        [before] = read_yaml(config)["annotations"]
        view.cursor = start + 3  # on the highlight, no selection
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TagPicker)
        assert picker.chosen() == ["sanctions"]
        await pilot.press("1", "2", "enter")  # sanctions off, military cooperation on
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"Putin in Pyongyang", "ctrl+s")
        await settle(pilot)
        assert on_main(app)
        said = list(app._notifications)[-1].message
        assert "tags: military cooperation" in said and "note: “Putin in Pyongyang”" in said
        [after] = read_yaml(config)["annotations"]
        assert after["id"] == before["id"] and after["created"] == before["created"]
        assert after["tags"] == ["military cooperation"]
        assert after["note"] == "Putin in Pyongyang"
        assert (after["start"], after["end"]) == (start, end)
        # Esc in the note dialog keeps the note and still saves the new tags
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
    [after] = read_yaml(config)["annotations"]
    assert after["tags"] == ["military cooperation", "treaties"]
    assert after["note"] == "Putin in Pyongyang"


async def test_n_adds_a_note_to_a_selection_and_edits_it(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        view.cursor = 0
        await pilot.press("s", "n")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"first visit", "ctrl+s")
        await settle(pilot)
        [ann] = read_yaml(config)["annotations"]
        assert (ann["tags"], ann["note"]) == (["treaties"], "first visit")
        view.cursor = 2
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert dialog.query_one(TextArea).text == "first visit"
        await pilot.press(*" since 2000", "ctrl+s")
        await settle(pilot)
        # a note without a tag
        assert view.article is not None
        view.cursor = second_sentence(view.article.text)[0]
        await pilot.press("s", "n")
        await pilot.pause()
        await pilot.press("enter")  # no tag ticked: on to the note
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"check this", "ctrl+s")
        await settle(pilot)
    first, second = read_yaml(config)["annotations"]
    assert first["note"] == "first visit since 2000"
    assert (second["tags"], second["note"]) == ([], "check this")


async def test_d_deletes_and_u_restores_exactly(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        start, _end = await tag_sentence_with_keys(pilot, view, 0, "1", "enter")
        await tag_sentence_with_keys(pilot, view,
                                     second_sentence(view.article.text)[0] if view.article
                                     else 0, "2", "enter")
        before = yaml_path(config).read_bytes()
        view.cursor = start + 1
        await pilot.press("d")
        await settle(pilot)
        assert view.highlight_at(start) is None
        assert len(read_yaml(config)["annotations"]) == 1
        await pilot.press("u")
        await settle(pilot)
        assert view.highlight_at(start) is not None
        assert yaml_path(config).read_bytes() == before  # same id, timestamps, order
        await pilot.press("u")  # undoes the second tagging
        await settle(pilot)
        [left] = read_yaml(config)["annotations"]
        assert left["start"] == start


async def test_broken_file_is_reported_left_unchanged_and_tagging_refused(
        config: Config) -> None:
    broken = yaml_path(config)
    content = b"article: 000_783d5be973c3013a\nannotations:\n  - id: a\n    quote: [unclosed\n"
    broken.write_bytes(content)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, app, SEED_LIPUTAN)
        messages = [n.message for n in app._notifications]
        assert any(re.search(rf"{re.escape(str(broken))}:\d+: ", m) for m in messages), messages
        await pilot.press("s", "t")
        await pilot.pause()
        assert app.screen is app.main_screen  # no picker: refused at once
        refused = [n.message for n in app._notifications][-1]
        assert "read-only" in refused and str(broken) in refused
        # the other article still works
        view = await open_article(pilot, app, SEED_KOMPAS)
        await tag_sentence_with_keys(pilot, view, 0, "1", "enter")
        assert yaml_path(config, SEED_KOMPAS).exists()
        assert broken.read_bytes() == content
        # once the user fixes the file, tagging works without a restart
        view = await open_article(pilot, app, SEED_LIPUTAN)
        broken.write_text(content.decode().replace("[unclosed", "Liputan6.com")
                          + "    start: 0\n    end: 12\n    tags: [treaties]\n",
                          encoding="utf-8")
        await tag_sentence_with_keys(pilot, view, 200, "1", "enter")
        assert view.highlight_at(0) is not None  # the fixed file's annotation is drawn
    assert [a["tags"] for a in read_yaml(config)["annotations"]] == [["treaties"],
                                                                      ["sanctions"]]


async def test_a_new_tag_typed_in_the_picker_lands_in_the_vocabulary(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        await tag_sentence_with_keys(pilot, view, 0, *"state visit", "enter", "enter")
    fresh = Vocabulary(config.vocabulary_path)
    tag = fresh.get("state visit")
    assert tag is not None
    [ann] = read_yaml(config)["annotations"]
    assert ann["tags"] == ["state visit"]
    assert tag.colour not in {t.colour for t in fresh.tags if t.name != "state visit"}


async def test_brackets_jump_between_highlights(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        spans = [s for s in sentences(view.article.text) if s[1] - s[0] > 40]
        a = await tag_sentence_with_keys(pilot, view, spans[1][0], "1", "enter")
        b = await tag_sentence_with_keys(pilot, view, spans[4][0], "2", "enter")
        view.cursor = 0
        await pilot.press("right_square_bracket")
        assert view.cursor == a[0]
        await pilot.press("right_square_bracket")
        assert view.cursor == b[0]
        await pilot.press("left_square_bracket")
        assert view.cursor == a[0]
        # on a highlight, e edits that one
        await pilot.press("e")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TagPicker)
        assert picker.chosen() == ["sanctions"]
        assert picker.query_one(Input).value == ""
        await pilot.press("escape")


async def test_footer_shows_only_the_tagging_keys_that_apply(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None

        def footer() -> str:
            return screen_text(app).splitlines()[-1]

        # nothing selected: the ways to select are shown, not t (which still says how)
        assert "s Sentence" in footer() and "t Tag" not in footer()
        assert "Undo" not in footer() and "Edit" not in footer() and "Note" not in footer()
        await pilot.press("t")  # nothing selected: a hint, no picker
        await pilot.pause()
        assert app.screen is app.main_screen
        assert "Select a passage first" in list(app._notifications)[-1].message
        view.cursor = 0
        await pilot.press("s")
        await pilot.pause()
        assert "t Tag" in footer() and "n Note" in footer()
        await pilot.press("t", "1", "enter")
        await pilot.pause()
        assert "with sanctions" in list(app._notifications)[-1].message
        await settle(pilot)
        assert "u Undo" in footer()
        assert "e Edit" in footer() and "d Delete" in footer()  # the cursor is on it
        view.cursor = second_sentence(view.article.text)[0]
        await pilot.pause()
        assert "e Edit" not in footer() and "d Delete" not in footer()


async def test_renaming_a_tag_from_the_palette_updates_highlights_list_and_search(
        config: Config) -> None:
    from reader.ui.screens.vocabulary import VocabularyScreen

    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        start, _ = await tag_sentence_with_keys(pilot, view, 0, "1", "enter")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Manage tags")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VocabularyScreen)
        await pilot.press("ctrl+home", "r")  # sanctions is the first row
        await pilot.pause()
        app.screen.query_one("#tag-editor-name", Input).value = "embargoes"
        app.screen.query_one("#tag-editor-colour", Input).value = "#123456"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert on_main(app)
        hl = view.highlight_at(start)
        assert hl is not None and hl.colours == ("#123456",)
        screen = app.main_screen
        assert screen is not None
        region = screen.article_list.region
        ids = [m.id for m in screen.article_list.rows]
        row = screen_text(app).splitlines()[region.y + 1 + ids.index(SEED_LIPUTAN)]
        assert "1 ● embargoes" in row[region.x:region.right]
        assert [r.id for r in app.index.search("tag:embargoes")] == [SEED_LIPUTAN]
    [ann] = read_yaml(config)["annotations"]
    assert ann["tags"] == ["embargoes"]


async def test_vocabulary_broken_or_edited_by_hand_while_running(config: Config) -> None:
    path = config.vocabulary_path
    path.write_text("version: 1\ntags:\n  - name: sanctions\n    colour: red\n",
                    encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        said = [n.message for n in app._notifications]
        assert any(f"{path}:" in m and "default tags" in m for m in said), said
        await tag_sentence_with_keys(pilot, view, 0, "1", "enter")  # the defaults work
        assert path.read_text(encoding="utf-8").endswith("colour: red\n")  # untouched
        # fixed by hand, with a new tag: the next picker has it
        path.write_text("version: 1\ntags:\n  - name: energy\n    colour: '#00ff00'\n"
                        "    key: '1'\n", encoding="utf-8")
        await tag_sentence_with_keys(pilot, view, second_sentence(view.article.text)[0]
                                     if view.article else 0, "1", "enter")
        hl = view.highlight_at(0)
        assert hl is not None and hl.colours == ("#888888",)  # sanctions: no longer known
    anns = read_yaml(config)["annotations"]
    assert [a["tags"] for a in anns] == [["sanctions"], ["energy"]]


async def test_an_edited_article_reanchors_its_highlights(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        kept = await tag_sentence_with_keys(pilot, view, second_sentence(view.article.text)[0],
                                            "1", "enter")
        gone = await tag_sentence_with_keys(pilot, view, 0, "2", "enter")
        quote = view.article.text[kept[0]:kept[1]]
        removed = view.article.text[gone[0]:gone[1]]
        source = config.articles_dir / view.article.meta.path
    text = source.read_text(encoding="utf-8")
    source.write_text("A new first paragraph, added later.\n\n" + text.replace(removed, ""),
                      encoding="utf-8")
    again = ReaderApp(config)
    async with again.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, again, SEED_LIPUTAN)
        assert view.article is not None
        start = view.article.text.index(quote)
        hl = view.highlight_at(start)
        assert hl is not None and (hl.start, hl.end) == (start, start + len(quote))
        said = [n.message for n in again._notifications]
        assert any("could not be placed" in m and "orphaned" in m for m in said), said
    anns = read_yaml(config)["annotations"]
    assert len(anns) == 2  # nothing dropped


async def test_visual_mode_words_then_tag(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_KOMPAS)
        assert view.article is not None
        text = view.article.text
        start, end = second_sentence(text)
        words = _words(text, start, end)
        view.cursor = words[0][0]
        await pilot.press("v", "w", "w")
        await pilot.pause()
        assert view.selection == (words[0][0], words[2][0] + len(words[2][1]))
        await pilot.press("t", "3", "enter")
        await settle(pilot)
        assert on_main(app) and view.selection is None
    [ann] = read_yaml(config, SEED_KOMPAS)["annotations"]
    assert ann["quote"] == " ".join(w for _, w in words[:3]) or ann["quote"] == text[
        words[0][0]:words[2][0] + len(words[2][1])]
    assert ann["tags"] == ["treaties"]


async def test_an_article_removed_while_open_is_not_tagged(config: Config) -> None:
    app = ReaderApp(config)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        start, _ = second_sentence(view.article.text)
        (config.articles_dir / f"{SEED_LIPUTAN}.txt").unlink()
        original = app.notify

        def record(message: str, **kwargs: Any) -> None:
            said.append(message)
            original(message, **kwargs)

        app.notify = record  # type: ignore[method-assign]
        await tag_sentence_with_keys(pilot, view, start + 5, "1", "enter")
        await settle(pilot)
    assert any("removed" in m and "not tagged" in m for m in said), said
    assert not (config.annotations_dir / f"{SEED_LIPUTAN}.yaml").exists()
