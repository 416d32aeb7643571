"""Where a tag's cue words stand: the readable sentences of an article that hold a cue.

Cues (``cues`` of each tag in the vocabulary, Indonesian and English) are matched through
:func:`reader.search.analysis.analyze`, the analysis the search index uses: a cue and the
sentence are analysed in the article's language and their stemmed terms compared, so
``sanksi`` finds ``sanksinya`` and ``sanctions`` finds ``sanctioned``. A cue of several words
matches the same terms in a row within one sentence (stop words are left out on both sides,
as in search).

Only readable sentences are looked at (:mod:`reader.review.readable`).

Speed: stemming every word of every article was most of the time (4-10 s at 1k articles).
Each term of a cue gives a *needle* (:func:`needle`), a piece of text that every word
stemming to that term contains. A file, paragraph or sentence without all the needles of
some cue cannot match and is not read further; in a sentence, only the words holding a
cue's *anchor* needle (its most telling term's) are stemmed, and their neighbours when a cue
has several words. The matches are the same as analysing everything (a test compares them
on the corpora), at a fraction of the cost.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from reader.library.language import LANGUAGE_NAMES
from reader.models import Article, Tag
from reader.review.readable import MAX_SENTENCE as MAX_SENTENCE
from reader.review.readable import article_language as article_language
from reader.review.readable import readable_blocks, sentences_in
from reader.review.readable import readable_spans as readable_spans
from reader.search import analysis

CueTerm = tuple[str, str]  # (stemmed term, prefix the word must start with, or "")
CuePattern = tuple[str, tuple[CueTerm, ...]]  # (cue as written, its terms)


@dataclass(frozen=True, slots=True)
class CueMatch:
    """One readable sentence holding cues of one tag."""

    tag: str
    start: int  # the sentence, as offsets into Article.text
    end: int
    cues: tuple[str, ...]  # distinct cues found (as written in the vocabulary), text order
    hits: int  # cue occurrences (a longer cue counts once, not as its words)
    length: int  # terms in the longest cue found (stop words not counted)
    words: tuple[str, ...]  # the sentence's words, folded, stop words left out
    at: tuple[tuple[int, int], ...] = ()  # the cues found, as word ranges into ``words``


@cache
def _combining() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane, as :func:`analysis.fold` drops
    them (a character class: dropping them one by one in Python was slow)."""
    ranges: list[list[int]] = []
    for c in range(0x300, 0x10000):
        if unicodedata.combining(chr(c)):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]")


def fold_text(text: str) -> str:
    """Lower case and accents stripped, as :func:`analysis.fold` does per word (the length
    is not kept: this is only for looking for needles)."""
    low = text.lower()
    if low.isascii():
        return low
    return _combining().sub("", unicodedata.normalize("NFKD", low.replace("’", "'")))


def _cue_term(token: analysis.Token, language: str) -> CueTerm:
    """An Indonesian cue that is itself a derived word keeps its derivational prefix:
    ``pertahanan`` (defence) matches ``pertahanannya`` but not ``bertahan`` (to survive) or
    ``ketahanan`` (resilience), though all three stem to ``tahan``; ``perjanjian`` (treaty)
    does not match ``berjanji`` (to promise). A root word (``sanksi``) matches every form."""
    if language != "id":
        return (token.term, "")
    folded = analysis.fold(token.text)
    if token.term == folded:
        return (token.term, "")
    at = folded.find(token.term)
    if at == 0:
        return (token.term, "")
    return (token.term, folded[:at] if at > 0 else folded[:2])


def cue_patterns(tag: Tag, language: str) -> list[CuePattern]:
    """The tag's cues as term sequences in ``language``; longest first so that "sanksi
    ekonomi" is reported rather than "sanksi" when both match."""
    out: list[CuePattern] = []
    for cue in tag.cues:
        tokens = analysis.analyze(cue, language)
        if not tokens:  # a cue made only of stop words: match it with them kept
            tokens = analysis.analyze(cue, language, stop=False)
        if tokens:
            out.append((cue, tuple(_cue_term(t, language) for t in tokens)))
    out.sort(key=lambda p: -len(p[1]))
    return out


Needle = tuple[str, str, bool]  # (text to find, prefix its word starts with, starts it?)


def needle(term: CueTerm, language: str) -> Needle | None:
    """What every folded word stemming to the term holds (:func:`fold_text`): a piece of
    text, the prefix a derived Indonesian cue's word starts with, and whether the piece
    starts the word (English: no prefix is ever taken off). None when it would be too short
    to be worth looking for (every sentence is then analysed). Indonesian prefixes may
    swallow a stem's first letter (``menyepakati`` -> ``sepakat``) and its infixes come
    after it; English suffix rules only rewrite a stem's end with e, i, l or y (``treaty``
    -> ``treati``, ``possibility`` -> ``possibl``)."""
    stem, prefix = term
    if language == "id":
        core = stem[1:]
    elif language == "en":
        core = stem.rstrip("eily")
    else:
        core = stem
    if len(core) < 3:
        return None
    return (core, prefix if language == "id" else "", language == "en")


