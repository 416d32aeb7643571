"""ReaderApp (skeleton)."""

from __future__ import annotations

from textual.app import App

from reader.config import Config


class ReaderApp(App[None]):
    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config


def run_app(config: Config) -> int:
    ReaderApp(config).run()
    return 0
