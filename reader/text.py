"""Text structure: decoding, front matter, blocks (title, headings, paragraphs, boilerplate),
sentences, and the metadata a reader would derive from the text itself (dateline, first date,
headline). Pure functions over strings; offsets index the normalised body.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from reader.models import Block, BlockKind

# ---------------------------------------------------------------- decoding and front matter


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes -> normalised text (BOM removed, CRLF/CR -> LF) and warnings.

    A file holding NUL bytes is taken as binary: its text is empty and a warning says so.
    """
    warnings: list[str] = []
    sample = data[:8192]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
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


def split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """``---\\n yaml \\n---\\n body`` -> (mapping, body, warnings). Bad YAML is reported and
    the block is dropped from the body (it is metadata, not prose)."""
    if not text.startswith("---\n"):
        return {}, text, []
    m = _FM_END.search(text, 4)
    if m is None:
        return {}, text, ["front matter is not closed by a '---' line; shown as text"]
    raw = text[4 : m.start()]
    body = text[m.end() :]
    body = body[1:] if body.startswith("\n") else body
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return {}, body, [f"front matter is not valid YAML{where}; ignored"]
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


def boilerplate_rule(line: str) -> str | None:
    """The name of the rule a line matches, or None."""
    s = line.strip()
    if not s or len(s) > MAX_BOILERPLATE_LINE:
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
            text[units[0][1] : units[0][1] + 2] == "\n\n"
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


