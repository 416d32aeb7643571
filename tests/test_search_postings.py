"""Reading posting lists fast must not change what is read: skips by bisection, blocks kept
in a bounded cache (evicted or not), and the tiers of frequent words against the exhaustive
ranking on real news."""
from __future__ import annotations

import random
import shutil
from bisect import bisect_left
from pathlib import Path

import pytest

from reader.config import Config
from reader.search import terms, whoosh_fixes
from reader.search.index import SearchIndex
from reader.search.query import QueryError
from tests.conftest import corpora_or_skip


def _library(root: Path, count: int, rnd: random.Random) -> tuple[Config, dict[str, set[str]]]:
    """``count`` short articles; the words ``alpha`` .. ``delta`` in random shares of them
    (several blocks of postings each). Returns the config and word -> article ids."""
    (root / "annotations").mkdir(parents=True)
    share = {"alpha": 0.9, "beta": 0.5, "gamma": 0.1, "delta": 0.02}
    holders: dict[str, set[str]] = {w: set() for w in share}
    for i in range(count):
        words = [w for w, p in share.items() if rnd.random() < p]
        for w in words:
            holders[w].add(f"d/{i:05d}")
        body = " ".join(words * rnd.randint(1, 3)) + " filler text."
        path = root / "articles" / "d" / f"{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nlanguage: en\n---\n{body}\n", encoding="utf-8")
    return Config.from_args(root), holders


def test_skips_land_where_the_whole_list_says_warm_cold_and_evicted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(7)
    config, _ = _library(tmp_path / "lib", 1500, rnd)
    index = SearchIndex(config)
    index.update()
    searcher = index._searcher._get()
    checked = 0
    for budget in (whoosh_fixes.MAX_CACHED_POSTINGS, 300):  # then blocks evicted all along
        monkeypatch.setattr(whoosh_fixes, "MAX_CACHED_POSTINGS", budget)
        for word in ("alpha", "beta", "gamma", "delta"):
            for sub, _offset in searcher.leaf_searchers():
                reader = sub.reader()
                term = terms.EXACT + word
                if ("words", term) not in reader:
                    continue
                every = list(reader.postings("words", term).all_ids())
                weights = dict(reader.postings("words", term).items_as("weight"))
                for _ in range(40):
                    m = reader.postings("words", term)
                    target = 0
                    while m.is_active():
                        target += rnd.randint(1, 300)
                        m.skip_to(target)
                        i = bisect_left(every, target)
                        if i == len(every):
                            assert not m.is_active()
                            break
                        assert m.id() == every[i]
                        assert m.weight() == weights[every[i]]
                        checked += 1
    print(f"{checked} skips checked against the whole posting lists")
    assert checked > 1000


def test_search_answers_the_same_with_blocks_kept_or_evicted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(11)
    config, holders = _library(tmp_path / "lib", 1200, rnd)
    index = SearchIndex(config)
    index.update()
    index.result_cache = False
    queries = ["alpha", "beta gamma", "alpha OR delta", "gamma -beta", '"alpha beta"',
               "delta alpha"]
    first = {q: [(r.id, round(r.score, 6)) for r in index.search(q, limit=30)]
             for q in queries}
    again = {q: [(r.id, round(r.score, 6)) for r in index.search(q, limit=30)]
             for q in queries}
    monkeypatch.setattr(whoosh_fixes, "MAX_CACHED_POSTINGS", 200)
    evicted = {q: [(r.id, round(r.score, 6)) for r in index.search(q, limit=30)]
               for q in queries}
    assert first == again == evicted
    every_delta = {r.id for r in index.search("delta", limit=2000)}
    assert every_delta == holders["delta"]


def _corpus_library(root: Path, per_group: int) -> Config:
    corpora = corpora_or_skip()
    (root / "annotations").mkdir(parents=True)
    groups = [sorted(corpora.glob("en-bbc/*/*.txt"))[::7][:per_group],
              sorted(corpora.glob("id-detik/*.txt"))[:per_group],
              sorted(corpora.glob("id-indosum/*.txt"))[:per_group]]
    for files in groups:
        for f in files:
            dest = root / "articles" / f.parent.name / f.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
    return Config.from_args(root)


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """1,800 corpus articles, indexed in three commits, with some articles changed and
    removed (segments with deleted documents)."""
    root = tmp_path_factory.mktemp("news") / "lib"
    config = _corpus_library(root, 600)
    files = sorted((root / "articles").rglob("*.txt"))
    held = {f: f.read_bytes() for f in files[::3]}
    for f in held:
        f.unlink()
    SearchIndex(config).update()
    for f, data in held.items():
        f.write_bytes(data)
    SearchIndex(config).update()
    for f in files[1::50]:
        f.write_text(f.read_text(encoding="utf-8") + "\nPembaruan: sanksi baru.\n",
                     encoding="utf-8")
    for f in files[2::97]:
        f.unlink()
    SearchIndex(config).update()
    return config


