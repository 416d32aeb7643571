"""The tag vocabulary: ``annotations/vocabulary.yml`` (name, colour, key, description, cues).

Hand-editable. A file that fails to parse or validate is reported (:attr:`Vocabulary.error`,
with line and reason), never overwritten, and the defaults are used meanwhile; edits are then
refused. Each edit takes the library's write lock, re-reads the file and applies itself to what
is on disk, so a change made by another instance (or by hand) in between is kept. Keys this
version does not know are kept on rewrite. Retired tags stay in the file (their annotations
keep them) but are hidden from the picker (:meth:`Vocabulary.active`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from reader import yamlio
from reader.models import Tag

if TYPE_CHECKING:
    from reader.annotations.store import AnnotationStore, RenameReport

FORMAT_VERSION = 1
TAG_KEYS = ("name", "colour", "key", "description", "cues", "retired", "include", "exclude",
            "example")
DEFINITION_KEYS = ("include", "exclude", "example")  # written only when set
COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
PALETTE = ("#e06c75", "#61afef", "#98c379", "#e5c07b", "#c678dd", "#56b6c2", "#d19a66",
           "#be5046", "#7f848e", "#f78c6c", "#82aaff", "#c3e88d")
HEADER = ("# Tag vocabulary for reader. Edit freely: name, colour (#rrggbb), key (one\n"
          "# character for the tag picker), description, cues (words and phrases, Indonesian\n"
          "# and English, used to suggest passages), retired: true hides a tag from the picker;\n"
          "# include / exclude: when to use the tag and when not, example: {article: ID,\n"
          "# passage: ID}. A / in a name is a level: sanctions/economic is under sanctions.\n")

DEFAULT_TAGS: tuple[Tag, ...] = (
    Tag("sanctions", "#e06c75", "1", "Sanctions, embargoes and restrictions",
        ("sanksi", "sanksi ekonomi", "embargo", "pembatasan", "larangan ekspor",
         "pembekuan aset", "sanctions", "sanctioned", "economic sanctions", "restrictions",
         "export ban", "asset freeze")),
    Tag("military cooperation", "#61afef", "2", "Arms, ammunition, defence ties",
        ("militer", "senjata", "amunisi", "pertahanan", "kerja sama militer",
         "latihan militer", "rudal", "military", "weapons", "arms", "ammunition",
         "defence", "defense", "military cooperation", "missiles")),
    Tag("treaties", "#98c379", "3", "Treaties, agreements, declarations",
        ("perjanjian", "traktat", "kesepakatan", "kemitraan strategis", "deklarasi",
         "nota kesepahaman", "treaty", "agreement", "pact", "partnership",
         "strategic partnership", "declaration", "memorandum of understanding")),
)


class VocabularyError(yamlio.YamlFileError):
    """The vocabulary file is broken (``path``, ``line``, ``reason``); it is left as is."""


class RenameIncomplete(ValueError):
    """A rename changed the vocabulary and every readable file, but some annotation files are
    broken and still carry the old name: fix them and rename again."""

    def __init__(self, old: str, new: str, report: RenameReport) -> None:
        files = "; ".join(str(e) for e in report.failed)
        super().__init__(f"renamed “{old}” to “{new}” in {report.annotations} annotation(s), "
                         f"but {len(report.failed)} broken file(s) still say “{old}”: {files}. "
                         f"Fix them, then rename “{old}” to “{new}” again.")
        self.report = report


def _tag_to_raw(tag: Tag) -> dict[str, Any]:
    raw: dict[str, Any] = {"name": tag.name, "colour": tag.colour, "key": tag.key,
                           "description": tag.description, "cues": list(tag.cues)}
    if tag.retired:
        raw["retired"] = True
    if tag.include:
        raw["include"] = tag.include
    if tag.exclude:
        raw["exclude"] = tag.exclude
    if tag.example is not None:
        raw["example"] = {"article": tag.example[0], "passage": tag.example[1]}
    return raw


class Vocabulary:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tags: list[Tag] = list(DEFAULT_TAGS)
        self.error: VocabularyError | None = None
        self.exists = False
        self.last_rename: RenameReport | None = None
        self._raw: list[dict[str, Any]] = [_tag_to_raw(t) for t in DEFAULT_TAGS]
        self._extra: dict[str, Any] = {}
        self.reload()

    # -- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the file. A broken file sets :attr:`error` and leaves the defaults."""
        try:
            raw, extra, exists = self._read()
        except VocabularyError as exc:
            self.error = exc
            self.tags = list(DEFAULT_TAGS)
            self._raw = [_tag_to_raw(t) for t in DEFAULT_TAGS]
            return
        self.error = None
        self.exists = exists
        self._set(raw, extra)

    def get(self, name: str) -> Tag | None:
        found = next((t for t in self.tags if t.name == name), None)
        if found is None:
            key = name.casefold()
            found = next((t for t in self.tags if t.name.casefold() == key), None)
        return found

    def active(self) -> list[Tag]:
        return [t for t in self.tags if not t.retired]

    def names(self) -> list[str]:
        return [t.name for t in self.tags]

    # -- editing (each re-reads the file under the lock and writes it atomically) -----------
    def add(self, name: str, colour: str | None = None, key: str = "", description: str = "",
            cues: Iterable[str] = ()) -> Tag:
        name = _clean_name(name)
        if colour is not None:
            _check_colour(colour)
        created: list[Tag] = []

        def apply(raw: list[dict[str, Any]]) -> None:
            if _find(raw, name) is not None:
                raise ValueError(f"tag “{name}” already exists")
            used = {str(r.get("colour", "")).lower() for r in raw}
            chosen = colour or next((c for c in PALETTE if c not in used), PALETTE[len(raw)
                                                                                  % len(PALETTE)])
            tag = Tag(name, chosen, _clean_key(key), description.strip(), _clean_cues(cues))
            raw.append(_tag_to_raw(tag))
            created.append(tag)

        self._edit(apply)
        return created[0]

    def rename(self, old: str, new: str, store: AnnotationStore | None = None) -> int:
        """Rename a tag here and in every annotation (each file atomically); returns the number
        of annotations changed. Broken annotation files are untouched and reported by raising
        :class:`RenameIncomplete` after everything else was done; running the same rename
        again finishes the job."""
        new = _clean_name(new)
        current = self.get(old)
        target = self.get(new)
        if current is None and (target is None or store is None):
            raise KeyError(f"no tag “{old}”")
        if current is not None and target is not None and target is not current:
            raise ValueError(f"tag “{new}” already exists")
        old_name = current.name if current is not None else old

        def apply(raw: list[dict[str, Any]]) -> None:
            entry = _find(raw, old_name)
            if entry is None:
                raise KeyError(f"no tag “{old_name}” (removed elsewhere?)")
            clash = _find(raw, new)
            if clash is not None and clash is not entry:
                raise ValueError(f"tag “{new}” already exists")
            entry["name"] = new

        # one hold of the lock for the files and the vocabulary: no tag can be written
        # between them with the old name (the store refuses names not in the file)
        with yamlio.library_lock(self.path.parent / ".lock"):
            report = store.rename_tag(old_name, new) if store is not None else None
            self.last_rename = report
            if current is not None:
                self._edit(apply)
        if report is not None and report.failed:
            raise RenameIncomplete(old_name, new, report)
        return report.annotations if report is not None else 0

    def recolour(self, name: str, colour: str) -> Tag:
        _check_colour(colour)
        return self._change(name, colour=colour)

    def retire(self, name: str) -> Tag:
        return self._change(name, retired=True)

    def unretire(self, name: str) -> Tag:
        return self._change(name, retired=False)

    def describe(self, name: str, description: str | None = None,
                 cues: Iterable[str] | None = None, *, include: str | None = None,
                 exclude: str | None = None) -> Tag:
        """Change what is given of the tag's definition (``""`` clears a note)."""
        changes: dict[str, Any] = {}
        if description is not None:
            changes["description"] = description.strip()
        if cues is not None:
            changes["cues"] = list(_clean_cues(cues))
        if include is not None:
            changes["include"] = include.strip()
        if exclude is not None:
            changes["exclude"] = exclude.strip()
        return self._change(name, **changes)

    def set_example(self, name: str, example: tuple[str, str] | None) -> Tag:
        """The tag's example passage by reference (article id, annotation id), or None."""
        if example is not None:
            article, passage = (str(x).strip() for x in example)
            if not article or not passage:
                raise ValueError("an example is an article id and a passage id")
            return self._change(name, example={"article": article, "passage": passage})
        return self._change(name, example=None)

    def edit(self, apply: Callable[[list[dict[str, Any]]], None]) -> None:
        """Apply ``apply`` to the tag mappings as on disk, under the library's lock, and write
        them atomically (what :mod:`~reader.annotations.tagops` builds on)."""
        self._edit(apply)

    def set_key(self, name: str, key: str) -> Tag:
        return self._change(name, key=_clean_key(key))

    # -- internals -------------------------------------------------------------------------
    def _change(self, name: str, **values: Any) -> Tag:
        def apply(raw: list[dict[str, Any]]) -> None:
            entry = _find(raw, name)
            if entry is None:
                raise KeyError(f"no tag “{name}”")
            for k, v in values.items():
                if (k == "retired" or k in DEFINITION_KEYS) and not v:
                    entry.pop(k, None)
                else:
                    entry[k] = v

        self._edit(apply)
        tag = self.get(name)
        assert tag is not None
        return tag

    def _edit(self, apply: Callable[[list[dict[str, Any]]], None]) -> None:
        with yamlio.library_lock(self.path.parent / ".lock"):
            try:
                raw, extra, _ = self._read()
            except VocabularyError as exc:
                self.error = exc
                raise VocabularyError(exc.path, exc.line, f"{exc.reason} (not changed: fix the "
                                      "file first; the default tags are used meanwhile)") \
                    from None
            apply(raw)
            doc: dict[str, Any] = {"version": FORMAT_VERSION, "tags": raw}
            doc.update(extra)
            _parse_tags(self.path, raw, None)  # never write what could not be read back
            yamlio.atomic_write(self.path, HEADER + yamlio.dump(doc))
        self.error = None
        self.exists = True
        self._set(raw, extra)

    def _read(self) -> tuple[list[dict[str, Any]], dict[str, Any], bool]:
        """(raw tag mappings, unknown top-level keys, file exists); defaults when missing."""
        if not self.path.exists():
            return [_tag_to_raw(t) for t in DEFAULT_TAGS], {}, False
        try:
            text = yamlio.read_text(self.path)
            data, node = yamlio.parse(self.path, text)
        except yamlio.YamlFileError as exc:
            raise VocabularyError(exc.path, exc.line, exc.reason) from None
        except OSError as exc:
            raise VocabularyError(self.path, None, f"cannot read: {exc.strerror or exc}") \
                from None
        if data is None:
            return [_tag_to_raw(t) for t in DEFAULT_TAGS], {}, True
        if not isinstance(data, dict) or not isinstance(data.get("tags"), list):
            raise VocabularyError(self.path, yamlio.node_line(node),
                                  "expected a mapping with a list of tags under `tags:`")
        version = data.get("version", FORMAT_VERSION)
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise VocabularyError(self.path, 1, f"written by a newer reader (version {version})")
        tags_node = None
        if isinstance(node, yaml.MappingNode):
            tags_node = next((v for k, v in node.value if k.value == "tags"), None)
        raw = [dict(r) if isinstance(r, dict) else r for r in data["tags"]]
        _parse_tags(self.path, raw, tags_node)
        extra = {k: v for k, v in data.items() if k not in ("version", "tags")}
        return raw, extra, True

    def _set(self, raw: list[dict[str, Any]], extra: dict[str, Any]) -> None:
        self._raw, self._extra = raw, extra
        self.tags = _parse_tags(self.path, raw, None)


