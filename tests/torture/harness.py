"""The torture runs' parts, shared by the marked suite (tests/torture/) and its quick slice
(tests/test_hostile_input.py): libraries to hurt, hostile files, writers killed mid-write or
racing each other, and a command runner that records any traceback, hang or exit status it
did not expect. Each run collects its problems and counts; the test prints the counts and
fails on the first problem list that is not empty."""

from __future__ import annotations

import contextlib
import io
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.cli.main import main
from reader.config import Config

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "articles").glob("*.txt"))
TAGS = ("sanctions", "military cooperation", "treaties")
MEMORY = 4 * 1024 ** 3  # address space of a command run as a process


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """A TimeoutError in this thread after ``seconds`` (a hang becomes a failure)."""
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds:g} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def make_library(root: Path, copies: int = 0) -> Config:
    """A library with the bundled articles, ``copies`` more made from them (distinct texts),
    and an empty annotations/ folder."""
    (root / "articles").mkdir(parents=True)
    (root / "annotations").mkdir()
    for seed in SEEDS:
        shutil.copy(seed, root / "articles" / seed.name)
    texts = [s.read_text(encoding="utf-8") for s in SEEDS]
    for k in range(copies):
        (root / "articles" / f"copy{k:03d}.txt").write_text(
            f"Salinan {k}\n\n{texts[k % len(texts)]}", encoding="utf-8")
    return Config.from_args(root)


@dataclass
class Run:
    args: tuple[str, ...]
    rc: int
    out: str
    err: str
    seconds: float


@dataclass
class Commands:
    """Runs ``reader`` commands on one library, as a process (a real command line, with a
    timeout and a memory limit) or inline (faster), and records what went wrong."""

    config: Config
    process: bool = False
    timeout: float = 60.0
    problems: list[str] = field(default_factory=list)
    runs: int = 0

    def __call__(self, *args: str, ok: tuple[int, ...] = (0,)) -> Run:
        self.runs += 1
        argv = ("--library", str(self.config.library), *args)
        started = time.monotonic()
        if self.process:
            try:
                p = subprocess.run([sys.executable, "-m", "reader", *argv], capture_output=True,
                                   text=True, errors="replace", timeout=self.timeout,
                                   preexec_fn=_limit_memory, stdin=subprocess.DEVNULL)
                run = Run(tuple(args), p.returncode, p.stdout, p.stderr,
                          time.monotonic() - started)
            except subprocess.TimeoutExpired:
                self.problems.append(f"hang: reader {' '.join(args)} (> {self.timeout:g} s)")
                return Run(tuple(args), -1, "", "", self.timeout)
        else:
            out, err = io.StringIO(), io.StringIO()
            rc = -1
            try:
                with deadline(self.timeout), contextlib.redirect_stdout(out), \
                        contextlib.redirect_stderr(err):
                    rc = main(list(argv))
            except SystemExit as exc:
                rc = exc.code if isinstance(exc.code, int) else 2
            except TimeoutError:
                self.problems.append(f"hang: reader {' '.join(args)} (> {self.timeout:g} s)")
            except BaseException:  # noqa: BLE001 - a traceback is what this looks for
                err.write(traceback.format_exc())
            run = Run(tuple(args), rc, out.getvalue(), err.getvalue(),
                      time.monotonic() - started)
        if "Traceback (most recent call last)" in run.err:
            self.problems.append(f"traceback: reader {' '.join(args)}:\n{run.err[-1500:]}")
        elif run.rc not in ok and run.rc != -1:
            self.problems.append(f"exit {run.rc} (wanted {ok}): reader {' '.join(args)}: "
                                 f"{run.err.strip()[-500:]}")
        return run


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


# -- writers ------------------------------------------------------------------------------------

@dataclass
class Ledger:
    """What writers said they did, from their output lines."""

    saved: dict[str, str] = field(default_factory=dict)  # annotation id -> article id
    deleting: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    tags_added: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)

    def read(self, lines: str) -> None:
        for line in lines.splitlines():
            parts = line.split("\t")
            kind = parts[0]
            self.counts[kind] += 1
            if kind == "saved":
                self.saved[parts[2]] = parts[1]
            elif kind == "deleting":
                self.deleting.add(parts[1])
            elif kind == "deleted":
                self.deleted.add(parts[1])
            elif kind == "tag":
                self.tags_added.add(parts[1])
            elif kind == "rejected":
                self.rejected.add(parts[1])


