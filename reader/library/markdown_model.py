"""What a Markdown text looks like when drawn: per character, hidden or not, drawn as
another character, its style bits (see :mod:`reader.library.markdown`). Plain data."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from reader.models import Block

# per-character flags
HIDDEN = 1  # not drawn (mark-up)
SOFT = 2  # a newline drawn as a space: the paragraph flows on
LEAD = 4  # block mark-up (heading #, list marker, quote >): never the edge of a selection

# style bits
STRONG, EM, STRIKE, CODE, LINK, URL, QUOTE, MARK = 1, 2, 4, 8, 16, 32, 64, 128
HTML, IMAGE, RULE, TABLE, H1, H2, H3 = 256, 512, 1024, 2048, 4096, 8192, 16384
HEADINGS = H1 | H2 | H3


class Unplaced(Exception):
    """An inline token could not be found in its block's source."""


@dataclass
class Rendition:
    """How a Markdown text is drawn; see the module docstring. Offsets index ``text``."""

    text: str
    flags: bytearray
    styles: array[int]
    subst: dict[int, str] = field(default_factory=dict)
    hang: dict[int, str] = field(default_factory=dict)  # line start -> prefix of wrapped rows
    hang_first: set[int] = field(default_factory=set)  # lines whose first row has it too
    groups: dict[int, int] = field(default_factory=dict)  # line start -> top-level block
    blocks: list[Block] = field(default_factory=list)  # leaf blocks (paragraph, heading...)
    pairs: list[tuple[int, int, int, int]] = field(default_factory=list)  # inline elements
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, href)
    _prose: str | None = field(default=None, repr=False, compare=False)

    # -- what one character looks like ---------------------------------------------------
    def hidden(self, i: int) -> bool:
        return bool(self.flags[i] & HIDDEN)

    def shown(self, i: int) -> str:
        """What character ``i`` is drawn as ("" when hidden)."""
        f = self.flags[i]
        if f & HIDDEN:
            return ""
        if f & SOFT:
            return " "
        return self.subst.get(i, self.text[i])

    def plain(self, start: int = 0, end: int | None = None) -> str:
        """The text as drawn between two offsets."""
        end = len(self.text) if end is None else end
        return "".join(self.shown(i) for i in range(max(0, start), min(end, len(self.text))))

    def prose(self) -> str:
        """The text as sentences are found in it, offset for offset: mark-up (``> ``,
        ``**``, a link's target) blanked, a line break inside a paragraph a space, so a
        sentence runs on over a quote's or a list item's next line."""
        if self._prose is None:
            out = list(self.text)
            for i, f in enumerate(self.flags):
                if f & (HIDDEN | LEAD) or f & SOFT:
                    out[i] = " "
            self._prose = "".join(out)
        return self._prose

    def visible_at_or_after(self, i: int) -> int | None:
        n = len(self.text)
        while i < n and (self.flags[i] & HIDDEN or self.text[i] == "\n"):
            i += 1
        return i if i < n else None

    def visible_before(self, i: int) -> int | None:
        i -= 1
        while i >= 0 and (self.flags[i] & HIDDEN or self.text[i] == "\n"):
            i -= 1
        return i if i >= 0 else None

    def link_at(self, offset: int) -> tuple[int, int, str] | None:
        return next((lk for lk in self.links if lk[0] <= offset < lk[1]), None)

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """A selection's edges as saved: block mark-up (``## ``, ``- ``, ``> ``) left out at
        either end; an inline element (``**tebal**``, a link) whose text is all selected
        taken whole, with its mark-up, so the quote saved is balanced source text."""
        n = len(self.text)
        start, end = max(0, start), min(n, end)
        for _ in range(4):
            before = (start, end)
            for a, b, c, d in self.pairs:
                if start <= b and c <= end and b < c and (a < start or d > end):
                    start, end = min(start, a), max(end, d)
            while start < end and (self.flags[start] & LEAD or self.text[start].isspace()):
                start += 1
            while end > start and (self.flags[end - 1] & LEAD or self.text[end - 1].isspace()):
                end -= 1
            if (start, end) == before:
                break
        return start, end
