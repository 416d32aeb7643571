"""The tiers of frequent words as a query runs them: candidates first, then a bound.

A tier (:mod:`reader.search.terms`) lists the articles where a frequent stem weighs at least
a given impact. A query of frequent words is scored first on the articles of its words'
tiers (and the whole lists of its rarer stems and title terms, short anyway): the
*candidates*. Their best are the query's best only if no other article can score more, so
each tier carries a *ceiling*: the most an article outside the candidates can score, from
the tier's impact for the tiered terms (an article outside the tier is below it), the most a
filter's term can give, and the constant scores. The search keeps a tier's page only when
its last result reaches the ceiling; otherwise the next, longer tier is tried, then every
match (:meth:`reader.search.index.SearchIndex.search`).

No Whoosh matching here: the candidates are Whoosh queries, the ceiling is arithmetic over
the idf the searcher gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from reader.search import analysis, terms
from reader.search.query import And, DateRange, Node, Not, Or, Word
from reader.search.schema import EXACT_BOOST

WORDS, TITLE = "words", "title"
UNSCORED = frozenset({"lang", "date", "id"})  # fields whose terms score their weight, 1
# Whoosh keeps a field's length in a byte (rounded), and the index's average length is not
# the nominal one the tiers were cut with: the ceiling leaves this much room for both.
LENGTH_ROOM = 0.85

Term = tuple[str, str, float]  # field, term, query boost


@dataclass(frozen=True, slots=True)
class Ceiling:
    """What an article outside a tier's candidates can score at most."""
    impact: float  # the tier's impact: the tiered terms of such an article are below it
    capped: tuple[Term, ...] = ()  # terms below ``impact`` outside the candidates
    free: tuple[Term, ...] = ()  # terms that may weigh anything (filters, stop words)
    constant: float = 0.0  # constant-score parts (date ranges, prefixes, NOT)

    def __add__(self, other: Ceiling) -> Ceiling:
        return Ceiling(self.impact, self.capped + other.capped, self.free + other.free,
                       self.constant + other.constant)

    def value(self, idf: Callable[[str, str], float], average_length: float) -> float:
        """The ceiling for an index with these term idfs and this average ``words``
        length (BM25: ``idf * tf * (K1 + 1) / (tf + K1 * norm)``)."""
        k1 = terms.K1
        x = self.impact / (k1 + 1 - self.impact)  # tf / (K1 * norm) at the tier's impact
        room = min(1.0, terms.NOMINAL_LENGTH / max(average_length, 1.0)) * LENGTH_ROOM
        capped = (k1 + 1) * x / (x + room)
        total = self.constant
        total += sum(idf(f, t) * boost * capped for f, t, boost in self.capped)
        total += sum(idf(f, t) * boost * (k1 + 1) if f not in UNSCORED else boost
                     for f, t, boost in self.free)
        return total


@dataclass(frozen=True, slots=True)
class Tier:
    candidates: Any  # the Whoosh query of the articles to score first
    ceiling: Ceiling


def tiers(node: Node) -> tuple[Tier, ...]:
    """The tiers to try for a parsed query, the shortest first (none when the query has no
    frequent word, or a part no tier can bound)."""
    out = []
    for level in terms.LEVELS:
        found = _tier(node, level)
        if found is not None:
            out.append(Tier(*found))
    return tuple(out)


def plain_word(node: Node) -> bool:
    """A word of the article, without field, prefix or typo."""
    return isinstance(node, Word) and not (node.field or node.prefix or node.fuzzy)


def _tier(node: Node, level: int) -> tuple[Any, Ceiling] | None:
    impact = terms.TIER_IMPACTS[level - 1]
    if plain_word(node):
        assert isinstance(node, Word)
        return _word(node.text, level, impact)
    if isinstance(node, And):
        queries: list[Any] = []
        ceiling = Ceiling(impact)
        for item in node.items:
            if _filter(item):
                part = _filter_ceiling(item, impact)
                if part is None:
                    return None
                ceiling += part
                continue
            found = _tier(item, level)
            if found is None:
                return None  # a rare word or a phrase: the conjunction is short already
            queries.append(found[0])
            ceiling += found[1]
        if not queries:
            return None
        return (queries[0] if len(queries) == 1 else wq.Or(queries)), ceiling
    if isinstance(node, Or):
        found_all = [_tier(item, level) for item in node.items]
        if any(f is None for f in found_all):
            return None
        ceiling = Ceiling(impact)
        for f in found_all:
            assert f is not None
            ceiling += f[1]
        return wq.Or([f[0] for f in found_all if f is not None]), ceiling
    return None


def _word(word: str, level: int, impact: float) -> tuple[Any, Ceiling] | None:
    tiered, rare = terms.tier_stems(word)
    if not tiered:
        return None
    own = [word] if word not in tiered and word not in rare else []  # unknown language
    parts = [wq.Term(WORDS, terms.tier_term(level, s)) for s in tiered]
    parts += [wq.Term(WORDS, s) for s in [*rare, *own]]
    parts += [wq.Term(TITLE, s) for s in [*tiered, *rare, *own]]  # titles weigh a lot too
    exact = terms.EXACT + word
    capped: list[Term] = [(WORDS, s, 1.0) for s in tiered]
    free: list[Term] = []
    if analysis.is_stop(word, ""):  # written without its stem in some language: unbounded
        free += [(WORDS, exact, EXACT_BOOST), (TITLE, exact, EXACT_BOOST)]
    else:  # each time it is written its stem is counted: it weighs no more than its stem
        capped.append((WORDS, exact, EXACT_BOOST))
    return wq.Or(parts), Ceiling(impact, tuple(capped), tuple(free))


def _filter(node: Node) -> bool:
    return isinstance(node, Not | DateRange) or (isinstance(node, Word) and bool(node.field))


def _filter_ceiling(node: Node, impact: float) -> Ceiling | None:
    """What a filter ANDed into the query adds to an article's score at most."""
    if isinstance(node, Not | DateRange):
        return Ceiling(impact, constant=1.0)
    assert isinstance(node, Word)
    if node.fuzzy:
        return None  # its spellings are summed: no bound without expanding it
    if node.prefix or node.field in UNSCORED:
        return Ceiling(impact, constant=1.0)
    if node.field == "tag":  # the tag, or a child of it (a prefix: constant)
        return Ceiling(impact, free=(("tags", node.text, 1.0),), constant=1.0)
    if node.field in ("source", "place"):
        return Ceiling(impact, free=((node.field, node.text, 1.0),))
    field = TITLE if node.field == "title" else "notes"
    free: list[Term] = [(field, s, 1.0) for s in sorted(analysis.stems(node.text))]
    free.append((field, terms.EXACT + node.text, EXACT_BOOST))
    return Ceiling(impact, free=tuple(free))
