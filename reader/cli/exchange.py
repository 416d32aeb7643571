"""``reader export --format qdpx`` and ``reader import study.qdpx``: REFI-QDA projects that
ATLAS.ti, MAXQDA, NVivo and QualCoder open (see :mod:`reader.review.project`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reader.annotations.format import AnnotationFileError
from reader.annotations.vocabulary import VocabularyError
from reader.cli.common import CliError
from reader.config import Config
from reader.exchange import ExchangeError, write_project
from reader.review.rows import ReviewRow


def export_project(config: Config, rows: Sequence[ReviewRow],
                   errors: Sequence[AnnotationFileError], out: Path | None, *,
                   every_article: bool) -> int:
    from reader.review.project import build

    if out is None:
        raise CliError("--format qdpx writes a file: give --out study.qdpx", code=2)
    for err in errors:
        print(f"reader: warning: skipped {err}", file=sys.stderr)
    try:
        built = build(config, rows, every_article=every_article, name=out.stem)
        write_project(out, built.project)
    except (ValueError, ExchangeError) as exc:
        raise CliError(f"cannot export the project: {exc}") from None
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    p = built.project
    print(f"exported {len(p.sources)} article(s), {built.passages} passage(s), "
          f"{len(p.users)} coder(s) to {out}", file=sys.stderr)
    if built.left_out:
        print(f"reader: left out: {', '.join(built.left_out)}", file=sys.stderr)
    return 0


def import_project(args: argparse.Namespace, config: Config) -> int:
    from reader.review import project_import

    if len(args.sources) != 1 or args.tag or args.dry_run:
        raise CliError("a .qdpx project is imported alone, without --tag or --dry-run", code=2)
    path = Path(args.sources[0]).expanduser()
    if not path.is_file():
        raise CliError(f"{args.sources[0]}: no such file")
    try:
        imported = project_import.read(path)
        report = project_import.apply(config, path, imported)
    except ExchangeError as exc:
        raise CliError(f"{exc} (nothing imported)") from None
    except VocabularyError as exc:
        raise CliError(f"{exc} (nothing imported: fix the vocabulary first)") from None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"import stopped: {exc.strerror or exc}") from None
    print(f"imported {path.name}: {len(report.articles_added)} article(s) added, "
          f"{len(report.articles_kept)} already here; {report.passages} passage(s) added"
          f"{f', {report.unchanged} already here' if report.unchanged else ''}; coders: "
          f"{', '.join(report.coders) or 'none named'}; {report.memos} memo(s)")
    print(f"  tags: {report.tags}")
    if report.left_out:
        print(f"reader: left out (reader does not keep these): {', '.join(report.left_out)}",
              file=sys.stderr)
    return 0
