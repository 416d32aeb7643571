"""``reader search QUERY [--limit N] [--json]`` and ``reader index [--rebuild]``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from reader.cli.common import CliError
from reader.config import Config

QUERY_HELP = """\
query language:
  sanksi militer          all words must match (stems too: bekerja finds kerja)
  sanksi OR embargo       either word
  sanksi NOT rusia        leave out articles with a word (also: -rusia)
  "kerja sama"            the exact phrase only
  senjat*                 words starting with a prefix
  putn~                   words within one typo (putn~2: two)
  title: source: place: lang: tag: note:   search one field, e.g. title:putin tag:militer
  date:2024-06-19  date:2024-06  date:[2024-06-01 TO 2024-06-30]
  @arms                   a saved search (reader search --save arms QUERY); @arms date:2024
"""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("search", help="search the articles (updates the index first)",
                       description="Ranked full-text search with snippets.",
                       epilog=QUERY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", words=True, metavar="QUERY",
                   help="the query: words, before or after the options (put -- before a "
                        "query that starts with a --word)")
    p.add_argument("--limit", type=int, default=20, metavar="N",
                   help="at most N results (default 20)")
    p.add_argument("--json", action="store_true",
                   help="print a JSON array (id, title, source, date, score, hits, snippets)")
    p.add_argument("--save", metavar="NAME",
                   help="save the query as NAME, then search; use it as @NAME in queries "
                        "(here, and --query @NAME in export, overview, suggest)")
    p.add_argument("--saved", action="store_true", help="list the saved searches")
    p.add_argument("--delete", metavar="NAME", help="delete the saved search NAME")
    p.set_defaults(func=run_search)

    q = sub.add_parser("index", help="bring the search index up to date",
                       description="Index added, changed and removed articles; print what "
                                   "changed and how long it took.")
    q.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    q.set_defaults(func=run_index)


class _ProgressLine:
    """A progress line on stderr, redrawn in place on a terminal, sparse otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        self.shown = True
        pct = 100 * done // max(total, 1)
        line = f"{self.label}: {done}/{total} articles ({pct}%)"
        if self.tty:
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.shown and self.tty:
            print(file=sys.stderr)


RECHECK_SECONDS = 60  # a search answered by the folders' check starts a full one this often


def _update(config: Config, rebuild: bool, quick: bool = False) -> Any:
    from reader.search.whoosh_import import load_whoosh

    load_whoosh()
    from reader.search.index import IndexBusy, SearchIndex

    index = SearchIndex(config)
    progress = _ProgressLine("indexing")
    try:
        report = index.update(progress=progress, rebuild=rebuild, quick=quick)
    except IndexBusy as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write the search index in {config.index_dir}: "
                       f"{exc.strerror or exc}") from None
    finally:
        progress.finish()
    if report.notice:
        print(f"reader: {report.notice}", file=sys.stderr)
    return index, report


def check_query(query: str) -> None:
    """A malformed query is refused in one line before the index is brought up to date (which
    can take a while on a first run)."""
    from reader.search.query import QueryError, parse

    try:
        parse(query)
    except QueryError as exc:
        raise CliError(f"bad query: {exc}", code=2) from None


def run_index(args: argparse.Namespace, config: Config) -> int:
    _, report = _update(config, args.rebuild)
    print(report.summary())
    for label, ids in (("added", report.added), ("changed", report.changed),
                       ("removed", report.removed)):
        if ids and len(ids) <= 20:
            for article_id in ids:
                print(f"  {label}: {article_id}")
    return 0


def run_search(args: argparse.Namespace, config: Config) -> int:
    from reader.cli.searches import expand_query, run_saved, save_search
    from reader.search.query import QueryError

    if args.saved or args.delete is not None:
        return run_saved(args, config)
    if args.limit < 1:
        raise CliError("--limit must be at least 1", code=2)
    query = " ".join(args.query)
    if not query.strip():
        raise CliError("bad query: empty query; give words to search for", code=2)
    if args.save is not None:
        save_search(config, args.save, query)
    query = expand_query(config, query) or query
    check_query(query)
    index, report = _update(config, False, quick=True)
    if not report.unchanged or report.rebuilt:
        print(report.summary(), file=sys.stderr)
    if report.quick and time.time() - report.checked > RECHECK_SECONDS:
        _check_in_background(config)
    try:
        results = index.search(query, limit=args.limit)
    except QueryError as exc:
        raise CliError(f"bad query: {exc}", code=2) from None
    if notice := index.take_notice():  # the index had to be repaired to answer
        print(f"reader: {notice}", file=sys.stderr)
    if args.json:
        print(json.dumps([
            {"id": r.id, "title": r.title, "source": r.source, "date": r.date,
             "language": r.language, "score": round(r.score, 4), "hits": r.hits,
             "first_hit": r.first_hit,
             "snippets": [{"text": s.text, "start": s.start,
                           "highlights": [list(h) for h in s.highlights]}
                          for s in r.snippets]}
            for r in results], ensure_ascii=False, indent=2))
        return 0
    if not results:
        print("no matches", file=sys.stderr)
        return 0 if args.save is not None else 1  # saving was what was asked
    bold = sys.stdout.isatty()
    for r in results:
        head = " · ".join(x for x in (r.source, r.date) if x)
        print(f"{r.title}  [{r.id}]")
        print(f"  {head + ' · ' if head else ''}{r.hits} hit{'s' if r.hits != 1 else ''}"
              f" · score {r.score:.2f}")
        for s in r.snippets:
            print(f"  … {_mark(s.text, s.highlights, bold)} …")
        print()
    return 0


# `reader ARGS`, niced where the platform can
_BACKGROUND = ("import os, sys\n"
               "try:\n    os.nice(10)\nexcept (AttributeError, OSError):\n    pass\n"
               "from reader.cli.main import main\n"
               "sys.exit(main(sys.argv[1:]))\n")


def _check_in_background(config: Config) -> None:
    """Answered from the index because no folder changed: an article edited in place is
    only seen by a full comparison, made now by a process of its own (``reader index``, at
    a lower priority: the next search, typed meanwhile, comes first), so this one answers
    at once and the next search sees the edit."""
    import subprocess  # here: most searches start none

    cmd = [sys.executable, "-c", _BACKGROUND, "--library", str(config.library), "index"]
    if config.index_override is not None:
        cmd[4:4] = ["--index", str(config.index_override)]
    try:
        subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True,
                         env={**os.environ, "PYTHONUNBUFFERED": "1"})
    except OSError:
        return
    print("reader: no folder of the library changed, so the index answered at once; articles "
          "edited in place are being looked for in the background", file=sys.stderr)


def _mark(text: str, spans: tuple[tuple[int, int], ...], bold: bool) -> str:
    out, pos = [], 0
    on, off = ("\x1b[1;33m", "\x1b[0m") if bold else ("[", "]")
    for s, e in spans:
        out.append(text[pos:s] + on + text[s:e] + off)
        pos = e
    out.append(text[pos:])
    return "".join(out)
