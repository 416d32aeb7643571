"""Reading QDA-XML 1.0 codebooks (``.qdc``) and projects (``.qdpx``) written by any tool.

Reading never writes anything. A file is refused whole, with one :class:`ExchangeError` line,
when it is not what it claims (not a zip, damaged, no ``project.qde``), when it is unsafe
(see :mod:`reader.exchange.safezip`; a DTD or entity declaration in the XML, which QDA-XML
never needs and which "billion laughs" and external-entity attacks use), when the parts
reader reads break the schema (:mod:`reader.exchange.schema`), when a GUID is used twice, or
when a selection lies outside its text. What the file holds that reader does not keep is
counted in :attr:`Imported.left_out`.

Texts: a source's text comes from ``PlainTextContent`` or from ``plainTextPath``
``internal://NAME`` (the archive's ``Sources/NAME``), UTF-8 with or without a byte order
mark. A source's line ends are made ``\\n`` as in reader's articles, and its selections' positions
are moved with them (a note's text is kept as it is).
"""

from __future__ import annotations

import bisect
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from reader.exchange.model import (
    Code,
    Coding,
    ExchangeError,
    Imported,
    Note,
    Project,
    Selection,
    Source,
    User,
    counted,
    normalise_guid,
    split_definition,
)
from reader.exchange.safezip import LIMITS, Limits, SafeZip, safe_entry_name
from reader.exchange.schema import SchemaError, check, local
from reader.exchange.write import PROJECT_ENTRY, SOURCES_FOLDER
from reader.exchange.xsd import CODEBOOK_NS, PROJECT_NS, collapse

# what reader leaves out, in the order the message names it: key -> (singular, plural)
LEFT_OUT = {
    "PictureSource": ("picture source", "picture sources"),
    "PDFSource": ("PDF source", "PDF sources"),
    "AudioSource": ("audio source", "audio sources"),
    "VideoSource": ("video source", "video sources"),
    "rich text": ("rich-text source without a plain-text version",
                  "rich-text sources without a plain-text version"),
    "outside": ("text source kept outside the project file",
                "text sources kept outside the project file"),
    "Cases": ("case", "cases"),
    "Variables": ("variable", "variables"),
    "VariableValue": ("variable value", "variable values"),
    "Sets": ("set", "sets"),
    "code sets": ("code set", "code sets"),
    "Links": ("link", "links"),
    "Graphs": ("graph", "graphs"),
    "source codings": ("coding of a whole source", "codings of whole sources"),
    "note codings": ("coding inside a note", "codings inside notes"),
    "coding notes": ("note on a coding", "notes on codings"),
    "selection descriptions": ("description of a selection", "descriptions of selections"),
    "unknown codes": ("coding with a tag not in the codebook",
                      "codings with tags not in the codebook"),
    "unknown coders": ("reference to an unknown coder", "references to unknown coders"),
    "missing notes": ("reference to a missing note", "references to missing notes"),
    "notes without text": ("note without its text", "notes without their text"),
}


