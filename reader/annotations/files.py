"""Reading annotation files from disk, and remembering the last version read or written.

The store's only way in: :func:`read` opens, decodes and parses one file
(:mod:`reader.annotations.format` validates it). What was last read or written is kept in
memory, per file, for the whole process (every store and every user of one), keyed by the
file's identity on disk (inode, size, modification and change times): a file another
process or a person changed since is read again. A change never trusts this memory: it
re-reads the file under the library's lock (``fresh=True``), so a merge always starts from
what is on disk. A tag therefore parses the file once: the change reads it, and the redraw
and the search index that follow are served what the change wrote.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from reader import yamlio
from reader.annotations.format import AnnotationFileError, FileState
from reader.annotations.format import parse as parse_text

KEPT = 64  # files remembered (the open article, its neighbours, what the index just asked)
Identity = tuple[int, int, int, int]

_memory: OrderedDict[str, tuple[Identity, FileState]] = OrderedDict()
_guard = threading.Lock()


def _identity(st: os.stat_result) -> Identity:
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def read(path: Path, article_id: str, *, fresh: bool = False) -> FileState:
    """The file as on disk, validated (an empty state when there is none). The caller may
    change what it gets. Raises :class:`AnnotationFileError`."""
    key = os.path.abspath(path)
    try:
        identity = _identity(os.stat(path))
    except FileNotFoundError:
        forget(path)
        return FileState(path, exists=False)
    except OSError as exc:
        raise AnnotationFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if not fresh:
        with _guard:
            kept = _memory.get(key)
            if kept is not None and kept[0] == identity:
                _memory.move_to_end(key)
                return kept[1].copy()
    try:  # identity taken before reading: a file replaced meanwhile is read again next time
        text = yamlio.read_text(path)
    except yamlio.YamlFileError as exc:
        raise AnnotationFileError(exc.path, exc.line, exc.reason) from None
    except FileNotFoundError:
        forget(path)
        return FileState(path, exists=False)
    except OSError as exc:
        raise AnnotationFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        state = parse_text(path, article_id, text)
    except AnnotationFileError:
        forget(path)
        raise
    _keep(key, identity, state.copy())
    return state


def written(path: Path, state: FileState) -> None:
    """Remember what was just written to ``path`` (under the library's lock)."""
    try:
        identity = _identity(os.stat(path))
    except OSError:
        forget(path)
        return
    _keep(os.path.abspath(path), identity, state.copy())


def forget(path: Path) -> None:
    with _guard:
        _memory.pop(os.path.abspath(path), None)


def _keep(key: str, identity: Identity, state: FileState) -> None:
    with _guard:
        _memory[key] = (identity, state)
        _memory.move_to_end(key)
        while len(_memory) > KEPT:
            _memory.popitem(last=False)


def files_under(folder: Path, suffix: str, *, follow_file_links: bool = True) -> list[Path]:
    """Every file ending in ``suffix`` under ``folder``, sorted: hidden files and folders
    skipped, linked folders never entered (a link to a file is taken when
    ``follow_file_links``), an unreadable folder left out."""
    out: list[Path] = []
    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for e in entries:
            if e.name.startswith("."):
                continue
            if e.is_dir(follow_symlinks=False):
                stack.append(Path(e.path))
            elif e.name.endswith(suffix) and e.is_file(follow_symlinks=follow_file_links):
                out.append(Path(e.path))
    return sorted(out)

