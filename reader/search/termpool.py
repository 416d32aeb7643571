"""The postings of a segment being built, kept by term instead of in one list to sort.

Whoosh's ``PostingPool`` keeps every posting of a new segment as a tuple in one list and
sorts it at the end; past its memory limit it sorts what it holds and writes it to a run
file, a pickle per posting, and at the end merges the runs a posting at a time through
the (restricted, so slower) unpickler. At 100k articles a build process spilled a dozen
runs: most of its time was spent sorting, pickling and unpickling postings.

:class:`TermPool` files each posting under its term as it comes (postings come in document
order, so each term's list is already in order): at the end only the terms are sorted. Past
its limit it writes the terms in order to a run of plain arrays (document numbers, weights,
value bytes: nothing is unpickled), and the runs are merged a term at a time. The segment is
the same, byte for byte (``tests/test_index_segwrite.py``).
"""

from __future__ import annotations

import heapq
import itertools
import os
import struct
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any

from whoosh.system import pack_uint

# field, text, document numbers, weights, and values: value bytes per posting, or for a
# counted field its occurrences (array "I")
Term = tuple[str, bytes, list[int], list[float], "list[bytes] | array[int]"]

# native byte order: a run is read back only by the process that wrote it
_HEAD = struct.Struct("=HHII")  # field number, text length, postings, value bytes
# a posting kept in memory: three slots of its term's flat list (with the list's spare
# room) and its weight's float
_POSTING_BYTES = 56
_TERM_BYTES = 200  # a term kept in memory: its key, list and dict slot


