"""Command line: ``reader [--library DIR]`` runs the TUI; subcommands work without it.

Each topic's subcommands live in ``reader/cli/<topic>.py`` with a ``register(sub)``
function; handlers take ``(args, config)`` and return an exit code. Expected failures raise
:class:`CliError` and are printed as one line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from reader import __version__
from reader.cli.common import CliError, register_all
from reader.config import Config


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reader",
        description="A terminal reader for news articles: read, search, tag passages, review.",
        epilog="Without a command, opens the reader (the TUI) on the library.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("--library", metavar="DIR", default=None,
                        help="library folder holding articles/ and annotations/ "
                             "(default: the current folder, or $READER_LIBRARY)")
    parser.add_argument("--index", metavar="DIR", default=None,
                        help="search index folder (default: in the user's cache folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    register_all(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    config = Config.from_args(args.library, args.index)
    try:
        if args.command is None:
            if args.library is not None and not config.library.is_dir():
                raise CliError(f"library folder not found: {config.library}")
            from reader.ui.app import run_app

            return run_app(config)
        code: int = args.func(args, config)
        return code
    except CliError as exc:
        print(f"reader: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
