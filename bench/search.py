"""Search benchmark: index build, start-up, one change, query latency vs ripgrep and FTS5,
the command line as a whole process, peak memory, and a fixed relevance check.

    python bench/search.py --quick                       # 10k, a few minutes once built
    python bench/search.py 10000 100000 --base /tmp/reader-bench --reuse
    python bench/search.py --quick --code /tmp/reader-old   # the same, another checkout

For each N a library is built once with ``bench/corpus.py`` (kept under ``--base`` and
reused, as is its index with ``--reuse``), then, each in a process of its own (so peak RSS
is the measured work's own):

- full build of the index (``SearchIndex.update(rebuild=True)``): seconds, articles/s, size,
  peak RSS of the building process and of its worker processes;
- start-up with nothing changed: ``update()`` on a fresh ``SearchIndex`` (median of 3);
- one changed article taken in: append a line to one file, ``update()`` (median of 3), and
  ``update(paths=[that file])`` as the app does after its own scan;
- query latency, top 20 with snippets, per kind (word, two words, phrase, field, prefix,
  fuzzy, OR), p50/p95 over queries x repeats from a warm searcher, with the cache of recent
  results off; peak RSS of that process;
- ``reader search sanksi --json`` as a whole process (median of 3), next to ``rg -l -i``;
- relevance: the top 5 of every query against ``bench/relevance-N.json`` (``--save-relevance``
  writes it), each change printed;
- baselines on the same files in the same run: ``rg -l -i TERM`` (one run per query) and
  SQLite FTS5 (unicode61, diacritics removed; bm25 + snippet(), top 20), with ratios.

``--code DIR`` runs another checkout's ``reader`` (an A/B comparison: run both, alternately).
Figures go to stdout as a Markdown table and to ``--json`` when given. The machine may be
shared: read the figures as indicative, and compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # a measured process has the checkout first (PYTHONPATH)
    sys.path.append(str(REPO))

from bench.corpus import build_corpus  # noqa: E402

# (kind, our query, ripgrep pattern, FTS5 match)
QUERIES: list[tuple[str, str, str, str]] = [
    ("word", "sanksi", "sanksi", "sanksi"),
    ("word", "pemerintah", "pemerintah", "pemerintah"),
    ("word", "sanctions", "sanctions", "sanctions"),
    ("word", "election", "election", "election"),
    ("word", "kunjungan", "kunjungan", "kunjungan"),
    ("word", "inflasi", "inflasi", "inflasi"),
    ("word", "said", "said", "said"),
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
TOP = 5  # the relevance check compares the top 5 of each query


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


# -- the measured work, each in a process of its own ----------------------------------------

def work_build(lib: Path, index_dir: Path) -> dict[str, Any]:
    from reader.config import Config
    from reader.search.index import SearchIndex

    shutil.rmtree(index_dir, ignore_errors=True)
    t0 = time.perf_counter()
    report = SearchIndex(Config.from_args(lib, index_dir)).update(rebuild=True)
    seconds = time.perf_counter() - t0
    cpu = sum(getattr(resource.getrusage(who), f) for who in
              (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
    return {"build_s": seconds, "articles": report.total, "rate": report.total / seconds,
            "cpu_s": cpu,
            "size_mb": dir_size(index_dir) / 1e6, "rss_mb": peak_mb(),
            "workers_rss_mb": peak_mb(resource.RUSAGE_CHILDREN)}


def work_query(lib: Path, index_dir: Path) -> dict[str, Any]:
    from reader.config import Config
    from reader.search.index import SearchIndex

    config = Config.from_args(lib, index_dir)
    out: dict[str, Any] = {}
    startups = []
    for _ in range(3):
        t0 = time.perf_counter()
        r = SearchIndex(config).update()
        startups.append(time.perf_counter() - t0)
        assert r.unchanged, r.summary()
    out["startup_s"] = statistics.median(startups)
    out["articles"] = r.total
    quick = []
    for _ in range(3):  # what `reader search` does first (folder mtimes; 20k articles or more)
        t0 = time.perf_counter()
        try:
            SearchIndex(config).update(quick=True)
        except TypeError:  # code from before the folders' check
            SearchIndex(config).update()
        quick.append(time.perf_counter() - t0)
    out["quick_s"] = statistics.median(quick)
    victim = sorted((lib / "articles").rglob("*.txt"))[21]
    ix = SearchIndex(config)
    ix.update()
    changes, named = [], []
    for i in range(3):
        with victim.open("a", encoding="utf-8") as fh:
            fh.write(f"\nTambahan {i}: catatan redaksi.\n")
        os.utime(victim.parent, None)  # as an editor that writes a new file and renames it
        t0 = time.perf_counter()
        r = ix.update()
        changes.append(time.perf_counter() - t0)
        assert r.changed, r.summary()
    out["change_s"] = statistics.median(changes)
    rel = victim.relative_to(lib / "articles").as_posix()
    for i in range(3):  # the file named by the caller, as the app's watcher names it
        with victim.open("a", encoding="utf-8") as fh:
            fh.write(f"\nTambahan lagi {i}.\n")
        t0 = time.perf_counter()
        r = ix.update(paths=[rel])
        named.append(time.perf_counter() - t0)
        assert r.changed, r.summary()
    out["change_named_s"] = statistics.median(named)
    if hasattr(ix, "result_cache"):
        ix.result_cache = False  # every repeat measured, not a cache hit
    lat: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    first: dict[str, list[float]] = {}
    ix.search("warmup")
    for kind, q, _, _ in QUERIES:
        t0 = time.perf_counter()  # the first run reads its blocks from the index files
        ix.search(q, limit=20)
        first.setdefault(kind, []).append(time.perf_counter() - t0)
        for _ in range(REPEATS):  # then warm, as FTS5 is measured (after one run)
            t0, c0 = time.perf_counter(), time.process_time()
            ix.search(q, limit=20)
            lat.setdefault(kind, []).append(time.perf_counter() - t0)
            cpu.setdefault(kind, []).append(time.process_time() - c0)
    out["queries"] = lat
    out["queries_cpu"] = cpu
    out["queries_first"] = first
    out["by_query"] = {}
    for _, q, _, _ in QUERIES:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            ix.search(q, limit=20)
            times.append(time.perf_counter() - t0)
        out["by_query"][q] = min(times)
    out["top"] = {q: [r.id for r in ix.search(q, limit=20)] for _, q, _, _ in QUERIES}
    if hasattr(ix, "use_tiers"):  # every match scored: what the tiers must agree with
        ix.use_tiers = False
        out["exhaustive_top"] = {q: [r.id for r in ix.search(q, limit=TOP)]
                                 for _, q, _, _ in QUERIES}
        ix.use_tiers = True
    out["rss_mb"] = peak_mb()
    return out


def run_work(what: str, lib: Path, index_dir: Path, code: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{REPO}"}
    done = subprocess.run([sys.executable, __file__, "--work", what, str(lib), str(index_dir)],
                          env=env, stdout=subprocess.PIPE, check=True, text=True)
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def cli_process(lib: Path, index_dir: Path, code: Path) -> float:
    """``reader search sanksi --json`` from process start to exit (median of 3, after one
    run that compiles the modules' bytecode, as an installed package has it)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [sys.executable, "-m", "reader", "--library", str(lib), "--index", str(index_dir),
           "search", "sanksi", "--json"]
    times = []
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False, cwd="/")
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False, cwd="/")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# -- baselines ------------------------------------------------------------------------------

