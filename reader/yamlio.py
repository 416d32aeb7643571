"""Safe YAML for user data: strict loading, readable dumping, atomic writes (with the file
lock, from :mod:`reader.atomic`).

Shared by the annotation store, the vocabulary, rejected suggestions and articles' front
matter. Loading uses a :class:`yaml.SafeLoader` subclass (libyaml's when built in) that
refuses anchors and aliases (no "billion laughs"), duplicate keys and numbers too long to
convert, keeps timestamps as the text written, refuses files above :data:`MAX_BYTES` before
parsing, and reports git conflict markers with their line; whatever it cannot use is one
:class:`YamlFileError` with the line, never another exception. Dumping
uses a :class:`yaml.SafeDumper` subclass (no global representers): block style, keys in the
order given, unicode kept, multi-line strings as literal blocks.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

# Writing files that survive a kill, and the library lock, live in reader.atomic; named here too
# so that callers keep one module for the files they read and write.
from reader.atomic import _CLEANED as _CLEANED
from reader.atomic import LOCK_TIMEOUT as LOCK_TIMEOUT
from reader.atomic import LockTimeout as LockTimeout
from reader.atomic import atomic_write_bytes as atomic_write_bytes
from reader.atomic import clean_stale_temporaries as clean_stale_temporaries
from reader.atomic import fsync_dir as fsync_dir
from reader.atomic import library_lock as library_lock

MAX_BYTES = 5 * 1024 * 1024  # an annotation file of a few thousand passages is ~1-2 MB
MAX_NUMBER_CHARS = 100  # a longer int or float is refused (no real value of ours is near it)
CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)


class YamlFileError(ValueError):
    """A YAML file that cannot be used: ``path``, 1-based ``line`` (or None) and ``reason``."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path, self.line, self.reason = path, line, reason


class _StrictConstruction:
    """Construction rules shared by both loaders. Every value that cannot be built becomes a
    :class:`yaml.constructor.ConstructorError` with the line of its node (never a bare
    ValueError from deep inside PyYAML):

    - a node constructed twice is an alias (the C parser shares aliased nodes): refused;
    - duplicate keys in a mapping are refused (the second one would silently win, and the
      next write would drop the first value);
    - merge keys (``<<``) are refused: they need aliases to be useful;
    - timestamps are kept as the text written (``2024-02-30`` is no error, and a date in
      these files is text to us: ``created: 2026-01-02T03:04:05Z`` stays that string);
    - a number longer than :data:`MAX_NUMBER_CHARS` characters is refused (Python refuses to
      convert an int of over 4,300 digits, to or from text, with a ValueError);
    - any other value the safe constructor cannot build (``!!int abc``, ``!!bool maybe``,
      ``!!timestamp`` on a mapping) is refused with its line.
    """

    constructed_objects: dict[Any, Any]
    recursive_objects: dict[Any, Any]

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&name, *name) are not allowed in this file",
                node.start_mark)
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            what = f"{node.value!r}" if isinstance(node, yaml.ScalarNode) else node.id
            if len(what) > 60:
                what = what[:57] + "..."
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value {what} ({_short_reason(exc)})",
                node.start_mark) from None

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found a {node.id}", node.start_mark)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in this file",
                    key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a list or mapping cannot be a key", key_node.start_mark
                ) from None
            if key in mapping:  # equal keys, as Python sees them (1 and true too): one is lost
                shown = repr(key) if len(repr(key)) <= 60 else repr(key)[:57] + "..."
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {shown} (a key may appear once in a mapping; "
                    "merge the two entries)", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_timestamp_as_text(self, node: Any) -> str:
        value: str = self.construct_scalar(node)  # type: ignore[attr-defined]
        return value

    def construct_number(self, node: Any) -> Any:
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        if isinstance(value, str) and len(value) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None, None, f"number too long ({len(value):,} characters; at most "
                f"{MAX_NUMBER_CHARS}): refused", node.start_mark)
        if node.tag == "tag:yaml.org,2002:int":
            return self.construct_yaml_int(node)  # type: ignore[attr-defined]
        return self.construct_yaml_float(node)  # type: ignore[attr-defined]


def _short_reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return "not a valid value of its type"
    text = str(exc).split("\n", 1)[0].strip() or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."


