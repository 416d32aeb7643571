"""The annotation file format: parse and validate one ``annotations/<article id>.yaml``, and
serialise it back.

Owns what a file may hold and how it is written: the keys and their order, strict validation
with the line of every problem (:class:`AnnotationFileError`), unknown keys kept (after the
known ones), multi-line text as literal blocks. No paths beyond the one given, no locks, no
writes: :mod:`reader.annotations.store` does those.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from reader import yamlio
from reader.models import Annotation

FORMAT_VERSION = 1
ENTRY_KEYS = ("id", "quote", "prefix", "suffix", "start", "end", "tags", "coders", "coder",
              "note", "created", "updated", "orphaned")
HEADER_KEYS = ("article", "text_sha256", "version", "annotations")
SUFFIX = ".yaml"


class AnnotationFileError(yamlio.YamlFileError):
    """An annotation file that cannot be used (``path``, ``line``, ``reason``); never
    overwritten."""


class ReadOnlyError(AnnotationFileError):
    """A change was asked for on an article whose annotation file is broken."""


class UnknownTagError(AnnotationFileError):
    """A change would add a tag that is not (or no longer) in the vocabulary file on disk,
    e.g. renamed in another window since the picker was shown; nothing was written."""

    def __init__(self, path: Path, tag: str) -> None:
        super().__init__(path, None, f"tag “{tag}” is not in the vocabulary (renamed or "
                                     "removed elsewhere?): not saved")
        self.tag = tag


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of ``reader check``."""

    level: str  # "error" | "warning"
    article_id: str
    message: str
    path: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path and self.line else str(self.path or "")
        return f"{self.level}: {where or self.article_id}: {self.message}"


@dataclass(slots=True)
class FileState:
    """One annotation file as read (``exists`` false: no file yet)."""

    path: Path
    exists: bool
    sha: str = ""
    annotations: list[Annotation] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level keys

    def copy(self) -> FileState:
        return FileState(self.path, self.exists, self.sha,
                         [copy_annotation(a) for a in self.annotations], dict(self.extra))


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    """64 random bits in hex: never collides across machines in practice."""
    return secrets.token_hex(8)


def quote_preview(quote: str, width: int = 40) -> str:
    q = " ".join(quote.split())
    return q if len(q) <= width else q[:width - 1] + "…"


def copy_annotation(ann: Annotation) -> Annotation:
    return replace(ann, tags=list(ann.tags), extra=dict(ann.extra), coders=list(ann.coders))


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Stripped, non-empty, without duplicates, order kept."""
    out: list[str] = []
    for t in tags:
        if not isinstance(t, str):
            raise ValueError(f"a tag must be text, not {t!r}")
        name = " ".join(t.split())
        if name and name not in out:
            out.append(name)
    return out


# -- writing ----------------------------------------------------------------------------------
def to_raw(ann: Annotation) -> dict[str, Any]:
    """The mapping written for one annotation: fixed key order, unknown keys last."""
    raw: dict[str, Any] = {"id": ann.id, "quote": ann.quote, "prefix": ann.prefix,
                           "suffix": ann.suffix, "start": ann.start, "end": ann.end,
                           "tags": list(ann.tags)}
    if ann.coders:  # a file without coders is written as before (an unknown coder)
        raw["coders"] = list(ann.coders)
    raw.update(note=ann.note, created=ann.created, updated=ann.updated)
    if ann.orphaned:
        raw["orphaned"] = True
    for k, v in ann.extra.items():
        if k not in raw and k not in ENTRY_KEYS:
            raw[k] = v
    return raw


def serialise(article_id: str, sha: str, annotations: list[Annotation],
              extra: dict[str, Any]) -> str:
    """The file's text; ``annotations`` must be in text order."""
    doc: dict[str, Any] = {"article": article_id, "text_sha256": sha, "version": FORMAT_VERSION,
                           "annotations": [to_raw(a) for a in annotations]}
    doc.update(extra)
    return yamlio.dump(doc)


# -- reading ----------------------------------------------------------------------------------
def parse(path: Path, article_id: str, text: str) -> FileState:
    """The file's content, validated; raises :class:`AnnotationFileError` with the line."""
    try:
        data, node = yamlio.parse(path, text)
    except yamlio.YamlFileError as exc:
        raise AnnotationFileError(exc.path, exc.line, exc.reason) from None
    return validate(path, article_id, data, node)