def test_scoring_a_term_at_a_time_answers_as_whoosh(news: Config) -> None:
    """Random queries of every kind on the corpus index: the top 20 (articles and scores)
    scored over arrays is the top 20 of Whoosh's matchers."""
    index = SearchIndex(news)
    index.update()
    index.result_cache = False
    index.use_tiers = False
    rnd = random.Random(13)
    words = sorted(terms.frequent_words())
    rare = ["sanksi", "embargo", "inflasi", "minyak", "election", "ekonomi", "minister",
            "presiden", "olahraga", "film", "teknologi", "kunjungan", "harga"]
    shapes = ["{a}", "{a} {b}", "{a} OR {b}", "{a} -{b}", '"{a} {b}"', "{p}*", "{a}~",
              "title:{a}", "lang:en {a}", "lang:id {b}", "date:[2016-01-01 TO 2017-06-30] {a}",
              "({a} OR {b}) {c}", "NOT {a}", "source:bbc {a}", "{a} {b} {c}"]
    checked = 0
    for _ in range(80):
        a, b, c = (rnd.choice(words + rare) for _ in range(3))
        q = rnd.choice(shapes).format(a=a, b=b, c=c, p=a[:5])
        try:
            index._searcher.term_at_a_time = False
            whoosh = [(r.id, round(r.score, 6)) for r in index.search(q, limit=20)]
            index._searcher.term_at_a_time = True
            arrays = [(r.id, round(r.score, 6)) for r in index.search(q, limit=20)]
        except QueryError:
            continue
        assert arrays == whoosh, q
        checked += 1
    print(f"{checked} random queries: the same top 20 and scores either way")
    assert checked > 60


def test_the_tiers_find_the_exhaustive_top_on_real_news(news: Config) -> None:
    """Random queries of frequent words (one, two ANDed, two ORed, with a filter) on the
    corpus articles: the top 5 through the tiers is the top 5 with every match scored. (The
    tiers without their ceiling lost part of the top 5 of 3 queries in 60.)"""
    index = SearchIndex(news)
    index.update()
    index.result_cache = False
    rnd = random.Random(5)
    words = sorted(terms.frequent_words())
    queries: set[str] = set()
    while len(queries) < 120:
        a, b = rnd.choice(words), rnd.choice(words)
        queries.add(rnd.choice([a, f"{a} {b}", f"{a} OR {b}", f"lang:en {a}", f"lang:id {a}"]))
    same = tiered_used = 0
    differ = []
    for q in sorted(queries):
        tiered = [r.id for r in index.search(q, limit=5)]
        tiered_used += index.answered_by_tier
        index.use_tiers = False
        full = [r.id for r in index.search(q, limit=5)]
        index.use_tiers = True
        if tiered == full:
            same += 1
        else:
            differ.append(q)
    print(f"{same} of {len(queries)} queries: the same top 5 with and without tiers; "
          f"answered by a tier: {tiered_used}; differ: {differ}")
    assert tiered_used >= 8
    assert same == len(queries)


def test_warming_reads_the_lengths_a_first_search_needs(tmp_path: Path) -> None:
    config, _ = _library(tmp_path / "lib", 300, random.Random(2))
    index = SearchIndex(config)
    index.update()
    searcher = index._searcher._get()
    readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
    assert not any("_reader_norms" in r.__dict__ for r in readers)
    index.warm()
    for reader in readers:
        fields = {field for field, _average in reader.__dict__["_reader_norms"]}
        assert fields == {"words", "title"}
    assert [r.id for r in index.search("beta", limit=5)]


def test_ids_are_the_ranked_results_and_a_cancelled_search_makes_no_snippets(
        tmp_path: Path) -> None:
    config, holders = _library(tmp_path / "lib", 400, random.Random(4))
    index = SearchIndex(config)
    index.update()
    index.result_cache = False
    for q in ("alpha", "beta gamma", "gamma OR delta", "alpha -beta", '"alpha beta"'):
        assert index.ids(q, limit=1000) == [r.id for r in index.search(q, limit=1000)]
    assert set(index.ids("delta", limit=10_000)) == holders["delta"]
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(True)
        return True

    assert index.search("alpha", cancelled=cancelled) == [] and asked
    assert index.search("alpha", cancelled=lambda: False)
