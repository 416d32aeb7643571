"""The reading view as a reader meets it, with Pilot on a real library: a Markdown article
drawn as text while selections, highlights and saved quotes stay the file's own text; the
keys that used to surprise (``[`` inside a highlight, ``e``/``d`` with nothing to act on,
``)`` then ``v``)."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual import events
from textual.pilot import Pilot

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.library.text import sentences
from reader.ui.app import ReaderApp
from reader.ui.screens.tag_picker import TagPicker
from reader.ui.widgets.article_view import ArticleView
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import screen_text, settle, wait_until

SIZE = (120, 35)
MARKDOWN = """\
---
title: Artikel Markdown
source: Tempo.co
---
# Judul Besar

Paragraf ini punya kata **tebal** di tengahnya. Kalimat kedua ada [tautan](https://tempo.co/a).

## Sanksi Barat

- butir satu
- butir dua
"""


async def open_article(pilot: Pilot[None], article_id: str) -> ArticleView:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await settle(pilot)
    screen = app.main_screen
    assert screen is not None
    screen.open_article(article_id)
    await settle(pilot)
    view = screen.view
    assert isinstance(view, ArticleView) and view.layout_ready
    view.focus()
    await pilot.pause()
    return view


def focus_of(app: ReaderApp) -> object:
    """The focused widget, typed so that asserting it twice in a row type-checks."""
    return app.focused


def row_showing(view: ArticleView, words: str) -> int:
    for y in range(view.size.height):
        line = "".join(seg.text for seg in view.render_line(y))
        if words in line:
            return y
    raise AssertionError(f"{words!r} is not on screen")


def style_of(view: ArticleView, y: int, words: str) -> Style:
    segments = list(view.render_line(y))
    for seg in segments:
        if words in seg.text:
            assert seg.style is not None
            return seg.style
    raise AssertionError(f"no segment holds {words!r}: {[s.text for s in segments]}")


async def test_markdown_is_drawn_as_text_and_quotes_its_source(config: Config) -> None:
    (config.articles_dir / "uji.md").write_text(MARKDOWN, encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, "uji")
        shown = screen_text(app)
        assert "Artikel Markdown" in shown and "Judul Besar" in shown
        assert "# Judul" not in shown and "**" not in shown and "](https" not in shown
        assert "• butir satu" in shown and "tautan (tempo.co)" in shown
        text = view.article.text  # type: ignore[union-attr]
        bold = text.index("tebal")
        view.cursor = bold
        await pilot.press("v")  # visual mode on the word: the whole bold word, marks too
        assert view.selection is not None
        assert text[slice(*view.selection)] == "**tebal**"
        await pilot.press("escape")
        await pilot.press("s")  # the sentence around it
        assert view.selection is not None
        start, end = view.selection
        assert text[start:end] == "Paragraf ini punya kata **tebal** di tengahnya."
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        saved = AnnotationStore(config.annotations_dir).load(
            Library(config).load("uji")).annotations
        assert [(a.start, a.end, a.quote) for a in saved] == [(start, end, text[start:end])]
        # the highlight is drawn over the bold word as over the words around it
        y = row_showing(view, "tengahnya")
        tinted = style_of(view, y, "tebal").bgcolor
        assert tinted is not None and tinted == style_of(view, y, "di tengahnya").bgcolor
        assert style_of(view, y, "tebal").bold
        plain = style_of(view, row_showing(view, "butir satu"), "butir satu").bgcolor
        assert plain != tinted
        # the cursor never rests on hidden mark-up: h from the bold word's first letter
        view.cursor = bold
        await pilot.press("h")
        assert text[view.cursor] == " " and view.cursor == bold - 3
        view.cursor = text.index("tautan")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert any("https://tempo.co/a" in n.message for n in app._notifications)


QUOTED = """\
---
title: Kutipan
---
> "Kami tidak akan membiarkan armada bayangan lewat," kata ketua komisi,
> menambahkan bahwa daftar itu **terbuka**. Kalimat kedua.

- butir yang panjang
  berlanjut di baris kedua. Lalu kalimat lain.
"""


async def test_a_sentence_runs_on_over_a_quote_or_list_item_line(config: Config) -> None:
    """s and ) read Markdown as drawn: a quote's ``> `` or a list item's indent on the next
    line does not end the sentence (it ended at ``komisi,``)."""
    (config.articles_dir / "kutip.md").write_text(QUOTED, encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, "kutip")
        text = view.article.text  # type: ignore[union-attr]
        view.cursor = text.index("armada")
        await pilot.press("s")
        assert view.selection is not None
        quoted = text[slice(*view.selection)]
        assert quoted.startswith('"Kami') and quoted.endswith("**terbuka**."), quoted
        await pilot.press("escape")
        view.cursor = text.index("butir")
        await pilot.press("s")
        assert view.selection is not None
        assert text[slice(*view.selection)].endswith("baris kedua.")
        await pilot.press("escape", "right_parenthesis")
        assert text.startswith("Lalu", view.cursor)


async def test_bracket_from_inside_a_highlight_goes_to_the_previous_one(
        config: Config) -> None:
    library, store = Library(config), AnnotationStore(config.annotations_dir)
    article = library.load(SEED_LIPUTAN)
    spans = sentences(article.text)[:3]
    for s, e in (spans[0], spans[2]):
        store.add(article, s, e, ["treaties"])
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, SEED_LIPUTAN)
        third = spans[2]
        view.cursor = (third[0] + third[1]) // 2  # inside the second highlight
        await pilot.press("left_square_bracket")
        assert view.cursor == spans[0][0]  # the one before, not its own start
        await pilot.press("right_square_bracket")
        assert view.cursor == third[0]


async def test_e_d_n_and_t_with_nothing_to_act_on_say_what_to_do(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, SEED_LIPUTAN)
        assert view.highlight_at(view.cursor) is None and view.selection is None
        for key, said in (("e", "highlight to edit it"), ("d", "highlight to delete it"),
                          ("n", "select a passage first"), ("t", "Select a passage first")):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any(said in m for m in messages), (key, messages)
            assert app.screen is app.main_screen  # nothing opened, nothing changed


async def test_close_paren_then_v_starts_on_the_next_sentence(config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, SEED_LIPUTAN)
        text = view.article.text  # type: ignore[union-attr]
        first, second = sentences(text)[:2]
        view.cursor = first[0]
        await pilot.press("right_parenthesis")
        assert view.cursor == second[0]
        await pilot.press("v", "right_parenthesis")  # visual: extends to the sentence's end
        assert view.selection is not None
        assert text[slice(*view.selection)] == text[second[0]:second[1]]


@pytest.mark.parametrize("typed", ["/sanksi korea", "sanksi korea"])
async def test_a_query_typed_fast_reaches_the_search_box_whole(config: Config,
                                                               typed: str) -> None:
    """Keys that arrive together (a fast typist, a paste into the terminal) after ``/``, or
    typed straight into the list: every one lands in the box, in order; none is taken as a
    list key (the o of a word sorted the list)."""
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        screen.article_list.focus()
        await pilot.pause()
        sort = screen.article_list.sort_key
        for char in typed:  # queued at once, none handled before the next arrives
            app.post_message(events.Key("slash" if char == "/" else
                                        "space" if char == " " else char, char))
        await settle(pilot)
        assert screen.search.bar.value == typed.lstrip("/")
        assert screen.article_list.sort_key == sort
        assert app.focused is screen.search.bar


async def test_down_in_the_search_box_goes_to_the_results_up_recalls_queries(
        config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        bar, results = screen.search_bar, screen.search_results
        bar.remember("kim jong")
        await pilot.press("slash", *"putin")
        await wait_until(pilot, lambda: bool(results.results), 30)
        assert "↓ Results" in screen_text(app).splitlines()[-1]  # the footer says so
        await pilot.press("down")
        assert app.focused is results
        await pilot.press("up")  # on the first result: back to the box
        assert focus_of(app) is bar
        await pilot.press("up")
        assert bar.value == "kim jong"
        assert "↓ Later" in screen_text(app).splitlines()[-1]
        await pilot.press("down")
        assert bar.value == "putin" and focus_of(app) is bar
        await pilot.press("down")
        assert focus_of(app) is results


async def test_results_found_by_fields_do_not_say_0_hits(config: Config) -> None:
    """A result found by its fields (source:, title:, tag:...) has no hit in the text: it
    shows no count rather than "0 hits"."""
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        await pilot.press("slash", *"source:kompas")
        await wait_until(pilot, lambda: bool(screen.search_results.results), 30)
        found = screen.search_results.results
        assert [r.id for r in found] == [SEED_KOMPAS] and found[0].hits == 0
        shown = screen_text(app)
        assert "KOMPAS.TV · 2024-06-19" in shown and "0 hits" not in shown
