from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.config import Config

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "articles"
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
SEED_LIPUTAN = "000_783d5be973c3013a"
SEED_KOMPAS = "002_23d7a92b4fbf0ff3"


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never touch the user's home, config or caches."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("READER_LIBRARY", raising=False)
    monkeypatch.delenv("READER_INDEX_DIR", raising=False)
    monkeypatch.setenv("READER_CODER", "tester")  # who codes, unless a test says otherwise
    # a terminal's size comes from the terminal: pytest-xdist's workers export COLUMNS=80 and
    # LINES=24, which a reader started in tmux (or a command's output) would take instead
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """A library with the two seed articles and an empty annotations/ folder."""
    lib = tmp_path / "lib"
    shutil.copytree(SEEDS, lib / "articles")
    (lib / "annotations").mkdir()
    return lib


@pytest.fixture
def config(library_dir: Path) -> Config:
    return Config.from_args(library_dir)


def corpora_or_skip() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is absent")
    return CORPORA
