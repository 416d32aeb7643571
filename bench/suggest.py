"""Time ``reader suggest`` over libraries of N articles, as a user runs it (a fresh process,
bytecode and metadata cache warm), with the search index (only the articles whose indexed
words hold a cue are read) and without one (every article is looked at), per tag and for
every tag, so that the time is seen against the matches; against another checkout of
reader when one is given.

    python bench/suggest.py                      # 1k and 10k, from /tmp/reader-bench
    python bench/suggest.py 1000 --runs 5
    python bench/suggest.py 1000 --baseline /tmp/reader-main   # a checkout to compare with

The libraries and their indexes are ``--base``/lib-N and index-N as ``bench/search.py``
builds them (copied first: the command brings the index up to date and fills caches);
where they are missing the library is built from the real corpora (``bench/corpus.py``)
and indexed. Prints, per size, mode and tags, the median wall and CPU seconds, the number
of suggestions and of the articles they are in.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build_corpus  # noqa: E402

TAG_SETS: dict[str, list[str]] = {"every tag": [], "sanctions": ["sanctions"],
                                  "treaties": ["treaties"],
                                  "military cooperation": ["military cooperation"]}


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(library: Path, index: Path, source: Path, cache: Path, tags: list[str]
        ) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of one ``reader suggest --json``, how many suggestions it
    printed and in how many articles."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(source), "READER_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "reader", "--library", str(library), "--index", str(index),
           "suggest", "--json"]
    for tag in tags:
        cmd += ["--tag", tag]
    cpu, start = _cpu(), time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=source, capture_output=True, check=True,
                         text=True).stdout
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    found = json.loads(out)
    return wall, cpu, len(found), len({s["article"] for s in found})


def _cache_of(library: Path, cache_root: Path | None) -> Path:
    """The library's cache folder, in ``cache_root`` (None: the user's)."""
    from reader.config import ENV_CACHE, Config

    old = os.environ.pop(ENV_CACHE, None)
    if cache_root is not None:
        os.environ[ENV_CACHE] = str(cache_root)
    try:
        return Config.from_args(library).cache_dir
    finally:
        os.environ.pop(ENV_CACHE, None)
        if old is not None:
            os.environ[ENV_CACHE] = old


def prepare(n: int, base: Path, root: Path) -> tuple[Path, Path]:
    """A library of ``n`` articles and its index, in ``root`` (copies: never written in
    ``base``), with the Indonesian stems the index was built with (``stems.bin``, as a
    user who built the index has it)."""
    library, index = root / f"lib-{n}", root / f"index-{n}"
    if (base / f"lib-{n}").is_dir() and (base / f"index-{n}").is_dir():
        shutil.copytree(base / f"lib-{n}", library, symlinks=True)  # mtimes kept
        shutil.copytree(base / f"index-{n}", index)
        stems = _cache_of(base / f"lib-{n}", None) / "stems.bin"
        if stems.is_file():
            cache = _cache_of(library, root / "cache")
            cache.mkdir(parents=True, exist_ok=True)
            shutil.copy2(stems, cache / "stems.bin")
        return library, index
    build_corpus(n, library)
    subprocess.run([sys.executable, "-m", "reader", "--library", str(library), "--index",
                    str(index), "index"], cwd=REPO, check=True)
    return library, index


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--base", type=Path, default=Path("/tmp/reader-bench"),
                    help="where lib-N and index-N are (read only)")
    ap.add_argument("--baseline", type=Path, help="another checkout of reader to compare with")
    ap.add_argument("--keep", type=Path, help="work here (kept) instead of a temporary folder")
    ap.add_argument("--tags", choices=sorted(TAG_SETS), action="append",
                    help="only these tag sets (default: all)")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="reader-bench-suggest-"))
    sources = {"this": REPO} | ({"baseline": args.baseline} if args.baseline else {})
    for n in args.sizes:
        library, index = prepare(n, args.base, root)
        modes = {"index": index, "scan": root / f"no-index-{n}"}
        for name in args.tags or TAG_SETS:
            tags = TAG_SETS[name]
            for mode, folder in modes.items():
                for source in sources.values():  # bytecode, metadata cache, index update
                    run(library, folder, source, root / "cache", tags)
                walls: dict[str, list[float]] = {s: [] for s in sources}
                cpus: dict[str, list[float]] = {s: [] for s in sources}
                counts: dict[str, tuple[int, int]] = {}
                for _ in range(args.runs):
                    for label, source in sources.items():
                        wall, cpu, found, articles = run(library, folder, source,
                                                         root / "cache", tags)
                        walls[label].append(wall)
                        cpus[label].append(cpu)
                        counts[label] = (found, articles)
                for label in sources:
                    found, articles = counts[label]
                    print(f"{n:>7} articles  {label:8} {mode:5} {name:20} wall "
                          f"{statistics.median(walls[label]):5.2f} s (min "
                          f"{min(walls[label]):.2f}), CPU {statistics.median(cpus[label]):5.2f}"
                          f" s; {found} suggestions in {articles} articles", flush=True)


if __name__ == "__main__":
    main()
