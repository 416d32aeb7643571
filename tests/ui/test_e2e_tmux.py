"""End to end in a real terminal: tmux runs the ``reader`` console entry point on a temp copy
of the library, the test types keys and reads the screen with ``capture-pane``."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import Tmux, needs_tmux, reader_command, wait_for

pytestmark = needs_tmux


def test_read_an_article_and_quit(library_dir: Path, tmux: Tmux, tmp_path: Path) -> None:
    titles = {m.id: m.title for m in Library(Config.from_args(library_dir)).scan()}
    status = tmp_path / "exit-status"
    command = " ".join(shlex.quote(part) for part in
                       [*reader_command(), "--library", str(library_dir)])
    tmux.start(f"{command}; echo $? > {shlex.quote(str(status))}")

    def shows(text: str) -> Callable[[], bool]:
        return lambda: text in tmux.screen()

    for article_id in (SEED_LIPUTAN, SEED_KOMPAS):
        wait_for(shows(titles[article_id][:20]), f"the title of {article_id}", tmux.screen)
    assert "2 articles" in tmux.screen()

    tmux.keys("Enter")  # opens the first article (both seeds are dated the same day: by id)
    wait_for(shows("Kim Jong Un berpelukan"), "the text of the first article", tmux.screen)
    tmux.keys("j", "j", "Space")  # reading keys go to the reading view
    tmux.keys("?")
    wait_for(shows("Article list"), "the help screen", tmux.screen)
    tmux.keys("Escape")
    wait_for(lambda: "Article list" not in tmux.screen(), "the help to close", tmux.screen)

    tmux.keys("q")
    wait_for(status.exists, "the app to quit", tmux.screen)
    assert status.read_text().strip() == "0"
    assert (Config.from_args(library_dir).state_dir / "ui.json").exists()  # reading position
