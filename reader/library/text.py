"""Text structure: decoding, front matter, blocks (title, headings, paragraphs, boilerplate),
sentences. Pure functions over strings; offsets index the normalised body. What a reader
derives from the text (dateline, first date, title) is in :mod:`reader.library.metadata`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from reader import yamlio
from reader.models import Article, Block, BlockKind

# ---------------------------------------------------------------- decoding and front matter


_NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\x0c\r"  # deleted to count control bytes


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes -> normalised text (BOM removed, CRLF/CR -> LF) and warnings.

    A file holding NUL bytes is taken as binary: its text is empty and a warning says so.
    """
    warnings: list[str] = []
    sample = data[:8192]
    control = len(sample.translate(None, _NOT_CONTROL))
    if sample.count(b"\x00") > max(2, len(sample) // 100) or control > max(4, len(sample) // 20):
        return "", ["looks like a binary file, not text: nothing to show"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        warnings.append(f"not valid UTF-8: {bad} undecodable byte sequence(s) shown as \ufffd")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
        warnings.append("stray NUL bytes shown as \ufffd")
    if not text.strip():
        warnings.append("empty file")
    return text, warnings


_FM_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
MAX_FRONT_MATTER = 64 * 1024  # characters; metadata, not a document of its own
_FM_NAME = Path("front matter")


def split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """``---\\n yaml \\n---\\n body`` -> (mapping, body, warnings).

    The YAML is read as strictly as annotation files (:func:`reader.yamlio.parse`: no
    aliases, no duplicate keys, no numbers too long to convert, dates kept as text) and
    capped at :data:`MAX_FRONT_MATTER` characters. Front matter that cannot be used is
    reported in one warning (with its line in the file) and the article reads as having none;
    the block is still cut from the body (it is metadata, not prose)."""
    if not text.startswith("---\n"):
        return {}, text, []
    m = _FM_END.search(text, 4)
    if m is None:
        return {}, text, ["front matter is not closed by a '---' line; shown as text"]
    raw = text[4 : m.start()]
    body = text[m.end() :]
    body = body[1:] if body.startswith("\n") else body
    if len(raw) > MAX_FRONT_MATTER:
        return {}, body, [f"front matter is too large ({len(raw):,} characters; at most "
                          f"{MAX_FRONT_MATTER:,}); ignored"]
    try:
        data, _ = yamlio.parse(_FM_NAME, raw)
    except yamlio.YamlFileError as exc:
        where = f"line {exc.line + 1}: " if exc.line else ""  # the file's line: after '---'
        return {}, body, [f"front matter is not valid YAML ({where}{exc.reason}); ignored"]
    if data is None:
        return {}, body, []
    if not isinstance(data, dict):
        return {}, body, ["front matter is not a mapping; ignored"]
    return {str(k): v for k, v in data.items()}, body, []


# ---------------------------------------------------------------- boilerplate rules (data)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...] = ()


MAX_BOILERPLATE_LINE = 300  # longer lines are prose, whatever they start with


@cache
def boilerplate_rules() -> tuple[Rule, ...]:
    """The rules in ``reader/data/boilerplate.yaml`` (a list of name/pattern/examples)."""
    raw = resources.files("reader.data").joinpath("boilerplate.yaml").read_text("utf-8")
    rules = []
    for entry in yaml.safe_load(raw) or []:
        rules.append(Rule(str(entry["name"]), re.compile(str(entry["pattern"]), re.I),
                          tuple(str(e) for e in entry.get("examples") or ())))
    return tuple(rules)


@cache
def _any_rule() -> re.Pattern[str] | None:
    """All rules in one pattern: most lines are prose, rejected in a single match."""
    try:
        return re.compile("|".join(f"(?:{r.pattern.pattern})" for r in boilerplate_rules()),
                          re.I)
    except re.error:  # a rule with a global inline flag cannot be combined: test one by one
        return None


def boilerplate_rule(line: str) -> str | None:
    """The name of the rule a line matches, or None."""
    s = line.strip()
    if not s or len(s) > MAX_BOILERPLATE_LINE:
        return None
    combined = _any_rule()
    if combined is not None and not combined.fullmatch(s):
        return None
    for rule in boilerplate_rules():
        if rule.pattern.fullmatch(s):
            return rule.name
    return None


def is_boilerplate(line: str) -> bool:
    return boilerplate_rule(line) is not None


# ---------------------------------------------------------------- blocks

_FINAL_PUNCT = ".,;:!\"'”’»)…"
_MD_HEADING = re.compile(r"#{1,6}\s+\S")
HEADLINE_MAX_CHARS = 200
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 10


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        out.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _is_wrapped(chunk: list[tuple[int, int]], text: str) -> bool:
    """A multi-line chunk whose lines look hard-wrapped (all short and of similar length)."""
    if len(chunk) < 2:
        return False
    lengths = [e - s for s, e in chunk]
    if max(lengths) > 100:
        return False
    body = lengths[:-1]
    if min(body) < 30:
        return False
    # wrapped lines rarely end a sentence; one-per-line paragraphs nearly always do
    ends = sum(1 for s, e in chunk[:-1] if text[s:e].rstrip()[-1:] in ".!?\"”")
    return ends <= len(body) // 2


def looks_like_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > HEADING_MAX_CHARS or len(s.split()) > HEADING_MAX_WORDS:
        return False
    if s[-1] in _FINAL_PUNCT or not (s[0].isupper() or s[0].isdigit()):
        return False
    return "\ufffd" not in s


def looks_like_headline(line: str) -> bool:
    s = line.strip()
    return (0 < len(s) <= HEADLINE_MAX_CHARS and len(s.split()) <= 30 and s[-1] not in ".,;:"
            and not is_boilerplate(s))


def blocks(text: str) -> list[Block]:
    """Title (a headline first line followed by a blank line), Markdown and plain headings,
    paragraphs (a line each, or a blank-line separated chunk of hard-wrapped lines) and
    boilerplate lines. Block ranges exclude surrounding whitespace."""
    chunks: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for s, e in _lines(text):
        if text[s:e].strip():
            cur.append((s, e))
        elif cur:
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)

    units: list[tuple[int, int]] = []  # candidate blocks, before classification
    for chunk in chunks:
        if _is_wrapped(chunk, text) and not any(
            _MD_HEADING.match(text[s:e].lstrip()) or is_boilerplate(text[s:e]) for s, e in chunk
        ):
            units.append((chunk[0][0], chunk[-1][1]))
        else:
            units.extend(chunk)

    out: list[Block] = []
    for i, (s, e) in enumerate(units):
        # trim surrounding spaces so the block is exactly its visible text
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        line = text[s:e]
        kind: BlockKind
        if i == 0 and "\n" not in line and looks_like_headline(line) and len(units) > 1 and (
            text[units[0][1] : units[0][1] + 2] == "\n\n" or line.startswith("# ")
        ):
            kind = "title"
        elif _MD_HEADING.match(line):
            kind = "heading"
        elif is_boilerplate(line):
            kind = "boilerplate"
        elif (0 < i < len(units) - 1 and "\n" not in line and looks_like_heading(line)):
            kind = "heading"
        else:
            kind = "paragraph"
        out.append(Block(kind, s, e))
    return out


def block_at(blocks_: list[Block] | tuple[Block, ...], offset: int) -> Block | None:
    """The block containing ``offset`` (or the next one after it)."""
    starts = [b.start for b in blocks_]
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and blocks_[i].start <= offset <= blocks_[i].end:
        return blocks_[i]
    return blocks_[i + 1] if i + 1 < len(blocks_) else None


def paragraph_at(where: Article | Sequence[Block], offset: int) -> Block | None:
    """The block (paragraph, heading, title...) whose text holds ``offset`` (its end counts),
    or None when ``offset`` falls in the blank space between blocks or outside them."""
    blocks_ = where.blocks if isinstance(where, Article) else where
    i = bisect.bisect_right([b.start for b in blocks_], offset) - 1
    if i >= 0 and offset <= blocks_[i].end:
        return blocks_[i]
    return None


# ---------------------------------------------------------------- sentences

# Never end a sentence: titles, ranks, company and address words.
_ABBREVIATIONS = frozenset("""
mr mrs ms messrs dr prof st jr sr vs gen col lt sgt capt cmdr adm maj rep sen gov pres rev
hon inc ltd co corp bros approx dept est univ ave blvd mt ft
yth bpk ibu sdr sdri hj drs dra ir tbk pt cv jl jln kol brigjen mayjen letjen kapt kompol
kombes irjen komjen aipda bripka
""".split())
# Abbreviations only before a number: "No. 5", "Jan. 2024", "hal. 12".
_BEFORE_NUMBER = frozenset("""
no nos vol fig p pp art hal ps ch sec
jan feb mar apr jun jul aug agu agt sep sept oct okt nov dec des
""".split())
# May end a sentence: "... buah, sayur, dll. Kemudian" but "Budi dkk. mengatakan".
_TERMINAL = frozenset("etc dll dsb dst dkk al".split())
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")
_WORD_BACK = 40  # how far back to look for the word before a full stop


def _next_char(text: str, k: int, stop: int) -> str:
    while k < stop and text[k] in " \t":
        k += 1
    return text[k] if k < stop else ""


def _ends_sentence(text: str, i: int, j: int, stop: int) -> bool:
    """Is the punctuation run text[i:j] (followed by whitespace) the end of a sentence?"""
    nxt = _next_char(text, j, stop)
    if text[i] == "\n":
        # a line break ends a sentence unless a hard-wrapped line continues in lower case
        if j < stop and text[j] == "\n":
            return True
        prev = text[i - 1] if i > 0 else ""
        return not (nxt.islower() and prev not in ".!?…\"”")
    if nxt.islower() or nxt in ",;:":
        return False  # '"Kami siap!" katanya.', "... dkk. mengatakan", "Wow... that"
    if text[i] != "." or j - i > 1 and text[i + 1] == ".":
        return True
    # the word before the full stop
    w = i
    while w > max(0, i - _WORD_BACK) and (text[w - 1].isalnum() or text[w - 1] == "."):
        w -= 1
    word = text[w:i]
    low = word.lower()
    if low in _ABBREVIATIONS:
        return False
    if low in _BEFORE_NUMBER:
        return not nxt.isdigit()
    if low in _TERMINAL:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: "J. K. Rowling"
    if "." in word and all(len(p) <= 2 for p in word.split(".")):
        return False  # "U.S." "a.m."
    return True


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within ``text[start:end]``, trimmed of spaces.

    Full stops in numbers (``03.00``), dates (``19/6/2024``), domains (``Liputan6.com``),
    abbreviations (``Dr.``, ``dkk.``) and initials do not end a sentence; closing quotes stay
    with their sentence; a line break ends one unless a hard-wrapped line continues it."""
    stop = len(text) if end is None else min(end, len(text))
    out: list[tuple[int, int]] = []
    s = start
    for m in _BOUNDARY.finditer(text, start, stop):
        i, j = m.span()
        if not _ends_sentence(text, i, j, stop):
            continue
        _add(text, s, i if text[i] == "\n" else j, out)
        s = j
    _add(text, s, stop, out)
    return out


def _add(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


_WINDOW = 4000


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence span containing ``offset`` (or the nearest one after it). Looks only at
    the paragraph around ``offset``, at most ``_WINDOW`` characters either side."""
    offset = max(0, min(offset, len(text)))
    lo = text.rfind("\n\n", max(0, offset - _WINDOW), offset)
    cut = False
    if lo >= 0:
        lo += 2
    else:
        lo = max(0, offset - _WINDOW)
        cut = lo > 0 and text[lo - 1] != "\n"  # mid-paragraph: the first span is partial
    hi = text.find("\n\n", offset, offset + _WINDOW)
    hi = min(len(text), offset + _WINDOW) if hi < 0 else hi
    spans = sentences(text, lo, hi)
    if cut and len(spans) > 1:
        spans = spans[1:]
    for s, e in spans:
        if offset < e or (s <= offset <= e):
            return s, e
    return spans[-1] if spans else (offset, offset)
