"""Drawing one row of the :class:`~reader.ui.widgets.article_page.ArticlePage`: block styles,
highlight tints (several tags: underline and a gutter mark in the second colour; overlaps:
both tints blended), search hits, emphasis, selection and the reading cursor, composed over
the theme's colours so light and dark themes both read well."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, Protocol

from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.css.styles import RenderStyles
from textual.geometry import Size
from textual.strip import Strip

from reader.library import markdown as md
from reader.library.markdown import Rendition
from reader.models import Article, Block
from reader.ui.layout import Layout, RowKind, display_text
from reader.ui.widgets.marks import Marks


class Page(Protocol):
    """What drawing needs from the page (the ArticlePage)."""

    _layout: Layout | None
    _blocks: Sequence[Block]
    _blocks_starts: list[int]
    _style_cache: dict[tuple[Any, ...], Style]
    _paint_cache: dict[str, tuple[Color | None, Color | None, Style]]

    @property
    def article(self) -> Article | None: ...
    @property
    def marks(self) -> Marks: ...
    @property
    def cursor(self) -> int: ...
    @property
    def selection(self) -> tuple[int, int] | None: ...
    @property
    def app(self) -> App[Any]: ...
    @property
    def rich_style(self) -> Style: ...
    @property
    def size(self) -> Size: ...
    @property
    def has_focus(self) -> bool: ...
    def get_component_styles(self, *names: str) -> RenderStyles: ...
    def _margin(self) -> int: ...
    def _message_rows(self) -> list[str]: ...




# (block component, highlight colours, several tags/overlap, hit level, emphasis, selected,
#  cursor, Markdown style bits)
StyleKey = tuple[str | None, tuple[str, ...], bool, int, bool, bool, bool, int]
_LABELS = {RowKind.TITLE: "article-view--title", RowKind.META: "article-view--meta",
           RowKind.WARNING: "article-view--warning"}
_KINDS = {"title": "article-view--heading", "heading": "article-view--heading",
          "boilerplate": "article-view--boilerplate", "dateline": "article-view--dateline"}
# Markdown style bits: the component drawn over the block's, then rich attributes
_MD_LAYERS = ((md.QUOTE, "article-view--quote"), (md.H1, "article-view--title"),
              (md.H2 | md.H3, "article-view--heading"), (md.CODE, "article-view--code"),
              (md.LINK, "article-view--link"), (md.URL | md.HTML | md.IMAGE | md.RULE,
                                                 "article-view--url"),
              (md.MARK, "article-view--mark"))
_MD_ATTRS = ((md.STRONG, Style(bold=True)), (md.EM, Style(italic=True)),
             (md.STRIKE, Style(strike=True)), (md.IMAGE, Style(italic=True)))


def _md_bits(view: Page, bits: int, bg: Color, fg: Color, text_style: Style
             ) -> tuple[Color, Color, Style]:
    for mask, name in _MD_LAYERS:
        if bits & mask:
            b, f, t = _paint(view, name)
            bg, fg, text_style = bg + b, f or fg, text_style + t
    for mask, attrs in _MD_ATTRS:
        if bits & mask:
            text_style += attrs
    return bg, fg, text_style
_HITS = {1: "article-view--hit", 2: "article-view--hit-current"}


def _paint(view: Page, name: str) -> tuple[Color | None, Color | None, Style]:
    cached = view._paint_cache.get(name)
    if cached is None:
        comp = view.get_component_styles(name)
        bg = comp.background if comp.has_rule("background") else None
        fg = comp.color if comp.has_rule("color") else None
        cached = (bg, fg, comp.text_style)
        view._paint_cache[name] = cached
    return cached


def compose(view: Page, key: StyleKey) -> Style:
    """The rich style for a run: block kind, highlight colours, hit level, emphasis,
    selection, cursor; cached per key."""
    style = view._style_cache.get(key)
    if style is not None:
        return style
    kind, colours, marked, hit, emphasis, selected, cursor, bits = key
    base = view.rich_style
    bg = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
    fg = Color.from_rich_color(base.color) if base.color else bg.get_contrast_text()
    text_style = Style()
    layers = [kind] if kind else []
    for name in layers:
        b, f, t = _paint(view, name)
        bg, fg, text_style = bg + b, f or fg, text_style + t
    if bits:
        bg, fg, text_style = _md_bits(view, bits, bg, fg, text_style)
    alpha = 0.38 if view.app.current_theme.dark else 0.5
    for colour in colours:  # overlapping highlights: each tint blended over the last
        bg = bg + Color.parse(colour).with_alpha(alpha)
        alpha = 0.3
    if marked:
        text_style += Style(underline=True)
    names = [_HITS[hit]] if hit else []
    names += ["article-view--emphasis"] if emphasis else []
    names += ["article-view--selection"] if selected else []
    for name in names:
        b, f, t = _paint(view, name)
        bg, fg, text_style = bg + b, f or fg, text_style + t
    if cursor:
        b, f, t = _paint(view, "article-view--cursor")
        if view.has_focus:
            bg, fg = bg + b, f or fg
        text_style += t
    if fg.a < 1:
        fg = bg + fg
    style = Style(color=fg.rich_color, bgcolor=bg.rich_color) + text_style
    view._style_cache[key] = style
    return style


def render_row(view: Page, row: int) -> Strip:
    width = view.size.width
    base = view.rich_style
    layout = view._layout
    margin = view._margin()
    pad = Segment(" " * margin, base)
    if layout is None:
        rows = view._message_rows()
        if row >= len(rows):
            return Strip.blank(width, base)
        style = compose(view, ("article-view--message", (), False, 0, False, False, False, 0))
        return Strip([pad, Segment(rows[row], style)]).crop_extend(0, width, base)
    if row >= len(layout) or layout.kinds[row] == RowKind.BLANK:
        return Strip.blank(width, base)
    kind = layout.kinds[row]
    if kind != RowKind.TEXT:
        style = compose(view, (_LABELS[RowKind(kind)], (), False, 0, False, False, False, 0))
        return Strip([pad, Segment(layout.labels.get(row, ""), style)]).crop_extend(
            0, width, base)
    return _text_row(view, row, pad, width, base)


def _text_row(view: Page, row: int, pad: Segment, width: int, base: Style) -> Strip:
    layout = view._layout
    article = view.article
    assert layout is not None and article is not None
    text = article.text
    r = layout.rendition
    s = layout.starts[row]
    visible = layout.visible_end(row)
    cursor = view.cursor
    cursor_here = layout.row_of(cursor) == row
    points = {s, visible}
    blocks = view._blocks
    bi = max(0, bisect_right(view._blocks_starts, s) - 1)
    row_blocks = []
    while bi < len(blocks) and blocks[bi].start < visible:
        if blocks[bi].end > s:
            row_blocks.append(blocks[bi])
            points.update((blocks[bi].start, blocks[bi].end))
        bi += 1
    title = layout.title_span
    if title is not None:
        points.update(title)
    if r is not None:
        points.update(_markdown_cuts(r, s, visible))
    hls = [view.marks.highlights[i] for i in view.marks.hl_spans.touching(s, visible)]
    for h in hls:
        points.update((h.start, h.end))
    hit_idx = view.marks.hits.touching(s, visible)
    for i in hit_idx:
        points.update(view.marks.hits.spans[i])
    extra = [sp for sp in (view.selection, view.marks.emphasis) if sp is not None]
    for sp in extra:
        points.update(sp)
    if cursor_here:
        points.update((cursor, cursor + 1))
    cuts = sorted(p for p in points if s <= p <= visible)
    emphasis = view.marks.emphasis
    segments = [pad]
    gutter_colour: str | None = None
    for x, y in zip(cuts, cuts[1:], strict=False):
        kind = None
        if title is not None and title[0] <= x < title[1]:
            kind = "article-view--title"
        else:
            for b in row_blocks:
                if b.start <= x < b.end:
                    kind = _KINDS.get(b.kind)
                    break
        covering = [h for h in hls if h.start <= x < h.end]
        colours = tuple(dict.fromkeys(h.colours[0] for h in covering if h.colours))
        marked = len(covering) > 1 or any(len(h.colours) > 1 for h in covering)
        for h in covering:
            if h.colours and gutter_colour is None:
                gutter_colour = h.colours[1] if len(h.colours) > 1 else h.colours[0]
        hit = 0
        for i in hit_idx:
            hs, he = view.marks.hits.spans[i]
            if hs <= x < he:
                hit = 2 if i == view.marks.current_hit else max(hit, 1)
        shown = text[x:y] if r is None else r.plain(x, y)
        if not shown:
            continue
        key: StyleKey = (
            kind, colours, marked, hit,
            emphasis is not None and emphasis[0] <= x < emphasis[1],
            view.selection is not None and view.selection[0] <= x < view.selection[1],
            cursor_here and x == cursor, r.styles[x] if r is not None else 0,
        )
        segments.append(Segment(display_text(shown), compose(view, key)))
    if cursor_here and cursor >= visible:
        segments.append(Segment(" ", compose(view, (None, (), False, 0, False, False, True, 0))))
    prefix = layout.prefixes.get(row)
    if prefix:
        style = compose(view, (None, (), False, 0, False, False, False, md.MARK | md.QUOTE))
        segments.insert(1, Segment(display_text(prefix), style))
    if gutter_colour is not None and pad.text:
        mark = Style(color=Color.parse(gutter_colour).rich_color, bgcolor=base.bgcolor)
        segments[0] = Segment(pad.text[:-1], base)
        segments.insert(1, Segment("▌", mark))
    return Strip(segments).crop_extend(0, width, base)


def _markdown_cuts(r: Rendition, s: int, e: int) -> list[int]:
    """Where what a Markdown row draws changes: hidden mark-up, a character drawn as another,
    a style."""
    flags, styles, subst = r.flags, r.styles, r.subst
    cuts = []
    last = (-1, -1)
    for i in range(s, e):
        sig = (flags[i], styles[i])
        if sig != last or i in subst or i - 1 in subst:
            cuts.append(i)
            last = sig
    return cuts
