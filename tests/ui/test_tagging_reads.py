"""One tag in the running reader parses the article's annotation file once: the change reads
it under the lock; the redraw, the list's counts and the search index's tags are served what
the change wrote. Counted by wrapping the YAML loader, in the real app with Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader import yamlio
from reader.config import Config
from reader.ui.app import ReaderApp
from tests.conftest import SEED_LIPUTAN
from tests.ui.conftest import settle
from tests.ui.test_tagging_app import (
    SIZE,
    open_article,
    second_sentence,
    tag_sentence_with_keys,
)


async def test_one_tag_reads_the_annotation_file_once(config: Config,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []
    real = yamlio.parse

    def counting(path: Path, text: str, loader_class: Any = None) -> Any:
        if path.name == f"{SEED_LIPUTAN}.yaml":
            reads.append(path)
        return real(path, text, loader_class)

    monkeypatch.setattr(yamlio, "parse", counting)
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        start, _ = second_sentence(view.article.text)
        await tag_sentence_with_keys(pilot, view, start + 3, "1", "enter")  # the file is made
        await settle(pilot)
        reads.clear()
        later = [s for s in range(start + 200, len(view.article.text))
                 if view.article.text[s - 2:s] == ". "][0]
        await tag_sentence_with_keys(pilot, view, later + 3, "2", "enter")
        await settle(pilot)
        assert len(app.store.load(view.article).annotations) == 2
    print(f"YAML reads of the annotation file for one tag in the reader: {len(reads)}")
    assert len(reads) == 1
