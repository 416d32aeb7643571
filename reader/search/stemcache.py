"""Indonesian stems kept between runs: Sastrawi takes about a millisecond a word, which was
a third of a build and, at the first query of a process, 0.2 s for loading Sastrawi at all.
The stems of every word the index has seen are kept in ``stems.bin`` in the library's cache
folder, sealed like the manifest (:mod:`reader.sealed`), and learnt back by the next process
(:func:`reader.search.analysis.learn_id_stems`). A cache: deleting it costs time only.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from reader import sealed
from reader.config import Config
from reader.search import analysis

STEMS = "stems.bin"
_HEAD = b"reader-stems 1\n"
_lock = threading.Lock()
_loaded: set[Path] = set()


def _path(config: Config) -> Path:
    return config.cache_dir / STEMS


def load(config: Config) -> None:
    """Learn the stems kept for this library (once per process)."""
    path = _path(config)
    with _lock:
        if path in _loaded:
            return
        _loaded.add(path)
    try:
        found = sealed.loads(_HEAD, path.read_bytes())
    except OSError:
        return
    if (isinstance(found, dict) and found.get("signature") == analysis.analysis_signature()
            and isinstance(found.get("id"), dict)):
        analysis.learn_id_stems(found["id"])


def save(config: Config, made: dict[str, str]) -> None:
    """Keep ``made`` (stems computed by this run and its workers) with those kept already."""
    if not made:
        return
    path = _path(config)
    try:
        old = sealed.loads(_HEAD, path.read_bytes())
    except OSError:
        old = None
    stems: dict[str, str] = {}
    if (isinstance(old, dict) and old.get("signature") == analysis.analysis_signature()
            and isinstance(old.get("id"), dict)):
        stems.update(old["id"])
    stems.update(made)
    data = {"signature": analysis.analysis_signature(), "id": stems}
    try:
        config.ensure_cache_dir()
        tmp = path.with_name(f"{STEMS}.{os.getpid()}.tmp")
        tmp.write_bytes(sealed.dumps(_HEAD, data))
        os.replace(tmp, path)
    except OSError:
        return
