"""The search query language: parsing a query into a small tree.

No Whoosh here: :mod:`reader.search.compiler` turns the tree into Whoosh queries, and
:mod:`reader.search.hits` finds the tree's hits in an article's text.

Grammar (operators in capitals; words are ANDed)::

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*
    unary   := ("NOT" | "-") unary | "(" or ")" | [field ":"] value
    value   := word | word"*" | word"~"[N] | '"' words '"' | "[" from "TO" to "]" (date only)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from reader.search.analysis import fold, folded_words, is_stop

FUZZY_PREFIX = 2  # fuzzy words must keep their first 2 letters (speed: fewer candidates)
# Limits: every query answers, or is refused in one line, in about a second.
MAX_QUERY_CHARS = 1000
MAX_DEPTH = 10  # parentheses and NOTs, one inside the other
MAX_TERMS = 16  # words, phrases and field terms
MAX_PHRASE_WORDS = 32
MAX_FUZZY_LETTERS = 20  # the typo automaton of a longer word takes seconds to build
FIELDS = ("title", "source", "place", "lang", "tag", "note", "date", "memo")
FIELD_ALIASES = {"language": "lang", "tags": "tag", "notes": "note", "src": "source",
                 "memos": "memo"}


class QueryError(ValueError):
    """A query the user must fix; ``str(exc)`` is a short message for them."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # folded
    field: str = ""  # "" = the article (title and body)
    prefix: bool = False
    fuzzy: int = 0  # max edit distance, 0 = not fuzzy


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]  # folded
    field: str = ""


@dataclass(frozen=True, slots=True)
class DateRange:
    start: str  # inclusive, "" = open
    end: str  # inclusive upper bound as a prefix ("2024-06" covers the whole month)


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Word | Phrase | DateRange | And | Or | Not

_LEX = re.compile(r'\s+|(?P<lp>\()|(?P<rp>\))|(?P<q>")|(?P<field>[A-Za-z]+):(?=\S)'
                  r'|(?P<minus>-)(?=[A-Za-z]+:\S)|(?P<word>[^\s()"]+)')
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _is_field_name(name: str) -> bool:
    low = name.lower()
    return FIELD_ALIASES.get(low, low) in FIELDS


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise QueryError(f"bad date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise QueryError(f"no such date: {value}") from None
    return value


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[tuple[str, str]] = []
        self._lex()
        self.i = 0
        self.depth = 0

    def _lex(self) -> None:
        text, pos = self.text, 0
        while pos < len(text):
            m = _LEX.match(text, pos)
            assert m is not None  # the pattern matches any character
            pos = m.end()
            kind = m.lastgroup
            if kind is None:
                continue
            if kind == "q":
                close = text.find('"', pos)
                if close < 0:
                    raise QueryError('unbalanced quote: add the closing "')
                self.toks.append(("phrase", text[pos:close]))
                pos = close + 1
                # a phrase may carry a field's value: handled by the parser
            elif kind == "field":
                self.toks.append(("field", m.group("field")))
            elif kind == "minus":  # -source:x: NOT of the whole field term
                self.toks.append(("word", "-"))
            elif kind == "word" and _is_field_name(m.group()[:-1]) and m.group().endswith(":"):
                self.toks.append(("field", m.group()[:-1]))  # 'tag:' alone or 'tag: x'
            else:
                self.toks.append((kind, m.group()))

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        if not self.toks:
            return None
        node = self.or_()
        if self.peek() is not None:
            kind, value = self.take()
            raise QueryError("unbalanced ')': remove it or add '('" if kind == "rp"
                             else f"unexpected {value!r}")
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while self.peek() == ("word", "OR"):
            self.take()
            if self.peek() is None or self.peek() == ("rp", ")"):
                raise QueryError("OR needs a term on both sides")
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self) -> Node:
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "rp" or tok == ("word", "OR"):
                break
            if tok == ("word", "AND"):
                self.take()
                continue
            items.append(self.unary())
        if not items:
            prev = self.toks[self.i - 1] if self.i else None
            raise QueryError("OR needs a term on both sides" if self.peek() == ("word", "OR")
                             else "AND needs a term on both sides" if prev == ("word", "AND")
                             else "empty parentheses")
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # the term itself is one level more
                raise QueryError(f"too deeply nested: at most {MAX_DEPTH} levels of "
                                 "parentheses and NOT")
            return self._unary()
        finally:
            self.depth -= 1

    def _unary(self) -> Node:
        kind, value = self.take()
        if (kind, value) == ("word", "NOT") or (kind == "word" and value == "-"):
            if self.peek() is None or self.peek() in (("rp", ")"), ("word", "OR")):
                raise QueryError(f"{value} needs a term after it")
            return Not(self.unary())
        if kind == "word" and value.startswith("-") and len(value) > 1:
            self.toks.insert(self.i, ("word", value[1:]))
            return Not(self.unary())
        if kind == "lp":
            node = self.or_()
            if self.peek() != ("rp", ")"):
                raise QueryError("unbalanced '(': add the closing ')'")
            self.take()
            return node
        if kind == "rp":
            raise QueryError("unbalanced ')': remove it or add '('")
        if kind == "field":
            name = FIELD_ALIASES.get(value.lower(), value.lower())
            if name not in FIELDS:
                raise QueryError(f"unknown field '{value}:' (fields: "
                                 + ", ".join(f + ":" for f in FIELDS) + ")")
            if self.peek() is None:
                raise QueryError(f"{value}: needs a value")
            return self.field_value(name)
        if kind == "phrase":
            return _phrase(value, "")
        return _word(value, "")

    def field_value(self, name: str) -> Node:
        kind, value = self.take()
        if name == "date":
            return self.date_value(kind, value)
        if kind == "phrase":
            if name in ("tag", "lang"):
                return Word(fold(value.strip()), name)
            return _phrase(value, name)
        if kind != "word":
            raise QueryError(f"{name}: needs a value")
        if name == "tag":
            if value == "*":  # any tag: every article with a tagged passage
                return Word("", "tag", prefix=True)
            prefix = value.endswith("*") and len(value) > 1
            return Word(fold(value.rstrip("*") if prefix else value), "tag", prefix=prefix)
        if name == "lang":
            low = fold(value)
            return Word({"indonesian": "id", "english": "en", "ind": "id", "eng": "en"}
                        .get(low, low), "lang")
        return _word(value, name)

    def date_value(self, kind: str, value: str) -> Node:
        if kind == "word" and value.startswith("["):
            parts = [value]
            while not parts[-1].endswith("]"):
                if self.peek() is None or self.peek()[0] != "word":  # type: ignore[index]
                    raise QueryError("unbalanced '[': write date:[2024-06-01 TO 2024-06-30]")
                parts.append(self.take()[1])
            inner = " ".join(parts)[1:-1].split()
            if len(inner) == 3 and inner[1].upper() == "TO":
                lo, hi = inner[0], inner[2]
            elif len(inner) == 2 and inner[0].upper() == "TO":
                lo, hi = "*", inner[1]
            elif len(inner) == 2 and inner[1].upper() == "TO":
                lo, hi = inner[0], "*"
            else:
                raise QueryError("date range: write date:[2024-06-01 TO 2024-06-30]")
            lo = "" if lo == "*" else _check_date(lo)
            hi = "" if hi == "*" else _check_date(hi)
            if lo and hi and lo > hi and not lo.startswith(hi):  # [2024-06-01 TO 2024-06]
                raise QueryError(f"date range is backwards: {lo} is after {hi}")
            return DateRange(lo, hi)
        if kind != "word":
            raise QueryError("date: needs a date such as 2024-06-19")
        d = _check_date(value)
        return DateRange(d, d)


