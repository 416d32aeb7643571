"""The data a REFI-QDA codebook or project carries, as plain frozen dataclasses.

These types are this package's own: the annotation store's tags, passages, coders and memos
are mapped onto them to export, and an import maps them back. They hold everything QDA-XML
can say that reader keeps; what reader does not keep (cases, variables, sets, graphs,
picture/PDF/audio/video sources...) is counted when reading and named in
:attr:`Imported.left_out`.

Identifiers are QDA-XML GUIDs (lower-case, no braces). :func:`stable_guid` makes them from
reader's own ids, so the same data always gets the same GUIDs and a re-export diffs cleanly.

Positions: :attr:`Selection.start` and :attr:`Selection.end` count Unicode code points
(Python ``str`` indices) into :attr:`Source.text`, ``end`` exclusive, like the offsets of
reader's annotation files. REFI-QDA positions for plain text are character positions from 0;
tools that count UTF-16 units instead (many Windows, Java and Qt programs) agree with them
wherever the text has no character beyond U+FFFF (emoji, some rare CJK ideographs).

Timestamps are ISO 8601 strings as reader stores them (``2026-11-25T05:41:54Z``), or ``""``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from reader.exchange.xsd import collapse, is_guid

GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://reader.invalid/refi-qda")
PATH_SEPARATOR = "/"  # a tag "military cooperation/arms transfer" is a code with a parent
NAME_SLASH = "\u2215"  # stands for a "/" inside one code's name read from another tool


class ExchangeError(ValueError):
    """A codebook or project that cannot be read (or data that cannot be written); the
    message is one line that names the file and what is wrong."""


def stable_guid(kind: str, *key: str) -> str:
    """A GUID that depends only on ``kind`` and ``key``: ``stable_guid("code", "sanctions")``
    is the same on every machine and in every export (a version 5 UUID)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join((kind, *key))))


def normalise_guid(text: str) -> str | None:
    """``text`` as a lower-case GUID without braces, or None when it is not a GUID."""
    if not is_guid(text):
        return None
    return collapse(text).strip("{}").lower()


@dataclass(frozen=True)
class User:
    """A coder: ``name`` is what reader records on each passage."""

    guid: str
    name: str


@dataclass(frozen=True)
class Note:
    """A memo (on the library, an article or a tag) or a passage's note. ``kind`` (theory,
    method, to do...) is written as the note's ``Description``."""

    guid: str
    name: str
    text: str
    kind: str = ""
    coder: str | None = None  # a User guid
    created: str = ""
    updated: str = ""


@dataclass(frozen=True)
class Code:
    """A tag. ``name`` is one level of the hierarchy (``arms transfer``); the parent holds
    it in ``children``. :func:`code_tree` builds the tree from reader's ``/`` paths.

    A codebook code has only a ``Description``: the inclusion and exclusion notes and the
    example are written into it under ``Include:``, ``Exclude:`` and ``Example:`` paragraphs
    (readable in any tool) and split out again when read."""

    guid: str
    name: str
    colour: str = ""  # "#rrggbb" or ""
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    codable: bool = True
    notes: tuple[Note, ...] = ()  # memos on the tag (projects only: a .qdc has no notes)
    children: tuple[Code, ...] = ()


@dataclass(frozen=True)
class Coding:
    """One code applied to a selection by one coder."""

    guid: str
    code: str  # a Code guid
    coder: str | None = None  # a User guid
    created: str = ""


@dataclass(frozen=True)
class Selection:
    """A tagged passage: ``text[start:end]`` of its source (code points, end exclusive)."""

    guid: str
    source: str  # a Source guid
    start: int
    end: int
    quote: str  # the source text between start and end; checked on writing
    codings: tuple[Coding, ...] = ()
    coder: str | None = None  # who made the passage (a User guid)
    created: str = ""
    updated: str = ""
    note: str = ""  # written as a Note with a NoteRef; notes read back are joined by a blank line


@dataclass(frozen=True)
class Source:
    """An article: its plain text (``Sources/<guid>.txt`` in a project)."""

    guid: str
    name: str
    text: str
    description: str = ""
    coder: str | None = None
    created: str = ""
    updated: str = ""
    notes: tuple[Note, ...] = ()  # memos on the article


