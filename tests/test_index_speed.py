"""What keeps search fast at 100k articles, checked for the answers it must not change: the
folders' check at start-up, the tiers of frequent words, phrases confirmed on the text,
results kept per index generation, large articles bounded, several build processes."""
from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.search import build, terms, update
from reader.search import index as indexmod
from reader.search.compiler import plan
from reader.search.index import SearchIndex
from reader.search.query import parse
from tests.conftest import corpora_or_skip


def write(lib: Path, name: str, body: str, **meta: str) -> Path:
    path = lib / "articles" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    head = "".join(f"{k}: {v}\n" for k, v in meta.items())
    path.write_text((f"---\n{head}---\n" if meta else "") + body, encoding="utf-8")
    return path


def bump(path: Path) -> None:
    """A new mtime, whatever the file system's resolution."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def lib(tmp_path: Path) -> Config:
    root = tmp_path / "lib"
    (root / "annotations").mkdir(parents=True)
    write(root, "a/one", "Pemerintah menyiapkan sanksi baru.\n", language="id")
    write(root, "a/two", "The government said new sanctions would follow.\n", language="en")
    write(root, "b/three", "Kerja sama militer kedua negara diperluas.\n", language="id")
    return Config.from_args(root)


def ids(index: SearchIndex, query: str) -> set[str]:
    return {r.id for r in index.search(query, limit=50)}


def test_the_folders_check_answers_at_once_and_sees_adds_and_removes(
        lib: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexmod, "QUICK_MIN_ARTICLES", 0)
    index = SearchIndex(lib)
    assert not index.update(quick=True).quick  # no stamps yet: a full walk
    report = SearchIndex(lib).update(quick=True)
    assert report.quick and report.unchanged and report.total == 3
    added = write(lib.library, "b/four", "Sanksi ekonomi diperketat.\n", language="id")
    bump(added.parent)
    report = SearchIndex(lib).update(quick=True)
    assert not report.quick and report.added == ["b/four"]
    (lib.articles_dir / "a" / "one.txt").rename(lib.articles_dir / "a" / "satu.txt")
    bump(lib.articles_dir / "a")
    report = SearchIndex(lib).update(quick=True)
    assert not report.quick and report.added == ["a/satu"] and report.removed == ["a/one"]
    # an edit in place is left to the full walk, which the caller runs next
    path = lib.articles_dir / "b" / "three.txt"
    path.write_text(path.read_text(encoding="utf-8") + "Embargo dicabut.\n", encoding="utf-8")
    bump(path)
    index = SearchIndex(lib)
    assert index.update(quick=True).quick
    assert index.update().changed == ["b/three"]
    assert ids(index, "embargo") == {"b/three"}
    # a folder file edited in place, an annotation written: not quick
    folder_file = lib.articles_dir / "b" / "_folder.yml"
    folder_file.write_text("source: detik\n", encoding="utf-8")
    assert not SearchIndex(lib).update(quick=True).quick
    assert SearchIndex(lib).update(quick=True).quick
    folder_file.write_text("source: kumparan\n", encoding="utf-8")
    bump(folder_file)
    assert not SearchIndex(lib).update(quick=True).quick
    article = Library(lib).load("a/two")
    AnnotationStore(lib.annotations_dir).add(article, 4, 14, ["sanctions"])
    report = SearchIndex(lib).update(quick=True)
    assert not report.quick and report.changed == ["a/two"]


def test_small_libraries_are_always_walked(lib: Config) -> None:
    SearchIndex(lib).update()
    assert not SearchIndex(lib).update(quick=True).quick


def test_a_search_does_not_wait_for_an_update(lib: Config) -> None:
    """An update brings the index up to date while searches answer from it as it was."""
    index = SearchIndex(lib)
    index.update()
    seen: list[float] = []

    def slow_progress(done: int, total: int) -> None:
        t0 = time.perf_counter()
        assert ids(index, "sanksi") == {"a/one"}  # from another thread's point of view
        seen.append(time.perf_counter() - t0)

    import threading

    for i in range(3):
        write(lib.library, f"c/{i}", f"Berita {i}.\n", language="id")
    done = threading.Event()

    def search_meanwhile() -> None:
        while not done.is_set():
            t0 = time.perf_counter()
            index.search("kerja")
            seen.append(time.perf_counter() - t0)

    t = threading.Thread(target=search_meanwhile)
    t.start()
    try:
        index.update(progress=slow_progress)
    finally:
        done.set()
        t.join()
    assert seen and max(seen) < 5


def test_phrases_are_confirmed_on_the_text(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "annotations").mkdir(parents=True)
    # both hold the pairs "the government" and "government said", one holds the phrase
    write(root, "yes", "Yesterday the government said no.\n", language="en")
    write(root, "no", "The government met. The government said nothing. The "
          "government.\n", language="en")
    write(root, "part", "Bank Indonesia menahan suku bunga; bank sentral Indonesia.\n",
          language="id")
    write(root, "title", "Isi berita.\n", title="Kata pemerintah Indonesia", language="id")
    index = SearchIndex(Config.from_args(root))
    index.update()
    assert ids(index, '"the government said"') == {"yes", "no"}  # "The government said"
    assert ids(index, '"government said no"') == {"yes"}
    assert ids(index, '"said the government"') == set()
    assert ids(index, '"bank indonesia"') == {"part"}
    assert ids(index, '"sentral indonesia"') == {"part"}
    assert ids(index, '"indonesia sentral"') == set()
    assert ids(index, '"kata pemerintah indonesia"') == {"title"}


def test_a_frequent_word_is_read_from_its_tier_with_the_same_top(tmp_path: Path) -> None:
    """Articles where a frequent word weighs a lot are in its tier; the top results of the
    tier are the top results of the whole posting list (the tier is only used when it fills
    the page)."""
    assert "pemerintah" in terms.frequent_words()
    rnd = random.Random(3)
    root = tmp_path / "lib"
    (root / "annotations").mkdir(parents=True)
    for i in range(120):
        n = rnd.choice([0, 1, 1, 1, 2, 3, 6])
        filler = " ".join(rnd.choice(["rakyat", "daerah", "harga", "laporan", "warga"])
                          for _ in range(rnd.randint(20, 200)))
        write(root, f"d/{i:03d}", f"{filler} " + "pemerintah kota " * n + "selesai.\n",
              language="id")
    config = Config.from_args(root)
    index = SearchIndex(config)
    index.update()
    node = parse("pemerintah")
    assert node is not None and plan(node).tiers
    tiered = [(r.id, round(r.score, 6)) for r in index.search("pemerintah", limit=10)]
    full = index._searcher.run(plan(node).full, 10)
    assert tiered == [(f[0], round(f[2], 6)) for f in full]
    # a page the tier cannot fill comes from the whole list
    whole = index._searcher.run(plan(node).full, 1000)
    assert 60 < len(whole) < 120
    assert [r.id for r in index.search("pemerintah", limit=len(whole))] == [
        f[0] for f in whole]


def test_results_are_kept_for_the_index_generation(lib: Config) -> None:
    index = SearchIndex(lib)
    index.update()
    first = index.search("sanksi")
    assert index.search("sanksi") == first
    assert index._results  # kept
    write(lib.library, "a/five", "Sanksi lagi.\n", language="id")
    index.update()
    assert {r.id for r in index.search("sanksi")} == {"a/one", "a/five"}


def test_a_typo_automaton_is_built_once(lib: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoosh built a fuzzy word's automaton for each segment, twice per search (sizing
    the query, then matching): ``goverment~`` on a 3-segment index built it 16 times."""
    from whoosh.automata import lev

    index = SearchIndex(lib)
    index.update()
    write(lib.library, "c/four", "The goverment said so.\n", language="en")
    index.update()  # a second segment
    built: list[tuple[str, int]] = []
    real = lev.levenshtein_automaton

    def counted(uterm: str, maxdist: int, prefix: int = 0) -> object:
        built.append((uterm, maxdist))
        return real(uterm, maxdist, prefix)

    monkeypatch.setattr(lev, "levenshtein_automaton", counted)
    assert ids(index, "govermant~") == {"a/two", "c/four"}
    assert len(built) == len(set(built)) >= 1
    before = len(built)
    assert ids(index, "govermant~ ") == {"a/two", "c/four"}  # not the kept results
    assert len(built) == before