def _strict(cls: type[Any]) -> type[Any]:
    """Register the strict constructors on a loader class (its own copy of the table)."""
    cls.add_constructor("tag:yaml.org,2002:timestamp",
                        _StrictConstruction.construct_timestamp_as_text)
    cls.add_constructor("tag:yaml.org,2002:int", _StrictConstruction.construct_number)
    cls.add_constructor("tag:yaml.org,2002:float", _StrictConstruction.construct_number)
    return cls


@_strict
class StrictLoader(_StrictConstruction, yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases (they have no use in these files), and
    the rest of :class:`_StrictConstruction`."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in this file", mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.composer.ComposerError(
                None, None, f"anchors (&{anchor}) are not allowed in this file",
                event.start_mark)
        return super().compose_node(parent, index)


if hasattr(yaml, "CSafeLoader"):
    @_strict
    class FastStrictLoader(_StrictConstruction, yaml.CSafeLoader):
        """libyaml's SafeLoader (same safe constructor, ~9x faster), with the strict rules."""

    LOADER: type[Any] = FastStrictLoader
else:  # pragma: no cover - PyYAML built without libyaml
    LOADER = StrictLoader


class ReadableDumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, never anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # indent list items under their key: easier to read and to merge
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """Multi-line text as a literal block when it reads as written there (no space or blank
    line at either end, no trailing spaces, no tabs); else double-quoted with ``\\n``: a
    context such as ``"dalam 24 tahun.\\n\\nSumber"`` stays one plain line instead of a
    block with indentation and chomping indicators (``|2-``, ``|+``)."""
    if "\n" in data:
        clean = (data == data.strip() and "\t" not in data
                 and not any(line != line.rstrip() for line in data.split("\n")))
        return dumper.represent_scalar("tag:yaml.org,2002:str", data,
                                       style="|" if clean else '"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


ReadableDumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    out: str = yaml.dump(data, Dumper=ReadableDumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=False, width=100, indent=2)
    return out


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text; refuses oversized or non-UTF-8 files (size checked before reading)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlFileError(path, None, f"file is too large ({size / 1e6:.1f} MB; the limit "
                                        f"is {max_bytes / 1e6:.0f} MB): refused")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[:exc.start].count(b"\n") + 1
        raise YamlFileError(path, bad_line, "not valid UTF-8") from None


def parse(path: Path, text: str, loader_class: type[Any] | None = None
          ) -> tuple[Any, yaml.Node | None]:
    """(data, node) from ``text``; raises :class:`YamlFileError` with the line of the problem.
    The node tree gives lines for validation messages."""
    conflict = CONFLICT_RE.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        raise YamlFileError(path, line, "git conflict marker: finish the merge (keep both "
                                        "sides' entries, remove the marker lines)")
    loader = (loader_class or LOADER)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (mark is None or mark.line >= text.count("\n")):
            mark = exc.context_mark  # where the unclosed thing began is more useful
        at = mark.line + 1 if mark is not None else None
        reason = ": ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        if "could not determine a constructor" in reason:
            tag = (exc.problem or "").rsplit(" ", 1)[-1]
            reason = f"unsupported tag {tag} refused (only plain YAML is allowed)"
        raise YamlFileError(path, at, reason) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(path, None, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlFileError(path, None, "nesting too deep: refused") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # every value is built under _StrictConstruction; this is the last line of defence
        raise YamlFileError(path, None, f"cannot read a value: {_short_reason(exc)}") from None
    finally:
        loader.dispose()
    return data, node


def node_line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) atomically; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def timestamp(value: Any) -> str | None:
    """A date and time as these files hold it (``2026-11-25T10:00:00Z``): text as it is, a
    YAML timestamp (unquoted, as typed by hand) as that text in UTC, a date as
    ``2026-11-25``, nothing as ``""``; None for anything else (a number, a list)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        # The strict loader keeps a hand-typed timestamp as its text: read it as YAML would.
        if _TIMESTAMP.match(value) and not _DATE_ONLY.match(value):
            try:
                parsed = SafeConstructor.construct_yaml_timestamp(
                    SafeConstructor(), yaml.ScalarNode("tag:yaml.org,2002:timestamp", value))
            except ValueError:
                return value
            return timestamp(parsed)
        return value
    return None


_TIMESTAMP = SafeConstructor.timestamp_regexp
_DATE_ONLY = re.compile(r"^\d{4}-\d\d?-\d\d?$")


def utc_now() -> str:
    """Now, as :func:`timestamp` writes it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
