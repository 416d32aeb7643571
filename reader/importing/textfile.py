"""Plain text and Markdown files as articles: front matter derived from the text, language.

Used by :mod:`reader.importing.importer`; domain code, no Textual.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from reader.config import Config
from reader.importing.webpage import Extracted, ExtractionError, clean_url
from reader.library import text as textmod
from reader.library.language import detect_language as detect
from reader.library.language import normalise_language

# front matter keys the importer writes itself; others in a text file's front matter are kept
OWN_KEYS = ("title", "source", "date", "authors", "author", "url", "language", "tags",
            "imported")


def read_text(path: Path, data: bytes) -> Extracted:
    if b"\x00" in data[:4096]:
        raise ExtractionError("not a text file (binary data)")
    decoded, warnings = textmod.decode(data)
    if warnings and decoded.count("\ufffd") > max(10, len(decoded) // 100):
        raise ExtractionError("not a UTF-8 text file")
    fm, body, _ = textmod.split_front_matter(decoded)
    if not body.strip():
        raise ExtractionError("empty file")
    meta = _library_meta(path.suffix.lower() if path.suffix.lower() in (".txt", ".md") else ".txt",
                         decoded)
    title = str(fm.get("title") or "").strip() or _first_line_title(body)
    if meta.get("title") and not fm.get("title"):
        title = str(meta["title"])
    authors = fm.get("authors") or fm.get("author") or meta.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    extra = {k: v for k, v in fm.items() if k not in OWN_KEYS or k == "tags"}
    return Extracted(
        title=title,
        source=str(fm.get("source") or meta.get("source") or _dateline_source(body)),
        # the library's reading of the date: an impossible front matter date is not copied
        date=str(meta["date"] if "date" in meta else fm.get("date") or "")[:10],
        authors=[str(a) for a in authors if str(a).strip()],
        url=clean_url(str(fm.get("url") or "")),
        language=str(fm.get("language") or meta.get("language") or ""),
        body=body if body.endswith("\n") else body + "\n",
        extra=extra,
    )


def _library_meta(suffix: str, decoded: str) -> dict[str, Any]:
    """Metadata the library derives for this text (its title, dateline, date and language
    rules), by loading a copy in a scratch library."""
    from reader.library.articles import Library

    try:
        with tempfile.TemporaryDirectory(prefix="reader-import-") as tmp:
            cfg = Config(Path(tmp))
            cfg.articles_dir.mkdir(parents=True)
            (cfg.articles_dir / f"probe{suffix}").write_text(decoded, encoding="utf-8")
            m = Library(cfg).load("probe").meta
            out: dict[str, Any] = {"source": m.source, "date": m.date, "language": m.language,
                                   "authors": list(m.authors)}
            if m.title and m.title != "probe":
                out["title"] = m.title
            return out
    except Exception:  # noqa: BLE001 - derived metadata is a bonus; the import goes on
        return {}


def _first_line_title(body: str) -> str:
    first = body.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def _dateline_source(body: str) -> str:
    """``PYONGYANG, KOMPAS.TV - ...`` / ``Liputan6.com, Pyongyang - ...`` -> the outlet."""
    head = re.split(r"\s[-–—]\s", body.strip()[:120], maxsplit=1)
    if len(head) < 2:
        return ""
    for part in head[0].split(","):
        if re.search(r"\w\.(?:com|co\.id|tv|id|net|org|co\.uk)\b", part.strip(), re.I):
            return part.strip()
    return ""


def detect_language(body: str, declared: str) -> str:
    """The language of ``body`` as the library tells it, else what the page declares."""
    return detect(body) or normalise_language(declared)
