"""A cheap check that no article or annotation file was added, removed or renamed since the
index was last compared with every file: the mtimes of the library's folders (a folder's
mtime changes when a name in it does; annotation files are written by renaming, so their
folder's changes too) and the size and mtime of its folder files (``_folder.yml``).

An article edited in place keeps its folder's mtime: the check cannot see that. It is for
answering at once (``reader search`` on a large library) while a full comparison follows,
never instead of one. ``stamps.bin`` beside the manifest holds them, sealed like it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from reader import sealed
from reader.library.folders import FOLDER_FILES

STAMPS = "stamps.bin"
_HEAD = b"reader-index-stamps 1\n"


def _folders(root: Path) -> list[str]:
    """Every folder under ``root`` that a walk of the library enters (hidden ones and links
    are skipped, as :mod:`reader.library.walk` does), ``root`` included."""
    out: list[str] = []
    try:
        st = os.stat(root)
    except OSError:
        return out
    seen = {(st.st_dev, st.st_ino)}
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        out.append(folder)
        try:
            with os.scandir(folder) as it:
                entries = [e for e in it if not e.name.startswith(".")]
        except OSError:
            continue
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    sub = e.stat(follow_symlinks=False)
                    if (sub.st_dev, sub.st_ino) not in seen:
                        seen.add((sub.st_dev, sub.st_ino))
                        stack.append(e.path)
            except OSError:
                continue
    return out


def _state(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def take(articles_dir: Path, annotations_dir: Path) -> dict[str, Any]:
    """The stamps of the library as it is now (a listing of its folders: at 100k articles
    in 100 folders, tens of milliseconds)."""
    dirs: dict[str, int] = {}
    files: dict[str, tuple[int, int] | None] = {}
    for root, with_folder_files in ((articles_dir, True), (annotations_dir, False)):
        for folder in _folders(root):
            state = _state(folder)
            if state is None:
                continue
            dirs[folder] = state[1]
            if with_folder_files:
                for name in FOLDER_FILES:
                    found = _state(os.path.join(folder, name))
                    if found is not None:
                        files[os.path.join(folder, name)] = found
    return {"dirs": dirs, "files": files, "taken": time.time()}


def unchanged(stamps: dict[str, Any]) -> bool:
    """Whether every folder and folder file recorded is as it was (a stat of each)."""
    try:
        for folder, mtime_ns in stamps["dirs"].items():
            state = _state(folder)
            if state is None or state[1] != mtime_ns:
                return False
        for path, state in stamps["files"].items():
            found = _state(path)
            if found is None or list(found) != list(state):
                return False
    except (KeyError, AttributeError, TypeError, ValueError):
        return False
    return True


def read(index_dir: Path) -> dict[str, Any] | None:
    """The stamps last written with the index, or None (missing, damaged, not this user's)."""
    try:
        found = sealed.loads(_HEAD, (index_dir / STAMPS).read_bytes())
    except OSError:
        return None
    return found if isinstance(found, dict) else None


def write(index_dir: Path, stamps: dict[str, Any], generation: int, signature: str,
          total: int) -> None:
    data = {**stamps, "generation": generation, "signature": signature, "total": total}
    tmp = index_dir / f"{STAMPS}.{os.getpid()}.tmp"
    tmp.write_bytes(sealed.dumps(_HEAD, data))
    os.replace(tmp, index_dir / STAMPS)


def forget(index_dir: Path) -> None:
    (index_dir / STAMPS).unlink(missing_ok=True)
