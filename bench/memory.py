"""Memory of the reader (TUI), headless: its resident size (RSS) and peak (VmHWM) after each
step of a session on a library of N articles: started, the list shown and the index up to
date, several searches typed, an article opened from the results, back to the list.

    python bench/memory.py 100000 --base /tmp/suggest-bench     # goal: peak under 300 MB
    python bench/memory.py 100000 --typed --each                # a key at a time
    python bench/memory.py 10000 --trace                        # what holds the memory

The library (``--base``/lib-N) and its index (``--base``/index-N) are those of
``bench/search.py``; the reader opens them as a user would (its list, its watcher, its
index keeper, which may write the index's stamps: give it copies). ``--trace`` runs
tracemalloc (slower) and prints the lines that hold the most memory at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

QUERIES = ["sanksi", "pemerintah", "said", "kerja sama", '"prime minister"', "minist*",
           "goverment~", "oil OR gas", "lang:en market", "ekonomi"]
GOAL_MB = 300


Step = tuple[str, float, float, float, float]  # what, RSS, peak, anonymous, file-backed


def status_mb() -> tuple[float, float, float, float]:
    """(VmRSS, VmHWM, RssAnon, RssFile) of this process in MB, from /proc/self/status. The
    file-backed part is mostly the search index's files, which Whoosh maps into memory:
    pages read by searches stay counted while mapped (the system may drop them)."""
    found: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                found[key] = int(value.split()[0]) / 1024
    return (found.get("VmRSS", 0.0), found.get("VmHWM", 0.0), found.get("RssAnon", 0.0),
            found.get("RssFile", 0.0))


def mapped_files(top: int = 8) -> list[tuple[float, str]]:
    """The files mapped into this process holding the most resident memory (MB, path)."""
    per: dict[str, float] = {}
    path = ""
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as f:
        for line in f:
            head = line.split(maxsplit=5)
            if len(head) >= 5 and "-" in head[0] and ":" in head[3]:
                path = head[5].strip() if len(head) > 5 else "[anonymous]"
            elif line.startswith("Rss:"):
                per[path] = per.get(path, 0.0) + int(line.split()[1]) / 1024
    return sorted(((mb, p) for p, mb in per.items() if p.startswith("/")), reverse=True)[:top]


async def run(lib: Path, index_dir: Path, trace: bool, typed: bool, each: bool
              ) -> list[Step]:
    from reader.config import Config
    from reader.ui.app import ReaderApp

    steps: list[Step] = [("imported", *status_mb())]
    app = ReaderApp(Config.from_args(lib, index_dir))
    t0 = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        screen: Any = None
        while True:
            screen = app.main_screen
            if (screen is not None and screen.article_list.display
                    and app.services.keeper.idle and screen.search._index_ready):
                break
            await asyncio.sleep(0.2)
            if time.perf_counter() - t0 > 1800:
                raise SystemExit("the reader did not get ready in 30 minutes")
        steps.append((f"list shown, index up to date ({time.perf_counter() - t0:.0f} s)",
                      *status_mb()))
        await pilot.press("slash")
        for query in QUERIES:
            if typed:  # a key at a time, as a user types: a search for each pause
                screen.search_bar.value = ""
                for ch in query:
                    await pilot.press(ch if ch != " " else "space")
                    await asyncio.sleep(0.1)
            else:
                screen.search_bar.value = query
            started = time.perf_counter()
            while screen.search_results.query_text != query:
                await asyncio.sleep(0.02)
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"no results for {query!r}")
            if each:
                steps.append((f"  searched {query}", *status_mb()))
        steps.append((f"{len(QUERIES)} searches{' typed' if typed else ''}", *status_mb()))
        await pilot.press("down", "enter")  # the first result, opened at its hits
        started = time.perf_counter()
        while screen.view.article is None and time.perf_counter() - started < 60:
            await asyncio.sleep(0.05)
        await pilot.pause(0.5)
        title = screen.view.article.meta.title[:40] if screen.view.article else "none"
        steps.append((f"an article open ({title})", *status_mb()))
        await pilot.press("escape", "escape")
        await pilot.pause(0.5)
        steps.append(("back to the list", *status_mb()))
        print("the files mapped into memory holding the most:")
        for mb, name in mapped_files():
            print(f"  {mb:7.1f} MB  {name}")
        if trace:
            snapshot = tracemalloc.take_snapshot()
            print("what holds the most memory (tracemalloc, by line):")
            for stat in snapshot.statistics("lineno")[:20]:
                print(f"  {stat.size / 2**20:7.1f} MB  {stat.count:>9,}  {stat.traceback}")
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Memory of the reader (see the docstring).")
    parser.add_argument("size", type=int)
    parser.add_argument("--base", type=Path, default=Path("/tmp/reader-bench"))
    parser.add_argument("--trace", action="store_true", help="tracemalloc: what holds memory")
    parser.add_argument("--typed", action="store_true",
                        help="type each query a key at a time (a search at each pause)")
    parser.add_argument("--each", action="store_true", help="the memory after each query")
    args = parser.parse_args(argv)
    if args.trace:
        tracemalloc.start()
    steps = asyncio.run(run(args.base / f"lib-{args.size}", args.base / f"index-{args.size}",
                            args.trace, args.typed, args.each))
    print(f"{args.size:,} articles, the reader headless at 120x40:")
    for what, rss, peak, anon, mapped in steps:
        print(f"  {what:50} RSS {rss:4.0f} MB (anonymous {anon:4.0f}, files {mapped:4.0f})"
              f"  peak {peak:4.0f} MB")
    peak = max(step[2] for step in steps)
    print(f"peak RSS {peak:.0f} MB: {'within' if peak <= GOAL_MB else 'over'} the goal of "
          f"{GOAL_MB} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
