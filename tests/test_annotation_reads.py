"""One tag costs one write and one read (YAML parse) of the article's annotation file: the
store re-reads the file under the lock to merge, and what it wrote serves the redraw and the
search index after it. Counted by wrapping the loader, with a real index and the real CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader import yamlio
from reader.annotations.store import AnnotationStore
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from reader.search.index import SearchIndex
from tests.conftest import SEED_LIPUTAN


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch, config: Config) -> Iterator[list[Path]]:
    """Every parse of an annotation file (the vocabulary and other YAML files not counted)."""
    seen: list[Path] = []
    real = yamlio.parse

    def counting(path: Path, text: str, loader_class: Any = None) -> Any:
        if path.suffix == ".yaml" and config.annotations_dir in path.parents:
            seen.append(path)
        return real(path, text, loader_class)

    monkeypatch.setattr(yamlio, "parse", counting)
    yield seen


def _span(text: str, quote: str) -> tuple[int, int]:
    i = text.index(quote)
    return i, i + len(quote)


def test_a_tag_in_the_reader_reads_the_file_once(config: Config, reads: list[Path]) -> None:
    """What the reading view does: the change, the redraw, the index's tags and notes."""
    library = Library(config)
    index = SearchIndex(config)
    index.update()
    store = AnnotationStore(config.annotations_dir)
    article = library.load(SEED_LIPUTAN)
    store.add(article, *_span(article.text, "berjabat tangan"), ["treaties"])
    assert store.load(article).annotations  # opened: the file is there now
    reads.clear()

    ann = store.add(article, *_span(article.text, "cukup lama"), ["sanctions"], note="x")
    shown = store.load(article)  # the redraw
    index.update_annotations(article.id)  # the index's tags and notes
    print(f"YAML reads for one tag (change, redraw, index): {len(reads)}")
    assert len(reads) == 1
    assert [a.id for a in shown.annotations if a.id == ann.id] == [ann.id]
    assert [r.id for r in index.search("tag:sanctions")] == [article.id]
    assert len(reads) == 1  # the search's passage for the hit: from memory too


def test_a_tag_from_the_command_line_reads_the_file_once(config: Config, reads: list[Path],
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert main(["--library", str(config.library), "index"]) == 0
    assert main(["--library", str(config.library), "annotate", SEED_LIPUTAN, "--quote",
                 "berjabat tangan", "--tag", "treaties"]) == 0
    reads.clear()
    assert main(["--library", str(config.library), "annotate", SEED_LIPUTAN, "--quote",
                 "cukup lama", "--tag", "sanctions"]) == 0
    capsys.readouterr()
    with capsys.disabled():
        print(f"YAML reads for `reader annotate` (change and index): {len(reads)}")
    assert len(reads) == 1
    assert main(["--library", str(config.library), "search", "tag:sanctions"]) == 0
    assert SEED_LIPUTAN in capsys.readouterr().out


def test_a_file_changed_elsewhere_is_read_again(config: Config, reads: list[Path]) -> None:
    """Nothing is served from memory once the file on disk is another one."""
    library = Library(config)
    article = library.load(SEED_LIPUTAN)
    mine, theirs = (AnnotationStore(config.annotations_dir),
                    AnnotationStore(config.annotations_dir))
    a = mine.add(article, *_span(article.text, "berjabat tangan"), ["treaties"])
    assert [x.id for x in mine.load(article).annotations] == [a.id]
    path = mine.path_for(article.id)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- treaties", "- sanctions"), encoding="utf-8")  # by hand
    assert mine.load(article).annotations[0].tags == ["sanctions"]
    b = theirs.add(article, *_span(article.text, "cukup lama"), ["treaties"])
    assert [x.id for x in mine.load(article).annotations] == [a.id, b.id]
    path.unlink()
    assert mine.load(article).annotations == []
    assert mine.tags_and_notes(article.id) == ([], [])
