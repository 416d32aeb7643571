"""Two coders on two clones of one library, merged through real git, then agreement."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN, SEEDS

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def reader(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("READER_CODER", None)
    return subprocess.run([sys.executable, "-m", "reader", "--library", str(cwd), *args],
                          cwd=cwd, capture_output=True, text=True, env=env, check=False)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def clone(origin: Path, where: Path, name: str) -> Path:
    ok(git(where.parent, "clone", "-q", str(origin), where.name))
    ok(git(where, "config", "user.name", name))
    ok(git(where, "config", "user.email", f"{name}@example.org"))
    ok(reader(where, "merge-annotations", "--setup"))
    return where


def test_two_clones_tag_merge_without_conflict_then_agreement(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    shutil.copytree(SEEDS, origin / "articles")
    (origin / "annotations").mkdir()
    (origin / "annotations" / "README").write_text("annotations live here\n", "utf-8")
    ok(git(origin, "init", "-q", "-b", "main"))
    ok(git(origin, "config", "user.name", "lead"))
    ok(git(origin, "config", "user.email", "lead@example.org"))
    ok(reader(origin, "merge-annotations", "--setup"))
    ok(git(origin, "add", "-A"))
    ok(git(origin, "commit", "-q", "-m", "the library"))
    ana = clone(origin, tmp_path / "ana", "Ana")
    budi = clone(origin, tmp_path / "budi", "Budi")

    both = ["berjabat tangan cukup lama"]
    # the same sentence, the same tag: to become one passage with both names
    for where in (ana, budi):
        ok(reader(where, "annotate", SEED_LIPUTAN, "--quote", both[0], "--tag", "treaties"))
    # each codes something the other did not (no --coder: git's user.name names them)
    ok(reader(ana, "annotate", SEED_LIPUTAN, "--quote", "Kim Jong Un", "--occurrence", "1",
              "--tag", "sanctions"))
    ok(reader(budi, "annotate", SEED_KOMPAS, "--quote", "Putin", "--occurrence", "1",
              "--tag", "military cooperation"))
    ok(reader(ana, "annotate", SEED_KOMPAS, "--quote", "Putin", "--occurrence", "1",
              "--tag", "treaties"))
    for where, who in ((ana, "Ana"), (budi, "Budi")):
        ok(git(where, "add", "-A"))
        ok(git(where, "commit", "-q", "-m", f"{who} codes"))
    ok(git(ana, "pull", "-q", "--no-rebase", str(budi), "main"))
    assert "<<<<<<<" not in (ana / "annotations" / f"{SEED_LIPUTAN}.yaml").read_text("utf-8")
    assert ok(git(ana, "status", "--porcelain")) == ""

    doc = yaml.safe_load((ana / "annotations" / f"{SEED_LIPUTAN}.yaml").read_text("utf-8"))
    shared = [a for a in doc["annotations"] if a["quote"] == both[0]]
    assert [a["coders"] for a in shared] == [["Ana", "Budi"]]
    kompas = yaml.safe_load((ana / "annotations" / f"{SEED_KOMPAS}.yaml").read_text("utf-8"))
    assert sorted((a["coders"][0], a["tags"][0]) for a in kompas["annotations"]) == [
        ("Ana", "treaties"), ("Budi", "military cooperation")]

    report = json.loads(ok(reader(ana, "agreement", "--json")))
    assert report["coders"] == ["Ana", "Budi"] and report["articles"] == 2
    overall = report["overall"]
    print(f"after the merge: {overall['units']} units, alpha {overall['alpha']}, "
          f"kappa {overall['kappa']}, agreement {overall['agreement']}, "
          f"{len(report['disagreements'])} disagreements")
    assert overall["units"] > 20 and overall["alpha"] is not None
    assert 0 < overall["agreement"] < 1
    treaties = next(f for f in report["per_tag"] if f["tag"] == "treaties")
    assert treaties["tagged"] == 2  # the shared sentence and Ana's Putin sentence
    text = ok(reader(ana, "agreement", "--coders", "ana", "budi", "--tag", "treaties"))
    assert "Ana tagged it; Budi did not" in text
