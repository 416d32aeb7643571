"""Changes made to Whoosh 2.7.4 when :mod:`reader.search` loads it; nothing else here.

- Every pickle Whoosh reads from an index (table of contents, compound file directories,
  column headers, posting blocks, positions, stored fields, multi-process build jobs) is
  read by :mod:`reader.search.safe_pickle`, which refuses anything reader's index never
  holds: a crafted index cannot run code, it is only found corrupt and rebuilt. Tables of
  contents of Whoosh's legacy formats (read with an unrestricted unpickler) are refused.
- ``BufferFile`` reads the sub-files of a mapped segment in place instead of copying them.
- Writing a segment reads each posting's document length from the column just written
  (one column look-up per posting: a tenth of a build); the lengths are kept in a dict.
- The typo automaton of a fuzzy word (``goverment~``) is built once, not once per segment and
  twice per search (Whoosh sizes the query, then matches it): a cache of the last 32. A
  built automaton is only read afterwards (its one memo is filled idempotently).
- Posting blocks: a block's header, ids and weights are kept once read (a bounded cache of
  3M postings, least recently used out; segment files never change once written), ids are
  decoded with ``itertools.accumulate`` and a skip within a block is a bisection, not a
  walk. A fuzzy word's spellings are looked up once per segment reader, not twice a search.
- :func:`codec`: the posting lists of rare terms (most terms: pairs of words, names) are kept
  in the term table itself instead of a compressed block each ("inlined"), which Whoosh
  2.7.4 supports but never did, for a misspelt method name (``set_inline``).

Every module of this package that opens an index imports this one first.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from functools import lru_cache
from itertools import accumulate, count
from typing import Any

import whoosh.codec.base
import whoosh.codec.plaintext
import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.compat
import whoosh.externalsort
import whoosh.filedb.structfile
import whoosh.formats
import whoosh.index
import whoosh.legacy
import whoosh.multiproc
from whoosh.automata import lev
from whoosh.codec.base import FieldWriter
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3TermInfo
from whoosh.filedb.structfile import BufferFile
from whoosh.matching import ReadTooFar
from whoosh.reading import SegmentReader
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from reader.search import safe_pickle

# -- unpickling ----------------------------------------------------------------------------

whoosh.compat.loads = safe_pickle.loads  # for modules imported from now on
whoosh.compat.load = safe_pickle.load
whoosh.compat.pickle = safe_pickle.PickleModule
whoosh.filedb.structfile.load_pickle = safe_pickle.load  # StructFile.read_pickle
whoosh.codec.whoosh3.loads = safe_pickle.loads  # posting blocks, inlined postings
whoosh.codec.plaintext.loads = safe_pickle.loads  # (a codec reader does not write)
whoosh.columns.loads = safe_pickle.loads  # pickle columns: stored fields
whoosh.formats.loads = safe_pickle.loads  # positions
whoosh.index.pickle = safe_pickle.PickleModule  # the schema in the table of contents
whoosh.multiproc.pickle = safe_pickle.PickleModule  # jobs of a two-process build
whoosh.externalsort.load = safe_pickle.load  # a big build's sorted runs
whoosh.legacy.toc_loaders.clear()  # Whoosh 1.x tables of contents: refused, so rebuilt


# -- reading mapped segments in place ------------------------------------------------------


class _MemReader:
    """Reads a memoryview in place. Whoosh's ``BufferFile`` wraps each sub-file of a mapped
    segment in ``BytesIO(memoryview)``, which copies it: opening a 100k-article segment's
    readers copied hundreds of MB, so start-up, every commit and every searcher refresh paid
    for it. Reading through this view instead leaves the data in the mapping."""

    __slots__ = ("_buf", "_pos")

    def __init__(self, buf: Any) -> None:
        self._buf = buf
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._buf) if n is None or n < 0 else min(len(self._buf), self._pos + n)
        out = bytes(self._buf[self._pos:end])
        self._pos = end
        return out

    def readline(self, limit: int = -1) -> bytes:
        buf = self._buf
        end = len(buf) if limit is None or limit < 0 else min(len(buf), self._pos + limit)
        i = self._pos
        while i < end and buf[i] != 10:
            i += 1
        return self.read(min(i + 1, end) - self._pos)

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._buf)}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = b""


def _buffer_file_init(self: Any, buf: Any, name: str | None = None,
                      onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = _MemReader(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


BufferFile.__init__ = _buffer_file_init


# -- typo automata built once -------------------------------------------------------------


@lru_cache(maxsize=32)
def _levenshtein_dfa(uterm: str, maxdist: int, prefix: int = 0) -> Any:
    return lev.levenshtein_automaton(uterm, maxdist, prefix).to_dfa()


whoosh.codec.base.Automata.levenshtein_dfa = staticmethod(_levenshtein_dfa)

_terms_within = SegmentReader.terms_within


def _terms_within_once(self: Any, fieldname: str, text: str, maxdist: int,
                       prefix: int = 0) -> Any:
    """The words of a segment within ``maxdist`` of ``text``, walked once per segment
    reader (Whoosh walks them twice a search: to size the query, then to match it; a
    segment's words never change while its reader is open)."""
    memo = self.__dict__.setdefault("_reader_terms_within", {})
    key = (fieldname, text, maxdist, prefix)
    found = memo.get(key)
    if found is None:
        if len(memo) >= 64:
            memo.clear()
        found = memo[key] = tuple(_terms_within(self, fieldname, text, maxdist, prefix))
    return iter(found)


SegmentReader.terms_within = _terms_within_once


# -- rare terms' postings in the term table ------------------------------------------------

INLINE_LIMIT = 3  # posting lists shorter than this are kept in the term table

W3TermInfo.set_inline = W3TermInfo.set_inlined  # the name the postings writer calls


def open_index(folder: str, indexname: str) -> Any:
    """The index in ``folder``, its segment files read rather than mapped: a mapped page
    stays in the process's memory once a search has touched it (56 MB after ten searches at
    100k articles, growing towards the index's size), and a mapped file truncated under a
    reader kills the process. The posting blocks a search reads are kept in
    :data:`_blocks` anyway, so searches are as quick."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(folder, supports_mmap=False).open_index(indexname)


def codec() -> Any:
    """The codec reader writes segments with."""
    return W3Codec(inlinelimit=INLINE_LIMIT)


# -- document lengths read once per document and field while a segment is written ----------

class _Lengths:
    """A segment's per-document reader whose ``doc_field_length`` is looked up once per
    (document, field)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._memo: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._reader.doc_field_length(docnum, fieldname, default)
        return found

    def __bool__(self) -> bool:
        return bool(self._reader)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


_add_postings = FieldWriter.add_postings


def _add_postings_with_lengths(self: Any, schema: Any, lengths: Any, items: Any) -> Any:
    return _add_postings(self, schema, _Lengths(lengths) if lengths else lengths, items)


FieldWriter.add_postings = _add_postings_with_lengths


# -- posting lists read faster -------------------------------------------------------------
# A leaf matcher skipped within a block one posting at a time, decoded a block's ids in a
# Python generator, and read and unpickled a block again for every matcher and every search:
# scoring a query on a short list of candidates (the tiers of frequent words) spent most of
# its time there. Now a block's header, ids and weights are kept once read (a bounded cache,
# least recently used first out: a segment file never changes once written), ids are
# decoded with itertools' accumulate, and a skip within a block is a bisection.

MAX_CACHED_POSTINGS = 3_000_000  # about 8 bytes each: ids and weights as C arrays
_blocks: OrderedDict[tuple[Any, int], list[Any]] = OrderedDict()
_cached_postings = 0
_blocks_lock = threading.Lock()
_tokens = count(1)


def _file_token(f: Any) -> Any:
    """What names a postings file's blocks: its segment (a segment's files never change
    once written, and Whoosh opens them anew for every searcher after a commit), else a
    number for the open file, never reused (an ``id()`` may be)."""
    token = f.__dict__.get("_reader_token")
    if token is None:
        token = f.__dict__["_reader_token"] = next(_tokens)
    return token


_terms_reader = W3Codec.terms_reader


def _terms_reader_named(self: Any, storage: Any, segment: Any) -> Any:
    reader = _terms_reader(self, storage, segment)
    folder = getattr(storage, "folder", None)
    if folder is not None:  # a folder's segment: the same blocks whoever opens it
        reader._postfile.__dict__["_reader_token"] = (str(folder), segment.segment_id())
    return reader


W3Codec.terms_reader = _terms_reader_named


def _goto(self: Any, position: int) -> None:
    self._data = self._ids = self._weights = self._values = None
    self._i = 0
    key = (_file_token(self._postfile), position)
    entry = _blocks.get(key)
    if entry is None:
        postfile = self._postfile
        postfile.seek(position)
        length = postfile.read_int()
        info = postfile.read_pickle()
        # next block, last?, data offset, (count, max id, max weight, compression, lengths)
        entry = [position + _INT_SIZE + abs(length), length < 0, postfile.tell(), info,
                 None, None]
        _keep_block(key, entry, info[0])
    else:
        try:
            _blocks.move_to_end(key)
        except KeyError:  # dropped by another thread meanwhile
            pass
    self._block = entry
    self._nextoffset, self._lastblock, self._dataoffset, info = entry[:4]
    (self._blocklength, self._maxid, self._maxweight, self._compression,
     mnlen, mxlen) = info
    self._minlength = byte_to_length(mnlen)
    self._maxlength = byte_to_length(mxlen)


def _keep_block(key: tuple[Any, int], entry: list[Any], postings: int) -> None:
    global _cached_postings
    with _blocks_lock:
        if key in _blocks:
            return
        _blocks[key] = entry
        _cached_postings += postings
        while _cached_postings > MAX_CACHED_POSTINGS and _blocks:
            _key, old = _blocks.popitem(last=False)
            _cached_postings -= old[3][0]


def _read_ids(self: Any) -> None:
    entry = self._block
    if entry[4] is None:
        if self._data is None:
            self._read_data()
        ids = self._data[0]
        entry[4] = ids if self._byteids else array("i", accumulate(ids))
    self._ids = entry[4]


def _read_weights(self: Any) -> None:
    entry = self._block
    if entry[5] is None:
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if weights is None:
            weights = 1.0
        entry[5] = (array("f", [weights]) * self._blocklength if isinstance(weights, float)
                    else weights)
    self._weights = entry[5]


def _skip_to(self: Any, targetid: int) -> None:
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():
        return
    if targetid > self._maxid:
        while self.is_active() and targetid > self._maxid:
            self._next_block()
        if not self.is_active():
            return
    if self._ids is None:
        self._read_ids()
    self._i = bisect_left(self._ids, targetid, self._i)  # <= the block's last id: inside


W3LeafMatcher._goto = _goto
W3LeafMatcher._read_ids = _read_ids
W3LeafMatcher._read_weights = _read_weights
W3LeafMatcher.skip_to = _skip_to
