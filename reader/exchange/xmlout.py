"""A small, exact XML writer: two-space indentation for element-only content, text written
as it is. Unlike ``ElementTree``'s, it escapes carriage returns (``&#13;``), which an XML
parser would otherwise turn into line feeds, so notes with Windows line ends come back as
written; characters XML 1.0 cannot carry at all become U+FFFD."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.exchange.xsd import xml_safe


@dataclass
class El:
    """An element: ``attrs`` in the order they are written; either ``text`` or children."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[El] = field(default_factory=list)
    text: str | None = None

    def add(self, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> El:
        child = El(tag, attrs or {}, text=text)
        self.children.append(child)
        return child


def _escape_text(text: str) -> str:
    return (xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _escape_attr(text: str) -> str:
    return (_escape_text(text).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))


def _write(el: El, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    attrs = "".join(f' {k}="{_escape_attr(v)}"' for k, v in el.attrs.items())
    if el.text is not None:
        out.append(f"{pad}<{el.tag}{attrs}>{_escape_text(el.text)}</{el.tag}>\n")
    elif not el.children:
        out.append(f"{pad}<{el.tag}{attrs}/>\n")
    else:
        out.append(f"{pad}<{el.tag}{attrs}>\n")
        for child in el.children:
            _write(child, depth + 1, out)
        out.append(f"{pad}</{el.tag}>\n")


def document(root: El, namespace: str) -> bytes:
    """The UTF-8 document with ``root`` in the default ``namespace``."""
    root = El(root.tag, {"xmlns": namespace, **root.attrs}, root.children, root.text)
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _write(root, 0, out)
    return "".join(out).encode("utf-8")
