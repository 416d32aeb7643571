"""Search as you type in the reader (TUI), headless: the time from the last keystroke of a
query to its results on screen, and the peak RSS of the reader with the library open and
searched.

    python bench/keystrokes.py 100000 --base /tmp/reader-bench   # bench/search.py built it

The library (``--base``/lib-N) and its index (``--base``/index-N) are those of
``bench/search.py``; the reader opens them as a user would (its list, its watcher, its
index keeper), then each query is typed a key at a time, ``--gap`` seconds apart (a fast
typist: 0.1 s), and the time from its last key to its results shown is taken.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

WORDS = ["sanksi", "pemerintah", "said", "kerja sama", "election", "harga minyak",
         '"prime minister"', "inflasi", "kunjungan", "minist*", "oil OR gas", "presiden",
         "government", "ekonomi", "market", "bank indonesia", "sanctions", "menteri",
         "goverment~", "lang:en market"]


async def run(lib: Path, index_dir: Path, gap: float, debounce: float | None) -> dict[str, Any]:
    from reader.config import Config
    from reader.ui.app import ReaderApp
    from reader.ui.widgets import search_pane
    from reader.ui.widgets.search_pane import SearchPane

    if debounce is not None:
        search_pane.DEBOUNCE = debounce

    shown: list[tuple[float, str]] = []
    original = SearchPane._show_results

    def spy(self: SearchPane, generation: int, query: str, *args: Any) -> None:
        shown.append((time.perf_counter(), query))
        original(self, generation, query, *args)

    SearchPane._show_results = spy  # type: ignore[method-assign,assignment]
    app = ReaderApp(Config.from_args(lib, index_dir))
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        keeper = app.services.keeper
        while not (app.main_screen is not None and app.main_screen.article_list.display
                   and keeper.idle and app.main_screen.search._index_ready):
            await asyncio.sleep(0.1)
            if time.perf_counter() - t0 > 900:
                raise SystemExit("the reader did not get ready in 15 minutes")
        out["ready_s"] = time.perf_counter() - t0
        latencies = []
        for word in WORDS:
            await pilot.press("slash")
            app.main_screen.search_bar.value = ""
            await pilot.pause(0.3)
            last = 0.0
            for ch in word:
                last = time.perf_counter()
                await pilot.press(ch if ch != " " else "space")
                await asyncio.sleep(gap)
            while not any(q == word and t > last for t, q in shown):
                await asyncio.sleep(0.005)
                if time.perf_counter() - last > 10:
                    raise SystemExit(f"no results shown for {word!r}")
            done = min(t for t, q in shown if q == word and t > last)
            latencies.append(done - last)
            await pilot.press("escape")
            await pilot.pause(0.2)
        out["latencies"] = latencies
        out["debounce"] = search_pane.DEBOUNCE
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search as you type (see module docstring).")
    parser.add_argument("size", type=int)
    parser.add_argument("--base", type=Path, default=Path("/tmp/reader-bench"))
    parser.add_argument("--gap", type=float, default=0.1, help="seconds between keys")
    parser.add_argument("--debounce", type=float, default=None,
                        help="the search box's pause before it searches (default: the app's)")
    args = parser.parse_args(argv)
    found = asyncio.run(run(args.base / f"lib-{args.size}", args.base / f"index-{args.size}",
                            args.gap, args.debounce))
    lat = sorted(found["latencies"])
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    print(f"{args.size:,} articles: reader ready (list, index up to date) in "
          f"{found['ready_s']:.1f} s; last keystroke to results p50/p95/max "
          f"{statistics.median(lat) * 1000:.0f}/{p95 * 1000:.0f}/{lat[-1] * 1000:.0f} ms over "
          f"{len(lat)} queries typed {args.gap * 1000:.0f} ms a key (the box waits "
          f"{found['debounce'] * 1000:.0f} ms); peak RSS "
          f"{found['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
