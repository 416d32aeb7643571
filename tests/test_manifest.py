"""The index manifest: a few changes are written as a delta over the whole manifest, which
reads back as if it were rewritten; a delta over another manifest is never applied."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.search import manifest as manifestmod
from reader.search.manifest import DELTA, MANIFEST, Manifest


def entries(n: int, seed: int) -> dict[str, list[object]]:
    rnd = random.Random(seed)
    return {f"a/{i:05d}": [rnd.randint(1, 9999), rnd.randint(1, 10**18), f"{i:016x}", 0, 0, ""]
            for i in range(n)}


def test_random_changes_read_back_whole_and_the_whole_is_rewritten_past_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifestmod, "DELTA_LIMIT", 500)
    rnd = random.Random(3)
    articles = entries(3000, 1)
    Manifest(tmp_path).write(articles, 1, "sig", {"s1.seg": 10})
    deltas = wholes = 0
    for generation in range(2, 40):
        m = Manifest(tmp_path)  # another process each time: nothing kept in memory
        found = m.read()
        assert found is not None and found["articles"] == articles
        known = dict(found["articles"])
        touched = []
        for _ in range(rnd.randint(1, 120)):
            key = f"a/{rnd.randint(0, 3500):05d}"
            touched.append(key)
            if rnd.random() < 0.2:
                known.pop(key, None)
            else:
                known[key] = [rnd.randint(1, 9999), generation, "x", 0, 0, ""]
        before = (tmp_path / MANIFEST).stat().st_mtime_ns
        m.write(known, generation, "sig", {"s1.seg": generation}, touched)
        articles = known
        rewritten = (tmp_path / MANIFEST).stat().st_mtime_ns != before
        wholes += rewritten
        deltas += not rewritten
        again = Manifest(tmp_path).read()
        assert again is not None
        assert again["articles"] == articles
        assert again["generation"] == generation and again["files"] == {"s1.seg": generation}
    print(f"{deltas} writes as a delta, {wholes} whole")
    assert deltas > 10 and wholes >= 1


def test_a_delta_over_another_manifest_is_ignored(tmp_path: Path) -> None:
    m = Manifest(tmp_path)
    base = entries(50, 2)
    m.write(base, 1, "sig", {})
    changed = {**base, "a/00001": [1, 2, "y", 0, 0, ""]}
    m.write(changed, 2, "sig", {}, ["a/00001"])
    assert (tmp_path / DELTA).is_file()
    kept = (tmp_path / DELTA).read_bytes()
    other = Manifest(tmp_path / "other")
    (tmp_path / "other").mkdir()
    other.write(base, 1, "sig", {})  # a whole manifest with another token
    (tmp_path / "other" / DELTA).write_bytes(kept)
    found = Manifest(tmp_path / "other").read()
    assert found is not None and found["articles"] == base and found["generation"] == 1
