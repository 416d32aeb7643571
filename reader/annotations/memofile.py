"""The memo file: Markdown with YAML front matter, read strictly and written so that it
reads back the same (see :mod:`reader.annotations.memos` for where memos live and how they
are kept).

::

    ---
    scope: tag                      # library, article or tag
    about: military cooperation     # the article's id or the tag's name (none for library)
    kind: theory                    # free text; theory, method, to do... are suggested
    created: '2026-11-25T10:00:00Z'
    updated: '2026-11-25T10:00:00Z'
    ---
    Arms transfers are reported as "kerja sama" more often than as trade.

Keys added by hand are kept (:attr:`Memo.extra`); a file that cannot be used raises
:class:`MemoFileError` with its line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from reader import yamlio

Scope = Literal["library", "article", "tag"]
SCOPES: tuple[Scope, ...] = ("library", "article", "tag")
KINDS = ("theory", "method", "to do", "question", "observation")  # suggestions; any text goes
DIRNAME = "memos"
SUFFIX = ".md"
KNOWN_KEYS = ("scope", "about", "kind", "created", "updated")
MAX_KIND = 40
# git conflict markers in the body; "=======" alone is a Markdown heading underline
_BODY_CONFLICT = re.compile(r"^(<{7}|>{7})(?: |$)", re.MULTILINE)
_DELIMITER = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


class MemoFileError(yamlio.YamlFileError):
    """A memo file that cannot be read (``path``, ``line``, ``reason``); left as it is."""


@dataclass(frozen=True, slots=True, eq=True)
class Memo:
    id: str  # path under memos/ without .md, "/"-separated
    scope: Scope
    about: str  # article id, tag name, or "" for the library
    kind: str
    text: str  # Markdown, no trailing newline
    created: str  # ISO 8601 UTC, e.g. "2026-11-25T10:00:00Z"
    updated: str
    path: Path
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def title(self) -> str:
        return title_of(self.text)

    @property
    def date(self) -> str:
        return self.created[:10]

    @property
    def subject(self) -> str:
        """What it is about, for people: ``library``, ``article detik/00896``, ``tag
        sanctions``."""
        return self.scope if self.scope == "library" else f"{self.scope} {self.about}"


class MemoText(NamedTuple):
    """What a full-text index needs of a memo: (scope, id, text), ``id`` being the article
    id or tag name it is about ("" for the library)."""

    scope: str
    id: str
    text: str


def title_of(text: str) -> str:
    """The first line of a memo's text with Markdown heading marks taken off."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line
    return ""


def slug(text: str, max_len: int = 48, default: str = "memo") -> str:
    """Lower-case words joined by ``-`` (letters of any script kept), cut at a word."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = re.sub(r"[\W_]+", "-", s).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0] if "-" in s[:max_len] else s[:max_len]
    return s or default


def clean_kind(kind: str) -> str:
    cleaned = " ".join(str(kind).split())
    if len(cleaned) > MAX_KIND:
        raise ValueError(f"a memo's kind is at most {MAX_KIND} characters")
    if not cleaned.isprintable():
        raise ValueError("a memo's kind cannot contain control characters")
    return cleaned


def clean_text(text: str) -> str:
    """Line ends made ``\\n``, blank lines at either end and trailing spaces at the end
    removed; an empty memo is refused (ValueError)."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()
    if not cleaned.strip():
        raise ValueError("a memo cannot be empty")
    return cleaned


def clean_about(scope: str, about: str) -> str:
    if scope not in SCOPES:
        raise ValueError(f"a memo is about one of: {', '.join(SCOPES)} (not {scope!r})")
    if scope == "library":
        return ""
    cleaned = " ".join(about.split()) if scope == "tag" else about.strip()
    if not cleaned:
        raise ValueError(f"a memo on {'a tag' if scope == 'tag' else 'an article'} needs "
                         f"its {'name' if scope == 'tag' else 'id'}")
    if not cleaned.isprintable():
        raise ValueError(f"{scope} {cleaned!r}: control characters are not allowed")
    if scope == "article":
        parts = cleaned.split("/")
        if cleaned.startswith("/") or "\\" in cleaned or any(p in ("", ".", "..")
                                                             for p in parts):
            raise ValueError(f"invalid article id {cleaned!r}")
    return cleaned


# -- the file format ----------------------------------------------------------------------------
def render(scope: Scope, about: str, kind: str, text: str, created: str, updated: str,
           extra: Mapping[str, Any] | None = None) -> str:
    """The file's text: front matter (known keys first, then the ones added by hand), then
    the Markdown."""
    front: dict[str, Any] = {"scope": scope}
    if scope != "library":
        front["about"] = about
    if kind:
        front["kind"] = kind
    front["created"] = created
    front["updated"] = updated
    for key, value in (extra or {}).items():
        if key not in front:
            front[key] = value
    return f"---\n{yamlio.dump(front)}---\n{text}\n"


def parse(path: Path, memo_id: str, content: str) -> Memo:
    """A memo from the file's text (any line ends: an editor on Windows writes CRLF);
    raises :class:`MemoFileError` with the line."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    lines = content.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise MemoFileError(path, 1, "no front matter: a memo starts with a --- line, then "
                                     "scope, about, kind and dates, then another --- line")
    end = next((i for i in range(1, len(lines)) if _DELIMITER.match(lines[i])), None)
    if end is None:
        raise MemoFileError(path, 1, "the front matter is not closed (no second --- line)")
    conflict = _BODY_CONFLICT.search(content)
    if conflict is not None:
        line = content.count("\n", 0, conflict.start()) + 1
        raise MemoFileError(path, line, "git conflict marker: finish the merge (keep both "
                                        "texts, remove the marker lines)")
    try:
        data, node = yamlio.parse(path, "\n".join(lines[1:end]) + "\n")
    except yamlio.YamlFileError as exc:
        raise MemoFileError(path, exc.line + 1 if exc.line else 1, exc.reason) from None
    nodes = {k.value: v for k, v in getattr(node, "value", []) if hasattr(k, "value")} \
        if isinstance(data, dict) else {}

    def fail(key: str | None, reason: str) -> MemoFileError:
        at = nodes.get(key) if key else None
        line = (yamlio.node_line(at) or 0) + 1 if at is not None else 1
        return MemoFileError(path, line, reason)

    if not isinstance(data, dict):
        raise fail(None, "the front matter must be a mapping (scope, about, kind, created, "
                         "updated)")
    scope = data.get("scope")
    if scope not in SCOPES:
        raise fail("scope" if "scope" in data else None,
                   f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    about = data.get("about")
    if scope != "library":
        if not isinstance(about, str) or not about.strip():
            raise fail("about" if "about" in data else None,
                       f"a memo on {'a tag' if scope == 'tag' else 'an article'} needs "
                       f"`about:` with its {'name' if scope == 'tag' else 'id'} as text "
                       "(quote a number: about: '123')")
    elif about not in (None, "", "library"):
        raise fail("about", "a memo on the library is about nothing else: remove `about:`")
    kind = data.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise fail("kind", f"kind must be text, not {kind!r}")
    stamps = {}
    for key in ("created", "updated"):
        value = yamlio.timestamp(data.get(key))
        if value is None:
            raise fail(key, f"{key} must be a date and time like 2026-11-25T10:00:00Z")
        stamps[key] = value
    body = "\n".join(lines[end + 1:]).rstrip("\n")
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    return Memo(memo_id, scope, about.strip() if scope != "library" and isinstance(about, str)
                else "", " ".join((kind or "").split()), body, stamps["created"],
                stamps["updated"] or stamps["created"], path, extra)
