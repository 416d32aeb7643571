"""Move, merge, split and define tags from Manage tags (:class:`TagOpsScreen`, the base of
:class:`~reader.ui.screens.vocabulary.VocabularyScreen`): the dialogs' answers carried out
through :mod:`reader.annotations.tagops`, each one undo step of the screen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

from textual.screen import Screen

from reader.annotations import hierarchy, tagops
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.models import Tag
from reader.ui.screens.tag_ops import (
    Definition,
    DefinitionDialog,
    NameDialog,
    Passage,
    SplitDialog,
)

EDIT_ERRORS = (ValueError, KeyError, OSError)


class TagOpsScreen(Screen[bool]):
    """What Manage tags does to the hierarchy; the screen provides the table and the undo."""

    vocabulary: Vocabulary
    store: AnnotationStore | None
    renamed: list[str]
    _counts: Counter[str] | None
    _passages: dict[str, list[Passage]]

    def _current(self) -> Tag | None:
        raise NotImplementedError

    def _current_path(self) -> str | None:
        raise NotImplementedError

    def _done(self, name: str, message: str) -> None:
        raise NotImplementedError

    def _undoable(self, what: str, undo: Callable[[], str]) -> None:
        raise NotImplementedError

    # -- move, merge, split, define ----------------------------------------------------------
    def action_move(self) -> None:
        path = self._current_path()
        if path is None:
            return
        self.app.push_screen(NameDialog(
            f"Move “{path}” (with its children)", "Under (empty: the top level)",
            hierarchy.parent(path) or "", allow_empty=True), partial(self._moved, path))

    def _moved(self, path: str, under: object) -> None:
        if not isinstance(under, str):
            return
        self._run_op(lambda: tagops.move(self.vocabulary, self.store, path, under))

    def action_merge(self) -> None:
        tag = self._current()
        if tag is None:
            self.notify("Put the cursor on a tag to merge it into another.")
            return
        names = [t.name for t in self.vocabulary.tags if t.name != tag.name]
        self.app.push_screen(NameDialog(f"Merge “{tag.name}” into", "The tag its passages "
                                        "take (a passage with both keeps one)", known=names),
                             partial(self._merged, tag.name))

    def _merged(self, source: str, into: object) -> None:
        if isinstance(into, str) and into:
            self._run_op(lambda: tagops.merge(self.vocabulary, self.store, source, into))

    def action_split(self) -> None:
        tag = self._current()
        if tag is None or self.store is None:
            return
        if self._counts is None:
            self.notify("Still counting the passages; try again in a moment.")
            return
        passages = self._passages.get(tag.name, [])
        if not passages:
            self.notify(f"“{tag.name}” is on no passage: nothing to split.")
            return
        self.app.push_screen(SplitDialog(tag.name, passages), partial(self._split, tag.name))

    def _split(self, name: str, answer: object) -> None:
        if not isinstance(answer, tuple):
            return
        into, chosen = answer
        wanted = set(chosen)
        store = self.store
        assert store is not None
        self._run_op(lambda: tagops.split(self.vocabulary, store, name, into,
                                          lambda aid, ann: (aid, ann.id) in wanted))

    def _run_op(self, run: Callable[[], tagops.TagOp]) -> None:
        try:
            op = run()
        except EDIT_ERRORS as exc:
            self.notify(f"Not done: {exc.args[0] if isinstance(exc, KeyError) else exc}",
                        severity="error", timeout=15)
            self._done(self._current_path() or "", "")
            return
        self.renamed.extend(op.report.articles)
        name = next(iter(op.renamed.values()), "")
        self._undoable(op.description, partial(self._undo_op, op))
        self._done(name, f"{op.description[0].upper()}{op.description[1:]}: "
                   f"{op.passages} passage(s) (u undoes)")

    def _undo_op(self, op: tagops.TagOp) -> str:
        message = tagops.undo(self.vocabulary, self.store, op)
        self.renamed.extend(op.report.articles)
        if "changed elsewhere" in message:
            self.notify(message, severity="warning")
        return next(iter(op.renamed), "")

    def action_define(self) -> None:
        tag = self._current()
        if tag is not None:
            self.app.push_screen(DefinitionDialog(tag), partial(self._defined, tag))

    def _defined(self, old: Tag, answer: object) -> None:
        if not isinstance(answer, Definition):
            return
        try:
            self._set_definition(old.name, answer)
        except EDIT_ERRORS as exc:
            self.notify(f"Definition not saved: {exc}", severity="error")
            return
        self._undoable(f"the definition of “{old.name}”", partial(
            self._set_definition, old.name,
            Definition(old.description, old.include, old.exclude, old.example)))
        self._done(old.name, f"Definition of “{old.name}” saved (u undoes)")

    def _set_definition(self, name: str, d: Definition) -> str:
        self.vocabulary.describe(name, description=d.description, include=d.include,
                                 exclude=d.exclude)
        self.vocabulary.set_example(name, d.example)
        return name