def parse_xml(data: bytes, label: str) -> Element:
    """The document's root, parsed with DTDs, entities and external references refused."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ExchangeError(f"{label}: refused: the XML declares a DTD or entities, which "
                            "QDA-XML never needs") from None
    except ParseError as e:
        raise ExchangeError(f"{label}: not well-formed XML ({e})") from None


def _validate(root: Element, ns: str, label: str) -> None:
    try:
        check(root, ns)
    except SchemaError as e:
        raise ExchangeError(f"{label}: does not follow the QDA-XML schema: {e}") from None


def _text(el: Element | None) -> str:
    return "" if el is None else (el.text or "")


class _Reader:
    """Turns a checked ``Project`` or ``CodeBook`` element into the model's types."""

    def __init__(self, ns: str, label: str, entry: Callable[[str], bytes | None]) -> None:
        self.ns = ns
        self.label = label
        self.entry = entry
        self.left: Counter[str] = Counter()
        self.guids: set[str] = set()
        self.users: dict[str, User] = {}
        self.codes: set[str] = set()
        self.notes: dict[str, Note] = {}
        self.referred: set[str] = set()

    def kids(self, el: Element, name: str) -> list[Element]:
        return [c for c in el if local(c, self.ns) == name]

    def kid(self, el: Element, name: str) -> Element | None:
        found = self.kids(el, name)
        return found[0] if found else None

    def under(self, el: Element, container: str, name: str | None = None) -> list[Element]:
        """The children (named ``name``, or all) of ``el``'s child ``container``."""
        box = self.kid(el, container)
        if box is None:
            return []
        return list(box) if name is None else self.kids(box, name)

    def leave(self, n: int, what: str) -> None:
        self.left[what] += n

    def left_out(self) -> tuple[str, ...]:
        return tuple(counted(self.left[k], *LEFT_OUT[k]) for k in LEFT_OUT if self.left[k])

    def guid(self, el: Element, attr: str = "guid", unique: bool = True) -> str:
        guid = normalise_guid(el.get(attr, ""))
        assert guid is not None  # the schema check made sure
        if unique:
            if guid in self.guids:
                raise ExchangeError(f"{self.label}: GUID {guid} is used twice")
            self.guids.add(guid)
        return guid

    def user(self, el: Element, attr: str) -> str | None:
        if el.get(attr) is None:
            return None
        guid = self.guid(el, attr, unique=False)
        if guid not in self.users:
            self.leave(1, "unknown coders")
            return None
        return guid

    def note_refs(self, el: Element) -> list[str]:
        refs = []
        for ref in self.kids(el, "NoteRef"):
            guid = self.guid(ref, "targetGUID", unique=False)
            if guid in self.notes:
                refs.append(guid)
                self.referred.add(guid)
            else:
                self.leave(1, "missing notes")
        return refs

    # ------------------------------------------------------------ parts

    def read_users(self, root: Element) -> None:
        for el in self.under(root, "Users", "User"):
            guid = self.guid(el)
            self.users[guid] = User(guid, el.get("name", ""))

    def code(self, el: Element) -> Code:
        guid = self.guid(el)
        self.codes.add(guid)
        description, inclusion, exclusion, example = split_definition(
            _text(self.kid(el, "Description")))
        notes = tuple(self.notes[g] for g in self.note_refs(el)) if self.ns == PROJECT_NS else ()
        return Code(guid=guid, name=el.get("name", ""), colour=collapse(el.get("color", "")),
                    description=description, inclusion=inclusion, exclusion=exclusion,
                    example=example, codable=collapse(el.get("isCodable", "")) in ("true", "1"),
                    notes=notes, children=tuple(self.code(c) for c in self.kids(el, "Code")))

    def codebook(self, book: Element | None) -> tuple[Code, ...]:
        if book is None:
            return ()
        codes = tuple(self.code(c) for c in self.under(book, "Codes", "Code"))
        self.leave(len(self.under(book, "Sets", "Set")), "code sets")
        return codes

    def content(self, el: Element, what: str) -> str | None:
        """The text of a TextSource or Note, or None when it is not in the file."""
        inline = self.kid(el, "PlainTextContent")
        if inline is not None:
            return _text(inline)
        path = el.get("plainTextPath")
        if path is None:
            return None
        if not path.startswith("internal://"):
            return None
        name = safe_entry_name(f"{SOURCES_FOLDER}/{path[len('internal://'):]}")
        if name is None:
            raise ExchangeError(f"{self.label}: refused: {what}'s text {path!r} points outside "
                                "the archive")
        data = self.entry(name)
        if data is None:
            raise ExchangeError(f"{self.label}: {what}'s text {path!r} is not in the archive")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ExchangeError(f"{self.label}: {what}'s text {path!r} is not UTF-8") from None

    def read_notes(self, root: Element) -> None:
        for el in self.under(root, "Notes", "Note"):
            guid = self.guid(el)
            text = self.content(el, f"note {el.get('name', guid)!r}")
            if text is None:
                self.leave(1, "notes without text")
                continue
            self.leave(len(self.kids(el, "PlainTextSelection")) + len(self.kids(el, "Coding")),
                       "note codings")
            self.notes[guid] = Note(
                guid=guid, name=el.get("name", ""), text=text,
                kind=_text(self.kid(el, "Description")), coder=self.user(el, "creatingUser"),
                created=collapse(el.get("creationDateTime", "")),
                updated=collapse(el.get("modifiedDateTime", "")))

    def selection(self, el: Element, source: str, name: str, text: str) -> Selection:
        guid = self.guid(el)
        start = int(collapse(el.get("startPosition", "")))
        end = int(collapse(el.get("endPosition", "")))
        if not 0 <= start <= end <= len(text):
            raise ExchangeError(f"{self.label}: selection {guid} in {name!r}: positions "
                                f"{start}-{end} are outside its text ({len(text):,} characters)")
        codings = []
        for c in self.kids(el, "Coding"):
            cguid = self.guid(c)
            ref = self.kid(c, "CodeRef")
            assert ref is not None  # the schema check made sure
            code = self.guid(ref, "targetGUID", unique=False)
            self.leave(len(self.kids(c, "NoteRef")), "coding notes")
            if code not in self.codes:
                self.leave(1, "unknown codes")
                continue
            codings.append(Coding(cguid, code, self.user(c, "creatingUser"),
                                  collapse(c.get("creationDateTime", ""))))
        self.leave(1 if self.kid(el, "Description") is not None else 0,
                   "selection descriptions")
        note = "\n\n".join(self.notes[g].text for g in self.note_refs(el))
        return Selection(guid=guid, source=source, start=start, end=end, quote=text[start:end],
                         codings=tuple(codings), coder=self.user(el, "creatingUser"),
                         created=collapse(el.get("creationDateTime", "")),
                         updated=collapse(el.get("modifiedDateTime", "")), note=note)

    def read_sources(self, root: Element) -> tuple[list[Source], list[Selection]]:
        sources: list[Source] = []
        selections: list[Selection] = []
        for el in self.under(root, "Sources"):
            kind = local(el, self.ns) or ""
            if kind != "TextSource":
                self.leave(1, kind)
                continue
            guid = self.guid(el)
            name = el.get("name", "") or guid
            text = self.content(el, f"source {name!r}")
            if text is None:
                path = el.get("plainTextPath")
                self.leave(1, "rich text" if path is None else "outside")
                continue
            self.leave(len(self.kids(el, "Coding")), "source codings")
            self.leave(len(self.kids(el, "VariableValue")), "VariableValue")
            sels = [self.selection(s, guid, name, text)
                    for s in self.kids(el, "PlainTextSelection")]
            text, sels = _newlines(text, sels)
            selections.extend(sels)
            sources.append(Source(
                guid=guid, name=el.get("name", ""), text=text,
                description=_text(self.kid(el, "Description")),
                coder=self.user(el, "creatingUser"),
                created=collapse(el.get("creationDateTime", "")),
                updated=collapse(el.get("modifiedDateTime", "")),
                notes=tuple(self.notes[g] for g in self.note_refs(el))))
        return sources, selections

    def project(self, root: Element) -> Project:
        self.read_users(root)
        self.read_notes(root)
        codes = self.codebook(self.kid(root, "CodeBook"))
        sources, selections = self.read_sources(root)
        for part in ("Variables", "Cases", "Links", "Sets", "Graphs"):
            self.leave(len(self.under(root, part)), part)
        own = [self.notes[g] for g in self.note_refs(root)]
        # a note nothing refers to is a memo on the project too
        own += [n for g, n in self.notes.items() if g not in self.referred]
        return Project(name=root.get("name", ""), users=tuple(self.users.values()),
                       codes=codes, sources=tuple(sources), selections=tuple(selections),
                       notes=tuple(own), description=_text(self.kid(root, "Description")),
                       origin=root.get("origin", ""))


