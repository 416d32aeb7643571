"""The changes a user makes to one article's annotations, as plain functions on the list the
store has just read from disk (under its lock).

Each function changes the list in place and returns ``(changes, result)``: the
:class:`~reader.annotations.undo.Change` records that undo needs (none when nothing changed,
so nothing is written) and what the caller gets back. Checks that need no file (the span is
inside the text, the annotation exists) happen here too; paths, locks, the vocabulary check
and writing stay with :mod:`reader.annotations.store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reader.annotations import anchoring
from reader.annotations.format import copy_annotation, new_id, now
from reader.annotations.undo import Change
from reader.models import Annotation, Article

Changes = list[Change]


@dataclass(frozen=True, slots=True)
class Tagged:
    """What :meth:`AnnotationStore.tag` did."""

    annotation: Annotation  # as it now stands
    added: bool  # a new annotation (else the one on exactly that span)
    changed: bool  # False: it carried those tags (and that note) already; nothing written


def check_span(article: Article, start: int, end: int) -> None:
    if not (0 <= start < end <= len(article.text)):
        raise ValueError(f"passage {start}-{end} is empty or outside the text "
                         f"(0-{len(article.text)})")
    if not article.text[start:end].strip():
        raise ValueError("the passage is only whitespace")


def new_annotation(article: Article, start: int, end: int, tags: Sequence[str], note: str,
                   stamp: str) -> Annotation:
    prefix, suffix = anchoring.passage_context(article.text, start, end)
    return Annotation(id=new_id(), quote=article.text[start:end], prefix=prefix, suffix=suffix,
                      start=start, end=end, tags=list(tags), note=note, created=stamp,
                      updated=stamp)


def add(article: Article, anns: list[Annotation],
        added: Sequence[Annotation]) -> tuple[Changes, None]:
    anns.extend(copy_annotation(a) for a in added)
    return [Change(article, None, copy_annotation(a)) for a in added], None


def tag(article: Article, anns: list[Annotation], start: int, end: int, tags: list[str],
        note: str | None) -> tuple[Changes, Tagged]:
    """Add ``tags`` (and set ``note``, when given) to the annotation on exactly this span,
    else make one."""
    i = next((k for k, a in enumerate(anns)
              if not a.orphaned and (a.start, a.end) == (start, end)), None)
    if i is None:
        new = new_annotation(article, start, end, tags, note or "", now())
        anns.append(new)
        return ([Change(article, None, copy_annotation(new))],
                Tagged(copy_annotation(new), added=True, changed=True))
    old = anns[i]
    have = {t.casefold() for t in old.tags}
    merged = old.tags + [t for t in tags if t.casefold() not in have]
    if merged == old.tags and (note is None or note == old.note):
        return [], Tagged(copy_annotation(old), added=False, changed=False)
    anns[i] = replace(old, tags=merged, note=old.note if note is None else note, updated=now(),
                      extra=dict(old.extra))
    return ([Change(article, copy_annotation(old), copy_annotation(anns[i]))],
            Tagged(copy_annotation(anns[i]), added=False, changed=True))


def update(article: Article, anns: list[Annotation], annotation_id: str,
           tags: list[str] | None, note: str | None) -> tuple[Changes, Annotation]:
    i = index(anns, annotation_id)
    old = anns[i]
    if (tags is None or tags == old.tags) and (note is None or note == old.note):
        return [], copy_annotation(old)
    new = replace(old, tags=list(tags if tags is not None else old.tags),
                  note=note if note is not None else old.note, updated=now(),
                  extra=dict(old.extra))
    anns[i] = new
    return [Change(article, copy_annotation(old), copy_annotation(new))], copy_annotation(new)


def delete(article: Article, anns: list[Annotation],
           annotation_id: str) -> tuple[Changes, Annotation]:
    old = anns.pop(index(anns, annotation_id))
    return [Change(article, copy_annotation(old), None)], copy_annotation(old)


def restore(article: Article, anns: list[Annotation],
            annotation: Annotation) -> tuple[Changes, None]:
    """Put ``annotation`` back exactly, replacing any with its id; re-anchored."""
    i = next((k for k, a in enumerate(anns) if a.id == annotation.id), None)
    before = anns.pop(i) if i is not None else None
    anns.append(copy_annotation(annotation))
    anchoring.reanchor(article, anns[-1])
    return [Change(article, before, copy_annotation(anns[-1]))], None


def reattach(article: Article, anns: list[Annotation], annotation_id: str, start: int,
             end: int) -> tuple[Changes, Annotation]:
    i = index(anns, annotation_id)
    old = anns[i]
    new = copy_annotation(old)
    anchoring.place(article, new, start, end)
    new.updated = now()
    anns[i] = new
    return [Change(article, copy_annotation(old), copy_annotation(new))], copy_annotation(new)


def index(anns: list[Annotation], annotation_id: str) -> int:
    for i, a in enumerate(anns):
        if a.id == annotation_id:
            return i
    raise KeyError(f"annotation {annotation_id} not found (deleted elsewhere?)")
