"""Suggested passages: sentences that hold a tag's cue words but do not carry the tag yet,
ranked so that those worth reviewing come first.

Where cues stand is :mod:`reader.review.cues` (readable sentences only: never a title,
heading or boilerplate); how suggestions are ranked is :mod:`reader.review.ranking`; what
review teaches the ranking is :mod:`reader.review.learning`. Suggestions can be limited to
the articles of a search (:func:`suggest_for_query`).

Rejected suggestions are user data: ``annotations/rejected.yml``, keyed by article id, tag
and a hash of the sentence (spacing ignored), so a rejection survives edits elsewhere in the
article. Written like the annotation files: under the library's lock, re-read and merged,
atomically; a file that cannot be read is reported and never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.library.language import LANGUAGE_NAMES, detect_language
from reader.models import Annotation, Article, ArticleMeta, Tag
from reader.review import cues, learning, ranking, rejected
from reader.review.cues import MAX_SENTENCE
from reader.review.rejected import REJECTED_FILENAME as REJECTED_FILENAME
from reader.review.rejected import RejectedFileError as RejectedFileError
from reader.review.rejected import load_rejected as load_rejected
from reader.review.rejected import rejected_path as rejected_path
from reader.review.rejected import rejection_key
from reader.review.rejected import sentence_hash as sentence_hash
from reader.search import analysis, stemcache

if TYPE_CHECKING:
    from reader.search.index import SearchIndex

__all__ = ["MAX_SENTENCE", "RejectedFileError", "Suggestion", "accept", "covered",
           "load_rejected", "reject", "rejected_path", "suggest", "suggest_for_query",
           "unreject"]



@dataclass(frozen=True, slots=True)
class Suggestion:
    article_id: str
    start: int
    end: int
    sentence: str  # == article.text[start:end]
    tag: str
    cue: str  # the first cue (as written in the vocabulary) found in the sentence
    title: str = ""
    cues: tuple[str, ...] = ()  # every cue of the tag found in the sentence
    score: float = 0.0  # higher first (see reader.review.ranking)
    why: tuple[str, ...] = ()  # what raised or lowered the score, worth showing
    language: str = ""  # the article's
    context: tuple[str, ...] = ()  # the words the ranking learns from (see learning)

    @property
    def key(self) -> tuple[str, str, str]:
        return rejection_key(self.article_id, self.tag, self.sentence)


def covered(annotations: Iterable[Annotation], start: int, end: int, tag: str) -> bool:
    """Whether a placed annotation with ``tag`` overlaps ``start``-``end``."""
    key = tag.casefold()
    return any(not a.orphaned and a.start < end and start < a.end
               and key in (t.casefold() for t in a.tags) for a in annotations)


# -- the suggestions ----------------------------------------------------------------------------
def _select_tags(vocabulary: Vocabulary, tags: Iterable[str] | None) -> list[Tag]:
    if tags is None:
        return vocabulary.active()
    out = []
    for name in tags:
        tag = vocabulary.get(name)
        if tag is None:
            known = ", ".join(vocabulary.names()) or "none"
            raise KeyError(f"no tag “{name}” in the vocabulary (known: {known})")
        if tag not in out:
            out.append(tag)
    return out


def _read_head(path: Path) -> str | None:
    """The file's text for a first look for cues; None when it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


def _indexed(index: SearchIndex, chosen: list[Tag]) -> dict[str, str] | None:
    """The articles that may hold a cue of ``chosen``, with their language, from the search
    index: those whose indexed stems hold every term of one of the cues (look-ups of those
    terms' postings, not a read of the library); None when the index cannot answer (never
    built, damaged)."""
    from reader.search.searcher import IndexDamaged

    out: dict[str, str] = {}
    try:
        for language in (*LANGUAGE_NAMES, ""):
            groups = cues.term_groups(chosen, language)
            found = index.articles_with_terms({language: [g[0] for g in groups
                                                          if len(g) == 1]})
            for group in (g for g in groups if len(g) > 1):  # holding all its terms
                held: set[str] | None = None
                for term in group:
                    with_term = index.articles_with_terms({language: [term]})
                    held = with_term if held is None else held & with_term
                    if not held:
                        break
                found |= held or set()
            out.update(dict.fromkeys(found, language))
    except (IndexDamaged, OSError):
        return None
    return out


