"""End to end in a real terminal (tmux runs the ``reader`` console script): search for a word,
see the result, open it; open the review and see a tagged passage."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_KOMPAS
from tests.ui.conftest import Tmux, needs_tmux, reader_command, wait_for

pytestmark = needs_tmux


def start(tmux: Tmux, library_dir: Path, status: Path) -> None:
    command = " ".join(shlex.quote(part) for part in
                       [*reader_command(), "--library", str(library_dir)])
    tmux.start(f"{command}; echo $? > {shlex.quote(str(status))}")


def shows(tmux: Tmux, text: str) -> Callable[[], bool]:
    return lambda: text in tmux.screen()


def quit_app(tmux: Tmux, status: Path) -> None:
    tmux.keys("Escape", "Escape")
    tmux.keys("C-q")
    wait_for(status.exists, "the app to quit", tmux.screen)
    assert status.read_text().strip() == "0"


def test_search_and_open(library_dir: Path, tmux: Tmux, tmp_path: Path) -> None:
    status = tmp_path / "exit-status"
    start(tmux, library_dir, status)
    wait_for(shows(tmux, "2 articles"), "the list", tmux.screen)
    tmux.keys("/")
    # the box has the focus (its keys in the footer) before typing: a busy machine may take
    # a moment, and a letter sent earlier would go to the list
    wait_for(shows(tmux, "esc Clear"), "the search box", tmux.screen)
    for ch in "sanksi":
        tmux.keys(ch)
    wait_for(shows(tmux, "1 result"), "the search result", tmux.screen)
    assert "KOMPAS" in tmux.screen()
    tmux.keys("Enter")
    wait_for(shows(tmux, "Presiden Rusia Vladimir Putin tiba"), "the article", tmux.screen)
    tmux.keys("n")
    tmux.keys("Escape", "Escape")  # back to the results, then the full list
    wait_for(lambda: "result" not in tmux.screen() and "2 articles" in tmux.screen(),
             "the full list again", tmux.screen)
    tmux.keys("C-q")
    wait_for(status.exists, "the app to quit", tmux.screen)
    assert status.read_text().strip() == "0"


def test_review_shows_a_tagged_passage(library_dir: Path, tmux: Tmux, tmp_path: Path) -> None:
    config = Config.from_args(library_dir)
    kompas = Library(config).load(SEED_KOMPAS)
    at = kompas.text.index("sanksi yang dipimpin")
    AnnotationStore(config.annotations_dir).add(kompas, at, at + 20, ["sanctions"],
                                                "tmux note")
    status = tmp_path / "exit-status"
    start(tmux, library_dir, status)
    wait_for(shows(tmux, "2 articles"), "the list", tmux.screen)
    tmux.keys("C-r")
    wait_for(shows(tmux, "sanksi yang dipimpin"), "the tagged passage", tmux.screen)
    assert "sanctions" in tmux.screen() and "tmux note" in tmux.screen()
    tmux.keys("Enter")
    wait_for(shows(tmux, "Presiden Rusia Vladimir Putin"), "the article", tmux.screen)
    tmux.keys("Escape")
    wait_for(shows(tmux, "tmux note"), "the review again", tmux.screen)
    tmux.keys("Escape")
    wait_for(shows(tmux, "2 articles"), "the main screen", tmux.screen)
    tmux.keys("C-q")
    wait_for(status.exists, "the app to quit", tmux.screen)
    assert status.read_text().strip() == "0"
