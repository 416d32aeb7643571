"""A tag renamed in another terminal while the picker was open is never written: the store
checks the vocabulary file on disk under the lock, and the reader says it was not saved."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.tag_picker import TagPicker
from tests.conftest import REPO, SEED_LIPUTAN
from tests.ui.conftest import settle
from tests.ui.test_tagging_app import SIZE, open_article, second_sentence, yaml_path


async def test_tag_renamed_elsewhere_while_the_picker_is_open(config: Config) -> None:
    Vocabulary(config.vocabulary_path).add("recognition")
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        start, _ = second_sentence(view.article.text)
        view.cursor = start + 3
        await pilot.press("s", "t")
        await pilot.pause()
        assert isinstance(app.screen, TagPicker)
        await pilot.press("4")  # "recognition", ticked in the picker as it was opened
        rename = subprocess.run(
            [sys.executable, "-m", "reader", "--library", str(config.library), "tags",
             "--rename", "recognition", "pengakuan wilayah"],
            capture_output=True, text=True, cwd=REPO, timeout=60)
        assert rename.returncode == 0, rename.stderr
        notes: list[str] = []
        shown = app.notify

        def notify(message: str, **kw: Any) -> None:  # what the user is told, still shown
            notes.append(str(message))
            shown(message, **kw)

        app.notify = notify  # type: ignore[method-assign]
        await pilot.press("enter")
        await settle(pilot)
    assert any("recognition" in n and "not in the vocabulary" in n for n in notes), notes
    assert not yaml_path(config).exists() or "recognition" not in yaml_path(config).read_text(
        encoding="utf-8")
