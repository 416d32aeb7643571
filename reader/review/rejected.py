"""Rejected suggestions: ``annotations/rejected.yml``, user data like the annotation files.

Entries are keyed by article id, tag and a hash of the sentence (spacing ignored), so a
rejection survives edits elsewhere in the article. Read with the strict loader
(:mod:`reader.yamlio`); written under the library's lock, re-read and merged, atomically. A
file that cannot be read is reported (:class:`RejectedFileError`, with its line; ``reader
check`` lists it) and never overwritten: rejections count as none until it is fixed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import yaml

from reader import yamlio
from reader.config import Config

REJECTED_FILENAME = "rejected.yml"
FORMAT_VERSION = 1
HEADER = ("# Suggestions rejected in reader (never proposed again). Delete an entry to see\n"
          "# its suggestion again.\n")
ENTRY_KEYS = ("article", "tag", "hash")
Key = tuple[str, str, str]  # (article id, tag folded, sentence hash)


class RejectedFileError(yamlio.YamlFileError):
    """``annotations/rejected.yml`` cannot be read; it is left as is."""


class Rejectable(Protocol):
    """What is rejected: a suggestion (:class:`reader.review.suggest.Suggestion`)."""

    @property
    def article_id(self) -> str: ...

    @property
    def tag(self) -> str: ...

    @property
    def sentence(self) -> str: ...


def sentence_hash(sentence: str) -> str:
    """Hash of the sentence with spacing normalised (re-wrapping does not matter)."""
    return hashlib.sha256(" ".join(sentence.split()).encode("utf-8")).hexdigest()[:16]


def rejection_key(article_id: str, tag: str, sentence: str) -> Key:
    return (article_id, tag.casefold(), sentence_hash(sentence))


def rejected_path(config: Config) -> Path:
    return config.annotations_dir / REJECTED_FILENAME


def read_rejected(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(entries, unknown top-level keys) of the file; nothing when it does not exist. Raises
    :class:`RejectedFileError` with the line of the problem."""
    if not path.exists():
        return [], {}
    try:
        text = yamlio.read_text(path)
        data, node = yamlio.parse(path, text)
    except yamlio.YamlFileError as exc:
        raise RejectedFileError(exc.path, exc.line, exc.reason) from None
    except OSError as exc:
        raise RejectedFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if data is None:
        return [], {}
    nodes = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)} \
        if isinstance(node, yaml.MappingNode) else {}
    if not isinstance(data, dict) or not isinstance(data.get("rejected") or [], list):
        raise RejectedFileError(path, yamlio.node_line(node),
                                "expected a mapping with a list under `rejected:`")
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise RejectedFileError(path, yamlio.node_line(nodes.get("version")),
                                f"version {version!r} is not one this reader knows "
                                f"({FORMAT_VERSION})")
    items = getattr(nodes.get("rejected"), "value", None) or []
    entries = []
    for i, e in enumerate(data.get("rejected") or []):
        if not isinstance(e, dict) or not all(
                isinstance(e.get(k), str) and e.get(k) for k in ENTRY_KEYS):
            line = yamlio.node_line(items[i]) if i < len(items) else None
            raise RejectedFileError(path, line, f"entry {i + 1}: needs article, tag and hash "
                                                "(text)")
        entries.append(dict(e))
    extra = {k: v for k, v in data.items() if k not in ("version", "rejected")}
    return entries, extra


def load_rejected(config: Config, *, strict: bool = True) -> set[Key]:
    """Keys (article id, tag folded, sentence hash) of rejected suggestions. A broken file
    raises :class:`RejectedFileError` when ``strict``, else counts as empty."""
    try:
        entries, _ = read_rejected(rejected_path(config))
    except RejectedFileError:
        if strict:
            raise
        return set()
    return {(e["article"], e["tag"].casefold(), e["hash"]) for e in entries}


def _key(s: Rejectable) -> Key:
    return rejection_key(s.article_id, s.tag, s.sentence)


def _write(path: Path, entries: list[dict[str, Any]], extra: dict[str, Any]) -> None:
    doc: dict[str, Any] = {"version": FORMAT_VERSION, "rejected": entries}
    doc.update(extra)
    yamlio.atomic_write(path, HEADER + yamlio.dump(doc))


def reject(config: Config, suggestion: Rejectable) -> bool:
    """Remember that this suggestion is unwanted (idempotent); True if it was not yet."""
    path = rejected_path(config)
    with yamlio.library_lock(config.annotations_dir / ".lock"):
        entries, extra = read_rejected(path)
        key = _key(suggestion)
        if any((e["article"], e["tag"].casefold(), e["hash"]) == key for e in entries):
            return False
        entries.append({"article": suggestion.article_id, "tag": suggestion.tag,
                        "hash": sentence_hash(suggestion.sentence),
                        "sentence": " ".join(suggestion.sentence.split()),
                        "rejected": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
        entries.sort(key=lambda e: (e["article"], e["tag"], e["hash"]))
        _write(path, entries, extra)
        return True


def unreject(config: Config, suggestion: Rejectable) -> bool:
    """Forget a rejection; True if there was one."""
    path = rejected_path(config)
    with yamlio.library_lock(config.annotations_dir / ".lock"):
        entries, extra = read_rejected(path)
        key = _key(suggestion)
        kept = [e for e in entries if (e["article"], e["tag"].casefold(), e["hash"]) != key]
        if len(kept) == len(entries):
            return False
        _write(path, kept, extra)
        return True