def bench_rg(lib: Path) -> tuple[dict[str, list[float]], float]:
    rg = shutil.which("rg")
    lat: dict[str, list[float]] = {}
    if rg is None:
        return lat, float("nan")
    for kind, _, pattern, _ in QUERIES:
        t0 = time.perf_counter()
        subprocess.run([rg, "-l", "-i", pattern, str(lib / "articles")],
                       stdout=subprocess.DEVNULL, check=False)
        lat.setdefault(kind, []).append(time.perf_counter() - t0)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([rg, "-l", "-i", "sanksi", str(lib / "articles")],
                       stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return lat, statistics.median(times)


def bench_fts(lib: Path, db: Path) -> tuple[dict[str, Any], dict[str, list[float]]]:
    fresh = not db.is_file()
    con = sqlite3.connect(db)
    info: dict[str, Any] = {"build_s": float("nan")}
    if fresh:
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
        info["build_s"] = time.perf_counter() - t0
    info["size_mb"] = db.stat().st_size / 1e6
    lat: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    sql = ("SELECT rowid, bm25(t), snippet(t, 1, '[', ']', '…', 24) FROM t "
           "WHERE t MATCH ? ORDER BY bm25(t) LIMIT 20")
    for kind, _, _, match in QUERIES:
        con.execute(sql, (match,)).fetchall()
        for _ in range(REPEATS):
            t0, c0 = time.perf_counter(), time.process_time()
            con.execute(sql, (match,)).fetchall()
            lat.setdefault(kind, []).append(time.perf_counter() - t0)
            cpu.setdefault(kind, []).append(time.process_time() - c0)
    con.close()
    info["cpu"] = cpu
    return info, lat


# -- the report -----------------------------------------------------------------------------

def ms(x: float) -> str:
    return f"{x * 1000:.0f}" if x == x else "-"


def relevance(n: int, top: dict[str, list[str]], save: bool) -> list[str]:
    path = REPO / "bench" / f"relevance-{n}.json"
    mine = {q: ids[:TOP] for q, ids in top.items()}
    if save:
        path.write_text(json.dumps(mine, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return [f"- relevance: top {TOP} of {len(mine)} queries saved to {path.name}"]
    if not path.is_file():
        return [f"- relevance: no {path.name} to compare with (--save-relevance writes it)"]
    known = json.loads(path.read_text(encoding="utf-8"))
    changed = [q for q in mine if q in known and known[q] != mine[q]]
    same_stories = [q for q in changed if sorted(map(story, known[q])) == sorted(map(story,
                                                                                     mine[q]))]
    lines = [f"- relevance: top {TOP} unchanged for {len(mine) - len(changed)} of "
             f"{len(mine)} queries against {path.name}; {len(same_stories)} more hold the same "
             "stories (the bench library repeats each story with small changes)"]
    for q in changed:
        was, now = known[q], mine[q]
        if q in same_stories:
            lines.append(f"  - `{q}`: same stories" + (", reordered" if set(was) == set(now)
                                                       else ", other copies"))
            continue
        lines.append(f"  - `{q}`: {len(set(was) & set(now))} of {TOP} kept; "
                     f"left {sorted(set(was) - set(now))}, came {sorted(set(now) - set(was))}")
    return lines


def exhaustive(ours: dict[str, Any]) -> list[str]:
    """Whether the top 5 found through the tiers of frequent words is the top 5 of the
    exhaustive ranking (every match scored), query by query."""
    full = ours.get("exhaustive_top")
    if not full:
        return []
    differ = [q for q in full if ours["top"][q][:TOP] != full[q][:TOP]]
    lines = [f"- tiers: top {TOP} equal to the exhaustive ranking (every match scored) for "
             f"{len(full) - len(differ)} of {len(full)} queries"]
    for q in differ:
        was, now = full[q][:TOP], ours["top"][q][:TOP]
        lines.append(f"  - `{q}`: {len(set(was) & set(now))} of {TOP} kept"
                     + (", reordered" if set(was) == set(now) else ""))
    return lines


def story(article_id: str) -> str:
    """The corpus story an article of the bench library copies (``0004/004325_<story>``)."""
    return article_id.rsplit("/", 1)[-1].split("_", 1)[-1]


def report(n: int, build: dict[str, Any] | None, ours: dict[str, Any],
           rg: dict[str, list[float]], fts_info: dict[str, Any], fts: dict[str, list[float]],
           cli_s: float, rg_s: float, rel: list[str]) -> str:
    lines = [f"### {n:,} articles", ""]
    if build is not None:
        cpu = build.get("cpu_s", float("nan"))  # older checkouts' figures have none
        lines.append(f"- build: {build['build_s']:.1f} s ({build['rate']:.0f} articles/s), "
                     f"{cpu:.0f} CPU s ({build['articles'] / cpu:.0f} articles per CPU "
                     f"second: the machine may be shared), index {build['size_mb']:.0f} MB, "
                     f"peak RSS {build['rss_mb']:.0f} MB "
                     f"(worker processes {build['workers_rss_mb']:.0f} MB) (FTS5: "
                     f"{fts_info['build_s']:.1f} s, {fts_info['size_mb']:.0f} MB)")
    lines += [f"- start-up with nothing changed: {ours['startup_s'] * 1000:.0f} ms walking "
              f"every file, {ours.get('quick_s', float('nan')) * 1000:.0f} ms by the folders; "
              f"one changed article: {ours['change_s'] * 1000:.0f} ms (found by the check), "
              f"{ours['change_named_s'] * 1000:.0f} ms (named by the caller)",
              f"- `reader search sanksi --json`, whole process: {cli_s * 1000:.0f} ms "
              f"(`rg -l -i sanksi`: {rg_s * 1000:.0f} ms)",
              f"- searcher peak RSS: {ours['rss_mb']:.0f} MB",
              "- slowest queries: " + ", ".join(
                  f"`{q}` {t * 1000:.0f} ms" for q, t in sorted(
                      ours["by_query"].items(), key=lambda kv: -kv[1])[:4]),
              *rel, "",
              "| query kind | reader p50/p95 ms | FTS5 p50/p95 ms | rg p50/p95 ms "
              "| ratio p95 vs FTS5 | ratio p95 vs rg |",
              "|---|---|---|---|---|---|"]
    kinds = list(dict.fromkeys(k for k, *_ in QUERIES)) + ["all"]
    for kind in kinds:
        def pick(d: dict[str, list[float]], kind: str = kind) -> list[float]:
            return [v for vs in d.values() for v in vs] if kind == "all" else d.get(kind, [])
        o, f, r = pick(ours["queries"]), pick(fts), pick(rg)
        # FTS5 has no typo search: its "goverment" finds nothing at once, nothing to compare
        rf = pct(o, 95) / pct(f, 95) if f and pct(f, 95) >= 0.0005 else float("nan")
        rr = pct(o, 95) / pct(r, 95) if r else float("nan")
        lines.append(f"| {kind} | {ms(pct(o, 50))}/{ms(pct(o, 95))} | "
                     f"{ms(pct(f, 50))}/{ms(pct(f, 95))} | {ms(pct(r, 50))}/{ms(pct(r, 95))} | "
                     f"{rf:.1f}x | {rr:.2f}x |")
    if "queries_cpu" in ours:
        lines += ["", "CPU time of the same queries (what a query costs whatever the machine's "
                  "load), and the wall time of each query's first run (its blocks read from "
                  "the index files):", "",
                  "| query kind | reader CPU p50/p95 ms | FTS5 CPU p50/p95 ms "
                  "| ratio p95 vs FTS5 | reader first run p50/p95 ms |", "|---|---|---|---|---|"]
        for kind in kinds:
            def pick2(d: dict[str, list[float]], kind: str = kind) -> list[float]:
                return [v for vs in d.values() for v in vs] if kind == "all" else d.get(kind,
                                                                                        [])
            o, f = pick2(ours["queries_cpu"]), pick2(fts_info.get("cpu", {}))
            one = pick2(ours["queries_first"])
            rf = pct(o, 95) / pct(f, 95) if f and pct(f, 95) >= 0.0005 else float("nan")
            lines.append(f"| {kind} | {ms(pct(o, 50))}/{ms(pct(o, 95))} | "
                         f"{ms(pct(f, 50))}/{ms(pct(f, 95))} | {rf:.1f}x | "
                         f"{ms(pct(one, 50))}/{ms(pct(one, 95))} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search benchmark (see module docstring).")
    parser.add_argument("sizes", nargs="*", type=int, default=[])
    parser.add_argument("--quick", action="store_true", help="10k articles only")
    parser.add_argument("--base", type=Path, default=Path("/tmp/reader-bench"),
                        help="where corpora and indexes are kept (default /tmp/reader-bench)")
    parser.add_argument("--code", type=Path, default=REPO,
                        help="the checkout whose reader is measured (default: this one)")
    parser.add_argument("--json", type=Path, default=None, help="write all figures here")
    parser.add_argument("--reuse", action="store_true",
                        help="keep an index built by an earlier run (skip the build figures)")
    parser.add_argument("--save-relevance", action="store_true",
                        help="write the top 5 of each query as the reference to compare with")
    parser.add_argument("--work", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work:
        what, lib, index_dir = args.work
        fn = work_build if what == "build" else work_query
        print(json.dumps(fn(Path(lib), Path(index_dir))))
        return 0
    sizes = args.sizes or ([10000] if args.quick else [1000, 10000])
    code = args.code.resolve()
    tag = "" if code == REPO else f"-{code.name}"
    results = {}
    for n in sizes:
        lib = build_corpus(n, args.base / f"lib-{n}")
        index_dir = args.base / f"index-{n}{tag}"
        build = None
        if not (args.reuse and (index_dir / "manifest.bin").is_file()):
            print(f"[{n}] corpus ready; indexing…", file=sys.stderr, flush=True)
            build = run_work("build", lib, index_dir, code)
        print(f"[{n}] querying…", file=sys.stderr, flush=True)
        ours = run_work("query", lib, index_dir, code)
        cli_s = cli_process(lib, index_dir, code)
        print(f"[{n}] baselines…", file=sys.stderr, flush=True)
        rg, rg_s = bench_rg(lib)
        fts_info, fts = bench_fts(lib, args.base / f"fts-{n}.sqlite3")
        rel = relevance(n, ours["top"], args.save_relevance) + exhaustive(ours)
        print(report(n, build, ours, rg, fts_info, fts, cli_s, rg_s, rel), flush=True)
        print(flush=True)
        results[n] = {"build": build, "ours": ours, "rg": rg, "fts": fts,
                      "fts_info": fts_info, "cli_s": cli_s}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
