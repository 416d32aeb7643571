"""The annotation store: format, safety, merge with other instances and with git, undo."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from reader import yamlio
from reader.annotations.format import AnnotationFileError, ReadOnlyError
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.library.articles import Library
from reader.models import Annotation, Article, ArticleMeta
from tests.conftest import REPO, SEED_KOMPAS, SEED_LIPUTAN

TEXT = ("Sanksi baru diumumkan pada hari Senin terhadap Korea Utara.\n"
        "The treaty was signed in Pyongyang by both leaders — a “strategic partnership”.\n"
        "Kerja sama militer meliputi senjata dan amunisi.\n"
        "Nothing else happened that week, said the ministry.\n")


def make_article(article_id: str = "world/korea", text: str = TEXT) -> Article:
    meta = ArticleMeta(id=article_id, path=f"{article_id}.txt", title="t")
    return Article(meta, text, (), {}, hashlib.sha256(text.encode()).hexdigest())


def span(article: Article, quote: str) -> tuple[int, int]:
    i = article.text.index(quote)
    return i, i + len(quote)


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "annotations")


# -- format -----------------------------------------------------------------------------------
def test_file_format_keys_order_block_style_unicode(store: AnnotationStore) -> None:
    art = make_article()
    b = store.add(art, *span(art, "The treaty was signed"), ["treaties"], note="two\nlines")
    a = store.add(art, *span(art, "Sanksi baru"), ["sanctions", "treaties"])
    path = store.path_for(art.id)
    assert path == store.dir / "world" / "korea.yaml"  # ids with '/' make subfolders
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data) == ["article", "text_sha256", "version", "annotations"]
    assert data["article"] == art.id and data["text_sha256"] == art.sha256
    assert [x["id"] for x in data["annotations"]] == [a.id, b.id]  # text order
    assert list(data["annotations"][0]) == ["id", "quote", "prefix", "suffix", "start", "end",
                                            "tags", "note", "created", "updated"]
    assert "!!" not in text and "{" not in text and "&" not in text
    assert "note: |-\n      two\n      lines" in text  # literal block for multi-line
    assert len(a.id) >= 12 and a.id != b.id
    c = store.add(art, *span(art, "“strategic partnership”"), ["treaties"])
    assert "“strategic partnership”" in path.read_text(encoding="utf-8")  # unicode kept
    assert store.load(art).annotations[1].id == c.id or c.id in {
        x.id for x in store.load(art).annotations}


def test_round_trip_and_unknown_keys_kept(store: AnnotationStore) -> None:
    art = make_article()
    a = store.add(art, *span(art, "Sanksi baru"), ["sanctions"])
    b = store.add(art, *span(art, "senjata dan amunisi"), ["military cooperation"])
    path = store.path_for(art.id)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["reviewed_by"] = "ana"
    data["annotations"][0]["confidence"] = "high"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    store.update(art, b.id, note="check the figures")
    again = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert again["reviewed_by"] == "ana"
    assert again["annotations"][0]["confidence"] == "high"
    assert list(again["annotations"][0])[-1] == "confidence"  # unknown keys last
    loaded = store.load(art).annotations
    assert loaded[0].extra == {"confidence": "high"} and loaded[0].id == a.id
    assert loaded[1].note == "check the figures" and loaded[1].tags == ["military cooperation"]


def test_unchanged_entries_are_not_rewritten(store: AnnotationStore) -> None:
    art = make_article()
    a = store.add(art, *span(art, "Sanksi baru"), ["sanctions"])
    path = store.path_for(art.id)
    first_block = path.read_text(encoding="utf-8").split("  - id:")[1]
    time.sleep(1.1)  # a rewrite would change the timestamps
    store.add(art, *span(art, "Nothing else happened"), ["treaties"])
    store.update(art, store.load(art).annotations[1].id, note="later")
    assert path.read_text(encoding="utf-8").split("  - id:")[1] == first_block
    assert store.load(art).annotations[0].updated == a.updated


# -- editing, undo, batch ---------------------------------------------------------------------
def test_update_delete_undo_restores_exactly(store: AnnotationStore) -> None:
    art = make_article()
    a = store.add(art, *span(art, "Sanksi baru"), ["sanctions"], note="n")
    store.update(art, a.id, tags=["sanctions", "treaties"])
    assert store.load(art).annotations[0].tags == ["sanctions", "treaties"]
    gone = store.delete(art, a.id)
    assert store.load(art).annotations == []
    assert not store.path_for(art.id).exists()  # no empty files left behind
    assert store.undo() is not None
    back = store.load(art).annotations
    assert back == [gone]  # same id, quote, offsets, created and updated
    assert store.undo() is not None  # the tag edit
    assert store.load(art).annotations[0].tags == ["sanctions"]
    assert store.load(art).annotations[0].updated == a.updated
    assert store.undo() is not None  # the addition
    assert store.load(art).annotations == []
    assert store.undo() is None


def test_update_of_missing_annotation_is_a_key_error(store: AnnotationStore) -> None:
    art = make_article()
    store.add(art, 0, 6, ["sanctions"])
    with pytest.raises(KeyError):
        store.update(art, "nope", note="x")
    with pytest.raises(ValueError):
        store.add(art, 10, 10, ["sanctions"])


def test_batch_is_one_undo_step(store: AnnotationStore) -> None:
    art = make_article()
    with store.batch("Tag 3 hits"):
        for quote in ("Sanksi", "treaty", "senjata"):
            store.add(art, *span(art, quote), ["sanctions"])
        assert len(store.load(art).annotations) == 3  # each written at once
    store.add_many(art, [span(art, "Korea"), span(art, "leaders")], ["treaties"])
    assert len(store.load(art).annotations) == 5
    assert store.undo() == "tagging of 2 passages"
    assert store.undo() == "Tag 3 hits"
    assert store.load(art).annotations == []


def test_restore_and_undo_do_not_overwrite_edits_from_elsewhere(tmp_path: Path) -> None:
    art = make_article()
    mine, theirs = AnnotationStore(tmp_path / "a"), AnnotationStore(tmp_path / "a")
    a = mine.add(art, *span(art, "Sanksi baru"), ["sanctions"])
    theirs.update(art, a.id, note="their note")
    result = mine.undo()
    assert result is not None and "skipped" in result
    assert mine.load(art).annotations[0].note == "their note"
    old = theirs.delete(art, a.id)
    mine.restore(art, old)
    assert mine.load(art).annotations == [old]


def test_summary_counts_and_follows_changes(store: AnnotationStore) -> None:
    one, two = make_article("a/one"), make_article("two")
    store.add(one, 0, 6, ["sanctions"])
    store.add(one, 20, 30, ["sanctions", "treaties"])
    x = store.add(two, 0, 6, ["treaties"])
    assert store.summary() == {"a/one": (2, ("sanctions", "treaties")), "two": (1, ("treaties",))}
    store.delete(two, x.id)
    store.path_for("broken").write_text("annotations: [", encoding="utf-8")
    assert store.summary() == {"a/one": (2, ("sanctions", "treaties"))}
    assert [e.path.name for e in store.errors()] == ["broken.yaml"]


# -- safety -----------------------------------------------------------------------------------
BROKEN = {
    "syntax": ("article: world/korea\nannotations:\n  - id: x\n    quote: [unclosed\n", 4),
    "python tag": ("article: world/korea\nannotations: !!python/object/apply:os.system "
                   "[\"echo pwned\"]\n", 2),
    "aliases": ("a: &a [1, 1, 1]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", 1),
    "conflict": ("article: world/korea\nversion: 1\nannotations:\n<<<<<<< HEAD\n  - id: a\n"
                 "=======\n  - id: b\n>>>>>>> theirs\n", 4),
    "validation": ("article: world/korea\nversion: 1\nannotations:\n  - id: a1\n    quote: x\n"
                   "    start: 0\n    end: 1\n    tags: []\n  - id: a2\n    quote: y\n"
                   "    start: five\n    end: 9\n", 9),
    "newer": ("article: world/korea\nversion: 99\nannotations: []\n", 2),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_file_is_reported_with_line_and_never_overwritten(
        store: AnnotationStore, kind: str) -> None:
    art, other = make_article(), make_article("other")
    content, line = BROKEN[kind]
    path = store.path_for(art.id)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    found = store.load(art)
    assert found.error is not None and found.read_only
    assert found.error.path == path and found.error.line == line, found.error
    assert found.error.reason
    with pytest.raises(ReadOnlyError) as info:
        store.add(art, 0, 6, ["sanctions"])
    assert str(path) in str(info.value)
    with pytest.raises(ReadOnlyError):
        store.delete(art, "a1")
    assert path.read_bytes() == before
    assert store.rename_tag("sanctions", "x").failed[0].path == path
    assert path.read_bytes() == before
    store.add(other, 0, 6, ["sanctions"])  # everything else works
    assert len(store.load(other).annotations) == 1


def test_hostile_files_refused_with_clear_reason(store: AnnotationStore) -> None:
    art = make_article()
    path = store.path_for(art.id)
    path.parent.mkdir(parents=True)
    path.write_text(BROKEN["python tag"][0], encoding="utf-8")
    err = store.load(art).error
    assert err is not None and "python/object/apply" in err.reason and "refused" in err.reason
    path.write_text(BROKEN["aliases"][0], encoding="utf-8")
    err = store.load(art).error
    assert err is not None and "anchors" in err.reason
    with open(path, "wb") as f:  # 50 MB: refused on its size, before any parsing
        f.truncate(50 * 1024 * 1024)
    err = store.load(art).error
    assert err is not None and "too large" in err.reason
    assert path.stat().st_size == 50 * 1024 * 1024
    assert isinstance(err, AnnotationFileError)


def test_atomic_write_leaves_no_temp_files_and_fsyncs(store: AnnotationStore,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    art = make_article()
    store.add(art, 0, 6, ["sanctions"])
    synced: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    store.add(art, 10, 20, ["treaties"])
    assert len(synced) >= 2  # the temp file and the folder
    names = sorted(p.name for p in store.path_for(art.id).parent.iterdir())
    assert names == ["korea.yaml"]
    assert sorted(p.name for p in store.dir.iterdir()) == [".gitignore", ".lock", "world"]
    assert ".lock" in (store.dir / ".gitignore").read_text(encoding="utf-8")


def test_failed_write_keeps_the_old_file(store: AnnotationStore,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    art = make_article()
    store.add(art, 0, 6, ["sanctions"])
    path = store.path_for(art.id)
    before = path.read_bytes()

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        store.add(art, 10, 20, ["treaties"])
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


WRITER = """
import sys
from reader.config import Config
from reader.library.articles import Library
from reader.annotations.store import AnnotationStore
cfg = Config.from_args(sys.argv[1])
art = Library(cfg).load(sys.argv[2])
store = AnnotationStore(cfg.annotations_dir)
for i in range(int(sys.argv[3])):
    s = (i * 37) % (len(art.text) - 40)
    a = store.add(art, s, s + 25, ["sanctions"], note="n" * (i % 30))
    print(a.id, flush=True)  # printed only once the change is confirmed
