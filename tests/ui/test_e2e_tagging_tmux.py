"""End to end under tmux: select a sentence with the keyboard and words with the mouse, tag
them, quit, restart, see them (the list's count, the YAML, the highlights' tags).

Runs the real ``reader`` TUI in a detached tmux session (its own tmux server) on a temp
library; mouse drags are sent as the SGR escape sequences a terminal writes."""

from __future__ import annotations

import os
import re
import shlex
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from reader.config import Config
from reader.library.articles import Library
from reader.library.text import sentence_at
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import Tmux, needs_tmux

pytestmark = needs_tmux

WIDTH, HEIGHT = 180, 40  # wide enough for the list to show its Notes column


def wait_for(tmux: Tmux, check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    tmux.wait_for(check, what, timeout)


def opened_article(screen: str) -> str:
    """Which seed the reading view shows, from its metadata line."""
    if "Liputan6.com ·" in screen:
        return SEED_LIPUTAN
    assert "KOMPAS" in screen, screen
    return SEED_KOMPAS


def test_tag_with_keys_and_mouse_quit_restart_and_see_them(library_dir: Path,
                                                           tmux: Tmux) -> None:
    command = (f"{shlex.quote(sys.executable)} -m reader --library "
               f"{shlex.quote(str(library_dir))}")
    library = Library(Config.from_args(library_dir))

    tmux.start(command, WIDTH, HEIGHT)
    wait_for(tmux, lambda: "2 articles" in tmux.screen(), "the article list")
    tmux.keys("Enter")  # open the article under the list's cursor
    wait_for(tmux, lambda: " words" in tmux.screen() and "Sentence" in tmux.screen(),
             "the article text")
    article_id = opened_article(tmux.screen())
    article = library.load(article_id)
    yaml_path = library_dir / "annotations" / f"{article_id}.yaml"

    # the keyboard: s selects the sentence at the cursor (the top of the text), t 1 Enter
    tmux.keys("s", "t")
    wait_for(tmux, lambda: "[ ] 1 ██ sanctions" in tmux.screen(), "the tag picker")
    tmux.keys("1", "Enter")
    wait_for(tmux, yaml_path.exists, "the annotation file")
    [first] = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))["annotations"]
    assert first["tags"] == ["sanctions"]
    assert (first["start"], first["end"]) == sentence_at(article.text, first["start"])
    assert first["quote"] == article.text[first["start"]:first["end"]]
    wait_for(tmux, lambda: re.search(r"\b1 ●", tmux.screen()) is not None, "the list's count")

    # the mouse: drag over the first words of the second paragraph
    para = [b for b in article.blocks if b.kind == "paragraph"][1]
    words = [(m.start() + para.start, m.end() + para.start)
             for m in re.finditer(r"\w+", article.text[para.start:para.end])][:4]
    lead = article.text[words[0][0]:words[-1][1]]
    rows = tmux.screen().splitlines()
    y = next(i for i, line in enumerate(rows) if lead in line)
    x = rows[y].index(lead)
    tmux.drag(x + 1, x + (words[-1][1] - words[0][0]) - 2, y)
    tmux.keys("t")
    wait_for(tmux, lambda: "[ ] 3 ██ treaties" in tmux.screen(), "the tag picker (mouse)")
    tmux.keys("3", "Enter")
    wait_for(tmux, lambda: re.search(r"\b2 ●", tmux.screen()) is not None,
             "the list's count of two")
    anns = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))["annotations"]
    second = next(a for a in anns if a["id"] != first["id"])
    assert (second["start"], second["end"]) == (words[0][0], words[-1][1])
    assert second["tags"] == ["treaties"]
    tmux.keys("q")
    wait_for(tmux, lambda: not tmux.alive(), "the app to quit", timeout=60)

    tmux.start(command, WIDTH, HEIGHT)
    wait_for(tmux, lambda: re.search(r"\b2 ●● ", tmux.screen()) is not None,
             "the annotation count in the list after the restart")
    tmux.keys("Enter")  # the list comes back on the article read last
    wait_for(tmux, lambda: " words" in tmux.screen() and "Sentence" in tmux.screen(),
             "the article text after the restart")
    assert opened_article(tmux.screen()) == article_id
    tmux.keys("g", "]", "e")  # the cursor on the second highlight: its tags are ticked
    wait_for(tmux, lambda: "[x] 3 ██ treaties" in tmux.screen(), "the mouse highlight")
    tmux.keys("Escape", "[", "e")
    wait_for(tmux, lambda: "[x] 1 ██ sanctions" in tmux.screen(), "the keyboard highlight")
    tmux.keys("Escape", "q")
    wait_for(tmux, lambda: not tmux.alive(), "the app to quit", timeout=60)


def test_a_killed_app_loses_nothing_it_confirmed(library_dir: Path, tmux: Tmux) -> None:
    command = (f"{shlex.quote(sys.executable)} -m reader --library "
               f"{shlex.quote(str(library_dir))}")
    tmux.start(command, WIDTH, HEIGHT)
    wait_for(tmux, lambda: "2 articles" in tmux.screen(), "the article list")
    tmux.keys("Enter")
    wait_for(tmux, lambda: " words" in tmux.screen() and "Sentence" in tmux.screen(),
             "the article text")
    article_id = opened_article(tmux.screen())
    yaml_path = library_dir / "annotations" / f"{article_id}.yaml"
    tmux.keys("s", "t")
    wait_for(tmux, lambda: "[ ] 2 ██ military cooperation" in tmux.screen(), "the tag picker")
    tmux.keys("2", "Enter")
    wait_for(tmux, lambda: "Tagged “" in tmux.screen(), "the confirmation")
    pid = int(tmux.run("display-message", "-p", "-t", tmux.session, "#{pane_pid}").strip())
    os.kill(pid, signal.SIGKILL)  # no chance to flush or clean up
    wait_for(tmux, lambda: not tmux.alive(), "the app to die")
    [ann] = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))["annotations"]
    assert ann["tags"] == ["military cooperation"]
    leftovers = [p.name for p in yaml_path.parent.iterdir()
                 if p.name not in (yaml_path.name, ".lock", ".gitignore")]
    assert leftovers == []  # no temporary file left next to it
