"""``memo:WORD`` finds the articles whose memos hold the word: real memo files, a real
index, the query language as a user types it; the index's schema is not involved."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.annotations.memos import MemoStore
from reader.config import Config
from reader.search.analysis import folded_words
from reader.search.index import QueryError, SearchIndex
from reader.search.memo_filter import matching_articles
from reader.search.query import Word, parse
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


@pytest.fixture
def index(config: Config) -> SearchIndex:
    ix = SearchIndex(config)
    ix.update()
    return ix


def ids(index: SearchIndex, query: str) -> set[str]:
    return {r.id for r in index.search(query, limit=100)}


def test_memo_finds_articles_whose_memos_hold_the_word(config: Config,
                                                        index: SearchIndex) -> None:
    memos = MemoStore(config.annotations_dir)
    memos.add("article", SEED_LIPUTAN, "Check the dateline against the wire copy", "to do")
    memos.add("article", SEED_KOMPAS, "Sanctions framed as cooperation", "theory")
    memos.add("tag", "sanctions", "Dateline matters here too")  # not an article memo
    memos.add("library", "", "dateline everywhere")
    assert ids(index, "memo:dateline") == {SEED_LIPUTAN}
    assert ids(index, "memos:DATELINES") == {SEED_LIPUTAN}  # folded and stemmed
    assert ids(index, "memo:datel*") == {SEED_LIPUTAN}
    assert ids(index, "memo:datelnie~") == {SEED_LIPUTAN}
    assert ids(index, 'memo:"wire copy"') == {SEED_LIPUTAN}
    assert ids(index, 'memo:"copy wire"') == set()
    assert ids(index, "memo:dateline OR memo:sanctions") == {SEED_LIPUTAN, SEED_KOMPAS}
    assert ids(index, "memo:nowhere") == set()
    everything = ids(index, "lang:id OR lang:en")
    assert ids(index, "-memo:dateline") == everything - {SEED_LIPUTAN}
    # combined with words of the article: the filter narrows the text search
    title = index.search("memo:cooperation")[0].title
    word = max(folded_words(title), key=len)
    assert SEED_KOMPAS in ids(index, f"{word} memo:cooperation")
    assert ids(index, f"{word} memo:dateline") <= {SEED_LIPUTAN}


def test_a_memo_written_after_the_index_is_found_at_once(config: Config,
                                                          index: SearchIndex) -> None:
    assert ids(index, "memo:pyongyang") == set()
    MemoStore(config.annotations_dir).add("article", SEED_KOMPAS, "Pyongyang angle")
    assert ids(index, "memo:pyongyang") == {SEED_KOMPAS}  # no re-index needed


def test_a_broken_memo_file_is_skipped_not_fatal(config: Config, index: SearchIndex) -> None:
    memos = MemoStore(config.annotations_dir)
    memos.add("article", SEED_KOMPAS, "treaty text")
    bad = memos.dir / "article" / SEED_LIPUTAN / "broken.md"
    bad.parent.mkdir(parents=True)
    bad.write_text("---\nscope: [\n---\ntreaty\n", encoding="utf-8")
    assert ids(index, "memo:treaty") == {SEED_KOMPAS}
    assert bad.read_text(encoding="utf-8") == "---\nscope: [\n---\ntreaty\n"


def test_memo_needs_a_value() -> None:
    with pytest.raises(QueryError):
        parse("memo:")


def test_memo_matching_agrees_with_a_plain_word_scan() -> None:
    """Random memos of random words: memo:W matches exactly the memos holding W."""
    rng = random.Random(15)
    vocab = ["kerja", "sama", "rusia", "korea", "senjata", "amunisi", "treaty", "arms",
             "sanksi", "pasukan", "latihan", "nuklir"]
    memos = [(f"a{i}", " ".join(rng.choices(vocab, k=rng.randint(1, 12))))
             for i in range(300)]
    checked = 0
    for w in vocab:
        want = sorted({a for a, t in memos if w in t.split()})
        assert set(want) <= set(matching_articles(Word(w), memos)), w  # never fewer
        checked += len(want)
    print(f"memo matching: {len(memos)} memos, {checked} expected matches checked")
    assert checked > 100


def test_memos_are_read_only_for_a_memo_query(config: Config, index: SearchIndex,
                                               tmp_path: Path) -> None:
    memos = MemoStore(config.annotations_dir)
    memos.add("article", SEED_KOMPAS, "x")
    bad = memos.dir / "article" / "z" / "broken.md"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"\xff\xfe not utf-8")
    index.search("kerja")  # no memo term: the memo files are not even read
    assert ids(index, "memo:x") == {SEED_KOMPAS}


def test_memo_matching_over_real_news_finds_every_memo_holding_the_word() -> None:
    """Real paragraphs (BBC and Detik) as memos; random words of them as queries. memo:W
    returns every memo whose words hold W as written (never fewer), and only memos holding a
    word that shares a stem with W."""
    from reader.search.analysis import stems
    from tests.conftest import corpora_or_skip

    root = corpora_or_skip()
    rng = random.Random(1515)
    files = sorted(root.glob("en-bbc/*/*.txt")) + sorted(root.glob("id-detik/*.txt"))
    memos: list[tuple[str, str]] = []
    for path in rng.sample(files, 200):
        paras = [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        memos.append((path.relative_to(root).as_posix(), rng.choice(paras)))
    words = {a: folded_words(t) for a, t in memos}
    queries = rng.sample(sorted({w for ws in words.values() for w in ws if len(w) > 3}), 150)
    exact_total = found_total = 0
    for q in queries:
        found = set(matching_articles(Word(q), memos))
        exact = {a for a, ws in words.items() if q in ws}
        assert exact <= found, q
        wanted = stems(q) | {q}
        assert all(any(stems(w) & wanted or w == q for w in words[a]) for a in found), q
        exact_total += len(exact)
        found_total += len(found)
    print(f"memo: over {len(memos)} real memos, {len(queries)} words: {exact_total} memos "
          f"hold them as written, {found_total} found (stems join the rest)")
    assert exact_total >= len(queries)
