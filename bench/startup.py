"""Time to first screen of the TUI at 1k, 10k and 100k articles, cold and warm.

    python bench/startup.py                 # 1k and 10k
    python bench/startup.py 1000 10000 100000

For each size a library is built once in a temp folder (``bench/corpus.py`` when present,
else texts cycled from ``../shared/corpora`` or generated). Each measurement runs the app
headless in a fresh process and reports, from process start:

- ``screen``: the app is mounted (the first screen is up),
- ``list``: the article list shows rows,
- ``page``: mean time to move the list a page down and render every visible row (the
  list's own cost of scrolling; keypress dispatch adds a few ms).

``cold`` removes the library's cache folder first; ``warm`` runs again with it in place.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def build_simple(n: int, dest: Path) -> None:
    """``n`` articles under ``dest/articles`` (1,000 per sub-folder), texts from the corpora."""
    texts: list[str] = []
    if CORPORA.is_dir():
        for path in sorted(CORPORA.rglob("*.txt"))[:2000]:
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    if not texts:
        texts = ["Headline number {i}\n\nJAKARTA, Kantor Berita - Rabu (19/6/2024) " +
                 "kalimat berita yang cukup panjang. " * 40]
    articles = dest / "articles"
    for i in range(n):
        folder = articles / f"part{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}.txt").write_text(texts[i % len(texts)].replace("{i}", str(i)),
                                            encoding="utf-8")
    (dest / "annotations").mkdir(exist_ok=True)


def build(n: int, dest: Path) -> None:
    sys.path.insert(0, str(REPO))
    try:
        from bench.corpus import build_corpus
    except ImportError:
        build_simple(n, dest)
        return
    build_corpus(n, dest)


async def measure(library: str, started: float) -> dict[str, float]:
    from reader.config import Config
    from reader.ui.app import ReaderApp

    app = ReaderApp(Config.from_args(library))
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        out["screen"] = time.monotonic() - started
        while app.first_list_at is None:
            await asyncio.sleep(0.005)
        out["list"] = app.first_list_at - started
        out["rows"] = float(len(app.articles))
        await pilot.pause()
        screen = app.main_screen
        assert screen is not None
        rows = screen.article_list
        pages = 50
        t0 = time.perf_counter()
        for _ in range(pages):
            rows.action_page_down()
            for y in range(rows.size.height):
                rows.render_line(y)
        out["page"] = (time.perf_counter() - t0) / pages
        # let the first read of the library finish (it fills the cache the warm run reads);
        # a first search-index build is not part of this measure
        while any(w.group == "library-scan" and w.is_running for w in app.workers):
            await asyncio.sleep(0.05)
        app.workers.cancel_all()
    return out


def child_env() -> dict[str, str]:
    """The environment of an installed program: byte code is cached (``pip install`` compiles
    it), so a child does not recompile Textual at each start."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up() -> None:
    """Import the app once so the byte code is cached before anything is timed."""
    subprocess.run([sys.executable, "-c", "import reader.ui.app"], env=child_env(), check=True)


def run_child(library: Path) -> dict[str, float]:
    started = time.monotonic()
    env = dict(child_env(), READER_BENCH_STARTED=repr(started))
    proc = subprocess.run([sys.executable, __file__, "--child", str(library)], env=env,
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"child failed:\n{proc.stderr[-3000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--child", metavar="LIBRARY", help=argparse.SUPPRESS)
    parser.add_argument("--keep", metavar="DIR", help="build libraries here and keep them")
    args = parser.parse_args()
    if args.child:
        started = float(os.environ["READER_BENCH_STARTED"])
        print(json.dumps(asyncio.run(measure(args.child, started))))
        return

    from reader.config import Config

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reader-bench-"))
    warm_up()
    print(f"{'articles':>9} {'run':>5} {'screen s':>9} {'list s':>8} {'page ms':>8}")
    baseline: float | None = None
    try:
        for n in args.sizes:
            lib = root / f"lib{n}"
            if not (lib / "articles").is_dir():
                t0 = time.perf_counter()
                build(n, lib)
                print(f"  (built {n:,} articles in {time.perf_counter() - t0:.1f} s)")
            for run in ("cold", "warm"):
                if run == "cold":
                    shutil.rmtree(Config.from_args(lib).cache_dir, ignore_errors=True)
                r = run_child(lib)
                if baseline is None:
                    baseline = r["list"]
                print(f"{n:>9,} {run:>5} {r['screen']:>9.2f} {r['list']:>8.2f} "
                      f"{r['page'] * 1000:>8.1f}   x{r['list'] / baseline:.1f} vs first")
                sys.stdout.flush()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
