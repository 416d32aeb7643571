"""The annotation store: one YAML file per annotated article, ``annotations/<article id>.yaml``.

The files are user data. Every change is written at once and atomically
(:func:`reader.yamlio.atomic_write`); a file that fails to parse or validate is never
overwritten (its article is read-only, :class:`ReadOnlyError`); loading is strict and safe
(:mod:`reader.yamlio`). Two instances on one library lose nothing: each change takes the
library's write lock, re-reads the file and applies itself to what is on disk ("re-read and
merge"), so a change made by another instance in between is kept.

Re-anchoring (article text changed, see :mod:`reader.annotations.anchoring`) happens in memory
on load; the file is rewritten with the new offsets and ``text_sha256`` only with the next
change the user makes to that article, so merely opening an article never touches the file (no
churn in git). An annotation that cannot be placed is kept with ``orphaned: true``, never dropped.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from reader import yamlio
from reader.annotations import anchoring
from reader.models import Annotation, Article

FORMAT_VERSION = 1
CONTEXT = anchoring.CONTEXT
ENTRY_KEYS = ("id", "quote", "prefix", "suffix", "start", "end", "tags", "note", "created",
              "updated", "orphaned")
HEADER_KEYS = ("article", "text_sha256", "version", "annotations")
LOCK_NAME = ".lock"
SUFFIX = ".yaml"


class AnnotationFileError(yamlio.YamlFileError):
    """An annotation file that cannot be used (``path``, ``line``, ``reason``); never
    overwritten."""


class ReadOnlyError(AnnotationFileError):
    """A change was asked for on an article whose annotation file is broken."""


@dataclass(slots=True)
class ArticleAnnotations:
    article_id: str
    annotations: list[Annotation] = field(default_factory=list)  # in text order
    error: AnnotationFileError | None = None  # set when the file is broken (read-only)
    path: Path | None = None
    text_sha256: str = ""  # as in the file
    moved: list[str] = field(default_factory=list)  # ids re-anchored in memory on load

    @property
    def orphans(self) -> list[Annotation]:
        return [a for a in self.annotations if a.orphaned]

    @property
    def read_only(self) -> bool:
        return self.error is not None


@dataclass(frozen=True, slots=True)
class Change:
    article: Article
    before: Annotation | None  # None: the change added it
    after: Annotation | None  # None: the change deleted it


@dataclass(slots=True)
class UndoStep:
    description: str
    changes: list[Change] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(c.article.id for c in self.changes))


@dataclass(slots=True)
class RenameReport:
    annotations: int = 0  # annotations whose tags changed
    files: int = 0  # files rewritten
    failed: list[AnnotationFileError] = field(default_factory=list)  # broken files, untouched
    articles: list[str] = field(default_factory=list)  # ids of the articles rewritten


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of ``reader check``."""

    level: str  # "error" | "warning"
    article_id: str
    message: str
    path: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.path and self.line else str(self.path or "")
        return f"{self.level}: {where or self.article_id}: {self.message}"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    """64 random bits in hex: never collides across machines in practice."""
    return secrets.token_hex(8)


def quote_preview(quote: str, width: int = 40) -> str:
    q = " ".join(quote.split())
    return q if len(q) <= width else q[:width - 1] + "…"


@dataclass(slots=True)
class _FileState:
    path: Path
    exists: bool
    sha: str = ""
    annotations: list[Annotation] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level keys


