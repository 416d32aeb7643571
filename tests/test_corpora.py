"""Every article of the real corpora loads, gets a title and the right language.
Skipped when ../shared/corpora is absent; the corpora are never copied into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Config
from reader.library.articles import Library
from tests.conftest import corpora_or_skip


@pytest.mark.parametrize("name,lang", [("en-bbc", "en"), ("id-detik", "id"), ("id-indosum", "id")])
def test_corpus_loads_with_titles_and_language(name: str, lang: str, tmp_path: Path) -> None:
    root = corpora_or_skip() / name
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "articles").symlink_to(root)
    metas = Library(Config.from_args(lib_dir)).scan()
    assert len(metas) > 500
    assert all(m.title.strip() for m in metas)
    right = sum(m.language == lang for m in metas)
    assert right / len(metas) >= 0.99, f"{name}: {len(metas) - right} misdetected"
    with_headline = sum(1 for m in metas if len(m.title) <= 200)
    assert with_headline == len(metas)


def test_corpus_headlines_are_the_first_line(tmp_path: Path) -> None:
    root = corpora_or_skip() / "en-bbc" / "business"
    lib_dir = tmp_path / "lib"
    lib_dir.mkdir()
    (lib_dir / "articles").symlink_to(root)
    lib = Library(Config.from_args(lib_dir))
    for meta in lib.scan()[:100]:
        first = (root / meta.path).read_text(encoding="utf-8").split("\n", 1)[0].strip()
        assert meta.title == first
