"""Exports of tagged passages: Markdown, CSV, JSON and the W3C Web Annotation data model.

Every export is deterministic: the same rows give the same bytes (rows are put in a canonical
order, nothing depends on the time of the export or on dict order), so exports can be diffed
and committed. Text is exported exactly as in the article (quotes, newlines, any script).

CSV starts with a UTF-8 byte order mark: Excel opens a CSV without one in the legacy code page
and garbles every non-ASCII letter, while LibreOffice, Google Sheets, pandas and Python
(``encoding="utf-8-sig"``) all read it. Cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from reader.annotations.memos import Memo, sort_key
from reader.review.rows import UNTAGGED, ReviewRow, canonical_order, fold
from reader.yamlio import atomic_write_bytes

Format = Literal["md", "csv", "json", "w3c"]
FORMATS: tuple[str, ...] = ("md", "csv", "json", "w3c")
EXTENSIONS = {"md": ".md", "csv": ".csv", "json": ".json", "w3c": ".jsonld"}
JSON_VERSION = 1
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://reader.invalid/annotation")
CSV_COLUMNS = ("tag", "quote", "note", "title", "source", "date", "article_id", "start", "end",
               "tags", "annotation_id", "orphaned", "created", "updated", "url", "coders")
BOM = "\ufeff"


def export(rows: Iterable[ReviewRow], fmt: str, *, title: str = "Tagged passages",
           bom: bool = True, only_tags: Iterable[str] | None = None,
           memos: Sequence[Memo] = ()) -> str:
    """The rows in format ``fmt`` (one of :data:`FORMATS`). ``bom`` applies to CSV only.
    ``only_tags`` (the tags the rows were filtered by): the Markdown sections and CSV rows are
    those tags' only; a passage's other tags still show ("also tagged", the ``tags`` column).
    ``memos``: a Markdown export ends with them (see :func:`reader.annotations.memos.select`
    for those a report on some tags or articles should hold).
    """
    ordered = canonical_order(rows)
    wanted = None if only_tags is None else {fold(t) for t in only_tags} or None
    if fmt == "md":
        return to_markdown(ordered, title, wanted) + memos_markdown(memos, ordered)
    if fmt == "csv":
        return to_csv(ordered, bom=bom, wanted=wanted)
    if fmt == "json":
        return to_json(ordered)
    if fmt == "w3c":
        return to_w3c(ordered, title)
    raise ValueError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")


def export_bytes(rows: Iterable[ReviewRow], fmt: str, **kwargs: Any) -> bytes:
    return export(rows, fmt, **kwargs).encode("utf-8")


def save(rows: Iterable[ReviewRow], fmt: str, path: Path, **kwargs: Any) -> int:
    """Export ``rows`` to ``path`` atomically; returns the number of passages. Raises
    OSError (e.g. folder missing or read-only) with the old file untouched."""
    items = list(rows)
    write_atomic(path, export_bytes(items, fmt, **kwargs))
    return len(items)


def default_filename(fmt: str, stem: str = "passages") -> str:
    """E.g. ``passages.csv``; W3C exports get ``.jsonld``."""
    return stem + EXTENSIONS[fmt]


def write_atomic(path: Path, data: bytes) -> None:
    """``path`` holds the old content or the new, never a mix (its folder must exist)."""
    atomic_write_bytes(path, data, make_parent=False)


# -- Markdown -----------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=])", re.MULTILINE)
_MD_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Escape what Markdown would turn into formatting, keeping the text readable."""
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    return _MD_LIST_NUMBER.sub(r"\1\\\2", text)


def shown_tags(r: ReviewRow, wanted: set[str] | None = None) -> list[str]:
    """A passage's tags, sorted; only those in ``wanted`` (folded names) when given."""
    tags = sorted(set(r.tags))
    if wanted is not None:
        tags = [t for t in tags if fold(t) in wanted] or tags
    return tags


def _tag_groups(rows: Sequence[ReviewRow],
                wanted: set[str] | None = None) -> list[tuple[str, list[ReviewRow]]]:
    groups: dict[str, list[ReviewRow]] = {}
    for r in rows:
        for t in shown_tags(r, wanted) or [UNTAGGED]:
            groups.setdefault(t, []).append(r)
    names = sorted(groups, key=lambda t: (t == UNTAGGED, fold(t), t))
    return [(t, groups[t]) for t in names]


