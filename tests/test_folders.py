"""Folder defaults (``_folder.yml``) and the URL's site as sources: what a library says its
folders hold, in order of precedence, refreshed in the metadata cache when a folder file
changes, and seen by a real search index."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from reader.library.metadata import site_of
from reader.search.index import SearchIndex

STORY_ID = ("Jakarta - Harga beras naik di pasar induk dan para pedagang mengatakan bahwa "
            "pasokan dari daerah juga belum pulih, kata Ketua Koperasi, Senin (20/10/2025).\n")
STORY_EN = ("LONDON - Shares fell in early trading, dealers said. The index lost two per cent "
            "and the pound weakened against the dollar.\n")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    root = tmp_path / "lib"
    arts = root / "articles"
    write(arts / "detik" / "a.txt", "Harga beras naik\n\n" + STORY_ID)
    write(arts / "detik" / "ekonomi" / "b.txt", "Harga cabai naik\n\n" + STORY_ID)
    write(arts / "detik" / "c.md", "---\nsource: Kompas\nlanguage: en\ntags: [own]\n---\n"
          + STORY_ID)
    write(arts / "bbc" / "d.txt", "Shares fall\n\n" + STORY_EN)
    write(arts / "e.txt", "Harga gula\n\n" + STORY_ID)
    (root / "annotations").mkdir()
    return Library(Config.from_args(root))


def metas(lib: Library) -> dict[str, tuple[str, str]]:
    return {m.id: (m.source, m.language) for m in lib.scan()}


def test_nearest_folder_wins_front_matter_wins_tags_add_up(lib: Library) -> None:
    arts = lib.articles_dir
    write(arts / "_folder.yml", "tags: [koleksi]\n")
    write(arts / "detik" / "_folder.yml", "# what this folder holds\nsource: detik.com\n"
          "language: Indonesian\ntags: detik, berita\n")
    write(arts / "detik" / "ekonomi" / "_folder.yml", "source: detikFinance\ntags: [ekonomi]\n")
    assert metas(lib) == {
        "detik/a": ("detik.com", "id"),
        "detik/ekonomi/b": ("detikFinance", "id"),  # nearest source, inherited language
        "detik/c": ("Kompas", "en"),  # the article's own front matter wins
        "bbc/d": ("", "en"),
        "e": ("", "id"),
    }
    assert lib.load("detik/ekonomi/b").front_matter["tags"] == [
        "ekonomi", "detik", "berita", "koleksi"]
    assert lib.load("detik/c").front_matter["tags"] == ["own", "detik", "berita", "koleksi"]
    assert lib.load("bbc/d").front_matter["tags"] == ["koleksi"]
    # the folder files are no articles
    assert sorted(m.path for m in lib.scan()) == [
        "bbc/d.txt", "detik/a.txt", "detik/c.md", "detik/ekonomi/b.txt", "e.txt"]


def test_url_site_is_the_source_when_nothing_else_says(lib: Library) -> None:
    arts = lib.articles_dir
    write(arts / "f.md", "---\nurl: https://news.detik.com/berita/d-8171947/harga\n---\n"
          + STORY_ID)
    write(arts / "g.md", "---\nurl: https://www.bbc.co.uk/news/business-1\n---\n"
          "LONDON (Reuters) - Shares fell.\n")
    write(arts / "detik" / "h.md", "---\nurl: https://www.cnnindonesia.com/x\n---\n" + STORY_ID)
    write(arts / "detik" / "_folder.yml", "source: detik\n")
    m = metas(lib)
    assert m["f"][0] == "detik.com"
    assert m["g"][0] == "bbc.co.uk"  # the URL's site before the dateline's agency
    assert m["detik/h"][0] == "detik"  # the folder's word before the URL


@pytest.mark.parametrize("url,site", [
    ("https://news.detik.com/berita/d-1/x", "detik.com"),
    ("https://internasional.kompas.com/read/2024/06/19/x", "kompas.com"),
    ("http://www.bbc.co.uk/news", "bbc.co.uk"),
    ("https://jateng.antaranews.co.id/berita/1", "antaranews.co.id"),
    ("https://user:pw@www.Liputan6.com:443/global", "liputan6.com"),
    ("detik.com/berita", "detik.com"),
    ("file:///home/me/page.html", ""),
    ("not a url", ""),
])
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


@pytest.mark.parametrize("content,warning", [
    ("source: [unclosed\n", "_folder.yml:1"),
    ("base: &b detik\nsource: *b\n", "aliases"),
    ("source: !!python/object/apply:os.system [echo hi]\n", "unsupported tag"),
    ("- just\n- a list\n", "should be a mapping"),
    ("source: {name: detik}\n", "source should be a text"),
    ("tags: 3\n", "tags should be a list"),
    ("source: detik\n<<<<<<< HEAD\nlanguage: id\n", "conflict"),
    ("\xff\xfe not utf-8", "not valid UTF-8"),
])
def test_a_broken_folder_file_is_reported_and_ignored(lib: Library, content: str,
                                                      warning: str) -> None:
    arts = lib.articles_dir
    write(arts / "_folder.yml", "source: Koleksi\n")  # the parent's defaults still apply
    path = arts / "detik" / "_folder.yml"
    if content.startswith("\xff"):
        path.write_bytes(b"\xff\xfe not utf-8")
    else:
        write(path, content)
    got = {m.id: m for m in lib.scan()}
    for article_id in ("detik/a", "detik/ekonomi/b", "detik/c"):
        warnings = [w for w in got[article_id].warnings if "articles/detik/_folder.yml" in w]
        assert len(warnings) == 1 and warning in warnings[0], got[article_id].warnings
        assert "ignored" in warnings[0]
    assert got["detik/a"].source == "Koleksi"
    assert got["detik/c"].source == "Kompas"
    assert not got["e"].warnings and not got["bbc/d"].warnings


def test_unknown_keys_are_named_and_the_rest_applies(lib: Library) -> None:
    write(lib.articles_dir / "detik" / "_folder.yml", "source: detik\nsorce: typo\n")
    a = next(m for m in lib.scan() if m.id == "detik/a")
    assert a.source == "detik"
    assert a.warnings == ("articles/detik/_folder.yml:2: unknown key 'sorce' left out "
                          "(known: source, language, tags)",)


def test_changing_a_folder_file_refreshes_the_cached_metadata(lib: Library) -> None:
    arts = lib.articles_dir
    assert metas(lib)["detik/a"] == ("", "id")
    folder_file = write(arts / "detik" / "_folder.yml", "source: detik\n")
    assert metas(lib)["detik/a"] == ("detik", "id")  # added: re-read
    assert lib.cached() is not None and {m.id: m.source for m in lib.cached() or []}[
        "detik/a"] == "detik"
    write(folder_file, "source: detikcom\n")
    os.utime(folder_file, ns=(1_700_000_000_000_000_000,) * 2)
    got = metas(lib)
    assert (got["detik/a"], got["detik/ekonomi/b"]) == (("detikcom", "id"),) * 2  # changed
    folder_file.unlink()
    assert metas(lib)["detik/a"] == ("", "id")  # removed: back to what the text says


def test_only_the_articles_under_a_changed_folder_file_are_read_again(lib: Library) -> None:
    arts = lib.articles_dir
    folder_file = write(arts / "detik" / "_folder.yml", "source: detik\n")
    lib.scan()
    # articles whose file is garbled at the same size and mtime: only a re-read would see it
    for rel in ("detik/a.txt", "bbc/d.txt"):
        p = arts / rel
        st = p.stat()
        p.write_bytes(b"x" * st.st_size)
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    # touched but the same: nothing is read again
    os.utime(folder_file, ns=(1_600_000_000_000_000_000,) * 2)
    got = {m.id: m for m in lib.scan()}
    assert got["detik/a"].title == "Harga beras naik" and got["bbc/d"].title == "Shares fall"
    # changed: the articles under it are read again, the others are not
    write(folder_file, "source: detik.com\n")
    got = {m.id: m for m in lib.scan()}
    assert got["detik/a"].title.startswith("xxx") and got["detik/a"].source == "detik.com"
    assert got["bbc/d"].title == "Shares fall"


def test_list_shows_the_folder_source(lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    write(lib.articles_dir / "detik" / "_folder.yml", "source: detik\n")
    assert main(["--library", str(lib.config.library), "list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["detik/a"]["source"] == "detik" and rows["e"]["source"] == ""
    assert main(["--library", str(lib.config.library), "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "detik/a " in x)
    assert line.split()[4] == "detik"  # ID DATE LANG WORDS SOURCE TITLE


def search_ids(config: Config, query: str) -> set[str]:
    index = SearchIndex(config)
    try:
        return {r.id for r in index.search(query)}
    finally:
        index.close()


def test_the_index_sees_folder_defaults(lib: Library) -> None:
    config = lib.config
    write(lib.articles_dir / "detik" / "_folder.yml", "source: detik\ntags: [pangan]\n")
    write(lib.articles_dir / "bbc" / "_folder.yml", "source: BBC News\nlanguage: en\n")
    index = SearchIndex(config)
    index.update()
    index.close()
    assert search_ids(config, "source:detik") == {"detik/a", "detik/ekonomi/b"}
    assert search_ids(config, "source:bbc lang:en") == {"bbc/d"}
    assert search_ids(config, "tag:pangan") == {"detik/a", "detik/ekonomi/b", "detik/c"}


def test_a_folder_file_added_later_reaches_the_index_on_rebuild(lib: Library) -> None:
    config = lib.config
    index = SearchIndex(config)
    index.update()
    index.close()
    assert search_ids(config, "source:detik") == set()
    write(lib.articles_dir / "detik" / "_folder.yml", "source: detik\n")
    index = SearchIndex(config)
    index.update(rebuild=True)
    index.close()
    assert search_ids(config, "source:detik") == {"detik/a", "detik/ekonomi/b"}


def test_a_folder_file_added_later_reaches_the_index_incrementally(lib: Library) -> None:
    """The index entry carries the stamp of the folder defaults its article was read with:
    adding, editing or removing a folder file re-indexes the articles under it, and them
    only."""
    config = lib.config
    index = SearchIndex(config)
    index.update()
    index.close()
    write(lib.articles_dir / "detik" / "_folder.yml", "source: detik\n")
    index = SearchIndex(config)
    report = index.update()
    index.close()
    assert sorted(report.changed) == ["detik/a", "detik/c", "detik/ekonomi/b"]  # no other
    assert search_ids(config, "source:detik") == {"detik/a", "detik/ekonomi/b"}
    write(lib.articles_dir / "detik" / "_folder.yml", "source: kumparan\ntags: [pangan]\n")
    index = SearchIndex(config)
    index.update()
    index.close()
    assert search_ids(config, "source:detik") == set()
    assert search_ids(config, "source:kumparan") == {"detik/a", "detik/ekonomi/b"}
    (lib.articles_dir / "detik" / "_folder.yml").unlink()
    index = SearchIndex(config)
    index.update()
    index.close()
    assert search_ids(config, "source:kumparan") == set()
