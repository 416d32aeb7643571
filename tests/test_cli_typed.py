"""The ``reader`` command takes what people type: run as a user runs it, in a subprocess.

Queries and quotes in several words with options before or after, queries starting with
``-``, articles named by file path (what tab completion gives), a library folder that does
not exist or holds no ``articles/``, and ``reader`` alone in a folder that is no library.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

READER = str(Path(sys.executable).with_name("reader"))

KOREA = """\
Kerja Sama Korea dan Rusia

Presiden Rusia dan pemimpin Korea Utara menandatangani kerja sama strategis yang baru.
Perjanjian itu memuat bantuan militer jika salah satu pihak diserang.
"""
SEOUL = """\
---
title: Seoul Menyambut Delegasi
---
Korea Selatan menyambut delegasi dagang dari Jepang untuk membahas kerja sama ekonomi.
"""
EU = """\
Ministers agree new sanctions

The ministers said that the new sanctions would come into force next month.
"""


def reader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([READER, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def one_line_error(proc: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader"), proc.stderr
    assert ": error: " in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    (root / "articles" / "asia").mkdir(parents=True)
    (root / "annotations").mkdir()
    (root / "articles" / "asia" / "korea.txt").write_text(KOREA, encoding="utf-8")
    (root / "articles" / "asia" / "seoul.md").write_text(SEOUL, encoding="utf-8")
    (root / "articles" / "eu.txt").write_text(EU, encoding="utf-8")
    return root


def ids(proc: subprocess.CompletedProcess[str]) -> list[str]:
    assert proc.returncode == 0, proc.stderr
    return [row["id"] for row in json.loads(proc.stdout)]


# -- search: the query in several words -------------------------------------------------------
def test_search_takes_the_query_as_several_words(lib: Path) -> None:
    quoted = ids(reader("search", "--json", "kerja sama", cwd=lib))
    assert sorted(quoted) == ["asia/korea", "asia/seoul"]
    assert ids(reader("search", "--json", "kerja", "sama", cwd=lib)) == quoted
    assert ids(reader("search", "kerja", "sama", "--json", cwd=lib)) == quoted
    assert ids(reader("search", "kerja", "--json", "sama", cwd=lib)) == quoted
    assert len(ids(reader("search", "kerja", "sama", "--limit", "1", "--json", cwd=lib))) == 1
    text = reader("search", "kerja", "sama", "--limit", "1", cwd=lib)
    assert text.returncode == 0 and text.stdout.count(" hit") == 1, text.stderr
    # a phrase stays a phrase: quotes inside one argument reach the query
    assert ids(reader("search", "--json", '"kerja sama" strategis', cwd=lib)) == ["asia/korea"]


def test_search_a_query_starting_with_a_minus(lib: Path) -> None:
    assert ids(reader("search", "--json", "--", "-rusia", "korea", cwd=lib)) == ["asia/seoul"]
    assert ids(reader("search", "--", "-rusia", "korea", "--json", cwd=lib)) == ["asia/seoul"]
    assert ids(reader("search", "--json", "--", "-rusia korea", "--limit", "2",
                      cwd=lib)) == ["asia/seoul"]
    assert ids(reader("search", "--json", "korea", "-rusia", cwd=lib)) == ["asia/seoul"]
    assert ids(reader("search", "--json", "-rusia", "korea", cwd=lib)) == ["asia/seoul"]
    none = reader("search", "--", "-prabowo", "pakistan", "--limit", "2", cwd=lib)
    assert none.returncode == 1 and "no matches" in none.stderr
    assert "unrecognized" not in none.stderr


def test_search_errors_are_one_line(lib: Path) -> None:
    assert "empty query" in one_line_error(reader("search", cwd=lib))
    assert "empty query" in one_line_error(reader("search", "--limit", "3", cwd=lib))
    assert "--limt" in one_line_error(reader("search", "kerja", "--limt", "3", cwd=lib))
    assert "--limit" in one_line_error(reader("search", "kerja", "--limit", cwd=lib))
    assert "bad query" in one_line_error(reader("search", '"kerja', "sama", cwd=lib))


# -- articles named by their file -------------------------------------------------------------
@pytest.mark.parametrize(("name", "where"), [
    ("asia/korea", "."), ("articles/asia/korea.txt", "."), ("articles/asia/korea", "."),
    ("asia/korea.txt", "."), ("asia/korea.txt", "articles"), ("korea.txt", "articles/asia"),
    ("./korea.txt", "articles/asia"), ("../asia/korea.txt", "articles/asia"),
    ("ABS", "/"), ("articles/asia/korea.txt", ".."),
])
def test_show_names_an_article_by_id_or_path(lib: Path, name: str, where: str) -> None:
    cwd = Path("/") if where == "/" else (lib / where).resolve()
    if name == "ABS":
        name = str(lib / "articles" / "asia" / "korea.txt")
    proc = reader("--library", str(lib), "show", name, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    assert "Kerja Sama Korea dan Rusia" in proc.stdout and "id asia/korea" in proc.stdout


def test_a_file_outside_the_library_or_no_file_is_one_line(lib: Path, tmp_path: Path) -> None:
    outside = tmp_path / "page.txt"
    outside.write_text(KOREA, encoding="utf-8")
    line = one_line_error(reader("show", str(outside), cwd=lib), code=1)
    assert "not in this library's articles/ folder" in line and "reader import" in line
    line = one_line_error(reader("show", "articles/asia/nothing.txt", cwd=lib), code=1)
    assert "no article" in line and "reader list" in line
    (lib / "articles" / "asia" / "page.html").write_text("<p>x</p>", encoding="utf-8")
    line = one_line_error(reader("show", "articles/asia/page.html", cwd=lib), code=1)
    assert "articles are .txt or .md files" in line


def test_every_command_that_names_an_article_takes_its_path(lib: Path) -> None:
    path = "articles/asia/korea.txt"
    done = reader("annotate", path, "--quote", "kerja", "sama", "strategis", "--tag",
                  "treaties", "--note", "dasar", "perjanjian", "baru", cwd=lib)
    assert done.returncode == 0, done.stderr
    saved = (lib / "annotations" / "asia" / "korea.yaml").read_text(encoding="utf-8")
    assert "kerja sama strategis" in saved and "dasar perjanjian baru" in saved
    listed = reader("annotations", path, "--json", cwd=lib)
    rows = json.loads(listed.stdout)
    assert [(r["article"], r["quote"], r["note"]) for r in rows] == [
        ("asia/korea", "kerja sama strategis", "dasar perjanjian baru")]
    inside = reader("--library", "..", "annotations", "asia/korea.txt", "--json",
                    cwd=lib / "articles")
    assert [r["article"] for r in json.loads(inside.stdout)] == ["asia/korea"], inside.stderr
    suggested = reader("suggest", "--article", path, "--article", "articles/eu.txt",
                       "--json", cwd=lib)
    assert suggested.returncode == 0, suggested.stderr
    assert {s["article"] for s in json.loads(suggested.stdout)} <= {"asia/korea", "eu"}
    line = one_line_error(reader("suggest", "--article", "articles/none.txt", cwd=lib), 1)
    assert "no article" in line


def test_annotations_of_a_removed_article_are_still_listed(lib: Path) -> None:
    assert reader("annotate", "asia/korea", "--quote", "bantuan", "militer", "--tag",
                  "sanctions", cwd=lib).returncode == 0
    (lib / "articles" / "asia" / "korea.txt").unlink()
    listed = reader("annotations", "asia/korea", "--json", cwd=lib)
    assert listed.returncode == 0, listed.stderr
    assert [r["quote"] for r in json.loads(listed.stdout)] == ["bantuan militer"]


# -- several words where a query, a quote, a note or a name is taken --------------------------
def test_export_and_overview_take_a_query_in_several_words(lib: Path) -> None:
    for name, quote in (("asia/korea", "kerja sama strategis"),
                        ("asia/seoul", "kerja sama ekonomi")):
        done = reader("annotate", name, "--quote", quote, "--tag", "treaties", cwd=lib)
        assert done.returncode == 0, done.stderr
    both = reader("export", "--format", "json", "--query", "kerja", "sama", cwd=lib)
    assert both.returncode == 0, both.stderr
    assert json.loads(both.stdout)["count"] == 2
    seoul = reader("export", "--format", "json", "--query", "korea", "-rusia", cwd=lib)
    found = json.loads(seoul.stdout)["annotations"]
    assert [a["article"]["id"] for a in found] == ["asia/seoul"], seoul.stderr
    text = reader("export", "-f", "json", "--text", "kerja", "ekonomi", cwd=lib)
    assert json.loads(text.stdout)["count"] == 1, text.stderr
    out = lib / "out.csv"
    wrote = reader("export", "--query", "korea", "-rusia", "--out", str(out), "-f", "csv",
                   cwd=lib)
    assert wrote.returncode == 0 and "kerja sama ekonomi" in out.read_text("utf-8-sig")
    ov = reader("overview", "--query", "korea", "-rusia", "--json", cwd=lib)
    assert json.loads(ov.stdout)["passages"] == 1, ov.stderr
    assert "bad query" in one_line_error(reader("overview", "--query", "foo:bar", cwd=lib))


def test_tags_take_a_name_in_several_words(lib: Path) -> None:
    added = reader("tags", "--add", "pengakuan", "wilayah", "--description", "klaim",
                   "atas", "wilayah", cwd=lib)
    assert added.returncode == 0, added.stderr
    tags = {t["name"]: t for t in json.loads(reader("tags", "--json", cwd=lib).stdout)}
    assert tags["pengakuan wilayah"]["description"] == "klaim atas wilayah"
    assert reader("tags", "--retire", "pengakuan", "wilayah", cwd=lib).returncode == 0
    tags = {t["name"]: t for t in json.loads(reader("tags", "--json", cwd=lib).stdout)}
    assert tags["pengakuan wilayah"]["retired"] is True


def test_library_options_after_the_command(lib: Path, tmp_path: Path) -> None:
    proc = reader("show", "asia/korea", "--library", str(lib), cwd=tmp_path)
    assert proc.returncode == 0 and "id asia/korea" in proc.stdout, proc.stderr
    assert ids(reader("search", "kerja", "sama", "--library", str(lib), "--json",
                      cwd=tmp_path)) != []


# -- library folders ---------------------------------------------------------------------------
COMMANDS = [
    ["list"], ["show", "x"], ["search", "kerja", "sama"], ["index"],
    ["annotate", "x", "--quote", "a", "--tag", "treaties"], ["annotations"], ["tags"],
    ["tags", "--add", "baru"], ["check"], ["export", "--format", "md"], ["overview"],
    ["suggest"], [],
]


@pytest.mark.parametrize("command", [*COMMANDS, ["import", "page.txt"]],
                         ids=lambda c: " ".join(c) or "(tui)")
def test_a_library_folder_that_does_not_exist(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "page.txt").write_text(KOREA, encoding="utf-8")
    nope = tmp_path / "nope"
    line = one_line_error(reader("--library", str(nope), *command, cwd=tmp_path))
    assert f"library folder {nope} does not exist" in line
    assert not nope.exists()
    if command[:1] in ([], ["list"], ["search"], ["import"]):
        env_line = one_line_error(subprocess.run(
            [READER, *command], cwd=tmp_path, capture_output=True, text=True, timeout=120,
            env={**os.environ, "READER_LIBRARY": str(nope)}, stdin=subprocess.DEVNULL))
        assert "(from $READER_LIBRARY)" in env_line
        assert not nope.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.txt"]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "(tui)")
def test_a_folder_without_articles_says_how_to_start(tmp_path: Path,
                                                      command: list[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    line = one_line_error(reader(*command, cwd=empty))  # a new user, in some folder
    assert f"no articles/ folder here ({empty})" in line and "reader import" in line
    assert "--library DIR" in line
    if command[:1] in ([], ["list"], ["search"], ["tags"]):
        line = one_line_error(reader("--library", str(empty), *command, cwd=tmp_path))
        assert f"no articles/ folder in {empty}" in line
        assert f"reader --library {empty} import" in line
    assert list(empty.iterdir()) == []  # no .reader/, no annotations/


def test_import_starts_a_library_in_an_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "korea.txt").write_text(KOREA, encoding="utf-8")
    proc = reader("import", str(tmp_path / "korea.txt"), cwd=empty)
    assert proc.returncode == 0, proc.stderr
    listed = reader("list", "--json", cwd=empty)
    assert [m["title"] for m in json.loads(listed.stdout)] == ["Kerja Sama Korea dan Rusia"]


def test_bad_arguments_are_one_line(lib: Path) -> None:
    assert "--bogus" in one_line_error(reader("list", "--bogus", cwd=lib))
    assert "--quote" in one_line_error(reader("annotate", "asia/korea", "--quote", cwd=lib))
    assert "--format" in one_line_error(reader("export", "--query", "kerja", cwd=lib))
    assert "invalid choice" in one_line_error(reader("serach", "kerja", cwd=lib))
    assert "--quote is empty" in one_line_error(
        reader("annotate", "asia/korea", "--quote", "", "--tag", "treaties", cwd=lib))
    assert "at least one --tag" in one_line_error(
        reader("annotate", "asia/korea", "--quote", "kerja", "sama", cwd=lib))
    assert "not found" in one_line_error(
        reader("annotate", "asia/korea", "--quote", "tidak", "ada", "--tag", "treaties",
               cwd=lib), code=1)
