"""Settling a disagreement: the agreed reading of one sentence, kept apart from each coder's.

Coders disagree on a sentence when, for some tags, one coded it so and another did not. The
resolution keeps the readings of the coders chosen (keep A's, keep B's, both, neither): for
each disputed tag, the agreed record (passages of the coder
:data:`~reader.annotations.coders.AGREED`) on that sentence becomes the chosen coders'
passages with the tag (their spans, that tag), or nothing when none of them had it. Each
coder's own passages are never changed; the resolution is one undo step of the store given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.annotations.coders import AGREED, of
from reader.annotations.store import AnnotationStore
from reader.models import Annotation, Article
from reader.review.agreement import Disagreement, covers, has_tag


@dataclass(frozen=True, slots=True)
class Case:
    """One sentence on which coders differ, with every tag they differ on."""

    article_id: str
    start: int
    end: int
    text: str
    tags: tuple[str, ...]
    readings: tuple[tuple[str, tuple[str, ...]], ...]  # (coder, the disputed tags they gave)


def cases(disagreements: Iterable[Disagreement], coders: Sequence[str]) -> list[Case]:
    """The disagreements per sentence (in their order), with each coder's reading."""
    grouped: dict[tuple[str, int, int], list[Disagreement]] = {}
    for d in disagreements:
        grouped.setdefault((d.article_id, d.start, d.end), []).append(d)
    out = []
    for (article_id, start, end), ds in grouped.items():
        readings = tuple((c, tuple(d.tag for d in ds if c in d.with_tag)) for c in coders
                         if any(c in d.with_tag or c in d.without_tag for d in ds))
        out.append(Case(article_id, start, end, ds[0].text, tuple(d.tag for d in ds),
                        readings))
    return out


def _on(article: Article, ann: Annotation, case: Case) -> bool:
    return not ann.orphaned and covers(article.text, (ann.start, ann.end), (case.start, case.end))


def resolve(store: AnnotationStore, article: Article, case: Case,
            keep: Sequence[str]) -> str:
    """Make the agreed reading of ``case`` that of the coders in ``keep`` (none: no tag);
    one undo step. Returns what was done, for the user."""
    kept = {k.casefold() for k in keep}
    label = " and ".join(keep) + "'s" if keep else "neither reading"
    with store.batch(f"resolution of “{case.text[:30]}” ({label})"):
        for tag in case.tags:
            anns = store.load(article).annotations
            for ann in anns:  # the agreed record loses the tag on this sentence
                if AGREED in ann.coders and _on(article, ann, case) and has_tag(ann.tags, tag):
                    rest = [t for t in ann.tags if not has_tag([t], tag)]
                    if rest or ann.note:
                        store.update(article, ann.id, tags=rest, coder=AGREED)
                    else:
                        store.delete(article, ann.id, coder=AGREED)
            for ann in anns:  # and takes the chosen coders' passages with it
                if (AGREED not in ann.coders and _on(article, ann, case)
                        and kept & {c.casefold() for c in of(ann)}):
                    tags = [t for t in ann.tags if has_tag([t], tag)]
                    if tags:
                        store.tag(article, ann.start, ann.end, tags, coder=AGREED)
    return f"agreed: {label} on “{case.text[:40]}”"
