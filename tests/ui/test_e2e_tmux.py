"""End to end in a real terminal: tmux runs the ``reader`` console entry point on a temp copy
of the library, the test types keys and reads the screen with ``capture-pane``."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 100, 30


class Tmux:
    def __init__(self, session: str, env: dict[str, str]) -> None:
        self.session = session
        self.env = env

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True,
                              env=self.env).stdout

    def start(self, command: str) -> None:
        self.run("new-session", "-d", "-s", self.session, "-x", str(WIDTH), "-y", str(HEIGHT),
                 command)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.2)

    def screen(self) -> str:
        try:
            return self.run("capture-pane", "-p", "-t", self.session)
        except subprocess.CalledProcessError:
            return ""

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.session], capture_output=True,
                              env=self.env).returncode == 0

    def kill(self) -> None:
        if self.alive():
            subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True,
                           env=self.env)


def wait_for(check: Callable[[], bool], what: str, screen: Callable[[], str],
             timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen()}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    env = dict(os.environ)
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
               XDG_CACHE_HOME=str(tmp_path / "xdg-cache"), XDG_DATA_HOME=str(tmp_path / "xdg"),
               TERM="xterm-256color", TMUX_TMPDIR=str(tmp_path))
    env.pop("TMUX", None)
    session = Tmux(f"reader-e2e-{uuid.uuid4().hex[:8]}", env)
    try:
        yield session
    finally:
        session.kill()


def reader_command() -> list[str]:
    script = Path(sys.executable).with_name("reader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


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
