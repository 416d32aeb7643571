from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from tests.conftest import SEED_LIPUTAN


def test_search_json_returns_liputan6(library_dir: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--library", str(library_dir), "search", "kerja sama", "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert SEED_LIPUTAN in [d["id"] for d in data]
    first = data[0]
    assert {"id", "title", "source", "date", "score", "hits", "snippets"} <= set(first)
    assert first["hits"] > 0 and first["snippets"]
    snip = first["snippets"][0]
    a, b = snip["highlights"][0]
    assert snip["text"][a:b].lower() in ("kerja", "sama", "bersama", "kerja sama")
    assert "indexing" in err  # the first run builds the index with a progress line


def test_search_text_output_and_limit(library_dir: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", str(library_dir), "search", "peluk", "--limit", "1"]) == 0
    out, _ = capsys.readouterr()
    assert out.count("hit") == 1 and "[berpelukan]" in out


def test_search_no_match_exits_1(library_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", str(library_dir), "search", "zzzqqq"]) == 1
    assert "no matches" in capsys.readouterr().err


@pytest.mark.parametrize(("query", "message"), [
    ('"kerja sama', "unbalanced quote"), ("foo:bar", "unknown field 'foo:'"),
    ("  ", "empty query"), ("tag:", "tag: needs a value")])
def test_bad_query_is_one_line(library_dir: Path, capsys: pytest.CaptureFixture[str],
                               query: str, message: str) -> None:
    assert main(["--library", str(library_dir), "search", query]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("reader: error: bad query:")


def test_index_reports_changes(library_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", str(library_dir), "index"]) == 0
    out, _ = capsys.readouterr()
    assert "2 added" in out and " s" in out
    (library_dir / "articles" / "x.txt").write_text("Gencatan senjata.\n", encoding="utf-8")
    assert main(["--library", str(library_dir), "index"]) == 0
    out, _ = capsys.readouterr()
    assert "1 added" in out and "added: x" in out
    assert main(["--library", str(library_dir), "index"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["--library", str(library_dir), "index", "--rebuild"]) == 0
    assert "rebuilt" in capsys.readouterr().out


def test_index_dir_override_and_the_user_cache_folder(library_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "elsewhere"
    assert main(["--library", str(library_dir), "--index", str(other), "index"]) == 0
    assert (other / "manifest.bin").is_file()
    assert main(["--library", str(library_dir), "index"]) == 0
    cache = Config.from_args(library_dir).cache_dir
    assert (cache / "index" / "manifest.bin").is_file()
    assert cache.is_relative_to(tmp_path / "xdg-cache")  # the user's cache folder
    assert sorted(p.name for p in library_dir.iterdir()) == ["annotations", "articles"]


def test_missing_library_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", str(tmp_path / "nope"), "search", "x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert not (tmp_path / "nope").exists()


def test_a_large_library_is_answered_at_once_and_checked_in_the_background(
        library_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With 5k articles or more, `reader search` answers when no folder changed and has a
    process of its own look for articles edited in place: the next search finds the edit."""
    import os
    import time

    from reader.cli import search as clisearch
    from reader.search import index as indexmod
    from reader.search.index import SearchIndex

    monkeypatch.setattr(indexmod, "QUICK_MIN_ARTICLES", 0)  # as if the library were large
    monkeypatch.setattr(clisearch, "RECHECK_SECONDS", 0)
    assert main(["--library", str(library_dir), "index"]) == 0
    path = next((library_dir / "articles").rglob("*.txt"))
    folder_mtime = path.parent.stat().st_mtime_ns
    with path.open("a", encoding="utf-8") as fh:  # an edit in place: the folder keeps its mtime
        fh.write("\nKata baru: zanzibarkata.\n")
    os.utime(path.parent, ns=(folder_mtime, folder_mtime))
    capsys.readouterr()
    assert main(["--library", str(library_dir), "search", "zanzibarkata"]) == 1
    assert "background" in capsys.readouterr().err
    config = Config.from_args(library_dir)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if SearchIndex(config).search("zanzibarkata"):
            break
        time.sleep(0.3)
    else:
        pytest.fail("the background check did not take the edit in")


def test_snippets_of_markdown_read_as_drawn(library_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (library_dir / "articles" / "md.md").write_text(
        "---\ntitle: Parliament\n---\n# Parliament weighs embargo\n\n"
        "The **new** [embargo](https://example.org/embargo-law) bill, and\n"
        "> a quoted embargo _too_.\n", encoding="utf-8")
    (library_dir / "articles" / "plain.txt").write_text(
        "A plain **embargo** keeps its # marks.\n", encoding="utf-8")
    assert main(["--library", str(library_dir), "search", "embargo", "--json"]) == 0
    found = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    md = " ".join(s["text"] for s in found["md"]["snippets"])
    assert not any(mark in md for mark in ("#", "**", "](", "embargo-law", "> ", "_too_")), md
    for s in found["md"]["snippets"]:
        assert s["highlights"] and all(
            s["text"][a:b].casefold() == "embargo" for a, b in s["highlights"])
    plain = found["plain"]["snippets"][0]["text"]
    assert "**embargo**" in plain and "#" in plain  # a .txt is not Markdown
