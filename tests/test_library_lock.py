"""The library's write lock (annotation files and the vocabulary): exclusive across processes
and threads, reentrant in a thread, and portable (no ``fcntl`` needed, as on Windows)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader import yamlio
from tests.conftest import REPO

HOLDER = """
import sys, time
from pathlib import Path
from reader import yamlio
with yamlio.library_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_in_other_process(lock: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock), str(seconds)],
                            stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_another_process_holding_the_lock_times_out_with_one_line(tmp_path: Path) -> None:
    lock = tmp_path / "annotations" / ".lock"
    holder = _hold_in_other_process(lock, 3)
    try:
        t0 = time.monotonic()
        with pytest.raises(yamlio.LockTimeout) as info, yamlio.library_lock(lock, timeout=0.4):
            pass
        assert 0.3 < time.monotonic() - t0 < 2.5
        assert "another reader instance" in str(info.value) and "\n" not in str(info.value)
    finally:
        holder.wait(timeout=10)
    with yamlio.library_lock(lock, timeout=1):  # free again once the holder is gone
        pass
    assert ".lock" in (lock.parent / ".gitignore").read_text(encoding="utf-8")


def test_reentrant_in_a_thread_exclusive_across_threads(tmp_path: Path) -> None:
    lock = tmp_path / ".lock"
    inside = 0
    most = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, most
        for _ in range(20):
            with yamlio.library_lock(lock), yamlio.library_lock(lock):  # reentrant
                with guard:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.001)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1


NO_FCNTL = """
import sys, warnings
sys.modules["fcntl"] = None  # as on Windows: no fcntl module at all
warnings.simplefilter("ignore")
import hashlib
from pathlib import Path
from reader.annotations.store import AnnotationStore
from reader.models import Article, ArticleMeta
text = "Sanksi baru diumumkan pada hari Senin."
article = Article(ArticleMeta(id="a", path="a.txt", title="t"), text, (), {},
                  hashlib.sha256(text.encode()).hexdigest())
store = AnnotationStore(Path(sys.argv[1]))
store.add(article, 0, 6, ["sanctions"])
print(len(store.load(article).annotations))
"""


def test_store_works_without_fcntl(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-c", NO_FCNTL, str(tmp_path / "annotations")],
                         capture_output=True, text=True, cwd=REPO, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "1"
    assert (tmp_path / "annotations" / "a.yaml").is_file()
