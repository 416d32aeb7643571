"""The simple types of QDA-XML 1.0 (``Project.xsd``) as checks, and the XML text rules.

Shared by the writer (which refuses data the schema would refuse) and the reader (which
refuses files the schema would refuse, in the parts reader reads)."""

from __future__ import annotations

import datetime as dt
import re

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_RGB = re.compile(r"#(?:[A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATETIME = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?"
                       r"(Z|[+-](\d\d):(\d\d))?")
# characters XML 1.0 cannot carry at all, not even as &#...; references
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def collapse(value: str) -> str:
    """XSD whitespace collapsing, as applied to ``xsd:token`` and the numeric types."""
    return " ".join(value.split())


def is_guid(value: str) -> bool:
    if _GUID.fullmatch(value):
        return True
    v = collapse(value)
    return bool(_GUID.fullmatch(v) or (v[:1] == "{" and v[-1:] == "}" and _GUID.fullmatch(v[1:-1])))


def is_rgb(value: str) -> bool:
    return bool(_RGB.fullmatch(collapse(value)))


def is_integer(value: str) -> bool:
    return bool(_INTEGER.fullmatch(collapse(value)))


def is_boolean(value: str) -> bool:
    return collapse(value) in ("true", "false", "1", "0")


def is_datetime(value: str) -> bool:
    """An ``xsd:dateTime`` (``2026-11-25T05:41:54Z``, with optional fraction and offset)."""
    m = _DATETIME.fullmatch(collapse(value))
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    if m.group(9) is not None and (int(m.group(9)) > 14 or int(m.group(10)) > 59):
        return False
    return True


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold (most C0 controls, lone surrogates)
    replaced by U+FFFD. Tabs, newlines and carriage returns are kept."""
    return _NOT_XML.sub("\ufffd", text)
