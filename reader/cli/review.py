"""``reader export`` (tagged passages as Markdown, CSV, JSON or W3C Web Annotations) and
``reader suggest`` (untagged sentences holding a tag's cue words)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.annotations.coders import UNKNOWN
from reader.cli import analysis
from reader.cli.common import CliError, resolve_article
from reader.cli.memos import memo_json
from reader.cli.searches import expand_query
from reader.config import Config

if TYPE_CHECKING:
    from reader.annotations.memos import Memo
    from reader.review.rows import ReviewRow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "export", help="export tagged passages (md, csv, json, w3c)",
        description="Export tagged passages: Markdown grouped by tag, CSV (one row per "
                    "passage and tag, UTF-8 with a byte order mark for spreadsheets), JSON "
                    "with article metadata, or W3C Web Annotations (JSON-LD). The output is "
                    "the same, byte for byte, for the same annotations.")
    p.add_argument("--format", "-f", required=True,
                   choices=("md", "csv", "json", "w3c", "qdpx"),
                   help="output format (qdpx: a REFI-QDA project other tools open; needs --out)")
    p.add_argument("--coder", action="append", default=[], metavar="NAME",
                   help="only this coder's passages (repeatable)")
    p.add_argument("--tag", action="extend", nargs="+", default=[], metavar="TAG",
                   help="only passages with any of these tags (repeatable)")
    p.add_argument("--query", metavar="QUERY", words=True,
                   help="only passages of articles matching this search query")
    p.add_argument("--text", metavar="TEXT", words=True,
                   help="only passages whose quote, note, title or source contain these words")
    p.add_argument("--out", "-o", metavar="FILE",
                   help="write to FILE (atomically) instead of standard output")
    p.add_argument("--no-bom", action="store_true",
                   help="CSV without the UTF-8 byte order mark")
    p.set_defaults(func=run_export)

    o = sub.add_parser(
        "overview", help="counts of tagged passages per tag, source and month, as bar charts",
        description="How many passages carry each tag, per source, per tag and source, and "
                    "over time (by the articles' dates), with the memos. --matrix: passages "
                    "per tag per article, source or month; --cooccurrence: how often two "
                    "tags fall together.")
    o.add_argument("--tag", action="extend", nargs="+", default=[], metavar="TAG",
                   help="only passages with any of these tags")
    o.add_argument("--query", metavar="QUERY", words=True,
                   help="only passages of articles matching this search query")
    o.add_argument("--json", action="store_true", help="print the counts as JSON")
    o.add_argument("--unfold", action="store_true",
                   help="per tag: every level of the tag hierarchy, not only the top")
    analysis.add_options(o)
    o.set_defaults(func=run_overview)

    s = sub.add_parser(
        "suggest", help="sentences that hold a tag's cue words but are not tagged yet, best first",
        description="Propose sentences for each tag from its cue words (see `reader tags`), "
                    "matched with the same stemming as search, best first: several cues, cues "
                    "of several words, cues near passages already tagged, and words seen in "
                    "suggestions you accepted rank higher. Sentences already tagged, titles, "
                    "headings, and suggestions rejected in the reader are left out.")
    s.add_argument("--tag", action="append", default=None, metavar="TAG",
                   help="only this tag (repeatable; default: every active tag)")
    s.add_argument("--article", action="append", default=None, metavar="ARTICLE",
                   help="only this article, by id or file path (repeatable)")
    s.add_argument("--query", metavar="QUERY", words=True,
                   help="only articles matching this search query (or @NAME, a saved one)")
    s.add_argument("--limit", type=int, metavar="N",
                   help="only the N best suggestions of each tag")
    s.add_argument("--all", action="store_true",
                   help="also those held back (the words around the cue speak against the tag)")
    s.add_argument("--json", action="store_true", help="print a JSON array")
    s.set_defaults(func=run_suggest)


# -- export -------------------------------------------------------------------------------------
def _check_tags(config: Config, tags: list[str], known_in_rows: set[str]) -> list[str]:
    """``tags`` with the tags under each of them (a parent's passages include its
    children's); CliError for a name that is neither a tag nor a parent of one."""
    from reader.annotations import hierarchy
    from reader.annotations.vocabulary import Vocabulary

    vocab = Vocabulary(config.vocabulary_path)
    every = vocab.names() + sorted(known_in_rows)
    known = {t.casefold() for t in every} | {a.casefold() for t in every
                                             for a in hierarchy.ancestors(t)}
    unknown = [t for t in tags if t.casefold() not in known]
    if unknown:
        names = ", ".join(vocab.names()) or "none"
        raise CliError(f"unknown tag “{unknown[0]}” (tags: {names})")
    return hierarchy.expand(tags, every)


def _index_for(config: Config, query: str | None) -> Any:
    """The search index brought up to date (with the same progress line and errors as
    ``reader search``) when a query is given, else None."""
    if not query or not query.strip():
        return None
    from reader.cli.search import _update, check_query

    check_query(query)
    index, report = _update(config, False)
    if not report.unchanged or report.rebuilt:
        print(report.summary(), file=sys.stderr)
    return index


def _out_path(raw: str) -> Path:
    path = Path(raw).expanduser()
    if path.is_dir():
        raise CliError(f"--out {raw}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise CliError(f"--out {raw}: folder {path.parent} does not exist")
    return path


def run_export(args: argparse.Namespace, config: Config) -> int:
    from reader.review.export import export_bytes, write_atomic
    from reader.review.rows import collect_with_errors, filter_rows

    out = _out_path(args.out) if args.out else None
    args.query = expand_query(config, args.query)
    try:
        rows, errors = collect_with_errors(config, None, args.text, args.query,
                                           index=_index_for(config, args.query))
    except ValueError as exc:  # QueryError is a ValueError
        raise CliError(f"bad query: {exc}", code=2) from None
    except OSError as exc:
        raise CliError(f"cannot read the library: {exc.strerror or exc}") from None
    if args.coder:
        wanted = {c.casefold() for c in args.coder}
        rows = [r for r in rows if wanted & {c.casefold() for c in r.coders or (UNKNOWN,)}]
    if args.tag:
        args.tag = _check_tags(config, args.tag, {t for r in rows for t in r.tags})
        rows = filter_rows(rows, tags=args.tag)
    if args.format == "qdpx":
        from reader.cli.exchange import export_project

        return export_project(config, rows, errors, out, every_article=not (
            args.tag or args.query or args.text or args.coder))
    for err in errors:
        print(f"reader: warning: skipped {err}", file=sys.stderr)
    memos = report_memos(config, rows, args.tag, bool(args.tag or args.query or args.text)) \
        if args.format == "md" else []
    data = export_bytes(rows, args.format, bom=not args.no_bom, only_tags=args.tag or None,
                        memos=memos)
    what = f"{len(rows)} passage{'s' if len(rows) != 1 else ''}"
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        if not rows:
            print("reader: nothing to export (no tagged passages match)", file=sys.stderr)
        return 0
    try:
        write_atomic(out, data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"exported {what} to {out}", file=sys.stderr)
    return 0


# -- overview ---------------------------------------------------------------------------------
def run_overview(args: argparse.Namespace, config: Config) -> int:
    import shutil

    from reader.review.rows import bar_chart, collect_with_errors, filter_rows, overview

    analysis.check(args)
    out = _out_path(args.out) if args.out else None
    args.query = expand_query(config, args.query)
    try:
        rows, errors = collect_with_errors(config, None, None, args.query,
                                           index=_index_for(config, args.query))
    except ValueError as exc:
        raise CliError(f"bad query: {exc}", code=2) from None
    if args.tag:
        args.tag = _check_tags(config, args.tag, {t for r in rows for t in r.tags})
        rows = filter_rows(rows, tags=args.tag)
    for err in errors:
        print(f"reader: warning: skipped {err}", file=sys.stderr)
    if analysis.wanted(args):
        return analysis.run(args, rows, out)
    ov = overview(rows, only_tags=args.tag or None)
    memos = report_memos(config, rows, args.tag, bool(args.tag or args.query))
    if args.format == "json":
        report = {
            "passages": ov.total, "articles": ov.articles, "orphaned": ov.orphaned,
            "per_tag": ov.per_tag, "per_tag_tree": _tag_tree(rows, args.tag),
            "per_source": ov.per_source,
            "per_tag_source": [{"tag": t, "source": s, "passages": n}
                               for (t, s), n in ov.per_tag_source.items()],
            "granularity": ov.granularity,
            "timeline": [{"period": p, "passages": n} for p, n in ov.timeline],
            "undated": ov.undated, "memos": [memo_json(m) for m in memos]}
        return analysis.run(args, rows, out, report)
    if not rows and not memos:
        print("no tagged passages", file=sys.stderr)
        return 0
    width = min(100, shutil.get_terminal_size((80, 24)).columns)
    print(f"{ov.total} passage{'s' if ov.total != 1 else ''} in {ov.articles} "
          f"article{'s' if ov.articles != 1 else ''}"
          + (f", {ov.orphaned} orphaned" if ov.orphaned else ""))
    sections: list[tuple[str, list[tuple[str, int]]]] = [
        ("Per tag" + ("" if args.unfold else " (children rolled up: --unfold shows them)"
                      if any("/" in t for t in ov.per_tag) else ""),
         _per_tag(rows, args.tag, args.unfold)),
        ("Per source", list(ov.per_source.items())),
        ("Per tag and source", [(f"{t} · {s}", n) for (t, s), n in ov.per_tag_source.items()]),
    ]
    if ov.timeline:
        title = f"Per {ov.granularity} (article dates)"
        if ov.undated:
            title += f"; {ov.undated} undated"
        sections.append((title, ov.timeline))
    for title, items in sections:
        print(f"\n{title}")
        for line in bar_chart(items, width=width - 2, label_width=min(32, width // 3)):
            print(f"  {line}")
    if memos:
        print(f"\nMemos ({len(memos)})")
        for m in memos:
            print(f"  {m.date or '-':<10}  {m.kind or '-':<12}  {m.subject}: {m.title}")
    return 0


def _per_tag(rows: Sequence[ReviewRow], only: list[str], unfold: bool) -> list[tuple[str, int]]:
    """Passages per tag with children rolled up under their parents (a passage once per
    parent), top levels by count; ``unfold``: every level, indented under its parent."""
    from reader.annotations import hierarchy
    from reader.review.rows import UNTAGGED

    wanted = {t.casefold() for t in only}
    sets = [[t for t in r.tags if not wanted or t.casefold() in wanted] or [UNTAGGED]
            for r in rows]
    counted = hierarchy.rollup(sets, unfold)
    if not unfold:
        counted.sort(key=lambda nc: (-nc[1], nc[0].path.casefold()))
    return [("  " * n.depth + (n.label if n.depth else n.path), c) for n, c in counted]


def _tag_tree(rows: Sequence[ReviewRow], only: list[str]) -> list[dict[str, Any]]:
    """Every level of the tag hierarchy with its passages (children rolled up), for JSON."""
    from reader.annotations import hierarchy

    wanted = {t.casefold() for t in only}
    sets = [[t for t in r.tags if not wanted or t.casefold() in wanted] for r in rows]
    return [{"tag": n.path, "parent": hierarchy.parent(n.path), "passages": c}
            for n, c in hierarchy.rollup(sets, unfold=True)]


def report_memos(config: Config, rows: Sequence[ReviewRow], tags: list[str], filtered: bool
                 ) -> list[Memo]:
    """The memos a report on ``rows`` holds: every memo, or when the report is filtered,
    those on the library, on its tags and on its articles (broken memo files: warned)."""
    from reader.annotations.memos import MemoStore, select

    memos, errors = MemoStore(config.annotations_dir).load_all()
    for err in errors:
        print(f"reader: warning: skipped memo {err}", file=sys.stderr)
    if not filtered:
        return memos
    shown = set(tags) if tags else {t for r in rows for t in r.tags}
    return select(memos, articles={r.article_id for r in rows}, tags=shown)


# -- suggest ------------------------------------------------------------------------------------
def _best(found: list[Any], limit: int | None) -> list[Any]:
    """The first ``limit`` suggestions of each tag (they come best first)."""
    if limit is None:
        return found
    seen: dict[str, int] = {}
    kept = []
    for s in found:
        seen[s.tag] = seen.get(s.tag, 0) + 1
        if seen[s.tag] <= limit:
            kept.append(s)
    return kept


def _suggest_index(config: Config) -> Any:
    """The search index brought up to date, so that only the articles holding a cue are
    read; None when there is none yet (every article is read then, no index is built for
    this) or it cannot be updated now."""
    from reader.search.manifest import latest_generation

    if latest_generation(config.index_dir) < 0:
        return None
    from reader.cli.search import _update

    try:
        index, report = _update(config, False)
    except CliError:  # busy (another program updates it), or not writable
        return None
    if not report.unchanged or report.rebuilt:
        print(report.summary(), file=sys.stderr)
    return index


def run_suggest(args: argparse.Namespace, config: Config) -> int:
    from reader.review.learning import ModelFileError
    from reader.review.learning import load as load_model
    from reader.review.suggest import RejectedFileError, load_rejected, suggest

    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be 1 or more", code=2)
    articles = [resolve_article(config, a) for a in args.article] if args.article else None
    query = expand_query(config, args.query)
    index = None
    if query and query.strip():
        from reader.library.articles import Library
        from reader.review.rows import matching_articles

        try:
            index = _index_for(config, query)
            wanted = matching_articles(config, query, index)
        except ValueError as exc:  # QueryError is a ValueError
            raise CliError(f"bad query: {exc}", code=2) from None
        articles = [m.id for m in Library(config).scan() if m.id in wanted
                    and (articles is None or m.id in articles)]
    elif articles is None or len(articles) > 1:
        index = _suggest_index(config)
    try:
        load_rejected(config)
    except RejectedFileError as exc:
        print(f"reader: warning: {exc} (rejections ignored until it is fixed)",
              file=sys.stderr)
    try:
        load_model(config)
    except ModelFileError as exc:
        print(f"reader: warning: {exc} (ranked without what was learned; reviews are not "
              "learned until it is fixed)", file=sys.stderr)
    try:
        found = suggest(config, tags=args.tag, article_ids=articles, held_back=args.all,
                        index=index)
    except KeyError as exc:
        raise CliError(str(exc.args[0]) if exc.args else str(exc)) from None
    found = _best(found, args.limit)
    if args.json:
        print(json.dumps([
            {"article": s.article_id, "title": s.title, "start": s.start, "end": s.end,
             "sentence": s.sentence, "tag": s.tag, "cue": s.cue, "cues": list(s.cues),
             "score": s.score, "why": list(s.why)}
            for s in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("no suggestions", file=sys.stderr)
        return 0
    for s in found:
        sentence = " ".join(s.sentence[:4000].split())
        if len(sentence) > 400:  # a 'sentence' of a text without full stops: --json has it all
            sentence = sentence[:400].rsplit(" ", 1)[0] + " …"
        reasons = "".join(f"; {w}" for w in s.why)
        print(f"{s.article_id}  {s.start}-{s.end}  [{s.tag}] {s.score:.1f} (cue: {s.cue}"
              f"{reasons})")
        print(f"  {sentence}")
    print(f"{len(found)} suggestion{'s' if len(found) != 1 else ''}", file=sys.stderr)
    return 0
