"""Search benchmark: index build, start-up, one change, query latency vs ripgrep and FTS5.

    python bench/search.py                  # 1k and 10k
    python bench/search.py 1000 10000 100000 --base /tmp/reader-bench

For each N a library is built once with ``bench/corpus.py`` (kept under ``--base`` and
reused), then:

- full build of the index (``SearchIndex.update(rebuild=True)``): seconds, articles/s, size;
- start-up with nothing changed: ``update()`` on a fresh ``SearchIndex`` (median of 3);
- one changed article taken in: append a line to one file, ``update()`` (median of 3), and
  ``update(paths=[that file])`` as the app does after its own scan;
- query latency, top 20 with snippets, per kind (word, two words, phrase, field, prefix,
  fuzzy, OR), p50/p95 over queries x repeats;
- baselines on the same files in the same run: ``rg -l -i TERM`` (one run per query) and
  SQLite FTS5 (unicode61, diacritics removed; bm25 + snippet(), top 20), with ratios.

Figures go to stdout as a Markdown table and to ``--json`` when given. The machine may be
shared: run it on a quiet machine, and read the figures as indicative.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build_corpus  # noqa: E402
from reader.config import Config  # noqa: E402
from reader.search.index import SearchIndex  # noqa: E402

# (kind, our query, ripgrep pattern, FTS5 match)
QUERIES: list[tuple[str, str, str, str]] = [
    ("word", "sanksi", "sanksi", "sanksi"),
    ("word", "pemerintah", "pemerintah", "pemerintah"),
    ("word", "sanctions", "sanctions", "sanctions"),
    ("word", "election", "election", "election"),
    ("word", "kunjungan", "kunjungan", "kunjungan"),
    ("word", "inflasi", "inflasi", "inflasi"),
    ("two words", "harga minyak", "harga", "harga minyak"),
    ("two words", "prime minister", "prime", "prime minister"),
    ("two words", "kerja sama", "kerja", "kerja sama"),
    ("phrase", '"kerja sama"', "kerja sama", '"kerja sama"'),
    ("phrase", '"prime minister"', "prime minister", '"prime minister"'),
    ("phrase", '"bank indonesia"', "bank indonesia", '"bank indonesia"'),
    ("phrase", '"the government said"', "the government said", '"the government said"'),
    ("field", "source:bbc election", "election", "election"),
    ("field", "title:inflasi", "inflasi", "title:inflasi"),
    ("field", "lang:en market", "market", "market"),
    ("field", "date:[2016-06-01 TO 2016-12-31] presiden", "presiden", "presiden"),
    ("prefix", "ekonom*", "ekonom", "ekonom*"),
    ("prefix", "minist*", "minist", "minist*"),
    ("fuzzy", "goverment~", "goverment", "goverment"),
    ("fuzzy", "sanksii~", "sanksii", "sanksii"),
    ("OR", "sanksi OR embargo", "sanksi|embargo", "sanksi OR embargo"),
    ("OR", "oil OR gas", "oil|gas", "oil OR gas"),
]
REPEATS = 5


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_ours(lib: Path, index_dir: Path, reuse: bool = False) -> dict[str, Any]:
    config = Config.from_args(lib, index_dir)
    out: dict[str, Any] = {}
    if reuse and (index_dir / "manifest.bin").is_file():
        report = SearchIndex(config).update()  # brings it up to date; no build figures
        out["build_s"], out["articles"], out["rate"] = float("nan"), report.total, float("nan")
    else:
        shutil.rmtree(index_dir, ignore_errors=True)
        t0 = time.perf_counter()
        report = SearchIndex(config).update(rebuild=True)
        out["build_s"] = time.perf_counter() - t0
        out["articles"] = report.total
        out["rate"] = report.total / out["build_s"]
    out["size_mb"] = dir_size(index_dir) / 1e6
    startups = []
    for _ in range(3):
        t0 = time.perf_counter()
        r = SearchIndex(config).update()
        startups.append(time.perf_counter() - t0)
        assert r.unchanged, r.summary()
    out["startup_s"] = statistics.median(startups)
    changes = []
    victim = sorted((lib / "articles").rglob("*.txt"))[len(startups) * 7]
    ix = SearchIndex(config)
    ix.update()
    for i in range(3):
        with victim.open("a", encoding="utf-8") as fh:
            fh.write(f"\nTambahan {i}: catatan redaksi.\n")
        t0 = time.perf_counter()
        r = ix.update()
        changes.append(time.perf_counter() - t0)
        assert r.changed, r.summary()
    out["change_s"] = statistics.median(changes)
    # The same, with the file named by the caller (the app names what its own scan saw change)
    named = []
    rel = victim.relative_to(lib / "articles").as_posix()
    for i in range(3):
        with victim.open("a", encoding="utf-8") as fh:
            fh.write(f"\nTambahan lagi {i}.\n")
        t0 = time.perf_counter()
        r = ix.update(paths=[rel])
        named.append(time.perf_counter() - t0)
        assert r.changed, r.summary()
    out["change_named_s"] = statistics.median(named)
    # Queries: a warm searcher, as in the app.
    lat: dict[str, list[float]] = {}
    ix.search("warmup")
    for kind, q, _, _ in QUERIES:
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            ix.search(q, limit=20)
            lat.setdefault(kind, []).append(time.perf_counter() - t0)
    out["queries"] = lat
    out["hits"] = {q: len(ix.search(q, limit=20)) for _, q, _, _ in QUERIES}
    return out


def bench_rg(lib: Path) -> dict[str, list[float]]:
    rg = shutil.which("rg")
    lat: dict[str, list[float]] = {}
    if rg is None:
        return lat
    for kind, _, pattern, _ in QUERIES:
        t0 = time.perf_counter()
        subprocess.run([rg, "-l", "-i", pattern, str(lib / "articles")],
                       stdout=subprocess.DEVNULL, check=False)
        lat.setdefault(kind, []).append(time.perf_counter() - t0)
    return lat


def bench_fts(lib: Path, db: Path) -> tuple[dict[str, Any], dict[str, list[float]]]:
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, "
                "tokenize='unicode61 remove_diacritics 2')")
    t0 = time.perf_counter()
    rows = []
    for p in sorted((lib / "articles").rglob("*.txt")):
        text = p.read_text(encoding="utf-8")
        title = ""
        if text.startswith("---\n"):
            end = text.find("\n---", 4)
            for line in text[4:end].splitlines():
                if line.startswith("title:"):
                    title = line[6:].strip().strip('"')
            text = text[end + 5:]
        rows.append((title, text))
        if len(rows) >= 2000:
            con.executemany("INSERT INTO t(title, body) VALUES (?, ?)", rows)
            rows = []
    con.executemany("INSERT INTO t(title, body) VALUES (?, ?)", rows)
    con.commit()
    info = {"build_s": time.perf_counter() - t0, "size_mb": db.stat().st_size / 1e6}
    lat: dict[str, list[float]] = {}
    sql = ("SELECT rowid, bm25(t), snippet(t, 1, '[', ']', '…', 24) FROM t "
           "WHERE t MATCH ? ORDER BY bm25(t) LIMIT 20")
    for kind, _, _, match in QUERIES:
        con.execute(sql, (match,)).fetchall()
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            con.execute(sql, (match,)).fetchall()
            lat.setdefault(kind, []).append(time.perf_counter() - t0)
    con.close()
    return info, lat


def ms(x: float) -> str:
    return f"{x * 1000:.0f}" if x == x else "-"


def report(n: int, ours: dict[str, Any], rg: dict[str, list[float]],
           fts_info: dict[str, Any], fts: dict[str, list[float]]) -> str:
    lines = [f"### {n:,} articles", "",
             f"- build: {ours['build_s']:.1f} s ({ours['rate']:.0f} articles/s), index "
             f"{ours['size_mb']:.0f} MB (FTS5: {fts_info['build_s']:.1f} s, "
             f"{fts_info['size_mb']:.0f} MB)",
             f"- start-up with nothing changed: {ours['startup_s'] * 1000:.0f} ms; "
             f"one changed article: {ours['change_s'] * 1000:.0f} ms (found by the walk), "
             f"{ours['change_named_s'] * 1000:.0f} ms (named by the caller)", "",
             "| query kind | reader p50/p95 ms | FTS5 p50/p95 ms | rg p50/p95 ms "
             "| ratio p95 vs FTS5 | ratio p95 vs rg |",
             "|---|---|---|---|---|---|"]
    kinds = list(dict.fromkeys(k for k, *_ in QUERIES)) + ["all"]
    for kind in kinds:
        def pick(d: dict[str, list[float]], kind: str = kind) -> list[float]:
            return [v for vs in d.values() for v in vs] if kind == "all" else d.get(kind, [])
        o, f, r = pick(ours["queries"]), pick(fts), pick(rg)
        rf = pct(o, 95) / pct(f, 95) if f else float("nan")
        rr = pct(o, 95) / pct(r, 95) if r else float("nan")
        lines.append(f"| {kind} | {ms(pct(o, 50))}/{ms(pct(o, 95))} | "
                     f"{ms(pct(f, 50))}/{ms(pct(f, 95))} | {ms(pct(r, 50))}/{ms(pct(r, 95))} | "
                     f"{rf:.1f}x | {rr:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search benchmark (see module docstring).")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--base", type=Path, default=Path("/tmp/reader-bench"),
                        help="where corpora and indexes are kept (default /tmp/reader-bench)")
    parser.add_argument("--json", type=Path, default=None, help="write all figures here")
    parser.add_argument("--reuse", action="store_true",
                        help="keep an index built by an earlier run (skip the build figures)")
    args = parser.parse_args(argv)
    results = {}
    for n in args.sizes:
        lib = build_corpus(n, args.base / f"lib-{n}")
        print(f"[{n}] corpus ready; indexing…", file=sys.stderr, flush=True)
        ours = bench_ours(lib, args.base / f"index-{n}", args.reuse)
        print(f"[{n}] ours done; baselines…", file=sys.stderr, flush=True)
        rg = bench_rg(lib)
        fts_info, fts = bench_fts(lib, args.base / f"fts-{n}.sqlite3")
        print(report(n, ours, rg, fts_info, fts), flush=True)
        print(flush=True)
        results[n] = {"ours": ours, "rg": rg, "fts": fts, "fts_info": fts_info}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
