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

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import yamlio
from reader.annotations.store import AnnotationStore, now
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.library.language import detect_language
from reader.models import Annotation, Article, ArticleMeta, Tag
from reader.review import cues, learning, ranking
from reader.review.cues import MAX_SENTENCE

if TYPE_CHECKING:
    from reader.search.index import SearchIndex

__all__ = ["MAX_SENTENCE", "RejectedFileError", "Suggestion", "accept", "covered",
           "load_rejected", "reject", "rejected_path", "suggest", "suggest_for_query",
           "unreject"]

REJECTED_FILENAME = "rejected.yml"
FORMAT_VERSION = 1
HEADER = ("# Suggestions rejected in reader (never proposed again). Delete an entry to see\n"
          "# its suggestion again.\n")


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


class RejectedFileError(yamlio.YamlFileError):
    """``annotations/rejected.yml`` cannot be read; it is left as is."""


def sentence_hash(sentence: str) -> str:
    """Hash of the sentence with spacing normalised (re-wrapping does not matter)."""
    return hashlib.sha256(" ".join(sentence.split()).encode("utf-8")).hexdigest()[:16]


def rejection_key(article_id: str, tag: str, sentence: str) -> tuple[str, str, str]:
    return (article_id, tag.casefold(), sentence_hash(sentence))


def rejected_path(config: Config) -> Path:
    return config.annotations_dir / REJECTED_FILENAME


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


def _read_head(library: Library, meta: ArticleMeta) -> str | None:
    """The file's text for a first look for cues; None when it cannot be read."""
    try:
        return (library.articles_dir / meta.path).read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


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
            held_back: bool = False) -> list[Suggestion]:
    """Sentences to tag: for each active tag (or each of ``tags``; KeyError for an unknown
    one) the readable sentences holding one of its cues, without an annotation of that tag
    on them, not rejected before; ranked, best first (ties in article and text order), those
    the ranking holds back left out unless ``held_back``. Articles whose annotation file is
    broken are left out (their annotations cannot be changed). ``progress(done, total)`` is
    called after each article (raise from it to stop)."""
    vocabulary = vocabulary or Vocabulary(config.vocabulary_path)
    chosen = _select_tags(vocabulary, tags)
    context_tags = vocabulary.active() + [t for t in chosen if t not in vocabulary.active()]
    store = store or AnnotationStore(config.annotations_dir)
    library = library or Library(config)
    rejected = load_rejected(config, strict=False)
    model, _ = learning.load_quietly(config)
    metas: list[ArticleMeta | None]
    if article_ids is None:
        scanned = library.scan()
        ids, metas = [m.id for m in scanned], list(scanned)
    else:
        ids = list(dict.fromkeys(article_ids))
        metas = [None] * len(ids)
    out: list[Suggestion] = []
    for n, (article_id, meta) in enumerate(zip(ids, metas, strict=True)):
        if progress is not None:
            progress(n, len(ids))
        if meta is not None:
            head = _read_head(library, meta)
            if head is not None and not cues.might_match(head, chosen, meta.language):
                continue
        try:
            article = library.load(article_id)
        except (LookupError, OSError, ValueError):
            continue
        found = store.load(article)
        if found.error is not None:
            continue
        out.extend(_article_suggestions(article, found.annotations, chosen, context_tags,
                                        rejected, model))
    if progress is not None:
        progress(len(ids), len(ids))
    order = {article_id: i for i, article_id in enumerate(ids)}
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
    wanted = matching_articles(config, query, index)
    ids = [m.id for m in library.scan() if m.id in wanted]
    return suggest(config, tags, ids, store=store, library=library, vocabulary=vocabulary,
                   progress=progress, held_back=held_back)


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
def _read_rejected(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    if not path.exists():
        return [], {}
    try:
        text = yamlio.read_text(path)
        data, node = yamlio.parse(path, text)
    except yamlio.YamlFileError as exc:
        raise RejectedFileError(exc.path, exc.line, exc.reason) from None
    except OSError as exc:
        raise RejectedFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if data is None:
        return [], {}
    if not isinstance(data, dict) or not isinstance(data.get("rejected") or [], list):
        raise RejectedFileError(path, yamlio.node_line(node),
                                "expected a mapping with a list under `rejected:`")
    entries = []
    for i, e in enumerate(data.get("rejected") or []):
        if not isinstance(e, dict) or not all(
                isinstance(e.get(k), str) and e.get(k) for k in ("article", "tag", "hash")):
            raise RejectedFileError(path, None, f"entry {i + 1}: needs article, tag and hash")
        entries.append(dict(e))
    extra = {k: v for k, v in data.items() if k not in ("version", "rejected")}
    return entries, extra


def load_rejected(config: Config, *, strict: bool = True) -> set[tuple[str, str, str]]:
    """Keys (article id, tag folded, sentence hash) of rejected suggestions. A broken file
    raises :class:`RejectedFileError` when ``strict``, else counts as empty."""
    try:
        entries, _ = _read_rejected(rejected_path(config))
    except RejectedFileError:
        if strict:
            raise
        return set()
    return {(e["article"], e["tag"].casefold(), e["hash"]) for e in entries}


def reject(config: Config, suggestion: Suggestion) -> None:
    """Remember that this suggestion is unwanted (idempotent), and learn from it."""
    if _add_rejection(config, suggestion):
        _learn(config, suggestion, False)


def _add_rejection(config: Config, suggestion: Suggestion) -> bool:
    path = rejected_path(config)
    with yamlio.library_lock(config.annotations_dir / ".lock"):
        entries, extra = _read_rejected(path)
        key = suggestion.key
        if any((e["article"], e["tag"].casefold(), e["hash"]) == key for e in entries):
            return False
        entries.append({"article": suggestion.article_id, "tag": suggestion.tag,
                        "hash": sentence_hash(suggestion.sentence),
                        "sentence": " ".join(suggestion.sentence.split()),
                        "rejected": now()})
        entries.sort(key=lambda e: (e["article"], e["tag"], e["hash"]))
        doc: dict[str, Any] = {"version": FORMAT_VERSION, "rejected": entries}
        doc.update(extra)
        yamlio.atomic_write(path, HEADER + yamlio.dump(doc))
        return True


def unreject(config: Config, suggestion: Suggestion) -> bool:
    """Forget a rejection (and what it taught); True if there was one."""
    if _remove_rejection(config, suggestion):
        _learn(config, suggestion, False, step=-1)
        return True
    return False


def _remove_rejection(config: Config, suggestion: Suggestion) -> bool:
    path = rejected_path(config)
    with yamlio.library_lock(config.annotations_dir / ".lock"):
        entries, extra = _read_rejected(path)
        kept = [e for e in entries
                if (e["article"], e["tag"].casefold(), e["hash"]) != suggestion.key]
        if len(kept) == len(entries):
            return False
        doc: dict[str, Any] = {"version": FORMAT_VERSION, "rejected": kept}
        doc.update(extra)
        yamlio.atomic_write(path, HEADER + yamlio.dump(doc))
        return True