def validate(path: Path, article_id: str, data: Any, node: yaml.Node | None) -> FileState:
    def fail(reason: str, at: yaml.Node | None = node) -> AnnotationFileError:
        return AnnotationFileError(path, yamlio.node_line(at), reason)

    if not isinstance(data, dict):
        raise fail("expected a mapping with article, text_sha256, version, annotations")
    nodes = _mapping_nodes(node)
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise fail("version must be a whole number", nodes.get("version"))
    if version > FORMAT_VERSION:
        raise fail(f"written by a newer reader (format version {version}; this one reads "
                   f"{FORMAT_VERSION})", nodes.get("version"))
    if data.get("article", article_id) != article_id:
        raise fail(f"file is for article {data.get('article')!r}, expected {article_id!r} "
                   "(its path names the article)", nodes.get("article"))
    sha = data.get("text_sha256") or ""
    if not isinstance(sha, str):
        raise fail("text_sha256 must be text", nodes.get("text_sha256"))
    items = data.get("annotations") or []
    if not isinstance(items, list):
        raise fail("annotations must be a list", nodes.get("annotations"))
    item_nodes = getattr(nodes.get("annotations"), "value", None) or []
    anns: list[Annotation] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        at = item_nodes[i] if i < len(item_nodes) else node
        ann = _entry(raw, partial(fail, at=at))
        if ann.id in seen:
            raise fail(f"duplicate annotation id {ann.id!r}", at)
        seen.add(ann.id)
        anns.append(ann)
    extra = {k: v for k, v in data.items() if k not in HEADER_KEYS}
    return FileState(path, True, sha, anns, extra)


def _mapping_nodes(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return None


def _entry(raw: Any, fail: Callable[[str], AnnotationFileError]) -> Annotation:
    if not isinstance(raw, dict):
        raise fail("each annotation must be a mapping (id, quote, start, end, tags, ...)")
    for key in ("id", "quote", "start", "end"):
        if key not in raw:
            raise fail(f"annotation without {key!r}")
    ann_id = raw["id"]
    if isinstance(ann_id, int) and not isinstance(ann_id, bool):
        ann_id = str(ann_id)
    if not isinstance(ann_id, str) or not ann_id.strip():
        raise fail("id must be non-empty text")
    values: dict[str, str] = {}
    for key in ("quote", "prefix", "suffix", "note", "created", "updated"):
        v = _text(raw.get(key))
        if v is None:
            raise fail(f"{key} must be text (annotation {ann_id})")
        values[key] = v
    if not values["quote"]:
        raise fail(f"quote is empty (annotation {ann_id})")
    start, end = raw["start"], raw["end"]
    for key, v in (("start", start), ("end", end)):
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise fail(f"{key} must be a whole number >= 0 (annotation {ann_id})")
    if end < start:
        raise fail(f"end is before start (annotation {ann_id})")
    tags = raw.get("tags")
    if tags is None:
        tags = []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise fail(f"tags must be a list of names (annotation {ann_id})")
    orphaned = raw.get("orphaned", False)
    if not isinstance(orphaned, bool):
        raise fail(f"orphaned must be true or false (annotation {ann_id})")
    coders = _coders(raw, ann_id, fail)
    extra = {k: v for k, v in raw.items() if k not in ENTRY_KEYS}
    return Annotation(id=ann_id, quote=values["quote"], prefix=values["prefix"],
                      suffix=values["suffix"], start=start, end=end, tags=clean_tags(tags),
                      note=values["note"], created=values["created"],
                      updated=values["updated"], orphaned=orphaned, extra=extra, coders=coders)


def _coders(raw: dict[Any, Any], ann_id: str,
            fail: Callable[[str], AnnotationFileError]) -> list[str]:
    """``coders: [a, b]`` (or ``coder: a``, as a person may write it), each a valid coder
    name, once each; none: an unknown coder."""
    if "coders" in raw and "coder" in raw:
        raise fail(f"give coders or coder, not both (annotation {ann_id})")
    value = raw.get("coders", raw.get("coder"))
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise fail(f"coders must be a list of names (annotation {ann_id})")
    out: list[str] = []
    for name in value:
        problem = coder_name_problem(name)
        if problem:
            raise fail(f"coder {name!r}: {problem} (annotation {ann_id})")
        name = " ".join(name.split())
        if name not in out:
            out.append(name)
    return out


MAX_CODER = 60


def coder_name_problem(name: str) -> str:
    """Why ``name`` cannot be a coder's name ("" when it can): one line of text, at most
    60 characters, no control characters."""
    cleaned = " ".join(name.split())
    if not cleaned:
        return "a coder's name cannot be empty"
    if len(cleaned) > MAX_CODER:
        return f"a coder's name is at most {MAX_CODER} characters"
    if any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 for ch in name):
        return "a coder's name is one line without control characters"
    return ""
