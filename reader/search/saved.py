"""Saved searches: a query kept under a name, used as ``@NAME`` wherever a query is typed.

They live in the library, in ``annotations/searches.yml`` (plain YAML, kept in git with the
annotations)::

    version: 1
    searches:
      - name: arms
        query: rusia AND (senjata OR amunisi)
        created: '2026-11-25T10:00:00Z'

``@arms`` in a query stands for ``(rusia AND (senjata OR amunisi))``, so it combines with
other words (``@arms date:2024``, ``-@arms``); a saved query may itself name another one.
An ``@`` inside a quoted phrase, or inside a word (``a@b``), is left as typed.

Written like the annotation files: under the library's write lock, re-read first so that a
search saved by another instance meanwhile is kept, atomically; loaded with the strict safe
loader. A file that cannot be read is reported with file, line and reason and never
rewritten: saving and deleting are refused until it is fixed, and queries without ``@`` work
meanwhile. No Whoosh here: this is plain YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reader import yamlio
from reader.search.query import QueryError, parse

FILENAME = "searches.yml"
FORMAT_VERSION = 1
MAX_NAME = 60
MAX_DEPTH = 8  # saved searches naming saved searches
NAME_RE = re.compile(r"^\w[\w.-]*$")
_REF_NAME = re.compile(r"\w[\w.-]*")
HEADER = ("# Saved searches for reader: use one as @name in a query (reader search @name,\n"
          "# --query @name). Edit freely: name (letters, digits, . - _), query, created.\n")


class SavedSearchError(yamlio.YamlFileError):
    """``searches.yml`` cannot be read (``path``, ``line``, ``reason``); it is left as is."""


class UnknownSearch(QueryError):
    """A query names ``@name`` and no search is saved under that name (or the names go
    round in a circle)."""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str
    created: str = ""  # ISO 8601 UTC
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def clean_name(name: str) -> str:
    """A name as kept (a leading ``@`` taken off); ValueError when it cannot be one."""
    cleaned = name.strip().removeprefix("@")
    if not cleaned:
        raise ValueError("a saved search needs a name")
    if len(cleaned) > MAX_NAME:
        raise ValueError(f"a saved search's name is at most {MAX_NAME} characters")
    if not NAME_RE.match(cleaned):
        raise ValueError(f"{cleaned!r} cannot name a saved search: use letters, digits, "
                         "'.', '-' and '_' (no spaces), starting with a letter or digit")
    return cleaned


def references(query: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each ``@name`` in ``query``: outside double quotes, at the start
    of a word (after a space, ``(`` or ``-``, or at the start)."""
    out: list[tuple[int, int, str]] = []
    in_quote = False
    i = 0
    while i < len(query):
        c = query[i]
        if c == '"':
            in_quote = not in_quote
        elif c == "@" and not in_quote and (i == 0 or query[i - 1].isspace()
                                            or query[i - 1] in "(-"):
            m = _REF_NAME.match(query, i + 1)
            if m is not None:
                name = m.group().rstrip(".-")
                out.append((i, i + 1 + len(name), name))
                i += len(name)
        i += 1
    return out


