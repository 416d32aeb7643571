"""``reader coder`` (who is coding) and ``reader agreement`` (how far coders agree)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from reader.annotations import coders
from reader.cli.common import CliError
from reader.config import Config
from reader.review.coded import report_text


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("coder", help="who is coding: show it, or save your name",
                       description="Without NAME, say who is coding and where that comes "
                                   "from; with NAME, save it in your settings (every library).")
    p.add_argument("name", metavar="NAME", nargs="?", words=True,
                   help="your name as a coder (several words need no quotes)")
    p.set_defaults(func=run_coder, needs_articles=False)

    p = sub.add_parser(
        "agreement", help="inter-coder agreement: Krippendorff's alpha, Cohen's kappa",
        description="How far coders agree, per tag and overall, on the articles at least two "
                    "of them coded: Krippendorff's alpha (nominal), Cohen's kappa (two "
                    "coders), percent agreement and the number of units (sentences; text a "
                    "coder left uncoded counts as not tagged), then where they differ.")
    p.add_argument("--coders", nargs="+", default=[], metavar="NAME",
                   help="the coders to compare (default: every coder found)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="only this tag (repeat for several; default: every tag used)")
    p.add_argument("--query", metavar="QUERY", words=True,
                   help="only articles matching this search query (or @NAME)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=run_agreement)

    p = sub.add_parser(
        "merge-annotations", help="merge annotation files for git (two coders, two clones)",
        description="--setup: make this git's merge driver for the library's annotation files "
                    "(writes .gitattributes, sets it in .git/config). Git then runs it with "
                    "BASE OURS THEIRS [PATH]: passages are merged by id, and passages of two "
                    "coders on the same text with the same tags become one.")
    p.add_argument("files", nargs="*", metavar="FILE", help="BASE OURS THEIRS [PATH] (from git)")
    p.add_argument("--setup", action="store_true",
                   help="set the driver up in the library's git repository")
    p.set_defaults(func=run_merge, needs_articles=False)


def run_coder(args: argparse.Namespace, config: Config) -> int:
    try:
        if args.name:
            path = coders.remember(args.name)
            print(f"coder: {coders.clean(args.name)} (saved in {path})")
            return 0
        found = coders.resolve(None, config.library)
    except (ValueError, OSError) as exc:
        raise CliError(f"coder: {exc}", code=2) from None
    if found is None:
        raise CliError("no coder set: give --coder NAME, set READER_CODER, or run: "
                       "reader coder NAME")
    print(f"{found.name}\t(from {found.origin})")
    return 0


def run_agreement(args: argparse.Namespace, config: Config) -> int:
    from reader.cli.review import _index_for
    from reader.cli.searches import expand_query
    from reader.review.coded import collect, measure
    from reader.review.rows import matching_articles

    allowed = None
    if args.query:
        query = expand_query(config, args.query) or ""
        try:
            allowed = matching_articles(config, query, _index_for(config, query))
        except ValueError as exc:
            raise CliError(f"bad query: {exc}", code=2) from None
    coded = collect(config, allowed)
    for err in coded.errors:
        print(f"reader: warning: skipped {err}", file=sys.stderr)
    if args.coders and len({c.casefold() for c in args.coders}) < 2:
        raise CliError("--coders needs at least two coders to compare", code=2)
    known = {c.casefold() for a in coded.articles for c in a.coders}
    unknown = [c for c in args.coders if c.casefold() not in known]
    if unknown:
        raise CliError(f"no passages by coder “{unknown[0]}” (coders: "
                       f"{', '.join(coded.coders) or 'none'})")
    result = measure(coded, args.coders or None, args.tag or None)
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2))
    else:
        print(report_text(result))
    if not result.articles:
        print("reader: no article was coded by two of these coders: nothing to compare "
              f"(coders found: {', '.join(coded.coders) or 'none'})", file=sys.stderr)
        return 1
    return 0


# -- git --------------------------------------------------------------------------------------
DRIVER = "reader-annotations"


def run_merge(args: argparse.Namespace, config: Config) -> int:
    from pathlib import Path

    from reader import yamlio
    from reader.annotations.merge import merge_files

    if args.setup:
        return _setup(config)
    if len(args.files) not in (3, 4):
        raise CliError("give BASE OURS THEIRS [PATH] (git does), or --setup", code=2)
    base, ours, theirs = (Path(f) for f in args.files[:3])
    label = Path(args.files[3]) if len(args.files) == 4 else ours
    try:
        merge_files(base, ours, theirs, label)
    except yamlio.YamlFileError as exc:
        raise CliError(f"not merged: {exc}") from None
    except OSError as exc:
        raise CliError(f"not merged: {exc.strerror or exc}") from None
    return 0


def _git(*args: str, cwd: Any) -> str:
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise CliError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise CliError(f"git {args[0]}: {done.stderr.strip() or 'failed'}")
    return done.stdout.strip()


def _setup(config: Config) -> int:
    import shlex
    from pathlib import Path

    top = Path(_git("rev-parse", "--show-toplevel", cwd=config.library))
    rel = config.annotations_dir.resolve().relative_to(top.resolve()).as_posix()
    line = f"{rel}/**/*.yaml merge={DRIVER}"
    attributes = top / ".gitattributes"
    have = attributes.read_text("utf-8").splitlines() if attributes.is_file() else []
    if line not in have:
        from reader import yamlio

        yamlio.atomic_write(attributes, "".join(f"{x}\n" for x in [*have, line]))
    command = f"{shlex.quote(sys.executable)} -m reader merge-annotations %O %A %B %P"
    _git("config", f"merge.{DRIVER}.name", "reader annotation files", cwd=top)
    _git("config", f"merge.{DRIVER}.driver", command, cwd=top)
    print(f"git merges {rel}/ with reader from now on in {top} (commit .gitattributes; "
          "each clone runs reader merge-annotations --setup once)")
    return 0
