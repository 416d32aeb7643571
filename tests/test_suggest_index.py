"""Suggestions read only the articles the search index names (those whose indexed stems
hold a cue's terms) and are the same as reading every article: on a random sample of the
corpora, with tagged passages, a rejection, and cues of several words, of Indonesian derived
words and of stop words; the scan is what is left without an index. Prints the counts."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from reader.review import suggest as suggestmod
from reader.review.suggest import Suggestion, suggest
from reader.search.index import SearchIndex
from tests.conftest import corpora_or_skip

SAMPLE = 300
EXTRA_CUES = ("kerja keras", "antara", "menyepakati", "pengusaha", "prime minister",
              "possibility")


def _counted(config: Config, **kwargs: object) -> tuple[list[Suggestion], int]:
    """The suggestions and how many articles were read for them."""
    seen = [0]

    def progress(done: int, total: int) -> None:
        seen[0] = total

    found = suggest(config, progress=progress, **kwargs)  # type: ignore[arg-type]
    return found, seen[0]


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, int]:
    """A library of SAMPLE random corpus articles (seed printed), some tagged, one
    suggestion rejected, an extra tag; its index built."""
    corpora = corpora_or_skip()
    seed = random.randrange(1_000_000)
    print(f"\nseed {seed}")
    rng = random.Random(seed)
    names = sorted(p.relative_to(corpora).as_posix()[:-4] for p in corpora.glob("*/**/*.txt"))
    lib = tmp_path_factory.mktemp("suggest-index")
    for name in rng.sample(names, SAMPLE):
        dest = lib / "articles" / f"{name}.txt"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpora / f"{name}.txt", dest)
    (lib / "annotations").mkdir()
    config = Config.from_args(lib, lib.parent / f"{lib.name}-index")  # shared by the tests
    Vocabulary(config.vocabulary_path).add("extra", cues=EXTRA_CUES)
    before = suggest(config)
    store = AnnotationStore(config.annotations_dir)
    library = Library(config)
    for s in rng.sample(before, min(20, len(before))):  # tagged: no longer suggested
        store.add(library.load(s.article_id), s.start, s.end, [s.tag])
    suggestmod.reject(config, rng.choice(before))
    SearchIndex(config).update()
    return config, seed


def test_the_index_reads_fewer_articles_and_finds_the_same(sampled: tuple[Config, int]
                                                            ) -> None:
    config, seed = sampled
    index = SearchIndex(config)
    scanned, read_all = _counted(config, held_back=True)
    indexed, read_some = _counted(config, held_back=True, index=index)
    assert indexed == scanned, f"seed {seed}"
    assert read_all == SAMPLE and read_some < read_all, f"seed {seed}"
    for tags in (["extra"], ["treaties", "sanctions"]):
        assert suggest(config, tags, index=index) == suggest(config, tags), f"seed {seed}"
    ids = sorted({s.article_id for s in scanned})[::3] + ["no/such-article"]
    assert (suggest(config, article_ids=ids, index=index)
            == suggest(config, article_ids=ids)), f"seed {seed}"
    print(f"{SAMPLE} corpus articles: {len(scanned)} suggestions (held back included) in "
          f"{len({s.article_id for s in scanned})} articles; the index named {read_some} "
          f"articles to read, the scan looked at {read_all}; identical")


def test_without_an_index_every_article_is_looked_at(sampled: tuple[Config, int],
                                                     tmp_path: Path) -> None:
    config, _ = sampled
    none = Config.from_args(config.library, tmp_path / "no-index")
    found, read = _counted(none, index=SearchIndex(none))
    assert read == SAMPLE and found == suggest(config)
    assert not (tmp_path / "no-index").exists() or not any((tmp_path / "no-index").iterdir())


def test_reader_suggest_uses_the_index_and_never_builds_one(
        sampled: tuple[Config, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = sampled
    lib = str(config.library)
    assert main(["--library", lib, "--index", str(config.index_dir), "suggest", "--json"]) == 0
    with_index = json.loads(capsys.readouterr().out)
    empty = tmp_path / "empty-index"
    assert main(["--library", lib, "--index", str(empty), "suggest", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == with_index
    assert not empty.exists() or not any(empty.iterdir())  # no index built for this
    assert len(with_index) == len(suggest(config))
