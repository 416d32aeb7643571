"""``reader tags`` with the hierarchy, move/merge/split and definitions, run as a user runs it;
a merge killed midway and run again."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from tests.cli_helpers import READER, ok, one_line_error, run


def _tag_seed(library_dir: Path) -> tuple[AnnotationStore, list[str]]:
    config = Config.from_args(library_dir)
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    v = Vocabulary(config.vocabulary_path)
    v.add("military cooperation/arms transfer")
    v.add("sanctions/economic")
    ids = []
    for meta in library.scan()[:2]:
        article = library.load(meta.id)
        ids.append(store.add(article, 0, 10, ["military cooperation/arms transfer"]).id)
        ids.append(store.add(article, 20, 30, ["sanctions"]).id)
    return store, ids


def test_tags_shows_the_tree_and_json_parent(library_dir: Path) -> None:
    _tag_seed(library_dir)
    out = ok(run("tags", cwd=library_dir))
    lines = out.splitlines()
    assert lines[0].startswith("[1] sanctions\t")
    # every active tag has the number the tag picker shows it with (the next free digits)
    assert lines[1].startswith("[5]   sanctions/economic\t")
    node = lines.index(next(x for x in lines if x.startswith("[2] military cooperation\t")))
    assert lines[node + 1].startswith("[4]   military cooperation/arms transfer\t")
    rows = json.loads(ok(run("tags", "--json", cwd=library_dir)))
    by_name = {r["name"]: r for r in rows}
    assert by_name["sanctions/economic"]["parent"] == "sanctions"
    assert by_name["military cooperation/arms transfer"]["parent"] == "military cooperation"
    assert by_name["military cooperation/arms transfer"]["count"] == 2
    assert by_name["sanctions"]["parent"] is None


def test_move_merge_split_from_the_command_line(library_dir: Path) -> None:
    store, ids = _tag_seed(library_dir)
    out = ok(run("tags", "--move", "treaties", "--under", "military cooperation",
                 cwd=library_dir))
    assert "moved “treaties” under “military cooperation”" in out
    assert "to reverse it: reader tags --move \"military cooperation/treaties\" --under \"/\"" \
        in out
    ok(run("tags", "--move", "military cooperation/treaties", "--under", "/", cwd=library_dir))
    out = ok(run("tags", "--split", "sanctions", "--into", "sanctions/financial", "--passages",
                 ids[1], cwd=library_dir))
    assert "1 passage(s) in 1 file(s)" in out
    out = ok(run("tags", "--merge", "sanctions/financial", "sanctions", cwd=library_dir))
    assert "merged “sanctions/financial” into “sanctions”: 1 passage(s)" in out
    assert Vocabulary(store.vocabulary_path).get("sanctions/financial") is None
    tags = sorted(t for _, f in store.iter_all() for a in f.annotations for t in a.tags)
    assert tags == ["military cooperation/arms transfer"] * 2 + ["sanctions"] * 2
    err = one_line_error(run("tags", "--merge", "nothing", "sanctions", cwd=library_dir))
    assert "no tag “nothing”" in err
    err = one_line_error(run("tags", "--split", "sanctions", "--into", "x", cwd=library_dir), 2)
    assert "--query QUERY or --passages" in err


def test_split_by_query_and_search_of_a_parent_finds_children(library_dir: Path) -> None:
    _tag_seed(library_dir)
    found = ok(run("search", "tag:\"military cooperation\"", "--json", cwd=library_dir))
    assert len(json.loads(found)) == 2
    assert all(r["hits"] == 1 and r["first_hit"] == 0 for r in json.loads(found))  # the child's
    assert json.loads(ok(run("search", "tag:military", "--json", cwd=library_dir))) == []
    out = ok(run("tags", "--split", "military cooperation/arms transfer", "--into",
                 "military cooperation/missiles", "--query", "kompas", cwd=library_dir))
    assert "1 passage(s) in 1 file(s)" in out
    rows = json.loads(ok(run("export", "--format", "json", "--tag", "military cooperation",
                             cwd=library_dir)))["annotations"]
    assert sorted(t for r in rows for t in r["tags"]) == [
        "military cooperation/arms transfer", "military cooperation/missiles"]
    missiles = [r for r in rows if r["tags"] == ["military cooperation/missiles"]]
    assert [r["article"]["id"] for r in missiles] == ["002_23d7a92b4fbf0ff3"]


def test_definitions_from_the_command_line(library_dir: Path) -> None:
    ok(run("tags", "--describe", "sanctions", "--include", "a state against another",
           "--exclude", "court fines", "--example", "some-article", "abc123", cwd=library_dir))
    out = ok(run("tags", "--describe", "sanctions", cwd=library_dir))
    assert "include:     a state against another" in out
    assert "example:     some-article abc123" in out
    data = json.loads(ok(run("tags", "--describe", "sanctions", "--json", cwd=library_dir)))
    assert data["exclude"] == "court fines"
    err = one_line_error(run("tags", "--include", "x", cwd=library_dir), 2)
    assert "--include goes with --describe" in err


def test_overview_rolls_children_up_and_unfolds(library_dir: Path) -> None:
    _tag_seed(library_dir)
    out = ok(run("overview", cwd=library_dir))
    per_tag = out.split("Per tag", 1)[1].split("\n\n", 1)[0].splitlines()
    assert "--unfold shows them" in per_tag[0]
    assert [x.split()[0] for x in per_tag[1:]] == ["military", "sanctions"]
    out = ok(run("overview", "--unfold", cwd=library_dir))
    per_tag = out.split("Per tag\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert per_tag[1].startswith("    arms transfer ") and per_tag[1].endswith(" 2")
    data = json.loads(ok(run("overview", "--json", cwd=library_dir)))
    assert {"tag": "military cooperation", "parent": None, "passages": 2} in data["per_tag_tree"]
    assert {"tag": "military cooperation/arms transfer", "parent": "military cooperation",
            "passages": 2} in data["per_tag_tree"]


KILLED_FILES = 800  # annotation files the killed command rewrites (each one fsynced)
KILLED = {  # command, tags of an odd and an even passage when done, the name that goes
    "merge": (["--merge", "arms", "treaties"], ["treaties"], ["treaties"], "arms"),
    "move": (["--move", "arms", "--under", "treaties"], ["treaties/arms", "treaties"],
             ["treaties/arms"], "arms"),
    "split": (["--split", "arms", "--into", "arms/small", "--passages",
               *[f"p{i:04}" for i in range(0, KILLED_FILES, 2)]], ["arms", "treaties"],
              ["arms/small"], None),
}


@pytest.mark.parametrize("what", sorted(KILLED))
def test_killed_midway_it_finishes_when_run_again(library_dir: Path, what: str) -> None:
    """The command is killed (SIGKILL) once it has rewritten a quarter of the annotation files, then
    run again: every file whole all along, and in the end every passage as asked, once."""
    command, odd, even, gone = KILLED[what]
    ann_dir = library_dir / "annotations"
    v = Vocabulary(ann_dir / "vocabulary.yml")
    v.add("arms")
    n = KILLED_FILES
    for i in range(n):  # written as reader writes them, without articles (not needed here)
        doc = {"version": 1, "article": f"a{i:04}", "text_sha256": "0" * 64,
               "annotations": [{"id": f"p{i:04}", "start": 0, "end": 5, "quote": "Rusia",
                                "tags": ["arms", "treaties"] if i % 2 else ["arms"]}]}
        (ann_dir / f"a{i:04}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    # killed a quarter in: most files are still to write when the kill lands, on a fast disk too
    first, last = ann_dir / f"a{n // 4:04}.yaml", ann_dir / f"a{n - 2:04}.yaml"
    original = first.read_text(encoding="utf-8")
    proc = subprocess.Popen([READER, "tags", *command], cwd=library_dir,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while first.read_text(encoding="utf-8") == original and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    texts = [(ann_dir / f"a{i:04}.yaml").read_text(encoding="utf-8") for i in range(n)]
    done = sum(t != yaml.safe_dump(yaml.safe_load(t)) or "- arms\n" not in t for t in texts)
    print(f"{what}: killed after {done} of {n} files")
    assert 0 < done < n and "- arms\n" in last.read_text(encoding="utf-8")
    for text in texts:  # every file whole: old or new, never half
        assert isinstance(yaml.safe_load(text), dict)
    if gone is not None:
        assert Vocabulary(v.path).get(gone) is not None  # the vocabulary goes last
    out = ok(run("tags", *command, cwd=library_dir))
    assert "passage(s)" in out
    store = AnnotationStore(ann_dir)
    found = {a.id: a.tags for _, f in store.iter_all() for a in f.annotations}
    assert len(found) == n
    assert all(found[f"p{i:04}"] == (odd if i % 2 else even) for i in range(n)), what
    if gone is not None:
        assert Vocabulary(v.path).get(gone) is None


def test_annotations_tag_takes_in_children(library_dir: Path) -> None:
    _tag_seed(library_dir)
    rows = json.loads(ok(run("annotations", "--tag", "military cooperation", "--json",
                             cwd=library_dir)))
    assert len(rows) == 2 and all(r["tags"] == ["military cooperation/arms transfer"]
                                  for r in rows)
    assert json.loads(ok(run("annotations", "--tag", "military", "--json",
                             cwd=library_dir))) == []
