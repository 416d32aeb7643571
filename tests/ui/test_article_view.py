"""ArticleView under Pilot: rendering, styles, keys, selection (keys and mouse), highlights,
search hits, a 20 MB article, and keys it must leave to the screen."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import Binding

from reader.config import Config
from reader.library import text as textmod
from reader.library.articles import Library
from reader.models import Article, ArticleMeta, Block
from reader.ui.widgets.article_view import ArticleView, Highlight
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

SMALL = (80, 24)
LARGE = (200, 60)


class Host(App[None]):
    BINDINGS = [Binding("n", "note", "Note"), Binding("escape", "back", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.notes = 0
        self.backs = 0
        self.selections: list[tuple[int, int] | None] = []
        self.scrolled: list[tuple[str, float]] = []

    def compose(self) -> ComposeResult:
        yield ArticleView(id="view")

    def action_note(self) -> None:
        self.notes += 1

    async def action_back(self) -> None:
        self.backs += 1

    def on_article_view_selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        self.selections.append(message.selection)

    def on_article_view_scrolled(self, message: ArticleView.Scrolled) -> None:
        self.scrolled.append((message.article_id, message.scroll_y))


def view_of(app: App[Any]) -> ArticleView:
    return app.query_one(ArticleView)


def screen_rows(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def segment_with(view: ArticleView, needle: str) -> Segment:
    for y in range(view.scrollable_content_region.height):
        for seg in view.render_line(y):
            if needle in seg.text:
                return seg
    raise AssertionError(f"{needle!r} not on screen")


def segment_at(view: ArticleView, offset: int) -> Segment:
    """The segment drawing the character at ``offset`` (which must be on screen)."""
    layout = view._layout
    assert layout is not None
    row, col = layout.position(offset)
    x = 0
    for seg in view.render_line(row - int(view.scroll_y)):
        if x <= view._margin() + col < x + seg.cell_length:
            return seg
        x += seg.cell_length
    raise AssertionError("offset not drawn")


def screen_xy(view: ArticleView, offset: int) -> tuple[int, int]:
    layout = view._layout
    assert layout is not None
    row, col = layout.position(offset)
    return view._margin() + col, row - int(view.scroll_y)


def make_article(text: str, blocks: list[Block] | None = None, title: str = "T") -> Article:
    meta = ArticleMeta(id="made", path="made.txt", title=title, source="Src", date="2024-06-19",
                       language="en", words=len(text.split()))
    return Article(meta, text, tuple(blocks if blocks is not None else textmod.blocks(text)))


async def open_seed(pilot: Any, config: Config, article_id: str = SEED_LIPUTAN) -> ArticleView:
    view = view_of(pilot.app)
    view.show(Library(config).load(article_id))
    view.focus()
    await pilot.pause()
    return view


async def test_renders_the_seed_text_with_header(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        article = view.article
        assert article is not None
        rows = screen_rows(view)
        shown = " ".join(" ".join(rows).split())
        assert "words" in rows[1] or "words" in rows[2]  # the metadata line
        assert "Putin tiba di Pyongyang pada Rabu (19/6/2024)" in shown
        assert all(len(r) == view.size.width for r in rows)
        # centred text column at most 80 wide, with a margin
        assert rows[0].startswith(" ") and not rows[0].startswith("  ")


async def test_wide_terminal_centres_an_80_column_measure(config: Config) -> None:
    app = Host()
    async with app.run_test(size=LARGE) as pilot:
        view = await open_seed(pilot, config, SEED_KOMPAS)
        layout = view._layout
        assert layout is not None and layout.measure == 80
        margin = view._margin()
        assert margin > 50
        for row in screen_rows(view):
            assert not row[:margin].strip() and len(row[margin:].rstrip()) <= 80


async def test_headings_bold_and_boilerplate_dimmed() -> None:
    text = "Leader meets leader\n\nThe visit began on Wednesday.\n\nJarang Terjadi\n\n" \
           "Body text of the article.\n\nAdvertisement\n\nMore body."
    kinds = ["title", "paragraph", "heading", "paragraph", "boilerplate", "paragraph"]
    blocks = []
    for kind, part in zip(kinds, text.split("\n\n"), strict=True):
        start = text.index(part)
        blocks.append(Block(kind, start, start + len(part)))  # type: ignore[arg-type]
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = view_of(app)
        view.show(make_article(text, blocks, title="Leader meets leader"))
        await pilot.pause()
        body = segment_with(view, "Body text")
        heading = segment_with(view, "Jarang Terjadi")
        boiler = segment_with(view, "Advertisement")
        title = segment_with(view, "eader meets leader")  # "L": the cursor
        assert heading.style is not None and heading.style.bold
        assert title.style is not None and title.style.bold
        assert body.style is not None and not body.style.bold
        assert boiler.style is not None and boiler.style.italic
        assert boiler.style.color != body.style.color
        assert heading.style.color != body.style.color
        # the title is shown once, followed by the metadata
        rows = screen_rows(view)
        assert sum("Leader meets leader" in r for r in rows) == 1
        assert "Src · 2024-06-19 · English" in rows[1]


async def test_keyboard_scrolling_keeps_the_cursor_on_screen(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        await pilot.press("j", "j")
        assert view.scroll_y == 2
        await pilot.press("k")
        assert view.scroll_y == 1
        await pilot.press("space")
        assert view.scroll_y == 1 + 22
        top_row = view._layout.row_of(view.cursor)  # type: ignore[union-attr]
        assert view.scroll_y <= top_row < view.scroll_y + 24
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("b")
        assert view.scroll_y == view.max_scroll_y - 22
        await pilot.press("g")
        assert view.scroll_y == 0
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home", "down", "pagedown", "pageup", "up")
        assert view.scroll_y == 0
        await pilot.pause()
        assert app.scrolled and app.scrolled[-1] == (SEED_LIPUTAN, 0)


async def test_s_selects_the_sentence_and_p_the_paragraph(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        text = view.article.text  # type: ignore[union-attr]
        offset = text.index("Putin tiba di Pyongyang") + 6
        view.cursor = offset
        await pilot.press("s")
        assert view.selection == textmod.sentence_at(text, offset)
        assert text[slice(*view.selection)].startswith("Putin tiba di Pyongyang")
        assert app.selections[-1] == view.selection
        await pilot.press("escape")
        assert view.selection is None and app.backs == 0
        await pilot.press("escape")  # nothing to clear: the screen gets it
        assert app.backs == 1
        await pilot.press("p")
        block = next(b for b in view.article.blocks
                     if b.start <= offset < b.end)
        assert view.selection == (block.start, block.end)


async def test_visual_mode_extends_by_word_and_by_character(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        text = view.article.text  # type: ignore[union-attr]
        start = text.index("Vladimir Putin") + 3  # inside "Vladimir"
        view.cursor = start
        await pilot.press("v")
        assert view.visual and view.selection == (start - 3, start + 5)  # snapped: Vladimir
        await pilot.press("w")
        assert text[slice(*view.selection)] == "Vladimir Putin"
        await pilot.press("l", "l")
        sel = view.selection
        assert sel is not None and text[sel[0]:sel[1]] == "Vladimir Putin d"  # by char
        await pilot.press("b")  # word back, in visual mode
        assert text[slice(*view.selection)] == "Vladimir Putin"
        await pilot.press("right_parenthesis")
        sel = view.selection
        assert sel is not None and text[sel[1] - 1] == "."
        await pilot.press("escape")
        assert view.selection is None and not view.visual


async def test_mouse_drag_selects_whole_words_and_click_moves_cursor(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        text = view.article.text  # type: ignore[union-attr]
        a = text.index("Presiden Rusia") + 2
        b = text.index("Vladimir Putin") + 10  # inside "Putin"
        await pilot.mouse_down(view, offset=screen_xy(view, a))
        await pilot.hover(view, offset=screen_xy(view, b))
        await pilot.mouse_up(view, offset=screen_xy(view, b))
        await pilot.pause()
        assert view.selection is not None
        assert text[slice(*view.selection)] == "Presiden Rusia Vladimir Putin"
        c = text.index("pemimpin")
        await pilot.click(view, offset=screen_xy(view, c))
        await pilot.pause()
        assert view.cursor == c and view.selection is None


async def test_hits_navigation_and_n_with_a_selection_goes_to_the_screen(
        config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        text = view.article.text  # type: ignore[union-attr]
        spans = []
        pos = text.find("Putin")
        while pos >= 0:
            spans.append((pos, pos + 5))
            pos = text.find("Putin", pos + 1)
        view.set_hits(spans)
        last = spans[-1][0]
        assert view.render_line(0)  # drawing with hits works
        await pilot.press("n")
        assert view.cursor == spans[1][0] or view.cursor == spans[0][0]
        first = view.cursor
        await pilot.press("n")
        assert view.cursor > first
        await pilot.press("N", "N")
        assert view.cursor < first or view.cursor == last  # wraps around
        view.scroll_to_offset(spans[-1][0])
        assert segment_at(view, spans[-1][0]).style != segment_at(view, spans[-1][0] - 2).style
        assert app.notes == 0
        await pilot.press("s")
        assert view.selection is not None
        before = view.cursor
        await pilot.press("n")
        assert app.notes == 1 and view.cursor == before
        assert view.check_action("next_hit", ()) is False


async def test_highlights_are_drawn_found_and_navigated(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        text = view.article.text  # type: ignore[union-attr]
        a = text.index("Putin tiba")
        b = text.index("Sebelum Putin")
        view.set_highlights([Highlight("h1", a, a + 30, ("#e06c75",)),
                             Highlight("h2", a + 10, a + 50, ("#61afef", "#98c379")),
                             Highlight("h3", b, b + 20, ("#98c379",))])
        await pilot.pause()
        plain = segment_at(view, a - 3).style
        one = segment_at(view, a + 2).style
        both = segment_at(view, a + 20).style
        multi = segment_at(view, a + 40).style
        assert plain is not None and one is not None and both is not None and multi is not None
        assert one.bgcolor != plain.bgcolor
        assert both.bgcolor not in (plain.bgcolor, one.bgcolor) and both.underline
        assert multi.underline and not one.underline
        row_text = view.render_line(screen_xy(view, a + 40)[1]).text
        assert "▌" in row_text  # gutter mark
        hl = view.highlight_at(a + 20)
        assert hl is not None and hl.id == "h2"
        assert view.highlight_at(a + 5).id == "h1"  # type: ignore[union-attr]
        assert view.highlight_at(a - 1) is None
        view.cursor = 0
        await pilot.press("right_square_bracket")
        assert view.cursor == a
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert view.cursor == b
        await pilot.press("left_square_bracket")
        assert view.cursor == a + 10


async def test_scroll_to_offset_and_emphasise(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config, SEED_KOMPAS)
        text = view.article.text  # type: ignore[union-attr]
        target = len(text) - 40
        view.scroll_to_offset(target)
        await pilot.pause()
        row, _ = view._layout.position(target)  # type: ignore[union-attr]
        assert view.scroll_y <= row < view.scroll_y + view.scrollable_content_region.height
        before = segment_at(view, target).style
        view.emphasise(target, target + 10, seconds=0.2)
        assert segment_at(view, target).style != before
        await pilot.pause(0.4)
        assert segment_at(view, target).style == before


async def test_resize_keeps_the_top_offset(config: Config) -> None:
    app = Host()
    async with app.run_test(size=LARGE) as pilot:
        view = await open_seed(pilot, config)
        await pilot.press("j", "j", "j", "j", "j")
        layout = view._layout
        assert layout is not None
        top = layout.starts[int(view.scroll_y)]
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert view._layout is not layout and view._layout is not None
        row = int(view.scroll_y)
        assert view._layout.starts[row] <= top < view._layout.ends[row]


async def test_message_replaces_the_article() -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = view_of(app)
        view.show(make_article("Some words here."))
        await pilot.pause()
        view.show_message("Choose an article on the left.")
        await pilot.pause()
        assert view.article is None
        assert "Choose an article on the left." in "\n".join(screen_rows(view))
        await pilot.press("s", "v", "j")  # nothing to select: no crash
        assert view.selection is None


async def test_20_mb_article_lays_out_in_a_worker() -> None:
    para = ("Sanksi baru terhadap Korea Utara dibahas oleh para menteri luar negeri. " * 12
            ).strip()
    count = 20_000_000 // (len(para) + 2)
    text = "\n\n".join(f"{i} {para}" for i in range(count))
    blocks = []
    pos = 0
    for line in text.split("\n\n"):
        blocks.append(Block("paragraph", pos, pos + len(line)))
        pos += len(line) + 2
    article = make_article(text, blocks)
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = view_of(app)
        view.focus()
        view.show(article)
        assert not view.layout_ready  # the layout runs in a thread worker
        assert "Loading…" in "\n".join(screen_rows(view))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.layout_ready
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 100_000
        assert f"{count - 1} Sanksi" in " ".join(" ".join(screen_rows(view)).split()) or \
            "menteri luar negeri." in "\n".join(screen_rows(view))
        await pilot.press("s")
        assert view.selection is not None


async def test_light_theme_redraws_with_its_own_colours(config: Config) -> None:
    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        view = await open_seed(pilot, config)
        text = view.article.text  # type: ignore[union-attr]
        a = text.index("Putin tiba")
        view.set_highlights([Highlight("h1", a, a + 10, ("#e06c75",))])
        dark_body = segment_at(view, a - 3).style
        dark_mark = segment_at(view, a + 2).style
        app.theme = "textual-light"
        await pilot.pause()
        light_body = segment_at(view, a - 3).style
        light_mark = segment_at(view, a + 2).style
        assert light_body is not None and dark_body is not None and light_mark is not None
        assert light_body.bgcolor != dark_body.bgcolor
        assert light_mark.bgcolor not in (light_body.bgcolor, dark_mark.bgcolor)  # type: ignore[union-attr]
        boiler = segment_with(view, "Advertisement").style
        assert boiler is not None and boiler.color != light_body.color
