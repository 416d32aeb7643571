"""The terms the index holds for an article, counted in one pass over its words, and the
same terms as a query names them. No Whoosh here.

``words`` (one field for the body, so a word costs one field's look-ups, not one per form):

- a stemmed term per word, in the article's language, stop words left out (recall);
- ``=word``, the folded word as written, stop words kept (the exact-form boost, prefixes,
  typos, quoted single words);
- ``^1stem``, ``^2stem``, ``^3stem`` once per article for a *frequent* stem
  (:func:`frequent_stems`) that weighs a lot in this article (its :func:`impact` reaches
  :data:`TIER_IMPACTS`): the frequent stem's best articles, in three ever shorter lists, which
  a query reads first instead of the stem's whole posting list.

``pairs`` holds ``"a b"`` for two words in a
row that are both frequent: a phrase of frequent words is then a term look-up, and a phrase
with a rarer word is found through that word's short list.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

from reader.search import analysis

EXACT = "="  # a word as written
TIER = "^"  # a frequent stem's best articles
TITLE_WEIGHT = 2.0
# BM25's saturation of a term's weight in one article, with the field's length against a
# nominal average (the index's own average is within 20% of it on news): an article joins
# a frequent stem's tier N when its impact reaches TIER_IMPACTS[N - 1] (of at most K1 + 1 =
# 2.2). On the 10k bench library, "said" is in 3,245 articles, of which 1,242 reach 1.7,
# 390 reach 1.85 and 30 reach 1.95; its 20th best article has 1.96.
K1, B = 1.2, 0.75
NOMINAL_LENGTH = 600.0
TIER_IMPACTS = (1.7, 1.85, 1.95)
LEVELS = (3, 2, 1)  # the tiers, shortest first

Counts = dict[str, tuple[int, float]]  # term -> (occurrences, weight)


@lru_cache(maxsize=1)
def _frequent() -> tuple[frozenset[str], dict[str, frozenset[str]], str]:
    text = resources.files("reader.data").joinpath("frequent-words.txt").read_text("utf-8")
    words: set[str] = set()
    stems: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        lang, word, stem = line.split()
        words.add(word)
        stems.setdefault(lang, set()).add(stem)
    return (frozenset(words), {k: frozenset(v) for k, v in stems.items()},
            str(hash_text(text)))


def hash_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def frequent_words() -> frozenset[str]:
    """Folded words frequent in news in any language (``reader/data/frequent-words.txt``)."""
    return _frequent()[0]


@lru_cache(maxsize=1)
def frequent_stems() -> frozenset[str]:
    """Stems of the frequent words, of every language: a stem has a tier whatever the
    article's language, so that a query, whose language is not known, can rely on it."""
    return frozenset().union(*_frequent()[1].values())


def terms_signature() -> str:
    """Changes when the frequent words change (the index is then rebuilt)."""
    return _frequent()[2]


def impact(weight: float, length: int) -> float:
    """BM25's weight of a term in an article, before the term's rarity (idf)."""
    norm = K1 * (1 - B + B * length / NOMINAL_LENGTH)
    return weight * (K1 + 1) / (weight + norm)


def article_terms(language: str, body: str, title: str = "") -> tuple[Counts, Counts]:
    """(``words`` terms, ``pairs`` terms) of an article's body (and ``title``, counted
    :data:`TITLE_WEIGHT` times, when given): term -> (occurrences, weight)."""
    stop = analysis.STOPWORDS.get(language, frozenset())
    frequent = frequent_words()
    stem = analysis.stemmer(language)
    words: Counts = {}
    pairs: Counts = {}
    stem_n: dict[str, int] = {}
    stem_w: dict[str, float] = {}
    written = 0
    for text, weight in ((title, TITLE_WEIGHT), (body, 1.0)):
        if not text:
            continue
        found = analysis.WORD_PATTERN.findall(analysis.fold(text))
        written += len(found)
        for w, n in Counter(found).items():
            term = EXACT + w
            old = words.get(term)
            words[term] = (n, n * weight) if old is None else (old[0] + n,
                                                               old[1] + n * weight)
            if w not in stop:
                s = stem(w)
                stem_n[s] = stem_n.get(s, 0) + n
                stem_w[s] = stem_w.get(s, 0.0) + n * weight
        marks = [w in frequent for w in found]
        both = [f"{a} {b}" for a, b, x, y in zip(found, found[1:], marks, marks[1:],
                                                  strict=False) if x and y]
        for pair, n in Counter(both).items():
            old = pairs.get(pair)
            pairs[pair] = (n, n * weight) if old is None else (old[0] + n, old[1] + n * weight)
    for s, n in stem_n.items():
        old = words.get(s)  # a stem may be spelt as an exact term never is ("=" first)
        words[s] = (n, stem_w[s]) if old is None else (old[0] + n, old[1] + stem_w[s])
    length = written + sum(stem_n.values())  # every term's occurrences: exact forms and stems
    tiered = frequent_stems()
    for s, weight in stem_w.items():
        if s in tiered:
            strength = impact(weight, length)
            for level, least in enumerate(TIER_IMPACTS, 1):
                if strength >= least:
                    words[tier_term(level, s)] = (1, 1.0)
    return words, pairs


def field_terms(language: str, text: str) -> Counts:
    """Stemmed and ``=exact`` terms of a small field (title, notes), as ``words`` has them."""
    words, _pairs = article_terms(language, text)
    return {t: v for t, v in words.items() if not t.startswith(TIER)}


# -- the query side ------------------------------------------------------------------------

def tier_term(level: int, stem: str) -> str:
    return f"{TIER}{level}{stem}"


def is_pair(a: str, b: str) -> bool:
    """Whether ``pairs`` holds the folded words ``a b`` (both frequent)."""
    frequent = frequent_words()
    return a in frequent and b in frequent


def tier_stems(word: str) -> tuple[list[str], list[str]]:
    """(stems of a folded query word that have a tier, those that do not)."""
    found = sorted(analysis.stems(word))
    tiered = frequent_stems()
    return [s for s in found if s in tiered], [s for s in found if s not in tiered]
