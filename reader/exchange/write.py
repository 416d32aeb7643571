"""Writing QDA-XML 1.0: a codebook (``.qdc``) and a project (``.qdpx``).

The output is deterministic: the same data gives the same bytes (no export time is recorded,
zip entries carry a fixed date), so an export can be committed and diffed. What the schema
would refuse is refused here first, with a :class:`ExchangeError` naming it: a GUID that is
not one or is used twice, a colour that is not ``#rrggbb``, a timestamp that is not an
``xsd:dateTime``, a selection outside its source's text or whose quote differs from the text
there, a reference to a code, source or user that is not in the project.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from reader.exchange.model import (
    Code,
    ExchangeError,
    Note,
    Project,
    Selection,
    Source,
    definition_text,
    stable_guid,
    walk_codes,
)
from reader.exchange.xmlout import El, document
from reader.exchange.xsd import CODEBOOK_NS, PROJECT_NS, is_datetime, is_guid, is_rgb
from reader.yamlio import atomic_write_bytes

PROJECT_ENTRY = "project.qde"
SOURCES_FOLDER = "Sources"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
NAME_CHARS = 60  # a selection's name: the start of its quote


def source_path(source: Source) -> str:
    """The zip entry holding the source's text: ``Sources/<guid>.txt``."""
    return f"{SOURCES_FOLDER}/{source.guid}.txt"


def passage_note_guid(selection: Selection) -> str:
    """The GUID of the Note that carries a selection's note."""
    return stable_guid("note", selection.guid)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= NAME_CHARS else flat[: NAME_CHARS - 1].rstrip() + "…"


def _key(guid: str) -> str:
    return guid.strip().strip("{}").lower()


