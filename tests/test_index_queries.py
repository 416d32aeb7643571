"""Every query answers, or is refused with a one-line message, in about a second."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from reader.search.index import QueryError, SearchIndex
from reader.search.query import (
    MAX_DEPTH,
    MAX_FUZZY_LETTERS,
    MAX_PHRASE_WORDS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
)
from reader.search.searcher import MAX_EXPANSIONS

HOSTILE = {  # each took seconds or ended in RecursionError
    "400 nested parentheses": "(" * 400 + "kerja" + ")" * 400,
    "NOT 2,000 times": "NOT " * 2000 + "kerja",
    "- 2,000 times": "-" * 2000 + "kerja",
    "- 2,000 times, spaced": "- " * 2000 + "kerja",
    "a 4,000-letter word~2": "k" * 4000 + "~2",
    "a 40,000-letter word~2": "k" * 40_000 + "~2",
    "a 5,200-term OR": " OR ".join(f"kata{i}" for i in range(5200)),
    "17 words": " ".join(f"kata{i}" for i in range(MAX_TERMS + 1)),
    "11 levels": "(" * (MAX_DEPTH + 1) + "kerja" + ")" * (MAX_DEPTH + 1),
    "a 21-letter word~": "k" * (MAX_FUZZY_LETTERS + 1) + "~",
    "a 33-word phrase": '"' + " ".join(["kerja"] * (MAX_PHRASE_WORDS + 1)) + '"',
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    import shutil

    from tests.conftest import SEEDS

    lib = tmp_path_factory.mktemp("queries") / "lib"
    shutil.copytree(SEEDS, lib / "articles")
    (lib / "annotations").mkdir()
    # 400 words starting with 'zq': a prefix standing for too many words
    words = " ".join(f"zq{i:03d}x" for i in range(400))
    (lib / "articles" / "many.txt").write_text(f"Kata {words}.\n", encoding="utf-8")
    ix = SearchIndex(Config.from_args(lib, tmp_path_factory.mktemp("ix")))
    ix.update()
    return ix


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_query_is_refused_at_once_in_one_line(index: SearchIndex, name: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(QueryError) as caught:
        index.search(HOSTILE[name])
    assert time.monotonic() - t0 < 1.0, name
    message = str(caught.value)
    assert message and "\n" not in message and len(message) < 120, message


@pytest.mark.parametrize("query", [
    "(" * MAX_DEPTH + "kerja" + ")" * MAX_DEPTH,
    "NOT " * (MAX_DEPTH - 1) + "NOT peluk",
    " OR ".join(["kerja", "sama", "peluk", "senjata"] * (MAX_TERMS // 4)),
    " ".join(["kerja"] * MAX_TERMS),
    "kerjasamamiliterbaru"[:MAX_FUZZY_LETTERS] + "~2",
    '"' + " ".join(["kerja sama"] * (MAX_PHRASE_WORDS // 2)) + '"',
    ("kerja " * (MAX_TERMS - 1)).ljust(MAX_QUERY_CHARS - 4) + "sama",
])
def test_a_query_at_the_limits_answers_quickly(index: SearchIndex, query: str) -> None:
    t0 = time.monotonic()
    index.search(query)
    assert time.monotonic() - t0 < 2.0  # (about a second on a busy machine)


@pytest.mark.parametrize("query", ["o~", "é~", "source:o~", "k~2"])
def test_a_one_letter_word_with_a_typo_is_refused_and_the_index_left_alone(
        index: SearchIndex, query: str) -> None:
    """Whoosh's typo automaton fails on words shorter than the letters a typo must keep:
    the search took that for a damaged index and rebuilt it."""
    with pytest.raises(QueryError, match="needs at least 2 letters"):
        index.search(query)
    assert index.take_notice() == ""


def test_a_prefix_standing_for_too_many_words_is_refused(index: SearchIndex) -> None:
    assert MAX_EXPANSIONS < 400
    with pytest.raises(QueryError, match="'zq\\*' stands for more than"):
        index.search("zq*")
    assert [r.id for r in index.search("zq00*")] == ["many"]  # 10 words: fine
    assert [r.id for r in index.search("zq1*")] == ["many"]  # 100 words: fine


def test_the_command_line_refuses_in_one_line(library_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("400 nested parentheses", "a 5,200-term OR", "a 40,000-letter word~2"):
        t0 = time.monotonic()
        assert main(["--library", str(library_dir), "search", HOSTILE[name]]) == 2
        assert time.monotonic() - t0 < 30  # the first run builds the index
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("reader: error: bad query:"), err
