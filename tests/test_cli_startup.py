"""The command line loads only what the command it runs needs, and still lists everything.

``reader search`` is timed as a whole process (``bench/search.py``): every module it imports
is paid for on every call. Each command's module is imported when that command runs; the
others are only named, from the table in ``reader/cli/common.py``, which must say what the
modules themselves register.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli.args import SubParser
from reader.cli.common import COMMANDS, TOPICS
from reader.cli.main import _build, _parse

# what `reader search` must not load: the TUI, the other commands' modules, the Markdown
# parser (.txt articles), what only writes (the lock's library), what only parses articles
# (metadata, date cues) or re-anchors passages (difflib), the web (Whoosh's urlretrieve),
# what only builds the index (its process pool), Whoosh's English variations and metaphones,
# the annotations (read only for tag: and note: hits) and memos (memo: terms)
NOT_FOR_SEARCH = ["textual", "markdown_it", "filelock", "difflib", "urllib.request",
                  "http.client", "email", "ssl", "whoosh.lang.morph_en",
                  "whoosh.lang.dmetaphone", "reader.ui", "reader.review",
                  "reader.importing", "reader.exchange", "reader.library.metadata",
                  "reader.library.datecues", "reader.search.saved", "reader.search.build",
                  "concurrent.futures", "reader.annotations",
                  *(f"reader.cli.{topic}" for topic in TOPICS if topic != "search")]


def _commands(sub: argparse._SubParsersAction[SubParser]) -> list[tuple[str, str | None]]:
    return [(a.dest, a.help) for a in sub._choices_actions]


def test_the_table_says_what_the_modules_register() -> None:
    _, sub = _build()
    assert _commands(sub) == [(name, help_) for name, _, help_ in COMMANDS]
    for topic in TOPICS:  # each command is registered by the module the table names
        _, sub = _build([name for name, t, _ in COMMANDS if t == topic])
        real = [n for n, p in sub.choices.items() if not p.get_default("placeholder")]
        assert real == [name for name, t, _ in COMMANDS if t == topic], topic


@pytest.mark.parametrize("command", [None, *(name for name, _, _ in COMMANDS)])
def test_every_help_is_the_whole_parsers(command: str | None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    full, full_sub = _build()
    lazy, lazy_sub = _build(() if command is None else (command,))
    if command is None:
        assert lazy.format_help() == full.format_help()
        assert "placeholder" not in lazy.format_help()
    else:
        assert lazy_sub.choices[command].format_help() == full_sub.choices[command].format_help()


def test_a_command_argparse_finds_elsewhere_is_parsed_again() -> None:
    parser, _ = _build(())
    assert parser.parse_args(["search", "kerja", "--json"]).placeholder
    args = _parse(["search", "kerja", "--limit", "2", "--json"])
    assert (args.command, args.query, args.limit, args.json) == ("search", ["kerja"], 2, True)
    assert not getattr(args, "placeholder", False)


def test_reader_help_lists_every_command(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    run = subprocess.run([sys.executable, "-m", "reader", "--help"], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=60, check=True)
    listed = run.stdout.split("positional arguments:")[1].split("options:")[0]
    for name, _, help_ in COMMANDS:
        assert f"\n    {name} " in listed or f"\n    {name}\n" in listed, name
        assert " ".join(help_.split()) in " ".join(listed.split()), name


# as if the library were large (5k articles or more): answered from the folders' check
AS_LARGE = ("from reader.search.whoosh_import import load_whoosh\n"
            "load_whoosh()\n"
            "from reader.search import index\n"
            "index.QUICK_MIN_ARTICLES = 0\n")


def _modules_of(argv: list[str], cwd: Path, before: str = "") -> tuple[set[str], str]:
    """What ``sys.modules`` holds after ``reader ARGV`` ran in a fresh interpreter (after
    the code ``before``), and what the command printed."""
    code = ("import io, contextlib, sys\n"
            f"{before}"
            "from reader.cli.main import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            f"    code = main({argv!r})\n"
            "print(code, '\\x00'.join(sys.modules), out.getvalue(), sep='\\x01')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=cwd, timeout=120, check=True)
    status, modules, printed = run.stdout.split("\x01")
    assert status == "0", run.stderr
    return set(modules.split("\x00")), printed


def _loaded(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_search_loads_only_what_it_needs(library_dir: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    where = ["--library", str(library_dir), "--index", str(index)]
    _modules_of([*where, "index"], tmp_path)  # the first run builds the index
    modules, printed = _modules_of([*where, "search", "Korea", "--json"], tmp_path, AS_LARGE)
    found = json.loads(printed)
    assert found and all(r["snippets"] for r in found)
    assert "reader.search.index" in modules and "reader.cli.search" in modules
    loaded = [name for name in NOT_FOR_SEARCH if _loaded(modules, name)]
    assert not loaded, loaded


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["search", "--help"]])
def test_help_loads_no_other_command_nor_the_folders(argv: list[str], tmp_path: Path) -> None:
    code = ("import contextlib, io, sys\n"
            "from reader.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            f"        main({argv!r})\n"
            "    except SystemExit:\n"
            "        pass\n"
            "print('\\n'.join(sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60, check=True)
    modules = set(run.stdout.split())
    assert not [t for t in TOPICS if f"reader.cli.{t}" in modules and t not in argv]
    assert "platformdirs" not in modules and "reader.search.index" not in modules


def test_the_tui_alone_imports_no_command(library_dir: Path, tmp_path: Path) -> None:
    code = ("import sys\n"
            "from reader.cli.main import _parse\n"
            "_parse(['--library', sys.argv[1]])\n"
            "print('\\n'.join(sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", code, str(library_dir)], capture_output=True,
                         text=True, cwd=tmp_path, timeout=60, check=True)
    modules = set(run.stdout.split())
    assert not [t for t in TOPICS if f"reader.cli.{t}" in modules]


def test_whoosh_without_what_it_imports_for_nothing_still_has_it(tmp_path: Path) -> None:
    """What Whoosh took from the modules left unloaded still works, and loads them."""
    source = tmp_path / "page.txt"
    source.write_text("halaman", encoding="utf-8")
    code = ("import sys\n"
            "from reader.search.whoosh_import import UNUSED, load_whoosh\n"
            "load_whoosh()\n"
            "import whoosh.query, whoosh.analysis\n"
            "print(sorted(name for name in UNUSED if name in sys.modules))\n"
            "from whoosh.compat import urlretrieve\n"
            f"urlretrieve({source.as_uri()!r}, {str(tmp_path / 'copy.txt')!r})\n"
            "from whoosh.query.terms import variations\n"
            "from whoosh.analysis.morph import double_metaphone\n"
            "print('runs' in variations('running'), double_metaphone('Thompson')[0])\n"
            "import urllib.request\n"
            "print(urllib.request.urlopen.__module__)\n"
            "print(sorted(name for name in UNUSED if name in sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert run.stdout.splitlines() == [
        "[]", "True TMPSN", "urllib.request",
        "['urllib.request', 'whoosh.lang.dmetaphone', 'whoosh.lang.morph_en']"]
    assert (tmp_path / "copy.txt").read_text(encoding="utf-8") == "halaman"
