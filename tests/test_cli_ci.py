"""The checks CI runs: the README's own test command, the import contracts."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command_in_a_fresh_virtualenv() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^python3 -m venv .*$", readme, re.M)
    test_command = next(c for c in commands if "pytest" in c)
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in script
    assert script.index("rm -rf .venv") < script.index(test_command)
    for check in (".venv/bin/ruff check reader tests bench", ".venv/bin/lint-imports",
                  ".venv/bin/mypy"):
        assert check in script


def test_the_distribution_is_not_named_reader() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = project["name"]
    assert name != "reader"  # taken on PyPI by a feed-reader library
    assert project["scripts"] == {"reader": "reader.cli.main:main"}
    assert project["optional-dependencies"]["test"] == [f"{name}[dev]"]
    assert f"`{name}`" in (REPO / "README.md").read_text(encoding="utf-8")


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    run = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Contracts: 4 kept, 0 broken." in run.stdout
