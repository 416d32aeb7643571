"""The torture run (``pytest -m torture``; a quick slice runs in the default suite from
tests/test_hostile_input.py): hundreds of kills mid-write, concurrent writers, every hostile
YAML case in each of our files, hostile articles, names, links and pages, with the commands
run as real processes. Prints its counts; fails on any loss of an annotation reported as
saved, any traceback, any hang, any rewritten broken file, any path outside the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.torture import scenarios
from tests.torture.scenarios import Result

pytestmark = pytest.mark.torture


def report(name: str, result: Result) -> None:
    counts, problems = result
    print(f"\n{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:30])


def test_kills_mid_write(tmp_path: Path) -> None:
    report("kills", scenarios.kill_writers(tmp_path, kills=300, cli_kills=30))


@pytest.mark.parametrize("seed", [3, 4])
def test_concurrent_writers(tmp_path: Path, seed: int) -> None:
    report("concurrent", scenarios.concurrent_writers(tmp_path, processes=4, writes=150,
                                                      seed=seed))


def test_hostile_annotation_files(tmp_path: Path) -> None:
    report("annotation files", scenarios.hostile_annotation_files(tmp_path, process=True))


@pytest.mark.parametrize("process", [False, True])
def test_hostile_vocabularies(tmp_path: Path, process: bool) -> None:
    only = {"alias-bomb", "huge-int", "dup-top", "conflict", "name-300"} if process else None
    report("vocabularies", scenarios.hostile_vocabularies(tmp_path, process, only))


@pytest.mark.parametrize("process", [False, True])
def test_hostile_rejected_files(tmp_path: Path, process: bool) -> None:
    only = {"alias-bomb", "huge-hex", "dup-hash", "binary"} if process else None
    report("rejected.yml", scenarios.hostile_rejections(tmp_path, process, only))


def test_hostile_library(tmp_path: Path) -> None:
    report("library", scenarios.hostile_library(tmp_path, process=True, big=5_000_000))


def test_hostile_pages(tmp_path: Path) -> None:
    report("pages", scenarios.hostile_pages(tmp_path, page_seconds=10.0))