def _word(raw: str, field: str) -> Node:
    fuzzy = 0
    m = re.match(r"^(.*?)~(\d?)$", raw)
    if m and m.group(1):
        raw, fuzzy = m.group(1), int(m.group(2) or 0) or (2 if len(m.group(1)) >= 8 else 1)
        fuzzy = min(fuzzy, 2)
        if len(raw) > MAX_FUZZY_LETTERS:
            raise QueryError(f"a word with ~ can have at most {MAX_FUZZY_LETTERS} letters")
    prefix = raw.endswith("*") and not fuzzy
    if prefix:
        raw = raw.rstrip("*")
    parts = folded_words(raw)
    if not parts:
        if prefix:
            raise QueryError("a prefix needs at least 2 letters before '*'")
        raise QueryError(f"nothing to search for in {raw!r}")
    if len(parts) > 1:  # kerja-sama, 19/6/2024, U.S.: the words in that order
        if prefix or fuzzy:
            return Phrase(tuple(parts), field)  # operators on compounds: the compound
        return Phrase(tuple(parts), field)
    if prefix and len(parts[0]) < 2:
        raise QueryError("a prefix needs at least 2 letters before '*'")
    if fuzzy and len(parts[0]) < FUZZY_PREFIX:
        raise QueryError(f"a word with ~ needs at least {FUZZY_PREFIX} letters")
    return Word(parts[0], field, prefix=prefix, fuzzy=fuzzy)


def _phrase(raw: str, field: str) -> Node:
    parts = folded_words(raw)
    if not parts:
        raise QueryError('empty phrase ""')
    if len(parts) > MAX_PHRASE_WORDS:
        raise QueryError(f"phrase too long ({len(parts)} words): at most {MAX_PHRASE_WORDS}")
    if len(parts) == 1:
        return Phrase((parts[0],), field)
    return Phrase(tuple(parts), field)


def parse(text: str) -> Node | None:
    """The query's tree, or None for a blank query. Raises :class:`QueryError`, also for a
    query over the limits (:data:`MAX_QUERY_CHARS`, :data:`MAX_DEPTH`, :data:`MAX_TERMS`,
    :data:`MAX_PHRASE_WORDS`, :data:`MAX_FUZZY_LETTERS`)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text):,} characters): at most "
                         f"{MAX_QUERY_CHARS:,}")
    node = _Parser(text).parse()
    if node is None:
        return None
    node = _drop_stops(node)
    terms = _count_terms(node)
    if terms > MAX_TERMS:
        raise QueryError(f"too many terms ({terms}): at most {MAX_TERMS} words, phrases and "
                         "field terms")
    return node


def _count_terms(node: Node) -> int:
    if isinstance(node, And | Or):
        return sum(_count_terms(n) for n in node.items)
    if isinstance(node, Not):
        return _count_terms(node.item)
    return 1


def _drop_stops(node: Node) -> Node:
    """Leave out stop words ANDed with other terms (``the``, ``yang``) as search engines do."""
    if isinstance(node, And):
        items = [_drop_stops(n) for n in node.items]
        kept = [n for n in items
                if not (isinstance(n, Word) and not n.field and not n.prefix and not n.fuzzy
                        and is_stop(n.text, ""))]
        if not any(not isinstance(n, Not) for n in kept):
            kept = items
        return kept[0] if len(kept) == 1 else And(tuple(kept))
    if isinstance(node, Or):
        return Or(tuple(_drop_stops(n) for n in node.items))
    if isinstance(node, Not):
        return Not(_drop_stops(node.item))
    return node
