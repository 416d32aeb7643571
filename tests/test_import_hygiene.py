"""The domain never imports Textual, and Whoosh is imported only inside ``reader.search``.

Every module of the package is checked (found by walking it, not listed by hand).
"""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import reader

ROOT = Path(reader.__file__).resolve().parent
# reader.__main__ runs the program when imported: it is the entry point, not a module to import
ALL = sorted(m.name for m in pkgutil.walk_packages([str(ROOT)], prefix="reader.")
             if m.name != "reader.__main__")
DOMAIN = [m for m in ALL if not m.startswith("reader.ui")]
# modules that must not even load Whoosh: they are used where no search happens
WHOOSH_FREE_PREFIXES = ("reader.library", "reader.annotations", "reader.config", "reader.models",
                        "reader.yamlio", "reader.search.analysis", "reader.search.query",
                        "reader.search.hits", "reader.search.manifest", "reader.search.sources",
                        "reader.search.saved")


# One fresh interpreter imports the modules in turn and prints what each one added to
# ``sys.modules``. Imports are transitive and made once: a module that loads Textual (or
# Whoosh) loads it whatever was imported before it, so the first module that needs it shows
# it, and the check fails as it would with one interpreter per module (about 100 of them,
# 15 s of start-ups).
_PROBE = """
import importlib, sys
seen = set(sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
    added = set(sys.modules) - seen
    seen |= added
    print(name, *sorted(added), sep="\\t")
"""


def _modules_after_import(modules: list[str]) -> dict[str, set[str]]:
    """For each module, what importing it added to ``sys.modules`` in a fresh interpreter
    after the modules before it in ``modules``."""
    run = subprocess.run([sys.executable, "-c", _PROBE, *modules], capture_output=True,
                         text=True, check=True, timeout=120)
    result: dict[str, set[str]] = {}
    for line in run.stdout.splitlines():
        name, *added = line.split("\t")
        result[name] = set(added)
    assert list(result) == modules, run.stdout  # every module imported, none skipped
    return result


def test_the_walk_finds_the_domain_packages() -> None:
    for package in ("reader.library", "reader.search", "reader.annotations", "reader.review",
                    "reader.importing", "reader.cli"):
        assert package in ALL
    assert len(DOMAIN) > 20


def test_domain_does_not_import_textual() -> None:
    for module, loaded in _modules_after_import(DOMAIN).items():
        assert not any(m == "textual" or m.startswith("textual.") for m in loaded), module


def test_whoosh_free_modules_do_not_load_whoosh() -> None:
    free = [m for m in DOMAIN if m.startswith(WHOOSH_FREE_PREFIXES)]
    assert free
    for module, loaded in _modules_after_import(free).items():
        assert "whoosh" not in loaded, module


def test_no_module_outside_search_names_whoosh_in_an_import() -> None:
    pattern = re.compile(r"^\s*(import|from)\s+whoosh\b", re.M)
    offenders = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders
    assert all(o.startswith("search/") for o in offenders), offenders
