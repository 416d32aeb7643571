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
            "Manifest(Path(sys.argv[1])).write({'x': [1, 2, 'f' * 16, 0, 0]}, 999, 'sig', {})")
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


# -- pickles in the Whoosh index -----------------------------------------------------------

class WritesMarker:
    """Unpickled, this would run ``touch MARKER``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def craft_toc(index_dir: Path, payload: object, where: str) -> None:
    """Rewrite the index's table of contents as Whoosh writes it, with ``payload`` pickled
    in place of its schema or of its list of segments."""
    import pickle

    from whoosh import index as windex
    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(index_dir))
    gen = windex.TOC._latest_generation(storage, "articles")
    toc = windex.TOC.read(storage, "articles", gen)
    stream = storage.create_file(f"_articles_{gen}.toc")
    stream.write_varint(windex._INT_SIZE)
    stream.write_varint(windex._LONG_SIZE)
    stream.write_varint(windex._FLOAT_SIZE)
    stream.write_int(-12345)
    stream.write_int(windex._CURRENT_TOC_VERSION)
    for num in (2, 7, 4):
        stream.write_varint(num)
    stream.write_string(pickle.dumps(payload if where == "schema" else toc.schema, 2))
    stream.write_int(gen)
    stream.write_int(0)
    stream.write_pickle(payload if where == "segments" else toc.segments)
    stream.close()


@pytest.mark.parametrize("where", ["schema", "segments"])
def test_a_crafted_table_of_contents_runs_no_code_and_is_rebuilt(config: Config, tmp_path: Path,
                                                                 where: str) -> None:
    """A table of contents whose pickle would run ``touch MARKER`` (as one left in a shared
    index folder): reader refuses it, says so in one line and rebuilds the index."""
    from reader.cli.main import main

    SearchIndex(config).update()
    marker = tmp_path / "marker"
    both = {"000_783d5be973c3013a", "002_23d7a92b4fbf0ff3"}
    craft_toc(config.index_dir, WritesMarker(marker), where)
    searching = SearchIndex(config)
    assert {r.id for r in searching.search("peluk")} == both  # the search repairs it
    assert "not by reader; rebuilt" in searching.take_notice()
    assert not marker.exists()
    craft_toc(config.index_dir, WritesMarker(marker), where)
    report = SearchIndex(config).update()
    assert report.rebuilt and "not by reader; rebuilt" in report.notice
    assert len(report.added) == 2
    craft_toc(config.index_dir, WritesMarker(marker), where)
    assert main(["--library", str(config.library), "search", "peluk"]) == 0  # the CLI too
    assert not marker.exists()


def test_a_crafted_stored_field_runs_no_code(config: Config, tmp_path: Path) -> None:
    """A segment holding a stored field that would run code when read (written with
    Whoosh's own writer): the search refuses it and finds the articles as they are."""
    from whoosh import index as windex

    SearchIndex(config).update()
    marker = tmp_path / "marker"
    ix = windex.open_dir(str(config.index_dir), indexname="articles")
    writer = ix.writer()
    writer.add_document(id="evil", meta=WritesMarker(marker), state=WritesMarker(marker),
                        words={"=berpelukan": [1, 1.0], "peluk": [1, 1.0]})
    writer.commit()
    ix.close()
    index = SearchIndex(config)
    found = {r.id for r in index.search("peluk")}
    assert not marker.exists()
    assert "evil" not in found
    index.update()
    assert not marker.exists()
    assert {r.id for r in index.search("peluk")} == {"000_783d5be973c3013a",
                                                     "002_23d7a92b4fbf0ff3"}


@pytest.mark.parametrize("protocol", [0, 2, 5])
def test_the_unpickler_refuses_what_the_index_never_holds(tmp_path: Path, protocol: int) -> None:
    import io
    import pickle

    from reader.search import safe_pickle

    marker = tmp_path / "marker"
    evil = pickle.dumps(WritesMarker(marker), protocol)
    with pytest.raises(safe_pickle.RefusedPickle, match="os|posix"):
        safe_pickle.loads(evil)
    with pytest.raises(safe_pickle.RefusedPickle):
        safe_pickle.load(io.BytesIO(evil))
    assert not marker.exists()
    plain = ([1, 2**40, -3], (1.5, None, True), {"a": 1})  # strings: the careful path
    assert safe_pickle.loads(pickle.dumps(plain, protocol)) == plain
    assert safe_pickle.loads(pickle.dumps([5, 300, 70000, 2**70], 2)) == [5, 300, 70000, 2**70]


_ALLOWLIST_RUN = """
import sys
from pathlib import Path
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.search import safe_pickle, update
from reader.search.index import SearchIndex

lib = Path(sys.argv[1])
config = Config.from_args(lib)
index = SearchIndex(config)
update.POOL_MB = 0.001  # the posting pool spills to disk and is read back, as at 100k
index.update()
update.POOL_MB = 128
article = Library(config).load("fm")
store = AnnotationStore(config.annotations_dir)
Vocabulary(store.vocabulary_path).add("militer")
store.add(article, 0, 6, ["militer"], note="catatan sumber")
index.update_annotations("fm")
queries = ["peluk", '"kerja sama"', "title:kim", "source:liputan6", "place:pyongyang",
           "lang:id", "tag:militer", "tag:mil*", "tag:*", "note:sumber", 'note:"catatan sumber"',
           "date:2024-06-19", "date:[2024 TO 2025]", "senjat*", "kerjs~", "peluk OR sanksi",
           "-peluk", "sanksi -embargo"]
for query in queries:
    index.search(query, limit=50)
update.MP_THRESHOLD = 1  # the several-process build, as for a large library
index.update(rebuild=True)
for query in queries:
    index.search(query, limit=50)
(lib / "articles" / "fm.md").write_text("Sanksi baru dan lagi.\\n", encoding="utf-8")
update.POOL_MB = 0.001  # Whoosh's own posting pool (an update) spills and reads back too
index.update()
update.POOL_MB = 128
index.search("lagi")
index.close()
index = SearchIndex(config)
assert index.update().unchanged
index.search("peluk")
print("\\n".join(sorted(f"{m}.{n}" for m, n in safe_pickle.looked_up())))
"""


def test_the_allowlist_is_exactly_what_a_real_index_holds(config: Config) -> None:
    """A fresh process builds (in one and in two processes), updates, merges and searches a
    real index with every field and query kind: nothing it reads is refused, and everything
    the allowlist names is needed."""
    from reader.search import safe_pickle

    (config.articles_dir / "fm.md").write_text(
        "---\ntitle: T\ntags: [a, b]\ndate: 2024-01-02\nplace: Jakarta\n---\nSanksi baru.\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", _ALLOWLIST_RUN, str(config.library)],
                         capture_output=True, text=True, env=dict(os.environ), timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "rebuilt" not in run.stderr
    named = set(run.stdout.split())
    assert named == {f"{m}.{n}" for m, n in safe_pickle.ALLOWED}
