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
        note: str | None, coder: str | None = None) -> tuple[Changes, Tagged]:
    """Add ``tags`` (and set ``note``, when given) to the annotation on exactly this span,
    else make one. With a ``coder``, see :func:`tag_as`."""
    if coder is not None:
        return tag_as(article, anns, start, end, tags, note, coder)
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
           tags: list[str] | None, note: str | None,
           coder: str | None = None) -> tuple[Changes, Annotation]:
    i = index(anns, annotation_id)
    old = anns[i]
    if (tags is None or tags == old.tags) and (note is None or note == old.note):
        return [], copy_annotation(old)
    if coder is not None and coder in old.coders and len(old.coders) > 1:
        return split_edit(article, anns, i, coder, tags, note)
    new = replace(old, tags=list(tags if tags is not None else old.tags),
                  note=note if note is not None else old.note, updated=now(),
                  extra=dict(old.extra))
    anns[i] = new
    return [Change(article, copy_annotation(old), copy_annotation(new))], copy_annotation(new)


def delete(article: Article, anns: list[Annotation], annotation_id: str,
           coder: str | None = None) -> tuple[Changes, Annotation]:
    i = index(anns, annotation_id)
    if coder is not None and coder in anns[i].coders and len(anns[i].coders) > 1:
        return leave(article, anns, i, coder)  # the other coders keep it
    old = anns.pop(i)
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


# -- several coders ----------------------------------------------------------------------------
# A passage lists who coded it (``coders``). Two coders who tag the same span with the same
# tags share one passage; the same span with other tags is two passages, one per set of tags,
# so a disagreement stays visible. A coder's change never changes another coder's coding.
def _tag_key(tags: Sequence[str]) -> frozenset[str]:
    return frozenset(t.casefold() for t in tags)


def _joined_note(theirs: str, mine: str) -> str:
    if not mine or mine in theirs:
        return theirs
    return f"{theirs}\n\n{mine}" if theirs else mine


def tag_as(article: Article, anns: list[Annotation], start: int, end: int, tags: list[str],
           note: str | None, coder: str) -> tuple[Changes, Tagged]:
    """``coder`` tags this span: their passage on it (if any) takes the tags and the note;
    then, if another coder's passage on the span has the same tags, the two become one
    passage with both names (notes joined)."""
    span = [a for a in anns if not a.orphaned and (a.start, a.end) == (start, end)]
    mine = next((a for a in span if coder in a.coders), None)
    if mine is not None:
        have = {t.casefold() for t in mine.tags}
        want_tags = mine.tags + [t for t in tags if t.casefold() not in have]
        want_note = mine.note if note is None else note
        if want_tags == mine.tags and want_note == mine.note:
            return [], Tagged(copy_annotation(mine), added=False, changed=False)
    else:
        want_tags, want_note = list(tags), note or ""
    other = next((a for a in span if a is not mine and a.coders
                  and _tag_key(a.tags) == _tag_key(want_tags)), None)
    changes: Changes = []
    stamp = now()
    if mine is not None:
        i = index(anns, mine.id)
        if mine.coders == [coder] and other is None:  # their own passage: changed in place
            anns[i] = replace(mine, tags=want_tags, note=want_note, updated=stamp,
                              extra=dict(mine.extra), coders=[coder])
            changes.append(Change(article, copy_annotation(mine), copy_annotation(anns[i])))
            return changes, Tagged(copy_annotation(anns[i]), added=False, changed=True)
        changes += _without(article, anns, i, coder, stamp)
    if other is not None:
        j = index(anns, other.id)
        anns[j] = replace(other, tags=list(other.tags), note=_joined_note(other.note, want_note),
                          updated=stamp, extra=dict(other.extra),
                          coders=[*other.coders, coder])
        changes.append(Change(article, copy_annotation(other), copy_annotation(anns[j])))
        return changes, Tagged(copy_annotation(anns[j]), added=False, changed=True)
    new = new_annotation(article, start, end, want_tags, want_note, stamp)
    new.coders = [coder]
    anns.append(new)
    changes.append(Change(article, None, copy_annotation(new)))
    return changes, Tagged(copy_annotation(new), added=mine is None, changed=True)


def _without(article: Article, anns: list[Annotation], i: int, coder: str,
             stamp: str) -> Changes:
    """Take ``coder`` off passage ``i`` (deleted when they were its only coder)."""
    old = anns[i]
    rest = [c for c in old.coders if c != coder]
    if not rest:
        anns.pop(i)
        return [Change(article, copy_annotation(old), None)]
    anns[i] = replace(old, tags=list(old.tags), updated=stamp, extra=dict(old.extra),
                      coders=rest)
    return [Change(article, copy_annotation(old), copy_annotation(anns[i]))]


def leave(article: Article, anns: list[Annotation], i: int,
          coder: str) -> tuple[Changes, Annotation]:
    """``coder`` deletes a passage they share: only their name goes."""
    old = copy_annotation(anns[i])
    return _without(article, anns, i, coder, now()), old


def split_edit(article: Article, anns: list[Annotation], i: int, coder: str,
               tags: list[str] | None, note: str | None) -> tuple[Changes, Annotation]:
    """``coder`` edits a passage they share: the others keep it as it was; the coder gets a
    passage of their own on the same span with the new tags and note."""
    old = anns[i]
    stamp = now()
    changes = _without(article, anns, i, coder, stamp)
    new = replace(old, id=new_id(), tags=list(tags if tags is not None else old.tags),
                  note=note if note is not None else old.note, created=stamp, updated=stamp,
                  extra=dict(old.extra), coders=[coder])
    anns.append(new)
    changes.append(Change(article, None, copy_annotation(new)))
    return changes, copy_annotation(new)
