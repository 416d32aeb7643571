"""Review's tag bar as the tag hierarchy: each parent with its passages (children rolled up),
then its children; a parent's filter takes in its children; the definition of the tag
filtered on. Plain helpers for :class:`~reader.ui.screens.review.ReviewScreen`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reader.annotations import hierarchy
from reader.annotations.vocabulary import Vocabulary
from reader.review.rows import UNTAGGED, ReviewRow


def tag_tree_counts(rows: Iterable[ReviewRow]) -> list[tuple[str, str, int]]:
    """(tag or parent, label, passages) in bar order: top levels by passages (most first,
    ties by name), each followed by its children (labelled ``›child``); a passage counts once
    under each level."""
    counted = hierarchy.rollup([r.tags or (UNTAGGED,) for r in rows], unfold=True)
    groups: list[list[tuple[hierarchy.Node, int]]] = []
    for node, count in counted:
        if node.depth == 0:
            groups.append([])
        groups[-1].append((node, count))
    groups.sort(key=lambda g: (-g[0][1], g[0][0].path.casefold()))
    return [(n.path, n.path if n.depth == 0 else "›" * n.depth + n.label, c)
            for g in groups for n, c in g]


def with_children(tags: Iterable[str], rows: Iterable[ReviewRow]) -> list[str]:
    """``tags`` and every tag of ``rows`` under one of them (a parent shows its children)."""
    return hierarchy.expand(tags, dict.fromkeys(t for r in rows for t in r.tags))


def definition_line(vocabulary: Vocabulary, tags: Sequence[str]) -> str:
    """The definition of the one tag filtered on ("" for none or several)."""
    if len(tags) != 1:
        return ""
    tag = vocabulary.get(tags[0])
    if tag is None:
        return ""
    parts = [p for p in (tag.description, tag.include and f"Include: {tag.include}",
                         tag.exclude and f"Exclude: {tag.exclude}",
                         tag.example and f"Example: {tag.example[0]} {tag.example[1]}") if p]
    return f"{tag.name}: " + " · ".join(parts) if parts else ""
