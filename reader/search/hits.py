"""Hits and snippets: where a query's terms occur in an article's text, the keyword-in-
context snippets around them, and the results a search returns.

No Whoosh here: the parsed query tree (:mod:`reader.search.query`) alone finds the hit
offsets, for snippets and for highlighting in the reading view, with the same folding and
stemming as the index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reader.library.language import detect_language
from reader.models import Annotation, Article
from reader.search import analysis
from reader.search.analysis import WORD_PATTERN as _TOKEN
from reader.search.analysis import fold, stem, stems
from reader.search.query import FUZZY_PREFIX, And, Node, Not, Or, Phrase, Word, parse

HIT_CHARS = 200_000  # hits are counted, and snippets made, in an article's first 200k chars


def bounded(text: str) -> str:
    """The part of an article's text a search result looks at: a 22 MB article costs what a
    long one does (its hits further on are still found in the reading view)."""
    return text if len(text) <= HIT_CHARS else text[:HIT_CHARS]


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str  # the keyword-in-context excerpt, on one line
    highlights: tuple[tuple[int, int], ...]  # spans in ``text`` to emphasise
    start: int  # offset in the article text where ``text`` begins


@dataclass(frozen=True, slots=True)
class SearchResult:
    id: str
    title: str
    source: str
    date: str
    score: float
    hits: int  # number of matching terms in the body
    snippets: tuple[Snippet, ...]
    first_hit: int = 0  # offset in the article text of the first hit
    language: str = ""


def positive_leaves(node: Node | None, negated: bool = False) -> list[Word | Phrase]:
    """The article-text terms that count as hits (not under NOT, not fielded)."""
    if node is None:
        return []
    if isinstance(node, And | Or):
        return [leaf for n in node.items for leaf in positive_leaves(n, negated)]
    if isinstance(node, Not):
        return []
    if isinstance(node, Word | Phrase) and not node.field and not negated:
        return [node]
    return []


_FOLDED: dict[str, str] = {}  # a word of an article as written -> folded (for snippets)
MAX_FOLDED = 400_000


def _folded(raw: str) -> str:
    """``fold(raw)``, remembered: the words of news repeat from article to article."""
    f = _FOLDED.get(raw)
    if f is None:
        if len(_FOLDED) >= MAX_FOLDED:
            _FOLDED.clear()
        f = _FOLDED[raw] = fold(raw)
    return f


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` once it is known to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


_BEFORE = r"(?<!\w)(?<!\w['’])"  # a whole token: not inside a longer one (o'neil)
_AFTER = r"(?!\w)(?!['’]\w)"


def _alternation(forms: list[str]) -> str:
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


def _forms_pattern(forms: list[str]) -> re.Pattern[str]:
    return re.compile(_BEFORE + _alternation(forms) + _AFTER)


class HitFinder:
    """Finds every hit of a query's text terms in article texts (case/accent-insensitive,
    stems in the article's language, phrases as exact sequences of words)."""

    def __init__(self, node: Node | None) -> None:
        leaves = positive_leaves(node)
        self.words: dict[str, set[str]] = {}  # folded query word -> its stems
        self.prefixes: list[str] = []
        self.fuzzies: list[tuple[str, int]] = []
        self.phrases: list[tuple[str, ...]] = []
        for leaf in leaves:
            if isinstance(leaf, Phrase):
                if len(leaf.words) == 1:
                    self.words.setdefault(leaf.words[0], set())  # exact: no stems
                else:
                    self.phrases.append(leaf.words)
            elif leaf.prefix:
                self.prefixes.append(leaf.text)
            elif leaf.fuzzy:
                self.fuzzies.append((leaf.text, leaf.fuzzy))
            else:
                self.words[leaf.text] = stems(leaf.text)
        self.stems = set().union(*self.words.values()) if self.words else set()
        # A cheap necessary test before stemming a word of the text (stemming every new word
        # is what made snippets slow): a stem keeps the letters after its first two
        # (Indonesian may change the first letter: mengunjungi -> kunjung; English may change
        # the last: happily -> happi), so those must occur in the word. Checked on the
        # corpora's 47k distinct words: no hit is lost. One regular expression of them all.
        keys: set[str] = set()
        for s in self.stems:  # short stems change more (use/using, pengaman/kam): 2 tests
            keys.update((s[1:3],) if len(s) >= 4 else (s[:1], s[1:]))
        self._stem_key = (re.compile("|".join(re.escape(k) for k in sorted(keys))).search
                          if keys else None)
        self._fuzzy_cache: dict[str, bool] = {}
        self._seen: dict[str, dict[str, tuple[str, bool]]] = {}  # language -> word -> match
        self._hit_forms: dict[str, set[str]] = {}  # language -> the words of _seen that hit

    @property
    def empty(self) -> bool:
        return not (self.words or self.prefixes or self.fuzzies or self.phrases)

    def _fuzzy(self, f: str) -> bool:
        hit = self._fuzzy_cache.get(f)
        if hit is None:
            hit = any(f[:FUZZY_PREFIX] == q[:FUZZY_PREFIX] and edit_distance(f, q, d) <= d
                      for q, d in self.fuzzies)
            self._fuzzy_cache[f] = hit
        return hit

    def _matches(self, raw: str, language: str) -> tuple[str, bool]:
        f = _folded(raw)
        hit = bool(f in self.words or (self._stem_key is not None and self._stem_key(f)
                                       and f not in analysis.STOPWORDS.get(language, ())
                                       and stem(f, language) in self.stems)
                   or (self.prefixes and f.startswith(tuple(self.prefixes)))
                   or (self.fuzzies and self._fuzzy(f)))
        return f, hit

    def spans(self, text: str, language: str) -> list[tuple[int, int]]:
        """Every hit in ``text``. The words of the text are looked at once each (a set, in
        C), and the hits are then found by a regular expression of the matching spellings
        with the tokeniser's boundaries, rather than by a Python loop over every token."""
        if self.empty:
            return []
        cache = self._seen.setdefault(language, {})
        hits = self._hit_forms.setdefault(language, set())
        uniq = set(_TOKEN.findall(text))
        matches = self._matches
        for raw in uniq.difference(cache):  # words no article of this search had yet
            known = cache[raw] = matches(raw, language)
            if known[1]:
                hits.add(raw)
        hit_forms = list(uniq & hits)
        folded_forms: dict[str, list[str]] = {}
        if self.phrases:
            for raw in uniq:
                folded_forms.setdefault(cache[raw][0], []).append(raw)
        out: list[tuple[int, int]] = []
        if hit_forms:
            out.extend(m.span() for m in _forms_pattern(hit_forms).finditer(text))
        for ph in self.phrases:
            alternatives = [folded_forms.get(w) for w in ph]
            if not all(alternatives):
                continue
            body = r"\W+".join(_alternation(forms) for forms in alternatives if forms)
            pattern = re.compile(_BEFORE + body + _AFTER)
            pos = 0
            while (m := pattern.search(text, pos)) is not None:
                out.append(m.span())
                pos = m.end() if m.end() > m.start() else m.start() + 1
        out.sort()
        # Merge overlaps (a word that is also inside a phrase).
        merged: list[tuple[int, int]] = []
        for s, e in out:
            if merged and s < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged


