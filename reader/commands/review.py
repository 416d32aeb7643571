"""Subcommands (skeleton: filled in by the issue that owns this topic)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    return None
