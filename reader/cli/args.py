"""Arguments as people type them: a query or a quote in several words, options anywhere.

argparse takes one token per value and reads a token starting with ``-`` as an option, so
``reader search kerja sama``, ``reader search -- -prabowo pakistan`` and
``reader export --query rusia senjata`` fail in plain argparse. :class:`Parser` lets a
subcommand declare arguments that take *words* (``add_argument(..., words=True)``);
:func:`normalise` then rewrites the command line before argparse reads it:

- a words option (``--query``, ``--quote``, ``--note``, ...) takes every following token up
  to the next option (a token starting with ``--``, or a known short option), joined by
  spaces: ``--query rusia senjata --out x.csv`` gives the query ``rusia senjata``;
- a words positional (the query of ``reader search``) takes every token that is not one of
  the subcommand's options or their values, before or after them, in order; ``--`` only says
  that what follows are words even when they start with ``--``, and the subcommand's own
  options still count after it (``reader search -- -prabowo pakistan --limit 2``);
- the options every subcommand shares (``--library DIR``, ``--index DIR``) may come after
  the subcommand too.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

# argparse actions that take no value
_FLAG_ACTIONS = {"store_true", "store_false", "store_const", "append_const", "count", "help",
                 "version"}


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that errors in one line and knows which arguments take words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.value_counts: dict[str, int | str | None] = {}
        self.word_options: set[str] = set()
        self.word_positional: str | None = None
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def add_argument(self, *names: Any, words: bool = False, **kwargs: Any) -> argparse.Action:
        """As argparse's, plus ``words=True``: the argument takes several words (see the
        module's docstring); its value is one string (a positional: a list of words)."""
        action = kwargs.get("action")
        if isinstance(action, str) and action in _FLAG_ACTIONS:
            count: int | str | None = 0
        else:
            count = kwargs.get("nargs")
        options = [n for n in names if isinstance(n, str) and n.startswith("-")]
        for name in options:
            self.value_counts[name] = count
        if words:
            if options:
                self.word_options.update(options)
            else:
                self.word_positional = str(names[0])
                kwargs.setdefault("nargs", "*")
        return super().add_argument(*names, **kwargs)

    def take_words(self, *options: str) -> None:
        """Options added through a group (whose ``add_argument`` is argparse's own) that take
        words, each with one value."""
        self.word_options.update(options)
        self.value_counts.update(dict.fromkeys(options))

    # -- rewriting -----------------------------------------------------------------------
    def option_for(self, token: str) -> str | None:
        """The option string ``token`` names (``--lim`` for ``--limit`` as argparse allows,
        ``--limit=3``), or None when it is no option of this parser."""
        if not token.startswith("-") or token in ("-", "--"):
            return None
        name = token.split("=", 1)[0] if token.startswith("--") else token
        if name in self.value_counts:
            return name
        if name.startswith("--") and self.allow_abbrev:
            found = [o for o in self.value_counts if o.startswith(name) and o.startswith("--")]
            if len(found) == 1:
                return found[0]
        return None

    def _ends_words(self, token: str) -> bool:
        return token.startswith("--") or self.option_for(token) is not None

    def rewrite(self, tokens: Sequence[str]) -> list[str]:
        """``tokens`` (what follows the subcommand) in the form argparse reads as meant."""
        if not self.word_options and self.word_positional is None:
            return list(tokens)
        out: list[str] = []
        words: list[str] = []
        after_dashes = False
        i, n = 0, len(tokens)
        while i < n:
            token = tokens[i]
            i += 1
            if token == "--" and not after_dashes:
                after_dashes = True
                if self.word_positional is None:
                    out.append(token)
                continue
            option = self.option_for(token)
            if option is None:
                if self.word_positional is not None and (after_dashes
                                                         or not token.startswith("--")):
                    words.append(token)
                else:
                    out.append(token)  # argparse says what is wrong with it
                continue
            inline = token.startswith("--") and "=" in token
            if option in self.word_options:
                taken = [token.split("=", 1)[1]] if inline else []
                while i < n and not self._ends_words(tokens[i]):
                    taken.append(tokens[i])
                    i += 1
                if taken:
                    out.append(f"{option}={' '.join(taken)}")
                else:
                    out.append(option)  # argparse: "expected one argument"
                continue
            out.append(token)
            if inline:
                continue
            count = self.value_counts[option]
            if isinstance(count, int):
                out.extend(tokens[i:i + count])
                i += count
            elif count is None or count == "?":
                if i < n and not tokens[i].startswith("-"):
                    out.append(tokens[i])
                    i += 1
                elif count is None and i < n:  # a value starting with '-': as argparse would
                    out.append(tokens[i])
                    i += 1
            else:  # "+" or "*": values up to the next option
                while i < n and not tokens[i].startswith("-"):
                    out.append(tokens[i])
                    i += 1
        if words:
            out += ["--", *words]
        return out


LIBRARY_HELP = ("library folder holding articles/ and annotations/ (default: the current "
                "folder, or $READER_LIBRARY)")
INDEX_HELP = "search index folder (default: in the user's cache folder)"


class SubParser(Parser):
    """A subcommand's parser: ``--library DIR`` and ``--index DIR`` may come after the
    subcommand too (``reader show ID --library ~/lib``). Their defaults are suppressed so
    that a value given before the subcommand is kept.

    With ``placeholder=True``, a command that only names itself (for the list of commands in
    ``reader --help``): it takes any arguments, unread, and sets ``placeholder``; the caller
    then parses again with the command's own parser (see :func:`reader.cli.common.register`).
    """

    def __init__(self, *args: Any, placeholder: bool = False, **kwargs: Any) -> None:
        if placeholder:
            super().__init__(*args, **kwargs, prefix_chars="\0", add_help=False)
            self.add_argument("unread", nargs=argparse.REMAINDER)
            self.set_defaults(placeholder=True)
            return
        super().__init__(*args, **kwargs)
        group = self.add_argument_group("library (also accepted before the command)")
        group.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS,
                           help=LIBRARY_HELP)
        group.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS, help=INDEX_HELP)
        self.value_counts.update({"--library": None, "--index": None})


def _command_at(argv: Sequence[str]) -> int | None:
    """Where the subcommand stands in ``argv`` (the first word that is no option before it
    and no value of ``--library`` / ``--index``), or None."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            return None
        if token.startswith("-"):
            takes_value = False
            if token.startswith("--") and "=" not in token:
                names = [o for o in ("--library", "--index") if o.startswith(token)]
                takes_value = len(names) == 1 and len(token) > 2
            i += 2 if takes_value else 1
            continue
        return i
    return None


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, as argparse will read it (None: none, the TUI)."""
    at = _command_at(argv)
    return None if at is None else argv[at]


def normalise(parser: argparse.ArgumentParser, subparsers: argparse._SubParsersAction[Any],
              argv: Sequence[str]) -> list[str]:
    """``argv`` with the subcommand's tokens rewritten by its :meth:`Parser.rewrite`."""
    argv = list(argv)
    at = _command_at(argv)
    if at is None:
        return argv
    sub = subparsers.choices.get(argv[at])
    if isinstance(sub, Parser):
        return argv[:at + 1] + sub.rewrite(argv[at + 1:])
    return argv
