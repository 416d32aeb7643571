"""Where the library's files live. The only module that knows paths.

A *library* is a folder holding ``articles/`` (the texts) and ``annotations/`` (the user's
YAML): nothing else of reader's is written there. What reader keeps about a library for
itself (the metadata cache, the search index, reading positions) is rebuildable and lives in
the user's cache folder, one folder per library keyed by the library's real path, created
private (0700): a library shared as a folder never carries caches another person wrote.
``--index DIR`` or ``READER_INDEX_DIR`` put the index elsewhere; ``READER_CACHE_DIR`` and
``READER_DATA_DIR`` move the user's cache and data folders (``platformdirs`` defaults).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

ENV_LIBRARY = "READER_LIBRARY"
ENV_INDEX = "READER_INDEX_DIR"
ENV_CACHE = "READER_CACHE_DIR"
ENV_DATA = "READER_DATA_DIR"
ENV_CODER = "READER_CODER"
APP_NAME = "reader"
VOCABULARY_FILENAME = "vocabulary.yml"  # .yml so it never collides with <article id>.yaml
CACHE_KEY_FILENAME = "cache.key"
PRIVATE = 0o700


def user_cache_root() -> Path:
    """The user's cache folder for reader (``READER_CACHE_DIR``, else the platform's)."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs  # here: it loads tempfile, and `reader --help` needs no folder

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_data_root() -> Path:
    """The user's data folder for reader (``READER_DATA_DIR``, else the platform's)."""
    env = os.environ.get(ENV_DATA)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_settings_path() -> Path:
    """The user's own settings (who codes: ``coder``), in the user's data folder."""
    return user_data_root() / "settings.yml"


def cache_key_path() -> Path:
    """The user's secret key that authenticates reader's cache files (kept 0600)."""
    return user_data_root() / CACHE_KEY_FILENAME


def make_private_dir(path: Path) -> Path:
    """``path`` and any missing parents, each created readable by this user only."""
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=PRIVATE)
        except FileExistsError:
            continue
        os.chmod(d, PRIVATE)  # mkdir's mode is masked by the umask
    if not path.is_dir():
        raise NotADirectoryError(f"not a folder: {path}")
    return path


@dataclass(frozen=True, slots=True)
class Config:
    library: Path
    index_override: Path | None = None

    @classmethod
    def from_args(cls, library: str | os.PathLike[str] | None = None,
                  index: str | os.PathLike[str] | None = None) -> Config:
        lib = library if library is not None else os.environ.get(ENV_LIBRARY) or "."
        idx = index if index is not None else os.environ.get(ENV_INDEX) or None
        return cls(Path(lib).expanduser().resolve(),
                   Path(idx).expanduser().resolve() if idx else None)

    @property
    def articles_dir(self) -> Path:
        return self.library / "articles"

    @property
    def annotations_dir(self) -> Path:
        return self.library / "annotations"

    @property
    def vocabulary_path(self) -> Path:
        return self.annotations_dir / VOCABULARY_FILENAME

    @property
    def cache_dir(self) -> Path:
        """This library's rebuildable caches, in the user's cache folder: a folder named
        after the library and a hash of its real path. Created on demand, private."""
        real = os.path.realpath(self.library)
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", os.path.basename(real)).strip("-.")[:40]
        digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:16]
        return user_cache_root() / "libraries" / f"{name or 'library'}-{digest}"

    @property
    def index_dir(self) -> Path:
        return self.index_override or (self.cache_dir / "index")

    @property
    def metadata_cache_path(self) -> Path:
        return self.cache_dir / "metadata.sqlite3"

    @property
    def state_dir(self) -> Path:
        """Per-library UI state (scroll positions, query history, rejected suggestions)."""
        return self.cache_dir / "state"

    def ensure_cache_dir(self) -> Path:
        d = make_private_dir(self.cache_dir)
        gi = d / ".gitignore"  # should the user's cache folder be inside a repository
        if not gi.exists():
            gi.write_text("*\n", encoding="utf-8")
        return d
