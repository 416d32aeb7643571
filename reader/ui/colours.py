"""Tag colours offered in the UI: distinct on dark and light themes, readable as a background
under text, colour-blind friendly first (Okabe-Ito inspired), then more hues."""

from __future__ import annotations

import re
from collections.abc import Iterable

PALETTE: tuple[tuple[str, str], ...] = (
    ("#e06c75", "red"),
    ("#61afef", "blue"),
    ("#98c379", "green"),
    ("#e5c07b", "yellow"),
    ("#c678dd", "purple"),
    ("#56b6c2", "cyan"),
    ("#d19a66", "orange"),
    ("#ff79c6", "pink"),
    ("#8be9fd", "sky"),
    ("#b5bd68", "olive"),
    ("#f0a0a0", "salmon"),
    ("#a9a1e1", "lavender"),
)

_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def normalise_colour(text: str) -> str | None:
    """``'#RGB'``, ``'rrggbb'`` or a palette name -> ``'#rrggbb'``; None if not a colour."""
    text = text.strip()
    for hexa, name in PALETTE:
        if text.casefold() == name:
            return hexa
    m = _HEX.fullmatch(text)
    if not m:
        return None
    digits = m.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def next_free_colour(used: Iterable[str]) -> str:
    """The first palette colour no tag uses yet (cycling when all are taken)."""
    taken = [u.lower() for u in used]
    for hexa, _name in PALETTE:
        if hexa not in taken:
            return hexa
    return PALETTE[len(taken) % len(PALETTE)][0]
