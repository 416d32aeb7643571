"""Nothing read from a cache runs code: caches another person could have written (a shared
index folder, a copied cache) are rebuilt, never unmarshalled or unpickled."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reader import sealed
from reader.config import Config, cache_key_path
from reader.library.articles import Library
from reader.library.cache import MetaCache
from reader.search.index import SearchIndex
from reader.search.manifest import Manifest

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX owners and modes")


def as_other_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From here on, caches are written with another user's key."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "other-user-data"))


@posix_only
def test_the_key_is_made_once_private_and_replaced_when_others_can_read_it(
        tmp_path: Path) -> None:
    key = sealed.user_key()
    path = cache_key_path()
    assert path.read_bytes() == key and len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sealed.loads(b"h\n", sealed.dumps(b"h\n", {"a": [1, 2.5, "x"]})) == {"a": [1, 2.5, "x"]}
    # a key others can read is no secret: a new process makes a new one
    path.chmod(0o644)
    code = "from reader import sealed; print(sealed.user_key().hex())"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=dict(os.environ))
    assert bytes.fromhex(run.stdout.strip()) != key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_processes_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    code = "from reader import sealed; print(sealed.user_key().hex())"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ)) for _ in range(4)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(keys) == 1 and bytes.fromhex(keys.pop()) == cache_key_path().read_bytes()


@pytest.mark.parametrize("damage", ["flip", "truncate", "other-user"])
def test_sealed_data_of_another_key_or_damaged_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path, damage: str) -> None:
    data = sealed.dumps(b"head\n", [1, 2, 3])
    if damage == "flip":
        data = data[:-1] + bytes([data[-1] ^ 1])
    elif damage == "truncate":
        data = data[:40]
    else:
        as_other_user(monkeypatch, tmp_path)
    assert sealed.loads(b"head\n", data) is None


def test_a_manifest_written_by_another_user_is_not_read(monkeypatch: pytest.MonkeyPatch,
                                                       config: Config, tmp_path: Path) -> None:
    """A shared index folder (READER_INDEX_DIR on a shared disk): another user's manifest,
    whatever it says, is not trusted; the index is read back instead, and the manifest
    written anew under this user's key."""
    shared = tmp_path / "shared-index"
    mine = Config.from_args(config.library, shared)
    SearchIndex(mine).update()
    theirs_env = dict(os.environ, READER_DATA_DIR=str(tmp_path / "other-user-data"))
    # the other user's reader rewrites the manifest, claiming nothing needs indexing
    code = ("import sys; from pathlib import Path; from reader.search.manifest import Manifest;"
            "Manifest(Path(sys.argv[1])).write({'x': [1, 2, 'f' * 16, 0, 0]}, 999, 'sig')")
    subprocess.run([sys.executable, "-c", code, str(shared)], check=True, env=theirs_env)
    assert Manifest(shared).read() is None
    report = SearchIndex(mine).update()
    assert report.unchanged and not report.rebuilt and report.total == 2
    manifest = Manifest(shared).read()
    assert manifest is not None and "x" not in manifest["articles"]


def test_a_metadata_snapshot_written_by_another_user_is_not_read(
        monkeypatch: pytest.MonkeyPatch, config: Config, tmp_path: Path) -> None:
    lib = Library(config)
    lib.scan()
    snapshot = config.cache_dir / "metadata.snapshot"
    mine = snapshot.read_bytes()
    as_other_user(monkeypatch, tmp_path)
    Library(config).scan()  # the other key: the snapshot does not verify and is rewritten
    theirs = snapshot.read_bytes()
    assert theirs != mine
    monkeypatch.delenv("READER_DATA_DIR")
    config.metadata_cache_path.unlink()
    assert MetaCache(config.metadata_cache_path).load() is None  # not the other's snapshot
    assert len(Library(config).scan()) == 2
