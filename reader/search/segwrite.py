"""A full build's segments written a term at a time, byte for byte as Whoosh 2.7.4's
``SegmentWriter`` and W3 codec write them (:class:`BuildWriter`).

Whoosh writes a new segment one posting at a time: each posting of each document is a
tuple in one pool, sorted at the end; ``FieldWriter.add_postings`` then compares each with
the last, asks the document's length, ``W3PostingsWriter.add_posting`` checks its types and
appends it to a block, and a term's end builds a ``W3TermInfo`` and adds a row to the term
table with two writes and a ``tell()``. That was two thirds of a build process's time.
Here the pool files postings by term (:mod:`reader.search.termpool`; a counted field's
terms straight from their dict), only the terms are sorted, each term's postings are
written at once (block statistics over lists), and a term's blocks and its row are one
write each. The files are the same bytes (``tests/test_index_segwrite.py`` compares them
with Whoosh's own writer on real articles), so reading is Whoosh's, untouched.
"""

from __future__ import annotations

import pickle
import struct
import sys
import tempfile
import zlib
from array import array
from collections.abc import Iterable
from hashlib import md5
from operator import itemgetter, sub
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths as _ROW_HEAD
from whoosh.filedb.filetables import md5_hash
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from reader.search.termpool import Term, TermPool

_TERMINFO = W3TermInfo._struct
_NO_ID = 0xFFFFFFFF


def _md5_hash(key: bytes) -> int:
    """``filetables.md5_hash`` (the low 32 bits of the key's MD5) without a hex round trip."""
    return int.from_bytes(md5(key).digest()[12:], "big")


_BIG_ENDIAN = sys.byteorder == "big"


def _uints(counts: array[int]) -> bytes:
    """``b"".join(pack_uint(n) for n in counts)`` (big-endian 4-byte integers) at once."""
    if _BIG_ENDIAN:
        return counts.tobytes()
    swapped = array("I", counts)
    swapped.byteswap()
    return swapped.tobytes()


def _length_bytes(lengths: bytes, ids: list[int]) -> tuple[int, ...]:
    """The length bytes of the documents ``ids`` (a field's lengths as the segment stores
    them, one byte per document: ``length_to_byte``)."""
    if len(ids) == 1:
        return (lengths[ids[0]],)
    found: tuple[int, ...] = itemgetter(*ids)(lengths)
    return found


def _block_stats(weights: list[float], lbytes: tuple[int, ...]) -> tuple[float, int, int]:
    """(max weight, shortest non-zero length byte or 0, longest length byte) as
    ``W3PostingsWriter`` keeps them (its max weight starts at 0, ignores lengths of 0)."""
    top = max(weights)
    most = max(lbytes)
    least = min(lbytes)
    if not least and most:
        least = min(b for b in lbytes if b)
    return (top if top > 0 else 0, least, most)


class _Term:
    """The statistics :class:`W3TermInfo` gathers, block by block (lengths as bytes)."""

    __slots__ = ("weight", "df", "minlength", "maxlength", "maxweight", "minid", "maxid")

    def __init__(self) -> None:
        self.weight: float = 0
        self.df = 0
        self.minlength = 0  # 0: none yet (a length byte of 0 is no length)
        self.maxlength = 0
        self.maxweight: float = 0
        self.minid: int | None = None
        self.maxid = 0

    def add_block(self, ids: list[int], weights: array[float], maxweight: float,
                  minlength: int, maxlength: int) -> None:
        self.weight += sum(weights)
        self.df += len(ids)
        if minlength and (not self.minlength or minlength < self.minlength):
            self.minlength = minlength
        self.maxlength = max(self.maxlength, maxlength)
        self.maxweight = max(self.maxweight, maxweight)
        if self.minid is None:
            self.minid = ids[0]
        self.maxid = ids[-1]

    def to_bytes(self, tail: bytes, inlined: bool) -> bytes:
        head: bytes = _TERMINFO.pack(
            inlined, self.weight, self.df, self.minlength, self.maxlength, self.maxweight,
            _NO_ID if self.minid is None else self.minid,
            _NO_ID if self.maxid is None else self.maxid)
        return head + tail


