"""End to end under tmux: select a sentence with the keyboard, tag it, quit, restart, see it.

Runs the real ``reader`` TUI in a detached tmux session on a temp library."""

from __future__ import annotations

import importlib.util
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import SEED_LIPUTAN

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("reader.ui.screens.library") is None
                       or importlib.util.find_spec("reader.ui.widgets.article_view") is None,
                       reason="the main screen and the article view are not built yet"),
]


class Tmux:
    def __init__(self, session: str) -> None:
        self.session = session

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True,
                              text=True).stdout

    def start(self, command: str) -> None:
        self.run("new-session", "-d", "-s", self.session, "-x", "140", "-y", "40", command)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.3)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.session],
                              capture_output=True).returncode == 0

    def kill(self) -> None:
        if self.alive():
            subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


def wait_for(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    t = Tmux(f"reader-tag-{uuid.uuid4().hex[:8]}")
    yield t
    t.kill()


def test_tag_a_sentence_quit_restart_and_see_it(library_dir: Path, tmux: Tmux) -> None:
    command = (f"{shlex.quote(sys.executable)} -m reader --library {shlex.quote(str(library_dir))}")
    yaml_path = library_dir / "annotations" / f"{SEED_LIPUTAN}.yaml"

    tmux.start(command)
    wait_for(lambda: "Liputan6" in tmux.screen(), "the article list")
    tmux.keys("Enter")  # open the first article (Liputan6) in the reading view
    wait_for(lambda: "Pyongyang" in tmux.screen(), "the article text")
    tmux.keys("s")  # the sentence under the cursor (the first one)
    tmux.keys("t")
    wait_for(lambda: "sanctions" in tmux.screen(), "the tag picker")
    tmux.keys("1", "Enter")
    wait_for(yaml_path.exists, "the annotation file")
    data = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    [ann] = data["annotations"]
    assert ann["tags"] == ["sanctions"]
    assert ann["quote"].startswith("Liputan6.com, Pyongyang")
    tmux.keys("q")
    wait_for(lambda: not tmux.alive(), "the app to quit")

    tmux.start(command)
    wait_for(lambda: "Liputan6" in tmux.screen(), "the article list after restart")
    tmux.keys("Enter")
    wait_for(lambda: "Pyongyang" in tmux.screen(), "the article text after restart")
    tmux.keys("e")  # the cursor is on the highlight: its tags are shown ticked
    wait_for(lambda: "[x] 1 ██ sanctions" in tmux.screen(), "the saved highlight's tags")
    tmux.keys("Escape", "q")
