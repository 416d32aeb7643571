"""Language-aware tokenising and stemming, shared by the search index and suggestions.

No Whoosh here: ``index.py`` feeds these tokens to Whoosh, and ``suggest.py`` uses them
directly, so both match words the same way.

- Tokens are runs of letters/digits (``\\w``); an apostrophe inside a word stays with it
  (``Britain's``); hyphens split (``kerja-sama`` -> ``kerja``, ``sama``).
- :func:`fold`: lower case, accents stripped (``Café`` -> ``cafe``), curly apostrophes
  straightened.
- :func:`stem`: Indonesian with PySastrawi (cached, and corrected by :data:`ID_EXCEPTIONS`
  where it stems forms of one word apart), English with Snowball's English (Porter2) stemmer
  (PyStemmer, the C Snowball library), unknown language untouched.
- Stop words: short, conservative lists of function words (search must still find
  ``kerja sama``, so content words such as ``kerja`` are never stop words here).
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import Stemmer

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
WORD_PATTERN = _WORD  # what a word is, for modules that scan text themselves

STOPWORDS: dict[str, frozenset[str]] = {
    "id": frozenset("""
        ada adalah agar akan akan aku anda antara apa apakah atas atau bagi bahwa baik
        banyak beberapa begitu belum bila boleh bukan dalam dan dapat dari daripada demi
        dengan di dia dia ialah ini itu jadi jika juga kalau kami kamu karena ke kemudian
        kepada ketika kita lagi lalu maka masih mereka namun nya oleh pada para per saat
        saja sambil sang se sebagai sebelum sedang sehingga sejak selain semua sementara
        serta setelah si supaya tak tapi tetapi tentang telah tersebut tidak untuk yaitu
        yakni yang pun lah kah
    """.split()),
    "en": frozenset("""
        a about an and are as at be been but by for from had has have he her his i if in
        into is it its of on or our she so than that the their them then there these they
        this those to was we were which while who will with would you your
    """.split()),
}

# Known misses of the Indonesian stemmer: the same word stemmed two ways. Keys are a word
# (as folded) or a stem Sastrawi produces; values the stem everyone should share.
ID_EXCEPTIONS: dict[str, str] = {
    # Sastrawi strips "meng-"/"peng-" + "k" too far on these: mengunjungi -> unjung and
    # pengunjung -> unjung, while kunjungan/dikunjungi/berkunjung -> kunjung.
    "unjung": "kunjung",
}


def analysis_signature() -> str:
    """Changes whenever the way text is analysed changes (the index is then rebuilt)."""
    h = hashlib.sha256()
    for lang in sorted(STOPWORDS):
        h.update(lang.encode() + b":" + " ".join(sorted(STOPWORDS[lang])).encode())
    h.update(repr(sorted(ID_EXCEPTIONS.items())).encode())
    h.update(b"snowball-english-2;sastrawi;v1")
    return h.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Token:
    term: str  # folded and stemmed
    text: str  # the word as it stands in the text
    start: int  # character offsets into the analysed string
    end: int


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _strip_marks(m: re.Match[str]) -> str:
    return "".join(c for c in m.group() if not unicodedata.combining(c))


def fold(word: str) -> str:
    """Lower-case and strip accents (combining marks after NFKD: only non-ASCII characters
    are looked at, so a long text with a few accents costs little more than plain ASCII)."""
    low = word.lower().replace("’", "'")
    if low.isascii():
        return low
    return _NON_ASCII.sub(_strip_marks, unicodedata.normalize("NFKD", low))


_sastrawi: Any = None
_REGEX_MARKS = frozenset(".^$*+?{}[]\\|()")


class _SastrawiRe:
    """What Sastrawi's modules call of ``re`` (``match``, ``sub``), with every pattern
    compiled once. Sastrawi passes pattern strings on each call, among them each word it
    strips (``re.sub(result, '', word, count=1)``): a new pattern per word, which pushed its
    few dozen rules out of ``re``'s cache of 512, so about two thirds of its words paid
    for compiling rules again (a third of its time). A pattern without a regular
    expression's marks is a literal: replaced as a string, as ``re.sub`` would."""

    IGNORECASE = re.IGNORECASE
    MULTILINE = re.MULTILINE

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, int], re.Pattern[str]] = {}

    def _get(self, pattern: str, flags: int) -> re.Pattern[str]:
        key = (pattern, flags)
        found = self._compiled.get(key)
        if found is None:
            found = re.compile(pattern, flags)
            if len(self._compiled) < 4096:
                self._compiled[key] = found
        return found

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self._get(pattern, flags).match(string)

    def sub(self, pattern: str, repl: str, string: str, count: int = 0,
            flags: int = 0) -> str:
        if (not flags and isinstance(pattern, str) and pattern
                and _REGEX_MARKS.isdisjoint(pattern) and "\\" not in repl):
            return string.replace(pattern, repl, count if count > 0 else -1)
        return self._get(pattern, flags).sub(repl, string, count)


