"""Subcommands, one module per topic. Each module has ``register(sub)``."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

TOPICS = ("library", "search", "annotate", "review", "importing")


class CliError(Exception):
    """An expected failure: printed as one line, exit code ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def register_all(sub: argparse._SubParsersAction[Any]) -> None:
    for topic in TOPICS:
        module = importlib.import_module(f"reader.cli.{topic}")
        module.register(sub)
