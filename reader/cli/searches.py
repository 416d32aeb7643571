"""Saved searches on the command line: ``reader search --save NAME QUERY``, ``--saved``,
``--delete NAME``, and ``@NAME`` wherever a query is typed (search, export, overview,
suggest)."""

from __future__ import annotations

import argparse
import json
import sys

from reader.cli.common import CliError
from reader.config import Config
from reader.search.query import QueryError


def expand_query(config: Config, query: str | None) -> str | None:
    """``query`` with each ``@NAME`` replaced by its saved query (said on stderr); a name
    not saved is a bad query (exit 2)."""
    if query is None or "@" not in query:
        return query
    from reader.search.saved import SavedSearchError, SavedSearches  # only for an @NAME

    try:
        expanded = SavedSearches(config.annotations_dir).expand(query)
    except SavedSearchError as exc:
        raise CliError(f"{exc} (saved searches cannot be used until it is fixed)") from None
    except QueryError as exc:
        raise CliError(f"bad query: {exc}", code=2) from None
    if expanded != query:
        print(f"reader: searching {expanded}", file=sys.stderr)
    return expanded


def save_search(config: Config, name: str, query: str) -> None:
    from reader.search.saved import SavedSearchError, SavedSearches

    try:
        saved = SavedSearches(config.annotations_dir).save(name, query)
    except QueryError as exc:
        raise CliError(f"bad query: {exc} (nothing saved)", code=2) from None
    except SavedSearchError as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:
        raise CliError(f"not saved: {exc}", code=2) from None
    except OSError as exc:
        raise CliError(f"not saved: {exc.strerror or exc}") from None
    print(f"reader: saved as @{saved.name}: {saved.query}", file=sys.stderr)


def run_saved(args: argparse.Namespace, config: Config) -> int:
    """``--saved`` (list) and ``--delete NAME``."""
    if args.query:
        what = "--saved" if args.saved else "--delete NAME"
        raise CliError(f"{what} takes no query (got {' '.join(args.query)!r})", code=2)
    from reader.search.saved import SavedSearchError, SavedSearches

    searches = SavedSearches(config.annotations_dir)
    try:
        if args.delete is not None:
            removed = searches.delete(args.delete)
            print(f"deleted @{removed.name}: {removed.query}")
            return 0
        saved = searches.load()
    except SavedSearchError as exc:
        raise CliError(str(exc)) from None
    except KeyError as exc:
        raise CliError(str(exc.args[0]) if exc.args else str(exc)) from None
    except OSError as exc:
        raise CliError(f"not changed: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps([{"name": s.name, "query": s.query, "created": s.created}
                          for s in saved], ensure_ascii=False, indent=2))
        return 0
    width = max((len(s.name) for s in saved), default=0) + 1
    for s in saved:
        print(f"{'@' + s.name:<{width}}  {s.query}")
    if not saved:
        print("no saved searches (save one with: reader search --save NAME QUERY)",
              file=sys.stderr)
    return 0