def _newlines(text: str, selections: list[Selection] | None = None
              ) -> tuple[str, list[Selection]]:
    """``text`` with ``\\r\\n`` and ``\\r`` made ``\\n``, and the selections moved to match."""
    sels = selections or []
    if "\r" not in text:
        return text, sels
    pairs = [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]
    new = text.replace("\r\n", "\n").replace("\r", "\n")

    def moved(p: int) -> int:
        return p - bisect.bisect_left(pairs, p)

    return new, [replace(s, start=moved(s.start), end=moved(s.end),
                         quote=new[moved(s.start):moved(s.end)]) for s in sels]


def parse_project(qde: bytes, label: str,
                  entry: Callable[[str], bytes | None] = lambda name: None) -> Imported:
    """A project from the bytes of its ``project.qde``; ``entry`` gives the bytes of an
    archive entry (``Sources/NAME``) or None when there is none."""
    root = parse_xml(qde, label)
    if local(root, PROJECT_NS) != "Project":
        raise ExchangeError(f"{label}: not a QDA-XML project (its root is {root.tag!r}, "
                            f"expected Project in {PROJECT_NS})")
    _validate(root, PROJECT_NS, label)
    reader = _Reader(PROJECT_NS, label, entry)
    project = reader.project(root)
    return Imported(project, reader.left_out())


