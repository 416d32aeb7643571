"""Scoring a query a term at a time, over whole posting lists read as C arrays.

Whoosh scores a query a document at a time through a tree of matcher objects: five or six
Python calls per posting and per term (about 5 us each), so a word held by 30,000 articles
cost a third of a second. Here each term of the query is read once, as arrays of document
numbers and weights (the blocks Whoosh decoded, kept by :mod:`reader.search.whoosh_fixes`),
and scored in one comprehension with the same BM25F arithmetic as Whoosh's scorer, so the
scores are Whoosh's to the last bit for a term (sums of several terms may differ in the last
bit: they are added in another order). ORs add the scores of their parts, ANDs keep the
documents every part holds (the shortest part first, the others read only for those), NOTs
remove documents; a prefix or a typo is the OR of the words it stands for, a date range a
filter scoring 1, as in Whoosh. Any other query (a phrase of the title) is scored by
Whoosh's own matcher, on the documents still in play.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length

from reader.search import whoosh_fixes  # noqa: F401 - the block cache and skips

Scores = dict[int, float]  # segment document number -> score
# below this many candidates per posting, candidates are looked up rather than the list read
LOOKUP_SHARE = 8


class Segment:
    """Scores queries on one segment of the index (a leaf searcher of Whoosh's)."""

    def __init__(self, top: Any, sub: Any) -> None:
        self.top = top  # the whole index's searcher: idf and average lengths are global
        self.sub = sub
        self.reader = sub.reader()
        self.schema = self.reader.schema
        self.k1 = float(top.weighting.K1)
        self.b = float(top.weighting.B)
        deleted = self.reader.__dict__.get("_reader_deleted")  # fixed while it is open
        if deleted is None:
            deleted = self.reader.__dict__["_reader_deleted"] = frozenset(
                self.reader._perdoc.deleted_docs())
        self.deleted: frozenset[int] = deleted

    # -- the query tree ----------------------------------------------------------------------
    def scores(self, q: Any, among: set[int] | None = None) -> Scores:
        """Every document of this segment ``q`` matches (among ``among`` when given), with
        its score."""
        kind = type(q)
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost, among)
        if kind is wq.Or and q.boost == 1.0 and not q.minmatch and q.scale is None:
            total: Scores = {}
            for part in q.subqueries:
                for d, s in self.scores(part, among).items():
                    total[d] = total.get(d, 0.0) + s
            return total
        if kind is wq.And and q.boost == 1.0:
            return self._and(q.subqueries, among)
        if kind is wq.NumericRange and q.constantscore:  # a date range: a filter, scored 1
            found = self.docs(q)
            return dict.fromkeys(found if among is None else found & among, q.boost)
        if isinstance(q, wq.MultiTerm) and q.boost == 1.0:  # prefix, typo: its words ORed
            words = [w for w in q._btexts(self.reader) if w]
            return self.scores(wq.Or([wq.Term(q.fieldname, w) for w in words]), among)
        return self.whoosh_scores(q, among)

    def _and(self, parts: Iterable[Any], among: set[int] | None) -> Scores:
        positive = [p for p in parts if type(p) is not wq.Not]
        negative = [p for p in parts if type(p) is wq.Not]
        if not positive or any(p.boost != 1.0 for p in negative):
            return self.whoosh_scores(wq.And(list(parts)), among)
        positive.sort(key=self._size)
        total = self.scores(positive[0], among)
        for part in positive[1:]:
            if not total:
                return {}
            found = self.scores(part, set(total))
            total = {d: s + found[d] for d, s in total.items() if d in found}
        for part in negative:
            if not total:
                return {}
            gone = self.scores(part.query, set(total))
            # Whoosh's inverse matcher scores 1 for a document it lets through
            total = {d: s + 1.0 for d, s in total.items() if d not in gone}
        return total

    def _size(self, q: Any) -> int:
        try:
            return int(q.estimate_size(self.reader))
        except Exception:  # noqa: BLE001 - a query that cannot say: last
            return 1 << 30

    def docs(self, q: Any) -> set[int]:
        """The documents ``q`` matches (an OR of terms is read as arrays, unscored)."""
        kind = type(q)
        if kind is wq.Or:
            out: set[int] = set()
            for part in q.subqueries:
                out |= self.docs(part)
            return out
        if kind is wq.Term and q.fieldname in self.schema:
            btext = (q.text if isinstance(q.text, bytes)
                     else self.schema[q.fieldname].to_bytes(q.text))
            if (q.fieldname, btext) not in self.reader:
                return set()
            return set(self._postings(q.fieldname, btext)[0]) - self.deleted
        if kind is wq.And and q.subqueries and not any(type(p) is wq.Not
                                                       for p in q.subqueries):
            return set.intersection(*(self.docs(p) for p in q.subqueries))
        if kind is wq.NumericRange:
            return self.docs(q._compile_query(self.reader))
        if kind is wq.ConstantScoreQuery:
            return self.docs(q.child)
        if isinstance(q, wq.MultiTerm):
            return self.docs(wq.Or([wq.Term(q.fieldname, w)
                                    for w in q._btexts(self.reader) if w]))
        return set(q.docs(self.sub))

    # -- a term ------------------------------------------------------------------------------
    def term(self, field: str, text: Any, boost: float, among: set[int] | None) -> Scores:
        if field not in self.schema:
            return {}
        fieldobj = self.schema[field]
        btext = text if isinstance(text, bytes) else fieldobj.to_bytes(text)
        if (field, btext) not in self.reader:
            return {}
        ids, weights = self._postings(field, btext)
        pairs = _among(ids, weights, among, self.deleted)
        if fieldobj.scorable:
            idf = float(self.top.idf(field, fieldobj.from_bytes(btext)))
            norm = self.norms(field)
            k1p = self.k1 + 1
            if boost == 1.0:
                return {d: idf * ((w * k1p) / (w + norm[d])) for d, w in pairs}
            return {d: idf * ((w * k1p) / (w + norm[d])) * boost for d, w in pairs}
        return {d: w if boost == 1.0 else w * boost for d, w in pairs}

    def _postings(self, field: str, btext: bytes) -> tuple[Any, Any]:
        """(document numbers, weights) of a term, deleted documents included."""
        m = self.reader._terms.matcher(field, btext, self.schema[field].format)
        if isinstance(m, W3LeafMatcher):
            ids = array("i")
            weights = array("f")
            while m.is_active():
                m._read_ids()
                m._read_weights()
                ids.extend(m._ids)
                weights.extend(m._weights)
                m._next_block()
            return ids, weights
        if isinstance(m, ListMatcher):  # a rare term, kept in the term table
            found = list(m.all_ids())
            return found, [m._weights[i] if m._weights else (m._all_weights or 1.0)
                           for i in range(len(found))]
        found, ws = [], []
        while m.is_active():
            found.append(m.id())
            ws.append(m.weight())
            m.next()
        return found, ws

    def norms(self, field: str) -> list[float]:
        """``K1 * ((1 - B) + B * length / average)`` of every document, as Whoosh's BM25F
        scorer computes it (the length as the segment keeps it, in a byte)."""
        average = float(self.top.avg_field_length(field) or 1)
        memo: dict[tuple[str, float], list[float]] = self.reader.__dict__.setdefault(
            "_reader_norms", {})
        found = memo.get((field, average))
        if found is None:
            k1, b = self.k1, self.b
            table = [k1 * ((1 - b) + b * byte_to_length(n) / average) if n else 0.0
                     for n in range(256)]
            column = self.reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
            found = memo[(field, average)] = [table[n] for n in _length_bytes(column)]
            if len(memo) > 8:
                memo.pop(next(iter(memo)))
        return found

    # -- anything else -------------------------------------------------------------------------
    def whoosh_scores(self, q: Any, among: set[int] | None = None) -> Scores:
        """The same, by Whoosh's own matchers, a document at a time."""
        m = q.matcher(self.sub, self.top.context(needs_current=True))
        out: Scores = {}
        if among is None:
            while m.is_active():
                out[m.id()] = float(m.score())
                m.next()
            return out
        for d in sorted(among):
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    break
            if m.id() == d:
                out[d] = float(m.score())
        return out


def _among(ids: Any, weights: Any, among: set[int] | None,
           deleted: frozenset[int]) -> list[tuple[int, float]] | Any:
    """(document, weight) of the postings, of the documents ``among`` only when given,
    deleted documents left out."""
    if among is not None and len(among) * LOOKUP_SHARE < len(ids):
        out = []
        n = len(ids)
        for d in among:
            i = bisect_left(ids, d)
            if i < n and ids[i] == d and d not in deleted:
                out.append((d, weights[i]))
        return out
    pairs: Any = zip(ids, weights, strict=True)
    if among is not None:
        return [(d, w) for d, w in pairs if d in among and d not in deleted]
    if deleted:
        return [(d, w) for d, w in pairs if d not in deleted]
    return pairs


def _length_bytes(column: Any) -> bytes:
    """The lengths column's bytes, one per document (Whoosh's ``load()`` reads them one
    call at a time: 0.3 s for 100k documents)."""
    if column is None:
        return b""
    if getattr(column, "_typecode", None) == "B" and getattr(column, "_fixedlen", 0) == 1:
        raw = bytes(column._dbfile.get(column._basepos, column._count))
        return raw + bytes(max(0, column._doccount - len(raw)))
    return bytes(column.load())
