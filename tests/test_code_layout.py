"""The README's "How the code is laid out" names every package under ``reader/``, and the UI
has no import cycle (the redesign removed one of six modules; a new one is easy to make)."""

from __future__ import annotations

import ast
from pathlib import Path

import reader
from tests.conftest import REPO

ROOT = Path(reader.__file__).resolve().parent


def layout_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "## How the code is laid out" in text
    return text.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]


def packages() -> list[str]:
    """Every package under reader/ as a path below it (``search``, ``ui/screens``)."""
    return sorted(p.parent.relative_to(ROOT).as_posix() for p in ROOT.rglob("__init__.py")
                  if p.parent != ROOT)


def test_the_readme_names_every_package() -> None:
    section = layout_section()
    tree = section.split("```", 2)[1]
    found = packages()
    assert len(found) >= 10 and "search" in found and "ui/widgets" in found
    for package in found:
        name = package.rsplit("/", 1)[-1]
        assert f" {name}/ " in tree, f"README: the package reader/{package} is not in the tree"
    for line in tree.splitlines():  # and names no package that is gone
        word = line.strip().split(" ", 1)[0]
        if word.endswith("/") and word not in ("reader/", "tests/", "bench/", "ui/", "torture/",
                                               "data/"):
            assert any(p.rsplit("/", 1)[-1] == word[:-1] for p in found), (
                f"README names {word} but reader/ has no such package")


def imports_at_run_time(path: Path, module: str) -> set[str]:
    """The project modules ``path`` imports, leaving out ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    out: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in out if m.startswith("reader.")}


def test_the_ui_has_no_import_cycle() -> None:
    modules = {}
    for path in (ROOT / "ui").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph = {m: imports_at_run_time(p, m) & modules.keys() for m, p in modules.items()}
    assert len(graph) > 30
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = path[path.index(module):] + [module]
            raise AssertionError("import cycle in the UI: " + " -> ".join(cycle))
        if module in done:
            return
        for imported in sorted(graph[module]):
            if imported != module and not module.startswith(imported + "."):
                visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