def names_on_disk(path: Path) -> dict[str, str]:
    """{casefolded name: name} of every tag (retired ones too) in the vocabulary file as it is
    on disk now: the default tags when it is missing or broken, as the reader uses them then.
    Call it under the library's lock to decide a write. Parsed again only when the file's
    bytes changed."""
    key = os.path.abspath(path)
    try:
        data: bytes | None = path.read_bytes()
    except OSError:
        data = None
    with _names_guard:
        kept = _names.get(key)
        if kept is not None and data is not None and kept[0] == data:
            return dict(kept[1])
    names = {t.name.casefold(): t.name for t in Vocabulary(path).tags}
    if data is not None:
        with _names_guard:
            _names[key] = (data, names)
    return names


_names: dict[str, tuple[bytes, dict[str, str]]] = {}
_names_guard = threading.Lock()


def _parse_tags(path: Path, raw: list[Any], node: yaml.Node | None) -> list[Tag]:
    items = getattr(node, "value", None) or []
    tags: list[Tag] = []
    seen: set[str] = set()
    for i, r in enumerate(raw):
        line = yamlio.node_line(items[i]) if i < len(items) else None
        try:
            tag = _tag(r)
        except ValueError as exc:
            raise VocabularyError(path, line, f"tag {i + 1}: {exc}") from None
        if tag.name.casefold() in seen:
            raise VocabularyError(path, line, f"tag “{tag.name}” is listed twice")
        seen.add(tag.name.casefold())
        tags.append(tag)
    return tags