def _mini_weights(weights: array[float]) -> Any:
    low, top = min(weights), max(weights)
    if low == top:
        return None if top == 1.0 else weights[0]
    return tuple(weights)


def _mini_values(values: list[bytes], fixedsize: int | None) -> Any:
    if fixedsize is None or fixedsize < 0:
        return tuple(values)
    if fixedsize == 0:
        return None
    return emptybytes.join(values)


def add_terms(self: Any, schema: Any, lengths: dict[str, bytes], doccount: int,
              terms: Iterable[Term]) -> None:
    """The terms of a new segment, in order, each with its postings (document numbers in
    order, weights, value bytes or a counted field's occurrences), into the
    ``W3FieldWriter``'s posting file and term table; ``lengths`` holds each field's
    length byte per document (a field it lacks has none: 0)."""
    codec = self._codec
    blocklimit, compression, inlinelimit = (codec._blocklimit, codec._compression,
                                            codec._inlinelimit)
    postfile = self._postfile
    tindex = self._tindex
    tfile = tindex.dbfile
    hashfn = _md5_hash if tindex.hashfn is md5_hash else tindex.hashfn
    buckets = tindex.buckets
    index_append = tindex.index.append
    fieldmap = self._fieldmap
    dumps = pickle.dumps
    compress = zlib.compress
    row_head = _ROW_HEAD.pack
    term_info = _TERMINFO.pack
    lastfn: str | None = None
    fieldid = 0
    fieldkey = b""
    fixedsize: int | None = None
    nolengths = bytes(doccount)
    lens = nolengths
    tpos = tfile.tell()
    lastkey = tindex.lastkey
    rows: list[bytes] = []
    for fieldname, btext, ids, raw_weights, values in terms:
        if fieldname != lastfn:
            if fieldname not in fieldmap:
                fieldmap[fieldname] = len(fieldmap)
            fieldid = fieldmap[fieldname]
            fieldkey = pack_ushort(fieldid)
            fixedsize = schema[fieldname].format.fixed_value_size()
            lens = lengths.get(fieldname, nolengths)
            lastfn = fieldname
        n = len(ids)
        if isinstance(values, array):  # a counted field's occurrences
            if fixedsize != 4:
                raise ValueError(f"field {fieldname!r}: occurrences need 4-byte values")
            blob = _uints(values)
            values = [blob[i:i + 4] for i in range(0, 4 * n, 4)] if n < inlinelimit else []
        else:
            blob = b""
        if n == 1 and inlinelimit > 1:  # most terms: one article (names, pairs, typos)
            d, w, v = ids[0], raw_weights[0], values[0]
            stored = array("f", (w,))[0]
            lb = lens[d]
            row = term_info(True, stored, 1, lb, lb, w if w > 0 else 0, d, d) + dumps(
                ((d,), (stored,), (v,) if v else ()), 2)
        elif n < inlinelimit:
            weights = array("f", raw_weights)
            top, least, most = _block_stats(raw_weights, _length_bytes(lens, ids))
            term = _Term()
            term.add_block(ids, weights, top, least, most)
            # values as distinct objects, as Whoosh has them (pickle shares one object's copies)
            row = term.to_bytes(dumps((tuple(ids), tuple(weights),
                                       tuple(bytes(bytearray(v)) for v in values if v)), 2),
                                True)
        else:
            term = _Term()
            start = postfile.tell()
            chunks = [WHOOSH3_HEADER_MAGIC]
            for at in range(0, n, blocklimit):
                bids = ids[at:at + blocklimit]
                raw = raw_weights[at:at + blocklimit]
                weights = array("f", raw)
                top, least, most = _block_stats(raw, _length_bytes(lens, bids))
                term.add_block(bids, weights, top, least, most)
                deltas = tuple(map(sub, bids, [0, *bids[:-1]]))
                vals = (blob[4 * at:4 * (at + blocklimit)] if blob else
                        _mini_values([v for v in values[at:at + blocklimit] if v], fixedsize))
                data = dumps((deltas, _mini_weights(weights), vals), 2)
                if compression:
                    data = compress(data, compression)
                info = dumps((len(bids), bids[-1], top, compression, least, most), 2)
                size = len(info) + len(data)
                chunks += [pack_int(-size if at + blocklimit >= n else size), info, data]
            written = emptybytes.join(chunks)
            postfile.write(written)
            row = term.to_bytes(pack_long(start) + pack_int(len(written)), False)
        key = fieldkey + btext
        if key <= lastkey:
            raise ValueError(f"Keys must increase: {lastkey!r}..{key!r}")
        lastkey = key
        index_append(tpos)
        rows += (row_head(len(key), len(row)), key, row)
        h = hashfn(key)
        buckets[h & 255].append((h, tpos))
        tpos += _ROW_HEAD.size + len(key) + len(row)
        if len(rows) > 3000:
            tfile.write(emptybytes.join(rows))
            rows = []
    tfile.write(emptybytes.join(rows))
    tindex.lastkey = lastkey