class SavedSearches:
    """The saved searches of the library whose annotations folder is given."""

    def __init__(self, annotations_dir: Path) -> None:
        self.annotations_dir = annotations_dir
        self.path = annotations_dir / FILENAME

    # -- reading ---------------------------------------------------------------------------
    def load(self) -> list[SavedSearch]:
        """Every saved search, in the file's order; [] when there is no file. Raises
        :class:`SavedSearchError` for a broken file."""
        return self._read()[0]

    def get(self, name: str) -> SavedSearch | None:
        """The search saved as ``name`` (case-insensitive, a leading ``@`` allowed)."""
        key = name.strip().removeprefix("@").casefold()
        return next((s for s in self.load() if s.name.casefold() == key), None)

    def expand(self, query: str) -> str:
        """``query`` with each ``@name`` replaced by its saved query in parentheses
        (recursively). The file is read only when the query names one. Raises
        :class:`UnknownSearch` for an unknown name or a circle, :class:`SavedSearchError`
        for a broken file."""
        if not references(query):
            return query
        saved = {s.name.casefold(): s for s in self.load()}
        return self._expand(query, saved, ())

    def _expand(self, query: str, saved: dict[str, SavedSearch], seen: tuple[str, ...]
                ) -> str:
        out: list[str] = []
        pos = 0
        for start, end, name in references(query):
            found = saved.get(name.casefold())
            if found is None:
                known = ", ".join("@" + s.name for s in saved.values()) or "none saved yet"
                raise UnknownSearch(f"no saved search @{name} (saved: {known}); to search "
                                    f"for the text, quote it: \"@{name}\"")
            if found.name.casefold() in seen or len(seen) >= MAX_DEPTH:
                chain = " -> ".join("@" + n for n in (*seen, found.name.casefold()))
                raise UnknownSearch(f"saved searches name each other in a circle: {chain}")
            inner = self._expand(found.query, saved, (*seen, found.name.casefold()))
            out.append(query[pos:start] + f"({inner})")
            pos = end
        out.append(query[pos:])
        return "".join(out)

    # -- editing ---------------------------------------------------------------------------
    def save(self, name: str, query: str, *, replace: bool = False) -> SavedSearch:
        """Save ``query`` as ``name``. The query must parse (with the saved searches it names
        expanded): :class:`reader.search.query.QueryError` otherwise. A name already saved
        with another query raises ValueError unless ``replace`` (the date it was first saved
        is kept)."""
        name = clean_name(name)
        query = " ".join(query.split())
        if not query:
            raise QueryError("empty query; give words to search for")
        created: list[SavedSearch] = []

        def apply(entries: list[SavedSearch]) -> list[SavedSearch]:
            saved = {s.name.casefold(): s for s in entries}
            parse(self._expand(query, saved, (name.casefold(),)))
            old = saved.get(name.casefold())
            if old is not None and old.query != query and not replace:
                raise ValueError(f"a search is saved as @{old.name} already ({old.query}); "
                                 f"delete it first to save another under that name")
            if old is not None:
                created.append(SavedSearch(old.name, query, old.created, old.extra))
                return [created[0] if s is old else s for s in entries]
            created.append(SavedSearch(name, query, yamlio.utc_now()))
            return [*entries, created[0]]

        self._edit(apply)
        return created[0]

    def delete(self, name: str) -> SavedSearch:
        """Delete the search saved as ``name``; KeyError when there is none."""
        removed: list[SavedSearch] = []

        def apply(entries: list[SavedSearch]) -> list[SavedSearch]:
            key = name.strip().removeprefix("@").casefold()
            found = next((s for s in entries if s.name.casefold() == key), None)
            if found is None:
                known = ", ".join("@" + s.name for s in entries) or "none saved yet"
                raise KeyError(f"no saved search @{name.strip().removeprefix('@')} "
                               f"(saved: {known})")
            removed.append(found)
            return [s for s in entries if s is not found]

        self._edit(apply)
        return removed[0]

    # -- internals -------------------------------------------------------------------------
    def _edit(self, apply: Callable[[list[SavedSearch]], list[SavedSearch]]) -> None:
        with yamlio.library_lock(self.annotations_dir / ".lock"):
            try:
                entries, extra = self._read()
            except SavedSearchError as exc:
                raise SavedSearchError(exc.path, exc.line, f"{exc.reason} (not changed: fix "
                                       "the file first)") from None
            entries = apply(entries)
            doc: dict[str, Any] = {"version": FORMAT_VERSION,
                                   "searches": [_raw(s) for s in entries]}
            doc.update(extra)
            text = HEADER + yamlio.dump(doc)
            _entries(self.path, yamlio.parse(self.path, text)[0]["searches"], None)
            yamlio.atomic_write(self.path, text)

    def _read(self) -> tuple[list[SavedSearch], dict[str, Any]]:
        if not self.path.exists():
            return [], {}
        try:
            data, node = yamlio.parse(self.path, yamlio.read_text(self.path))
        except yamlio.YamlFileError as exc:
            raise SavedSearchError(exc.path, exc.line, exc.reason) from None
        except OSError as exc:
            raise SavedSearchError(self.path, None, f"cannot read: {exc.strerror or exc}") \
                from None
        if data is None:
            return [], {}
        if not isinstance(data, dict) or not isinstance(data.get("searches", []), list):
            raise SavedSearchError(self.path, yamlio.node_line(node),
                                   "expected a mapping with a list of searches under "
                                   "`searches:`")
        version = data.get("version", FORMAT_VERSION)
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise SavedSearchError(self.path, 1,
                                   f"written by a newer reader (version {version})")
        items_node = None
        if isinstance(node, yaml.MappingNode):
            items_node = next((v for k, v in node.value if k.value == "searches"), None)
        entries = _entries(self.path, data.get("searches") or [], items_node)
        return entries, {k: v for k, v in data.items() if k not in ("version", "searches")}


def _raw(s: SavedSearch) -> dict[str, Any]:
    raw: dict[str, Any] = {"name": s.name, "query": s.query}
    if s.created:
        raw["created"] = s.created
    raw.update({k: v for k, v in s.extra.items() if k not in raw})
    return raw


def _entries(path: Path, raw: list[Any], node: yaml.Node | None) -> list[SavedSearch]:
    items = getattr(node, "value", None) or []
    out: list[SavedSearch] = []
    seen: set[str] = set()
    for i, r in enumerate(raw):
        line = yamlio.node_line(items[i]) if i < len(items) else None

        def fail(reason: str, i: int = i, line: int | None = line) -> SavedSearchError:
            return SavedSearchError(path, line, f"search {i + 1}: {reason}")

        if not isinstance(r, dict):
            raise fail("expected a mapping with name and query")
        name, query = r.get("name"), r.get("query")
        if not isinstance(name, str):
            raise fail("name must be text")
        try:
            name = clean_name(name)
        except ValueError as exc:
            raise fail(str(exc)) from None
        if not isinstance(query, str) or not query.strip():
            raise fail(f"@{name}: query must be non-empty text")
        created = yamlio.timestamp(r.get("created"))
        if created is None:
            raise fail(f"@{name}: created must be a date and time like 2026-11-25T10:00:00Z")
        if name.casefold() in seen:
            raise fail(f"@{name} is saved twice")
        seen.add(name.casefold())
        extra = {k: v for k, v in r.items() if k not in ("name", "query", "created")}
        out.append(SavedSearch(name, query, created, extra))
    return out