def read_project(path: Path, limits: Limits = LIMITS) -> Imported:
    """Read a ``.qdpx`` project (see the module's docstring for what is refused)."""
    with SafeZip(path, limits) as archive:
        names = archive.entries
        qde = PROJECT_ENTRY if PROJECT_ENTRY in names else None
        if qde is None:
            roots = [n for n in names if "/" not in n and n.lower().endswith(".qde")]
            if len(roots) != 1:
                raise ExchangeError(f"{archive.label}: not a REFI-QDA project: no "
                                    f"{PROJECT_ENTRY} in the archive")
            qde = roots[0]
        return parse_project(archive.read(qde), archive.label,
                             lambda name: archive.read(name) if name in names else None)


def parse_codebook(data: bytes, label: str) -> Imported:
    """A codebook from the bytes of a ``.qdc`` file (a ``CodeBook`` element in
    ``urn:QDA-XML:codebook:1.0``)."""
    root = parse_xml(data, label)
    if local(root, CODEBOOK_NS) != "CodeBook":
        raise ExchangeError(f"{label}: not a QDA-XML codebook (its root is {root.tag!r}, "
                            f"expected CodeBook in {CODEBOOK_NS})")
    _validate(root, CODEBOOK_NS, label)
    reader = _Reader(CODEBOOK_NS, label, lambda name: None)
    codes = reader.codebook(root)
    return Imported(Project(name=Path(label).stem, codes=codes, origin=root.get("origin", "")),
                    reader.left_out())


def read_codebook(path: Path, limits: Limits = LIMITS) -> Imported:
    """Read a ``.qdc`` codebook, or the codebook of a ``.qdpx`` project (its codes and
    users; the rest of the project is not read)."""
    if zipfile.is_zipfile(path):
        project = read_project(path, limits).project
        return Imported(Project(name=project.name, users=project.users, codes=project.codes,
                                origin=project.origin))
    try:
        size = path.stat().st_size
        if size > limits.entry_bytes:
            raise ExchangeError(f"{path.name}: refused: the file is {size:,} bytes (more "
                                f"than {limits.entry_bytes:,})")
        data = path.read_bytes()
    except OSError as e:
        raise ExchangeError(f"{path.name}: cannot read: {e.strerror or e}") from None
    return parse_codebook(data, path.name)
