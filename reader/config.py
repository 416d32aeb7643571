"""Where the library's files live. The only module that knows paths.

A *library* is a folder holding ``articles/`` (the texts) and ``annotations/`` (the user's
YAML). Caches (metadata cache, search index) are rebuildable and live in ``.reader/`` inside
the library unless overridden (``--index DIR`` or ``READER_INDEX_DIR``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_LIBRARY = "READER_LIBRARY"
ENV_INDEX = "READER_INDEX_DIR"
CACHE_DIRNAME = ".reader"
VOCABULARY_FILENAME = "vocabulary.yml"  # .yml so it never collides with <article id>.yaml


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
        """Rebuildable caches. Created on demand with a ``.gitignore`` of ``*``."""
        return self.library / CACHE_DIRNAME

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
        d = self.cache_dir
        d.mkdir(parents=True, exist_ok=True)
        gi = d / ".gitignore"
        if not gi.exists():
            gi.write_text("*\n", encoding="utf-8")
        return d
