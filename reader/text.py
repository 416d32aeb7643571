"""Text structure: decoding, front matter, blocks (title, dateline, headings, paragraphs,
boilerplate), sentences. Pure functions over strings; offsets index the normalised body.

(Skeleton: the interface is fixed, the rules are first drafts to be replaced.)
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from reader.models import Block, BlockKind


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes -> normalised text (BOM removed, CRLF/CR -> LF) and warnings."""
    warnings: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        warnings.append("not valid UTF-8: undecodable bytes shown as \ufffd")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, warnings


def split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """``---\\n yaml \\n---\\n body`` -> (mapping, body, warnings)."""
    if not text.startswith("---\n"):
        return {}, text, []
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text, ["front matter not closed; shown as text"]
    raw = text[4:end]
    rest = text[end + 4 :]
    body = rest[1:] if rest.startswith("\n") else rest
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        return {}, body, [f"front matter is not valid YAML: {exc}"]
    if not isinstance(data, dict):
        return {}, body, ["front matter is not a mapping"]
    return data, body, []


def blocks(text: str) -> list[Block]:
    """One block per non-empty line (first draft)."""
    out: list[Block] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            kind: BlockKind = "boilerplate" if stripped == "Advertisement" else "paragraph"
            out.append(Block(kind, pos, pos + len(line)))
        pos += len(line) + 1
    return out


_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|$)", re.M)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within ``text[start:end]``, trimmed of spaces."""
    stop = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for m in _SENT.finditer(text, start, stop):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence span containing ``offset`` (or the nearest one)."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    spans = sentences(text, line_start, line_end)
    for s, e in spans:
        if s <= offset <= e:
            return s, e
    return spans[0] if spans else (offset, offset)