def to_markdown(rows: Sequence[ReviewRow], title: str = "Tagged passages",
                wanted: set[str] | None = None) -> str:
    groups = _tag_groups(rows, wanted)
    articles = len({r.article_id for r in rows})
    out = [f"# {md_escape(title)}", ""]
    out.append(f"{_plural(len(rows), 'passage')} from {_plural(articles, 'article')}, "
               f"{_plural(len([g for g in groups if g[0] != UNTAGGED]), 'tag')}.")
    out.append("")
    if groups:
        for name, members in groups:
            out.append(f"- [{md_escape(name)}](#{_slug(name)}) ({len(members)})")
        out.append("")
    for name, members in groups:
        out.append(f"## {md_escape(name)}")
        out.append("")
        for r in members:
            paragraphs = [md_escape(x.strip()) for x in r.quote.strip().split("\n") if x.strip()]
            out.append("\n>\n".join(f"> {p}" for p in paragraphs) or ">")
            out.append("")
            cite = f"— *{md_escape(r.title)}*" if r.title else f"— {md_escape(r.article_id)}"
            cite += "".join(f", {md_escape(x)}" for x in (r.source, r.date) if x)
            cite += f" (`{r.article_id}`, characters {r.start}–{r.end})"
            others = sorted(t for t in r.tags if t != name)
            if others:
                cite += f" · also tagged: {', '.join(md_escape(t) for t in others)}"
            if r.coders:
                cite += f" · coded by {', '.join(md_escape(c) for c in r.coders)}"
            out.extend([cite, ""])
            if r.orphaned:
                out.extend(["*Not found in the current text of the article (orphaned).*", ""])
            if r.note.strip():
                note_lines = [md_escape(x.strip()) for x in r.note.strip().split("\n")]
                out.append("\\\n".join([f"**Note:** {note_lines[0]}", *note_lines[1:]]))
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_HEADING = re.compile(r"^(#{1,6})(?=\s|$)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def _demote(text: str, levels: int) -> str:
    """Markdown ``text`` with its ``#`` headings ``levels`` deeper (at most ``######``),
    fenced code left as it is: a memo's headings nest under its own."""
    out, fence = [], ""
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if m and (not fence or m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)):
            fence = "" if fence else m.group(1)
        elif not fence:
            line = _HEADING.sub(lambda h: "#" * min(6, len(h.group(1)) + levels), line)
        out.append(line)
    return "\n".join(out)


