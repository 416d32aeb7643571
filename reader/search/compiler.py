"""Query compilation: Whoosh query objects from the tree :mod:`reader.search.query` parses.

A word of the article is matched stemmed (in both languages: the query's language is not
known) and as written, in the body and the title; the form as written is boosted so an
article holding it ranks first. Phrases match the exact fields' positions.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from reader.search import analysis
from reader.search.query import FUZZY_PREFIX, And, DateRange, Node, Not, Or, Phrase, Word
from reader.search.schema import EXACT_BOOST


def _word_query(w: Word) -> Any:
    if w.field == "id":  # an article id (memo: terms resolved, reader.search.memo_filter)
        return wq.Term("id", w.text)
    if w.field == "lang":
        return wq.Term("lang", w.text)
    if w.field == "tag":
        return wq.Prefix("tags", w.text) if w.prefix else wq.Term("tags", w.text)
    if w.field in ("source", "place"):
        if w.prefix:
            return wq.Prefix(w.field, w.text)
        if w.fuzzy:
            return wq.FuzzyTerm(w.field, w.text, maxdist=w.fuzzy,
                                prefixlength=FUZZY_PREFIX)
        return wq.Term(w.field, w.text)
    pairs = {"": [("body", "exact"), ("title", "title_exact")],
             "title": [("title", "title_exact")],
             "note": [("notes", "notes_exact")]}[w.field]
    parts: list[Any] = []
    for stemmed, exact in pairs:
        if w.prefix:
            parts.append(wq.Prefix(exact, w.text))
        elif w.fuzzy:
            parts.append(wq.FuzzyTerm(exact, w.text, maxdist=w.fuzzy,
                                      prefixlength=FUZZY_PREFIX))
        else:
            parts.extend(wq.Term(stemmed, s) for s in sorted(analysis.stems(w.text)))
            parts.append(wq.Term(exact, w.text, boost=EXACT_BOOST))
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _phrase_query(p: Phrase) -> Any:
    fields = {"": ["exact", "title_exact"], "title": ["title_exact"],
              "note": ["notes_exact"], "source": ["source"], "place": ["place"]}[p.field]
    parts = [wq.Term(f, p.words[0]) if len(p.words) == 1 else wq.Phrase(f, list(p.words))
             for f in fields]
    return parts[0] if len(parts) == 1 else wq.Or(parts)


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
