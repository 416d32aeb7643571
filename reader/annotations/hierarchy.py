"""The tag hierarchy: a ``/`` in a tag's name is a level (``sanctions/economic`` is the child
``economic`` of ``sanctions``), to any depth.

The vocabulary stays a flat list of names, so files written before the hierarchy read
unchanged. A parent need not be a tag of its own (``sanctions/economic`` alone still shows
``sanctions`` as a node). Names compare without case, as everywhere else for tags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SEP = "/"


@dataclass(frozen=True, slots=True)
class Node:
    """One line of the tree: ``path`` (the full name), ``depth`` (0 for the top level),
    ``is_tag`` (False for a parent that is only a node)."""

    path: str
    depth: int
    is_tag: bool

    @property
    def label(self) -> str:
        """The last level of the name (what the tree shows, indented)."""
        return leaf(self.path)


def parts(name: str) -> list[str]:
    """The levels of a name, blank ones dropped (``a//b`` is ``a/b``)."""
    return [p.strip() for p in name.split(SEP) if p.strip()]


def normalise(name: str) -> str:
    """The name with its levels joined by a bare ``/`` (``a / b`` is ``a/b``)."""
    return SEP.join(parts(name))


def parent(name: str) -> str | None:
    levels = parts(name)
    return SEP.join(levels[:-1]) if len(levels) > 1 else None


def leaf(name: str) -> str:
    levels = parts(name)
    return levels[-1] if levels else name


def ancestors(name: str) -> list[str]:
    """``a/b/c`` -> ``["a", "a/b"]``."""
    levels = parts(name)
    return [SEP.join(levels[:i]) for i in range(1, len(levels))]


def is_under(name: str, node: str) -> bool:
    """True when ``name`` is ``node`` or one of its descendants (without case)."""
    n, top = normalise(name).casefold(), normalise(node).casefold()
    return n == top or n.startswith(top + SEP)


def reparent(name: str, old: str, new: str) -> str:
    """``name`` (under ``old``) with the ``old`` part of its path replaced by ``new``."""
    rest = parts(name)[len(parts(old)):]
    return SEP.join(parts(new) + rest)


def expand(names: Iterable[str], known: Iterable[str]) -> list[str]:
    """``names`` and every name of ``known`` under one of them (a parent's passages include
    its children's), each once, in the order given then the order of ``known``."""
    wanted = list(dict.fromkeys(names))
    out = list(wanted)
    seen = {n.casefold() for n in out}
    for k in known:
        if k.casefold() not in seen and any(is_under(k, w) for w in wanted):
            out.append(k)
            seen.add(k.casefold())
    return out


def tree(names: Iterable[str]) -> list[Node]:
    """The names as a tree in display order: each parent before its children, siblings in the
    order their first name came; a parent that is not among ``names`` is a node
    (``is_tag=False``). A name that is no clean path (an empty level, a space around a
    ``/``) stays one top-level line, so it can still be chosen."""
    names = list(dict.fromkeys(names))
    tags = {n.casefold() for n in names}
    children: dict[str, list[str]] = {}
    spelled: dict[str, str] = {}
    for name in names:
        path = ""
        # a name that is no clean path ("a//b", "/a", "a /b") is one level: shown as written
        for level in parts(name) if normalise(name) == name else [name]:
            child = f"{path}{SEP}{level}" if path else level
            key = child.casefold()
            if key not in spelled:
                spelled[key] = name if key == name.casefold() else child
                children.setdefault(path.casefold(), []).append(key)
            path = spelled[key]
    out: list[Node] = []

    def walk(key: str, depth: int) -> None:
        for child in children.get(key, []):
            out.append(Node(spelled[child], depth, child in tags))
            walk(child, depth + 1)

    walk("", 0)
    return out


def rollup(tag_sets: Iterable[Iterable[str]], unfold: bool = False) -> list[tuple[Node, int]]:
    """Passages per node of the tree, each passage counted once under a node however many of
    the node's tags it has. Folded (the default): the top-level nodes only; ``unfold``: every
    node, parents before their children."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for tags in tag_sets:
        nodes: set[str] = set()
        for t in tags:
            for path in [*ancestors(t), normalise(t) or t]:
                key = path.casefold()
                spelling.setdefault(key, path)
                nodes.add(key)
        counts.update(nodes)
    shown = [n for n in tree(spelling.values()) if unfold or n.depth == 0]
    return [(n, counts[n.path.casefold()]) for n in shown]
