"""Temporary files left by a writer killed mid-write are cleaned by the next write in their
folder once they are over a minute old; nobody else's files are touched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from reader import yamlio
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

KILLED_WRITER = """
import os, sys
from reader import yamlio
from pathlib import Path
target = Path(sys.argv[1])
while True:  # a write that never finishes its temporary file: killed in the middle
    tmp = target.parent / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    with open(tmp, "wb") as f:
        f.write(b"half a file")
        print("writing", flush=True)
        os.fsync(f.fileno())
        sys.stdin.readline()
"""


def age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_the_next_write_cleans_stale_temporaries_only(config: Config) -> None:
    folder = config.annotations_dir
    target = folder / f"{SEED_LIPUTAN}.yaml"
    killed = []
    for _ in range(3):  # real leftovers: writers killed with SIGKILL while writing
        proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed.append(proc.pid)
    leftovers = sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))
    assert len(leftovers) == 3
    fresh = leftovers[0]
    for p in leftovers[1:]:
        age(p, 120)
    others = [folder / ".notes.tmp", folder / f".{SEED_KOMPAS}.yaml.swp",
              folder / "draft.12.abcdef01.tmp", folder / ".x.yaml.1.ABCDEF01.tmp"]
    for p in others:
        p.write_text("not ours", encoding="utf-8")
        age(p, 3600)
    getattr(yamlio, "_CLEANED", {}).clear()  # as in a new process
    article = Library(config).load(SEED_KOMPAS)
    AnnotationStore(folder).add(article, 0, 10, ["sanctions"])
    remaining = sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))
    assert fresh in remaining and all(p.exists() for p in others)
    assert [p for p in remaining if p not in others] == [fresh]  # the two stale ones: gone
    age(fresh, 120)  # cleaned at most once a minute per folder by one process
    AnnotationStore(folder).add(article, 20, 30, ["sanctions"])
    assert fresh.exists()
    assert yamlio.clean_stale_temporaries(folder) == 1 and not fresh.exists()
