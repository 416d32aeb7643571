"""What the index reads from outside the index: article files (which there are, their
stats, their text) and annotations (which articles have them, their tags and notes).

Each is one small function here, so that what owns those files can change its API in one
place.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library import text as textmod
from reader.library.articles import ARTICLE_SUFFIXES
from reader.models import Annotation

FileState = tuple[int, float]  # size, mtime


def article_files(root: Path) -> dict[str, FileState]:
    """{article id: (size, mtime)} of every article file (hidden names skipped). Lean on
    purpose: at 100k articles this walk is most of an update with nothing changed."""
    out: dict[str, FileState] = {}
    if not root.is_dir():
        return out
    stack = [(str(root), "")]
    suffixes = tuple(s.lower() for s in ARTICLE_SUFFIXES)
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            name = e.name
            if name[0] == ".":
                continue
            try:
                if not name.lower().endswith(suffixes):
                    if e.is_dir():
                        stack.append((e.path, f"{rel}{name}/"))
                    continue
                st = e.stat()
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append((e.path, f"{rel}{name}/"))
                continue
            article_id = rel + name[: name.rfind(".")]
            if article_id not in out:  # a.txt and a.md: the library reads the first
                out[article_id] = (st.st_size, st.st_mtime)
    return out


def named_files(root: Path, paths: Iterable[str]) -> tuple[dict[str, FileState], set[str]]:
    """({id: (size, mtime)} of those of ``paths`` (under ``root``) that are article files,
    {ids of those that are gone})."""
    files: dict[str, FileState] = {}
    gone: set[str] = set()
    for rel in paths:
        rel = rel.replace(os.sep, "/").strip("/")
        name = rel.rsplit("/", 1)[-1]
        if not name or name[0] == "." or "." not in name:
            continue
        article_id = rel[: rel.rfind(".")]
        try:
            st = os.stat(root / rel)
        except OSError:
            gone.add(article_id)
            continue
        if stat.S_ISREG(st.st_mode) and article_id not in files:
            files[article_id] = (st.st_size, st.st_mtime)
    return files, gone - files.keys()


def article_text(data: bytes) -> str:
    """:attr:`Article.text` of a file's bytes: decoded, front matter cut off (unparsed)."""
    text, _ = textmod.decode(data)
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            rest = text[end + 4:]
            text = rest[1:] if rest.startswith("\n") else rest
    return text


# -- annotations ---------------------------------------------------------------------------

def annotation_files(config: Config) -> dict[str, FileState]:
    """{article id: (size, mtime)} of every annotation file."""
    store = AnnotationStore(config.annotations_dir)
    out: dict[str, FileState] = {}
    for path in store.paths():
        try:
            st = path.stat()
        except OSError:
            continue
        out[store.id_for(path)] = (st.st_size, st.st_mtime)
    return out


def annotation_states(config: Config, ids: Iterable[str]) -> dict[str, FileState]:
    """{article id: (size, mtime)} of the annotation files of those of ``ids`` that have one."""
    store = AnnotationStore(config.annotations_dir)
    out: dict[str, FileState] = {}
    for article_id in ids:
        try:
            st = store.path_for(article_id).stat()
        except (OSError, ValueError):
            continue
        out[article_id] = (st.st_size, st.st_mtime)
    return out


def annotations_of(config: Config, article_id: str) -> list[Annotation]:
    """The article's annotations as its file holds them (none when it is missing or broken)."""
    try:
        found = AnnotationStore(config.annotations_dir).load_raw(article_id)
    except (OSError, ValueError):
        return []
    return list(found.annotations)
