"""What the reading view draws over the text besides its blocks: annotation highlights,
search hits and a passing emphasis. Plain data and look-ups, no Textual."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Highlight:
    """An annotation drawn in the text: ``colours`` are its tags' ``'#rrggbb'``."""

    id: str
    start: int
    end: int
    colours: tuple[str, ...]


class Spans:
    """Spans sorted by start, with the longest length, for the spans touching a range."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted((s, e) for s, e in spans if e > s)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def touching(self, start: int, end: int) -> list[int]:
        """Indexes of the spans overlapping ``[start, end)``."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [i for i in range(lo, hi) if self.spans[i][1] > start]


class Marks:
    """Highlights, hits (with the current one) and the emphasis of one article."""

    def __init__(self) -> None:
        self.highlights: list[Highlight] = []
        self.hl_spans = Spans([])
        self.hits = Spans([])
        self.current_hit: int | None = None
        self.emphasis: tuple[int, int] | None = None

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self.hl_spans = Spans([(h.start, h.end) for h in self.highlights])

    def set_hits(self, spans: Sequence[tuple[int, int]]) -> None:
        self.hits = Spans(spans)
        self.current_hit = None

    def highlight_at(self, offset: int) -> Highlight | None:
        """The topmost (last drawn: latest starting, then shortest) highlight at ``offset``."""
        found = [self.highlights[i] for i in self.hl_spans.touching(offset, offset + 1)]
        return min(found, key=lambda h: (-h.start, h.end - h.start)) if found else None

    def highlights_touching(self, start: int, end: int) -> list[Highlight]:
        return [self.highlights[i] for i in self.hl_spans.touching(start, end)]

    def next_highlight(self, cursor: int) -> Highlight | None:
        return next((h for h in self.highlights if h.start > cursor), None)

    def previous_highlight(self, cursor: int) -> Highlight | None:
        """The highlight before the cursor; from inside one, the one before it (as ``{`` in
        vim leaves the paragraph it is in), not its own start."""
        inside = [h.start for h in self.highlights if h.start <= cursor < h.end]
        ref = min(inside, default=cursor)
        return next((h for h in reversed(self.highlights) if h.start < ref), None)

    def step_hit(self, cursor: int, *, forward: bool) -> int | None:
        """Make the next (or previous) hit current; its start, or None without hits."""
        spans = self.hits.spans
        if not spans:
            return None
        if self.current_hit is not None:
            i = (self.current_hit + (1 if forward else -1)) % len(spans)
        elif forward:
            i = bisect_right(self.hits.starts, cursor - 1) % len(spans)
        else:
            i = (bisect_left(self.hits.starts, cursor) - 1) % len(spans)
        self.current_hit = i
        return spans[i][0]