class BuildWriter(SegmentWriter):  # type: ignore[misc]
    """A ``SegmentWriter`` for a new segment whose postings are kept by term
    (:class:`~reader.search.termpool.TermPool`) and written by :func:`add_terms`."""

    def __init__(self, ix: Any, limitmb: float, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(getattr(self._tempstorage, "folder", None)
                             or tempfile.gettempdir(), limitmb)
        # field -> each document's length byte, as the segment's length column holds it
        self._length_bytes: dict[str, bytearray] = {}

    def add_document(self, **fields: Any) -> None:
        """``SegmentWriter.add_document``, with a counted field's terms (a dict, see
        :class:`reader.search.schema.Counted`) filed by the pool straight from the dict."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {fieldname!r}: spelling and vectors are not written")
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                if isinstance(value, dict) and getattr(field, "counted", False):
                    occurrences = pool.add_counts(fieldname, docnum, value,
                                                  field.format.field_boost, fieldboost)
                    if field.scorable:
                        length = occurrences
                else:
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        pool.add((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
            if length:
                lbytes = self._length_bytes.get(fieldname)
                if lbytes is None:
                    lbytes = self._length_bytes[fieldname] = bytearray()
                if len(lbytes) < docnum:
                    lbytes.extend(bytes(docnum - len(lbytes)))
                lbytes.append(length_to_byte(length))
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None,
                                   length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column,
                                              field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        n = self.docnum
        lengths = {name: bytes(b.ljust(n, b"\0")) for name, b in self._length_bytes.items()
                   } if self.codec.length_stats else {}
        add_terms(self.fieldwriter, self.schema, lengths, n, self.pool.iter_terms())
        tindex = self.fieldwriter._tindex
        tindex._write_hashes = lambda: _write_hashes(tindex)
        self.fieldwriter.close()


_POINTER = struct.Struct("!Iq")  # filetables' hash slot: hash value, position


def _write_hashes(self: Any) -> None:
    """``HashWriter._write_hashes``, a bucket's slots written in one piece: the same bytes."""
    dbfile = self.dbfile
    pack = _POINTER.pack
    empty = pack(0, 0)
    for entries in self.buckets:
        pos = dbfile.tell()
        numslots = 2 * len(entries)
        self.directory.append((pos, numslots))
        table: list[bytes] = [empty] * numslots
        taken = [False] * numslots
        for hashval, position in entries:
            slot = (hashval >> 8) % numslots
            while taken[slot]:
                slot = (slot + 1) % numslots
            taken[slot] = True
            table[slot] = pack(hashval, position)
        dbfile.write(emptybytes.join(table))
