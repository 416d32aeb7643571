"""Tagging without opening the article: the sentence of a search hit, or of every hit of a
query at once (one undoable step).

A sentence "already carries" a tag when a placed annotation with that tag overlaps it; such
sentences are skipped. When the very same passage is already annotated with other tags, the
missing tags are added to that annotation rather than a second one made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.annotations.format import clean_tags
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.library.text import sentence_at
from reader.models import Annotation, Article

if TYPE_CHECKING:
    from reader.search.index import SearchIndex

SEARCH_LIMIT = 1_000_000  # every matching article
Progress = Callable[[int, int], None]


def _missing(annotations: Iterable[Annotation], start: int, end: int,
             tags: Sequence[str]) -> list[str]:
    """The tags not yet carried by an annotation overlapping ``start``-``end``."""
    have = {t.casefold() for a in annotations
            if not a.orphaned and a.start < end and start < a.end for t in a.tags}
    return [t for t in tags if t.casefold() not in have]


def tag_span(store: AnnotationStore, article: Article, start: int, end: int,
             tags: Iterable[str], note: str = "") -> Annotation:
    """Tag ``text[start:end]``: add the tags to an annotation of exactly this span if there is
    one, else create an annotation. Returns the annotation as it now stands."""
    tag_list = clean_tags(tags)
    if not tag_list:
        raise ValueError("no tag given")
    current = store.load(article)
    for a in current.annotations:
        if not a.orphaned and (a.start, a.end) == (start, end):
            have = {t.casefold() for t in a.tags}
            new = a.tags + [t for t in tag_list if t.casefold() not in have]
            if new == a.tags and not note:
                return a
            return store.update(article, a.id, tags=new,
                                note=note if note and not a.note else None)
    return store.add(article, start, end, tag_list, note)


def sentence_span(article: Article, offset: int) -> tuple[int, int]:
    """The sentence around ``offset``; ValueError if there is no text there."""
    if not 0 <= offset <= len(article.text):
        raise ValueError(f"offset {offset} is outside the text (0-{len(article.text)})")
    start, end = sentence_at(article.text, offset)
    if end <= start or not article.text[start:end].strip():
        raise ValueError("no sentence at this place")
    return start, end


def tag_sentence_at(config: Config, store: AnnotationStore, article_id: str, offset: int,
                    tags: Iterable[str], *, library: Library | None = None) -> Annotation:
    """Tag the sentence holding ``offset`` (e.g. a hit in a search snippet:
    ``snippet.start + highlight start``). One undo step."""
    library = library or Library(config)
    article = library.load(article_id)
    start, end = sentence_span(article, offset)
    return tag_span(store, article, start, end, tags)


@dataclass(slots=True)
class HitPlan:
    """What "tag every hit" would do, for the confirmation."""

    query: str
    tags: list[str]
    # article id -> [(start, end, tags to add)] in text order
    spans: dict[str, list[tuple[int, int, list[str]]]] = field(default_factory=dict)
    already: int = 0  # hit sentences that carry every tag already
    articles_matched: int = 0
    read_only: list[str] = field(default_factory=list)  # ids whose annotation file is broken

    @property
    def sentences(self) -> int:
        return sum(len(v) for v in self.spans.values())

    @property
    def articles(self) -> int:
        return len(self.spans)

    def describe(self) -> str:
        """E.g. "Tag 12 sentences in 4 articles with sanctions? (3 already tagged)"."""
        tags = ", ".join(self.tags)
        if not self.sentences:
            return (f"Every hit of “{self.query}” is already tagged {tags}." if self.already
                    else f"No sentence to tag: “{self.query}” has no hits.")
        what = (f"Tag {self.sentences} sentence{'s' if self.sentences != 1 else ''} in "
                f"{self.articles} article{'s' if self.articles != 1 else ''} with {tags}?")
        if self.already:
            what += f" ({self.already} already tagged)"
        if self.read_only:
            what += f" ({len(self.read_only)} article(s) skipped: annotation file broken)"
        return what


def plan_hits(config: Config, store: AnnotationStore, index: SearchIndex, query: str,
              tags: Iterable[str], *, library: Library | None = None,
              progress: Progress | None = None) -> HitPlan:
    """The sentences holding a hit of ``query`` in every matching article, each once,
    without those already carrying all ``tags``. Raises QueryError for a bad query."""
    tag_list = clean_tags(tags)
    if not tag_list:
        raise ValueError("no tag given")
    library = library or Library(config)
    matched = index.ids(query, limit=SEARCH_LIMIT)  # (the hits are found in each text below)
    plan = HitPlan(query, tag_list, articles_matched=len(matched))
    for n, article_id in enumerate(matched):
        if progress:
            progress(n, len(matched))
        try:
            article = library.load(article_id)
        except (LookupError, OSError, ValueError):
            continue
        found = store.load(article)
        if found.error is not None:
            plan.read_only.append(article.id)
            continue
        seen: set[tuple[int, int]] = set()
        todo: list[tuple[int, int, list[str]]] = []
        for hit_start, _ in index.hit_spans(query, article):
            try:
                span = sentence_span(article, hit_start)
            except ValueError:
                continue
            if span in seen:
                continue
            seen.add(span)
            missing = _missing(found.annotations, span[0], span[1], tag_list)
            if missing:
                todo.append((span[0], span[1], missing))
            else:
                plan.already += 1
        if todo:
            plan.spans[article.id] = todo
    if progress:
        progress(len(matched), len(matched))
    return plan


def count_hit_sentences(config: Config, store: AnnotationStore, index: SearchIndex,
                        query: str, tags: Iterable[str], *,
                        library: Library | None = None) -> int:
    """How many sentences "tag every hit" would tag (see :func:`plan_hits` for details)."""
    return plan_hits(config, store, index, query, tags, library=library).sentences


def tag_hits(config: Config, store: AnnotationStore, index: SearchIndex, query: str,
             tags: Iterable[str], *, library: Library | None = None,
             plan: HitPlan | None = None, progress: Progress | None = None,
             ) -> list[Annotation]:
    """Tag the sentence of every hit of ``query`` (see :func:`plan_hits`; pass the plan shown
    in the confirmation to tag exactly that). All changes form ONE undo step
    (``store.undo()`` reverts them all). Returns the annotations created or extended."""
    library = library or Library(config)
    if plan is None:
        plan = plan_hits(config, store, index, query, tags, library=library)
    out: list[Annotation] = []
    total = plan.sentences
    done = 0
    with store.batch(f"tagging of {total} hit sentence{'s' if total != 1 else ''} "
                     f"of “{plan.query}”"):
        for article_id, spans in plan.spans.items():
            try:
                article = library.load(article_id)
            except (LookupError, OSError, ValueError):
                continue  # removed since the plan was made
            current = store.load(article)
            exact = {(a.start, a.end): a for a in current.annotations if not a.orphaned}
            groups: dict[tuple[str, ...], list[tuple[int, int]]] = {}
            for start, end, missing in spans:
                if (start, end) in exact:
                    out.append(tag_span(store, article, start, end, missing))
                else:
                    groups.setdefault(tuple(missing), []).append((start, end))
            for missing_tags, group in groups.items():
                out.extend(store.add_many(article, group, missing_tags))
            done += len(spans)
            if progress:
                progress(done, total)
    return out
