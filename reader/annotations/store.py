"""The annotation store: one YAML file per annotated article, ``annotations/<article id>.yaml``.

Owns the files: their paths, the library's write lock, atomic writes and every change (add,
edit, delete, restore, re-attach, rename a tag). It is the only reader and writer of annotation
files; their format and validation are :mod:`reader.annotations.format`, undo is
:mod:`reader.annotations.undo`, re-anchoring is :mod:`reader.annotations.anchoring`.

The files are user data. Every change is written at once and atomically
(:func:`reader.yamlio.atomic_write`); a file that fails to parse or validate is never
overwritten (its article is read-only, :class:`ReadOnlyError`); loading is strict and safe
(:mod:`reader.yamlio`). Two instances on one library lose nothing: each change takes the
library's write lock, re-reads the file and applies itself to what is on disk ("re-read and
merge"), so a change made by another instance in between is kept.

Re-anchoring (article text changed) happens in memory on load; the file is rewritten with the
new offsets and ``text_sha256`` only with the next change the user makes to that article, so
merely opening an article never touches the file (no churn in git). An annotation that cannot
be placed is kept with ``orphaned: true``, never dropped.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader import yamlio
from reader.annotations import anchoring, files, vocabulary
from reader.annotations.format import (
    SUFFIX,
    AnnotationFileError,
    FileState,
    ReadOnlyError,
    UnknownTagError,
    clean_tags,
    copy_annotation,
    new_id,
    now,
    quote_preview,
    serialise,
)
from reader.annotations.undo import Change, UndoLog, UndoStep, by_article, revert
from reader.config import VOCABULARY_FILENAME
from reader.models import Annotation, Article

CONTEXT = anchoring.CONTEXT
LOCK_NAME = ".lock"


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


@dataclass(slots=True)
class RenameReport:
    annotations: int = 0  # annotations whose tags changed
    files: int = 0  # files rewritten
    failed: list[AnnotationFileError] = field(default_factory=list)  # broken files, untouched
    articles: list[str] = field(default_factory=list)  # ids of the articles rewritten


@dataclass(frozen=True, slots=True)
class Tagged:
    """What :meth:`AnnotationStore.tag` did."""

    annotation: Annotation  # as it now stands
    added: bool  # a new annotation (else the one on exactly that span)
    changed: bool  # False: it carried those tags (and that note) already; nothing written


class AnnotationStore:
    """Thread-safe; one per app (or CLI run). Several stores, in one or several processes,
    may work on the same library at once."""

    def __init__(self, annotations_dir: Path, vocabulary_path: Path | None = None) -> None:
        self.dir = annotations_dir
        self.vocabulary_path = vocabulary_path or annotations_dir / VOCABULARY_FILENAME
        self._history = UndoLog()
        self._lock = self._history.lock
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
    def _read(self, article_id: str, *, fresh: bool = False) -> FileState:
        """The file as on disk, validated (``fresh``: parsed now, never from memory).
        Raises AnnotationFileError."""
        return files.read(self.path_for(article_id), article_id, fresh=fresh)

    def load(self, article: Article) -> ArticleAnnotations:
        """The article's annotations, anchored to its current text (in memory). Never raises
        for a bad file: the error is returned in :attr:`ArticleAnnotations.error`."""
        try:
            state = self._read(article.id)
        except AnnotationFileError as exc:
            return ArticleAnnotations(article.id, error=exc, path=exc.path)
        moved = anchoring.reanchor_all(article, state.sha, state.annotations)
        return ArticleAnnotations(article.id, state.annotations, None, state.path, state.sha,
                                  moved)

    def load_raw(self, article_id: str) -> ArticleAnnotations:
        """As on disk, without anchoring (no article needed). Never raises for a bad file."""
        try:
            state = self._read(article_id)
        except AnnotationFileError as exc:
            return ArticleAnnotations(article_id, error=exc, path=exc.path)
        return ArticleAnnotations(article_id, state.annotations, None, state.path, state.sha)

    def tags_and_notes(self, article_id: str) -> tuple[list[str], list[str]]:
        """The article's tags (first use first, each once) and its non-empty notes, for the
        search index; ``([], [])`` when it has none or its file is broken. Cheap right after
        a change: served from what the change wrote."""
        try:
            state = self._read(article_id)
        except AnnotationFileError:
            return [], []
        tags = list(dict.fromkeys(t for a in state.annotations for t in a.tags))
        return tags, [a.note for a in state.annotations if a.note]

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
        tag_list = self._known(tags)
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
            anns.extend(copy_annotation(a) for a in added)
            return [Change(article, None, copy_annotation(a)) for a in added]

        what = (f"tagging of “{quote_preview(added[0].quote)}”" if len(added) == 1
                else f"tagging of {len(added)} passages")
        self._mutate(article, apply, what, new_tags=True)
        return added

    def tag(self, article: Article, start: int, end: int, tags: Iterable[str],
            note: str | None = None) -> Tagged:
        """Tag ``text[start:end]``: add the tags (and set the note, when given) to the
        annotation of exactly this span if there is one, else make one; one read, at most one
        write, one undo step."""
        tag_list = self._known(tags)
        if not tag_list and not note:
            raise ValueError("give a tag or a note")
        _check_span(article, start, end)
        result: list[Tagged] = []

        def apply(anns: list[Annotation]) -> list[Change]:
            i = next((k for k, a in enumerate(anns)
                      if not a.orphaned and (a.start, a.end) == (start, end)), None)
            if i is None:
                stamp = now()
                prefix, suffix = anchoring.context(article.text, start, end)
                new = Annotation(id=new_id(), quote=article.text[start:end], prefix=prefix,
                                 suffix=suffix, start=start, end=end, tags=tag_list,
                                 note=note or "", created=stamp, updated=stamp)
                anns.append(new)
                result.append(Tagged(copy_annotation(new), added=True, changed=True))
                return [Change(article, None, copy_annotation(new))]
            old = anns[i]
            have = {t.casefold() for t in old.tags}
            merged = old.tags + [t for t in tag_list if t.casefold() not in have]
            if merged == old.tags and (note is None or note == old.note):
                result.append(Tagged(copy_annotation(old), added=False, changed=False))
                return []
            anns[i] = replace(old, tags=merged, note=old.note if note is None else note,
                              updated=now(), extra=dict(old.extra))
            result.append(Tagged(copy_annotation(anns[i]), added=False, changed=True))
            return [Change(article, copy_annotation(old), copy_annotation(anns[i]))]

        self._mutate(article, apply, f"tagging of “{quote_preview(article.text[start:end])}”",
                     new_tags=True)
        return result[0]

    def update(self, article: Article, annotation_id: str, *, tags: Iterable[str] | None = None,
               note: str | None = None) -> Annotation:
        """Change tags and/or note. KeyError if the annotation is gone."""
        new_tags = self._known(tags) if tags is not None else None
        result: list[Annotation] = []

        def apply(anns: list[Annotation]) -> list[Change]:
            i = _index(anns, annotation_id)
            old = anns[i]
            if (new_tags is None or new_tags == old.tags) and (note is None or note == old.note):
                result.append(copy_annotation(old))
                return []
            new = replace(old, tags=list(new_tags if new_tags is not None else old.tags),
                          note=note if note is not None else old.note, updated=now(),
                          extra=dict(old.extra))
            anns[i] = new
            result.append(copy_annotation(new))
            return [Change(article, copy_annotation(old), copy_annotation(new))]

        self._mutate(article, apply, "edit", new_tags=True)
        return result[0]

    def delete(self, article: Article, annotation_id: str) -> Annotation:
        """Remove one annotation; returns it exactly as it was (see :meth:`restore`)."""
        result: list[Annotation] = []

        def apply(anns: list[Annotation]) -> list[Change]:
            old = anns.pop(_index(anns, annotation_id))
            result.append(copy_annotation(old))
            return [Change(article, copy_annotation(old), None)]

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
            anns.append(copy_annotation(annotation))
            anchoring.reanchor(article, anns[-1])
            return [Change(article, before, copy_annotation(anns[-1]))]

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
            new = copy_annotation(old)
            anchoring.place(article, new, start, end)
            new.updated = now()
            anns[i] = new
            result.append(copy_annotation(new))
            return [Change(article, copy_annotation(old), copy_annotation(new))]

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
                    state = self._read(article_id, fresh=True)
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
        with self._history.batch(description) as step:
            yield step

    def can_undo(self) -> bool:
        return self._history.can_undo()

    def peek_undo(self) -> UndoStep | None:
        return self._history.peek()

    def undo(self) -> str | None:
        """Undo the last change (or batch); returns its description, or None if nothing to
        undo. A change made since by another instance to the same annotation is not
        overwritten (it is skipped and said so)."""
        with self._lock:
            step = self._history.peek()
            if step is None:
                return None
            skipped = sum(self._revert(changes) for changes in by_article(step))
            self._history.pop()
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
            skipped = revert(changes, anns, lambda ann: anchoring.reanchor(article, ann))
            return []

        self._mutate(article, apply, "", record=False)
        return skipped

    # -- internals -------------------------------------------------------------------------
    def _mutate(self, article: Article, apply: Callable[[list[Annotation]], list[Change]],
                what: str, *, record: bool = True, new_tags: bool = False) -> None:
        """Apply a change to the file as on disk, under the lock; ``new_tags``: refuse a tag
        added to a passage that the vocabulary file does not hold now (UnknownTagError)."""
        with self._lock, yamlio.library_lock(self.lock_path):
            try:
                state = self._read(article.id, fresh=True)
            except AnnotationFileError as exc:
                raise ReadOnlyError(exc.path, exc.line,
                                    f"{exc.reason} (annotations of this article are read-only "
                                    "until the file is fixed)") from None
            anchoring.reanchor_all(article, state.sha, state.annotations)
            changes = apply(state.annotations)
            if not changes and record:
                return
            if new_tags:
                self._refuse_unknown(changes)
            self._write(article.id, article.sha256, state.annotations, state.extra)
            if record and changes:
                first = changes[0].after or changes[0].before
                if what in ("edit", "deletion", "re-attaching") and first is not None:
                    what = f"{what} of “{quote_preview(first.quote)}”"
                self._history.record(what, changes)

    def _known(self, tags: Iterable[str]) -> list[str]:
        """Cleaned, in the vocabulary's spelling where it holds the name in another case."""
        names = vocabulary.names_on_disk(self.vocabulary_path)
        return clean_tags(names.get(t.casefold(), t) for t in clean_tags(tags))

    def _refuse_unknown(self, changes: list[Change]) -> None:
        names = set(vocabulary.names_on_disk(self.vocabulary_path).values())
        for c in changes:
            if c.after is None:
                continue
            had = c.before.tags if c.before is not None else []
            unknown = next((t for t in c.after.tags if t not in had and t not in names), None)
            if unknown is not None:
                raise UnknownTagError(self.vocabulary_path, unknown)

    def _write(self, article_id: str, sha: str, anns: list[Annotation],
               extra: dict[str, Any]) -> None:
        path = self.path_for(article_id)
        if not anns and not extra:
            files.forget(path)
            if path.exists():
                path.unlink()
                yamlio.fsync_dir(path.parent)
            return
        anns.sort(key=lambda a: (a.start, a.end, a.id))
        yamlio.atomic_write(path, serialise(article_id, sha, anns, extra))
        files.written(path, FileState(path, True, sha, anns, extra))


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