def writer(library: Path, article_ids: list[str], seed: int, *, tags: bool = False,
           rejects: bool = False, limit: int = 0) -> None:  # pragma: no cover - a child
    """Tag random passages forever (or ``limit`` times), sometimes deleting its own; print
    what each step did only after it returned. Runs in a forked child; never returns."""
    try:
        from reader.annotations.store import AnnotationStore
        from reader.annotations.vocabulary import Vocabulary
        from reader.library.articles import Library
        from reader.review.rejected import reject, rejection_key
        from reader.yamlio import LockTimeout

        config = Config.from_args(library)
        lib = Library(config)
        store = AnnotationStore(config.annotations_dir)
        articles = [lib.load(i) for i in article_ids]
        rng = random.Random(seed)
        mine: list[tuple[object, str]] = []
        say = sys.stdout.write
        say("ready\n")
        sys.stdout.flush()
        n = 0
        while not limit or n < limit:
            n += 1
            try:
                article = rng.choice(articles)
                roll = rng.random()
                if mine and roll < 0.15:
                    art, ann_id = mine.pop(rng.randrange(len(mine)))
                    say(f"deleting\t{ann_id}\n")
                    sys.stdout.flush()
                    store.delete(art, ann_id)  # type: ignore[arg-type]
                    say(f"deleted\t{ann_id}\n")
                elif tags and roll < 0.25:
                    name = f"tag {seed} {n}"
                    Vocabulary(config.vocabulary_path).add(name)
                    say(f"tag\t{name}\n")
                elif rejects and roll < 0.35:
                    s = rng.randrange(0, len(article.text) - 60)
                    sug = _Suggestion(article.id, f"t{seed}", article.text[s:s + 50])
                    reject(config, sug)
                    say("rejected\t" + "|".join(rejection_key(sug.article_id, sug.tag,
                                                              sug.sentence)) + "\n")
                else:
                    s = rng.randrange(0, len(article.text) - 60)
                    e = s + rng.randint(3, 50)
                    if not article.text[s:e].strip():
                        continue
                    say("adding\n")  # the parent kills soon after this: mid-write
                    sys.stdout.flush()
                    ann = store.add(article, s, e, [rng.choice(TAGS)], note=f"w{seed} n{n}")
                    mine.append((article, ann.id))
                    say(f"saved\t{article.id}\t{ann.id}\n")
                sys.stdout.flush()
            except LockTimeout:  # refused after a long wait: said so, nothing lost
                say("refused\n")
                sys.stdout.flush()
    except BaseException as exc:  # noqa: BLE001 - report and leave, whatever happened
        sys.stdout.write(f"error\t{type(exc).__name__}: {exc} | "
                         + traceback.format_exc().replace("\n", " | ") + "\n")
        sys.stdout.flush()
        os._exit(1)
    os._exit(0)


@dataclass(frozen=True)
class _Suggestion:
    article_id: str
    tag: str
    sentence: str


def fork_writer(target: Callable[[], None]) -> tuple[int, int]:
    """Fork a child running ``target`` with its stdout on a pipe: (pid, read end)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        os.dup2(w, 1)
        sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True)
        try:
            target()
        finally:
            os._exit(3)
    os.close(w)
    return pid, r


def read_all(fd: int) -> str:
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="replace")


def wait_ready(fd: int, timeout: float = 30.0, marker: bytes = b"ready\n", count: int = 1
               ) -> str:
    """Read the child's output until ``marker`` came ``count`` times; returns what was
    read."""
    import select

    got = b""
    end = time.monotonic() + timeout
    while got.count(marker) < count and time.monotonic() < end:
        if select.select([fd], [], [], 0.1)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            got += chunk
    return got.decode("utf-8", errors="replace")


def check_store(config: Config, ledger: Ledger) -> list[str]:
    """Every annotation file reads; every annotation a writer said it saved is there unless
    it said it was deleting it."""
    from reader.annotations.store import AnnotationStore

    problems = []
    store = AnnotationStore(config.annotations_dir)
    present: set[str] = set()
    for _, found in store.iter_all():
        if found.error is not None:
            problems.append(f"broken after writes: {found.error}")
            continue
        present.update(a.id for a in found.annotations)
    for ann_id, article_id in ledger.saved.items():
        if ann_id not in present and ann_id not in ledger.deleting:
            problems.append(f"lost: annotation {ann_id} of {article_id}, reported as saved")
    for ann_id in ledger.deleted:
        if ann_id in present:
            problems.append(f"back from the dead: {ann_id} was reported deleted")
    return problems


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*.tmp")]


def files_outside(root: Path, inside: list[Path]) -> set[Path]:
    """Every file under ``root`` that is not under one of ``inside``."""
    out: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if any(here == p or p in here.parents for p in inside):
            dirnames[:] = []
            continue
        out.update(here / f for f in filenames)
    return out