def test_a_huge_article_costs_a_search_what_a_long_one_does(lib: Config) -> None:
    para = "Sanksi itu dibahas panjang lebar oleh para menteri di gedung parlemen. "
    write(lib.library, "huge", para * 300_000, language="id")  # 22 MB
    index = SearchIndex(lib)
    index.update()
    index.search("sanksi")
    t0 = time.perf_counter()
    found = {r.id: r for r in index.search("menteri parlemen")}
    assert time.perf_counter() - t0 < 1.0
    assert found["huge"].snippets and found["huge"].hits > 0


@pytest.mark.parametrize("pool_mb", [256, 0.2])  # 0.2: each process spills runs to disk
def test_a_build_in_several_processes_finds_what_one_process_finds(tmp_path: Path,
                                                                   pool_mb: float) -> None:
    corpora = corpora_or_skip()
    files = sorted((corpora / "id-detik").glob("*.txt"))[:150] + sorted(
        (corpora / "en-bbc").glob("politics/*.txt"))[:150]
    one, many = tmp_path / "one", tmp_path / "many"
    for root in (one, many):
        (root / "annotations").mkdir(parents=True)
        for f in files:
            dest = root / "articles" / f.parent.name / f.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(f.read_bytes())
    a = SearchIndex(Config.from_args(one))
    a.update()
    old, old_pool = update.MP_THRESHOLD, build.POOL_MB
    update.MP_THRESHOLD, build.POOL_MB = 10, pool_mb
    try:
        b = SearchIndex(Config.from_args(many))
        report = b.update()
    finally:
        update.MP_THRESHOLD, build.POOL_MB = old, old_pool
    assert report.total == len(files)
    for q in ("pemerintah", "said", '"prime minister"', "kerja sama", "minist*", "goverment~",
              "lang:en election", "presiden OR minister"):
        x = sorted((-round(r.score, 5), r.id) for r in a.search(q, limit=30))
        y = sorted((-round(r.score, 5), r.id) for r in b.search(q, limit=30))
        # (equal scores may come in another order: documents are numbered otherwise)
        assert [s for s, _ in x] == [s for s, _ in y], q
        assert {i for s, i in x if s < x[-1][0]} == {i for s, i in y if s < y[-1][0]}, q
    assert SearchIndex(Config.from_args(many)).update().unchanged