def _tag(r: Any) -> Tag:
    if not isinstance(r, dict):
        raise ValueError("expected a mapping with name, colour, ...")
    name = r.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("name must be non-empty text")
    cleaned = _clean_name(name)  # the rule for names typed in the reader or the CLI
    if cleaned != name.strip():
        raise ValueError(f"tag name {name!r} holds a line break, a tab or repeated spaces: "
                         f"write it as “{cleaned}”")
    colour = r.get("colour", r.get("color"))
    if not isinstance(colour, str) or not COLOUR_RE.match(colour):
        raise ValueError(f"“{name}”: colour must look like #rrggbb, not {colour!r}")
    key = r.get("key")
    key = "" if key is None else str(key)
    if len(key) > 1:
        raise ValueError(f"“{name}”: key must be one character, not {key!r}")
    description = r.get("description") or ""
    if not isinstance(description, str):
        raise ValueError(f"“{name}”: description must be text")
    cues = r.get("cues") or []
    if isinstance(cues, str):
        cues = [cues]
    if not isinstance(cues, list) or not all(isinstance(c, str | int | float) for c in cues):
        raise ValueError(f"“{name}”: cues must be a list of words or phrases")
    retired = r.get("retired", False)
    if not isinstance(retired, bool):
        raise ValueError(f"“{name}”: retired must be true or false")
    notes = []
    for field in ("include", "exclude"):
        note = r.get(field) or ""
        if not isinstance(note, str):
            raise ValueError(f"“{name}”: {field} must be text")
        notes.append(note)
    return Tag(name.strip(), colour, key, description,
               _clean_cues(str(c) for c in cues), retired, notes[0], notes[1],
               _example(name, r.get("example")))