class AnnotationStore:
    """Thread-safe; one per app (or CLI run). Several stores, in one or several processes,
    may work on the same library at once."""

    def __init__(self, annotations_dir: Path) -> None:
        self.dir = annotations_dir
        self._lock = threading.RLock()
        self._undo: list[UndoStep] = []
        self._batch: UndoStep | None = None
        self._summary: dict[str, tuple[int, int, int, tuple[str, ...]]] = {}

    # -- paths -----------------------------------------------------------------------------
    def path_for(self, article_id: str) -> Path:
        parts = article_id.split("/")
        if (not article_id or article_id.startswith("/") or "\\" in article_id
                or any(p in ("", ".", "..") for p in parts)):
            raise ValueError(f"invalid article id {article_id!r}")
        return self.dir / f"{article_id}{SUFFIX}"

    def id_for(self, path: Path) -> str:
        rel = path.relative_to(self.dir).as_posix()
        return rel[: -len(SUFFIX)]

    @property
    def lock_path(self) -> Path:
        return self.dir / LOCK_NAME

    def paths(self) -> list[Path]:
        """Every annotation file (hidden files and folders skipped), sorted."""
        out: list[Path] = []
        if not self.dir.is_dir():
            return out
        stack = [self.dir]
        while stack:
            d = stack.pop()
            try:
                entries = list(os.scandir(d))
            except OSError:
                continue
            for e in entries:
                if e.name.startswith("."):
                    continue
                if e.is_dir(follow_symlinks=False):
                    stack.append(Path(e.path))
                elif e.name.endswith(SUFFIX) and e.is_file():
                    out.append(Path(e.path))
        return sorted(out)

    # -- reading ---------------------------------------------------------------------------
    def _read(self, article_id: str) -> _FileState:
        """The file as on disk, validated. Raises AnnotationFileError."""
        path = self.path_for(article_id)
        if not path.exists():
            return _FileState(path, exists=False)
        try:
            text = yamlio.read_text(path)
            data, node = yamlio.parse(path, text)
        except yamlio.YamlFileError as exc:
            raise AnnotationFileError(exc.path, exc.line, exc.reason) from None
        except OSError as exc:
            raise AnnotationFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
        return _validate(path, article_id, data, node)

    def load(self, article: Article) -> ArticleAnnotations:
        """The article's annotations, anchored to its current text (in memory). Never raises
        for a bad file: the error is returned in :attr:`ArticleAnnotations.error`."""
        try:
            state = self._read(article.id)
        except AnnotationFileError as exc:
            return ArticleAnnotations(article.id, error=exc, path=exc.path)
        moved = _anchor_all(article, state)
        return ArticleAnnotations(article.id, state.annotations, None, state.path, state.sha,
                                  moved)

    def load_raw(self, article_id: str) -> ArticleAnnotations:
        """As on disk, without anchoring (no article needed). Never raises for a bad file."""
        try:
            state = self._read(article_id)
        except AnnotationFileError as exc:
            return ArticleAnnotations(article_id, error=exc, path=exc.path)
        return ArticleAnnotations(article_id, state.annotations, None, state.path, state.sha)

    def iter_all(self) -> Iterator[tuple[str, ArticleAnnotations]]:
        """(article id, annotations) for every annotation file, without anchoring."""
        for path in self.paths():
            article_id = self.id_for(path)
            yield article_id, self.load_raw(article_id)

    def errors(self) -> list[AnnotationFileError]:
        """Every broken annotation file (parse or validation error), with line and reason."""
        return [found.error for _, found in self.iter_all() if found.error is not None]

    def summary(self) -> dict[str, tuple[int, tuple[str, ...]]]:
        """{article id: (annotation count, tags by frequency)} for the article list. Files
        are re-read only when their size or mtime changed; broken files are left out (see
        :meth:`errors`)."""
        out: dict[str, tuple[int, tuple[str, ...]]] = {}
        seen: set[str] = set()
        for path in self.paths():
            article_id = self.id_for(path)
            seen.add(article_id)
            try:
                st = path.stat()
            except OSError:
                continue
            cached = self._summary.get(article_id)
            if cached is not None and cached[:2] == (st.st_mtime_ns, st.st_size):
                count, tags = cached[2], cached[3]
            else:
                found = self.load_raw(article_id)
                if found.error is not None:
                    self._summary.pop(article_id, None)
                    continue
                counts: Counter[str] = Counter()
                for ann in found.annotations:
                    counts.update(dict.fromkeys(ann.tags, 1))
                count = len(found.annotations)
                tags = tuple(sorted(counts, key=lambda t: (-counts[t], t)))
                with self._lock:
                    self._summary[article_id] = (st.st_mtime_ns, st.st_size, count, tags)
            if count:
                out[article_id] = (count, tags)
        with self._lock:
            for gone in set(self._summary) - seen:
                del self._summary[gone]
        return out

    def orphans(self, load_article: Callable[[str], Article]) -> list[tuple[str, Annotation]]:
        """(article id, annotation) for every annotation that cannot be placed in its article's
        current text. ``load_article`` raises LookupError/OSError for a missing article."""
        out: list[tuple[str, Annotation]] = []
        for article_id, raw in self.iter_all():
            if raw.error is not None:
                continue
            try:
                article = load_article(article_id)
            except (LookupError, OSError):
                continue
            out.extend((article_id, a) for a in self.load(article).orphans)
        return out

    # -- changing --------------------------------------------------------------------------
    def add(self, article: Article, start: int, end: int, tags: Iterable[str],
            note: str = "") -> Annotation:
        return self.add_many(article, [(start, end)], tags, note)[0]

    def add_many(self, article: Article, spans: Sequence[tuple[int, int]],
                 tags: Iterable[str], note: str = "") -> list[Annotation]:
        """One annotation per span, one write, one undo step (e.g. "tag every hit")."""
        tag_list = clean_tags(tags)
        for start, end in spans:
            _check_span(article, start, end)
        stamp = now()
        added = []
        for start, end in spans:
            prefix, suffix = anchoring.context(article.text, start, end)
            added.append(Annotation(id=new_id(), quote=article.text[start:end], prefix=prefix,
                                    suffix=suffix, start=start, end=end, tags=list(tag_list),
                                    note=note, created=stamp, updated=stamp))

        def apply(anns: list[Annotation]) -> list[Change]:
            anns.extend(_copy(a) for a in added)
            return [Change(article, None, _copy(a)) for a in added]

        what = (f"tagging of “{quote_preview(added[0].quote)}”" if len(added) == 1
                else f"tagging of {len(added)} passages")
        self._mutate(article, apply, what)
        return added

    def update(self, article: Article, annotation_id: str, *, tags: Iterable[str] | None = None,
               note: str | None = None) -> Annotation:
        """Change tags and/or note. KeyError if the annotation is gone."""
        new_tags = clean_tags(tags) if tags is not None else None
        result: list[Annotation] = []

        def apply(anns: list[Annotation]) -> list[Change]:
            i = _index(anns, annotation_id)
            old = anns[i]
            if (new_tags is None or new_tags == old.tags) and (note is None or note == old.note):
                result.append(_copy(old))
                return []
            new = replace(old, tags=list(new_tags if new_tags is not None else old.tags),
                          note=note if note is not None else old.note, updated=now(),
                          extra=dict(old.extra))
            anns[i] = new
            result.append(_copy(new))
            return [Change(article, _copy(old), _copy(new))]

        self._mutate(article, apply, "edit")
        return result[0]

    def delete(self, article: Article, annotation_id: str) -> Annotation:
        """Remove one annotation; returns it exactly as it was (see :meth:`restore`)."""
        result: list[Annotation] = []

        def apply(anns: list[Annotation]) -> list[Change]:
            old = anns.pop(_index(anns, annotation_id))
            result.append(_copy(old))
            return [Change(article, _copy(old), None)]

        self._mutate(article, apply, "deletion")
        return result[0]

    def restore(self, article: Article, annotation: Annotation) -> Annotation:
        """Put ``annotation`` back exactly (same id, quote, timestamps, unknown keys),
        replacing any annotation with the same id. Re-anchored if the text changed."""

        def apply(anns: list[Annotation]) -> list[Change]:
            before = None
            for i, a in enumerate(anns):
                if a.id == annotation.id:
                    before = anns.pop(i)
                    break
            anns.append(_copy(annotation))
            _anchor_one(article, anns[-1])
            return [Change(article, before, _copy(anns[-1]))]

        self._mutate(article, apply, f"restoring of “{quote_preview(annotation.quote)}”")
        return annotation

    def reattach(self, article: Article, annotation_id: str, start: int, end: int) -> Annotation:
        """Place an (orphaned) annotation on ``text[start:end]``; the old quote is kept in
        ``previous_quote`` when it differs."""
        _check_span(article, start, end)
        result: list[Annotation] = []

        def apply(anns: list[Annotation]) -> list[Change]:
            i = _index(anns, annotation_id)
            old = anns[i]
            new = _copy(old)
            _place(article, new, start, end)
            new.updated = now()
            anns[i] = new
            result.append(_copy(new))
            return [Change(article, _copy(old), _copy(new))]

        self._mutate(article, apply, "re-attaching")
        return result[0]

    def rename_tag(self, old: str, new: str) -> RenameReport:
        """Rename a tag in every annotation file, each file atomically. Broken files are left
        untouched and listed in :attr:`RenameReport.failed`. Not undoable (run it back)."""
        report = RenameReport()
        with self._lock, yamlio.library_lock(self.lock_path):
            for path in self.paths():
                article_id = self.id_for(path)
                try:
                    state = self._read(article_id)
                except AnnotationFileError as exc:
                    report.failed.append(exc)
                    continue
                changed = 0
                for ann in state.annotations:
                    if old in ann.tags:
                        ann.tags = clean_tags(new if t == old else t for t in ann.tags)
                        changed += 1
                if changed:
                    self._write(article_id, state.sha, state.annotations, state.extra)
                    report.annotations += changed
                    report.files += 1
                    report.articles.append(article_id)
        return report

    # -- undo ------------------------------------------------------------------------------
    @contextmanager
    def batch(self, description: str) -> Iterator[UndoStep]:
        """Changes made inside form one undo step. Each is still written at once."""
        with self._lock:
            outer = self._batch
            step = UndoStep(description) if outer is None else outer
            self._batch = step
            try:
                yield step
            finally:
                if outer is None:
                    self._batch = None
                    if step.changes:
                        self._undo.append(step)

    def can_undo(self) -> bool:
        return bool(self._undo)

    def peek_undo(self) -> UndoStep | None:
        with self._lock:
            return self._undo[-1] if self._undo else None

    def undo(self) -> str | None:
        """Undo the last change (or batch); returns its description, or None if nothing to
        undo. A change made since by another instance to the same annotation is not
        overwritten (it is skipped and said so)."""
        with self._lock:
            if not self._undo:
                return None
            step = self._undo[-1]
            skipped = 0
            by_article: dict[str, list[Change]] = {}
            for c in step.changes:
                by_article.setdefault(c.article.id, []).append(c)
            for changes in by_article.values():
                skipped += self._revert(changes)
            self._undo.pop()
            if skipped:
                return (f"{step.description} ({skipped} change(s) skipped: changed elsewhere "
                        "since)")
            return step.description

    def _revert(self, changes: list[Change]) -> int:
        """Apply the inverse of ``changes`` (one article); returns how many were skipped."""
        article = changes[0].article
        skipped = 0

        def apply(anns: list[Annotation]) -> list[Change]:
            nonlocal skipped
            for c in reversed(changes):
                current = next((a for a in anns if a.id == _id_of(c)), None)
                if c.after is None:  # undo a deletion: put it back exactly
                    if current is not None or c.before is None:
                        skipped += 1
                        continue
                    anns.append(_copy(c.before))
                    _anchor_one(article, anns[-1])
                elif current is None or not _same_edit(current, c.after):
                    skipped += 1  # changed or deleted elsewhere since: leave it
                elif c.before is None:  # undo an addition
                    anns.remove(current)
                else:
                    i = next(k for k, a in enumerate(anns) if a is current)
                    anns[i] = _copy(c.before)
                    _anchor_one(article, anns[i])
            return []

        self._mutate(article, apply, "", record=False)
        return skipped

    # -- internals -------------------------------------------------------------------------
    def _mutate(self, article: Article, apply: Callable[[list[Annotation]], list[Change]],
                what: str, *, record: bool = True) -> None:
        with self._lock, yamlio.library_lock(self.lock_path):
            try:
                state = self._read(article.id)
            except AnnotationFileError as exc:
                raise ReadOnlyError(exc.path, exc.line,
                                    f"{exc.reason} (annotations of this article are read-only "
                                    "until the file is fixed)") from None
            _anchor_all(article, state)
            changes = apply(state.annotations)
            if not changes and record:
                return
            self._write(article.id, article.sha256, state.annotations, state.extra)
            if record and changes:
                first = changes[0].after or changes[0].before
                if what in ("edit", "deletion", "re-attaching") and first is not None:
                    what = f"{what} of “{quote_preview(first.quote)}”"
                if self._batch is not None:
                    self._batch.changes.extend(changes)
                else:
                    self._undo.append(UndoStep(what, changes))
                    del self._undo[:-200]

    def _write(self, article_id: str, sha: str, anns: list[Annotation],
               extra: dict[str, Any]) -> None:
        path = self.path_for(article_id)
        if not anns and not extra:
            if path.exists():
                path.unlink()
                yamlio.fsync_dir(path.parent)
            return
        anns.sort(key=lambda a: (a.start, a.end, a.id))
        doc: dict[str, Any] = {"article": article_id, "text_sha256": sha,
                               "version": FORMAT_VERSION,
                               "annotations": [to_raw(a) for a in anns]}
        doc.update(extra)
        yamlio.atomic_write(path, yamlio.dump(doc))


