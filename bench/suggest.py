"""Time ``reader suggest`` over libraries of N articles, as a user runs it (a fresh process,
metadata cache warm), against another checkout of reader when one is given.

    python bench/suggest.py                      # 1k and 10k
    python bench/suggest.py 1000 --runs 5
    python bench/suggest.py 1000 --baseline /tmp/reader-main   # a checkout to compare with

Libraries come from ``bench/corpus.py`` (the real corpora, repeated with variations past
~6,300 articles). Prints, per size, the median and range of the wall time of
``reader --library LIB suggest --json`` and the number of suggestions; with ``--baseline``
the same for that checkout (run with its ``reader`` package first on ``PYTHONPATH``), the
two interleaved so that a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build_corpus  # noqa: E402


def run(library: Path, source: Path) -> tuple[float, int]:
    """Wall seconds of one ``reader suggest --json`` and how many suggestions it printed."""
    env = dict(os.environ, PYTHONPATH=str(source))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "reader", "--library", str(library), "suggest",
                          "--json"], env=env, cwd=source, capture_output=True, check=True,
                         text=True).stdout
    return time.perf_counter() - start, len(json.loads(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline", type=Path, help="another checkout of reader to compare with")
    ap.add_argument("--keep", type=Path, help="build the libraries here (kept)")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="reader-bench-suggest-"))
    for n in args.sizes:
        library = build_corpus(n, root / f"lib{n}")
        sources = {"this": REPO} | ({"baseline": args.baseline} if args.baseline else {})
        for source in sources.values():  # the metadata cache, and a first import
            run(library, source)
        times: dict[str, list[float]] = {name: [] for name in sources}
        counts: dict[str, int] = {}
        for _ in range(args.runs):
            for name, source in sources.items():
                seconds, counts[name] = run(library, source)
                times[name].append(seconds)
        for name, values in times.items():
            print(f"{n:>7} articles  {name:8}  median {statistics.median(values):.2f} s "
                  f"(min {min(values):.2f}, max {max(values):.2f}), "
                  f"{counts[name]} suggestions", flush=True)


if __name__ == "__main__":
    main()
