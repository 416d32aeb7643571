"""Randomized runs against a real index: fuzzed queries (operators, quotes, fields, dates,
wildcards, typos, unicode, nesting, lengths) and index faults (files truncated, deleted,
corrupted, appended to; the folder deleted; Whoosh's and reader's locks held; stale pid
files), with the index open and closed. Each prints its counts. Any exception other than
a one-line QueryError (queries) or IndexBusy (a held lock), any hang, fails.

A quick slice runs in the default suite; ``pytest -m torture`` runs the long one.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from reader.config import Config
from reader.search import update as updatemod
from reader.search.index import IndexBusy, QueryError, SearchIndex
from tests.conftest import CORPORA

REPO = Path(__file__).resolve().parents[2]
QUERY_SECONDS = 5.0  # a query answers (or is refused) in about a second; this is a hang
UPDATE_SECONDS = 300.0
REFERENCE = ["pemerintah", "sanksi OR embargo", '"kerja sama"', "presiden -menteri",
             "title:harga", "lang:en market", "ekonom*", "goverment~", "date:[2016 TO 2017]"]

WORDS = ("pemerintah presiden kerja sama harga minyak menteri jakarta rakyat sanksi embargo "
         "the government said minister market election bank oil gas yang dan of").split()
FIELDS = ["title:", "source:", "place:", "lang:", "tag:", "note:", "date:", "tags:", "src:",
          "nope:", "TITLE:", "language:"]
ODD = ["\u0000", "\u200b", "\u202e", "é", "e\u0301", "ß", "İ", "ﬁ", "日本語", "مرحبا", "😀",
       "\U0001f600\u200d\U0001f4bb", "\ufffd", "\\", "'", "’", "`", ";", "|", "&", "%", "$",
       "{", "}", "[", "]", "<", ">", "=", "+", "/", ",", ".", ":", "::", "~~", "**", "*~"]


def _found(index: SearchIndex, query: str) -> set[str]:
    return {r.id for r in index.search(query, limit=200)}


def within(seconds: float, what: str, fn: Callable[[], Any]) -> Any:
    """``fn()``, failing the test when it takes longer than ``seconds`` (a hang)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"hang: {what} took over {seconds:.0f} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def fuzzed_query(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.choice([1, 1, 2, 3, 5, 8, 20, 60])):
        r = rng.random()
        if r < 0.35:
            word = rng.choice(WORDS)
            parts.append(word[: rng.randint(1, len(word))] + rng.choice(["", "", "*", "~",
                                                                         "~2", "~9", "~~"]))
        elif r < 0.45:
            parts.append(rng.choice(["AND", "OR", "NOT", "-", "and", "or", "not"]))
        elif r < 0.55:
            parts.append(rng.choice(["(", ")", "((", "))", '"', '""', '"kerja', 'sama"',
                                     '"kerja sama"', '"the government said"', '"é ß"']))
        elif r < 0.65:
            parts.append(rng.choice(FIELDS) + rng.choice(WORDS + ['"kerja sama"', "*", ""]))
        elif r < 0.72:
            lo, hi = rng.choice(["2016", "2016-06", "2016-06-31", "*", "x"]), rng.choice(
                ["2017", "2016-13", "*", ""])
            parts.append(rng.choice([f"date:[{lo} TO {hi}]", f"date:{lo}", f"date:[{lo}",
                                     f"date:{hi}]"]))
        elif r < 0.85:
            parts.append("".join(rng.choice(ODD) for _ in range(rng.randint(1, 4))))
        elif r < 0.9:
            parts.append(rng.choice(["-", "NOT ", "("]) * rng.randint(2, 40))
        elif r < 0.95:
            parts.append(rng.choice("kx") * rng.randint(10, 3000) + rng.choice(["", "~", "*"]))
        else:
            parts.append("".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(1, 20))))
    return rng.choice([" ", "", "  "]).join(parts)


def library(tmp_path: Path, articles: int) -> Config:
    sys.path.insert(0, str(REPO))
    from bench.corpus import build_corpus

    lib = build_corpus(articles, tmp_path / "lib", corpora=CORPORA)
    return Config.from_args(lib)


def run_queries(config: Config, count: int, seed: int) -> Counter[str]:
    rng = random.Random(seed)
    index = SearchIndex(config)
    within(UPDATE_SECONDS, "the first build", index.update)
    counts: Counter[str] = Counter()
    slowest = 0.0
    for _ in range(count):
        query = fuzzed_query(rng)
        t0 = time.monotonic()
        try:
            within(QUERY_SECONDS, f"the query {query[:80]!r}", partial(index.search, query))
            counts["answered"] += 1
            assert index.take_notice() == "", f"the query {query!r} had the index repaired"
        except QueryError as exc:
            message = str(exc)
            assert message and "\n" not in message, (query, message)
            counts["refused"] += 1
        slowest = max(slowest, time.monotonic() - t0)
    counts["queries"] = count
    print(f"\nfuzzed queries: {count}, answered {counts['answered']}, refused "
          f"{counts['refused']} (one line each), slowest {slowest:.2f} s")
    return counts


# -- faults --------------------------------------------------------------------------------

