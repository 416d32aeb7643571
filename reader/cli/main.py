"""Command line: ``reader [--library DIR]`` runs the TUI; subcommands work without it.

Each topic's subcommands live in ``reader/cli/<topic>.py`` with a ``register(sub)``
function; handlers take ``(args, config)`` and return an exit code. Expected failures raise
:class:`CliError` and are printed as one line. What people type is read by
:mod:`reader.cli.args` (several-word queries and quotes, options anywhere).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Container, Sequence

from reader import __version__
from reader.cli.args import INDEX_HELP, LIBRARY_HELP, Parser, SubParser, command_in, normalise
from reader.cli.common import CliError, check_library, register
from reader.config import ENV_LIBRARY, Config


def build_parser() -> argparse.ArgumentParser:
    parser, _ = _build()
    return parser


def _build(wanted: Container[str] | None = None,
           ) -> tuple[Parser, argparse._SubParsersAction[SubParser]]:
    """The parser, with the subcommands in ``wanted`` (all when None) complete and the
    others only named (see :func:`reader.cli.common.register`)."""
    parser = Parser(
        prog="reader",
        description="A terminal reader for news articles: read, search, tag passages, review.",
        epilog="Without a command, opens the reader (the TUI) on the library. An article is "
               "named by its id (as reader list shows it) or by its file's path.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("--library", metavar="DIR", default=None, help=LIBRARY_HELP)
    parser.add_argument("--index", metavar="DIR", default=None, help=INDEX_HELP)
    parser.set_defaults(needs_articles=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=SubParser)
    register(sub, wanted)
    return parser, sub


def _origin(args: argparse.Namespace) -> str:
    if args.library is not None:
        return "--library"
    return f"${ENV_LIBRARY}" if os.environ.get(ENV_LIBRARY) else ""


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    """``argv`` parsed by a parser that imports only the module of the command it names."""
    command = command_in(argv)
    parser, sub = _build(() if command is None else (command,))
    args = parser.parse_args(normalise(parser, sub, argv))
    if getattr(args, "placeholder", False):  # argparse found another command than we did
        parser, sub = _build((args.command,))
        args = parser.parse_args(normalise(parser, sub, argv))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    try:
        try:
            config = Config.from_args(args.library, args.index)
        except (OSError, RuntimeError, ValueError) as exc:
            raise CliError(f"cannot use that folder: {exc}", code=2) from None
        check_library(config, given_as=_origin(args), needs_articles=args.needs_articles)
        if args.command is None:
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
