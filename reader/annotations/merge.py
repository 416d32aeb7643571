"""Three-way merge of one annotation file, for git: two coders who coded the same article
on two clones merge without conflicts.

``reader merge-annotations --setup`` makes this git's merge driver for ``annotations/``.
Passages are matched by id (64 random bits: two machines never make the same one):

- added on one side: kept; deleted on one side and unchanged on the other: deleted;
  deleted on one side and changed on the other: kept, changed (nothing coded is lost);
- changed on both sides: the later ``updated`` wins, and the coders of both are kept;
- then, as when two coders tag in one library, passages on the same text with the same tags
  become one with every coder's name (notes joined).

A side that cannot be read (broken YAML, conflict markers) is not merged: git reports the
conflict as usual and the file is left as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader import yamlio
from reader.annotations.format import FileState, copy_annotation, parse, serialise
from reader.models import Annotation


def _read(path: Path, text: str, article_id: str | None) -> tuple[str, FileState]:
    if not text.strip():
        return article_id or "", FileState(path, exists=False)
    data, _ = yamlio.parse(path, text)
    found = data.get("article") if isinstance(data, dict) else None
    aid = found if isinstance(found, str) and found else article_id or ""
    return aid, parse(path, aid, text)


def _same(a: Annotation, b: Annotation) -> bool:
    return a == b


def merge_texts(base: str, ours: str, theirs: str, label: Path = Path("annotations")) -> str:
    """The merged file's text; :class:`reader.yamlio.YamlFileError` for a side that cannot
    be read (broken YAML, a conflict marker, a passage that does not validate)."""
    aid, mine = _read(label, ours, None)
    aid, other = _read(label, theirs, aid)
    aid, old = _read(label, base, aid)
    b = {a.id: a for a in old.annotations}
    o = {a.id: a for a in mine.annotations}
    t = {a.id: a for a in other.annotations}
    merged: list[Annotation] = []
    for ann_id in list(o) + [i for i in t if i not in o]:
        x, y, was = o.get(ann_id), t.get(ann_id), b.get(ann_id)
        if x is not None and y is not None:
            if was is not None and _same(x, was):
                merged.append(y)
            elif was is not None and _same(y, was) or _same(x, y):
                merged.append(x)
            else:  # changed on both sides
                win = x if x.updated >= y.updated else y
                coders = _union(x.coders, y.coders)
                merged.append(_with(win, coders=coders))
        else:
            one = x if x is not None else y
            assert one is not None
            if was is not None and _same(one, was):
                continue  # deleted on the other side, unchanged here
            merged.append(one)
    sha = _pick(old.sha, mine.sha, other.sha)
    extra: dict[str, Any] = {**other.extra, **mine.extra}
    anns = coalesce(merged)
    anns.sort(key=lambda a: (a.start, a.end, a.id))
    return serialise(aid, sha, anns, extra)


def _union(a: list[str], b: list[str]) -> list[str]:
    """Both lists' names, sorted: the same whichever side merges the other."""
    return sorted(set(a) | set(b), key=lambda c: (c.casefold(), c))


def _pick(base: str, ours: str, theirs: str) -> str:
    return theirs if ours == base else ours


def _with(ann: Annotation, **changes: Any) -> Annotation:
    new = copy_annotation(ann)
    for k, v in changes.items():
        setattr(new, k, v)
    return new


def coalesce(anns: list[Annotation]) -> list[Annotation]:
    """Passages of named coders on the same text with the same tags made one (the first by
    id keeps its id; coders and notes joined). Passages without coders are left alone."""
    out: list[Annotation] = []
    by_key: dict[tuple[int, int, str, frozenset[str]], Annotation] = {}
    for ann in sorted(anns, key=lambda a: a.id):
        key = (ann.start, ann.end, ann.quote, frozenset(t.casefold() for t in ann.tags))
        first = by_key.get(key) if ann.coders and not ann.orphaned else None
        if first is None:
            kept = copy_annotation(ann)
            out.append(kept)
            if ann.coders and not ann.orphaned:
                by_key[key] = kept
            continue
        first.coders = _union(first.coders, ann.coders)
        if ann.note and ann.note not in first.note:
            first.note = f"{first.note}\n\n{ann.note}" if first.note else ann.note
        first.updated = max(first.updated, ann.updated)
    return out


def merge_files(base: Path, ours: Path, theirs: Path, label: Path) -> None:
    """git's merge driver: the merge of the three written to ``ours`` (atomically)."""
    b, o, t = (yamlio.read_text(p) if p.stat().st_size else "" for p in (base, ours, theirs))
    text = merge_texts(b, o, t, label=label)
    yamlio.atomic_write(ours, text)
