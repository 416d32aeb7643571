"""Language-aware tokenising and stemming, shared by the search index and suggestions.

No Whoosh here: ``index.py`` wraps :func:`analyze` in a Whoosh analyzer, and ``suggest.py``
uses it directly, so both match words the same way.

(Skeleton: interface fixed; real stemmers (PySastrawi for Indonesian with a stem cache and a
table of exceptions, Snowball/Porter for English), stop words and folding to be filled in.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    term: str  # folded and stemmed
    text: str  # the word as it stands in the text
    start: int  # character offsets into the analysed string
    end: int


def fold(word: str) -> str:
    """Lower-case and strip accents."""
    nfkd = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def stem(word: str, language: str) -> str:
    """Stem one folded word for ``language`` ("id", "en", or "" for unknown)."""
    return word


def analyze(text: str, language: str, *, stop: bool = True) -> list[Token]:
    """Tokens of ``text`` with folded, stemmed terms; stop words dropped when ``stop``."""
    out = []
    for m in _WORD.finditer(text):
        w = fold(m.group())
        out.append(Token(stem(w, language), m.group(), m.start(), m.end()))
    return out
