"""The index takes its articles from the library: the same files (its walk), the same text."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.config import Config
from reader.library.articles import Library
from reader.search.index import SearchIndex
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                    reason="symlinks")


def every_id(index: SearchIndex) -> set[str]:
    return {r.id for r in index.search("lang:id OR lang:en OR lang:unknown", limit=10_000)}


@needs_symlinks
@pytest.mark.parametrize(("link", "target"), [("sub", ".."), ("loop", ".")])
def test_a_symlinked_folder_is_indexed_as_the_library_lists_it(config: Config, link: str,
                                                               target: str) -> None:
    """``articles/sub -> ..`` listed 2 articles while the index held 82 (phantom ids such as
    ``sub/articles/sub/articles/000_...``); ``articles/loop -> .`` indexed 41 copies."""
    os.symlink(target, config.articles_dir / link)
    listed = {m.id for m in Library(config).scan()}
    index = SearchIndex(config)
    report = index.update()
    assert report.total == len(listed), (report.total, len(listed))
    assert every_id(index) == listed
    assert {r.id for r in index.search("peluk", limit=100)} <= listed
    assert {SEED_LIPUTAN, SEED_KOMPAS} <= listed
    assert index.update().unchanged


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbfBody line about sanksi\r\nsecond line\r\n",
    b"---\ntitle: Judul\n---\n\nSanksi baru.\n",
    b"---\ntitle: Judul\n--- \nSanksi dengan spasi.\n",  # a closing line with a space
    b"---\ntitle: Judul\n...\nSanksi ditutup titik.\n",  # YAML's other end marker
    b"---\ntitle: x\n---no\nsanksi tanpa penutup\n",
    b"---\ntitle: [unclosed\n---\nSanksi \xff rusak.\n",
])
def test_snippets_are_cut_from_the_library_s_text(config: Config, data: bytes) -> None:
    """A snippet's offsets are offsets into the article text the reading view shows, for
    any front matter (closed by '---', '--- ' or '...', or not at all) and encoding."""
    write(config.articles_dir / "odd.txt", data)
    index = SearchIndex(config)
    index.update()
    [hit] = [r for r in index.search("sanksi") if r.id == "odd"]
    text = Library(config).load("odd").text
    snippet = hit.snippets[0]
    s, e = snippet.highlights[0]
    assert text[snippet.start + s:snippet.start + e].lower() == "sanksi"
    assert text[hit.first_hit:].lower().startswith("sanksi")


def test_two_files_with_one_id_are_indexed_once_as_the_library_loads_them(
        config: Config) -> None:
    """``twin.txt`` and ``twin.md`` share the id ``twin``: the index holds the file the
    library loads, and does not take it in again on every update."""
    (config.articles_dir / "twin.md").write_text("Embargo dari berkas md.\n", encoding="utf-8")
    (config.articles_dir / "twin.txt").write_text("Sanksi dari berkas txt.\n", encoding="utf-8")
    assert "Sanksi" in Library(config).load("twin").text
    index = SearchIndex(config)
    assert "twin" in index.update().added
    assert [r.id for r in index.search("sanksi")].count("twin") == 1
    assert "twin" not in {r.id for r in index.search("embargo")}
    assert index.update().unchanged


def test_texts_kept_for_snippets_follow_their_files(config: Config) -> None:
    """Snippets' texts are kept while typing searches again; a file that changes is read
    again, and one that is gone gives no text."""
    import time

    from reader.search.sources import ArticleTexts

    texts = ArticleTexts(Library(config))
    path = config.articles_dir / "kept.txt"
    path.write_text("---\ntitle: A\n---\nSatu.\n", encoding="utf-8")
    assert texts.get("kept") == "Satu.\n"
    assert texts.get("kept") == "Satu.\n"
    path.write_text("---\ntitle: A\n---\nDua.\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert texts.get("kept") == "Dua.\n"
    path.unlink()
    assert texts.get("kept") is None