# -- conversion and validation ----------------------------------------------------------------
def to_raw(ann: Annotation) -> dict[str, Any]:
    """The mapping written for one annotation: fixed key order, unknown keys last."""
    raw: dict[str, Any] = {"id": ann.id, "quote": ann.quote, "prefix": ann.prefix,
                           "suffix": ann.suffix, "start": ann.start, "end": ann.end,
                           "tags": list(ann.tags), "note": ann.note, "created": ann.created,
                           "updated": ann.updated}
    if ann.orphaned:
        raw["orphaned"] = True
    for k, v in ann.extra.items():
        if k not in raw and k not in ENTRY_KEYS:
            raw[k] = v
    return raw


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Stripped, non-empty, without duplicates, order kept."""
    out: list[str] = []
    for t in tags:
        if not isinstance(t, str):
            raise ValueError(f"a tag must be text, not {t!r}")
        name = " ".join(t.split())
        if name and name not in out:
            out.append(name)
    return out


def _validate(path: Path, article_id: str, data: Any, node: yaml.Node | None) -> _FileState:
    def fail(reason: str, at: yaml.Node | None = node) -> AnnotationFileError:
        return AnnotationFileError(path, yamlio.node_line(at), reason)

    if not isinstance(data, dict):
        raise fail("expected a mapping with article, text_sha256, version, annotations")
    nodes = _mapping_nodes(node)
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise fail("version must be a whole number", nodes.get("version"))
    if version > FORMAT_VERSION:
        raise fail(f"written by a newer reader (format version {version}; this one reads "
                   f"{FORMAT_VERSION})", nodes.get("version"))
    if data.get("article", article_id) != article_id:
        raise fail(f"file is for article {data.get('article')!r}, expected {article_id!r} "
                   "(its path names the article)", nodes.get("article"))
    sha = data.get("text_sha256") or ""
    if not isinstance(sha, str):
        raise fail("text_sha256 must be text", nodes.get("text_sha256"))
    items = data.get("annotations") or []
    if not isinstance(items, list):
        raise fail("annotations must be a list", nodes.get("annotations"))
    item_nodes = getattr(nodes.get("annotations"), "value", None) or []
    anns: list[Annotation] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        at = item_nodes[i] if i < len(item_nodes) else node
        ann = _entry(raw, partial(fail, at=at), _mapping_nodes(at))
        if ann.id in seen:
            raise fail(f"duplicate annotation id {ann.id!r}", at)
        seen.add(ann.id)
        anns.append(ann)
    extra = {k: v for k, v in data.items() if k not in HEADER_KEYS}
    return _FileState(path, True, sha, anns, extra)


def _mapping_nodes(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return None


def _entry(raw: Any, fail: Callable[[str], AnnotationFileError],
           nodes: dict[str, yaml.Node]) -> Annotation:
    if not isinstance(raw, dict):
        raise fail("each annotation must be a mapping (id, quote, start, end, tags, ...)")
    for key in ("id", "quote", "start", "end"):
        if key not in raw:
            raise fail(f"annotation without {key!r}")
    ann_id = raw["id"]
    if isinstance(ann_id, int) and not isinstance(ann_id, bool):
        ann_id = str(ann_id)
    if not isinstance(ann_id, str) or not ann_id.strip():
        raise fail("id must be non-empty text")
    values: dict[str, str] = {}
    for key in ("quote", "prefix", "suffix", "note", "created", "updated"):
        v = _text(raw.get(key))
        if v is None:
            raise fail(f"{key} must be text (annotation {ann_id})")
        values[key] = v
    if not values["quote"]:
        raise fail(f"quote is empty (annotation {ann_id})")
    start, end = raw["start"], raw["end"]
    for key, v in (("start", start), ("end", end)):
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise fail(f"{key} must be a whole number >= 0 (annotation {ann_id})")
    if end < start:
        raise fail(f"end is before start (annotation {ann_id})")
    tags = raw.get("tags")
    if tags is None:
        tags = []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise fail(f"tags must be a list of names (annotation {ann_id})")
    orphaned = raw.get("orphaned", False)
    if not isinstance(orphaned, bool):
        raise fail(f"orphaned must be true or false (annotation {ann_id})")
    extra = {k: v for k, v in raw.items() if k not in ENTRY_KEYS}
    return Annotation(id=ann_id, quote=values["quote"], prefix=values["prefix"],
                      suffix=values["suffix"], start=start, end=end, tags=clean_tags(tags),
                      note=values["note"], created=values["created"],
                      updated=values["updated"], orphaned=orphaned, extra=extra)


# -- anchoring ---------------------------------------------------------------------------------
def _anchor_all(article: Article, state: _FileState) -> list[str]:
    """Re-anchor (in memory) every annotation not placed in the current text; returns the ids
    whose place changed."""
    if state.sha == article.sha256 and all(
            not a.orphaned and anchoring.is_placed(article.text, a.quote, a.start, a.end)
            for a in state.annotations):
        return []
    moved = []
    for ann in state.annotations:
        before = (ann.start, ann.end, ann.orphaned)
        _anchor_one(article, ann)
        if (ann.start, ann.end, ann.orphaned) != before:
            moved.append(ann.id)
    state.annotations.sort(key=lambda a: (a.start, a.end, a.id))
    return moved


def _anchor_one(article: Article, ann: Annotation) -> None:
    text = article.text
    if anchoring.is_placed(text, ann.quote, ann.start, ann.end):
        ann.orphaned = False
        return
    span = anchoring.anchor(text, ann.quote, ann.prefix, ann.suffix, ann.start)
    if span is None:
        ann.orphaned = True
        return
    _place(article, ann, *span)


def _place(article: Article, ann: Annotation, start: int, end: int) -> None:
    quote = article.text[start:end]
    if quote != ann.quote and "previous_quote" not in ann.extra:
        ann.extra["previous_quote"] = ann.quote
    ann.quote = quote
    ann.prefix, ann.suffix = anchoring.context(article.text, start, end)
    ann.start, ann.end, ann.orphaned = start, end, False


# -- small helpers -----------------------------------------------------------------------------
def _check_span(article: Article, start: int, end: int) -> None:
    if not (0 <= start < end <= len(article.text)):
        raise ValueError(f"passage {start}-{end} is empty or outside the text "
                         f"(0-{len(article.text)})")
    if not article.text[start:end].strip():
        raise ValueError("the passage is only whitespace")


def _index(anns: list[Annotation], annotation_id: str) -> int:
    for i, a in enumerate(anns):
        if a.id == annotation_id:
            return i
    raise KeyError(f"annotation {annotation_id} not found (deleted elsewhere?)")


def _copy(ann: Annotation) -> Annotation:
    return replace(ann, tags=list(ann.tags), extra=dict(ann.extra))


def _id_of(change: Change) -> str:
    ann = change.after or change.before
    assert ann is not None
    return ann.id


def _same_edit(a: Annotation, b: Annotation) -> bool:
    return (a.tags, a.note, a.updated) == (b.tags, b.note, b.updated)