"""


def _writer(config_dir: Path, article_id: str, n: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(config_dir), article_id, str(n)],
                            stdout=subprocess.PIPE, text=True, cwd=REPO)


def test_killed_process_loses_nothing_confirmed(library_dir: Path, config: object) -> None:
    proc = _writer(library_dir, SEED_LIPUTAN, 100_000)
    assert proc.stdout is not None
    confirmed = []
    for _ in range(60):
        confirmed.append(proc.stdout.readline().strip())
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    confirmed += [x for x in rest.split() if x]
    assert proc.returncode == -signal.SIGKILL
    store = AnnotationStore(library_dir / "annotations")
    article = Library(config).load(SEED_LIPUTAN)  # type: ignore[arg-type]
    found = store.load(article)
    assert found.error is None
    ids = {a.id for a in found.annotations}
    assert set(confirmed) <= ids and len(confirmed) >= 60


def test_two_processes_lose_nothing(library_dir: Path, config: object) -> None:
    procs = [_writer(library_dir, SEED_KOMPAS, 25) for _ in range(2)]
    outs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    article = Library(config).load(SEED_KOMPAS)  # type: ignore[arg-type]
    ids = {a.id for a in AnnotationStore(library_dir / "annotations").load(article).annotations}
    assert ids == set(outs[0]) | set(outs[1]) and len(ids) == 50


def test_two_store_instances_merge_before_writing(tmp_path: Path) -> None:
    art = make_article()
    first, second = AnnotationStore(tmp_path / "ann"), AnnotationStore(tmp_path / "ann")
    a = first.add(art, *span(art, "Sanksi"), ["sanctions"])
    first.load(art)
    b = second.add(art, *span(art, "treaty"), ["treaties"])
    second.update(art, a.id, note="from the second")
    c = first.add(art, *span(art, "senjata"), ["military cooperation"])  # stale view in memory
    anns = {x.id: x for x in first.load(art).annotations}
    assert set(anns) == {a.id, b.id, c.id}
    assert anns[a.id].note == "from the second"

    for k in range(4):
        Vocabulary(first.vocabulary_path).add(f"t{k}")

    def work(s: AnnotationStore, k: int) -> None:
        for i in range(8):
            s.add(art, 100 + k * 10 + i, 110 + k * 10 + i, [f"t{k}"])

    threads = [threading.Thread(target=work, args=(s, k))
               for k, s in enumerate([first, second, first, second])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(first.load(art).annotations) == 3 + 32


# -- git --------------------------------------------------------------------------------------
def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "init.defaultBranch=main", *args],
                          cwd=repo, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_merge_of_two_annotators_is_clean(library_dir: Path, config: object) -> None:
    assert _git(library_dir, "init").returncode == 0
    article = Library(config).load(SEED_LIPUTAN)  # type: ignore[arg-type]
    store = AnnotationStore(library_dir / "annotations")
    text = article.text
    store.add(article, *span(article, "Presiden Rusia Vladimir Putin"), ["sanctions"])
    store.add(article, text.index("Advertisement"), text.index("Advertisement") + 13,
              ["sanctions"])
    late = len(text) - 200
    store.add(article, late, late + 30, ["treaties"])
    _git(library_dir, "add", "-A")
    assert _git(library_dir, "commit", "-m", "base").returncode == 0
    _git(library_dir, "checkout", "-b", "ana")
    a = AnnotationStore(library_dir / "annotations").add(
        article, *span(article, "berjabat tangan cukup lama"), ["treaties"], note="Ana")
    _git(library_dir, "commit", "-am", "ana")
    _git(library_dir, "checkout", "main")
    b = AnnotationStore(library_dir / "annotations").add(
        article, late - 300, late - 250, ["military cooperation"], note="Budi")
    _git(library_dir, "commit", "-am", "budi")
    merge = _git(library_dir, "merge", "ana", "-m", "merge")
    assert merge.returncode == 0, merge.stdout + merge.stderr
    found = AnnotationStore(library_dir / "annotations").load(article)
    assert found.error is None
    assert {a.id, b.id} <= {x.id for x in found.annotations} and len(found.annotations) == 5
    starts = [x.start for x in found.annotations]
    assert starts == sorted(starts)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_conflict_markers_are_reported_with_line(library_dir: Path, config: object) -> None:
    _git(library_dir, "init")
    article = Library(config).load(SEED_LIPUTAN)  # type: ignore[arg-type]
    store = AnnotationStore(library_dir / "annotations")
    store.add(article, 0, 12, ["sanctions"])
    _git(library_dir, "add", "-A")
    _git(library_dir, "commit", "-m", "base")
    _git(library_dir, "checkout", "-b", "other")
    store.add(article, 40, 60, ["treaties"])
    _git(library_dir, "commit", "-am", "other")
    _git(library_dir, "checkout", "main")
    store.add(article, 40, 61, ["sanctions"])  # the same place: a real conflict
    _git(library_dir, "commit", "-am", "main")
    assert _git(library_dir, "merge", "other").returncode != 0
    path = store.path_for(article.id)
    before = path.read_bytes()
    err = store.load(article).error
    assert err is not None and "conflict" in err.reason and err.line is not None
    assert path.read_text(encoding="utf-8").splitlines()[err.line - 1].startswith("<<<<<<<")
    with pytest.raises(ReadOnlyError):
        store.add(article, 100, 120, ["sanctions"])
    assert path.read_bytes() == before


def test_timestamps_written_by_hand_unquoted_are_accepted(store: AnnotationStore) -> None:
    art = make_article()
    path = store.path_for(art.id)
    path.parent.mkdir(parents=True)
    path.write_text(f"article: world/korea\ntext_sha256: {art.sha256}\nversion: 1\nannotations:\n"
                    "  - id: hand1\n    quote: Sanksi baru\n    start: 0\n    end: 11\n"
                    "    tags: sanctions\n    created: 2026-01-02T03:04:05Z\n", encoding="utf-8")
    [ann] = store.load(art).annotations
    assert ann == Annotation("hand1", "Sanksi baru", "", "", 0, 11, ["sanctions"], "",
                             "2026-01-02T03:04:05Z", "")


@pytest.mark.parametrize("loader", [yamlio.StrictLoader, yamlio.LOADER])
@pytest.mark.parametrize("kind,expected", [("python tag", "refused"), ("aliases", "not allowed")])
def test_both_loaders_refuse_hostile_yaml(tmp_path: Path, loader: type, kind: str,
                                          expected: str) -> None:
    with pytest.raises(yamlio.YamlFileError) as info:
        yamlio.parse(tmp_path / "x.yaml", BROKEN[kind][0], loader)
    assert expected in info.value.reason and info.value.line is not None
    data, _ = yamlio.parse(tmp_path / "x.yaml", "a: [1, 2]\nb: {c: d}\n", loader)
    assert data == {"a": [1, 2], "b": {"c": "d"}}


@pytest.mark.parametrize(("value", "line"), [
    (" dalam 24 tahun.\n\n  Sumber : Kompa", 'v: " dalam 24 tahun.\\n\\n  Sumber : Kompa"'),
    ("reviewed in July.\n\n", 'v: "reviewed in July.\\n\\n"'),
    ("a\tb\nc", 'v: "a\\tb\\nc"'),
    ("Line one.\n\nLine two.", "v: |-"),
    ("one line", "v: one line"),
])
def test_multi_line_text_is_a_plain_block_or_one_quoted_line(value: str, line: str) -> None:
    """Contexts cut mid-paragraph start or end with spaces and blank lines: written as one
    double-quoted line rather than a block with indentation or chomping indicators."""
    out = yamlio.dump({"v": value})
    assert out.splitlines()[0] == line
    assert "|2" not in out and "|+" not in out
    assert yaml.safe_load(out) == {"v": value}
