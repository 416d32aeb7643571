"""Put a tagged passage back in its article's edited text, or say it cannot be placed.

A passage is stored with its quote and context on each side (prefix, suffix): 32 characters,
more where the text holds look-alikes (:func:`passage_context`). When the text changed, a
place is accepted only where that evidence says it is the same passage, never merely the same
words somewhere else (the README's "Changed articles" says the same for users):

1. **The quote as it was** (exactly, else ignoring case and spacing), where
   - a side is there in full and holds :data:`OWN_MIN` characters of the passage's own
     paragraph (:func:`can_count_in_full`), or
   - one side is there in full and the other nearly (:data:`NEAR_RATIO` alike and as stored
     for the :data:`EDGE_MIN` characters next to the quote), or still at the text's edge
     where it was cut short, or
   - one side is there in full and the quote is long (:data:`LONG_CHARS` characters and
     :data:`LONG_WORDS` words).
   A side cut short by the text's start or end never counts alone. Of several places, the
   one with the most context wins, then the nearest to the old offset; where a paragraph was
   duplicated, both copies qualify and either is right.
2. **The quote edited** (a word changed inside it): both sides found in full, close together
   with no paragraph break between them, around text at least :data:`EDITED_RATIO` like the
   old quote; that text becomes the passage.

Anything else (a short or common quote whose context is gone, a passage whose sentence was
deleted) is not placed: the caller keeps it as orphaned, with its old quote and context, so it
can be found again if the text comes back, or re-attached by hand. The rule was tuned against
``tests/test_anchoring_random.py``, which knows where every character of an edited text came
from: it must never place a passage on the wrong text.

Nothing here touches files: :func:`anchor` returns ``(start, end)`` or ``None``, and
:func:`reanchor_all` places a file's annotations in memory and reports each move or orphan as
a :class:`Relocation`.
"""

from __future__ import annotations

import bisect
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, replace

from reader.models import Annotation, Article

CONTEXT = 32  # characters of prefix/suffix kept around a quote
MAX_CONTEXT = 256  # ... or more, up to this, where 32 would not tell it from a look-alike
SIZES = (32, 64, 128, 256)  # the lengths of a side that tells its passage from look-alikes
EDGE_MIN = 8  # characters next to the quote that must be as stored for a side to be "near"
OWN_MIN = 16  # a side counts on its own with this many characters of the passage's paragraph
NEAR_RATIO = 0.8  # one side as stored, the other this similar: a word changed near the quote
LONG_CHARS, LONG_WORDS = 30, 5  # a quote this long needs one side as stored, nothing more
EDITED_RATIO = 0.7  # text between the old prefix and suffix at least this like the old quote
MAX_CANDIDATES = 2_000


@dataclass(frozen=True, slots=True)
class Relocation:
    """What re-anchoring did to one passage of a changed article (nothing is saved yet)."""

    annotation_id: str
    quote: str  # the quote as stored
    old_start: int
    old_end: int
    new_start: int | None  # None: orphaned (not found in the changed text)
    new_end: int | None

    @property
    def orphaned(self) -> bool:
        return self.new_start is None


def context(text: str, start: int, end: int, size: int = CONTEXT) -> tuple[str, str]:
    """(prefix, suffix) around ``text[start:end]``."""
    return text[max(0, start - size):start], text[end:end + size]


