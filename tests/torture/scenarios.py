"""The torture scenarios, sized by their callers: the marked suite runs them long, the quick
slice short. Each returns (counts, problems); a problem is a loss, a traceback, a hang, a
rewritten broken file, a path outside the library, or an answer that was not the expected
one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from functools import partial
from pathlib import Path

from reader import yamlio
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.importing import sandbox
from reader.importing.importer import import_sources
from reader.library.articles import Library
from reader.review.rejected import RejectedFileError, load_rejected, reject
from tests.torture import hostile
from tests.torture.harness import (
    SEEDS,
    Commands,
    Ledger,
    _Suggestion,
    check_store,
    files_outside,
    fork_writer,
    make_library,
    read_all,
    temporaries,
    wait_ready,
    writer,
)

Result = tuple[Counter[str], list[str]]
SECRET = "PASSWORD=hunter2-not-for-reader"
QUOTE = "berjabat tangan cukup lama"  # once in the first bundled article


def _check_side_effects(root: Path, before: set[Path], library: Path) -> list[str]:
    after = files_outside(root, [library, root / "home", root / "xdg-cache", root / "xdg-data",
                                 root / "xdg-config"])
    new = sorted(str(p) for p in after - before)
    problems = [f"written outside the library: {p}" for p in new]
    if (Path.cwd() / "pwned").exists() or any(p.name == "pwned" for p in after):
        problems.append("code ran: a file named 'pwned' appeared")
    return problems


# -- kills and concurrent writers ------------------------------------------------------------

def kill_writers(root: Path, kills: int, cli_kills: int, seed: int = 1) -> Result:
    """Writers (the store API in forked processes, and ``reader annotate``) killed with
    SIGKILL at random moments; after each kill every file must read and every annotation
    reported as saved must be there."""
    config = make_library(root / "lib", copies=2)
    library = Library(config)
    ids = sorted(f.id for f in library.walk())
    store = AnnotationStore(config.annotations_dir)
    for article_id in ids[:2]:  # big files: a write takes long enough to be killed inside
        article = library.load(article_id)
        store.add_many(article, [(k, k + 4) for k in range(0, 1600, 5)
                                 if article.text[k:k + 4].strip()], ["treaties"])
    rng = random.Random(seed)
    ledger, counts, problems = Ledger(), Counter[str](), []
    left_before: set[Path] = set()
    for k in range(kills):
        pid, fd = fork_writer(partial(writer, config.library, ids, seed * 1000 + k,
                                      tags=k % 4 == 0, rejects=k % 5 == 0))
        out = wait_ready(fd, marker=b"adding\n", count=rng.randint(1, 2))
        if k % 2:  # the moment its temporary file appears: between write and rename
            _wait_for_temporary(config.annotations_dir, left_before, 10.0)
        else:  # anywhere inside store.add: reading, merging, writing, renaming
            time.sleep(rng.uniform(0.0, 0.5))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        out += read_all(fd)
        ledger.read(out)
        counts["kills"] += 1
        if "\nerror\t" in "\n" + out:
            problems.append(f"writer {k} failed: {out[out.index('error'):][:800]}")
        left = set(temporaries(config.annotations_dir))
        if left - left_before:
            counts["kills that left a temporary file (mid-write)"] += 1
        left_before = left
        problems += check_store(config, ledger)
    text = library.load(ids[0]).text
    for _ in range(cli_kills):
        s = rng.randrange(0, len(text) - 40)
        quote = text[s:s + rng.randint(8, 30)]
        if not quote.strip():
            continue
        p = subprocess.Popen([sys.executable, "-m", "reader", "--library", str(config.library),
                              "annotate", ids[0], "--quote", quote, "--occurrence", "1",
                              "--tag", "sanctions"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.3, 3.0))  # about when it loads, tags and writes
        p.send_signal(signal.SIGKILL)
        out, err = p.communicate()
        counts["kills of reader annotate"] += 1
        for line in out.splitlines():  # "<id>\t<article>\t<start-end>\t<tags>\t<quote>"
            ledger.saved[line.split("\t")[0]] = ids[0]
            counts["reader annotate runs that said saved"] += 1
        if "Traceback" in err:
            problems.append(f"traceback from reader annotate: {err[-800:]}")
        problems += check_store(config, ledger)
    problems += _check_vocabulary_and_rejections(config, ledger)
    counts["writes reported"] = len(ledger.saved) + len(ledger.deleted) + len(
        ledger.tags_added) + len(ledger.rejected)
    stale = temporaries(config.annotations_dir)
    counts["temporary files left by kills"] = len(stale)
    for tmp in stale:  # a minute later, the next write cleans them
        os.utime(tmp, (time.time() - 120, time.time() - 120))
    yamlio._CLEANED.clear()
    store.add(library.load(ids[-1]), 0, 5, ["sanctions"])
    problems += [f"temporary file not cleaned: {p}" for p in temporaries(config.annotations_dir)]
    return counts, problems


def _wait_for_temporary(folder: Path, known: set[Path], timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with os.scandir(folder) as it:
            if any(e.name.endswith(".tmp") and Path(e.path) not in known for e in it):
                return


def _check_vocabulary_and_rejections(config: Config, ledger: Ledger) -> list[str]:
    problems = []
    vocabulary = Vocabulary(config.vocabulary_path)
    if vocabulary.error is not None:
        problems.append(f"vocabulary broken after writes: {vocabulary.error}")
    problems += [f"lost: tag {t!r}, reported as added" for t in ledger.tags_added
                 if vocabulary.get(t) is None]
    try:
        rejected = load_rejected(config)
    except RejectedFileError as exc:
        return [*problems, f"rejected.yml broken after writes: {exc}"]
    for entry in ledger.rejected:
        if tuple(entry.split("|", 2)) not in rejected:
            problems.append(f"lost: rejection {entry!r}, reported as saved")
    return problems


def concurrent_writers(root: Path, processes: int, writes: int, seed: int = 2) -> Result:
    """``processes`` writers at once on one library (the same articles and their own),
    tagging, deleting, adding tags and rejecting suggestions: nothing any of them reported
    is lost."""
    config = make_library(root / "lib", copies=processes)
    ids = sorted(f.id for f in Library(config).walk())
    shared = ids[:2]
    children = []
    for k in range(processes):
        mine = [*shared, f"copy{k:03d}"]
        children.append(fork_writer(partial(writer, config.library, mine, seed * 100 + k,
                                            tags=True, rejects=True, limit=writes)))
    ledger, counts, problems = Ledger(), Counter[str](), []
    deadline = time.monotonic() + 60 + writes * processes * 0.5
    for pid, fd in children:
        out = read_all(fd)
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                problems.append(f"hang: writer {pid} did not finish")
            time.sleep(0.05)
        ledger.read(out)
        if "\nerror\t" in "\n" + out:
            problems.append(f"writer failed: {out[out.index('error'):][:800]}")
    counts["concurrent writers"] = processes
    counts["writes reported"] = sum(ledger.counts[k] for k in ("saved", "deleted", "tag",
                                                               "rejected"))
    counts["writes refused after a 15 s wait for the lock"] = ledger.counts["refused"]
    problems += check_store(config, ledger)
    problems += _check_vocabulary_and_rejections(config, ledger)
    return counts, problems


# -- hostile YAML ------------------------------------------------------------------------------

def hostile_annotation_files(root: Path, process: bool, only: set[str] | None = None) -> Result:
    """One library, one hostile annotation file per article; every command must work for
    the rest, name each broken file, and leave it as it was."""
    config = make_library(root / "lib")
    seed_text = SEEDS[0].read_bytes()
    library = Library(config)
    names = [h.name for h in hostile.annotation_files("x", "y")
             if only is None or h.name in only]
    cases = {}
    for name in names:
        article_id = f"h-{name}"
        (config.articles_dir / f"{article_id}.txt").write_bytes(seed_text)
        sha = library.load(article_id).sha256
        case = next(h for h in hostile.annotation_files(article_id, sha) if h.name == name)
        path = config.annotations_dir / f"{article_id}.yaml"
        path.write_bytes(case.data)
        cases[article_id] = (case, path)
    before = files_outside(root, [config.library])
    run = Commands(config, process=process)
    broken = [path for case, path in cases.values() if case.broken]
    checked = run("check", ok=(1,) if broken else (0,))
    run.problems += [f"check did not name {p}" for p in broken if str(p) not in checked.out]
    for args in (["annotations"], ["annotations", "--json"], ["tags"], ["list"],
                 ["suggest", "--tag", "sanctions"], ["overview"], ["search", "sanksi"],
                 ["export", "--format", "json", "--out", str(config.library / "e.json")],
                 ["export", "--format", "w3c", "--out", str(config.library / "e.jsonld")]):
        run(*args)
    for article_id, (case, path) in cases.items():
        answer = run("annotate", article_id, "--quote", QUOTE, "--tag", "treaties",
                     ok=(1,) if case.broken else (0,))
        if case.broken and str(path) not in answer.err:
            run.problems.append(f"annotate {article_id}: the broken file is not named")
    renamed = run("tags", "--rename", "sanctions", "embargo", ok=(1,) if broken else (0,))
    run.problems += [f"rename did not name {p}" for p in broken if str(p) not in renamed.err]
    store = AnnotationStore(config.annotations_dir)
    for article_id, (case, path) in cases.items():
        if case.broken and path.read_bytes() != case.data:
            run.problems.append(f"broken file rewritten: {path.name} ({case.name})")
        if not case.broken and store.load_raw(article_id).error is not None:
            run.problems.append(f"a good file is refused: {case.name}: "
                                f"{store.load_raw(article_id).error}")
    run.problems += _check_side_effects(root, before, config.library)
    return Counter({"hostile annotation files": len(cases), "commands": run.runs}), run.problems


def hostile_vocabularies(root: Path, process: bool, only: set[str] | None = None) -> Result:
    config = make_library(root / "lib")
    cases = [h for h in hostile.vocabulary_files() if only is None or h.name in only]
    before = files_outside(root, [config.library])
    run = Commands(config, process=process)
    path = config.vocabulary_path
    for case in cases:
        path.write_bytes(case.data)
        run("tags")
        checked = run("check", ok=(1,) if case.broken else (0, 1))
        annotated = run("annotate", SEEDS[0].stem, "--quote", QUOTE, "--tag", "sanctions",
                        ok=(0,) if case.broken else (0, 1))
        added = run("tags", "--add", "baru", ok=(1,) if case.broken else (0, 1))
        if case.broken:
            if str(path) not in checked.out or str(path) not in annotated.err \
                    or str(path) not in added.err:
                run.problems.append(f"vocabulary {case.name}: not named by every command")
            if path.read_bytes() != case.data:
                run.problems.append(f"broken vocabulary rewritten: {case.name}")
    run.problems += _check_side_effects(root, before, config.library)
    return Counter({"hostile vocabularies": len(cases), "commands": run.runs}), run.problems


def hostile_rejections(root: Path, process: bool, only: set[str] | None = None) -> Result:
    config = make_library(root / "lib")
    cases = [h for h in hostile.rejected_files() if only is None or h.name in only]
    before = files_outside(root, [config.library])
    run = Commands(config, process=process)
    path = config.annotations_dir / "rejected.yml"
    sentence = SEEDS[0].read_text(encoding="utf-8")[:80]
    for case in cases:
        path.write_bytes(case.data)
        suggested = run("suggest", "--tag", "sanctions")
        checked = run("check", ok=(1,) if case.broken else (0,))
        try:
            reject(config, _Suggestion(SEEDS[0].stem, "sanctions", sentence))
            if case.broken:
                run.problems.append(f"rejected.yml {case.name}: a rejection was written")
        except RejectedFileError as exc:
            if not case.broken:
                run.problems.append(f"rejected.yml {case.name}: refused: {exc}")
        if case.broken:
            if str(path) not in checked.out or str(path) not in suggested.err:
                run.problems.append(f"rejected.yml {case.name}: not named")
            if path.read_bytes() != case.data:
                run.problems.append(f"broken rejected.yml rewritten: {case.name}")
    run.problems += _check_side_effects(root, before, config.library)
    return Counter({"hostile rejected.yml": len(cases), "commands": run.runs}), run.problems


# -- hostile articles and pages ----------------------------------------------------------------

def hostile_library(root: Path, process: bool, big: int, every: int = 1) -> Result:
    """Hostile front matter, hostile contents, hostile names and links, all in one library:
    every command answers for the rest, names the bad files, and never reads outside. Each
    ``every``-th article is shown and tagged."""
    config = make_library(root / "lib")
    d = config.articles_dir
    fm_cases = hostile.front_matter_articles()
    for case in fm_cases:
        (d / f"fm-{case.name}.md").write_bytes(case.data)
    articles = hostile.hostile_articles(big)
    for name, data in articles:
        (d / name).write_bytes(data)
    secret = root / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n", encoding="utf-8")
    (d / "loop").symlink_to(d, target_is_directory=True)
    (d / "secret.txt").symlink_to(secret)
    (d / "out").symlink_to(secret.parent, target_is_directory=True)
    (d / "passwd.md").symlink_to("/etc/passwd")
    (d / "dangling.txt").symlink_to(d / "nothing.txt")
    os.mkfifo(d / "pipe.txt")
    before = files_outside(root, [config.library])
    run = Commands(config, process=process, timeout=120)
    listed = run("list")
    for case in fm_cases:
        if case.broken and f"articles/fm-{case.name}.md: front matter" not in listed.err:
            run.problems.append(f"list did not name fm-{case.name}.md")
    for name in ("loop/", "secret.txt", "out/", "passwd.md", "dangling.txt", "pipe.txt",
                 "back\\slash.txt", "new\\nline.md", "bad\\xffbytes.txt"):
        if f"articles/{name}:" not in listed.err:
            run.problems.append(f"list did not report articles/{name}")
    for args in (["list", "--json"], ["index"], ["search", "sanksi"], ["search", "kata"],
                 ["suggest"], ["check"]):
        run(*args)
    ids = sorted(f.id for f in Library(config).walk())
    for article_id in ids[::every]:
        run("show", article_id)
        run("annotate", article_id, "--quote", "sanksi", "--occurrence", "1", "--tag",
            "sanctions", ok=(0, 1))
    for args in (["annotations"], ["export", "--format", "md", "--out",
                                   str(config.library / "e.md")], ["overview"], ["check"]):
        run(*args)
    leaked = [r for r in (listed,) if SECRET in r.out or "root:x:0" in r.out]
    run.problems += [f"read outside articles/: {r.args}" for r in leaked]
    run.problems += _check_side_effects(root, before, config.library)
    counts = Counter({"hostile front matter": len(fm_cases), "hostile articles": len(articles),
                      "links and pipes": 6, "articles listed": len(ids), "commands": run.runs})
    return counts, run.problems


def hostile_pages(root: Path, page_seconds: float) -> Result:
    """Saved web pages made to break an importer, imported as a folder; a link out of it and
    a pipe in it. Each page is one result; nothing is read from outside the folder."""
    config = make_library(root / "lib")
    folder = root / "pages"
    folder.mkdir()
    pages = hostile.hostile_pages()
    for name, data in pages:
        (folder / name).write_bytes(data)
    secret = root / "outside.txt"
    secret.write_text(SECRET + "\n\n" + hostile.BODY, encoding="utf-8")
    (folder / "secret.txt").symlink_to(secret)
    (folder / "passwd.html").symlink_to("/etc/passwd")
    os.mkfifo(folder / "pipe.html")
    before = files_outside(root, [config.library])
    problems: list[str] = []
    old = sandbox.EXTRACT_SECONDS
    sandbox.EXTRACT_SECONDS = page_seconds
    started = time.monotonic()
    try:
        report = import_sources(config, [str(folder)], tags=["hostile"])
    except BaseException as exc:  # noqa: BLE001 - the import must never raise
        return Counter(), [f"import raised {type(exc).__name__}: {exc}"]
    finally:
        sandbox.EXTRACT_SECONDS = old
    took = time.monotonic() - started
    if len(report.items) != len(pages) + 3:
        problems.append(f"{len(report.items)} results for {len(pages) + 3} sources")
    library = Library(config)
    for item in report.imported:
        article = library.load(item.article_id)
        if SECRET in article.text or "root:x:0" in article.text:
            problems.append(f"imported from outside the folder: {item.source}")
        if any("front matter" in w for w in article.meta.warnings) or \
                "evil" in article.front_matter:
            problems.append(f"{item.source}: imported front matter is not clean: "
                            f"{article.meta.warnings} {sorted(article.front_matter)}")
    problems += _check_side_effects(root, before, config.library)
    counts = Counter({"hostile pages": len(pages) + 3, "pages imported": len(report.imported),
                      "pages refused": len(report.failed),
                      "import seconds": int(took)})
    return counts, problems
