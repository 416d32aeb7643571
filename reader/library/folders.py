"""Folder defaults: a ``_folder.yml`` in a folder of ``articles/`` says what the articles
under it are (their ``source``, ``language`` and ``tags``), so a library of downloaded
coverage can be sorted and searched by outlet without front matter in every file.

    # articles/detik/_folder.yml
    source: detik.com
    language: id
    tags: [detik]

The nearest folder file wins for ``source`` and ``language`` (a sub-folder's over its
parent's), tags add up along the way, and the article's own front matter wins over them all.
Each file is read with the strict safe YAML loader; a broken one is reported on the articles
it would apply to and ignored. Files are re-read when their size or mtime changes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader import yamlio
from reader.library.language import normalise_language

FOLDER_FILES = ("_folder.yml", "_folder.yaml")  # the first one found in a folder is used
MAX_BYTES = 64 * 1024  # a folder file is a few lines
KEYS = ("source", "language", "tags")


@dataclass(frozen=True, slots=True)
class FolderDefaults:
    """What the folder files above an article say about it. ``stamp`` is a digest of all of
    it (0 when there is nothing): metadata derived with other defaults is stale."""

    source: str = ""
    language: str = ""
    tags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    stamp: int = 0


NO_DEFAULTS = FolderDefaults()
Resolver = Callable[[str], FolderDefaults]  # folder under articles/ ("" is the top) -> defaults


def folder_of(rel_path: str) -> str:
    """The folder of an article's path under ``articles/`` (``""`` for the top)."""
    return rel_path.rsplit("/", 1)[0] if "/" in rel_path else ""


def _stamp(source: str, language: str, tags: tuple[str, ...], warnings: tuple[str, ...]) -> int:
    if not (source or language or tags or warnings):
        return 0
    digest = hashlib.blake2b(repr((source, language, tags, warnings)).encode(), digest_size=7)
    return int.from_bytes(digest.digest(), "big") or 1


def _merge(parent: FolderDefaults, own: FolderDefaults | None) -> FolderDefaults:
    if own is None:
        return parent
    source = own.source or parent.source
    language = own.language or parent.language
    tags = own.tags + tuple(t for t in parent.tags if t not in own.tags)
    warnings = parent.warnings + own.warnings
    return FolderDefaults(source, language, tags, warnings,
                          _stamp(source, language, tags, warnings))


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("should be a text")
    return str(value).strip()


def _tags(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValueError("should be a list of tags or one comma-separated text")
    out: list[str] = []
    for item in items:
        tag = " ".join(_text(item).split())
        if tag and tag not in out:
            out.append(tag)
    return tuple(out)


def read_folder_file(path: Path, shown: str) -> FolderDefaults:
    """The defaults one folder file gives; a broken file gives only a warning naming it
    (``shown``, its path as the user knows it) with the line and the reason."""
    try:
        data, node = yamlio.parse(path, yamlio.read_text(path, MAX_BYTES))
    except yamlio.YamlFileError as exc:
        where = f"{shown}:{exc.line}" if exc.line else shown
        return FolderDefaults(warnings=(f"{where}: {exc.reason}; its defaults are ignored",))
    except OSError as exc:
        return FolderDefaults(warnings=(
            f"{shown}: cannot be read ({exc.strerror or exc}); its defaults are ignored",))
    if data is None:
        return NO_DEFAULTS
    if not isinstance(data, dict):
        return FolderDefaults(warnings=(
            f"{shown}: should be a mapping (source:, language:, tags:); its defaults are "
            "ignored",))
    lines = {str(k.value): v.start_mark.line + 1 for k, v in getattr(node, "value", [])
             if hasattr(k, "value")}
    warnings: list[str] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = str(key)
        if name == "lang":
            name = "language"
        at = f"{shown}:{lines[str(key)]}" if str(key) in lines else shown
        if name not in KEYS:
            warnings.append(f"{at}: unknown key {str(key)!r} left out (known: "
                            f"{', '.join(KEYS)})")
            continue
        if value is None:
            continue
        try:
            values[name] = _tags(value) if name == "tags" else _text(value)
        except ValueError as exc:
            return FolderDefaults(warnings=(f"{at}: {name} {exc}; its defaults are ignored",))
    source = values.get("source", "")
    language = normalise_language(values.get("language", ""))
    tags: tuple[str, ...] = values.get("tags", ())
    return FolderDefaults(source, language, tags, tuple(warnings),
                          _stamp(source, language, tags, tuple(warnings)))


class FolderFiles:
    """The folder files of one ``articles/`` folder, each read again only when its size or
    mtime changed. Safe to share between threads."""

    def __init__(self, articles_dir: Path) -> None:
        self.articles_dir = articles_dir
        self._read: dict[str, tuple[tuple[int, int, int], FolderDefaults]] = {}
        self._lock = threading.Lock()

    def _own(self, folder: str) -> FolderDefaults | None:
        """The defaults of the folder's own file, or None when it has none."""
        base = self.articles_dir / folder if folder else self.articles_dir
        for name in FOLDER_FILES:
            path = base / name
            try:
                st = os.stat(path)
            except OSError:
                continue
            key = (st.st_size, st.st_mtime_ns, st.st_ino)
            rel = f"{folder}/{name}" if folder else name
            with self._lock:
                known = self._read.get(rel)
            if known is not None and known[0] == key:
                return known[1]
            found = read_folder_file(path, f"articles/{rel}")
            with self._lock:
                self._read[rel] = (key, found)
            return found
        return None

    def resolver(self) -> Resolver:
        """Defaults by folder, each folder file looked at once (for one scan: a library of
        100k articles in a few folders costs a few stats)."""
        memo: dict[str, FolderDefaults] = {}

        def for_folder(folder: str) -> FolderDefaults:
            found = memo.get(folder)
            if found is None:
                parent = for_folder(folder_of(folder)) if folder else NO_DEFAULTS
                found = memo[folder] = _merge(parent, self._own(folder))
            return found

        return for_folder

    def for_article(self, rel_path: str) -> FolderDefaults:
        """The defaults for one article (its path under ``articles/``)."""
        return self.resolver()(folder_of(rel_path))