def snippet_windows(text: str, spans: list[tuple[int, int]], count: int = 2,
                    width: int = 160) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Up to ``count`` keyword-in-context windows (start, end, spans inside) over ``text``,
    each around a hit, on word boundaries, not overlapping; the second prefers new words."""
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    used_words: set[str] = set()
    for s, e in spans:
        if len(out) >= count:
            break
        if out and s < out[-1][1]:
            continue
        word = fold(text[s:e])
        if out and word in used_words and any(fold(text[a:b]) not in used_words
                                              for a, b in spans if a >= out[-1][1]):
            continue
        lead = width // 3
        start = max(0, s - lead)
        end = min(len(text), start + width)
        start = max(0, min(start, end - width))
        # Keep to the paragraph of the hit, then snap to word boundaries.
        para_start = text.rfind("\n", 0, s) + 1
        para_end = text.find("\n", e)
        para_end = len(text) if para_end < 0 else para_end
        start, end = max(start, para_start), min(end, para_end)
        if start > para_start:
            sp = text.find(" ", start, s)
            start = sp + 1 if sp >= 0 else start
        if end < para_end:
            sp = text.rfind(" ", e, end)
            end = sp if sp >= 0 else end
        inside = [(a, b) for a, b in spans if a >= start and b <= end]
        out.append((start, end, inside))
        used_words.update(fold(text[a:b]) for a, b in inside)
    return out


# -- results -------------------------------------------------------------------------------

def result(article_id: str, meta: Sequence[str], score: float, text: str | None,
           node: Node, finder: HitFinder,
           annotations: Callable[[], Sequence[Annotation]] = tuple) -> SearchResult:
    """The search result for an article found by the index: ``meta`` is its stored
    (title, source, date, language, path), ``text`` its text (None when it cannot be read);
    ``annotations()`` gives its annotations, asked for only when the query matched on
    ``tag:`` or ``note:`` alone."""
    title, source, date, lang, path = meta
    snippets: tuple[Snippet, ...] = ()
    count, first = 0, 0
    if text is not None:
        text = bounded(text)
        spans = finder.spans(text, lang) or passage_spans(node, annotations, text)
        count = len(spans)
        first = spans[0][0] if spans else 0
        if not spans:  # matched on a field only: the opening of the text
            s0 = len(text) - len(text.lstrip())
            windows = [(s, e, list[tuple[int, int]]())
                       for s, e, _ in snippet_windows(text, [(s0, s0)], 1)]
        else:
            windows = snippet_windows(text, spans)
        markdown = path.casefold().endswith(".md")
        snippets = tuple(_snippet(text, s, e, inside, markdown) for s, e, inside in windows)
    return SearchResult(article_id, title, source, date, score, count, snippets, first, lang)


def _snippet(text: str, s: int, e: int, inside: list[tuple[int, int]],
             markdown: bool) -> Snippet:
    """The excerpt ``text[s:e]`` on one line; of a Markdown article as it is drawn (no
    ``#``, ``**`` or link address), its highlights moved with their words (a hit inside
    mark-up that is not drawn is left out)."""
    spans = [(a - s, b - s) for a, b in inside]
    if not markdown:
        return Snippet(text[s:e].replace("\n", " "), tuple(spans), s)
    from reader.library.markdown import render  # only when a Markdown article is shown

    line = text.rfind("\n", 0, s) + 1  # from the line's start, so its lead (# > -) is seen
    drawn = render(text[line:e])
    out: list[str] = []
    at: list[int] = []  # where each character of the excerpt went in ``out``
    seen: list[bool] = []  # whether it is drawn
    for i in range(s - line, e - line):
        ch = drawn.shown(i)
        ch = "" if ch == "│" else ch  # a quote's bar, drawn beside the text, not in it
        seen.append(bool(ch.strip()))
        for c in ch:
            if c.isspace():
                if not out or out[-1] == " ":
                    continue
                c = " "
            out.append(c)
        at.append(len(out) - len(ch.strip()) if ch.strip() else len(out))
    at.append(len(out))
    moved = tuple((at[a], max(at[a] + 1, at[b - 1] + 1)) for a, b in spans
                  if 0 <= a < b <= len(seen) and any(seen[a:b]))
    return Snippet("".join(out).rstrip(), moved, s)


def annotation_leaves(node: Node | None) -> tuple[list[tuple[str, bool]], list[str]]:
    """The positive ``tag:`` terms (folded name, prefix?) and ``note:`` words/phrases
    (folded, space-joined) of a query."""
    tags: list[tuple[str, bool]] = []
    notes: list[str] = []
    if isinstance(node, And | Or):
        for n in node.items:
            t, w = annotation_leaves(n)
            tags += t
            notes += w
    elif isinstance(node, Word) and node.field == "tag":
        tags.append((node.text, node.prefix))
    elif isinstance(node, Word) and node.field == "note" and not node.prefix:
        notes.append(node.text)
    elif isinstance(node, Phrase) and node.field == "note":
        notes.append(" ".join(node.words))
    return tags, notes


def passage_spans(node: Node, annotations: Callable[[], Sequence[Annotation]],
                  text: str) -> list[tuple[int, int]]:
    """For a query that matched on ``tag:``/``note:`` only: the tagged passages that match,
    so the snippet shows them (and Enter opens there) rather than the opening."""
    tags, notes = annotation_leaves(node)
    if not tags and not notes:
        return []
    out = []
    for ann in annotations():
        if ann.orphaned or not 0 <= ann.start < ann.end <= len(text):
            continue
        folded = [analysis.fold(t) for t in ann.tags]
        note_words = " ".join(analysis.folded_words(ann.note))
        if (any(t.startswith(w) if prefix else t == w or t.startswith(w.rstrip("/") + "/")
                for w, prefix in tags for t in folded)  # a parent: its children's passages
                or any(f" {w} " in f" {note_words} " for w in notes)):
            out.append((ann.start, ann.end))
    return sorted(out)


def hit_spans(query: str, article: Article) -> list[tuple[int, int]]:
    """Every hit of ``query`` in ``article.text`` as (start, end), in text order; hits in
    boilerplate lines ('Baca Juga: ...') are left out, as the index leaves those lines out."""
    node = parse(query)
    lang = article.meta.language or detect_language(article.text)
    spans = HitFinder(node).spans(article.text, lang)
    skip = [(b.start, b.end) for b in article.blocks if b.kind == "boilerplate"]
    if not skip:
        return spans
    return [(a, b) for a, b in spans if not any(s <= a < e for s, e in skip)]
