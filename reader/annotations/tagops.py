"""Move, merge and split tags: each one step over the whole library, like a rename.

Each takes the library's write lock once, for the annotation files and the vocabulary
together, so no passage can be tagged in between with a name that is going away. The files
are rewritten first (each atomically, :meth:`AnnotationStore.retag`), the vocabulary last:
interrupted midway (a crash, a kill), the vocabulary still says what was asked and running
the same command again finishes the job. A broken annotation file is left untouched and
named (:class:`TagOpIncomplete`); fixing it and running the command again finishes it.

Every operation returns a :class:`TagOp` that :func:`undo` reverses exactly: each passage
whose tags are still as the operation left them gets its old tags back (one changed
elsewhere since is left alone and counted), and the vocabulary's entries come back.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reader import yamlio
from reader.annotations import hierarchy
from reader.annotations.format import clean_tags
from reader.annotations.store import AnnotationStore, RenameReport
from reader.annotations.vocabulary import PALETTE, Vocabulary, VocabularyError, clean_name
from reader.models import Annotation

Raw = list[dict[str, Any]]


class TagOpIncomplete(ValueError):
    """Done in the vocabulary and every readable file; some broken files still hold the old
    tags: fix them and run the same command again."""

    def __init__(self, op: TagOp) -> None:
        files = "; ".join(str(e) for e in op.report.failed)
        super().__init__(f"{op.description}: {op.report.annotations} passage(s) changed, but "
                         f"{len(op.report.failed)} broken file(s) were left as they are: "
                         f"{files}. Fix them, then run the same command again.")
        self.op = op


@dataclass(slots=True)
class TagOp:
    """What a move, merge or split did (to report it and to undo it)."""

    description: str
    report: RenameReport
    renamed: dict[str, str] = field(default_factory=dict)  # old name -> new name
    vocabulary_before: Raw = field(default_factory=list)
    vocabulary_after: Raw = field(default_factory=list)

    @property
    def passages(self) -> int:
        return self.report.annotations


def _names(vocabulary: Vocabulary, store: AnnotationStore | None, node: str) -> list[str]:
    """Every name under ``node`` in the vocabulary and, with a store, on passages."""
    names = [t.name for t in vocabulary.tags]
    if store is not None:
        for _, found in store.iter_all():
            names += [t for a in found.annotations for t in a.tags]
    return [n for n in dict.fromkeys(names) if hierarchy.is_under(n, node)]


def _run(vocabulary: Vocabulary, store: AnnotationStore | None, description: str,
         change: Callable[[str, Annotation], list[str] | None], apply: Callable[[Raw], None],
         *, vocabulary_first: bool = False) -> TagOp:
    """The common path: files and vocabulary under one hold of the lock."""
    op = TagOp(description, RenameReport())
    with yamlio.library_lock(vocabulary.path.parent / ".lock"):
        vocabulary.reload()  # a broken vocabulary: refused before any file is touched
        if vocabulary.error is not None:
            error = vocabulary.error
            raise VocabularyError(error.path, error.line, f"{error.reason} (nothing changed: "
                                  "fix the file first)")
        def edit(raw: Raw) -> None:
            op.vocabulary_before = copy.deepcopy(raw)
            apply(raw)
            op.vocabulary_after = copy.deepcopy(raw)

        if vocabulary_first:
            vocabulary.edit(edit)
        if store is not None:
            op.report = store.retag(change)
        if not vocabulary_first:
            vocabulary.edit(edit)
    if op.report.failed:
        raise TagOpIncomplete(op)
    return op


def move(vocabulary: Vocabulary, store: AnnotationStore | None, name: str, under: str) -> TagOp:
    """Put tag (or node) ``name`` with its children under ``under`` (``""``: the top level):
    ``treaties`` under ``agreements`` becomes ``agreements/treaties``."""
    name, under = hierarchy.normalise(name), hierarchy.normalise(under)
    name, under = (_spelled(vocabulary, n) for n in (name, under))
    target = hierarchy.SEP.join([*hierarchy.parts(under), hierarchy.leaf(name)])
    if under and hierarchy.is_under(under, name):
        raise ValueError(f"cannot move “{name}” under itself (“{under}”)")
    return _rename_node(vocabulary, store, name, clean_name(target),
                        f"moved “{name}” under “{under}”" if under
                        else f"moved “{name}” to the top level")


def _rename_node(vocabulary: Vocabulary, store: AnnotationStore | None, name: str,
                 target: str, description: str) -> TagOp:
    moving = _names(vocabulary, store, name)
    if not moving:
        if vocabulary.get(target) is not None:  # done before; only files could be left
            moving = []
        else:
            raise KeyError(f"no tag “{name}”")
    if name.casefold() == target.casefold():
        raise ValueError(f"“{name}” is there already")
    renamed = {n: clean_name(hierarchy.reparent(n, name, target)) for n in moving}
    known = {t.name.casefold() for t in vocabulary.tags}
    moving_keys = {n.casefold() for n in moving}
    clash = next((new for old, new in renamed.items() if new.casefold() in known
                  and new.casefold() not in moving_keys and vocabulary.get(old) is not None),
                 None)
    if clash is not None:
        raise ValueError(f"tag “{clash}” already exists (merge into it instead)")

    def change(_article_id: str, ann: Annotation) -> list[str] | None:
        if not any(hierarchy.is_under(t, name) for t in ann.tags):
            return None
        return clean_tags(_renamed_tag(t, name, target) for t in ann.tags)

    def apply(raw: Raw) -> None:
        for entry in raw:
            entry_name = str(entry.get("name", ""))
            if hierarchy.is_under(entry_name, name):
                entry["name"] = _renamed_tag(entry_name, name, target)

    op = _run(vocabulary, store, description, change, apply)
    op.renamed = renamed
    return op


def merge(vocabulary: Vocabulary, store: AnnotationStore | None, source: str,
          into: str) -> TagOp:
    """Merge tag ``source`` (and its children, into ``into``'s children of the same names)
    into ``into``: every passage tagged ``source`` is tagged ``into`` instead, once even when
    it had both. ``source`` leaves the vocabulary; ``into``'s definition is kept, and it
    takes ``source``'s cue words too (suggestions look for both)."""
    source, into = hierarchy.normalise(source), hierarchy.normalise(into)
    if hierarchy.is_under(into, source):  # a child into its parent is fine, not the reverse
        raise ValueError(f"cannot merge “{source}” into “{into}”, a tag inside it (move "
                         f"“{into}” out first)")
    if vocabulary.get(into) is None:
        raise KeyError(f"no tag “{into}” (add it first, or rename “{source}” to it)")
    merging = _names(vocabulary, store, source)
    if not merging:
        raise KeyError(f"no tag “{source}”")
    target = vocabulary.get(into)
    assert target is not None
    into = target.name

    def change(_article_id: str, ann: Annotation) -> list[str] | None:
        if not any(hierarchy.is_under(t, source) for t in ann.tags):
            return None
        return clean_tags(_renamed_tag(t, source, into) for t in ann.tags)

    def apply(raw: Raw) -> None:
        taken = {str(e.get("name", "")).casefold(): e for e in raw}
        kept: Raw = []
        for entry in raw:
            entry_name = str(entry.get("name", ""))
            if not hierarchy.is_under(entry_name, source):
                kept.append(entry)
                continue
            new = _renamed_tag(entry_name, source, into)
            target = taken.get(new.casefold())
            if target is not None:  # merged into the tag of that name: its definition is kept
                cues = _cue_list(target.get("cues")) + _cue_list(entry.get("cues"))
                target["cues"] = list(dict.fromkeys(cues))  # and the cues of both suggest
                continue
            entry["name"] = new
            taken[new.casefold()] = entry
            kept.append(entry)
        raw[:] = kept

    op = _run(vocabulary, store, f"merged “{source}” into “{into}”", change, apply)
    op.renamed = {n: clean_name(hierarchy.reparent(n, source, into)) for n in merging}
    return op


def split(vocabulary: Vocabulary, store: AnnotationStore, name: str, into: str,
          chosen: Callable[[str, Annotation], bool]) -> TagOp:
    """Move the passages of tag ``name`` that ``chosen(article id, annotation)`` picks to tag
    ``into`` (added to the vocabulary first when new, in ``name``'s place and colour family;
    an existing tag takes them as they come). The other passages keep ``name``."""
    current = vocabulary.get(name)
    if current is None:
        raise KeyError(f"no tag “{name}”")
    name = current.name
    into = clean_name(hierarchy.normalise(into))
    if into.casefold() == name.casefold():
        raise ValueError(f"split “{name}” into another tag, not into itself")
    existing = vocabulary.get(into)
    into = existing.name if existing is not None else into
    if existing is None and not any(name in a.tags and chosen(aid, a)
                                    for aid, found in store.iter_all()
                                    for a in found.annotations):
        raise ValueError(f"no passage of “{name}” is chosen: nothing split, “{into}” not "
                         "added")

    def change(article_id: str, ann: Annotation) -> list[str] | None:
        if name not in ann.tags or not chosen(article_id, ann):
            return None
        return clean_tags(into if t == name else t for t in ann.tags)

    def apply(raw: Raw) -> None:
        if any(str(e.get("name", "")).casefold() == into.casefold() for e in raw):
            return
        at = next((i for i, e in enumerate(raw) if e.get("name") == name), len(raw) - 1)
        raw.insert(at + 1, {"name": into, "colour": _free_colour(raw), "key": "",
                            "description": "", "cues": []})

    op = _run(vocabulary, store, f"split “{name}”: the passages chosen went to “{into}”",
              change, apply,
              vocabulary_first=True)
    op.renamed = {name: into}
    return op


def undo(vocabulary: Vocabulary, store: AnnotationStore | None, op: TagOp) -> str:
    """Reverse ``op``: passages whose tags are still as it left them get their old tags back
    (others, changed elsewhere since, are left and counted); the vocabulary entries it
    changed come back. Returns a one-line account."""
    back = {(aid, ann_id): (before, after) for aid, rows in op.report.changes.items()
            for ann_id, before, after in rows}
    skipped = 0

    def change(article_id: str, ann: Annotation) -> list[str] | None:
        nonlocal skipped
        found = back.get((article_id, ann.id))
        if found is None:
            return None
        before, after = found
        if ann.tags != after:
            skipped += 1
            return None
        return list(before)

    before_names = {str(e.get("name")) for e in op.vocabulary_before}
    after_names = {str(e.get("name")) for e in op.vocabulary_after}

    def apply(raw: Raw) -> None:
        if raw == op.vocabulary_after:
            raw[:] = copy.deepcopy(op.vocabulary_before)
            return
        # changed elsewhere since: take out what the operation made, put back what it took
        raw[:] = [e for e in raw if str(e.get("name")) not in after_names - before_names]
        present = {str(e.get("name")).casefold() for e in raw}
        for i, entry in enumerate(op.vocabulary_before):
            if str(entry.get("name")).casefold() not in present:
                raw.insert(min(i, len(raw)), copy.deepcopy(entry))

    done = _run(vocabulary, store, f"undo of {op.description}", change, apply,
                vocabulary_first=True)
    text = f"undone: {op.description} ({done.passages} passage(s) back)"
    if skipped:
        text += f"; {skipped} passage(s) changed elsewhere since were left as they are"
    return text


def _spelled(vocabulary: Vocabulary, name: str) -> str:
    """``name`` as the vocabulary spells it (names compare without case)."""
    tag = vocabulary.get(name) if name else None
    return tag.name if tag is not None else name


def _cue_list(value: Any) -> list[Any]:
    """A tag's ``cues`` as written (one cue may be written without a list)."""
    return [value] if isinstance(value, str) else list(value or [])


def _renamed_tag(tag: str, old: str, new: str) -> str:
    return hierarchy.reparent(tag, old, new) if hierarchy.is_under(tag, old) else tag


def _free_colour(raw: Raw) -> str:
    used = {str(r.get("colour", "")).lower() for r in raw}
    return next((c for c in PALETTE if c not in used), PALETTE[len(raw) % len(PALETTE)])
