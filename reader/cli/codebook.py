"""``reader tags --export-codebook FILE.qdc`` and ``--import-codebook FILE.qdc|FILE.qdpx``:
the tag vocabulary as a REFI-QDA codebook, for ATLAS.ti, MAXQDA, NVivo, QualCoder..."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.annotations.codebook import CodebookMerge, export_codebook, import_codebook
from reader.annotations.vocabulary import Vocabulary, VocabularyError
from reader.cli.common import CliError
from reader.config import Config
from reader.exchange import ExchangeError


def run_codebook(args: argparse.Namespace, config: Config) -> int:
    vocabulary = Vocabulary(config.vocabulary_path)
    if args.export_codebook is not None:
        return _export(vocabulary, args.export_codebook)
    return _import(vocabulary, args.import_codebook, args.dry_run)


def _export(vocabulary: Vocabulary, raw: str) -> int:
    from reader.cli.review import _out_path

    if vocabulary.error is not None:
        raise CliError(f"{vocabulary.error} (fix the vocabulary file first)")
    path = _out_path(raw)
    try:
        n = export_codebook(vocabulary, path)
    except (ValueError, ExchangeError) as exc:
        raise CliError(f"cannot export the codebook: {exc}") from None
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    tags = len(vocabulary.tags)
    made = f" (and {n - tags} parent{'s' if n - tags != 1 else ''} of / paths)" \
        if n > tags else ""
    print(f"wrote {tags} tag{'s' if tags != 1 else ''}{made} to {path}")
    return 0


def _import(vocabulary: Vocabulary, raw: str, dry_run: bool) -> int:
    path = Path(raw).expanduser()
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise CliError(f"--import-codebook {raw}: {what}; give a .qdc codebook or a .qdpx "
                       "project")
    try:
        merge = import_codebook(vocabulary, path, dry_run=dry_run)
    except ExchangeError as exc:
        raise CliError(str(exc)) from None
    except VocabularyError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"not imported: {exc.strerror or exc}") from None
    for line in report(merge, vocabulary):
        print(line)
    if dry_run:
        print("(dry run: nothing was changed)", file=sys.stderr)
    return 0


def report(merge: CodebookMerge, vocabulary: Vocabulary) -> list[str]:
    """The summary line, then a line per change (unchanged tags are only counted)."""
    lines = [("would import " if not merge.applied else "imported ") + merge.summary()]
    for c in merge.changes:
        if c.action == "added":
            tag = vocabulary.get(c.name) if merge.applied else None
            colour = tag.colour if tag is not None else c.colour or "next free colour"
            lines.append(f"  added       {c.name} ({colour})")
        elif c.action == "described":
            lines.append(f"  described   {c.name}")
        elif c.action == "recoloured":
            lines.append(f"  recoloured  {c.name}: {c.old} -> {c.colour}")
        elif c.action == "left out":
            lines.append(f"  left out    {c.name}: {c.reason}")
    return lines
