"""Where reader keeps what it writes for itself: the user's private folders, not the library."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.config import Config, cache_key_path, user_cache_root
from reader.library.articles import Library
from reader.search.index import SearchIndex


def test_caches_live_in_the_user_cache_folder_keyed_by_the_library(tmp_path: Path) -> None:
    a, b = tmp_path / "one" / "news", tmp_path / "two" / "news"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    ca, cb = Config.from_args(a).cache_dir, Config.from_args(b).cache_dir
    assert ca.parent == cb.parent == user_cache_root() / "libraries"
    assert ca != cb and ca.name.startswith("news-") and cb.name.startswith("news-")
    assert user_cache_root().is_relative_to(tmp_path / "xdg-cache")  # tests isolate it
    link = tmp_path / "link"
    link.symlink_to(a)
    assert Config(link).cache_dir == ca  # the real path is the key
    assert Config.from_args(a, tmp_path / "ix").index_dir == tmp_path / "ix"


def test_environment_moves_the_user_folders(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "d"))
    assert Config.from_args(tmp_path).cache_dir.parent == tmp_path / "c" / "libraries"
    assert cache_key_path() == tmp_path / "d" / "cache.key"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_nothing_is_written_in_the_library_and_caches_are_private(config: Config) -> None:
    Library(config).scan()
    SearchIndex(config).update()
    assert sorted(p.name for p in config.library.iterdir()) == ["annotations", "articles"]
    for folder in (config.cache_dir, config.cache_dir.parent, config.index_dir,
                   user_cache_root()):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert (config.index_dir / "manifest.bin").is_file()
    assert config.metadata_cache_path.is_file()
