"""Query compilation: Whoosh query objects from the tree :mod:`reader.search.query` parses.

A word of the article is matched in the ``words`` field (the body) and in the title:
stemmed in both languages (the query's language is not known), and as written (``=word``),
boosted so an article holding it ranks first. A phrase is a look-up of its word pairs
(``pairs``, for two frequent words in a row) and of its other words as written, or a phrase
of the title; a phrase that is more than one pair is confirmed on the text of the articles
found (:attr:`Plan.confirm`).

:func:`plan` adds first, cheaper forms of the query: the same query over the best articles
of its frequent words only (their tiers, :mod:`reader.search.tiers`), the shortest tier
first. When one fills the page with articles no other can outscore, the long posting lists
of frequent words are never read whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from reader.search import analysis, terms, tiers
from reader.search.query import FUZZY_PREFIX, And, DateRange, Node, Not, Or, Phrase, Word
from reader.search.schema import EXACT_BOOST
from reader.search.tiers import Tier

WORDS, PAIRS, TITLE = "words", "pairs", "title"
_FIELD = {"": WORDS, "title": TITLE, "note": "notes"}


@dataclass(frozen=True, slots=True)
class Plan:
    full: Any  # the Whoosh query
    tiers: tuple[Tier, ...] = ()  # candidates to score ``full`` on first, the fewest first
    confirm: tuple[tuple[str, ...], ...] = ()  # phrases every result must hold, in order
    # a tier is worth scoring when it may hold this many times the page: the number of
    # words ANDed (a conjunction keeps only the candidates that hold them all)
    spread: int = 1


def _word_query(w: Word) -> Any:
    if w.field == "id":  # an article id (memo: terms resolved, reader.search.memo_filter)
        return wq.Term("id", w.text)
    if w.field == "lang":
        return wq.Term("lang", w.text)
    if w.field == "tag":  # a parent finds its children: "a" finds "a/b" (the tag hierarchy)
        if w.prefix:
            return wq.Prefix("tags", w.text)
        return wq.Or([wq.Term("tags", w.text), wq.Prefix("tags", w.text.rstrip("/") + "/")])
    if w.field in ("source", "place"):
        if w.prefix:
            return wq.Prefix(w.field, w.text)
        if w.fuzzy:
            return wq.FuzzyTerm(w.field, w.text, maxdist=w.fuzzy,
                                prefixlength=FUZZY_PREFIX)
        return wq.Term(w.field, w.text)
    fields = [WORDS, TITLE] if w.field == "" else [_FIELD[w.field]]
    exact = terms.EXACT + w.text
    parts: list[Any] = []
    for field in fields:
        if w.prefix:
            parts.append(wq.Prefix(field, exact))
        elif w.fuzzy:
            parts.append(wq.FuzzyTerm(field, exact, maxdist=w.fuzzy,
                                      prefixlength=FUZZY_PREFIX + 1))
        else:
            parts += [wq.Term(field, s) for s in sorted(analysis.stems(w.text))]
            parts.append(wq.Term(field, exact, boost=EXACT_BOOST))
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def phrase_terms(words: tuple[str, ...]) -> tuple[list[Any], bool]:
    """The term queries that find a phrase of the article, and whether they find exactly
    it (one pair of frequent words, or one word) rather than candidates to confirm."""
    if len(words) == 1:
        return [wq.Term(WORDS, terms.EXACT + words[0])], True
    parts: list[Any] = []
    covered: set[int] = set()
    for i in range(len(words) - 1):
        if terms.is_pair(words[i], words[i + 1]):
            parts.append(wq.Term(PAIRS, f"{words[i]} {words[i + 1]}"))
            covered.update((i, i + 1))
    parts += [wq.Term(WORDS, terms.EXACT + w) for i, w in enumerate(words)
              if i not in covered]
    return parts, len(words) == 2 and len(covered) == 2


def _phrase_query(p: Phrase) -> Any:
    if p.field == "":
        parts, _exact = phrase_terms(p.words)
        body = parts[0] if len(parts) == 1 else wq.And(parts)
        return wq.Or([body, _phrase_query(Phrase(p.words, "title"))])
    if p.field in ("source", "place"):
        field, words = p.field, list(p.words)
    else:
        field, words = _FIELD[p.field], [terms.EXACT + w for w in p.words]
    return wq.Term(field, words[0]) if len(words) == 1 else wq.Phrase(field, words)


def compile_query(node: Node) -> Any:
    """The Whoosh query for a parsed query tree."""
    if isinstance(node, Word):
        return _word_query(node)
    if isinstance(node, Phrase):
        return _phrase_query(node)
    if isinstance(node, DateRange):
        if node.start and node.start == node.end and len(node.start) == 10:
            return wq.Term("date", node.start)
        # A text range over "date" would expand to one term per day, scored: seconds at
        # 100k articles. The numeric field's tiered terms make it a handful.
        # An open end is 1 below and None above: Whoosh 2.7.4's tiered numeric range matches
        # every document when the lower bound is None or 0 (checked against a brute-force
        # filter over random dates in tests/test_index.py).
        lo = int((node.start + "-00-00")[:10].replace("-", "")) if node.start else 1
        hi = int((node.end + "-99-99")[:10].replace("-", "")) if node.end else None
        return wq.NumericRange("day", max(lo, 1), hi, constantscore=True)
    if isinstance(node, Not):
        return wq.And([wq.Every(), wq.Not(compile_query(node.item))])
    if isinstance(node, Or):
        return wq.Or([compile_query(n) for n in node.items])
    assert isinstance(node, And)
    positive = [compile_query(n) for n in node.items if not isinstance(n, Not)]
    negative = [compile_query(n.item) for n in node.items if isinstance(n, Not)]
    if not positive:
        positive = [wq.Every()]
    # (Whoosh's AndNot lets excluded documents through here; And + Not does not.)
    items = positive + [wq.Not(n) for n in negative]
    return items[0] if len(items) == 1 else wq.And(items)


# -- the plan: tiers first, phrases confirmed ----------------------------------------------

def _to_confirm(node: Node) -> tuple[tuple[str, ...], ...]:
    """Phrases every result must hold (those not found exactly by their terms), when they
    are the query or ANDed into it; a phrase under OR or NOT is left to its terms."""
    items = node.items if isinstance(node, And) else (node,)
    out = []
    for item in items:
        if isinstance(item, Phrase) and item.field == "" and not phrase_terms(item.words)[1]:
            out.append(item.words)
    return tuple(out)


def plan(node: Node) -> Plan:
    """How to run a parsed query: its Whoosh query, a cheaper tier form tried first, and the
    phrases to confirm on the text."""
    spread = 1
    if isinstance(node, And):
        spread = max(1, sum(1 for item in node.items if tiers.plain_word(item)))
    return Plan(compile_query(node), tiers.tiers(node), _to_confirm(node), spread)
