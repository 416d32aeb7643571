"""``reader list`` and ``reader show``."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from reader.commands import CliError
from reader.config import Config
from reader.library import ArticleNotFound, Library


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("list", help="list the articles with their metadata")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_list)
    p = sub.add_parser("show", help="print one article with its metadata")
    p.add_argument("id", metavar="ID", help="article id (its path under articles/, no extension)")
    p.set_defaults(func=run_show)


def run_list(args: argparse.Namespace, config: Config) -> int:
    metas = Library(config).scan()
    if args.json:
        print(json.dumps([asdict(m) for m in metas], ensure_ascii=False, indent=2))
        return 0
    for m in metas:
        print(f"{m.id}\t{m.date or '-'}\t{m.source or '-'}\t{m.title}")
    return 0


def run_show(args: argparse.Namespace, config: Config) -> int:
    try:
        article = Library(config).load(args.id)
    except ArticleNotFound as exc:
        raise CliError(str(exc)) from None
    m = article.meta
    print(m.title)
    print(" · ".join(x for x in (m.source, m.place, m.date, m.language) if x))
    print()
    print(article.text)
    return 0
