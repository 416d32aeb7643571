"""``reader list`` and ``reader show``."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from typing import Any

from reader.cli.common import CliError, resolve_article
from reader.config import Config
from reader.library.articles import ArticleNotFound, Library
from reader.library.language import LANGUAGE_NAMES
from reader.models import ArticleMeta


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("list", help="list the articles with their metadata",
                       description="List the articles under articles/ (a table, or JSON).")
    p.add_argument("--json", action="store_true", help="print a JSON array of the metadata")
    p.set_defaults(func=run_list)
    p = sub.add_parser("show", help="print one article with its metadata",
                       description="Print one article: its metadata, then its text.")
    p.add_argument("id", metavar="ARTICLE",
                   help="its id (as reader list shows it) or its file's path")
    p.set_defaults(func=run_show)


def _cut(s: str, width: int) -> str:
    return s if len(s) <= width else s[: max(0, width - 1)] + "…"


def table(metas: list[ArticleMeta], width: int) -> list[str]:
    """An aligned table: id, date, language, words, source, title (cut to ``width``); a ``!``
    marks articles with warnings."""
    headers = ("ID", "DATE", "LANG", "WORDS", "SOURCE")
    rows = [(m.id, m.date or "-", m.language or "-", str(m.words), _cut(m.source or "-", 24))
            for m in metas]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths[0] = min(widths[0], 40)

    def line(cells: tuple[str, ...], title: str, flag: str) -> str:
        left = "  ".join(_cut(c, w).rjust(w) if i == 3 else _cut(c, w).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        room = max(20, width - len(left) - 4)
        return f"{flag} {left}  {_cut(title, room)}".rstrip()

    out = [line(headers, "TITLE", " ")]
    out += [line(r, m.title, "!" if m.warnings else " ") for r, m in zip(rows, metas, strict=True)]
    return out


def run_list(args: argparse.Namespace, config: Config) -> int:
    library = Library(config)
    metas = library.scan()
    for skipped in library.skipped:  # a link out of articles/, a name that cannot be an id
        print(f"reader: warning: {skipped}", file=sys.stderr)
    if args.json:
        print(json.dumps([m._asdict() for m in metas], ensure_ascii=False, indent=2))
        return 0
    if not metas:
        where = library.articles_dir
        state = "is empty" if where.is_dir() else "does not exist"
        print(f"No articles: {where} {state}. Put .txt or .md files there (subfolders are "
              "fine) and run this again.", file=sys.stderr)
        return 0
    # a terminal gets titles cut to its width; a pipe gets them whole (for grep and cut)
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 10_000
    print("\n".join(table(metas, width)))
    for m in metas:  # a file whose metadata could not be read: one line each
        for w in m.warnings:
            if w.startswith("front matter"):
                print(f"reader: warning: articles/{m.path}: {w}", file=sys.stderr)
    flagged = sum(1 for m in metas if m.warnings)
    note = f"; {flagged} with warnings (!), see reader show ID" if flagged else ""
    print(f"{len(metas)} article{'s' if len(metas) != 1 else ''}{note}", file=sys.stderr)
    return 0


def header(meta: ArticleMeta) -> list[str]:
    """The metadata lines ``reader show`` prints above the text."""
    facts = [meta.source, meta.place, meta.date,
             LANGUAGE_NAMES.get(meta.language, meta.language), f"{meta.words} words"]
    out = [meta.title, " · ".join(f for f in facts if f)]
    if meta.authors:
        out.append("By " + ", ".join(meta.authors))
    if meta.url:
        out.append(meta.url)
    out.append(f"id {meta.id} · file articles/{meta.path}")
    out += [f"warning: {w}" for w in meta.warnings]
    return out


def run_show(args: argparse.Namespace, config: Config) -> int:
    try:
        article = Library(config).load(resolve_article(config, args.id))
    except ArticleNotFound as exc:
        raise CliError(f"cannot read {args.id}: {exc}") from None
    lines = header(article.meta)
    rule = "─" * min(72, max(len(x) for x in lines))
    print("\n".join(lines))
    print(rule)
    print(article.text.rstrip("\n"))
    return 0
