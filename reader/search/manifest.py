"""The index's manifest: ``manifest.bin`` beside the Whoosh files records, per article, the
size, mtime and content hash of its file and the size and mtime of its annotation file, with
the index generation and signature it describes. An update with nothing changed only stats
the files and compares them with it.

It is ``marshal`` data (at 100k articles JSON took 0.6 s to read and write back, most of
taking in one changed article), sealed with this user's key (:mod:`reader.sealed`): a
manifest this user's reader did not write is never unmarshalled, only rebuilt.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reader import sealed

# per article: [size, mtime_ns, sha16 of its text, annotation file's size, its mtime_ns,
# stamp of the folder defaults it was read with]
Entry = list[Any]

MANIFEST = "manifest.bin"
BROKEN = "broken"  # left by a search that could not read the index: the next update checks
_HEAD = b"reader-index-manifest 3\n"  # 2: mtimes in nanoseconds; 3: sealed


class Manifest:
    """The manifest of the index in ``folder``. The last one read or written is kept in
    memory while the file on disk is the same: at 100k articles reading it is 80 ms of
    taking in one change."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.broken_path = folder / BROKEN
        # the manifest last read or written, with the (mtime_ns, size, inode) it had on disk
        self._memo: tuple[tuple[int, int, int], dict[str, Any]] | None = None

    def _key(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def read(self) -> dict[str, Any] | None:
        """``{"signature", "generation", "articles": {id: Entry}, "files": {name: size}}``,
        or None when there is
        no usable manifest. A fresh dict of entries the caller may change (entries
        themselves are replaced, never changed in place)."""
        key = self._key()
        if key is not None and self._memo is not None and self._memo[0] == key:
            memo = self._memo[1]
            return {**memo, "articles": dict(memo["articles"])}
        try:
            found = sealed.loads(_HEAD, self.path.read_bytes())
        except OSError:
            return None
        data: dict[str, Any] = found if isinstance(found, dict) else {}
        if not isinstance(data.get("articles"), dict):
            return None
        if key is not None and key == self._key():
            self._memo = (key, data)
        return {**data, "articles": dict(data["articles"])}

    def write(self, articles: dict[str, Entry], generation: int, signature: str,
              files: dict[str, int]) -> None:
        """Record ``articles`` as the content of index ``generation``, whose segment files
        have the sizes in ``files``."""
        data = {"signature": signature, "generation": generation, "articles": dict(articles),
                "files": dict(files)}
        tmp = self.path.with_name(f"{MANIFEST}.{os.getpid()}.tmp")
        tmp.write_bytes(sealed.dumps(_HEAD, data))
        os.replace(tmp, self.path)
        key = self._key()
        self._memo = (key, data) if key is not None else None

    # -- distrust: a search found the index unreadable -------------------------------------
    def mark_broken(self) -> None:
        """Have the next update check every segment instead of trusting the manifest."""
        try:
            self.broken_path.touch()
        except OSError:
            pass

    def marked_broken(self) -> bool:
        return self.broken_path.exists()

    def clear_broken(self) -> None:
        self.broken_path.unlink(missing_ok=True)


_INDEX_NAME = "articles"  # (schema.INDEX_NAME: the manifest is read before Whoosh is)


def latest_generation(folder: Path) -> int:
    """The generation of the index's newest table of contents in ``folder`` (-1: none),
    from the folder's listing alone."""
    prefix, best = f"_{_INDEX_NAME}_", -1
    try:
        names = os.listdir(folder)
    except OSError:
        return -1
    for name in names:
        if name.startswith(prefix) and name.endswith(".toc"):
            try:
                best = max(best, int(name[len(prefix):-4]))
            except ValueError:
                continue
    return best