class TermPool:
    """A drop-in for a ``SegmentWriter``'s ``pool`` when the segment is written by
    :func:`reader.search.segwrite.add_terms` (:class:`reader.search.segwrite.BuildWriter`)."""

    def __init__(self, tempdir: str, limitmb: float) -> None:
        self._tempdir = tempdir
        self._limit = int(limitmb * 1024 * 1024)
        self._size = 0
        # field -> term -> [docnum, weight, value bytes (or occurrences where counted),
        # docnum, weight, ...]: one flat list per term, no object per posting
        self._held_terms: dict[str, dict[Any, list[Any]]] = {}
        self._counted: set[str] = set()  # fields whose values are occurrences (pack_uint)
        self._fields: list[str] = []
        self._runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[Any, ...]) -> None:
        """One posting: (fieldname, term bytes, docnum, weight, value bytes or None)."""
        fieldname, btext, docnum, weight, vbytes = item
        if fieldname in self._counted:
            raise ValueError(f"field {fieldname!r} takes counted terms only")
        terms = self._held_terms.get(fieldname)
        if terms is None:
            terms = self._held_terms[fieldname] = {}
        found = terms.get(btext)
        if found is None:
            terms[btext] = [docnum, weight, vbytes]
            self._size += _TERM_BYTES + len(btext)
        else:
            found += (docnum, weight, vbytes)
        self._size += _POSTING_BYTES
        if self._size > self._limit:
            self.save()

    def add_counts(self, fieldname: str, docnum: int, counts: dict[str, Any],
                   boost: float, fieldboost: float) -> int:
        """A document's terms of a counted field (term -> (occurrences, weight)), as
        ``Counted.index`` and ``SegmentWriter.add_document`` would add them: weight times the
        field's boost, times the document's boost for the field, the occurrences packed as the
        value. Returns the occurrences of all the terms together."""
        terms = self._held_terms.get(fieldname)
        if terms is None:
            terms = self._held_terms[fieldname] = {}
            self._counted.add(fieldname)
        elif fieldname not in self._counted:
            raise ValueError(f"field {fieldname!r} takes postings only")
        new = 0
        occurrences = 0
        factor = boost * fieldboost
        get = terms.get
        for term, (n, weight) in counts.items():
            if factor != 1.0:
                weight = weight * boost * fieldboost
            found = get(term)
            if found is None:
                terms[term] = [docnum, weight, n]
                new += 1
            else:
                found += (docnum, weight, n)
            occurrences += n
        self._size += new * _TERM_BYTES + len(counts) * _POSTING_BYTES
        if self._size > self._limit:
            self.save()
        return occurrences

    # -- runs ----------------------------------------------------------------------------

    def _field_number(self, fieldname: str) -> int:
        try:
            return self._fields.index(fieldname)
        except ValueError:
            self._fields.append(fieldname)
            return len(self._fields) - 1

    def save(self) -> None:
        """Write the terms held to a run file, in order, and forget them."""
        if not self._held_terms:
            return
        fd, path = tempfile.mkstemp(suffix=".terms", dir=self._tempdir)
        self._runs.append(path)
        with os.fdopen(fd, "wb") as f:
            for fieldname, btext, ids, weights, values in self._held():
                if isinstance(values, array):  # occurrences: the array is the run's part
                    blob = values.tobytes()
                    sizes = b""
                else:
                    blob = b"".join(values)
                    sizes = array("I", [len(v) for v in values]).tobytes()
                f.write(b"".join((
                    _HEAD.pack(self._field_number(fieldname), len(btext), len(ids),
                               len(blob)),
                    btext, array("I", ids).tobytes(), array("d", weights).tobytes(), sizes,
                    blob)))
        self._held_terms = {}
        self._size = 0

    def _read_run(self, path: str) -> Iterator[Term]:
        fields = self._fields
        with open(path, "rb") as f:
            while True:
                head = f.read(_HEAD.size)
                if not head:
                    return
                field, tlen, n, vlen = _HEAD.unpack(head)
                btext = f.read(tlen)
                ids = array("I")
                ids.frombytes(f.read(4 * n))
                weights = array("d")
                weights.frombytes(f.read(8 * n))
                fieldname = fields[field]
                if fieldname in self._counted:
                    counts = array("I")
                    counts.frombytes(f.read(vlen))
                    yield fieldname, btext, ids.tolist(), weights.tolist(), counts
                    continue
                lengths = array("I")
                lengths.frombytes(f.read(4 * n))
                blob = f.read(vlen)
                values = []
                at = 0
                for size in lengths:
                    values.append(blob[at:at + size])
                    at += size
                yield fieldname, btext, ids.tolist(), weights.tolist(), values

    def _held(self) -> Iterator[Term]:
        for fieldname in sorted(self._held_terms):
            terms = self._held_terms[fieldname]
            if fieldname in self._counted:
                for key in sorted(terms):
                    flat = terms[key]
                    yield (fieldname, key.encode("utf-8"), flat[0::3], flat[1::3],
                           array("I", flat[2::3]))
            else:
                for key in sorted(terms):
                    flat = terms[key]
                    yield (fieldname, key, flat[0::3], flat[1::3],
                           [v or b"" for v in flat[2::3]])

    # -- what the segment writer asks -----------------------------------------------------

    def iter_terms(self) -> Iterator[Term]:
        """Every term with its postings, in term order (fieldname, then text)."""
        if not self._runs:
            yield from self._held()
            return
        sources = [self._read_run(p) for p in self._runs] + [self._held()]
        merged = heapq.merge(*sources, key=lambda t: (t[0], t[1]))
        for (fieldname, btext), group in itertools.groupby(merged, lambda t: (t[0], t[1])):
            parts = list(group)
            if len(parts) == 1:
                yield parts[0]
                continue
            ids: list[int] = []
            weights: list[float] = []
            values: Any = parts[0][4][:0]  # a list, or an array of occurrences
            for part in parts:  # the runs in the order they were written: docnums ascend
                ids += part[2]
                weights += part[3]
                values += part[4]
            yield fieldname, btext, ids, weights, values
        self._held_terms = {}

    def iter_postings(self) -> Iterator[tuple[Any, ...]]:
        """Whoosh's interface: every posting, sorted."""
        for fieldname, btext, ids, weights, values in self.iter_terms():
            if isinstance(values, array):
                values = [pack_uint(n) for n in values]
            for d, w, v in zip(ids, weights, values, strict=True):
                yield fieldname, btext, d, w, v

    def cleanup(self) -> None:
        for path in self._runs:
            try:
                os.remove(path)
            except OSError:
                pass
        self._runs = []
