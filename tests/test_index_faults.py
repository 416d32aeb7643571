"""Index faults are detected, repaired or explained in one line: never a traceback, never a
silent "no matches", never a long wait."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from reader.search.index import IndexBusy, SearchIndex
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

BOTH = {SEED_LIPUTAN, SEED_KOMPAS}


def found(index: SearchIndex, query: str = "peluk") -> set[str]:
    return {r.id for r in index.search(query)}


def segments(config: Config) -> list[Path]:
    return sorted(config.index_dir.glob("*.seg"))


def test_a_truncated_segment_is_found_and_rebuilt_before_searching(
        config: Config, capsys: pytest.CaptureFixture[str]) -> None:
    """It gave "no matches" once, silently: the manifest knows each segment's size."""
    SearchIndex(config).update()
    for seg in segments(config):
        with seg.open("r+b") as f:
            f.truncate(seg.stat().st_size // 2)
    assert main(["--library", str(config.library), "search", "peluk"]) == 0
    out, err = capsys.readouterr()
    assert "damaged; rebuilt" in err and SEED_LIPUTAN in out


def test_a_segment_truncated_under_an_open_searcher_is_not_read(config: Config) -> None:
    """A mapped file read past its new end would kill the process: it is reopened, found
    damaged, and rebuilt, and the search answers."""
    index = SearchIndex(config)
    index.update()
    assert found(index) == BOTH
    for seg in segments(config):
        with seg.open("r+b") as f:
            f.truncate(100)
    assert found(index) == BOTH
    assert "rebuilt" in index.take_notice()
    assert index.take_notice() == ""  # said once


def test_a_segment_damaged_in_place_is_repaired_by_the_search(config: Config) -> None:
    index = SearchIndex(config)
    index.update()
    index.close()
    for seg in segments(config):
        data = bytearray(seg.read_bytes())
        data[len(data) // 3: len(data) // 3 + 64] = b"\xff" * 64
        seg.write_bytes(bytes(data))  # same size: the manifest cannot tell
    fresh = SearchIndex(config)
    assert found(fresh) == BOTH and found(fresh, "senjata") == {SEED_KOMPAS}


def test_the_index_folder_deleted_while_searching(config: Config) -> None:
    """It ended in EmptyIndexError: the search rebuilds it and says so."""
    index = SearchIndex(config)
    index.update()
    errors: list[BaseException] = []
    stop = threading.Event()

    def searching() -> None:
        while not stop.is_set():
            try:
                assert found(index) in (BOTH, set())
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)
                return

    worker = threading.Thread(target=searching)
    worker.start()
    try:
        for _ in range(3):
            time.sleep(0.3)
            shutil.rmtree(config.index_dir, ignore_errors=True)
    finally:
        time.sleep(0.3)
        stop.set()
        worker.join(60)
    assert errors == []
    time.sleep(1.1)  # past the searcher's check for another process's changes
    shutil.rmtree(config.index_dir, ignore_errors=True)
    assert found(index) == BOTH
    assert "missing; rebuilt" in index.take_notice()


def _hold_write_lock(index_dir: Path) -> subprocess.Popen[str]:
    code = ("import sys, time; from whoosh.util.filelock import FileLock;"
            "lock = FileLock(sys.argv[1]); assert lock.acquire(blocking=False);"
            "print('held', flush=True); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(index_dir / "articles_WRITELOCK")],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_whoosh_s_lock_held_by_another_program_is_one_line_at_once(
        config: Config, capsys: pytest.CaptureFixture[str]) -> None:
    """It ended in LockError after 31 s."""
    index = SearchIndex(config)
    index.update()
    holder = _hold_write_lock(config.index_dir)
    try:
        (config.articles_dir / "new.txt").write_text("Gencatan senjata.\n", encoding="utf-8")
        t0 = time.monotonic()
        with pytest.raises(IndexBusy, match="locked by another program"):
            index.update()
        assert time.monotonic() - t0 < 5
        assert found(index) == BOTH  # the index as it stands still answers
        assert main(["--library", str(config.library), "index"]) == 1
        err = capsys.readouterr().err
        assert "locked by another program" in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()
    assert index.update().added == ["new"]


def test_a_killed_rebuild_is_reported_by_the_next_run(config: Config, tmp_path: Path) -> None:
    """After a killed 'index --rebuild' the next search rebuilt without the promised notice."""
    for i in range(300):
        (config.articles_dir / f"copy{i:03d}.txt").write_text(
            (config.articles_dir / f"{SEED_LIPUTAN}.txt").read_text(encoding="utf-8")
            + f"\nSalinan {i}.\n", encoding="utf-8")
    SearchIndex(config).update()
    proc = subprocess.Popen([sys.executable, "-m", "reader", "--library", str(config.library),
                             "index", "--rebuild"], stderr=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL)
    pid_file = config.index_dir / "update.pid"
    deadline = time.monotonic() + 60
    while not (pid_file.exists() and not (config.index_dir / "manifest.bin").exists()):
        assert time.monotonic() < deadline and proc.poll() is None, "the rebuild did not start"
        time.sleep(0.01)
    time.sleep(0.5)
    if os.name == "nt":
        proc.kill()
    else:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    run = subprocess.run([sys.executable, "-m", "reader", "--library", str(config.library),
                          "search", "peluk", "--limit", "500"], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    assert f"process {proc.pid} had been interrupted" in run.stderr
    assert run.stdout.count("hit") == 302
