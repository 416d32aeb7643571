"""Per-library UI state: theme, sort order, last article, scroll positions.

Kept as one small JSON file in ``config.state_dir``. It is a convenience, not user data: a
missing or corrupt file gives the defaults (the corrupt file is set aside, never trusted), and
writes are atomic (temp file + ``os.replace``) so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

STATE_FILENAME = "ui.json"
STATE_VERSION = 1
MAX_POSITIONS = 2000  # scroll positions remembered (most recent kept)
SORT_KEYS = ("date", "title", "source")


class UIState:
    """Load once, change in memory, :meth:`save` (cheap; atomic) when something changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.theme: str = ""
        self.sort: str = "date"
        self.last_article: str = ""
        self.positions: dict[str, float] = {}
        self.recent: list[str] = []  # article ids, most recent first
        self._lock = threading.Lock()
        self.problem = ""  # set when the file could not be read (shown once, then replaced)
        self.dirty = False  # changed since the last save
        self._load()

    @classmethod
    def for_dir(cls, state_dir: Path) -> UIState:
        return cls(state_dir / STATE_FILENAME)

    def _load(self) -> None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problem = f"UI state not read ({exc.strerror or exc}); using defaults"
            return
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except ValueError:
            self.problem = "UI state file was corrupt; starting with defaults"
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".corrupt.json"))
            return
        self._apply(data)

    def _apply(self, data: dict[str, Any]) -> None:
        theme = data.get("theme")
        if isinstance(theme, str):
            self.theme = theme
        sort = data.get("sort")
        if isinstance(sort, str) and sort.lstrip("-") in SORT_KEYS:
            self.sort = sort
        last = data.get("last_article")
        if isinstance(last, str):
            self.last_article = last
        positions = data.get("positions")
        if isinstance(positions, dict):
            self.positions = {str(k): float(v) for k, v in positions.items()
                              if isinstance(v, int | float) and v >= 0}
        recent = data.get("recent")
        if isinstance(recent, list):
            self.recent = [r for r in recent if isinstance(r, str)][:50]

    # -- changes ---------------------------------------------------------------------------
    def touch(self) -> None:
        """Something changed: the app saves it shortly (see :attr:`dirty`)."""
        self.dirty = True

    def position(self, article_id: str) -> float:
        return self.positions.get(article_id, 0.0)

    def set_position(self, article_id: str, scroll_y: float) -> None:
        with self._lock:
            self.positions.pop(article_id, None)  # re-insert: dict order = recency
            self.positions[article_id] = max(0.0, float(scroll_y))
            while len(self.positions) > MAX_POSITIONS:
                self.positions.pop(next(iter(self.positions)))

    def opened(self, article_id: str) -> None:
        with self._lock:
            self.last_article = article_id
            self.recent = [article_id, *(r for r in self.recent if r != article_id)][:50]

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {"version": STATE_VERSION, "theme": self.theme, "sort": self.sort,
                    "last_article": self.last_article, "recent": list(self.recent),
                    "positions": dict(self.positions)}

    def save(self) -> None:
        """Atomic write; raises OSError (the caller decides whether to tell the user)."""
        self.dirty = False
        data = json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ui-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