def _article_suggestions(article: Article, annotations: list[Annotation], chosen: list[Tag],
                         context_tags: list[Tag], rejected: set[tuple[str, str, str]],
                         model: learning.Model) -> list[Suggestion]:
    language = cues.article_language(article)
    found = cues.find(article, context_tags, language=language)
    if not any(m.tag in {t.name for t in chosen} for m in found):
        return []
    in_title = {m.tag for m in cues.matches_in(article.meta.title, context_tags, language)}
    evidence = ranking.article_evidence(found, in_title, annotations)
    per_span: dict[int, int] = {}
    for m in found:
        per_span[m.start] = per_span.get(m.start, 0) + 1
    out = []
    for tag in chosen:
        for m in (m for m in found if m.tag == tag.name):
            sentence = article.text[m.start:m.end]
            suggestion = Suggestion(article.id, m.start, m.end, sentence, tag.name, m.cues[0],
                                    article.meta.title, m.cues, language=language)
            if suggestion.key in rejected or covered(annotations, m.start, m.end, tag.name):
                continue
            context = learning.context_words(m.words, m.at)
            score, why = ranking.score(m, tag, evidence, per_span[m.start] - 1,
                                       learning.feature_words(sentence, language),
                                       model.get(tag.name.casefold()), context)
            out.append(Suggestion(article.id, m.start, m.end, sentence, tag.name, m.cues[0],
                                  article.meta.title, m.cues, score, why, language,
                                  tuple(sorted(context))))
    return out


def suggest(config: Config, tags: Iterable[str] | None = None,
            article_ids: Iterable[str] | None = None, *, store: AnnotationStore | None = None,
            library: Library | None = None, vocabulary: Vocabulary | None = None,
            progress: Callable[[int, int], None] | None = None,
            held_back: bool = False, index: SearchIndex | None = None) -> list[Suggestion]:
    """Sentences to tag: for each active tag (or each of ``tags``; KeyError for an unknown
    one) the readable sentences holding one of its cues, without an annotation of that tag
    on them, not rejected before; ranked, best first (ties in article and text order), those
    the ranking holds back left out unless ``held_back``. Articles whose annotation file is
    broken are left out (their annotations cannot be changed). ``progress(done, total)`` is
    called after each article read (raise from it to stop).

    With ``index`` (up to date with the library: the caller sees to it) only the articles
    whose indexed words hold a cue's term are read, so the time grows with the articles
    that match, not with the library; without one, or when it cannot answer, every article
    (of ``article_ids``) is looked at. The suggestions are the same either way."""
    vocabulary = vocabulary or Vocabulary(config.vocabulary_path)
    chosen = _select_tags(vocabulary, tags)
    context_tags = vocabulary.active() + [t for t in chosen if t not in vocabulary.active()]
    store = store or AnnotationStore(config.annotations_dir)
    library = library or Library(config)
    rejected = load_rejected(config, strict=False)
    model, _ = learning.load_quietly(config)
    stemcache.load(config)  # the stems the index has seen: no Sastrawi for known words
    indexed = _indexed(index, chosen) if index is not None else None
    metas: list[ArticleMeta | None]
    if indexed is not None:
        ids = sorted(indexed) if article_ids is None else [
            a for a in dict.fromkeys(article_ids) if a in indexed]
        metas = [None] * len(ids)
    elif article_ids is None:
        scanned = library.scan()
        ids, metas = [m.id for m in scanned], list(scanned)
    else:
        ids = list(dict.fromkeys(article_ids))
        metas = [None] * len(ids)
    out: list[Suggestion] = []
    paths: dict[str, str] = {}
    for n, (article_id, meta) in enumerate(zip(ids, metas, strict=True)):
        if progress is not None:
            progress(n, len(ids))
        head, language = None, ""
        if meta is not None:
            head, language = _read_head(library.articles_dir / meta.path), meta.language
        elif indexed is not None:
            try:
                head = _read_head(library.path_for(article_id))
            except LookupError:
                continue
            language = indexed[article_id]
        if head is not None and not cues.might_match(head, chosen, language):
            continue
        try:
            article = library.load(article_id)
        except (LookupError, OSError, ValueError):
            continue
        paths[article_id] = article.meta.path
        found = store.load(article)
        if found.error is not None:
            continue
        out.extend(_article_suggestions(article, found.annotations, chosen, context_tags,
                                        rejected, model))
    if progress is not None:
        progress(len(ids), len(ids))
    stemcache.save(config, analysis.made_id_stems())  # cue words the index had not seen
    # ties in the library's order (by path), or in the order of the ids given
    order = ({a: (0, paths[a]) for a in paths} if article_ids is None
             else {a: (i, "") for i, a in enumerate(ids)})
    rank = {t.name: i for i, t in enumerate(chosen)}
    out.sort(key=lambda s: (-s.score, order[s.article_id], s.start, rank[s.tag]))
    return out if held_back else [s for s in out if s.score >= ranking.HOLD_BACK]


