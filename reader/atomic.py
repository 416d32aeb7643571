"""Files that survive a kill: atomic writes (a temporary file in the same folder, fsync,
``os.replace``, fsync of the folder), the cleaning of temporaries a killed write left, and the
library lock, exclusive across threads and processes (``filelock``: ``flock`` on POSIX,
``msvcrt`` on Windows). Used through :mod:`reader.yamlio` by the annotation store, the
vocabulary and the other files reader writes."""

from __future__ import annotations

import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # filelock (and the urllib it loads) is imported by the first lock taken
    import filelock

LOCK_TIMEOUT = 15.0  # seconds to wait for another instance that is writing


class LockTimeout(OSError):
    """Another instance held the library's write lock for too long."""


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, make_parent: bool = True) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never a mix,
    even if the process is killed or the machine loses power: temp file in the same folder,
    fsync, ``os.replace``, fsync of the folder. A missing folder is made unless
    ``make_parent`` is false (then OSError)."""
    if make_parent:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(path.parent)
    folder = os.path.abspath(path.parent)
    if time.monotonic() - _CLEANED.get(folder, -STALE_SECONDS) >= STALE_SECONDS:
        _CLEANED[folder] = time.monotonic()
        clean_stale_temporaries(path.parent)


TEMP_RE = re.compile(r"\.(.+)\.(\d+)\.([0-9a-f]{8})\.tmp")  # what atomic_write_bytes names
STALE_SECONDS = 60.0
_CLEANED: dict[str, float] = {}  # folder -> when this process last cleaned it (monotonic)


def clean_stale_temporaries(folder: Path, max_age: float = STALE_SECONDS) -> int:
    """Remove the temporary files :func:`atomic_write_bytes` left in ``folder`` when its
    process was killed mid-write (``.<name>.<pid>.<8 hex digits>.tmp``, older than
    ``max_age`` seconds: a live write takes milliseconds). Any other file is left alone.
    Done by the first write in a folder each minute; returns how many were removed."""
    now = time.time()
    removed = 0
    try:
        with os.scandir(folder) as it:
            entries = [e for e in it if e.name.endswith(".tmp") and TEMP_RE.fullmatch(e.name)]
    except OSError:
        return 0
    for e in entries:
        try:
            st = e.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > max_age:
                os.unlink(e.path)
                removed += 1
        except OSError:
            continue
    return removed


class _ProcessLock:
    """One per lock file per process: a thread RLock (threads of this process, reentrant)
    around a :class:`filelock.FileLock` (other processes: ``flock`` on POSIX, ``msvcrt``
    locking on Windows, a marker file where neither exists)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rlock = threading.RLock()
        self.depth = 0
        self.file_lock: filelock.FileLock | None = None

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        with self.rlock:
            if self.depth == 0:
                self.file_lock = _acquire(self.path, timeout)
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0 and self.file_lock is not None:
                    self.file_lock.release(force=True)
                    self.file_lock = None


def _acquire(path: Path, timeout: float) -> filelock.FileLock:
    import filelock

    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not path.exists() and not ignore.exists():
        try:  # keep the lock and temporary files out of a library shared through git
            ignore.write_text(f"# reader: lock and temporary files\n{path.name}\n.*.tmp\n",
                              encoding="utf-8")
        except OSError:
            pass
    try:  # keep the file (one inode for every process) where the platform's lock allows it
        lock = filelock.FileLock(path, thread_local=False, preserve_lock_file=True)
    except (TypeError, ValueError):  # filelock 3, or a soft lock (released by unlinking)
        lock = filelock.FileLock(path, thread_local=False)
    try:
        lock.acquire(timeout=timeout, poll_interval=0.02)
    except filelock.Timeout:
        raise LockTimeout(f"another reader instance has held {path} for over "
                          f"{timeout:.0f} s; try again") from None
    return lock


_LOCKS: dict[Path, _ProcessLock] = {}
_LOCKS_GUARD = threading.Lock()


@contextmanager
def library_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Exclusive across threads and processes; reentrant within a thread."""
    key = Path(os.path.abspath(path))
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(key, _ProcessLock(key))
    with lock.hold(timeout):
        yield
