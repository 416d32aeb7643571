"""Placing a block's inline tokens (emphasis, links, code, breaks, escapes and entities)
over its source text: markdown-it gives source lines per block, not per inline span."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.library.markdown_model import (
    CODE,
    EM,
    HIDDEN,
    HTML,
    IMAGE,
    LINK,
    SOFT,
    STRIKE,
    STRONG,
    URL,
    Rendition,
    Unplaced,
)

if TYPE_CHECKING:
    from markdown_it.token import Token


class InlineWalk:
    """Inline tokens placed over ``content`` (``cmap[k]`` is the source offset of
    ``content[k]``); the results are applied to the rendition only if every token fits."""

    def __init__(self, r: Rendition, content: str, cmap: list[int]) -> None:
        self.r = r
        self.content = content
        self.cmap = cmap
        self.q = 0
        self.hide: list[int] = []
        self.soft: list[int] = []
        self.subst: dict[int, str] = {}
        self.styles: list[tuple[int, int, int]] = []  # (content start, end, bits)
        self.pairs: list[tuple[int, int, int, int]] = []
        self.links: list[tuple[int, int, str]] = []
        self.open: list[tuple[str, int, int]] = []  # (type, markup start, content start)

    def finish(self) -> None:
        rest = self.content[self.q:]
        if rest.strip():
            raise Unplaced(rest[:20])
        self.hide.extend(range(self.q, len(self.content)))

    def apply(self) -> None:
        r, cmap = self.r, self.cmap
        for k in self.hide:
            r.flags[cmap[k]] |= HIDDEN
        for k in self.soft:
            r.flags[cmap[k]] |= SOFT
        for k, s in self.subst.items():
            r.subst[cmap[k]] = s
        for a, b, bits in self.styles:
            for k in range(a, b):
                r.styles[cmap[k]] |= bits
        n = len(cmap)
        for a, b, c, d in self.pairs:
            r.pairs.append((cmap[a], cmap[b] if b < n else cmap[-1] + 1,
                            cmap[c - 1] + 1 if c > 0 else cmap[0],
                            cmap[d - 1] + 1 if d > 0 else cmap[0]))
        for a, b, href in self.links:
            if b > a:
                r.links.append((cmap[a], cmap[b - 1] + 1, href))

    # -- moving over the content ---------------------------------------------------------
    def expect(self, s: str) -> None:
        if not self.content.startswith(s, self.q):
            raise Unplaced(s)
        self.hide.extend(range(self.q, self.q + len(s)))
        self.q += len(s)

    def text(self, t: str) -> None:
        c, i = self.content, 0
        while i < len(t):
            ch = t[i]
            q = self.q
            if c[q] == "&":
                j = self._entity(t, i)
                if j:
                    i = j
                    continue
            if c[q] == ch:
                if ch == "\n":
                    self.soft.append(q)
                self.q += 1
                i += 1
            elif c[q] == "\\" and c[q + 1] == ch:
                self.hide.append(q)
                self.q += 2
                i += 1
            elif ch == "\ufffd":
                self.q += 1
                i += 1
            else:
                raise Unplaced(t[i:i + 20])

    def _entity(self, t: str, i: int) -> int:
        """An entity at the content's position that reads as ``t[i:]``: placed (its first
        character drawn as what it stands for, the rest hidden); the new ``i``, else 0."""
        c, q = self.content, self.q
        semi = c.find(";", q, q + 40)
        if semi < 0:
            return 0
        decoded = html.unescape(c[q:semi + 1])
        if decoded == c[q:semi + 1] or not t.startswith(decoded, i):
            return 0
        self.subst[q] = decoded
        self.hide.extend(range(q + 1, semi + 1))
        self.q = semi + 1
        return i + len(decoded)

    def line_break(self, hard: bool) -> None:
        c = self.content
        while c[self.q] in " \t":
            self.hide.append(self.q)
            self.q += 1
        if hard and c[self.q] == "\\":
            self.hide.append(self.q)
            self.q += 1
        if c[self.q] != "\n":
            raise Unplaced("newline")
        if hard:
            self.q += 1
        else:
            self.soft.append(self.q)
            self.q += 1
        while self.q < len(c) and c[self.q] in " \t":
            self.hide.append(self.q)
            self.q += 1

    def closing_paren(self) -> None:
        """After ``]``: an inline link's ``(target "title")`` or a reference's ``[label]``,
        hidden but for the target's host, drawn dim in brackets."""
        c, q = self.content, self.q
        if q < len(c) and c[q] == "(":
            depth, i, quote = 0, q, ""
            while i < len(c):
                ch = c[i]
                if ch == "\\":
                    i += 2
                    continue
                if quote:
                    if ch == quote:
                        quote = ""
                elif ch in "\"'" and c[i - 1] in " \t\n":
                    quote = ch
                elif ch == "<" and depth == 1 and c[i - 1] == "(":
                    close = c.find(">", i)
                    if close < 0:
                        raise Unplaced("<")
                    i = close
                elif ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if i >= len(c):
                raise Unplaced("(")
            self._host(q, i + 1)
            self.q = i + 1
        elif q < len(c) and c[q] == "[":
            close = c.find("]", q)
            if close < 0:
                raise Unplaced("[")
            self.hide.extend(range(q, close + 1))
            self.q = close + 1

    def _host(self, a: int, b: int) -> None:
        """Hide ``(target)`` but show `` (host)`` dim."""
        part = self.content[a:b]
        m = re.search(r"(?:https?|ftp)://(?:www\.)?([^/\s()<>\"'?#]+)", part)
        if m is None or "\n" in part:
            self.hide.extend(range(a, b))
            return
        hs, he = a + m.start(1), a + m.end(1)
        self.hide.extend(k for k in range(a + 1, b - 1) if not hs <= k < he)
        self.subst[a] = " ("
        self.styles.append((a, b, URL))

    # -- the tokens ----------------------------------------------------------------------
    def children(self, tokens: Sequence[Token]) -> None:
        for tok in tokens:
            kind = tok.type
            if kind == "text":
                self.text(tok.content)
            elif kind in ("softbreak", "hardbreak"):
                self.line_break(kind == "hardbreak")
            elif kind.endswith("_open") and kind[:-5] in ("strong", "em", "s"):
                start = self.q
                self.expect(tok.markup)
                self.open.append((kind[:-5], start, self.q))
            elif kind.endswith("_close") and kind[:-6] in ("strong", "em", "s"):
                name, start, body = self.open.pop()
                end = self.q
                self.expect(tok.markup)
                bits = {"strong": STRONG, "em": EM, "s": STRIKE}[name]
                self.styles.append((body, end, bits))
                self.pairs.append((start, body, end, self.q))
            elif kind == "link_open":
                start = self.q
                self.expect("<" if tok.markup == "autolink" else "[")
                self.open.append((str(tok.attrs.get("href", "")), start, self.q))
            elif kind == "link_close":
                href, start, body = self.open.pop()
                end = self.q
                if tok.markup == "autolink":
                    self.expect(">")
                else:
                    self.expect("]")
                    self.closing_paren()
                self.styles.append((body, end, LINK))
                self.pairs.append((start, body, end, self.q))
                self.links.append((body, end, href))
            elif kind == "code_inline":
                self.code(tok.markup)
            elif kind == "html_inline":
                start = self.q
                self.text(tok.content)
                self.styles.append((start, self.q, HTML))
            elif kind == "image":
                start = self.q
                self.expect("![")
                body = self.q
                self.children(tok.children or [])
                end = self.q
                self.expect("]")
                self.closing_paren()
                if end == body:
                    self.subst[start] = "[image]"
                    self.hide.remove(start)
                self.styles.append((start, self.q, IMAGE))
                self.pairs.append((start, body, end, self.q))
            else:
                raise Unplaced(kind)

    def code(self, markup: str) -> None:
        c = self.content
        start = self.q
        self.expect(markup)
        k = self.q
        while True:
            k = c.find(markup, k)
            if k < 0:
                raise Unplaced("`")
            if c[k + len(markup): k + len(markup) + 1] != "`" and c[k - 1] != "`":
                break
            while k < len(c) and c[k] == "`":
                k += 1
        body = self.q
        self.soft.extend(i for i in range(body, k) if c[i] == "\n")
        self.styles.append((body, k, CODE))
        self.q = k
        self.expect(markup)
        self.pairs.append((start, body, k, self.q))
