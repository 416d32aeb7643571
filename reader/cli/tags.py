"""``reader tags``: the vocabulary as a tree with counts; add, rename, move, merge, split,
describe, recolour, retire tags; codebook files (:mod:`reader.cli.codebook`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict
from typing import Any

from reader.annotations import hierarchy, tagops
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.cli.common import CliError
from reader.config import Config
from reader.models import Tag


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("tags", help="the tag vocabulary as a tree with counts; add, rename, "
                                    "move, merge, split, describe, retire tags",
                       description="A / in a tag's name is a level of the hierarchy: "
                                   "“sanctions/economic” is under “sanctions”.")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--add", metavar="NAME", help="add a tag (with --colour, --description)")
    p.take_words("--add", "--retire", "--unretire", "--move", "--under", "--split", "--into",
                 "--describe")
    g.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"),
                   help="rename a tag everywhere (every annotation follows)")
    g.add_argument("--move", metavar="NAME", help="put a tag and its children --under another "
                                                  "(--under / for the top level)")
    g.add_argument("--merge", nargs=2, metavar=("TAG", "INTO"),
                   help="merge TAG into INTO: its passages are tagged INTO instead (once)")
    g.add_argument("--split", metavar="NAME",
                   help="move some passages of a tag --into another: those of the articles "
                        "found by --query, or the --passages given")
    g.add_argument("--describe", metavar="NAME",
                   help="show a tag's definition, or change it with --description, "
                        "--include, --exclude, --example")
    g.add_argument("--recolour", "--recolor", nargs=2, metavar=("NAME", "COLOUR"),
                   help="give a tag a new colour (#rrggbb)")
    g.add_argument("--retire", metavar="NAME", help="hide a tag from the picker (kept on "
                                                    "its annotations)")
    g.add_argument("--unretire", metavar="NAME", help="bring a retired tag back")
    g.add_argument("--export-codebook", metavar="FILE.qdc",
                   help="write the tags as a REFI-QDA codebook (ATLAS.ti, MAXQDA, NVivo...)")
    g.add_argument("--import-codebook", metavar="FILE",
                   help="merge a .qdc codebook (or a .qdpx project's) into the tags by name")
    p.add_argument("--dry-run", action="store_true",
                   help="with --import-codebook: say what would change, change nothing")
    p.add_argument("--colour", "--color", metavar="COLOUR", help="colour for --add")
    p.add_argument("--description", default=None, metavar="TEXT", words=True,
                   help="description for --add or --describe")
    p.add_argument("--under", metavar="PARENT", help="with --move: the new parent")
    p.add_argument("--into", metavar="NEW", help="with --split: the tag the passages go to")
    p.add_argument("--query", metavar="QUERY", words=True,
                   help="with --split: the passages of the articles this search finds")
    p.add_argument("--passages", nargs="+", metavar="ID",
                   help="with --split: these passages (ids as reader annotations shows them)")
    p.add_argument("--include", metavar="TEXT", words=True,
                   help="with --describe: when to use the tag (\"\" clears)")
    p.add_argument("--exclude", metavar="TEXT", words=True,
                   help="with --describe: when not to use it (\"\" clears)")
    p.add_argument("--example", nargs=2, metavar=("ARTICLE", "PASSAGE"),
                   help="with --describe: an example passage (\"-\" \"-\" clears)")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_tags)


def run_tags(args: argparse.Namespace, config: Config) -> int:
    if args.export_codebook is not None or args.import_codebook is not None:
        from reader.cli.codebook import run_codebook

        return run_codebook(args, config)
    if args.dry_run:
        raise CliError("--dry-run goes with --import-codebook", code=2)
    _check_companions(args)
    vocabulary = Vocabulary(config.vocabulary_path)
    store = AnnotationStore(config.annotations_dir)
    if args.describe is not None and not _changes_definition(args):
        return _show_definition(vocabulary, args.describe, args.json)
    if any(v is not None for v in (args.add, args.rename, args.recolour, args.retire,
                                   args.unretire, args.move, args.merge, args.split,
                                   args.describe)):
        if vocabulary.error is not None:
            raise CliError(f"{vocabulary.error} (fix the vocabulary file first)")
        try:
            message = _edit_tags(args, config, vocabulary, store)
        except tagops.TagOpIncomplete as exc:
            _refresh(config, exc.op.report.articles)
            raise CliError(str(exc)) from None
        except KeyError as exc:
            raise CliError(str(exc.args[0]) if exc.args else str(exc)) from None
        except (ValueError, OSError) as exc:
            raise CliError(str(exc)) from None
        print(message)
        return 0
    return _list(args, config, vocabulary, store)


def _check_companions(args: argparse.Namespace) -> None:
    pairs = (("under", "move"), ("into", "split"), ("query", "split"), ("passages", "split"),
             ("include", "describe"), ("exclude", "describe"), ("example", "describe"))
    for option, main in pairs:
        if getattr(args, option) is not None and getattr(args, main) is None:
            raise CliError(f"--{option} goes with --{main}", code=2)
    if args.description is not None and args.add is None and args.describe is None:
        raise CliError("--description goes with --add or --describe", code=2)
    if args.move is not None and args.under is None:
        raise CliError("--move needs --under PARENT (or --under / for the top level)", code=2)
    if args.split is not None and (args.into is None
                                   or (args.query is None) == (args.passages is None)):
        raise CliError("--split needs --into NEW and either --query QUERY or --passages ID...",
                       code=2)


def _changes_definition(args: argparse.Namespace) -> bool:
    return any(v is not None for v in (args.description, args.include, args.exclude,
                                       args.example))


def _list(args: argparse.Namespace, config: Config, vocabulary: Vocabulary,
          store: AnnotationStore) -> int:
    if vocabulary.error is not None:
        print(f"reader: warning: {vocabulary.error} (showing the default tags)", file=sys.stderr)
    counts: Counter[str] = Counter()
    for _, found in store.iter_all():
        for ann in found.annotations:
            counts.update(set(ann.tags))
    known = {t.name for t in vocabulary.tags}
    unknown = sorted(n for n in counts if n not in known)
    nodes = hierarchy.tree(vocabulary.names())
    if args.json:
        rows: list[dict[str, Any]] = []
        for node in nodes:
            tag = vocabulary.get(node.path)
            row: dict[str, Any] = {"name": node.path, "parent": hierarchy.parent(node.path)}
            if tag is None or not node.is_tag:
                row.update(node=True, count=counts[node.path])
            else:
                row.update({**asdict(tag), "name": tag.name, "cues": list(tag.cues),
                            "example": _example_json(tag), "count": counts[tag.name]})
            rows.append(row)
        rows += [{"name": n, "parent": hierarchy.parent(n), "unknown": True, "count": counts[n]}
                 for n in unknown]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for node in nodes:
        tag = vocabulary.get(node.path) if node.is_tag else None
        indent = "  " * node.depth  # the full name, indented: what to type and grep
        label = node.path
        if tag is None:
            print(f"    {indent}{label}\t-\t{counts[node.path]}\t(a level, not a tag)")
            continue
        state = "  (retired)" if tag.retired else ""
        key = f"[{tag.key}]" if tag.key else "   "
        print(f"{key} {indent}{label}\t{tag.colour}\t{counts[tag.name]}\t{tag.description}"
              f"{state}")
    for name in unknown:
        print(f"    {name}\t-\t{counts[name]}\tnot in the vocabulary")
    if not vocabulary.exists and not config.vocabulary_path.exists():
        print(f"(default tags; {config.vocabulary_path} is created on the first change)",
              file=sys.stderr)
    return 0


def _example_json(tag: Tag) -> dict[str, str] | None:
    return None if tag.example is None else {"article": tag.example[0],
                                             "passage": tag.example[1]}


def _show_definition(vocabulary: Vocabulary, name: str, as_json: bool) -> int:
    tag = vocabulary.get(" ".join(name.split()))
    if tag is None:
        raise CliError(f"no tag “{name}”")
    if as_json:
        print(json.dumps({"name": tag.name, "parent": hierarchy.parent(tag.name),
                          "description": tag.description, "include": tag.include,
                          "exclude": tag.exclude, "example": _example_json(tag)},
                         ensure_ascii=False, indent=2))
        return 0
    example = f"{tag.example[0]} {tag.example[1]}" if tag.example else ""
    for label, value in (("tag", tag.name), ("description", tag.description),
                         ("include", tag.include), ("exclude", tag.exclude),
                         ("example", example)):
        print(f"{label + ':':<13}{value or '-'}")
    return 0


def _refresh(config: Config, articles: list[str]) -> None:
    from reader.cli.annotate import refresh_index

    for article_id in articles:
        refresh_index(config, article_id)


def _edit_tags(args: argparse.Namespace, config: Config, vocabulary: Vocabulary,
               store: AnnotationStore) -> str:
    if args.add is not None:
        tag = vocabulary.add(args.add, colour=args.colour, description=args.description or "")
        return f"added tag “{tag.name}” ({tag.colour})"
    if args.rename:
        old, new = args.rename
        n = vocabulary.rename(old, new, store)
        report = vocabulary.last_rename
        _refresh(config, report.articles if report else [])
        return (f"renamed “{old}” to “{new}” in {n} annotation(s), "
                f"{report.files if report else 0} file(s)")
    if args.move is not None or args.merge or args.split is not None:
        return _restructure(args, config, vocabulary, store)
    if args.describe is not None:
        tag = vocabulary.describe(args.describe, description=args.description,
                                  include=args.include, exclude=args.exclude)
        if args.example is not None:
            example = None if args.example == ["-", "-"] else (args.example[0],
                                                              args.example[1])
            tag = vocabulary.set_example(tag.name, example)
        return f"definition of “{tag.name}” saved"
    if args.recolour:
        name, colour = args.recolour
        tag = vocabulary.recolour(name, colour)
        return f"tag “{tag.name}” is now {tag.colour}"
    if args.retire is not None:
        tag = vocabulary.retire(args.retire)
        return f"retired “{tag.name}” (hidden from the picker; its annotations keep it)"
    tag = vocabulary.unretire(args.unretire)
    return f"“{tag.name}” is active again"


def _restructure(args: argparse.Namespace, config: Config, vocabulary: Vocabulary,
                 store: AnnotationStore) -> str:
    if args.move is not None:
        under = "" if args.under.strip() in ("", "/") else args.under
        old_parent = hierarchy.parent(hierarchy.normalise(args.move)) or "/"
        op = tagops.move(vocabulary, store, args.move, under)
        new = next(iter(op.renamed.values()), args.move)
        back = f"reader tags --move \"{new}\" --under \"{old_parent}\""
    elif args.merge:
        op = tagops.merge(vocabulary, store, args.merge[0], args.merge[1])
        ids = [ann_id for rows in op.report.changes.values() for ann_id, _, _ in rows]
        source = hierarchy.normalise(args.merge[0])
        back = (f"reader tags --add \"{source}\", then reader tags --split \"{args.merge[1]}\""
                f" --into \"{source}\" --passages {' '.join(ids)}" if ids
                else f"reader tags --add \"{source}\"")
    else:
        existed = vocabulary.get(args.into) is not None
        op = tagops.split(vocabulary, store, args.split, args.into, _chooser(args, config))
        name, into = next(iter(op.renamed.items()))
        ids = [ann_id for rows in op.report.changes.values() for ann_id, _, _ in rows]
        back = (f"reader tags --split \"{into}\" --into \"{name}\" --passages {' '.join(ids)}"
                if existed else f"reader tags --merge \"{into}\" \"{name}\"")
    _refresh(config, op.report.articles)
    return (f"{op.description}: {op.passages} passage(s) in {op.report.files} file(s)\n"
            f"to reverse it: {back}")


def _chooser(args: argparse.Namespace, config: Config) -> Any:
    if args.passages is not None:
        wanted = set(args.passages)
        return lambda _article_id, ann: ann.id in wanted
    from reader.cli.review import _index_for
    from reader.cli.searches import expand_query
    from reader.review.rows import collect_with_errors

    query = expand_query(config, args.query)
    try:
        rows, _ = collect_with_errors(config, None, None, query,
                                      index=_index_for(config, query))
    except ValueError as exc:  # QueryError is a ValueError
        raise CliError(f"bad query: {exc}", code=2) from None
    found = {(r.article_id, r.annotation_id) for r in rows}
    return lambda article_id, ann: (article_id, ann.id) in found
