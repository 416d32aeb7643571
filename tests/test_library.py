from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.config import Config
from reader.language import detect_language
from reader.library import ArticleNotFound, Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


def test_seed_metadata(config: Config) -> None:
    metas = {m.id: m for m in Library(config).scan()}
    lip, kom = metas[SEED_LIPUTAN], metas[SEED_KOMPAS]
    assert (lip.source, lip.place, lip.date, lip.language) == (
        "Liputan6.com", "Pyongyang", "2024-06-19", "id")
    assert (kom.source, kom.place, kom.date, kom.language) == (
        "KOMPAS.TV", "Pyongyang", "2024-06-19", "id")
    # no headline line: the lead sentence, after the dateline, shortened at a word boundary
    assert lip.title.startswith("Presiden Rusia Vladimir Putin dan pemimpin Korea Utara")
    assert lip.title.endswith("…") and len(lip.title) <= 90
    assert lip.words > 500 and not lip.warnings


def test_front_matter_wins_and_extra_keys_are_kept(config: Config) -> None:
    (config.articles_dir / "world").mkdir()
    (config.articles_dir / "world" / "talks.md").write_text(
        "---\ntitle: Talks resume\nsource: Example Wire\ndate: 2024-06-03\n"
        "authors: [A. Writer, B. Writer]\nlanguage: English\nurl: https://example.org/x\n"
        "desk: foreign\n---\n# Talks resume\n\nThe two sides met again in Geneva on Monday.\n",
        encoding="utf-8")
    art = Library(config).load("world/talks")
    m = art.meta
    assert (m.title, m.source, m.date, m.language) == (
        "Talks resume", "Example Wire", "2024-06-03", "en")
    assert m.authors == ("A. Writer", "B. Writer") and m.url == "https://example.org/x"
    assert art.front_matter["desk"] == "foreign"
    assert art.text.startswith("# Talks resume")  # offsets start after the front matter


def test_crlf_and_bom_offsets_are_exact(config: Config) -> None:
    raw = "\ufeffHeadline here\r\n\r\nFirst sentence. Second one.\r\n"
    (config.articles_dir / "crlf.txt").write_bytes(raw.encode("utf-8"))
    art = Library(config).load("crlf")
    assert art.text == "Headline here\n\nFirst sentence. Second one.\n"
    b = [b for b in art.blocks if b.kind == "paragraph"][0]
    assert art.text[b.start:b.end] == "First sentence. Second one."
    assert art.meta.title == "Headline here"


def test_bad_files_are_listed_with_warnings(config: Config) -> None:
    d = config.articles_dir
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "latin1.txt").write_bytes("Harga naik di pasar, kata dia. Café".encode("latin-1"))
    metas = {m.id: m for m in Library(config).scan()}
    assert "empty" in metas["empty"].warnings[0] and metas["empty"].title == "empty"
    assert "binary" in metas["binary"].warnings[0]
    assert any("UTF-8" in w for w in metas["latin1"].warnings)
    assert "\ufffd" in Library(config).load("latin1").text


def test_missing_and_empty_library(tmp_path: Path) -> None:
    assert Library(Config.from_args(tmp_path / "nowhere")).scan() == []
    (tmp_path / "lib" / "articles").mkdir(parents=True)
    assert Library(Config.from_args(tmp_path / "lib")).scan() == []


def test_unknown_and_escaping_ids(config: Config) -> None:
    lib = Library(config)
    for bad in ("nope", "../etc/passwd", ""):
        with pytest.raises(ArticleNotFound):
            lib.load(bad)


def test_nested_ids_and_hidden_folders(config: Config) -> None:
    (config.articles_dir / "2024" / "juni").mkdir(parents=True)
    (config.articles_dir / "2024" / "juni" / "a.txt").write_text("Satu dua.\n", encoding="utf-8")
    (config.articles_dir / ".git").mkdir()
    (config.articles_dir / ".git" / "x.txt").write_text("no", encoding="utf-8")
    ids = {m.id for m in Library(config).scan()}
    assert "2024/juni/a" in ids and not any(i.startswith(".git") for i in ids)


def test_cache_is_used_updated_and_rebuilt(config: Config) -> None:
    lib = Library(config)
    assert lib.cached() is None
    first = lib.scan()
    assert {m.id for m in lib.cached() or []} == {m.id for m in first}
    # a change is picked up by size/mtime; a removal leaves the cache
    p = config.articles_dir / f"{SEED_KOMPAS}.txt"
    p.write_text("Judul baru\n\nIsi baru yang pendek sekali.\n", encoding="utf-8")
    os.utime(p, (1_700_000_000, 1_700_000_000))
    (config.articles_dir / f"{SEED_LIPUTAN}.txt").unlink()
    metas = lib.scan()
    assert [m.title for m in metas] == ["Judul baru"]
    assert [m.title for m in lib.cached() or []] == ["Judul baru"]
    # a corrupt cache is rebuilt silently
    config.metadata_cache_path.write_bytes(b"not a database at all" * 100)
    assert lib.cached() is None or lib.cached() == []
    assert [m.title for m in lib.scan()] == ["Judul baru"]
    with sqlite3.connect(config.metadata_cache_path) as db:
        assert db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 1
    assert (config.cache_dir / ".gitignore").read_text() == "*\n"


def test_unchanged_files_are_not_reread(config: Config) -> None:
    lib = Library(config)
    lib.scan()
    # make the file unreadable in content but identical in size/mtime: the cache answers
    p = config.articles_dir / f"{SEED_LIPUTAN}.txt"
    st = p.stat()
    p.write_bytes(b"x" * st.st_size)
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    meta = next(m for m in lib.scan() if m.id == SEED_LIPUTAN)
    assert meta.source == "Liputan6.com"


@pytest.mark.parametrize("text,lang", [
    ("Presiden mengatakan bahwa pemerintah akan terus bekerja sama dengan semua pihak.", "id"),
    ("The minister said that the government would work with all of the parties.", "en"),
    ("12345 67890", ""),
])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang
