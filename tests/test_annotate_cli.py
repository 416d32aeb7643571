"""`reader annotate`, `reader annotations`, `reader tags`, `reader check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


def run(library: Path, *args: str) -> int:
    return main(["--library", str(library), *args])


def test_annotate_then_list_and_json(library_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "berjabat tangan cukup lama",
               "--tag", "treaties", "--tag", "Military Cooperation", "--note", "handshake") == 0
    out = capsys.readouterr().out
    assert "treaties, military cooperation" in out
    assert (library_dir / "annotations" / f"{SEED_LIPUTAN}.yaml").exists()
    assert run(library_dir, "annotations", "--json") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["article"] == SEED_LIPUTAN and row["quote"] == "berjabat tangan cukup lama"
    assert row["tags"] == ["treaties", "military cooperation"] and row["note"] == "handshake"
    assert run(library_dir, "annotations", SEED_LIPUTAN, "--tag", "sanctions") == 0
    assert SEED_LIPUTAN not in capsys.readouterr().out
    assert run(library_dir, "annotations", "--tag", "TREATIES") == 0
    assert "berjabat tangan" in capsys.readouterr().out


def test_annotating_a_tagged_passage_again_adds_to_it(library_dir: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    quote = "berjabat tangan cukup lama"
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", quote, "--tag", "treaties") == 0
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", quote.upper(),
               "--tag", "treaties") == 0
    assert "already tagged" in capsys.readouterr().err
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", quote, "--tag", "sanctions",
               "--note", "second look") == 0
    capsys.readouterr()
    assert run(library_dir, "annotations", "--json") == 0
    [row] = json.loads(capsys.readouterr().out)  # still one passage
    assert row["tags"] == ["treaties", "sanctions"] and row["note"] == "second look"


def test_annotate_ambiguous_and_missing_quotes(library_dir: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "Putin", "--tag",
               "sanctions") == 1
    err = capsys.readouterr().err
    assert "ambiguous" in err and "--occurrence" in err
    count = Library(Config.from_args(library_dir)).load(SEED_LIPUTAN).text.count("Putin")
    assert f"occurs {count} times" in err
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "Putin", "--tag", "sanctions",
               "--occurrence", "2") == 0
    capsys.readouterr()
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "Putin", "--tag", "sanctions",
               "--occurrence", str(count + 1)) == 1
    assert "out of range" in capsys.readouterr().err
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "no such words here",
               "--tag", "sanctions") == 1
    assert "not found" in capsys.readouterr().err
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "presiden  RUSIA vladimir",
               "--tag", "sanctions") == 0  # tolerant match
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "Pyongyang", "--tag",
               "nope") == 1
    assert "unknown tag" in capsys.readouterr().err
    assert run(library_dir, "annotate", "missing", "--quote", "x", "--tag", "sanctions") == 1
    assert "no article" in capsys.readouterr().err


def test_tags_lists_counts_and_edits(library_dir: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    run(library_dir, "annotate", SEED_KOMPAS, "--quote", "Putin", "--occurrence", "1",
        "--tag", "sanctions")
    capsys.readouterr()
    assert run(library_dir, "tags", "--json") == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["sanctions"]["count"] == 1 and rows["treaties"]["count"] == 0
    assert run(library_dir, "tags", "--add", "energi", "--colour", "#aabbcc") == 0
    assert run(library_dir, "tags", "--rename", "sanctions", "embargo") == 0
    assert "1 annotation" in capsys.readouterr().out
    assert run(library_dir, "tags", "--retire", "treaties") == 0
    assert run(library_dir, "tags") == 0
    out = capsys.readouterr().out
    assert "embargo" in out and "energi" in out and "(retired)" in out
    assert run(library_dir, "annotations", "--tag", "embargo") == 0
    assert SEED_KOMPAS in capsys.readouterr().out
    assert run(library_dir, "tags", "--retire", "nope") == 1
    assert "no tag" in capsys.readouterr().err


def test_check_reports_every_problem_and_exits_non_zero(
        library_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(library_dir, "check") == 0
    run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "berjabat tangan cukup lama",
        "--tag", "treaties")
    assert run(library_dir, "check") == 0
    assert "OK" in capsys.readouterr().out
    ann = library_dir / "annotations"
    (ann / f"{SEED_KOMPAS}.yaml").write_text(
        "article: x\nannotations:\n<<<<<<< HEAD\n=======\n>>>>>>> b\n", encoding="utf-8")
    (ann / "gone.yaml").write_text(
        "article: gone\nversion: 1\nannotations:\n  - id: a\n    quote: q\n    start: 0\n"
        "    end: 1\n    tags: [sanctions]\n", encoding="utf-8")
    article_path = library_dir / "articles" / f"{SEED_LIPUTAN}.txt"
    article_path.write_text(article_path.read_text(encoding="utf-8").replace(
        "berjabat tangan cukup lama", "bersalaman"), encoding="utf-8")
    assert run(library_dir, "check") == 1
    out = capsys.readouterr().out
    assert f"{SEED_KOMPAS}.yaml:3: git conflict marker" in out
    assert "no article gone" in out
    assert "orphaned" in out and "not found in the changed text" in out
    assert "berjabat tangan" in out
    assert "3 error(s)" in out