def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _hold(code: str, path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


HOLD = ("import sys, time; from whoosh.util.filelock import FileLock;"
        "lock = FileLock(sys.argv[1]); assert lock.acquire(blocking=False);"
        "print('held', flush=True); time.sleep(600)")


def apply_fault(rng: random.Random, folder: Path) -> tuple[str, subprocess.Popen[str] | None]:
    """Damage the index folder one way; a process holding a lock, when that is the fault."""
    files = _files(folder)
    kind = rng.choice(["truncate", "truncate", "delete", "corrupt", "corrupt", "append",
                       "delete folder", "garbage toc", "empty folder", "stale pid",
                       "hold write lock", "hold update lock"])
    if not files and kind not in ("delete folder", "hold write lock", "hold update lock"):
        kind = "delete folder"
    target = rng.choice(files) if files else folder
    if kind == "truncate":
        with target.open("r+b") as f:
            f.truncate(rng.randint(0, max(0, target.stat().st_size - 1)))
    elif kind == "delete":
        target.unlink()
    elif kind == "corrupt":
        data = bytearray(target.read_bytes())
        if data:
            at = rng.randrange(len(data))
            span = rng.randint(1, 256)
            data[at:at + span] = bytes(rng.randrange(256) for _ in range(len(data[at:at + span])))
            target.write_bytes(bytes(data))
    elif kind == "append":
        with target.open("ab") as f:
            f.write(os.urandom(rng.randint(1, 4096)))
    elif kind == "delete folder":
        shutil.rmtree(folder, ignore_errors=True)
    elif kind == "garbage toc":
        for toc in folder.glob("*.toc"):
            toc.write_bytes(os.urandom(rng.randint(0, 300)))
    elif kind == "empty folder":
        for p in files:
            p.unlink()
    elif kind == "stale pid":
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout.strip()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "update.pid").write_text(dead, encoding="utf-8")
    elif kind == "hold write lock":
        folder.mkdir(parents=True, exist_ok=True)
        return kind, _hold(HOLD, folder / "articles_WRITELOCK")
    else:
        folder.mkdir(parents=True, exist_ok=True)
        return kind, _hold(HOLD, folder / "update.lock")
    return kind, None


def run_faults(config: Config, rounds: int, seed: int) -> Counter[str]:
    rng = random.Random(seed)
    updatemod.LOCK_SECONDS = 2.0  # another reader updating: say so quickly
    index = SearchIndex(config)
    within(UPDATE_SECONDS, "the first build", index.update)
    reference = {q: {r.id for r in index.search(q, limit=200)} for q in REFERENCE}
    counts: Counter[str] = Counter()
    (config.articles_dir / "torture-new.txt").unlink(missing_ok=True)
    for i in range(rounds):
        open_before = rng.random() < 0.5  # the fault happens under an open searcher
        if open_before:
            index.search(rng.choice(REFERENCE))
        else:
            index.close()
        kind, holder = apply_fault(rng, config.index_dir)
        counts[kind] += 1
        try:
            user = index if open_before or rng.random() < 0.5 else SearchIndex(config)
            if rng.random() < 0.5:  # the app's start: an update first
                try:
                    report = within(UPDATE_SECONDS, f"update after {kind}", user.update)
                    counts["rebuilt"] += report.rebuilt
                except IndexBusy as exc:
                    assert holder is not None, f"IndexBusy without a held lock: {exc}"
                    assert "\n" not in str(exc)
                    counts["busy, one line"] += 1
            for query in REFERENCE:
                found = within(QUERY_SECONDS * 20, f"a search after {kind}",
                               partial(_found, user, query))
                if holder is None and found != reference[query]:
                    counts["wrong results until rebuilt"] += 1
                    within(UPDATE_SECONDS, "a rebuild",
                           partial(user.update, rebuild=True))
                    break
            counts["repaired notices"] += bool(user.take_notice())
        finally:
            if holder is not None:
                holder.kill()
                holder.wait()
        if i % 7 == 3:  # the library changes too
            new = config.articles_dir / "torture-new.txt"
            if new.exists():
                new.unlink()
            else:
                new.write_text("Gencatan senjata torture.\n", encoding="utf-8")
            try:
                within(UPDATE_SECONDS, "an update", index.update)
            except IndexBusy:
                pass
            reference = {q: {r.id for r in index.search(q, limit=200)} for q in REFERENCE}
    index.close()
    counts["faults"] = rounds
    print(f"\nindex faults: {rounds} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
    return counts


# -- the runs ------------------------------------------------------------------------------

def test_quick_fuzzed_queries(tmp_path: Path) -> None:
    counts = run_queries(library(tmp_path, 60), 150, seed=11)
    assert counts["answered"] and counts["refused"]


def test_quick_index_faults(tmp_path: Path) -> None:
    counts = run_faults(library(tmp_path, 40), 24, seed=12)
    assert counts["faults"] == 24


@pytest.mark.torture
def test_fuzzed_queries(tmp_path: Path) -> None:
    seed = int(os.environ.get("TORTURE_SEED", "1"))
    counts = run_queries(library(tmp_path, 600), 1500, seed=seed)
    assert counts["answered"] > 300 and counts["refused"] > 100


@pytest.mark.torture
def test_index_faults(tmp_path: Path) -> None:
    seed = int(os.environ.get("TORTURE_SEED", "2"))
    counts = run_faults(library(tmp_path, 150), 120, seed=seed)
    assert counts["faults"] == 120
