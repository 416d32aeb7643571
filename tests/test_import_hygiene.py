"""The domain never imports Textual, and only reader.index imports Whoosh."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = ["reader.config", "reader.models", "reader.text", "reader.language", "reader.library",
          "reader.analysis", "reader.annotations", "reader.vocabulary", "reader.anchoring",
          "reader.review", "reader.export", "reader.suggest", "reader.quicktag",
          "reader.importer", "reader.cli"]


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_domain_does_not_import_textual() -> None:
    for module in DOMAIN:
        loaded = _modules_after_import(module)
        assert not any(m == "textual" or m.startswith("textual.") for m in loaded), module


def test_only_the_index_imports_whoosh() -> None:
    for module in DOMAIN:
        if module in ("reader.review", "reader.quicktag", "reader.importer", "reader.cli",
                      "reader.suggest"):
            continue  # these call the index (and so load it) by design
        loaded = _modules_after_import(module)
        assert "whoosh" not in loaded, module
    assert "whoosh" in _modules_after_import("reader.index")


def test_no_other_module_names_whoosh_in_an_import() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "reader"
    pattern = re.compile(r"^\s*(import|from)\s+whoosh\b", re.M)
    offenders = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == ["index.py"]
