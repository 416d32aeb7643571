"""Whoosh loaded without what it imports for nothing. Its modules import, when loaded, a few
functions reader never calls, from modules that cost every ``reader search`` to load:
``whoosh.compat`` takes ``urlretrieve`` from ``urllib.request`` (which loads ``http.client``,
``email``, ``ssl`` and ``socket``: ~20 ms), ``whoosh.query`` takes ``variations`` from
``whoosh.lang.morph_en`` and ``whoosh.analysis`` ``double_metaphone`` from
``whoosh.lang.dmetaphone`` (their regular expressions: ~10 ms to compile).

:func:`load_whoosh` is called by a command about to search, before anything imports Whoosh.
While it imports those Whoosh modules, each of those three is a stand-in whose functions
load the real module when first called. Importing this module loads nothing (the modules
that must not load Whoosh may import it).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

# module -> the names Whoosh imports from it (functions, for queries and analysers reader
# does not make, or for fetching files)
UNUSED = {"urllib.request": ("urlretrieve",),
          "whoosh.lang.morph_en": ("variations",),
          "whoosh.lang.dmetaphone": ("double_metaphone",)}
WHOOSH = ("whoosh.compat", "whoosh.analysis", "whoosh.query")  # what imports them


def _stand_in(name: str, functions: tuple[str, ...]) -> types.ModuleType:
    module = types.ModuleType(name)

    def real() -> types.ModuleType:
        if sys.modules.get(name) is module:
            del sys.modules[name]
        return importlib.import_module(name)

    def later(function: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(real(), function)(*args, **kwargs)

        call.__name__ = function
        return call

    def attribute(attr: str) -> Any:
        if attr.startswith("__"):  # what the import system asks (__path__, ...): not there
            raise AttributeError(attr)
        return getattr(real(), attr)

    for function in functions:
        setattr(module, function, later(function))
    module.__getattr__ = attribute  # type: ignore[method-assign]
    return module


def load_whoosh() -> None:
    """Import Whoosh's compat, analysis and query modules with the modules of
    :data:`UNUSED` as stand-ins (those loaded already are left as they are). Nothing when
    Whoosh is loaded already."""
    if any(name in sys.modules for name in WHOOSH):
        return
    stand_ins = {name: _stand_in(name, functions) for name, functions in UNUSED.items()
                 if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        for name in WHOOSH:
            importlib.import_module(name)
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
