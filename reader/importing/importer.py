"""Import articles: saved web pages, folders of them, text/Markdown files, URLs.

Domain code (no Textual): :func:`import_sources` turns sources into Markdown files with
YAML front matter in ``articles/``, skipping duplicates (same URL, or same text after
normalisation) and reporting one result per source. It never overwrites a file, and it
tells the search index about the new articles when done.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml

from reader.config import Config
from reader.importing.sandbox import extract_isolated
from reader.importing.sources import HTML_SUFFIXES, TEXT_SUFFIXES, expand_sources
from reader.importing.textfile import detect_language, read_text
from reader.importing.webpage import (
    MAX_BYTES,
    Extracted,
    ExtractionError,
    clean_url,
    fetch,
    is_url,
    url_key,
)
from reader.library import text as textmod
from reader.library import walk as walkmod

ImportStatus = Literal["imported", "duplicate", "failed"]
ImportProgress = Callable[[int, int, str], None]  # (number, total, source) before each item

MAX_SLUG = 60  # characters of the title part of a file name
MAX_SOURCE_SLUG = 24


@dataclass(slots=True)
class ImportItem:
    """The outcome for one source (a file or URL)."""

    source: str  # the file path or URL
    status: ImportStatus
    path: str = ""  # written (or, in a dry run, to be written) under articles/, "/"-separated
    title: str = ""
    site: str = ""
    date: str = ""
    reason: str = ""  # why it is a duplicate or failed, one line

    @property
    def article_id(self) -> str:
        """The library id of the new article ("" unless imported)."""
        return self.path.rsplit(".", 1)[0] if self.status == "imported" and self.path else ""


@dataclass(slots=True)
class ImportReport:
    items: list[ImportItem] = field(default_factory=list)
    dry_run: bool = False
    index_notice: str = ""  # e.g. "search index not updated: ..." ("" when fine)

    @property
    def imported(self) -> list[ImportItem]:
        return [i for i in self.items if i.status == "imported"]

    @property
    def duplicates(self) -> list[ImportItem]:
        return [i for i in self.items if i.status == "duplicate"]

    @property
    def failed(self) -> list[ImportItem]:
        return [i for i in self.items if i.status == "failed"]

    def summary(self) -> str:
        """One line, e.g. ``imported 3, skipped 1 (duplicate: a.html), failed 1 (b.html: ...)``."""
        verb = "would import" if self.dry_run else "imported"
        parts = [f"{verb} {len(self.imported)}"]
        if self.duplicates:
            parts.append(f"skipped {len(self.duplicates)} (duplicate: "
                         f"{_names(i.source for i in self.duplicates)})")
        else:
            parts.append("skipped 0")
        if self.failed:
            why = "; ".join(f"{_short(i.source)}: {i.reason}" for i in self.failed[:3])
            more = f"; +{len(self.failed) - 3} more" if len(self.failed) > 3 else ""
            parts.append(f"failed {len(self.failed)} ({why}{more})")
        else:
            parts.append("failed 0")
        return ", ".join(parts)


def _short(source: str) -> str:
    return source if is_url(source) else Path(source).name


def _names(sources: Iterable[str], limit: int = 3) -> str:
    names = [_short(s) for s in sources]
    more = f", +{len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


# --- sources -------------------------------------------------------------------------------

# --- what is already there -----------------------------------------------------------------

def text_fingerprint(body: str) -> str:
    """Hash of the text casefolded, Unicode-normalised, with only its words kept (so spacing,
    punctuation, quotes and Markdown heading marks do not matter). "" for no words."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", body).casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest() if words else ""


@dataclass(slots=True)
class _Known:
    urls: dict[str, str] = field(default_factory=dict)  # url_key -> article path
    texts: dict[str, str] = field(default_factory=dict)  # fingerprint -> article path
    names: set[str] = field(default_factory=set)  # lower-cased paths taken (dry runs too)
    stems: set[str] = field(default_factory=set)  # lower-cased ids taken: no a.md beside a.txt

    def duplicate_of(self, url: str, body: str) -> str:
        key = url_key(url) if url else ""
        if key and key in self.urls:
            return f"same URL as {self.urls[key]}"
        fp = text_fingerprint(body)
        if fp and fp in self.texts:
            return f"same text as {self.texts[fp]}"
        return ""

    def add(self, path: str, url: str, body: str) -> None:
        self.names.add(path.lower())
        self.stems.add(path.rsplit(".", 1)[0].lower())
        if key := url_key(url) if url else "":
            self.urls.setdefault(key, path)
        if fp := text_fingerprint(body):
            self.texts.setdefault(fp, path)


