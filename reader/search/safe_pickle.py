"""Unpickling that cannot run code: the only classes and functions a pickle may name are
those reader's own index writes (:data:`ALLOWED`); any other is refused with
:class:`RefusedPickle` before it is looked up.

Whoosh 2.7.4 keeps pickles in its files (the table of contents with the schema and the
segments, the compound files' directories, column headers, posting blocks and stored
fields) and unpickles them when it opens and searches an index. A crafted file would run
code on ``reader search``. :mod:`reader.search.whoosh_fixes` routes every one of those
reads through :func:`loads` and :func:`load`.

The list is exact: a test builds and searches a real index (single and multi-process
builds, updates, merges, every field and query kind) and checks that it names nothing
else, and that a pickle naming ``os.system`` is refused.
"""

from __future__ import annotations

import io
import pickle
import re
from typing import IO, Any

# (module, name) of everything a pickle in reader's index may name
ALLOWED: frozenset[tuple[str, str]] = frozenset({
    ("__builtin__", "bytes"),  # protocol 2's empty bytes (a big build's sorted runs)
    ("__builtin__", "long"),  # protocol 2's name for int
    ("_codecs", "encode"),  # protocol 2's way to bytes
    ("builtins", "int"),
    ("collections", "defaultdict"),
    ("re", "_compile"),  # the tokenizer of the tags field
    ("reader.search.schema", "Counted"),
    ("reader.search.schema", "FoldTokenizer"),
    ("reader.search.schema", "StemTokenizer"),
    ("whoosh.analysis.analyzers", "CompositeAnalyzer"),
    ("whoosh.analysis.filters", "LowercaseFilter"),
    ("whoosh.analysis.filters", "StripFilter"),
    ("whoosh.analysis.tokenizers", "IDTokenizer"),
    ("whoosh.analysis.tokenizers", "RegexTokenizer"),
    ("whoosh.codec.whoosh3", "W3Codec"),
    ("whoosh.codec.whoosh3", "W3Segment"),
    ("whoosh.columns", "VarBytesColumn"),
    ("whoosh.fields", "ID"),
    ("whoosh.fields", "KEYWORD"),
    ("whoosh.fields", "NUMERIC"),
    ("whoosh.fields", "STORED"),
    ("whoosh.fields", "Schema"),
    ("whoosh.fields", "TEXT"),
    ("whoosh.formats", "Existence"),
    ("whoosh.formats", "Frequency"),
    ("whoosh.formats", "Positions"),
})


# A pickle made only of these opcodes (numbers, None, booleans, tuples, lists, dicts, the memo,
# framing) names nothing and builds nothing but those: the C unpickler may read it as it is.
# Whoosh's hottest pickles are such (posting block headers, positions): this keeps them fast.
# Each alternative starts with its own opcode byte, so the match is the unpickler's parse.
_PLAIN = re.compile(
    rb"(?:\x80[\x02-\x05]|\x95.{8}|\x94|K.|M..|J....|G.{8}|N|\x88|\x89"
    rb"|\x8a(?:\x00|\x01.|\x02..|\x03...|\x04....|\x05.{5}|\x06.{6}|\x07.{7}|\x08.{8})"
    rb"|\(|t|\x85|\x86|\x87|\)|\]|a|e|l|\}|d|s|u|q.|r....|h.|j....|0|1|2)*\.", re.S)


PLAIN_MAX = 256


class RefusedPickle(pickle.UnpicklingError):
    """A pickle named something reader's index never holds: the file is not reader's."""


class _Unpickler(pickle.Unpickler):
    _found: dict[tuple[str, str], Any] = {}  # (shared: looked up once per process)

    def find_class(self, module: str, name: str) -> Any:
        key = (module, name)
        try:
            return self._found[key]
        except KeyError:
            pass
        if key not in ALLOWED:
            raise RefusedPickle(f"a pickle in the index names {module}.{name}, which reader's "
                                f"index never holds")
        found = self._found[key] = super().find_class(module, name)
        return found


def looked_up() -> frozenset[tuple[str, str]]:
    """What pickles read by this process have named so far."""
    return frozenset(_Unpickler._found)


def load(file: IO[bytes]) -> Any:
    """``pickle.load``, naming only :data:`ALLOWED`."""
    return _Unpickler(file).load()


def loads(data: bytes) -> Any:
    """``pickle.loads``, naming only :data:`ALLOWED`."""
    # a short pickle (a block's header) is checked for names by a regular expression, then
    # read by C alone; a long one (a block of postings: its bytes name _codecs.encode, and
    # the check read half of it to find so, 70 us a block) goes to the restricted reader
    if len(data) <= PLAIN_MAX and _PLAIN.fullmatch(data) is not None:
        return pickle.loads(data)  # nothing in it can name anything
    return _Unpickler(io.BytesIO(data)).load()


class PickleModule:
    """What Whoosh uses of the ``pickle`` module, unpickling through :func:`loads`."""

    loads = staticmethod(loads)
    load = staticmethod(load)
    dumps = staticmethod(pickle.dumps)
    dump = staticmethod(pickle.dump)
    PicklingError = pickle.PicklingError
    UnpicklingError = pickle.UnpicklingError
    HIGHEST_PROTOCOL = pickle.HIGHEST_PROTOCOL
