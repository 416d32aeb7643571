from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.config import Config
from reader.library import cache as metacache
from reader.library.articles import ArticleNotFound, Library
from reader.library.language import detect_language
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
    # a damaged snapshot is passed over for the database; a corrupt cache is rebuilt silently
    snapshot = config.cache_dir / "metadata.snapshot"
    damaged = snapshot.read_bytes()[:-3] + b"xyz"
    snapshot.write_bytes(damaged)
    assert [m.title for m in lib.cached() or []] == ["Judul baru"]
    lib.scan()  # nothing changed, but the damaged snapshot is written anew
    assert snapshot.read_bytes() != damaged
    config.metadata_cache_path.unlink()  # the snapshot alone now gives the list...
    assert [m.title for m in lib.cached() or []] == ["Judul baru"]
    lib.scan()  # ...and the next scan fills the new database again
    with sqlite3.connect(config.metadata_cache_path) as db:
        assert db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 1
    config.metadata_cache_path.write_bytes(b"not a database at all" * 100)
    snapshot.unlink()
    assert lib.cached() is None
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


def test_front_matter_dates_authors_and_unknown_values(config: Config) -> None:
    d = config.articles_dir
    (d / "a.md").write_text("---\ndate: 2024-06-19 08:30:00\nauthors: Ann Lee; Bob Tan\n"
                            "language: id-ID\ntags: [x, y]\n---\nIsi berita singkat.\n",
                            encoding="utf-8")
    (d / "b.md").write_text("---\ndate: sometime in spring\n---\nHujan turun di kota itu, "
                            "Rabu (3/5/2023).\n", encoding="utf-8")
    (d / "c.md").write_text("---\ndate: 2024-06\n---\nBody.\n", encoding="utf-8")
    (d / "d.md").write_text("---\n- just\n- a list\n---\nBody here.\n", encoding="utf-8")
    lib = Library(config)
    a = lib.load("a")
    assert (a.meta.date, a.meta.authors, a.meta.language) == (
        "2024-06-19", ("Ann Lee", "Bob Tan"), "id")
    assert a.front_matter["tags"] == ["x", "y"]
    b = lib.load("b").meta
    assert b.date == "2023-05-03" and any("not understood" in w for w in b.warnings)
    assert lib.load("c").meta.date == "2024-06"
    dm = lib.load("d")
    assert dm.text == "Body here.\n" and any("not a mapping" in w for w in dm.meta.warnings)
    (d / "e.md").write_text("---\nsource: [Reuters, AP]\nauthors: [One, {name: Two}]\n"
                            "title: {main: Judul}\n---\nBody.\n", encoding="utf-8")
    e = lib.load("e").meta
    assert (e.source, e.authors, e.title) == ("Reuters, AP", ("One", "Two"), "Judul")


def test_front_matter_offsets_point_into_the_body(config: Config) -> None:
    raw = "---\r\ntitle: T\r\n---\r\nFirst line.\r\n\r\nSecond paragraph here.\r\n"
    (config.articles_dir / "fm.txt").write_bytes(raw.encode("utf-8"))
    art = Library(config).load("fm")
    assert art.text == "First line.\n\nSecond paragraph here.\n"
    assert [art.text[b.start:b.end] for b in art.blocks] == [
        "First line.", "Second paragraph here."]


def test_english_article_without_front_matter(config: Config) -> None:
    (config.articles_dir / "en").mkdir()
    (config.articles_dir / "en" / "wire.txt").write_text(
        "WASHINGTON, June 3 (AP) — Lawmakers in the U.S. Congress agreed on Monday to a "
        "budget deal that would avert a shutdown. The vote is expected on Friday.\n\n"
        "Read more: How the budget works\n\nThe deal was reached late at night.\n",
        encoding="utf-8")
    art = Library(config).load("en/wire")
    m = art.meta
    assert (m.source, m.place, m.language, m.date) == ("AP", "Washington", "en", "")
    assert m.title.startswith("Lawmakers in the U.S. Congress agreed")
    assert [b.kind for b in art.blocks] == ["paragraph", "boilerplate", "paragraph"]