def passage_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The context stored with a passage: each side :data:`CONTEXT` characters, doubled up
    to :data:`MAX_CONTEXT` while it (alone, or with the quote) occurs more than once in the
    text, ignoring case and spacing as a passage is looked for. A side of one of those
    :data:`SIZES` tells this passage from its look-alikes; a side that could not be made to
    (cut short by the text's edge, or still repeated at the largest size) is stored with
    another length, so that it is never taken as proof on its own."""
    quote = text[start:end]
    norm = normalise(text)[0]
    return _side(text, norm, quote, start, True), _side(text, norm, quote, end, False)


def _side(text: str, norm: str, quote: str, at: int, before: bool) -> str:
    side = ""
    for size in SIZES:
        side = text[max(0, at - size):at] if before else text[at:at + size]
        if len(side) < size:  # cut short by the text's edge
            break
        whole = side + quote if before else quote + side
        if _once(norm, _fold(whole)) and _once(norm, _fold(side)):
            return side
    if len(side) in SIZES:  # not telling: give it a length no telling side has
        side = side[1:] if before else side[:-1]
    return side


def _once(text: str, part: str) -> bool:
    first = text.find(part)
    return first < 0 or text.find(part, first + 1) < 0


def find_all(text: str, quote: str) -> list[int]:
    """Start offsets of every exact occurrence (overlaps included), capped."""
    out: list[int] = []
    if not quote:
        return out
    i = text.find(quote)
    while i != -1 and len(out) < MAX_CANDIDATES:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


@functools.lru_cache(maxsize=4)  # one text, many passages
def normalise(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with each run of spaces and line breaks made one space, or one blank
    line where it holds one (a paragraph break stays a paragraph break), and for each
    character of the result the offset in ``text`` it came from."""
    return _normalise(text)


def _normalise(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    origin: list[int] = []
    space_at = -1  # where the current run of whitespace began
    breaks = 0
    for i, ch in enumerate(text):
        if ch.isspace():
            if space_at < 0:
                space_at, breaks = i, 0
            breaks += ch == "\n"
            continue
        if space_at >= 0:
            out.append("\n\n" if breaks >= 2 else " ")
            origin.extend([space_at] * (2 if breaks >= 2 else 1))
            space_at = -1
        low = ch.lower()
        out.append(low)
        origin.extend([i] * len(low))
    if space_at >= 0:
        out.append("\n\n" if breaks >= 2 else " ")
        origin.extend([space_at] * (2 if breaks >= 2 else 1))
    return "".join(out), origin


def _fold(text: str) -> str:
    return _normalise(text)[0]


def find_tolerant(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans matching ``quote`` ignoring case and whitespace differences."""
    q = _fold(quote.strip())
    if not q:
        return []
    norm, origin = normalise(text)
    return [(origin[i], origin[i + len(q) - 1] + 1) for i in find_all(norm, q)]


# -- evidence ---------------------------------------------------------------------------------
def _ratio(a: str, b: str) -> float:
    import difflib  # here: loading it costs ~10 ms to every command, and few anchor fuzzily

    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def can_count_in_full(side: str, before: bool) -> bool:
    """Whether a stored context side, found again unchanged, is evidence on its own: it must
    hold at least :data:`OWN_MIN` characters of the passage's own paragraph. The rest, past a
    paragraph break, is another paragraph: it may have moved on its own, and deleting the
    passage's sentence can put a sentence ending in the same words next to it."""
    cut = side.rfind("\n\n") if before else side.find("\n\n")
    own = side if cut < 0 else (side[cut + 2:] if before else side[:cut])
    return len(own.strip()) >= OWN_MIN


@dataclass(frozen=True, slots=True)
class _Sides:
    """What the stored context can prove, per side: cut short by the text's edge (shorter
    than :data:`CONTEXT`), telling (one of the :data:`SIZES`: it told this passage from
    look-alikes when stored), and able to count in full on its own (telling, and
    :func:`can_count_in_full`). Judged on the sides as stored."""

    prefix: str
    suffix: str
    prefix_edge: bool
    suffix_edge: bool
    prefix_telling: bool
    suffix_telling: bool
    prefix_counts: bool
    suffix_counts: bool

    @classmethod
    def of(cls, prefix: str, suffix: str) -> _Sides:
        p_tells, s_tells = len(prefix) in SIZES, len(suffix) in SIZES
        return cls(prefix, suffix, len(prefix) < CONTEXT, len(suffix) < CONTEXT, p_tells,
                   s_tells, p_tells and can_count_in_full(prefix, True),
                   s_tells and can_count_in_full(suffix, False))

    def folded(self) -> _Sides:
        return replace(self, prefix=_fold(self.prefix), suffix=_fold(self.suffix))


# Evidence of one side: "full" (there as stored, and able to count on its own), "exact"
# (there as stored, and telling), "agrees" (there as stored, or still at the text's edge where
# it was cut short, or nearly there). A context cut short by the text's edge is never full or
# exact: "the passage was near the end" is also true of a look-alike that became last when
# the passage's sentence was deleted.
Evidence = tuple[bool, bool, bool]


def _near(window: str, side: str, run: int) -> bool:
    """Nearly there: a word changed, at least :data:`EDGE_MIN` characters from the quote
    (``run``: characters next to the quote that are there as stored)."""
    return bool(side) and run >= EDGE_MIN and _ratio(window, side) >= NEAR_RATIO


def _prefix_evidence(text: str, start: int, sides: _Sides) -> Evidence:
    prefix = sides.prefix
    window = text[max(0, start - len(prefix)):start]
    if window != prefix:
        run = len(os.path.commonprefix([window[::-1], prefix[::-1]]))
        return False, False, _near(window, prefix, run)
    if sides.prefix_edge:
        return False, False, start == len(prefix)
    return sides.prefix_counts, sides.prefix_telling, True


def _suffix_evidence(text: str, end: int, sides: _Sides) -> Evidence:
    suffix = sides.suffix
    window = text[end:end + len(suffix)]
    if window != suffix:
        return False, False, _near(window, suffix, len(os.path.commonprefix([window, suffix])))
    if sides.suffix_edge:
        return False, False, end + len(suffix) == len(text)
    return sides.suffix_counts, sides.suffix_telling, True


def is_long(quote: str) -> bool:
    return len(quote.strip()) >= LONG_CHARS and len(quote.split()) >= LONG_WORDS


def _choose(spans: list[tuple[int, int]], text: str, sides: _Sides,
            hint: int) -> tuple[int, int] | None:
    """The best span of the quote that the evidence accepts (module docstring, step 1)."""
    best: tuple[tuple[int, int, int, int], tuple[int, int]] | None = None
    long = bool(spans) and is_long(text[spans[0][0]:spans[0][1]])
    for start, end in spans:
        p_full, p_exact, p_agrees = _prefix_evidence(text, start, sides)
        s_full, s_exact, s_agrees = _suffix_evidence(text, end, sides)
        edges = sides.prefix_edge and sides.suffix_edge and p_agrees and s_agrees
        if not (p_full or s_full or edges or (p_exact and (s_agrees or long))
                or (s_exact and (p_agrees or long))):
            continue
        key = (p_full + s_full, p_exact + s_exact, p_agrees + s_agrees, -abs(start - hint))
        if best is None or key > best[0]:
            best = (key, (start, end))
    return best[1] if best is not None else None


def _edited(text: str, quote: str, sides: _Sides, hint: int) -> tuple[int, int] | None:
    """The old prefix and suffix in full, close together, around text like the old quote
    (module docstring, step 2)."""
    prefix, suffix = sides.prefix, sides.suffix
    if len(prefix) < EDGE_MIN or len(suffix) < EDGE_MIN or not (
            (sides.prefix_telling or sides.prefix_edge)
            and (sides.suffix_telling or sides.suffix_edge)
            and (sides.prefix_counts or sides.suffix_counts)):
        return None
    best: tuple[int, int] | None = None
    longest = 2 * len(quote) + 20
    for p in find_all(text, prefix):
        start = p + len(prefix)
        if sides.prefix_edge and p != 0:
            continue  # cut short by the text's start: must still start the text
        s = text.find(suffix, start + 1, start + longest + len(suffix))
        if s == -1 or (sides.suffix_edge and s + len(suffix) != len(text)):
            continue
        inner = text[start:s]
        if "\n\n" in inner and "\n\n" not in quote:
            continue  # not the passage edited: a paragraph break came between its contexts
        if quote in inner:  # text was added next to the quote, not inside it
            i = inner.find(quote)
            if inner.find(quote, i + 1) >= 0:
                continue
            span = (start + i, start + i + len(quote))
        elif _ratio(inner, quote) >= EDITED_RATIO:
            span = (start, s)
        else:
            continue
        if best is None or abs(span[0] - hint) < abs(best[0] - hint):
            best = span
    return best


def anchor(text: str, quote: str, prefix: str, suffix: str,
           hint: int) -> tuple[int, int] | None:
    """Where the passage ``quote`` (with its old ``prefix``/``suffix``, old start ``hint``)
    now is in ``text``, or None when the evidence places it nowhere (see the module
    docstring)."""
    if not quote.strip():
        return None
    sides = _Sides.of(prefix, suffix)
    exact = [(i, i + len(quote)) for i in find_all(text, quote)]
    found = _choose(exact, text, sides, hint)
    if found is not None:
        return found
    # the same words with other case or spacing (re-wrapped lines, a capital added)
    norm, origin = normalise(text)
    q = _fold(quote)
    spans = [(i, i + len(q)) for i in find_all(norm, q)]
    if spans:
        folded = _choose(spans, norm, sides.folded(), bisect.bisect_left(origin, hint))
        if folded is not None:
            return origin[folded[0]], origin[folded[1] - 1] + 1
    return _edited(text, quote, sides, hint)


def is_placed(text: str, quote: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text) and text[start:end] == quote


# -- annotations ------------------------------------------------------------------------------
def reanchor_all(article: Article, sha: str, annotations: list[Annotation]) -> list[Relocation]:
    """Place (in memory) every annotation of a file written for the text of hash ``sha`` in
    the article's current text; returns what moved or could not be placed, in text order
    (empty when the text is unchanged)."""
    if sha == article.sha256 and all(
            not a.orphaned and is_placed(article.text, a.quote, a.start, a.end)
            for a in annotations):
        return []
    out = []
    for ann in annotations:
        before = (ann.start, ann.end, ann.orphaned, ann.quote)
        reanchor(article, ann)
        if (ann.start, ann.end, ann.orphaned, ann.quote) != before:
            placed = not ann.orphaned
            out.append(Relocation(ann.id, before[3], before[0], before[1],
                                  ann.start if placed else None, ann.end if placed else None))
    annotations.sort(key=lambda a: (a.start, a.end, a.id))
    out.sort(key=lambda r: (r.old_start, r.old_end, r.annotation_id))
    return out


def reanchor(article: Article, ann: Annotation) -> None:
    """Place one annotation in the article's text, or mark it orphaned (its stored quote,
    context and offsets are kept, so it can be found again). An entry without any context
    (written by hand) keeps its place where its quote still is."""
    if not ann.prefix and not ann.suffix and is_placed(article.text, ann.quote, ann.start,
                                                       ann.end):
        ann.orphaned = False
        return
    span = anchor(article.text, ann.quote, ann.prefix, ann.suffix, ann.start)
    if span is None:
        ann.orphaned = True
        return
    place(article, ann, *span)


def place(article: Article, ann: Annotation, start: int, end: int) -> None:
    quote = article.text[start:end]
    if quote != ann.quote and "previous_quote" not in ann.extra:
        ann.extra["previous_quote"] = ann.quote
    ann.quote = quote
    ann.prefix, ann.suffix = passage_context(article.text, start, end)
    ann.start, ann.end, ann.orphaned = start, end, False


def describe(relocation: Relocation, preview: Callable[[str], str]) -> str:
    """One line: ``moved 120-130 -> 98-108 “quote”`` or ``orphaned 120-130 “quote”``."""
    old = f"{relocation.old_start}-{relocation.old_end}"
    if relocation.new_start is None:
        return f"orphaned {old} “{preview(relocation.quote)}” (not found in the changed text)"
    return (f"moved {old} -> {relocation.new_start}-{relocation.new_end} "
            f"“{preview(relocation.quote)}”")
