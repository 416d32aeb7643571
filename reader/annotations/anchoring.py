"""Place a quoted passage in a (possibly edited) text by its quote and context.

Order of attempts, each preferring the candidate nearest the old offset:

1. exact: the quote itself, preferring occurrences whose prefix/suffix also match;
2. tolerant: the same ignoring case and runs of whitespace;
3. context: the old prefix and suffix both found, close together: the text between them is the
   (edited) quote;
4. fuzzy: :mod:`difflib` on a window around the old offset (the whole text when short).

Nothing here writes files; :func:`anchor` returns ``(start, end)`` or ``None``.
"""

from __future__ import annotations

import difflib
import re

from reader.models import Annotation, Article

CONTEXT = 32  # characters of prefix/suffix kept around a quote
FUZZY_MIN_RATIO = 0.75
FUZZY_WHOLE_TEXT = 20_000  # texts up to this size are searched whole when the window fails
MAX_CANDIDATES = 2_000
_SPACE = re.compile(r"\s+")


def context(text: str, start: int, end: int, size: int = CONTEXT) -> tuple[str, str]:
    """(prefix, suffix) around ``text[start:end]``."""
    return text[max(0, start - size):start], text[end:end + size]


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


def normalise(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with whitespace runs collapsed to one space, and for each character
    of the result the offset in ``text`` it came from."""
    out: list[str] = []
    origin: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                origin.append(i)
            in_space = True
            continue
        in_space = False
        low = ch.lower()
        out.extend(low)
        origin.extend([i] * len(low))
    return "".join(out), origin


def find_tolerant(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans matching ``quote`` ignoring case and whitespace differences."""
    q = _SPACE.sub(" ", quote.strip()).lower()
    if not q:
        return []
    norm, origin = normalise(text)
    spans = []
    for i in find_all(norm, q):
        start = origin[i]
        end = origin[i + len(q) - 1] + 1
        spans.append((start, end))
    return spans


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    score = 0
    if prefix and text[max(0, start - len(prefix)):start].endswith(prefix):
        score += 1
    if suffix and text[end:end + len(suffix)].startswith(suffix):
        score += 1
    return score


def _best(text: str, spans: list[tuple[int, int]], prefix: str, suffix: str,
          hint: int) -> tuple[int, int] | None:
    if not spans:
        return None
    return max(spans, key=lambda s: (_context_score(text, s[0], s[1], prefix, suffix),
                                     -abs(s[0] - hint)))


def _by_context(text: str, quote: str, prefix: str, suffix: str,
                hint: int) -> tuple[int, int] | None:
    if len(prefix) < 8 or len(suffix) < 8:
        return None
    best: tuple[int, int] | None = None
    limit = max(2 * len(quote), len(quote) + 200)
    for p in find_all(text, prefix):
        start = p + len(prefix)
        s = text.find(suffix, start, start + limit + len(suffix))
        if s == -1 or s <= start:
            continue
        inner = text[start:s]
        if difflib.SequenceMatcher(None, inner, quote, autojunk=False).ratio() < 0.5:
            continue
        if best is None or abs(start - hint) < abs(best[0] - hint):
            best = (start, s)
    return best


def _fuzzy(text: str, quote: str, hint: int) -> tuple[int, int] | None:
    if len(quote) < 12:
        return None  # too short to place by similarity without false positives
    pad = 2 * len(quote) + 500
    windows = [(max(0, hint - pad), min(len(text), hint + len(quote) + pad))]
    if len(text) <= FUZZY_WHOLE_TEXT and windows[0] != (0, len(text)):
        windows.append((0, len(text)))
    for lo, hi in windows:
        span = _fuzzy_in(text, quote, lo, hi)
        if span is not None:
            return span
    return None


def _fuzzy_in(text: str, quote: str, lo: int, hi: int) -> tuple[int, int] | None:
    window = text[lo:hi]
    sm = difflib.SequenceMatcher(None, window, quote, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return None
    # keep the blocks that cluster around the longest one
    anchor_block = max(blocks, key=lambda b: b.size)
    offset = anchor_block.a - anchor_block.b  # where the quote would start in the window
    near = [b for b in blocks if abs((b.a - b.b) - offset) <= len(quote) // 2]
    start = min(b.a for b in near)
    end = max(b.a + b.size for b in near)
    if end - start > 2 * len(quote):
        return None
    ratio = difflib.SequenceMatcher(None, window[start:end], quote, autojunk=False).ratio()
    if ratio < FUZZY_MIN_RATIO:
        return None
    return lo + start, lo + end


def anchor(text: str, quote: str, prefix: str, suffix: str,
           hint: int) -> tuple[int, int] | None:
    """Where ``quote`` now is in ``text`` (``hint``: its old start offset), or None."""
    if not quote:
        return None
    exact = [(i, i + len(quote)) for i in find_all(text, quote)]
    found = _best(text, exact, prefix, suffix, hint)
    if found is not None:
        return found
    found = _best(text, find_tolerant(text, quote), prefix, suffix, hint)
    if found is not None:
        return found
    found = _by_context(text, quote, prefix, suffix, hint)
    if found is not None:
        return found
    return _fuzzy(text, quote, hint)


def is_placed(text: str, quote: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text) and text[start:end] == quote


# -- annotations ---------------------------------------------------------------------------------
def reanchor_all(article: Article, sha: str, annotations: list[Annotation]) -> list[str]:
    """Re-anchor (in memory) every annotation not placed in the current text; returns the ids
    whose place changed."""
    if sha == article.sha256 and all(
            not a.orphaned and is_placed(article.text, a.quote, a.start, a.end)
            for a in annotations):
        return []
    moved = []
    for ann in annotations:
        before = (ann.start, ann.end, ann.orphaned)
        reanchor(article, ann)
        if (ann.start, ann.end, ann.orphaned) != before:
            moved.append(ann.id)
    annotations.sort(key=lambda a: (a.start, a.end, a.id))
    return moved


def reanchor(article: Article, ann: Annotation) -> None:
    text = article.text
    if is_placed(text, ann.quote, ann.start, ann.end):
        ann.orphaned = False
        return
    span = anchor(text, ann.quote, ann.prefix, ann.suffix, ann.start)
    if span is None:
        ann.orphaned = True
        return
    place(article, ann, *span)


def place(article: Article, ann: Annotation, start: int, end: int) -> None:
    quote = article.text[start:end]
    if quote != ann.quote and "previous_quote" not in ann.extra:
        ann.extra["previous_quote"] = ann.quote
    ann.quote = quote
    ann.prefix, ann.suffix = context(article.text, start, end)
    ann.start, ann.end, ann.orphaned = start, end, False
