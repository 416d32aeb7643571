"""What the index reads from outside the index: which article files there are and their
stats (the library's walk), and which articles have annotations and their tags and notes
(the annotation store). The index never reads those files itself.

Each is one small function here, so that what owns those files can change its API in one
place.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Iterable

from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library import text as textmod
from reader.library import walk as walkmod
from reader.library.articles import ArticleNotFound, Library
from reader.models import Annotation

FileState = tuple[int, int]  # size, mtime in nanoseconds


def article_files(library: Library) -> dict[str, FileState]:
    """{article id: (size, mtime_ns)} of every article file, as the library walks them: the
    library alone says what an article file is and what its id is (hidden names, links,
    ``a.txt`` beside ``a.md``)."""
    return {f.id: (f.size, f.mtime_ns) for f in library.walk()}


def named_files(library: Library, paths: Iterable[str]) -> tuple[dict[str, FileState], set[str]]:
    """({id: (size, mtime_ns)} of those of ``paths`` (article files under ``articles/``, as
    the library's own scan named them) that are there, {ids of those that are gone}), by the
    library's rules for ids."""
    root = library.articles_dir
    files: dict[str, FileState] = {}
    maybe_gone: set[str] = set()
    for rel in paths:
        rel = rel.replace(os.sep, "/").strip("/")
        dot = rel.rfind(".")
        if dot < 0 or not walkmod.is_article_name(rel.rsplit("/", 1)[-1]):
            continue
        article_id = walkmod.article_id(root, rel)
        if article_id is None:
            maybe_gone.update((rel[:dot], rel))  # its id was its stem, or its name (a twin)
            continue
        try:
            st = os.stat(root / rel)
        except OSError:
            maybe_gone.add(article_id)
            continue
        if stat.S_ISREG(st.st_mode) and article_id not in files:
            files[article_id] = (st.st_size, st.st_mtime_ns)
    gone = {i for i in maybe_gone - files.keys() if walkmod.resolve(root, i) is None}
    return files, gone


class ArticleTexts:
    """Articles' texts for snippets, from the library (:meth:`Library.text`), the last ones
    kept while their file keeps its size and mtime: typing a query searches again and again,
    and mostly finds the same articles (a text costs its front matter's parse)."""

    MAX_TEXTS = 200
    MAX_CHARS = 16_000_000  # all kept texts together
    HEAD_BYTES = 1_000_000  # of a larger file only its head is read (results look at that)

    def __init__(self, library: Library) -> None:
        self.library = library
        self._kept: OrderedDict[str, tuple[FileState, str]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, article_id: str) -> str | None:
        """The article's text; None when it is gone or cannot be read."""
        found = walkmod.resolve(self.library.articles_dir, article_id) if article_id else None
        if found is None:
            return None
        state = (found.size, found.mtime_ns)  # (the file's, as resolving it stated it)
        with self._lock:
            kept = self._kept.get(article_id)
            if kept is not None and kept[0] == state:
                self._kept.move_to_end(article_id)
                return kept[1]
        try:
            if found.size > self.HEAD_BYTES:
                text = self._head(article_id)
            else:
                text = self.library.text(article_id)
        except (ArticleNotFound, OSError):
            return None
        with self._lock:
            old = self._kept.pop(article_id, None)
            self._chars -= len(old[1]) if old else 0
            if len(text) <= self.MAX_CHARS // 10:
                self._kept[article_id] = (state, text)
                self._chars += len(text)
            while self._kept and (len(self._kept) > self.MAX_TEXTS
                                  or self._chars > self.MAX_CHARS):
                self._chars -= len(self._kept.popitem(last=False)[1][1])
        return text

    def _head(self, article_id: str) -> str:
        """The text of the first :data:`HEAD_BYTES` of a large article (offsets as in the
        whole text; a character cut at the end reads as a replacement character)."""
        with self.library.path_for(article_id).open("rb") as fh:
            data = fh.read(self.HEAD_BYTES)
        decoded, _ = textmod.decode(data)
        return textmod.split_front_matter(decoded)[1]


# -- annotations ---------------------------------------------------------------------------

def annotation_files(config: Config) -> dict[str, FileState]:
    """{article id: (size, mtime_ns)} of every annotation file."""
    store = AnnotationStore(config.annotations_dir)
    out: dict[str, FileState] = {}
    for path in store.paths():
        try:
            st = path.stat()
        except OSError:
            continue
        out[store.id_for(path)] = (st.st_size, st.st_mtime_ns)
    return out


def annotation_states(config: Config, ids: Iterable[str]) -> dict[str, FileState]:
    """{article id: (size, mtime_ns)} of the annotation files of those of ``ids`` that have one."""
    store = AnnotationStore(config.annotations_dir)
    out: dict[str, FileState] = {}
    for article_id in ids:
        try:
            st = store.path_for(article_id).stat()
        except (OSError, ValueError):
            continue
        out[article_id] = (st.st_size, st.st_mtime_ns)
    return out


def annotations_of(config: Config, article_id: str) -> list[Annotation]:
    """The article's annotations as its file holds them (none when it is missing or broken)."""
    try:
        found = AnnotationStore(config.annotations_dir).load_raw(article_id)
    except (OSError, ValueError):
        return []
    return list(found.annotations)
