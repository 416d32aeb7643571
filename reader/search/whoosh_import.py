"""Whoosh loaded without what it imports for nothing: ``whoosh.compat`` (which every Whoosh
module imports first) takes ``urlretrieve`` from ``urllib.request``, which loads
``http.client``, ``email``, ``ssl`` and ``socket``, ~20 ms of every ``reader search``.
:func:`load_whoosh` is called by a command about to search, before anything imports Whoosh;
importing this module loads nothing (the modules that must not load Whoosh may import it).
"""

from __future__ import annotations

import sys
import types
from typing import Any


def load_whoosh() -> None:
    """Import ``whoosh.compat`` with ``urllib.request`` a stand-in for that one import: its
    ``urlretrieve`` (and any other name) loads the real module when first used. Nothing
    when Whoosh or ``urllib.request`` is loaded already."""
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return
    stand_in = types.ModuleType("urllib.request")

    def real() -> types.ModuleType:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]
        import urllib.request

        return urllib.request

    def urlretrieve(*args: Any, **kwargs: Any) -> Any:
        return real().urlretrieve(*args, **kwargs)

    def attribute(name: str) -> Any:
        if name.startswith("__"):  # what the import system asks (__path__, ...): not there
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.urlretrieve = urlretrieve  # type: ignore[attr-defined]
    stand_in.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    finally:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]