# ---------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st jr sr vs etc no nos inc ltd co corp gen col lt sgt capt rep sen gov pres
jan feb mar apr jun jul aug sep sept oct nov dec fig approx dept est univ ave blvd mt ft
dll dsb dkk yth bpk ibu sdr hj drs ir tbk pt jl kol brigjen mayjen letjen kapt kompol
""".split())
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")
_OPENERS = "\"'“‘«([-–—"


def _ends_sentence(text: str, i: int, j: int, stop: int) -> bool:
    """Is the punctuation run text[i:j] (followed by whitespace) the end of a sentence?"""
    if text[i] == "\n":
        # a line break ends a sentence unless a hard-wrapped line continues in lower case
        k = j
        if k < stop and text[k] == "\n":
            return True
        while k < stop and text[k] in " \t":
            k += 1
        prev = text[i - 1] if i > 0 else ""
        return not (k < stop and text[k].islower() and prev not in ".!?…\"”")
    if text[i] != ".":
        return True
    # the word before the full stop
    w = i
    while w > 0 and (text[w - 1].isalnum() or text[w - 1] == "."):
        w -= 1
    word = text[w:i]
    if word.lower() in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: "J. K. Rowling"
    if "." in word and all(len(p) <= 2 for p in word.split(".")):
        return False  # "U.S." "a.m."
    k = j
    while k < stop and text[k] in " \t":
        k += 1
    if k < stop and text[k].islower():
        return False  # "... dkk. mengatakan"
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
    """The sentence span containing ``offset`` (or the nearest one after it)."""
    offset = max(0, min(offset, len(text)))
    lo = text.rfind("\n\n", max(0, offset - _WINDOW), offset)
    lo = lo + 2 if lo >= 0 else max(0, text.rfind("\n", 0, max(0, offset - _WINDOW)) + 1)
    hi = text.find("\n\n", offset, offset + _WINDOW)
    if hi < 0:
        hi = text.find("\n", min(len(text), offset + _WINDOW))
        hi = len(text) if hi < 0 else hi
    spans = sentences(text, lo, hi)
    for s, e in spans:
        if offset < e or (s <= offset <= e):
            return s, e
    return spans[-1] if spans else (offset, offset)


# ---------------------------------------------------------------- metadata from the text

_MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6,
    "jul": 7, "aug": 8, "agu": 8, "agt": 8, "sep": 9, "sept": 9, "oct": 10, "okt": 10,
    "nov": 11, "dec": 12, "des": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("slash", re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)),
    ("mdy", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)),
)
DATE_SCAN_CHARS = 5000


def _valid(y: int, m: int, d: int) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return ""


def first_date(text: str, language: str = "") -> str:
    """The first date written in the text (ISO ``YYYY-MM-DD``), or ``""``.

    ``19/6/2024`` is day/month (Indonesian and British use); in English text a slash date whose
    first number cannot be a day-first reading is read month/day."""
    sample = text[:DATE_SCAN_CHARS]
    best: tuple[int, str] | None = None
    for kind, rx in _DATE_PATTERNS:
        for m in rx.finditer(sample):
            a, b, c = m.groups()
            if kind == "iso":
                iso = _valid(int(a), int(b), int(c))
            elif kind == "slash":
                iso = _valid(int(c), int(b), int(a))
                if not iso or (language == "en" and int(a) <= 12 and int(b) > 12):
                    iso = _valid(int(c), int(a), int(b)) or iso
            elif kind == "dmy":
                iso = _valid(int(c), _MONTHS[b.lower()], int(a))
            else:
                iso = _valid(int(c), _MONTHS[a.lower()], int(b))
            if iso:
                if best is None or m.start() < best[0]:
                    best = (m.start(), iso)
                break
    return best[1] if best else ""


_OUTLET_HINT = re.compile(
    r"\.(com|co\.id|id|net|org|tv|co\.uk|news)\b|\b(tv|news|post|times|pos|antara|reuters|"
    r"ap|afp|bbc|cnn|tempo|kompas|detik|tribun|republika|okezone|liputan6|kumparan|suara|"
    r"merdeka|sindonews|jawapos|bisnis|kontan|voa|xinhua|bernama|associated press)\b",
    re.I,
)
_DASH = r"\s*(?:--|[-–—])\s+"
_DATELINE_PAREN = re.compile(
    rf"^(?P<place>[A-Z][\w .'’-]{{1,40}}?)(?:,\s*[\w .]{{1,30}}?)?"
    rf"\s*\((?P<source>[^()\n]{{2,40}})\){_DASH}"
)
_DATELINE_COMMA = re.compile(rf"^(?P<a>[^,\n\-–—]{{2,40}}),\s*(?P<b>[^,\n]{{2,40}}?){_DASH}")
_DATELINE_PLACE = re.compile(rf"^(?P<place>[A-Z][A-Za-z .'’]{{1,30}}?){_DASH}")


@dataclass(frozen=True, slots=True)
class Dateline:
    source: str
    place: str
    end: int  # offset where the story proper begins


def _place(s: str) -> str:
    s = s.strip()
    return s.title() if s.isupper() else s


def dateline(paragraph: str) -> Dateline | None:
    """``Liputan6.com, Pyongyang - ``, ``PYONGYANG, KOMPAS.TV - ``, ``LONDON (Reuters) - ``,
    ``Jakarta (ANTARA) - ``, ``Jakarta, CNN Indonesia -- ``, ``JAKARTA - ``."""
    m = _DATELINE_PAREN.match(paragraph)
    if m:
        return Dateline(m["source"].strip(), _place(m["place"]), m.end())
    m = _DATELINE_COMMA.match(paragraph)
    if m:
        a, b = m["a"].strip(), m["b"].strip()
        a_src, b_src = bool(_OUTLET_HINT.search(a)), bool(_OUTLET_HINT.search(b))
        if a_src and not b_src:
            return Dateline(a, _place(b), m.end())
        if b_src and not a_src:
            return Dateline(b, _place(a), m.end())
        if a.isupper() and len(a.split()) <= 3 and not b.isupper():
            return Dateline(b, _place(a), m.end())
        return None
    m = _DATELINE_PLACE.match(paragraph)
    if m and (m["place"].isupper() or len(m["place"].split()) <= 2):
        return Dateline("", _place(m["place"]), m.end())
    return None


TITLE_MAX = 90


def shorten(s: str, limit: int = TITLE_MAX) -> str:
    """Cut at a word boundary and add an ellipsis when longer than ``limit``."""
    s = " ".join(s.split())
    if len(s) <= limit:
        return s
    cut = s.rfind(" ", 0, limit - 1)
    cut = cut if cut > limit // 2 else limit - 1
    return s[:cut].rstrip(" ,;:-–—") + "…"


@dataclass(frozen=True, slots=True)
class Derived:
    title: str
    source: str
    place: str
    date: str


def derive(text: str, blocks_: list[Block] | tuple[Block, ...], language: str = "") -> Derived:
    """Title, source, place and date as a reader would take them from the text."""
    title = ""
    first_para: Block | None = None
    for b in blocks_:
        if b.kind == "title" and not title:
            title = " ".join(text[b.start : b.end].split())
        elif b.kind == "paragraph":
            first_para = b
            break
    source = place = ""
    lead = ""
    if first_para is not None:
        para = text[first_para.start : first_para.end]
        dl = dateline(para)
        if dl is not None:
            source, place = dl.source, dl.place
            para = para[dl.end :]
        spans = sentences(para)
        lead = para[spans[0][0] : spans[0][1]] if spans else para
    if not title:
        title = shorten(lead)
    return Derived(title, source, place, first_date(text, language))
