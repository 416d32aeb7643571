"""A quick slice of the torture runs (tests/torture/, ``pytest -m torture``), in the default
suite: kills mid-write, concurrent writers, hostile YAML in each of our files, hostile
articles, names, links and pages. Each prints its counts and fails on any loss, traceback,
hang, rewritten broken file or path outside the library."""

from __future__ import annotations

from pathlib import Path

from tests.torture import scenarios
from tests.torture.scenarios import Result


def report(name: str, result: Result) -> None:
    counts, problems = result
    print(f"\n{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    assert not problems, "\n".join(problems[:20])


def test_kills_mid_write_lose_nothing_reported_saved(tmp_path: Path) -> None:
    report("kills", scenarios.kill_writers(tmp_path, kills=15, cli_kills=1))


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    report("concurrent", scenarios.concurrent_writers(tmp_path, processes=3, writes=15))


def test_hostile_annotation_files(tmp_path: Path) -> None:
    report("annotation files", scenarios.hostile_annotation_files(
        tmp_path, process=False, only={"alias-bomb", "huge-int", "dup-note",
                                       "annotations-twice", "bad-date", "conflict",
                                       "python-tag", "binary", "created-bad-date"}))


def test_hostile_vocabularies(tmp_path: Path) -> None:
    report("vocabularies", scenarios.hostile_vocabularies(
        tmp_path, process=False, only={"alias-bomb", "huge-int", "dup-top", "name-newline",
                                       "bad-date"}))


def test_hostile_rejected_files(tmp_path: Path) -> None:
    report("rejected.yml", scenarios.hostile_rejections(
        tmp_path, process=False, only={"huge-hex", "dup-hash", "bad-date", "latin-1"}))


def test_hostile_library(tmp_path: Path) -> None:
    report("library", scenarios.hostile_library(tmp_path, process=False, big=200_000,
                                                        every=5))


def test_hostile_pages(tmp_path: Path) -> None:
    report("pages", scenarios.hostile_pages(tmp_path, page_seconds=3.0))
