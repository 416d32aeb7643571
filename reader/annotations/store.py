"""The annotation store: one YAML file per annotated article, ``annotations/<article id>.yaml``.

Owns the files: their paths, the library's write lock, atomic writes, and carrying out every
change (:mod:`~reader.annotations.edits` says what each does to the list). It is the only
reader and writer of annotation files (through :mod:`~reader.annotations.files`); the format
is :mod:`~reader.annotations.format`, undo :mod:`~reader.annotations.undo`, re-anchoring
:mod:`~reader.annotations.anchoring`.

The files are user data: every change is written at once and atomically; a file that fails to
parse or validate is never overwritten (its article is read-only, :class:`ReadOnlyError`).
Two instances on one library lose nothing: each change takes the library's write lock,
re-reads the file and applies itself to what is on disk, so a change made elsewhere in between
is kept. Re-anchoring happens in memory on load; the new offsets and ``text_sha256`` are
written only with the next change to that article (merely opening it never touches the file).
An annotation that cannot be placed is kept with ``orphaned: true``, never dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from reader import yamlio
from reader.annotations import anchoring, edits, files, vocabulary
from reader.annotations.anchoring import Relocation
from reader.annotations.edits import Tagged
from reader.annotations.format import (
    SUFFIX,
    AnnotationFileError,
    FileState,
    ReadOnlyError,
    UnknownTagError,
    clean_tags,
    now,
    quote_preview,
    serialise,
)
from reader.annotations.undo import Change, UndoLog, UndoStep, by_article, revert
from reader.config import VOCABULARY_FILENAME
from reader.models import Annotation, Article

LOCK_NAME = ".lock"
T = TypeVar("T")
Apply = Callable[[list[Annotation]], tuple[list[Change], T]]  # see reader.annotations.edits
Announce = Callable[[list[Relocation]], None]


@dataclass(slots=True)
class ArticleAnnotations:
    article_id: str
    annotations: list[Annotation] = field(default_factory=list)  # in text order
    error: AnnotationFileError | None = None  # set when the file is broken (read-only)
    path: Path | None = None
    text_sha256: str = ""  # as in the file
    # what re-anchoring did on load, per passage moved or orphaned (anchoring.Relocation);
    # empty when the text is unchanged; saved only with the next change to the article
    relocations: list[Relocation] = field(default_factory=list)

    @property
    def moved(self) -> list[str]:
        """Ids of the passages placed elsewhere than the file says."""
        return [r.annotation_id for r in self.relocations if not r.orphaned]

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
    # article id -> (annotation id, tags before, tags after) of each annotation changed
    changes: dict[str, list[tuple[str, list[str], list[str]]]] = field(default_factory=dict)


class AnnotationStore:
    """Thread-safe; one per app (or CLI run). Several stores, in one or several processes,
    may work on the same library at once."""

    def __init__(self, annotations_dir: Path, vocabulary_path: Path | None = None,
                 coder: str | None = None) -> None:
        self.dir = annotations_dir
        # who makes the changes: recorded in each passage's ``coders`` (None: nobody named,
        # passages are written without coders, as before several coders were known)
        self.coder = coder
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
        return files.files_under(self.dir, SUFFIX)

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
        relocations = anchoring.reanchor_all(article, state.sha, state.annotations)
        return ArticleAnnotations(article.id, state.annotations, None, state.path, state.sha,
                                  relocations)

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

    # -- changing (each: one read under the lock, at most one write, one undo step) -------
    def add(self, article: Article, start: int, end: int, tags: Iterable[str],
            note: str = "") -> Annotation:
        return self.add_many(article, [(start, end)], tags, note)[0]

    def add_many(self, article: Article, spans: Sequence[tuple[int, int]],
                 tags: Iterable[str], note: str = "") -> list[Annotation]:
        """One annotation per span (e.g. "tag every hit")."""
        tag_list = self._known(tags)
        for start, end in spans:
            edits.check_span(article, start, end)
        stamp = now()
        added = [edits.new_annotation(article, s, e, tag_list, note, stamp) for s, e in spans]
        if self.coder is not None:
            for ann in added:
                ann.coders = [self.coder]
        what = (f"tagging of “{quote_preview(added[0].quote)}”" if len(added) == 1
                else f"tagging of {len(added)} passages")
        self._mutate(article, partial(edits.add, article, added=added), what, new_tags=True)
        return added

    def tag(self, article: Article, start: int, end: int, tags: Iterable[str],
            note: str | None = None, *, before_write: Announce | None = None,
            coder: str | None = None) -> Tagged:
        """Tag ``text[start:end]``: add the tags (and set the note, when given) to the
        annotation of exactly this span if there is one, else make one. ``before_write`` is
        told what re-anchoring the changed text moved or orphaned, before that is saved."""
        tag_list = self._known(tags)
        if not tag_list and not note:
            raise ValueError("give a tag or a note")
        edits.check_span(article, start, end)
        return self._mutate(article, partial(edits.tag, article, start=start, end=end,
                                             tags=tag_list, note=note,
                                             coder=coder or self.coder),
                            f"tagging of “{quote_preview(article.text[start:end])}”",
                            new_tags=True, before_write=before_write)

    def update(self, article: Article, annotation_id: str, *, tags: Iterable[str] | None = None,
               note: str | None = None, coder: str | None = None) -> Annotation:
        """Change tags and/or note. KeyError if the annotation is gone."""
        new_tags = self._known(tags) if tags is not None else None
        return self._mutate(article, partial(edits.update, article, annotation_id=annotation_id,
                                             tags=new_tags, note=note,
                                             coder=coder or self.coder),
                            "edit", new_tags=True)

    def delete(self, article: Article, annotation_id: str, *,
               coder: str | None = None) -> Annotation:
        """Remove one annotation; returns it exactly as it was (see :meth:`restore`)."""
        return self._mutate(article, partial(edits.delete, article, annotation_id=annotation_id,
                                             coder=coder or self.coder), "deletion")

    def restore(self, article: Article, annotation: Annotation) -> Annotation:
        """Put ``annotation`` back exactly (same id, quote, timestamps, unknown keys),
        replacing any annotation with the same id. Re-anchored if the text changed."""
        self._mutate(article, partial(edits.restore, article, annotation=annotation),
                     f"restoring of “{quote_preview(annotation.quote)}”")
        return annotation

    def reattach(self, article: Article, annotation_id: str, start: int, end: int) -> Annotation:
        """Place an (orphaned) annotation on ``text[start:end]``; the old quote is kept in
        ``previous_quote`` when it differs."""
        edits.check_span(article, start, end)
        return self._mutate(article, partial(edits.reattach, article,
                                             annotation_id=annotation_id, start=start, end=end),
                            "re-attaching")

    def rename_tag(self, old: str, new: str) -> RenameReport:
        """Rename a tag in every annotation file, each file atomically. Broken files are left
        untouched and listed in :attr:`RenameReport.failed`. Not undoable (run it back)."""
        return self.retag(lambda _aid, ann: clean_tags(new if t == old else t for t in ann.tags)
                          if old in ann.tags else None)

    def retag(self, change: Callable[[str, Annotation], list[str] | None]) -> RenameReport:
        """Give annotations new tags across the library: ``change(article id, annotation)``
        returns its new tags, or None to leave it. Each file is written atomically under the
        library's lock; broken files are left untouched (:attr:`RenameReport.failed`).
        :attr:`RenameReport.changes` says what changed, to undo it."""
        report = RenameReport()
        with self._lock, yamlio.library_lock(self.lock_path):
            for path in self.paths():
                article_id = self.id_for(path)
                try:
                    state = self._read(article_id, fresh=True)
                except AnnotationFileError as exc:
                    report.failed.append(exc)
                    continue
                changed: list[tuple[str, list[str], list[str]]] = []
                for ann in state.annotations:
                    tags = change(article_id, ann)
                    if tags is not None and tags != ann.tags:
                        changed.append((ann.id, list(ann.tags), list(tags)))
                        ann.tags = list(tags)
                if changed:
                    self._write(article_id, state.sha, state.annotations, state.extra)
                    report.annotations += len(changed)
                    report.files += 1
                    report.articles.append(article_id)
                    report.changes[article_id] = changed
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

        def apply(anns: list[Annotation]) -> tuple[list[Change], None]:
            nonlocal skipped
            skipped = revert(changes, anns, lambda ann: anchoring.reanchor(article, ann))
            return [], None

        self._mutate(article, apply, "", record=False)
        return skipped

    # -- internals -------------------------------------------------------------------------
    def _mutate(self, article: Article, apply: Apply[T], what: str, *, record: bool = True,
                new_tags: bool = False, before_write: Announce | None = None) -> T:
        """Apply a change to the file as on disk, under the lock, and write it when it changed
        something. ``new_tags``: refuse a tag added to a passage that the vocabulary file does
        not hold now (UnknownTagError)."""
        with self._lock, yamlio.library_lock(self.lock_path):
            try:
                state = self._read(article.id, fresh=True)
            except AnnotationFileError as exc:
                raise ReadOnlyError(exc.path, exc.line,
                                    f"{exc.reason} (annotations of this article are read-only "
                                    "until the file is fixed)") from None
            relocations = anchoring.reanchor_all(article, state.sha, state.annotations)
            changes, result = apply(state.annotations)
            if not changes and record:
                return result
            if new_tags:
                self._refuse_unknown(changes)
            if before_write is not None and relocations:
                before_write(relocations)
            self._write(article.id, article.sha256, state.annotations, state.extra)
            if record and changes:
                first = changes[0].after or changes[0].before
                if what in ("edit", "deletion", "re-attaching") and first is not None:
                    what = f"{what} of “{quote_preview(first.quote)}”"
                self._history.record(what, changes)
            return result

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