@dataclass(frozen=True)
class Project:
    """A whole study: what ``project.qde`` and ``Sources/`` hold. ``notes`` are memos on the
    project (the library) as a whole."""

    name: str
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    sources: tuple[Source, ...] = ()
    selections: tuple[Selection, ...] = ()
    notes: tuple[Note, ...] = ()
    description: str = ""
    origin: str = "reader"


@dataclass(frozen=True)
class Imported:
    """What was read, and what the file held that reader does not keep, as counted phrases
    (``"3 cases"``, ``"2 PDF sources"``)."""

    project: Project
    left_out: tuple[str, ...] = field(default=())

    def message(self) -> str:
        """One line for the user, e.g. ``left out: 3 cases, 2 PDF sources``; ``""`` if none."""
        return "left out: " + ", ".join(self.left_out) if self.left_out else ""


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``counted(1, "case")`` -> ``"1 case"``; ``counted(3, "case")`` -> ``"3 cases"``."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


# ---------------------------------------------------------------- tag paths and code trees


def code_tree(flat: Iterable[Code]) -> tuple[Code, ...]:
    """Nest codes named by ``/`` paths (``military cooperation/arms transfer``) under their
    parents, in the order given; each code keeps the last part of its path as its name. A
    parent that is not given itself is made (codable, with :func:`stable_guid` of its path).
    Raises ValueError on an empty path part (``a//b``, ``/a``) or a path given twice."""
    seen: set[str] = set()
    roots: list[str] = []
    children: dict[str, list[str]] = {}
    given: dict[str, Code] = {}
    for code in flat:
        parts = code.name.split(PATH_SEPARATOR)
        if any(not p.strip() for p in parts):
            raise ValueError(f"tag {code.name!r}: empty part in its path")
        path = PATH_SEPARATOR.join(parts)
        if path in given:
            raise ValueError(f"tag {path!r} given twice")
        given[path] = code
        for depth in range(1, len(parts) + 1):
            sub = PATH_SEPARATOR.join(parts[:depth])
            if sub in seen:
                continue
            seen.add(sub)
            parent = PATH_SEPARATOR.join(parts[: depth - 1])
            (children.setdefault(parent, []) if depth > 1 else roots).append(sub)

    def build(path: str) -> Code:
        leaf = path.rsplit(PATH_SEPARATOR, 1)[-1]
        base = given.get(path) or Code(guid=stable_guid("code", path), name=leaf)
        kids = tuple(build(c) for c in children.get(path, ()))
        return replace(base, name=leaf, children=base.children + kids)

    return tuple(build(r) for r in roots)


def walk_codes(codes: Iterable[Code], parent: str = "") -> Iterator[tuple[str, Code]]:
    """Every code with its reader tag path (``military cooperation/arms transfer``), parents
    before children. A ``/`` inside one code's name (possible in other tools) becomes
    :data:`NAME_SLASH`, which looks the same but is no level of the hierarchy."""
    for code in codes:
        name = code.name.replace(PATH_SEPARATOR, NAME_SLASH)
        path = f"{parent}{PATH_SEPARATOR}{name}" if parent else name
        yield path, code
        yield from walk_codes(code.children, path)


# ---------------------------------------------------------------- definitions in a Description

DEFINITION_LABELS = ("Include", "Exclude", "Example")
_DEFINITION = re.compile(r"(?s)(.*?)(?:(?:\A|\n\n)Include: (.*?))?(?:(?:\A|\n\n)Exclude: (.*?))?"
                         r"(?:(?:\A|\n\n)Example: (.*?))?")


def definition_text(code: Code) -> str:
    """The code's ``Description``: its description, then ``Include: ...``, ``Exclude: ...``
    and ``Example: ...`` paragraphs for the parts it has."""
    parts = [code.description] if code.description else []
    for label, value in zip(DEFINITION_LABELS, (code.inclusion, code.exclusion, code.example),
                            strict=True):
        if value:
            parts.append(f"{label}: {value}")
    return "\n\n".join(parts)


def split_definition(text: str) -> tuple[str, str, str, str]:
    """(description, inclusion, exclusion, example) from a ``Description`` written by
    :func:`definition_text`; another tool's description comes back whole as the first.
    (A description of its own holding a paragraph that starts ``Include:``, ``Exclude:`` or
    ``Example:`` is split there too.)"""
    m = _DEFINITION.fullmatch(text)
    assert m is not None  # every group is optional: any text matches
    description, inclusion, exclusion, example = (g or "" for g in m.groups())
    return description, inclusion, exclusion, example
