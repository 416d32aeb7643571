"""The rules of QDA-XML 1.0 for the elements reader reads, checked on a parsed document.

``Project.xsd`` (and ``Codebook.xsd`` for a ``.qdc``) say, per element, which attributes it
may have and of what type, which are required, and which child elements may follow in what
order and how often. :func:`check` applies those rules to the users, codebook, text sources,
selections, codings and notes. The parts reader leaves out (cases, variables, sets, links,
graphs, picture/PDF/audio/video sources, variable values) are checked only for their place
in their parent, then counted, not read: a slip inside a graph does not stop an import of
the coding. The tests hold these rules to the schema itself (validated with ``xmlschema``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from xml.etree.ElementTree import Element

from reader.exchange.xsd import (
    CODEBOOK_NS,
    PROJECT_NS,
    XSI_NS,
    is_boolean,
    is_datetime,
    is_guid,
    is_integer,
    is_rgb,
)

_TYPES: dict[str, tuple[Callable[[str], bool], str]] = {
    "string": (lambda v: True, "text"),
    "guid": (is_guid, "a GUID"),
    "integer": (is_integer, "an integer"),
    "boolean": (is_boolean, "true or false"),
    "rgb": (is_rgb, "a colour like #rrggbb"),
    "datetime": (is_datetime, "a date and time like 2026-11-25T05:41:54Z"),
}


@dataclass(frozen=True)
class Spec:
    """One element type: ``attrs`` maps a name to (type, required); ``children`` is the
    content model, a sequence of (names, occurs) with occurs ``1``, ``?``, ``*`` or ``+``
    (several names: a choice); ``text`` for simple (string) content."""

    attrs: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    children: tuple[tuple[frozenset[str], str], ...] = ()
    text: bool = False


def _seq(*items: str) -> tuple[tuple[frozenset[str], str], ...]:
    """``_seq("Users?", "Code*", "A|B+")`` -> the content model."""
    out = []
    for item in items:
        occurs = item[-1] if item[-1] in "?*+" else "1"
        names = item[:-1] if occurs != "1" else item
        out.append((frozenset(names.split("|")), occurs))
    return tuple(out)


_STAMPS = {"creatingUser": ("guid", False), "creationDateTime": ("datetime", False),
           "modifyingUser": ("guid", False), "modifiedDateTime": ("datetime", False)}
_TEXT_SOURCE = Spec(
    attrs={"guid": ("guid", True), "name": ("string", False),
           "richTextPath": ("string", False), "plainTextPath": ("string", False), **_STAMPS},
    children=_seq("Description?", "PlainTextContent?", "PlainTextSelection*", "Coding*",
                  "NoteRef*", "VariableValue*"),
)
_REF = Spec(attrs={"targetGUID": ("guid", True)})
_STRING = Spec(text=True)

PROJECT: dict[str, Spec] = {
    "Project": Spec(
        attrs={"name": ("string", True), "origin": ("string", False),
               "creatingUserGUID": ("guid", False), "creationDateTime": ("datetime", False),
               "modifyingUserGUID": ("guid", False), "modifiedDateTime": ("datetime", False),
               "basePath": ("string", False)},
        children=_seq("Users?", "CodeBook?", "Variables?", "Cases?", "Sources?", "Notes?",
                      "Links?", "Sets?", "Graphs?", "Description?", "NoteRef*"),
    ),
    "Users": Spec(children=_seq("User+")),
    "User": Spec(attrs={"guid": ("guid", True), "name": ("string", False),
                        "id": ("string", False)}),
    "CodeBook": Spec(children=_seq("Codes")),
    "Codes": Spec(children=_seq("Code+")),
    "Code": Spec(
        attrs={"guid": ("guid", True), "name": ("string", True), "isCodable": ("boolean", True),
               "color": ("rgb", False)},
        children=_seq("Description?", "NoteRef*", "Code*"),
    ),
    "Sources": Spec(children=_seq("TextSource|PictureSource|PDFSource|AudioSource|VideoSource+")),
    "TextSource": _TEXT_SOURCE,
    "Note": _TEXT_SOURCE,
    "Notes": Spec(children=_seq("Note+")),
    "PlainTextSelection": Spec(
        attrs={"guid": ("guid", True), "name": ("string", False),
               "startPosition": ("integer", True), "endPosition": ("integer", True), **_STAMPS},
        children=_seq("Description?", "Coding*", "NoteRef*"),
    ),
    "Coding": Spec(
        attrs={"guid": ("guid", True), "creatingUser": ("guid", False),
               "creationDateTime": ("datetime", False)},
        children=_seq("CodeRef", "NoteRef*"),
    ),
    "CodeRef": _REF,
    "NoteRef": _REF,
    "Description": _STRING,
    "PlainTextContent": _STRING,
}

CODEBOOK: dict[str, Spec] = {
    "CodeBook": Spec(attrs={"origin": ("string", False)}, children=_seq("Codes", "Sets?")),
    "Codes": Spec(children=_seq("Code+")),
    "Code": Spec(
        attrs={"guid": ("guid", True), "name": ("string", True), "isCodable": ("boolean", True),
               "color": ("rgb", False)},
        children=_seq("Description?", "Code*"),
    ),
    "Description": _STRING,
}

SCHEMAS = {PROJECT_NS: PROJECT, CODEBOOK_NS: CODEBOOK}


class SchemaError(ValueError):
    """Where the document breaks the schema: an element path and what is wrong."""


def local(el: Element, ns: str) -> str | None:
    """The element's name when it is in namespace ``ns``, else None."""
    return _local(el.tag, ns) if isinstance(el.tag, str) else None


