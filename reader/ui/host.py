"""ReaderHost: the app as screens, widgets and palette providers may see it (its services),
so that none of them imports the app module."""

from __future__ import annotations

from textual.app import App

from reader.ui.services import Services


class ReaderHost(App[None]):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