def suggest_for_query(config: Config, query: str, tags: Iterable[str] | None = None, *,
                      index: SearchIndex | None = None, store: AnnotationStore | None = None,
                      library: Library | None = None, vocabulary: Vocabulary | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      held_back: bool = False) -> list[Suggestion]:
    """:func:`suggest` over the articles matching a search ``query`` (QueryError, a
    ValueError, for a malformed one). Without ``index`` the library's index is brought up
    to date first."""
    from reader.review.rows import matching_articles

    library = library or Library(config)
    current = index
    if index is None:
        from reader.search.index import IndexBusy, SearchIndex

        index = SearchIndex(config)
        try:
            index.update()
            current = index
        except IndexBusy:
            pass  # another program updates it: search it as it stands, read every match
    wanted = matching_articles(config, query, index)
    ids = [m.id for m in library.scan() if m.id in wanted]
    return suggest(config, tags, ids, store=store, library=library, vocabulary=vocabulary,
                   progress=progress, held_back=held_back, index=current)


def _context(config: Config, suggestion: Suggestion, language: str) -> set[str]:
    """The words around the suggestion's cues (as :func:`suggest` found them)."""
    if suggestion.context:
        return set(suggestion.context)
    language = language or suggestion.language or detect_language(suggestion.sentence)
    tag = Vocabulary(config.vocabulary_path).get(suggestion.tag)
    found = cues.matches_in(suggestion.sentence, [tag], language) if tag is not None else []
    if not found:
        return learning.feature_words(suggestion.sentence, language)
    return learning.context_words(found[0].words, found[0].at)


def _learn(config: Config, suggestion: Suggestion, accepted: bool, step: int = 1,
           language: str = "") -> None:
    """Teach the ranking; a broken model file or a busy lock only costs the lesson."""
    try:
        learning.learn(config, suggestion.tag, _context(config, suggestion, language),
                       accepted, step)
    except (learning.ModelFileError, OSError):
        pass


def accept(config: Config, suggestion: Suggestion, store: AnnotationStore, *,
           library: Library | None = None) -> Annotation:
    """Tag the suggested sentence, and learn from it. If the very same passage is already
    annotated (with other tags), the tag is added to it rather than a second annotation
    made. Raises ValueError when the sentence is no longer in the article, ReadOnlyError for
    a broken annotation file."""
    library = library or Library(config)
    article = library.load(suggestion.article_id)
    start, end = suggestion.start, suggestion.end
    if article.text[start:end] != suggestion.sentence:
        at = article.text.find(suggestion.sentence)
        if at < 0:
            raise ValueError("the suggested sentence is no longer in the article")
        start, end = at, at + len(suggestion.sentence)
    from reader.review.tag_hits import tag_span

    new = not covered(store.load(article).annotations, start, end, suggestion.tag)
    annotation = tag_span(store, article, start, end, [suggestion.tag])
    if new:
        _learn(config, suggestion, True, language=cues.article_language(article))
    return annotation


# -- rejections ---------------------------------------------------------------------------------
def reject(config: Config, suggestion: Suggestion) -> None:
    """Remember that this suggestion is unwanted (idempotent), and learn from it."""
    if rejected.reject(config, suggestion):
        _learn(config, suggestion, False)


def unreject(config: Config, suggestion: Suggestion) -> bool:
    """Forget a rejection (and what it taught); True if there was one."""
    if rejected.unreject(config, suggestion):
        _learn(config, suggestion, False, step=-1)
        return True
    return False
