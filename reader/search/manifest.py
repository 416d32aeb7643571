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
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reader import sealed

# per article: [size, mtime_ns, sha16 of its text, annotation file's size, its mtime_ns,
# stamp of the folder defaults it was read with]
Entry = list[Any]

MANIFEST = "manifest.bin"
DELTA = "manifest.delta"
DELTA_LIMIT = 2000  # entries changed since the whole manifest was written
BROKEN = "broken"  # left by a search that could not read the index: the next update checks
_HEAD = b"reader-index-manifest 3\n"  # 2: mtimes in nanoseconds; 3: sealed
_DELTA_HEAD = b"reader-index-manifest-delta 1\n"


class Manifest:
    """The manifest of the index in ``folder``. The last one read or written is kept in
    memory while the file on disk is the same: at 100k articles reading it is 80 ms of
    taking in one change.

    A few changed entries are written as a small *delta* (``manifest.delta``) over the
    whole manifest last written (``manifest.bin``), which is rewritten only when the delta
    grows past :data:`DELTA_LIMIT` entries: at 100k articles rewriting the whole of it was
    175 ms of taking in one changed article. A delta names the whole manifest it applies
    to (a random token of it); one that names another is ignored."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.delta_path = folder / DELTA
        self.broken_path = folder / BROKEN
        # the whole manifest last read or written, with the (mtime_ns, size, inode) it had
        self._memo: tuple[tuple[int, int, int], dict[str, Any]] | None = None

    @staticmethod
    def _key(path: Path) -> tuple[int, int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _base(self) -> dict[str, Any] | None:
        """The whole manifest on disk (kept in memory while its file is the same)."""
        key = self._key(self.path)
        if key is not None and self._memo is not None and self._memo[0] == key:
            return self._memo[1]
        try:
            found = sealed.loads(_HEAD, self.path.read_bytes())
        except OSError:
            return None
        data: dict[str, Any] = found if isinstance(found, dict) else {}
        if not isinstance(data.get("articles"), dict):
            return None
        if key is not None and key == self._key(self.path):
            self._memo = (key, data)
        return data

    def _delta(self, base: dict[str, Any]) -> dict[str, Any] | None:
        """The delta over ``base`` on disk, or None (none, damaged, or over another)."""
        try:
            found = sealed.loads(_DELTA_HEAD, self.delta_path.read_bytes())
        except OSError:
            return None
        if (not isinstance(found, dict) or found.get("base") != base.get("token")
                or not isinstance(found.get("changed"), dict)
                or not isinstance(found.get("removed"), list)):
            return None
        return found

    def read(self) -> dict[str, Any] | None:
        """``{"signature", "generation", "articles": {id: Entry}, "files": {name: size}}``,
        or None when there is no usable manifest. A fresh dict of entries the caller may
        change (entries themselves are replaced, never changed in place)."""
        base = self._base()
        if base is None:
            return None
        articles = dict(base["articles"])
        out = {**base, "articles": articles}
        delta = self._delta(base)
        if delta is not None:
            articles.update(delta["changed"])
            for article_id in delta["removed"]:
                articles.pop(article_id, None)
            out.update(signature=delta.get("signature"), generation=delta.get("generation"),
                       files=delta.get("files"))
        return out

    def write(self, articles: dict[str, Entry], generation: int, signature: str,
              files: dict[str, int], touched: Iterable[str] | None = None) -> None:
        """Record ``articles`` as the content of index ``generation``, whose segment files
        have the sizes in ``files``: as a delta over the whole manifest when few entries
        changed since it was written, else whole. ``touched``: the only articles whose
        entries may have changed since the manifest was read (the others are not compared)."""
        base = self._base()
        if base is not None and base.get("signature") == signature:
            known = base["articles"]
            if touched is not None:  # those, and what the delta on disk changed already
                delta = self._delta(base)
                ids = set(touched)
                if delta is not None:
                    ids.update(delta["changed"], delta["removed"])
                changed = {k: articles[k] for k in ids
                           if k in articles and known.get(k) != articles[k]}
                removed = [k for k in ids if k in known and k not in articles]
            else:
                changed = {k: v for k, v in articles.items() if known.get(k) is not v}
                removed = [k for k in known if k not in articles]
            if len(changed) + len(removed) <= DELTA_LIMIT:
                delta = {"base": base.get("token"), "signature": signature,
                         "generation": generation, "files": dict(files),
                         "changed": changed, "removed": removed}
                _replace(self.delta_path, sealed.dumps(_DELTA_HEAD, delta))
                return
        data = {"signature": signature, "generation": generation, "articles": dict(articles),
                "files": dict(files), "token": secrets.token_hex(8)}
        _replace(self.path, sealed.dumps(_HEAD, data))
        self.delta_path.unlink(missing_ok=True)  # (one left behind names another token)
        key = self._key(self.path)
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


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


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