def _scan_existing(articles_dir: Path) -> _Known:
    """URLs, texts and names of the articles already in the library (the library's walk).
    A file that cannot be read still takes its name."""
    known = _Known()
    for f in walkmod.walk(articles_dir):
        rel = f.path
        known.stems.add(f.id.lower())
        try:
            if f.size > MAX_BYTES:
                raise OSError("too large to compare")
            decoded, _ = textmod.decode((articles_dir / rel).read_bytes())
            fm, body, _ = textmod.split_front_matter(decoded)
        except (OSError, ValueError):
            known.names.add(rel.lower())
            continue
        url = fm.get("url") if isinstance(fm.get("url"), str) else ""
        known.add(rel, str(url or ""), body)
    return known


# --- reading one source --------------------------------------------------------------------

def _read_source(source: str) -> Extracted:
    if is_url(source):
        data, final = fetch(source)
        ex = extract_isolated(data, final)
        ex.url = ex.url or clean_url(final)
        return ex
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExtractionError(f"file too large ({size // 1_000_000} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"cannot read file: {exc.strerror or exc}") from exc
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or (suffix not in HTML_SUFFIXES and not _looks_html(data)):
        return read_text(path, data)
    return extract_isolated(data)


def _looks_html(data: bytes) -> bool:
    head = data[:4096].lower()
    return b"<html" in head or b"<!doctype html" in head or b"<body" in head


# --- writing -------------------------------------------------------------------------------

def slugify(text: str, limit: int = MAX_SLUG) -> str:
    """ASCII, lower case, hyphenated, at most ``limit`` characters, cut at a word boundary."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2:] else slug[:limit]
    return slug.strip("-")


def file_name(ex: Extracted, suffix: str = ".md") -> str:
    """``<source-slug>-<title-slug>.md``, e.g. ``kompas-com-putin-tiba-di-pyongyang.md``."""
    site = slugify(re.sub(r"^the\s+", "", ex.source, flags=re.I), MAX_SOURCE_SLUG)
    title = slugify(ex.title) or "untitled"
    if site and not title.startswith(site):
        return f"{site}-{title}{suffix}"
    return f"{title}{suffix}"


def _free_name(name: str, known: _Known, articles_dir: Path) -> str:
    """``name``, or ``-2``, ``-3``... before its extension: free as a file name and as an
    id (``x.md`` is not free beside ``x.txt``: both would be article ``x``)."""
    stem, dot, ext = name.rpartition(".")
    n = 1
    while True:
        cand_stem = stem if n == 1 else f"{stem}-{n}"
        cand = f"{cand_stem}{dot}{ext}"
        if (cand.lower() not in known.names and cand_stem.lower() not in known.stems
                and not any(os.path.lexists(articles_dir / f"{cand_stem}{suffix}")
                            for suffix in (".txt", ".md", ".TXT", ".MD"))
                and not (articles_dir / cand).exists()):
            return cand
        n += 1


def front_matter(ex: Extracted, tags: Sequence[str], imported: str) -> dict[str, Any]:
    fm: dict[str, Any] = {"title": ex.title}
    if ex.source:
        fm["source"] = ex.source
    if ex.date:
        fm["date"] = ex.date
    if ex.authors:
        fm["authors"] = list(ex.authors)
    if ex.url:
        fm["url"] = ex.url
    if ex.language:
        fm["language"] = ex.language
    given = ex.extra.get("tags") or []
    all_tags = [str(t).strip() for t in ([given] if isinstance(given, str) else given)
                if str(t).strip()] if isinstance(given, (str, list)) else []
    for t in tags:
        if t not in all_tags:
            all_tags.append(t)
    if all_tags:
        fm["tags"] = all_tags
    fm.update({k: v for k, v in ex.extra.items() if k not in fm and k != "tags"})
    fm["imported"] = imported
    return fm


def render(fm: dict[str, Any], body: str) -> str:
    dumped = yaml.safe_dump(fm, sort_keys=False, allow_unicode=True, default_flow_style=False,
                            width=100)
    return f"---\n{dumped}---\n{body.lstrip(chr(10))}"


def _write_new(articles_dir: Path, name: str, content: str, known: _Known) -> str:
    """Write ``content`` under a free name (``-2``, ``-3``... when taken), never replacing a
    file, never leaving a half-written article. Returns the name used."""
    articles_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".import-{os.getpid()}-", suffix=".part", dir=articles_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        while True:
            name = _free_name(name, known, articles_dir)
            try:
                os.link(tmp, articles_dir / name)  # atomic, fails if the name exists
                return name
            except FileExistsError:
                known.names.add(name.lower())
            except OSError:  # no hard links here: exclusive create instead
                with open(articles_dir / name, "x", encoding="utf-8", newline="\n") as out:
                    out.write(content)
                return name
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


# --- the whole import ----------------------------------------------------------------------

def import_sources(config: Config, sources: Sequence[str], tags: Sequence[str] = (),
                   dry_run: bool = False, progress: ImportProgress | None = None,
                   update_index: bool = True,
                   on_item: Callable[[ImportItem], None] | None = None) -> ImportReport:
    """Import every source; never raises for a bad source (it becomes a ``failed`` item).

    ``progress(number, total, source)`` is called before each item, ``on_item(item)`` after
    it (so a caller can report each article as it is written, even if the batch is then
    interrupted). With ``dry_run`` nothing is written; items say what would be. With
    ``update_index`` the search index takes in the new articles at the end (pass False when
    the caller updates it itself)."""
    report = ImportReport(dry_run=dry_run)
    tag_list = [t.strip() for t in tags if t and t.strip()]
    expanded = expand_sources(sources)
    if not dry_run:
        clean_stale_parts(config.articles_dir)
    known = _scan_existing(config.articles_dir)
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    for n, (source, problem) in enumerate(expanded, 1):
        if progress:
            progress(n, len(expanded), source)
        if problem:
            item = ImportItem(source, "failed", reason=problem)
        else:
            try:
                item = _import_one(config, source, tag_list, dry_run, known, stamp)
            except Exception as exc:  # noqa: BLE001 - one bad source must not stop a batch
                item = ImportItem(source, "failed",
                                  reason=f"unexpected error: {type(exc).__name__}: {exc}")
        report.items.append(item)
        if on_item:
            on_item(item)
    if report.imported and not dry_run and update_index:
        report.index_notice = _update_index(config)
    return report


_PART_RE = re.compile(r"\.import-(?:\d+-)?[A-Za-z0-9_]{8}\.part")


def clean_stale_parts(articles_dir: Path, max_age: float = 60.0) -> int:
    """Remove the half-written ``.import-*.part`` files an import killed mid-write left in
    ``articles/`` (older than ``max_age`` seconds; nothing else is touched)."""
    now = datetime.now(UTC).timestamp()
    removed = 0
    try:
        with os.scandir(articles_dir) as it:
            parts = [e for e in it if _PART_RE.fullmatch(e.name)]
    except OSError:
        return 0
    for e in parts:
        try:
            if e.is_file(follow_symlinks=False) and now - e.stat().st_mtime > max_age:
                os.unlink(e.path)
                removed += 1
        except OSError:
            continue
    return removed


def _import_one(config: Config, source: str, tags: list[str], dry_run: bool, known: _Known,
                stamp: str) -> ImportItem:
    if is_url(source) and (dup := known.duplicate_of(source, "")):
        return ImportItem(source, "duplicate", reason=dup)
    try:
        ex = _read_source(source)
    except ExtractionError as exc:
        return ImportItem(source, "failed", reason=str(exc))
    ex.language = detect_language(ex.body, ex.language)
    item = ImportItem(source, "imported", title=ex.title, site=ex.source, date=ex.date)
    if dup := known.duplicate_of(ex.url, ex.body):
        item.status, item.reason = "duplicate", dup
        return item
    suffix = ".txt" if Path(source).suffix.lower() == ".txt" and not is_url(source) else ".md"
    name = _free_name(file_name(ex, suffix), known, config.articles_dir)
    if not dry_run:
        content = render(front_matter(ex, tags, stamp), ex.body)
        try:
            name = _write_new(config.articles_dir, name, content, known)
        except OSError as exc:
            item.status, item.reason = "failed", f"cannot write article: {exc.strerror or exc}"
            return item
    item.path = name
    known.add(name, ex.url, ex.body)
    return item


def _update_index(config: Config) -> str:
    try:
        from reader.search.index import SearchIndex

        SearchIndex(config).update()
    except NotImplementedError:
        return ""
    except Exception as exc:  # noqa: BLE001 - the articles are safe; the index is a cache
        return f"search index not updated ({type(exc).__name__}: {exc}); it catches up next time"
    return ""