def _implies(m: Needle, n: Needle) -> bool:
    """Whether text holding ``n`` (as a word would) always holds ``m``."""
    if m == n:
        return True
    if m[2]:
        return n[2] and n[0].startswith(m[0])
    return m[0] in n[0] and (not m[1] or m[1] == n[1])


@dataclass(frozen=True, slots=True)
class _Cue:
    """A cue pattern with its anchor: the term whose needle is easiest to tell apart, looked
    for first ("asset freeze": "freez", not "asset"; the last of equals)."""

    cue: str
    seq: tuple[CueTerm, ...]
    anchor: int  # index into seq
    needle: Needle | None  # the anchor's; None: every word is a candidate


@dataclass(frozen=True, slots=True)
class _Compiled:
    cues: dict[str, tuple[_Cue, ...]]  # tag name -> its cues, longest first
    groups: tuple[tuple[Needle, ...], ...] | None  # any group, all of its needles; None: all
    by_core: dict[str, tuple[tuple[Needle, ...], ...]]  # needle text -> groups holding it
    known: dict[str, str]  # the cues' own words (folded) -> their terms: no need to stem


def _anchor(seq: tuple[CueTerm, ...], language: str) -> tuple[int, Needle | None]:
    needles = [needle(term, language) for term in seq]
    best = -1
    for k, n in enumerate(needles):
        if n is not None and (best < 0 or _strength(n) >= _strength(needles[best])):
            best = k
    return (best, needles[best]) if best >= 0 else (0, None)


def _strength(n: Needle | None) -> int:
    return 0 if n is None else len(n[0]) + len(n[1]) + 3 * n[2]


@lru_cache(maxsize=64)
def _compile(tags: tuple[Tag, ...], language: str) -> _Compiled:
    cues: dict[str, tuple[_Cue, ...]] = {}
    groups: set[tuple[Needle, ...]] = set()
    every_text = False
    known: dict[str, str] = {}
    for tag in tags:
        for cue in tag.cues:
            for token in analysis.analyze(cue, language, stop=False):
                known[analysis.fold(token.text)] = token.term
        compiled = []
        for cue, seq in cue_patterns(tag, language):
            k, n = _anchor(seq, language)
            compiled.append(_Cue(cue, seq, k, n))
            kept = tuple(sorted({n for n in (needle(t, language) for t in seq) if n}))
            if kept:
                groups.add(kept)  # a match holds every term of the cue
            else:
                every_text = True
        cues[tag.name] = tuple(compiled)
    # a group found wherever another is adds nothing ("sanksi ekonomi" and "sanksi")
    minimal = tuple(sorted(g for g in groups if not any(
        h != g and all(any(_implies(m, n) for n in g) for m in h) for h in groups)))
    by_core: dict[str, list[tuple[Needle, ...]]] = {}
    for g in minimal:
        by_core.setdefault(min(n[0] for n in g), []).append(g)
    return _Compiled(cues, None if every_text else minimal,
                     {core: tuple(gs) for core, gs in sorted(by_core.items())}, known)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _found(folded: str, n: Needle) -> bool:
    core, prefix, at_start = n
    i = folded.find(core)
    if i < 0 or not (prefix or at_start):
        return i >= 0
    while i >= 0:
        j = i
        while j > 0 and _is_word(folded[j - 1]):
            j -= 1
        if (j == i) if at_start else folded.startswith(prefix, j):
            return True
        i = folded.find(core, i + 1)
    return False


def _has_needles(folded: str, compiled: _Compiled) -> bool:
    if compiled.groups is None:
        return True
    for core, groups in compiled.by_core.items():
        if core in folded and any(all(_found(folded, n) for n in g) for g in groups):
            return True
    return False


def _hits(text: str, compiled: _Compiled) -> list[int] | None:
    """Where in ``text`` a needle's text stands (sorted), to split and look at only the
    paragraphs and sentences there; None when it cannot tell (look everywhere)."""
    folded = fold_text(text)
    if compiled.groups is None or len(folded) != len(text):
        return None
    out: list[int] = []
    for g in compiled.groups:
        for core, _prefix, _start in g:
            i = folded.find(core)
            while i >= 0:
                out.append(i)
                i = folded.find(core, i + 1)
    return sorted(set(out))


def _any_in(hits: list[int] | None, start: int, end: int) -> bool:
    if hits is None:
        return True
    i = bisect.bisect_left(hits, start)
    return i < len(hits) and hits[i] < end


def might_match(text: str, tags: Sequence[Tag], language: str) -> bool:
    """False when no cue of ``tags`` can match in ``text`` (in ``language``, or in any
    language when it is not known yet): the article need not be read further."""
    folded = fold_text(text)
    languages = (language,) if language else (*LANGUAGE_NAMES, "")
    return any(_has_needles(folded, _compile(tuple(tags), lang)) for lang in languages)