@cache
def _local(tag: str, ns: str) -> str | None:
    prefix = "{" + ns + "}"
    return tag[len(prefix):] if tag.startswith(prefix) else None


MAX_DEPTH = 64  # elements within elements: a code hierarchy deeper than this is no codebook


def check(el: Element, ns: str, where: str = "", depth: int = 0) -> None:
    """Raise :class:`SchemaError` where ``el`` and what reader reads below it break the
    schema of namespace ``ns``. ``where`` is the path of the element (for the message)."""
    specs = SCHEMAS[ns]
    name = local(el, ns)
    where = where or str(name)
    if depth > MAX_DEPTH:
        raise SchemaError(f"{where}: elements nested more than {MAX_DEPTH} deep")
    spec = specs.get(name or "")
    if spec is None:
        raise SchemaError(f"{where}: unexpected element")
    for attr, value in el.attrib.items():
        if attr.startswith("{" + XSI_NS + "}"):
            continue
        kind = spec.attrs.get(attr)
        if kind is None:
            raise SchemaError(f"{where}: unexpected attribute {attr!r}")
        test, wanted = _TYPES[kind[0]]
        if not test(value):
            raise SchemaError(f"{where}: {attr} {value!r} is not {wanted}")
    for attr, (_, required) in spec.attrs.items():
        if required and attr not in el.attrib:
            raise SchemaError(f"{where}: attribute {attr} is missing")
    if spec.text:
        if len(el):
            raise SchemaError(f"{where}: holds elements where only text may be")
        return
    if (el.text or "").strip() or any((c.tail or "").strip() for c in el):
        raise SchemaError(f"{where}: holds text where only elements may be")
    _check_children(el, ns, spec, where, specs, depth)


def _check_children(el: Element, ns: str, spec: Spec, where: str,
                    specs: Mapping[str, Spec], depth: int) -> None:
    model = spec.children
    counts = [0] * len(model)
    at = 0
    for child in el:
        name = local(child, ns)
        if name is None:
            raise SchemaError(f"{where}: unexpected element {child.tag!r}")
        j = next((k for k in range(at, len(model)) if name in model[k][0]), None)
        if j is None:
            misplaced = any(name in names for names, _ in model)
            raise SchemaError(f"{where}: {'misplaced' if misplaced else 'unexpected'} "
                              f"element {name}")
        at = j
        counts[j] += 1
        if counts[j] > 1 and model[j][1] in "1?":
            raise SchemaError(f"{where}: more than one {name}")
        if name in specs:
            path = f"{where}/{name}" + (f"[{counts[j]}]" if model[j][1] in "*+" else "")
            check(child, ns, path, depth + 1)
    for (names, occurs), n in zip(model, counts, strict=True):
        if n == 0 and occurs in "1+":
            raise SchemaError(f"{where}: {' or '.join(sorted(names))} is missing")
