"""Plain data shared by the domain modules and the UI. No I/O, no Textual, no Whoosh.

Offsets: every ``start``/``end`` in this project is a character offset (Python ``str`` index)
into :attr:`Article.text`, the article's body after decoding, BOM removal, line-ending
normalisation (``\\r\\n`` and ``\\r`` -> ``\\n``) and removal of YAML front matter. Nothing
else is changed, so offsets stay exact and stable while the file is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

BlockKind = Literal["title", "dateline", "heading", "paragraph", "boilerplate"]


class ArticleMeta(NamedTuple):
    """What the article list needs; cached so the list appears without reading the files.

    A named tuple rather than a frozen dataclass: 100k of them are made from the cache before
    the first screen, and ``ArticleMeta._make(row)`` costs a tenth of a dataclass's init."""

    id: str  # path under articles/ without extension, "/"-separated
    path: str  # path under articles/, "/"-separated, with extension
    title: str
    source: str = ""
    place: str = ""
    date: str = ""  # ISO "YYYY-MM-DD", or "" when unknown
    language: str = ""  # "id", "en", or "" when unknown
    authors: tuple[str, ...] = ()
    url: str = ""
    words: int = 0
    size: int = 0  # bytes on disk
    mtime: float = 0.0
    warnings: tuple[str, ...] = ()  # human-readable, e.g. "not valid UTF-8: 3 bytes replaced"


@dataclass(frozen=True, slots=True)
class Block:
    """A structural run of :attr:`Article.text` (no trailing newline included)."""

    kind: BlockKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    meta: ArticleMeta
    text: str
    blocks: tuple[Block, ...]
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    sha256: str = ""  # hex sha256 of ``text`` encoded as UTF-8

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(slots=True)
class Annotation:
    """One tagged passage. ``extra`` keeps keys this version does not know (written by hand or
    by a newer version) so they survive a rewrite."""

    id: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    tags: list[str]
    note: str = ""
    created: str = ""  # ISO 8601 UTC, e.g. "2026-11-25T10:00:00Z"
    updated: str = ""
    orphaned: bool = False  # True when the quote could not be placed in the current text
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    colour: str  # "#rrggbb"
    key: str = ""  # optional one-key shortcut in the tag picker
    description: str = ""
    cues: tuple[str, ...] = ()  # cue words/phrases (id and en) used to suggest passages
    retired: bool = False
    include: str = ""  # inclusion notes: when to use the tag
    exclude: str = ""  # exclusion notes: when not to (and which tag instead)
    example: tuple[str, str] | None = None  # an example passage: (article id, annotation id)
