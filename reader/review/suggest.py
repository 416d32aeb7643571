"""Suggested passages: sentences that contain a tag's cue words but do not carry the tag yet.

Cues (``cues`` of each tag in the vocabulary, Indonesian and English) are matched through
:func:`reader.search.analysis.analyze`, the analysis the search index uses: a cue and the article
are analysed in the article's language and their stemmed terms compared, so ``sanksi`` finds
``sanksinya`` and ``sanctions`` finds ``sanctioned``. A cue of several words matches the same
terms in a row (stop words are left out on both sides, as in search).

Rejected suggestions are user data: ``annotations/rejected.yml``, keyed by article id, tag
and a hash of the sentence (spacing ignored), so a rejection survives edits elsewhere in the
article. Written like the annotation files: under the library's lock, re-read and merged,
atomically; a file that cannot be read is reported and never overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader import yamlio
from reader.annotations.format import now
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.library.text import sentences
from reader.models import Annotation, Article, Tag
from reader.search import analysis

REJECTED_FILENAME = "rejected.yml"
FORMAT_VERSION = 1
HEADER = ("# Suggestions rejected in reader (never proposed again). Delete an entry to see\n"
          "# its suggestion again.\n")
SKIPPED_BLOCKS = ("boilerplate",)


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


# -- cue matching -------------------------------------------------------------------------------
CueTerm = tuple[str, str]  # (stemmed term, prefix the word must start with, or "")
CuePattern = tuple[str, tuple[CueTerm, ...]]  # (cue as written, its terms)


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


def _matches_at(tokens: list[analysis.Token], terms: list[str], i: int,
                seq: tuple[CueTerm, ...]) -> bool:
    if i + len(seq) > len(terms):
        return False
    for k, (term, prefix) in enumerate(seq):
        if terms[i + k] != term:
            return False
        if prefix and not analysis.fold(tokens[i + k].text).startswith(prefix):
            return False
    return True


def _article_language(article: Article) -> str:
    return article.meta.language or analysis.guess_language(article.text)


MAX_SENTENCE = 2000  # characters: longer "sentences" (text without full stops) are no passage


def sentence_spans(article: Article) -> list[tuple[int, int]]:
    """Sentences of the article's readable blocks (boilerplate left out), in text order;
    a run of more than ``MAX_SENTENCE`` characters without a sentence end is not one."""
    blocks = [b for b in article.blocks if b.kind not in SKIPPED_BLOCKS]
    if not article.blocks:
        found = sentences(article.text)
    else:
        found = []
        for b in blocks:
            found.extend(sentences(article.text, b.start, b.end))
    return [(s, e) for s, e in found if e - s <= MAX_SENTENCE]


def matches(article: Article, tags: Sequence[Tag]) -> list[Suggestion]:
    """Every (sentence, tag) whose sentence holds one of the tag's cues, ignoring existing
    annotations and rejections. In text order, then tag order."""
    language = _article_language(article)
    text = article.text
    tokens = analysis.analyze(text, language)
    terms = [t.term for t in tokens]
    spans = sentence_spans(article)
    found: dict[tuple[int, str], list[str]] = {}
    order: list[tuple[int, str]] = []
    for tag in tags:
        patterns = cue_patterns(tag, language)
        if not patterns:
            continue
        first: dict[str, list[CuePattern]] = {}
        for cue, seq in patterns:
            first.setdefault(seq[0][0], []).append((cue, seq))
        si = 0
        for i, term in enumerate(terms):
            cands = first.get(term)
            if not cands:
                continue
            start = tokens[i].start
            while si < len(spans) and spans[si][1] <= start:
                si += 1
            if si >= len(spans) or spans[si][0] > start:
                continue  # in a skipped block
            s_start, s_end = spans[si]
            for cue, seq in cands:
                n = len(seq)
                if _matches_at(tokens, terms, i, seq) and tokens[i + n - 1].end <= s_end:
                    key = (s_start, tag.name)
                    if key not in found:
                        found[key] = []
                        order.append(key)
                    if cue not in found[key]:
                        found[key].append(cue)
                    break
    spans_by_start = dict(spans)
    out = []
    for s_start, tag_name in order:
        s_end = spans_by_start[s_start]
        cues = found[(s_start, tag_name)]
        out.append(Suggestion(article.id, s_start, s_end, text[s_start:s_end], tag_name,
                              cues[0], article.meta.title, tuple(cues)))
    rank = {t.name: i for i, t in enumerate(tags)}
    out.sort(key=lambda s: (s.start, rank[s.tag]))
    return out


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


def suggest(config: Config, tags: Iterable[str] | None = None,
            article_ids: Iterable[str] | None = None, *, store: AnnotationStore | None = None,
            library: Library | None = None, vocabulary: Vocabulary | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[Suggestion]:
    """Sentences to tag: for each active tag (or each of ``tags``; KeyError for an unknown
    one) the sentences holding one of its cues, without an annotation of that tag on them,
    not rejected before. Articles whose annotation file is broken are left out (their
    annotations cannot be changed). In article order, then text order. ``progress(done,
    total)`` is called after each article (raise from it to stop)."""
    vocabulary = vocabulary or Vocabulary(config.vocabulary_path)
    chosen = _select_tags(vocabulary, tags)
    store = store or AnnotationStore(config.annotations_dir)
    library = library or Library(config)
    rejected = load_rejected(config, strict=False)
    if article_ids is None:
        ids = [m.id for m in library.scan()]
    else:
        ids = list(dict.fromkeys(article_ids))
    out: list[Suggestion] = []
    for n, article_id in enumerate(ids):
        if progress is not None:
            progress(n, len(ids))
        try:
            article = library.load(article_id)
        except (LookupError, OSError, ValueError):
            continue
        found = store.load(article)
        if found.error is not None:
            continue
        for s in matches(article, chosen):
            if s.key in rejected or covered(found.annotations, s.start, s.end, s.tag):
                continue
            out.append(s)
    if progress is not None:
        progress(len(ids), len(ids))
    return out


def accept(config: Config, suggestion: Suggestion, store: AnnotationStore, *,
           library: Library | None = None) -> Annotation:
    """Tag the suggested sentence. If the very same passage is already annotated (with
    other tags), the tag is added to it rather than a second annotation made. Raises
    ValueError when the sentence is no longer in the article, ReadOnlyError for a broken
    annotation file."""
    library = library or Library(config)
    article = library.load(suggestion.article_id)
    start, end = suggestion.start, suggestion.end
    if article.text[start:end] != suggestion.sentence:
        at = article.text.find(suggestion.sentence)
        if at < 0:
            raise ValueError("the suggested sentence is no longer in the article")
        start, end = at, at + len(suggestion.sentence)
    from reader.review.tag_hits import tag_span

    return tag_span(store, article, start, end, [suggestion.tag])


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
    """Remember that this suggestion is unwanted (idempotent)."""
    path = rejected_path(config)
    with yamlio.library_lock(config.annotations_dir / ".lock"):
        entries, extra = _read_rejected(path)
        key = suggestion.key
        if any((e["article"], e["tag"].casefold(), e["hash"]) == key for e in entries):
            return
        entries.append({"article": suggestion.article_id, "tag": suggestion.tag,
                        "hash": sentence_hash(suggestion.sentence),
                        "sentence": " ".join(suggestion.sentence.split()),
                        "rejected": now()})
        entries.sort(key=lambda e: (e["article"], e["tag"], e["hash"]))
        doc: dict[str, Any] = {"version": FORMAT_VERSION, "rejected": entries}
        doc.update(extra)
        yamlio.atomic_write(path, HEADER + yamlio.dump(doc))


def unreject(config: Config, suggestion: Suggestion) -> bool:
    """Forget a rejection; True if there was one."""
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