def term_groups(tags: Sequence[Tag], language: str) -> list[tuple[str, ...]]:
    """The stemmed terms of each cue of ``tags`` in ``language``, a group a cue, leaving out
    a cue whose terms hold another's ("sanksi ekonomi" where "sanksi" is a cue too): a
    sentence matching a cue holds all its terms as stems of its words (never of stop words),
    so an article whose indexed stems hold every term of no group has no match. What the
    search index is asked for, instead of reading every article."""
    compiled = _compile(tuple(tags), language)
    groups = {tuple(sorted({t[0] for t in c.seq})) for cs in compiled.cues.values()
              for c in cs}
    return sorted(g for g in groups
                  if not any(h != g and set(h) <= set(g) for h in groups))


def sentence_words(sentence: str, language: str) -> list[str]:
    """The folded words of a sentence, stop words left out (as the analysis drops them)."""
    stop = analysis.STOPWORDS.get(language, frozenset())
    return [w for w in (analysis.fold(m) for m in analysis.WORD_PATTERN.findall(sentence))
            if w not in stop]


class _Terms:
    """The words' stemmed terms, stemmed when first asked for: stemming is most of the cost
    (Sastrawi's first call on a word takes about a millisecond)."""

    __slots__ = ("known", "language", "terms", "words")

    def __init__(self, words: list[str], language: str, known: dict[str, str]) -> None:
        self.words, self.language, self.known = words, language, known
        self.terms: dict[int, str] = {}

    def is_term(self, i: int, term: CueTerm) -> bool:
        if not 0 <= i < len(self.words):
            return False
        word = self.words[i]
        if term[1] and not word.startswith(term[1]):
            return False
        got = self.terms.get(i) or self.known.get(word)
        if got is None:
            got = self.terms[i] = analysis.stem(word, self.language)
        return got == term[0]


def _match(tag: str, tag_cues: tuple[_Cue, ...], span: tuple[int, int], terms: _Terms,
           folded: str) -> CueMatch | None:
    """The tag's cues in the sentence (``folded``: its :func:`fold_text`), as analysing it
    whole would find them: at each word the longest cue starting there, a word inside a cue
    found not starting another."""
    words = terms.words
    starts: dict[int, _Cue] = {}  # word index -> the first (longest) cue starting there
    for c in tag_cues:
        if c.needle is not None and c.needle[0] not in folded:
            continue
        term = c.seq[c.anchor]
        for j, word in enumerate(words):
            if c.needle is not None and not _found(word, c.needle):
                continue
            i = j - c.anchor
            if i in starts and len(starts[i].seq) >= len(c.seq):
                continue
            if terms.is_term(j, term) and all(
                    terms.is_term(i + m, t) for m, t in enumerate(c.seq) if m != c.anchor):
                if i not in starts:
                    starts[i] = c
    cues: list[str] = []
    at: list[tuple[int, int]] = []
    covered = 0
    for i in sorted(starts):
        if i < covered:  # inside a longer cue ("militer" of "kerja sama militer")
            continue
        c = starts[i]
        covered = i + len(c.seq)
        at.append((i, covered))
        if c.cue not in cues:
            cues.append(c.cue)
    if not cues:
        return None
    return CueMatch(tag, span[0], span[1], tuple(cues), len(at),
                    max(e - s for s, e in at), tuple(words), tuple(at))


def find(article: Article, tags: Sequence[Tag], *, language: str | None = None
         ) -> list[CueMatch]:
    """Every (readable sentence, tag) whose sentence holds one of the tag's cues, ignoring
    existing annotations and rejections; in text order, then tag order. Only paragraphs and
    sentences holding a needle are split and looked at, and only words holding one are
    stemmed."""
    lang = article_language(article) if language is None else language
    compiled = _compile(tuple(tags), lang)
    text = article.text
    out: list[CueMatch] = []
    hits = _hits(text, compiled)
    if hits == []:
        return out
    for b_start, b_end in readable_blocks(article):
        if not _any_in(hits, b_start, b_end):
            continue
        for span in sentences_in(article, b_start, b_end):
            if not _any_in(hits, *span):
                continue
            sentence = text[span[0]:span[1]]
            folded = fold_text(sentence)
            if not _has_needles(folded, compiled):
                continue
            terms = _Terms(sentence_words(sentence, lang), lang, compiled.known)
            for tag in tags:
                found = _match(tag.name, compiled.cues[tag.name], span, terms, folded)
                if found is not None:
                    out.append(found)
    return out


def matches_in(text: str, tags: Sequence[Tag], language: str) -> list[CueMatch]:
    """The tags' cues in ``text`` taken as one sentence (a title, a suggested sentence)."""
    compiled = _compile(tuple(tags), language)
    folded = fold_text(text)
    if not text.strip() or not _has_needles(folded, compiled):
        return []
    terms = _Terms(sentence_words(text, language), language, compiled.known)
    found = (_match(tag.name, compiled.cues[tag.name], (0, len(text)), terms, folded)
             for tag in tags)
    return [m for m in found if m is not None]