def _sastrawi_stemmer() -> Any:
    global _sastrawi
    if _sastrawi is None:
        import sys

        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        _sastrawi = StemmerFactory().create_stemmer()
        fast = _SastrawiRe()
        for name, module in list(sys.modules.items()):
            if name.startswith("Sastrawi.") and getattr(module, "re", None) is re:
                module.re = fast  # type: ignore[attr-defined]
    return _sastrawi


# Indonesian stems known without Sastrawi (learnt from an earlier run: Sastrawi takes about
# 1 ms a word), and those this process had Sastrawi make
_learnt: dict[str, str] = {}
_made: dict[str, str] = {}


def learn_id_stems(stems: dict[str, str]) -> None:
    """Take these Indonesian stems as known (a cache of an earlier run's :func:`made_id_stems`,
    made with the same :func:`analysis_signature`)."""
    _learnt.update(stems)
    _stem_id.cache_clear()


def made_id_stems() -> dict[str, str]:
    """The Indonesian stems this process had to compute (not learnt) since last asked."""
    made = dict(_made)
    _made.clear()
    _learnt.update(made)
    return made


@lru_cache(maxsize=500_000)
def _stem_id(word: str) -> str:
    if word in ID_EXCEPTIONS:
        return ID_EXCEPTIONS[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    known = _learnt.get(word)
    if known is not None:
        return known
    s: str = _sastrawi_stemmer().stem(word) or word
    s = ID_EXCEPTIONS.get(s, s)
    _made[word] = s
    return s


_per_thread = threading.local()  # a Snowball stemmer keeps state per call: one per thread


@lru_cache(maxsize=500_000)
def _stem_en(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if not word.isalpha():
        return word
    snowball = getattr(_per_thread, "english", None)
    if snowball is None:  # no cache of its own: the lru_cache above is the one
        snowball = _per_thread.english = Stemmer.Stemmer("english", 0)
    stemmed: str = snowball.stemWord(word)
    return stemmed


def stem(word: str, language: str) -> str:
    """Stem one folded word for ``language`` ("id", "en", or "" for unknown)."""
    if language == "id":
        return _stem_id(word)
    if language == "en":
        return _stem_en(word)
    return word


def _same(word: str) -> str:
    return word


def stemmer(language: str) -> Callable[[str], str]:
    """The one-word function :func:`stem` uses for ``language`` (for loops over many words)."""
    return _stem_id if language == "id" else _stem_en if language == "en" else _same


def stems(word: str) -> set[str]:
    """The stems of a folded query word in every supported language (and the word itself
    when the language is unknown), for queries whose language is not known."""
    return {_stem_id(word), _stem_en(word)}


def is_stop(word: str, language: str) -> bool:
    """Whether a folded word is a stop word in ``language`` (or, when "", in any language)."""
    if language:
        return word in STOPWORDS.get(language, frozenset())
    return any(word in s for s in STOPWORDS.values())


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """(word as written, start, end) for every word of ``text``."""
    for m in _WORD.finditer(text):
        yield m.group(), m.start(), m.end()


def folded_words(text: str) -> list[str]:
    """Every word of ``text``, folded, stop words kept (exact matching and phrases)."""
    return [fold(w) for w in _WORD.findall(text)]


def stemmed_terms(text: str, language: str) -> list[str]:
    """Stemmed terms of ``text`` with stop words left out (the recall-oriented view)."""
    stop = STOPWORDS.get(language, frozenset())
    out = []
    for w in _WORD.findall(text):
        f = fold(w)
        if f not in stop:
            out.append(stem(f, language))
    return out


def analyze(text: str, language: str, *, stop: bool = True) -> list[Token]:
    """Tokens of ``text`` with folded, stemmed terms; stop words dropped when ``stop``."""
    stopset = STOPWORDS.get(language, frozenset()) if stop else frozenset()
    out = []
    for m in _WORD.finditer(text):
        raw = m.group()
        w = fold(raw)
        if w in stopset:
            continue
        out.append(Token(stem(w, language), raw, m.start(), m.end()))
    return out