def test_upper_case_extensions_and_symlink_loops(config: Config) -> None:
    d = config.articles_dir
    (d / "Loud.TXT").write_text("Teks yang ada di sini.\n", encoding="utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "loop").symlink_to(d, target_is_directory=True)
    lib = Library(config)
    ids = [m.id for m in lib.scan()]
    assert ids.count("Loud") == 1 and len(ids) == len(set(ids)) == 3
    assert lib.load("Loud").text == "Teks yang ada di sini.\n"
    assert lib.id_for(lib.path_for("Loud")) == "Loud"
    assert [lib.id_for(p) for p in lib.iter_paths()] == sorted(ids)


def test_scan_reports_progress_and_can_stop(config: Config) -> None:
    for i in range(120):
        (config.articles_dir / f"n{i:03d}.txt").write_text(f"Berita nomor {i}.\n", "utf-8")
    seen: list[tuple[int, int]] = []
    metas = Library(config).scan(lambda done, total: seen.append((done, total)))
    assert len(metas) == 122 and seen[-1] == (122, 122) and seen[0] == (50, 122)
    (config.articles_dir / "new.txt").write_text("Baru.\n", encoding="utf-8")
    assert len(Library(config).scan(cancelled=lambda: True)) == 122  # cached ones only
    assert len(Library(config).scan()) == 123


def test_cache_of_another_version_is_not_used_then_rebuilt(config: Config) -> None:
    lib = Library(config)
    lib.scan()
    with sqlite3.connect(config.metadata_cache_path) as db:
        db.execute("PRAGMA user_version = 1")
    snapshot = config.cache_dir / "metadata.snapshot"
    current = f"reader-metadata-{metacache.VERSION}".encode()
    snapshot.write_bytes(snapshot.read_bytes().replace(current, b"reader-metadata-1", 1))
    assert lib.cached() is None
    assert len(lib.scan()) == 2 and len(lib.cached() or []) == 2


def test_read_only_cache_folder_still_lists(config: Config) -> None:
    config.cache_dir.parent.mkdir(parents=True)
    config.cache_dir.write_text("a file where the cache folder should be", encoding="utf-8")
    lib = Library(config)
    assert {m.id for m in lib.scan()} == {SEED_LIPUTAN, SEED_KOMPAS}
    assert lib.cached() is None


_WORKER = """
import sys
from reader.config import Config
from reader.library.articles import Library
lib = Library(Config.from_args(sys.argv[1]))
for _ in range(5):
    assert len(lib.scan()) == int(sys.argv[2]), "wrong count"
    cached = lib.cached()
    assert cached is None or len(cached) <= int(sys.argv[2])
"""


def test_concurrent_processes_share_the_cache(config: Config) -> None:
    for i in range(300):
        (config.articles_dir / f"c{i:03d}.txt").write_text(f"Berita ke-{i} di sini.\n", "utf-8")
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(config.library), "302"],
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert len(Library(config).cached() or []) == 302


def test_a_long_scan_hands_over_what_it_has_read(config: Config,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.library import articles as library_module

    for i in range(40):
        (config.articles_dir / f"n{i:03d}.txt").write_text(f"Berita nomor {i}.\n",
                                                           encoding="utf-8")
    monkeypatch.setattr(library_module, "PARTIAL_SECONDS", 0.0)  # every file, for the test
    seen: list[list[str]] = []
    metas = Library(config).scan(partial=lambda ms: seen.append([m.id for m in ms]))
    final = [m.id for m in metas]
    assert len(final) == 42 and len(seen) == 41  # every file but the last, then the result
    assert [len(s) for s in seen] == list(range(1, 42))
    assert all(set(s) <= set(final) for s in seen)
    # nothing to read: no partial lists
    seen.clear()
    Library(config).scan(partial=lambda ms: seen.append([m.id for m in ms]))
    assert seen == []