def memos_markdown(memos: Sequence[Memo], rows: Sequence[ReviewRow] = ()) -> str:
    """A ``## Memos`` section (after the passages): a heading per library, tag and article,
    each memo under its date and kind, its text as written (its headings nested). ``""``
    without memos."""
    if not memos:
        return ""
    titles = {r.article_id: r.title for r in rows}
    out = ["", "## Memos", ""]
    subject = None
    for memo in sorted(memos, key=sort_key):
        if (memo.scope, memo.about) != subject:
            subject = (memo.scope, memo.about)
            if memo.scope == "library":
                out += ["### The library", ""]
            elif memo.scope == "tag":
                out += [f"### Tag: {md_escape(memo.about)}", ""]
            else:
                title = titles.get(memo.about)
                name = f"*{md_escape(title)}* (`{memo.about}`)" if title else f"`{memo.about}`"
                out += [f"### Article: {name}", ""]
        head = " · ".join(x for x in (memo.date, md_escape(memo.kind)) if x) or "Memo"
        out += [f"#### {head}", "", f"`{memo.id}`", "", _demote(memo.text, 4), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _slug(name: str) -> str:
    s = re.sub(r"[^\w\- ]", "", name.lower()).strip().replace(" ", "-")
    return s or "section"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- CSV ----------------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(rows: Sequence[ReviewRow], *, bom: bool = True,
           wanted: set[str] | None = None) -> str:
    """One row per (annotation, tag); a passage without tags gets one row with an empty tag.
    Lines end with CRLF (RFC 4180); newlines inside cells are kept (the cell is quoted)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(CSV_COLUMNS)
    for r in rows:
        for tag in shown_tags(r, wanted) or [""]:
            cells = [tag, r.quote, r.note, r.title, r.source, r.date, r.article_id,
                     str(r.start), str(r.end), "; ".join(r.tags), r.annotation_id,
                     "yes" if r.orphaned else "", r.created, r.updated, r.url,
                     "; ".join(r.coders)]
            w.writerow([c if i in (7, 8) else csv_cell(c) for i, c in enumerate(cells)])
    return (BOM if bom else "") + buf.getvalue()


# -- JSON ---------------------------------------------------------------------------------------
def row_to_dict(r: ReviewRow) -> dict[str, Any]:
    return {
        "id": r.annotation_id,
        "article": {"id": r.article_id, "title": r.title, "source": r.source, "date": r.date,
                    "language": r.language, "url": r.url, "path": r.path},
        "quote": r.quote,
        "prefix": r.prefix,
        "suffix": r.suffix,
        "start": r.start,
        "end": r.end,
        "tags": list(r.tags),
        "note": r.note,
        "created": r.created,
        "updated": r.updated,
        "orphaned": r.orphaned,
        "coders": list(r.coders),
    }


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_json(rows: Sequence[ReviewRow]) -> str:
    return _dumps({"version": JSON_VERSION, "count": len(rows),
                   "annotations": [row_to_dict(r) for r in rows]})


# -- W3C Web Annotation -------------------------------------------------------------------------
def annotation_iri(r: ReviewRow) -> str:
    """A stable IRI for an annotation: a name-based UUID of the article and annotation ids
    (the same annotation always gets the same IRI, on every machine)."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{r.article_id}#{r.annotation_id}')}"


def article_iri(r: ReviewRow) -> str:
    """The article's URL when it was imported from the web, else a stable name for it."""
    if r.url and re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", r.url):
        return r.url
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'article/' + r.article_id)}"


def to_w3c_annotation(r: ReviewRow, *, with_context: bool = True) -> dict[str, Any]:
    """One ``Annotation`` (Web Annotation Data Model, W3C Recommendation 2017)."""
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": t, "format": "text/plain"}
        for t in r.tags]
    if r.note.strip():
        body: dict[str, Any] = {"type": "TextualBody", "purpose": "commenting",
                                "value": r.note, "format": "text/plain"}
        if r.language:
            body["language"] = r.language
        bodies.append(body)
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": r.quote, "prefix": r.prefix,
         "suffix": r.suffix}]
    if not r.orphaned:
        selectors.append({"type": "TextPositionSelector", "start": r.start, "end": r.end})
    target: dict[str, Any] = {"source": article_iri(r), "selector": selectors}
    anno: dict[str, Any] = {}
    if with_context:
        anno["@context"] = W3C_CONTEXT
    anno["id"] = annotation_iri(r)
    anno["type"] = "Annotation"
    anno["motivation"] = ("tagging" if r.tags else "commenting" if r.note.strip()
                          else "highlighting")
    if r.created:
        anno["created"] = r.created
    if r.updated:
        anno["modified"] = r.updated
    if r.coders:
        people = [{"type": "Person", "name": c} for c in r.coders]
        anno["creator"] = people[0] if len(people) == 1 else people
    if bodies:
        anno["body"] = bodies
    anno["target"] = target
    return anno


def to_w3c(rows: Sequence[ReviewRow], label: str = "Tagged passages") -> str:
    """An ``AnnotationCollection`` holding every annotation in one embedded
    ``AnnotationPage``: one file other tools can read whole, and its items are complete
    Annotations (each also carries ``@context`` so it can be taken out on its own)."""
    collection_id = f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'collection/' + label)}"
    page = {
        "id": f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'page/' + label)}",
        "type": "AnnotationPage",
        "partOf": collection_id,
        "startIndex": 0,
        "items": [to_w3c_annotation(r) for r in rows],
    }
    doc = {
        "@context": W3C_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(rows),
        "first": page,
    }
    return _dumps(doc)
