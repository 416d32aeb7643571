"""Shared helpers of the UI tests: Pilot (settle, what the screen shows, hashing the
annotations folder) and tmux (a real terminal running the ``reader`` command)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

HAS_TMUX = shutil.which("tmux") is not None
needs_tmux = pytest.mark.skipif(not HAS_TMUX, reason="tmux is not installed")


# -- Pilot --------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _notices_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices stay up while a test waits for slow work (a busy machine indexes slowly), so
    a test can read what the app said."""
    monkeypatch.setattr(App, "NOTIFICATION_TIMEOUT", 600.0)


async def settle(pilot: Pilot[None], rounds: int = 3) -> None:
    """Let workers and the search index keeper finish (a cancelled exclusive worker is fine)
    and their results reach the screen."""
    from reader.ui.host import ReaderHost

    app = pilot.app
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        if isinstance(app, ReaderHost):
            await asyncio.to_thread(app.services.keeper.wait_idle, 60.0)
        await pilot.pause()


def screen_text(app: App[None]) -> str:
    """What the terminal shows, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True))
    return console.export_text()


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (temporary and lock files too) with a hash of its bytes."""
    out: dict[str, str] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[path.relative_to(folder).as_posix()] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return out


async def wait_until(pilot: Pilot[None], check: Callable[[], bool], timeout: float) -> float:
    """Pause until ``check()``; returns the seconds it took (fails after ``timeout``)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} s")
        await pilot.pause(0.05)
    return time.monotonic() - started


# -- tmux ---------------------------------------------------------------------------------------
def reader_command() -> list[str]:
    script = Path(sys.executable).with_name("reader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


class Tmux:
    """A detached tmux session (its own server) of ``width`` x ``height``."""

    def __init__(self, session: str, env: dict[str, str], width: int = 100,
                 height: int = 30) -> None:
        self.session = session
        self.env = env
        self.width, self.height = width, height

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True,
                              env=self.env).stdout

    def start(self, command: str, width: int | None = None, height: int | None = None) -> None:
        self.run("new-session", "-d", "-s", self.session, "-x", str(width or self.width),
                 "-y", str(height or self.height), command)

    def keys(self, *keys: str, delay: float = 0.25) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(delay)

    def type(self, text: str, delay: float = 0.15) -> None:
        for ch in text:
            self.run("send-keys", "-t", self.session, "-l", ch)
            time.sleep(delay)

    def drag(self, x1: int, x2: int, y: int) -> None:
        """Press the left button at column ``x1``, move to ``x2`` and release (0-based cells
        of row ``y``), as SGR mouse reports."""
        for seq in (f"\x1b[<0;{x1 + 1};{y + 1}M", f"\x1b[<32;{(x1 + x2) // 2 + 1};{y + 1}M",
                    f"\x1b[<32;{x2 + 1};{y + 1}M", f"\x1b[<0;{x2 + 1};{y + 1}m"):
            self.run("send-keys", "-t", self.session, "-l", seq)
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

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
        wait_for(check, what, self.screen, timeout)

    def shows(self, text: str) -> Callable[[], bool]:
        return lambda: text in self.screen()


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
    for name in ("TMUX", "COLUMNS", "LINES"):  # the size is the tmux window's, -x and -y
        env.pop(name, None)
    session = Tmux(f"reader-e2e-{uuid.uuid4().hex[:8]}", env)
    try:
        yield session
    finally:
        session.kill()