def _example(name: str, value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    if (not isinstance(value, dict) or set(value) != {"article", "passage"}
            or not all(isinstance(v, str) and v.strip() for v in value.values())):
        raise ValueError(f"“{name}”: example must be a mapping with `article:` (an article "
                         "id) and `passage:` (a passage id)")
    return str(value["article"]).strip(), str(value["passage"]).strip()


def _find(raw: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    for r in raw:
        if r.get("name") == name:
            return r
    key = name.casefold()
    return next((r for r in raw if str(r.get("name", "")).casefold() == key), None)


def _clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ValueError("a tag name cannot be empty")
    if len(cleaned) > 60:
        raise ValueError("a tag name is at most 60 characters")
    if not cleaned.isprintable():
        raise ValueError("a tag name cannot contain control characters")
    return cleaned


def _clean_key(key: str) -> str:
    key = key.strip()
    if len(key) > 1:
        raise ValueError(f"key must be one character, not {key!r}")
    return key


def _clean_cues(cues: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for c in cues:
        cue = " ".join(str(c).split())
        if cue and cue.casefold() not in (x.casefold() for x in out):
            out.append(cue)
    return tuple(out)


clean_name = _clean_name  # the rule for a tag's name, for the modules that build on this one


def _check_colour(colour: str) -> None:
    if not COLOUR_RE.match(colour):
        raise ValueError(f"colour must look like #rrggbb, not {colour!r}")