class _Checker:
    """Collects the GUIDs of a project and checks what refers to them."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def guid(self, guid: str, what: str) -> None:
        if not is_guid(guid):
            raise ExchangeError(f"cannot export {what}: {guid!r} is not a GUID")
        key = _key(guid)
        if key in self.seen:
            raise ExchangeError(f"cannot export {what}: GUID {guid} is already used by "
                                f"{self.seen[key]}")
        self.seen[key] = what

    def ref(self, guid: str | None, kinds: dict[str, str], what: str, of: str) -> None:
        if guid is not None and _key(guid) not in kinds:
            raise ExchangeError(f"cannot export {what}: its {of} {guid} is not in the project")


def _date(attrs: dict[str, str], name: str, value: str, what: str) -> None:
    if not value:
        return
    if not is_datetime(value):
        raise ExchangeError(f"cannot export {what}: {name} {value!r} is not a date and time "
                            "like 2026-11-25T05:41:54Z")
    attrs[name] = value


def _stamps(attrs: dict[str, str], what: str, coder: str | None, created: str,
            updated: str = "") -> dict[str, str]:
    """``attrs`` with who made the element and when (the ``creatingUser``,
    ``creationDateTime`` and ``modifiedDateTime`` attributes), where known."""
    if coder:
        attrs["creatingUser"] = coder
    _date(attrs, "creationDateTime", created, what)
    _date(attrs, "modifiedDateTime", updated, what)
    return attrs


def _code_el(code: Code, path: str, with_notes: bool, note_refs: list[Note]) -> El:
    what = f"tag {path!r}"
    attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
    if code.colour:
        if not is_rgb(code.colour):
            raise ExchangeError(f"cannot export {what}: colour {code.colour!r} is not #rrggbb")
        attrs["color"] = code.colour
    el = El("Code", attrs)
    definition = definition_text(code)
    if definition:
        el.add("Description", text=definition)
    if with_notes:
        for note in code.notes:
            el.add("NoteRef", {"targetGUID": note.guid})
            note_refs.append(note)
    for child in code.children:
        el.children.append(_code_el(child, f"{path}/{child.name}", with_notes, note_refs))
    return el


def _codebook_el(codes: Sequence[Code], checker: _Checker, with_notes: bool,
                 note_refs: list[Note]) -> El:
    if not codes:
        raise ExchangeError("cannot export a codebook without tags")
    for path, code in walk_codes(codes):
        checker.guid(code.guid, f"tag {path!r}")
    book = El("CodeBook")
    codes_el = book.add("Codes")
    for code in codes:
        codes_el.children.append(_code_el(code, code.name, with_notes, note_refs))
    return book


def codebook_xml(codes: Sequence[Code]) -> bytes:
    """A ``.qdc`` codebook: the ``CodeBook`` element alone, in ``urn:QDA-XML:codebook:1.0``
    (codes with their hierarchy, colours and definitions; memos on tags are project data)."""
    book = _codebook_el(codes, _Checker(), with_notes=False, note_refs=[])
    return document(book, CODEBOOK_NS)


def _note_el(note: Note, checker: _Checker, users: dict[str, str]) -> El:
    what = f"note {note.name!r}"
    checker.guid(note.guid, what)
    checker.ref(note.coder, users, what, "coder")
    el = El("Note", _stamps({"guid": note.guid, "name": note.name}, what, note.coder,
                            note.created, note.updated))
    if note.kind:
        el.add("Description", text=note.kind)
    el.add("PlainTextContent", text=note.text)
    return el


def _selection_el(sel: Selection, source: Source, checker: _Checker, codes: dict[str, str],
                  users: dict[str, str], notes: list[Note]) -> El:
    what = f"passage {sel.guid} in {source.name!r}"
    checker.guid(sel.guid, what)
    checker.ref(sel.coder, users, what, "coder")
    if not 0 <= sel.start <= sel.end <= len(source.text):
        raise ExchangeError(f"cannot export {what}: {sel.start}-{sel.end} is outside the text "
                            f"({len(source.text)} characters)")
    if source.text[sel.start : sel.end] != sel.quote:
        raise ExchangeError(f"cannot export {what}: its quote is not the text at "
                            f"{sel.start}-{sel.end}")
    attrs = {"guid": sel.guid, "name": _short(sel.quote), "startPosition": str(sel.start),
             "endPosition": str(sel.end)}
    el = El("PlainTextSelection", _stamps(attrs, what, sel.coder, sel.created, sel.updated))
    for coding in sel.codings:
        checker.guid(coding.guid, f"a coding of {what}")
        checker.ref(coding.code, codes, what, "tag")
        checker.ref(coding.coder, users, what, "coder")
        cattrs = _stamps({"guid": coding.guid}, what, coding.coder, coding.created)
        el.add("Coding", cattrs).add("CodeRef", {"targetGUID": coding.code})
    if sel.note:
        note = Note(passage_note_guid(sel), f"Note: {_short(sel.quote)}", sel.note,
                    coder=sel.coder, created=sel.created, updated=sel.updated)
        el.add("NoteRef", {"targetGUID": note.guid})
        notes.append(note)
    return el


def _source_el(source: Source, selections: list[Selection], checker: _Checker,
               codes: dict[str, str], users: dict[str, str], notes: list[Note]) -> El:
    what = f"article {source.name!r}"
    checker.guid(source.guid, what)
    checker.ref(source.coder, users, what, "coder")
    attrs = {"guid": source.guid, "name": source.name,
             "plainTextPath": f"internal://{source.guid}.txt"}
    el = El("TextSource", _stamps(attrs, what, source.coder, source.created, source.updated))
    if source.description:
        el.add("Description", text=source.description)
    for sel in sorted(selections, key=lambda s: (s.start, s.end, s.guid)):
        el.children.append(_selection_el(sel, source, checker, codes, users, notes))
    for note in source.notes:
        el.add("NoteRef", {"targetGUID": note.guid})
        notes.append(note)
    return el


def project_xml(project: Project) -> bytes:
    """``project.qde``: users, codebook, sources (text in ``Sources/``), selections with
    their codings and notes, memos as notes; valid against QDA-XML 1.0's ``Project.xsd``."""
    checker = _Checker()
    root = El("Project", {"name": project.name, "origin": project.origin})
    if project.users:
        users_el = root.add("Users")
        for user in project.users:
            checker.guid(user.guid, f"coder {user.name!r}")
            users_el.add("User", {"guid": user.guid, "name": user.name})
    users = {_key(u.guid): u.name for u in project.users}
    notes: list[Note] = []
    if project.codes:
        root.children.append(_codebook_el(project.codes, checker, True, notes))
    codes = {_key(c.guid): p for p, c in walk_codes(project.codes)}
    by_source: dict[str, list[Selection]] = {_key(s.guid): [] for s in project.sources}
    for sel in project.selections:
        key = _key(sel.source)
        if key not in by_source:
            raise ExchangeError(f"cannot export passage {sel.guid}: its article {sel.source} "
                                "is not in the project")
        by_source[key].append(sel)
    if project.sources:
        sources_el = root.add("Sources")
        for source in project.sources:
            sources_el.children.append(_source_el(
                source, by_source[_key(source.guid)], checker, codes, users, notes))
    notes.extend(project.notes)
    if notes:
        notes_el = root.add("Notes")
        for note in notes:
            notes_el.children.append(_note_el(note, checker, users))
    if project.description:
        root.add("Description", text=project.description)
    for note in project.notes:
        root.add("NoteRef", {"targetGUID": note.guid})
    return document(root, PROJECT_NS)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def project_archive(project: Project) -> bytes:
    """The ``.qdpx`` file: a zip with ``project.qde`` and each source's text, UTF-8, in
    ``Sources/<guid>.txt``."""
    qde = project_xml(project)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry(PROJECT_ENTRY), qde)
        for source in project.sources:
            # a lone surrogate cannot be UTF-8: one "?" for it keeps every position
            archive.writestr(_entry(source_path(source)),
                             source.text.encode("utf-8", errors="replace"))
    return buffer.getvalue()


def write_codebook(path: Path, codes: Sequence[Code]) -> None:
    """Write a ``.qdc`` codebook atomically (an existing file is replaced whole or not at all)."""
    atomic_write_bytes(path, codebook_xml(codes))


def write_project(path: Path, project: Project) -> None:
    """Write a ``.qdpx`` project atomically (an existing file is replaced whole or not at all)."""
    atomic_write_bytes(path, project_archive(project))
