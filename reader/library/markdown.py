"""Markdown articles read as formatted text, over their own source. Pure code: no Textual.

A ``.md`` article (or one whose front matter says ``format: markdown``) is parsed with
markdown-it (CommonMark, plus tables and strikethrough) into a :class:`Rendition`: for every
character of :attr:`Article.text` whether it is drawn, what is drawn instead of it (``•`` for
a list marker, ``│`` for a quote marker, a space for a line break inside a paragraph) and its
style bits (strong, emphasis, code, link, heading level...). Nothing is copied or moved: the
reading view draws the source characters that are not hidden, so a cursor, a selection, a
highlight or a search hit is always a range of source offsets, and what an annotation saves
is the article's own text.

markdown-it gives source lines per block but not per inline span; the spans are found again
by walking each block's inline tokens over its source (escapes and entities included). A
block whose inline tokens cannot be placed exactly is shown as its source text, unformatted:
hostile Markdown is never misdrawn, at worst drawn as written.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from reader.library.markdown_inline import InlineWalk
from reader.library.markdown_model import (
    CODE,
    EM,
    H1,
    H2,
    H3,
    HEADINGS,
    HIDDEN,
    HTML,
    IMAGE,
    LEAD,
    LINK,
    MARK,
    QUOTE,
    RULE,
    SOFT,
    STRIKE,
    STRONG,
    TABLE,
    URL,
    Rendition,
    Unplaced,
)
from reader.models import Block

if TYPE_CHECKING:  # markdown-it is loaded when a Markdown text is parsed, not before
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_CHARS = 1_000_000  # longer Markdown files are shown as plain text (parsing would lag)

__all__ = ["CODE", "EM", "H1", "H2", "H3", "HEADINGS", "HIDDEN", "HTML", "IMAGE", "LEAD",
           "LINK", "MARK", "MAX_CHARS", "QUOTE", "RULE", "SOFT", "STRIKE", "STRONG", "TABLE",
           "URL", "Rendition", "is_markdown", "plain_text", "render"]

_LEAD_CHARS = frozenset(" \t>*+-#0123456789.)")
_FORMATS = frozenset({"markdown", "md", "commonmark", "gfm"})


def is_markdown(path: str, front_matter: Mapping[str, Any] | None = None) -> bool:
    """A ``.md`` file, or front matter saying ``format: markdown``; ``.txt`` is plain text
    (its ``*`` and ``#`` are never reinterpreted) unless its front matter says so."""
    fmt = (front_matter or {}).get("format")
    if isinstance(fmt, str) and fmt.strip():
        return fmt.strip().casefold() in _FORMATS
    return path.casefold().endswith(".md")


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


# ---------------------------------------------------------------- building


def render(text: str) -> Rendition:
    """The rendition of a Markdown text (see the module docstring)."""
    r = Rendition(text, bytearray(len(text)), array("H", bytes(2 * len(text))))
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    _Builder(r, starts).run(_parser().parse(text))
    return r


def plain_text(text: str) -> str:
    """A short Markdown text as read (a title): marks, link targets and escapes removed."""
    if not any(c in text for c in "*_`[]<>&\\~#!"):
        return text
    r = render(text)
    return " ".join(r.plain().split())


class _Builder:
    def __init__(self, r: Rendition, starts: list[int]) -> None:
        self.r = r
        self.text = r.text
        self.starts = starts  # offset of each line's first character

    # -- lines ---------------------------------------------------------------------------
    def line(self, n: int) -> tuple[int, int]:
        """(start, end) of line ``n``, its newline excluded."""
        s = self.starts[n]
        e = self.starts[n + 1] - 1 if n + 1 < len(self.starts) else len(self.text)
        return s, e

    def flag(self, a: int, b: int, f: int) -> None:
        for i in range(a, b):
            self.r.flags[i] |= f

    def style(self, a: int, b: int, bits: int) -> None:
        st = self.r.styles
        for i in range(a, b):
            st[i] |= bits

    def lead(self, a: int, b: int, *, first: bool, hide: bool = False) -> str:
        """Block mark-up ``text[a:b]`` before a line's content: drawn as bars and bullets on a
        block's first line, hidden on the lines after; returns the prefix its wrapped rows
        get (quote bars kept, the rest as spaces)."""
        r, text = self.r, self.text
        hang = []
        after_hash = False
        for i in range(a, b):
            c = text[i]
            r.flags[i] |= LEAD
            if hide or not first:
                r.flags[i] |= HIDDEN
                hang.append("│" if c == ">" else "" if c == "#" else " ")
                continue
            if c == "#" or (after_hash and c in " \t"):
                r.flags[i] |= HIDDEN
                after_hash = c == "#" or after_hash
                continue
            if c == ">":
                r.subst[i] = "│"
                r.styles[i] |= MARK
                hang.append("│")
            elif c in "-*+":
                r.subst[i] = "•"
                r.styles[i] |= MARK
                hang.append(" ")
            elif c.isdigit() or c in ".)":
                r.styles[i] |= MARK
                hang.append(" ")
            else:
                hang.append("\t" if c == "\t" else " ")
        return "".join(hang).replace("\t", "    ")

    # -- the tokens ----------------------------------------------------------------------
    def run(self, tokens: Sequence[Token]) -> None:
        r = self.r
        stack: list[Token] = []
        group = -1
        quote = 0
        pending_item: int | None = None  # line of a list item's marker, not yet drawn
        for tok in tokens:
            if tok.level == 0 and tok.nesting >= 0 and tok.map is not None:
                group += 1
                for n in range(tok.map[0], min(tok.map[1], len(self.starts))):
                    r.groups.setdefault(self.starts[n], group)
            if tok.nesting == 1:
                stack.append(tok)
                if tok.type == "blockquote_open":
                    quote += 1
                    if tok.map:
                        a = self.starts[tok.map[0]]
                        b = self.line(min(tok.map[1], len(self.starts)) - 1)[1]
                        self.style(a, b, QUOTE)
                elif tok.type == "heading_open" and tok.map and tok.markup in ("=", "-"):
                    s, e = self.line(min(tok.map[1], len(self.starts)) - 1)
                    self.flag(s, e, HIDDEN | LEAD)  # a setext heading's underline
                elif tok.type == "list_item_open" and tok.map:
                    pending_item = tok.map[0]
                elif tok.type == "table_open" and tok.map:
                    self.table(tok.map, tokens)
                continue
            if tok.nesting == -1:
                if stack:
                    opened = stack.pop()
                    if opened.type == "blockquote_open":
                        quote -= 1
                continue
            if tok.type == "inline" and tok.map and not any(
                    t.type == "table_open" for t in stack):
                parent = stack[-1] if stack else None
                level = len(parent.markup) if parent is not None and parent.type == \
                    "heading_open" and parent.markup.startswith("#") else 0
                if parent is not None and parent.type == "heading_open" and not level:
                    level = 1 if parent.markup == "=" else 2
                if pending_item is not None and pending_item < tok.map[0]:
                    s, e = self.line(pending_item)  # "-" alone on its line
                    self.lead(s, e, first=True)
                pending_item = None
                self.inline(tok, level)
            elif tok.type in ("fence", "code_block", "html_block") and tok.map:
                self.verbatim(tok, quote)
            elif tok.type == "hr" and tok.map:
                s, e = self.line(tok.map[0])
                marks = [i for i in range(s, e) if self.text[i] not in " \t>"]
                for i in range(s, e):  # a rule as long as the mark-up
                    if marks and marks[0] <= i <= marks[-1]:
                        r.subst[i] = "─"
                        r.styles[i] |= RULE
                        r.flags[i] |= LEAD
        r.blocks.sort(key=lambda b: (b.start, b.end))
        r.pairs.sort()
        r.links.sort()

    # -- a block of inline text ------------------------------------------------------------
    def inline(self, tok: Token, level: int) -> None:
        assert tok.map is not None
        first, last = tok.map[0], min(tok.map[1], len(self.starts))
        lines = tok.content.split("\n")
        cmap: list[int] = []
        placed: list[tuple[int, int, int]] = []  # (line start, content start, content end)
        hang = ""
        for k, n in enumerate(range(first, last)):
            s, e = self.line(n)
            if k >= len(lines):  # a setext heading's underline
                self.flag(s, e, HIDDEN | LEAD)
                continue
            c = lines[k]
            p = self._find(self.text[s:e], c, first=k == 0)
            if p is None:
                self.plain_block(first, last, level)
                return
            prefix = self.lead(s, s + p, first=k == 0)
            if k == 0:
                hang = prefix
            else:
                self.r.hang_first.add(s)
            self.r.hang[s] = hang
            if cmap:
                cmap.append(s - 1)  # the newline before this line
            cmap.extend(range(s + p, s + p + len(c)))
            placed.append((s, s + p, s + p + len(c)))
            self.flag(s + p + len(c), e, HIDDEN)  # a heading's closing #s, trailing spaces
        content = "\n".join(lines[: len(placed)])
        if len(cmap) != len(content) or not placed:
            self.plain_block(first, last, level)
            return
        try:
            walk = InlineWalk(self.r, content, cmap)
            walk.children(tok.children or [])
            walk.finish()
        except (Unplaced, IndexError):
            self.plain_block(first, last, level)
            return
        walk.apply()
        start, end = placed[0][1], placed[-1][2]
        if level:
            self.style(start, end, H1 if level == 1 else H2 if level == 2 else H3)
        if end > start:
            self.r.blocks.append(Block("heading" if level else "paragraph", start, end))

    def _find(self, line: str, content: str, *, first: bool) -> int | None:
        """Where a content line starts in its source line: after container mark-up only."""
        if not content:
            return len(line.rstrip(" \t#")) if first else len(line)
        p = line.find(content)
        while p >= 0:
            if all(ch in _LEAD_CHARS for ch in line[:p]):
                return p
            p = line.find(content, p + 1)
        return None

    def plain_block(self, first: int, last: int, level: int) -> None:
        """The block as written (its inline tokens could not be placed): only the first line's
        container mark-up is drawn as such."""
        r = self.r
        for n in range(first, last):
            s, e = self.line(n)
            for i in range(s, e):
                r.flags[i] &= LEAD
                r.styles[i] &= QUOTE
                r.subst.pop(i, None)
            r.hang_first.discard(s)
            r.hang[s] = ""
        s, e = self.line(first)
        end = self.line(last - 1)[1]
        m = re.match(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}[ \t]+)?", self.text[s:e])
        p = m.end() if m else 0
        r.hang[s] = self.lead(s, s + p, first=True)
        if level:
            self.style(s + p, end, H1 if level == 1 else H2 if level == 2 else H3)
        if end > s + p:
            r.blocks.append(Block("heading" if level else "paragraph", s + p, end))

    # -- code, HTML, tables ----------------------------------------------------------------
    def verbatim(self, tok: Token, quote: int) -> None:
        assert tok.map is not None
        first, last = tok.map[0], min(tok.map[1], len(self.starts))
        fence = tok.type == "fence"
        bits = HTML if tok.type == "html_block" else CODE
        body: list[tuple[int, int]] = []
        for n in range(first, last):
            s, e = self.line(n)
            line = self.text[s:e]
            p = 0
            if quote:
                m = re.match(r"(?:[ \t]*>)+[ \t]?", line)
                p = m.end() if m else 0
            hang = self.lead(s, s + p, first=True) if p else ""
            self.r.hang[s] = hang
            core = line[p:].strip()
            if fence and (n == first or (n == last - 1 and n > first and core.startswith(
                    tok.markup) and not core.strip(tok.markup[0]))):
                self.flag(s, e, HIDDEN | LEAD)
                continue
            self.style(s + p, e, bits)
            body.append((s + p, e))
        if body and body[-1][1] > body[0][0]:
            self.r.blocks.append(Block("paragraph", body[0][0], body[-1][1]))

    def table(self, lines: list[int], tokens: Sequence[Token]) -> None:
        """Pipes drawn as bars, the delimiter row as a rule, each cell's inline mark-up."""
        r = self.r
        cells_by_row: dict[int, list[Token]] = {}
        for t in tokens:
            if t.type == "inline" and t.map and lines[0] <= t.map[0] < lines[1]:
                cells_by_row.setdefault(t.map[0], []).append(t)
        start = end = -1
        for n in range(lines[0], min(lines[1], len(self.starts))):
            s, e = self.line(n)
            if start < 0:
                start = s
            end = e
            self.r.hang[s] = ""
            self.style(s, e, TABLE)
            if n not in cells_by_row:  # the delimiter row
                for i in range(s, e):
                    c = self.text[i]
                    if c == "|":
                        r.subst[i] = "┼"
                    elif c in "-:":
                        r.subst[i] = "─"
                continue
            pipes = [i for i in range(s, e) if self.text[i] == "|" and (
                i == s or self.text[i - 1] != "\\")]
            for i in pipes:
                r.subst[i] = "│"
                r.styles[i] |= MARK
            bounds = [s - 1, *pipes, e]
            spans = [(a + 1, b) for a, b in zip(bounds, bounds[1:], strict=False)]
            if pipes and not self.text[s:pipes[0]].strip():
                spans = spans[1:]
            if pipes and not self.text[pipes[-1] + 1:e].strip():
                spans = spans[:-1]
            for cell, (a, b) in zip(cells_by_row[n], spans, strict=False):
                while a < b and self.text[a] in " \t":
                    a += 1
                while b > a and self.text[b - 1] in " \t":
                    b -= 1
                try:
                    walk = InlineWalk(r, self.text[a:b], list(range(a, b)))
                    walk.children(cell.children or [])
                    walk.finish()
                except (Unplaced, IndexError):
                    continue
                walk.apply()
        if end > start >= 0:
            r.blocks.append(Block("paragraph", start, end))


def text_char(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""
