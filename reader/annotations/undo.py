"""Undo of annotation changes: the record of what each change did, and its inverse.

Owns the undo history of one store (:class:`UndoLog`: steps, batches that form one step) and
the rule for reverting a step against the file as it is now on disk (:func:`revert`): a
passage changed or deleted elsewhere since is left alone and counted as skipped, never
overwritten. The store applies the reverted list under its lock and writes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from reader.annotations.format import copy_annotation
from reader.models import Annotation, Article

MAX_STEPS = 200


@dataclass(frozen=True, slots=True)
class Change:
    article: Article
    before: Annotation | None  # None: the change added it
    after: Annotation | None  # None: the change deleted it

    @property
    def annotation_id(self) -> str:
        ann = self.after or self.before
        assert ann is not None
        return ann.id


@dataclass(slots=True)
class UndoStep:
    description: str
    changes: list[Change] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(c.article.id for c in self.changes))


class UndoLog:
    """The steps of one store, newest last; thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._steps: list[UndoStep] = []
        self._batch: UndoStep | None = None

    @contextmanager
    def batch(self, description: str) -> Iterator[UndoStep]:
        """Changes recorded inside form one step."""
        with self.lock:
            outer = self._batch
            step = UndoStep(description) if outer is None else outer
            self._batch = step
            try:
                yield step
            finally:
                if outer is None:
                    self._batch = None
                    if step.changes:
                        self._steps.append(step)

    def record(self, description: str, changes: list[Change]) -> None:
        with self.lock:
            if self._batch is not None:
                self._batch.changes.extend(changes)
            else:
                self._steps.append(UndoStep(description, changes))
                del self._steps[:-MAX_STEPS]

    def can_undo(self) -> bool:
        return bool(self._steps)

    def peek(self) -> UndoStep | None:
        with self.lock:
            return self._steps[-1] if self._steps else None

    def pop(self) -> None:
        with self.lock:
            self._steps.pop()


def by_article(step: UndoStep) -> list[list[Change]]:
    """The step's changes grouped by article (each group is one write)."""
    groups: dict[str, list[Change]] = {}
    for c in step.changes:
        groups.setdefault(c.article.id, []).append(c)
    return list(groups.values())


def revert(changes: list[Change], annotations: list[Annotation],
           reanchor: Callable[[Annotation], None]) -> int:
    """Apply the inverse of ``changes`` (one article, newest last) to ``annotations`` as read
    from disk now; ``reanchor`` places a restored passage in the current text. Returns how
    many were skipped because the passage was changed or deleted elsewhere since."""
    skipped = 0
    for c in reversed(changes):
        current = next((a for a in annotations if a.id == c.annotation_id), None)
        if c.after is None:  # undo a deletion: put it back exactly
            if current is not None or c.before is None:
                skipped += 1
                continue
            annotations.append(copy_annotation(c.before))
            reanchor(annotations[-1])
        elif current is None or not _same_edit(current, c.after):
            skipped += 1  # changed or deleted elsewhere since: leave it
        elif c.before is None:  # undo an addition
            annotations.remove(current)
        else:
            i = next(k for k, a in enumerate(annotations) if a is current)
            annotations[i] = copy_annotation(c.before)
            reanchor(annotations[i])
    return skipped


def _same_edit(a: Annotation, b: Annotation) -> bool:
    return (a.tags, a.note, a.updated, a.coders) == (b.tags, b.note, b.updated, b.coders)
