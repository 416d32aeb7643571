"""The annotation store: one YAML file per annotated article in ``annotations/``.

User data: written atomically, never overwritten when it failed to parse, loaded with
``yaml.safe_load`` only; annotations are re-anchored when the article text changed and kept
(marked orphaned) when they cannot be placed.

(Skeleton: interface fixed; a naive implementation until the real store lands.)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from reader.models import Annotation, Article

FORMAT_VERSION = 1
CONTEXT = 32  # characters of prefix/suffix kept around a quote


class AnnotationFileError(Exception):
    """An annotation file that cannot be used; it is never overwritten."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path, self.line, self.reason = path, line, reason


class ReadOnlyError(AnnotationFileError):
    """A change was asked for on an article whose annotation file is broken."""


@dataclass(slots=True)
class ArticleAnnotations:
    article_id: str
    annotations: list[Annotation] = field(default_factory=list)  # in text order
    error: AnnotationFileError | None = None  # set when the file is broken (read-only)

    @property
    def orphans(self) -> list[Annotation]:
        return [a for a in self.annotations if a.orphaned]


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class AnnotationStore:
    def __init__(self, annotations_dir: Path) -> None:
        self.dir = annotations_dir

    def path_for(self, article_id: str) -> Path:
        return self.dir / f"{article_id}.yaml"

    def load(self, article: Article) -> ArticleAnnotations:
        """The article's annotations, anchored to its current text. Never raises for a bad
        file: the error is returned in :attr:`ArticleAnnotations.error`."""
        path = self.path_for(article.id)
        if not path.exists():
            return ArticleAnnotations(article.id)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        anns = []
        for raw in data.get("annotations") or []:
            anns.append(Annotation(**raw))
        return ArticleAnnotations(article.id, anns)

    def add(self, article: Article, start: int, end: int, tags: Iterable[str],
            note: str = "") -> Annotation:
        t = now()
        ann = Annotation(
            id=uuid.uuid4().hex[:12], quote=article.text[start:end],
            prefix=article.text[max(0, start - CONTEXT):start],
            suffix=article.text[end:end + CONTEXT], start=start, end=end,
            tags=list(tags), note=note, created=t, updated=t)
        cur = self.load(article)
        cur.annotations.append(ann)
        self._write(article, cur.annotations)
        return ann

    def update(self, article: Article, annotation_id: str, *, tags: Iterable[str] | None = None,
               note: str | None = None) -> Annotation:
        raise NotImplementedError

    def delete(self, article: Article, annotation_id: str) -> Annotation:
        raise NotImplementedError

    def undo(self) -> str | None:
        """Undo the last change (or batch); returns a description, or None if nothing to undo."""
        raise NotImplementedError

    def iter_all(self) -> Iterator[tuple[str, ArticleAnnotations]]:
        """(article id, annotations) for every annotation file, without anchoring."""
        raise NotImplementedError

    def _write(self, article: Article, anns: list[Annotation]) -> None:
        path = self.path_for(article.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc: dict[str, Any] = {"article": article.id, "text_sha256": article.sha256,
                               "version": FORMAT_VERSION,
                               "annotations": [asdict(a) for a in anns]}
        tmp = path.with_suffix(".yaml.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, sort_keys=False, allow_unicode=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
