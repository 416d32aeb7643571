"""What every subcommand shares: one-line errors, the library check, naming an article.

Subcommands live one module per topic, each with ``register(sub)``.
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Container
from pathlib import Path
from typing import Any

from reader.config import Config

# Every subcommand, in the order ``reader --help`` lists them: its name, the module of
# reader/cli that defines it (its ``register(sub)`` adds all of that module's commands) and
# its one-line help, as that module gives it (tests/test_cli_startup.py holds them equal). A
# module is imported only when one of its commands runs: ``reader search`` loads nothing
# that ``reader export`` needs.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("list", "library", "list the articles with their metadata"),
    ("show", "library", "print one article with its metadata"),
    ("search", "search", "search the articles (updates the index first)"),
    ("index", "search", "bring the search index up to date"),
    ("annotate", "annotate", "tag a passage of an article, found by its text"),
    ("annotations", "annotate", "list tagged passages"),
    ("check", "annotate", "validate every annotation file and anchor"),
    ("tags", "tags", "the tag vocabulary as a tree with counts; add, rename, move, merge, "
                     "split, describe, retire tags"),
    ("memo", "memos", "memos on an article, a tag or the library: list, add, show, edit, "
                      "delete"),
    ("export", "review", "export tagged passages (md, csv, json, w3c)"),
    ("overview", "review", "counts of tagged passages per tag, source and month, as bar "
                           "charts"),
    ("suggest", "review", "sentences that hold a tag's cue words but are not tagged yet, best "
                          "first"),
    ("import", "importing", "import saved web pages, folders of them, .txt/.md files or URLs"),
    ("coder", "agreement", "who is coding: show it, or save your name"),
    ("agreement", "agreement", "inter-coder agreement: Krippendorff's alpha, Cohen's kappa"),
    ("merge-annotations", "agreement", "merge annotation files for git (two coders, two "
                                       "clones)"),
)
TOPICS = tuple(dict.fromkeys(topic for _, topic, _ in COMMANDS))
START = "FILE|FOLDER|URL"


class CliError(Exception):
    """An expected failure: printed as one line, exit code ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def register(sub: argparse._SubParsersAction[Any], wanted: Container[str] | None = None) -> None:
    """Add the subcommands to ``sub``: those named in ``wanted`` (all when None) by their
    module, with their options; the others as placeholders that give only their name and
    help (a placeholder chosen after all sets ``placeholder``: parse again with it wanted)."""
    real = {topic for name, topic, _ in COMMANDS if wanted is None or name in wanted}
    done: set[str] = set()
    for name, topic, help_ in COMMANDS:
        if topic not in real:
            sub.add_parser(name, help=help_, placeholder=True)
        elif topic not in done:  # its module adds all of its commands at once
            done.add(topic)
            importlib.import_module(f"reader.cli.{topic}").register(sub)


def check_library(config: Config, *, given_as: str, needs_articles: bool = True) -> None:
    """Refuse, in one line and with exit code 2, a library folder that does not exist or
    (when ``needs_articles``) holds no ``articles/``; nothing is created on the way.

    ``given_as`` says where the folder came from: ``"--library"``, ``"$READER_LIBRARY"``, or
    ``""`` for the current folder.
    """
    lib = config.library
    origin = f" (from {given_as})" if given_as.startswith("$") else ""
    if not lib.is_dir():
        what = "is a file, not a folder" if lib.exists() else "does not exist"
        raise CliError(f"library folder {lib} {what}{origin}", code=2)
    if not needs_articles or config.articles_dir.is_dir():
        return
    if given_as:
        raise CliError(f"no articles/ folder in {lib}{origin}: to start a library there, "
                       f"create it and put .txt or .md files in it, or run: "
                       f"reader --library {_shell(lib)} import {START}", code=2)
    raise CliError(f"no articles/ folder here ({lib}): to start a library here, create it and "
                   f"put .txt or .md files in it, or run: reader import {START}; to open "
                   "another library: reader --library DIR", code=2)


def _shell(path: Path) -> str:
    s = str(path)
    return s if s and all(c.isalnum() or c in "/._-+~" for c in s) else "'" + s.replace(
        "'", "'\\''") + "'"


def resolve_article(config: Config, name: str, *, annotations_ok: bool = False) -> str:
    """The id of the article ``name`` names: its id (``detik/00896``), or its file's path,
    relative to the current folder or the library, absolute, with or without ``articles/``
    and the extension (``articles/detik/00896.txt``, what tab completion gives).

    With ``annotations_ok``, an id with an annotation file and no article (removed or
    renamed) is accepted too. CliError (one line) when nothing matches.
    """
    from reader.library.articles import ARTICLE_SUFFIXES, ArticleNotFound, Library

    library = Library(config)

    def exists(candidate: str) -> bool:
        try:
            library.path_for(candidate)
        except (ArticleNotFound, ValueError, OSError):
            return False
        return True

    if not name.strip():
        raise CliError("an article id is empty; give one as `reader list` shows it", code=2)
    if exists(name):
        return name
    articles = config.articles_dir
    try:
        path = Path(name).expanduser()
        bases = [path] if path.is_absolute() else [Path.cwd() / path, config.library / path,
                                                    articles / path]
    except (ValueError, OSError, RuntimeError):
        bases = []
    outside: Path | None = None
    for candidate in bases:
        rel = _under(candidate, articles)
        if rel is None:
            if outside is None and _is_file(candidate):
                outside = candidate
            continue
        suffix = rel.suffix.lower()
        if suffix in ARTICLE_SUFFIXES:
            rel = rel.with_suffix("")
        if rel.parts and exists(rel.as_posix()):
            return rel.as_posix()
        if suffix not in ARTICLE_SUFFIXES and _is_file(candidate):
            raise CliError(f"{name} is not an article: articles are .txt or .md files")
    if annotations_ok and _has_annotations(config, name):
        return name
    if outside is not None:
        raise CliError(f"{name} is not in this library's articles/ folder ({articles}); bring "
                       f"it in with: reader import {_shell(Path(name))}")
    raise CliError(f"no article {name!r} in {articles} (name it by its id, as reader list "
                   "shows it, or by its file path)")


def _under(path: Path, folder: Path) -> Path | None:
    """``path`` relative to ``folder`` when it lies inside it (as written, else with
    symbolic links resolved), else None."""
    try:
        rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder)))
        if rel.parts and rel.parts[0] != ".." and not rel.is_absolute():
            return rel
        return path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (ValueError, OSError):
        return False


def _has_annotations(config: Config, article: str) -> bool:
    from reader.annotations.store import AnnotationStore

    try:
        return AnnotationStore(config.annotations_dir).path_for(article).is_file()
    except (ValueError, OSError):
        return False
