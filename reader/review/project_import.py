"""A REFI-QDA project into the library (``reader import study.qdpx``): the inverse of
:mod:`reader.review.project`.

Everything is checked before anything is written: the archive and its XML by
:func:`reader.exchange.read_project` (a malformed file is refused whole), then each source's
text is checked to read back exactly as the article it becomes. Then, in order: the codebook
is merged into the vocabulary (by name, as ``reader tags --import-codebook``); each source
becomes an article (``articles/<name>.txt``, its description's YAML as front matter when it is
a mapping, as ``reader export --format qdpx`` writes it; a source whose text the library
already holds under that id is reused, any other is given a free name); each selection becomes
passages, one per coder and set of codes (coders with the same codes share one passage, as in
the reader); notes become memos. Importing the same project again adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader import yamlio
from reader.annotations.codebook import import_codebook
from reader.annotations.format import AnnotationFileError
from reader.annotations.memofile import Scope
from reader.annotations.memos import MemoStore
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.exchange import Imported, Note, Selection, Source, read_project, walk_codes
from reader.importing.importer import slugify
from reader.library import text as textmod
from reader.library.articles import ArticleNotFound, Library
from reader.models import Article


@dataclass(slots=True)
class ProjectImport:
    name: str
    articles_added: list[str] = field(default_factory=list)
    articles_kept: list[str] = field(default_factory=list)  # already in the library
    tags: str = ""  # the codebook merge's summary
    passages: int = 0  # passages added or joined
    unchanged: int = 0  # passages the library had already
    coders: list[str] = field(default_factory=list)
    memos: int = 0
    left_out: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Planned:
    source: Source
    article_id: str
    content: str | None  # the file to write; None: the library has this article already


def _content(source: Source, ours: bool) -> str:
    """The article file: the description's YAML as front matter when it is a mapping (as
    reader writes it), else the description kept under ``description``; another tool's
    source is titled by its name."""
    fm: dict[str, Any] = {}
    if source.description.strip():
        try:
            data, _ = yamlio.parse(Path("description"), source.description)
        except yamlio.YamlFileError:
            data = None
        fm = ({str(k): v for k, v in data.items()} if isinstance(data, dict)
              else {"description": source.description})
    if not ours:
        fm.setdefault("title", source.name)
    if not fm:
        return source.text if not source.text.startswith("---") else f"---\n---\n{source.text}"
    return f"---\n{yamlio.dump(fm)}---\n{source.text}"


def _id_for(name: str, ours: bool) -> str:
    """An article id from a source's name: reader's own ids as they are (any letters, ``/``
    for folders), other tools' names (``Interview 1.docx``) slugged (``interview-1``)."""
    parts = name.split("/")
    if (ours and len(name) <= 200 and not name.lower().endswith((".txt", ".md"))
            and all(p.strip() == p and p and not p.startswith(".") and "\\" not in p
                    and not any(ord(c) < 32 or c in '<>:"|?*' for c in p) for p in parts)):
        return name
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    return slugify(stem) or "source"


def _plan(library: Library, sources: Sequence[Source], ours: bool) -> list[_Planned]:
    taken: set[str] = set()
    out: list[_Planned] = []
    for source in sources:
        content = _content(source, ours)
        decoded, warnings = textmod.decode(content.encode("utf-8", errors="replace"))
        body = textmod.split_front_matter(decoded)[1]
        if body != source.text or warnings:
            raise ValueError(f"source {source.name!r}: its text cannot be kept exactly as an "
                             "article (binary or control characters); nothing imported")
        base = _id_for(source.name, ours)
        n = 1
        while True:
            cand = base if n == 1 else f"{base}-{n}"
            n += 1
            if cand.casefold() in taken:
                continue
            try:
                existing = library.load(cand)
            except (ArticleNotFound, OSError, ValueError):
                existing = None
            if existing is None:
                if not any((library.articles_dir / f"{cand}{s}").exists()
                           for s in (".txt", ".md")):
                    out.append(_Planned(source, cand, content))
                    break
                continue
            if existing.text == source.text:
                out.append(_Planned(source, cand, None))
                break
        taken.add(out[-1].article_id.casefold())
    return out


def read(path: Path) -> Imported:
    """The project, checked (ExchangeError with one line)."""
    return read_project(path)


def apply(config: Config, path: Path, imported: Imported) -> ProjectImport:
    """Write what ``imported`` (read from ``path``) holds into the library. ValueError when a
    source cannot be kept exactly (before anything is written)."""
    project = imported.project
    library = Library(config)
    # every check before the first write
    plan = _plan(library, project.sources, project.origin.startswith("reader"))
    report = ProjectImport(project.name or path.stem, left_out=list(imported.left_out))
    vocabulary = Vocabulary(config.vocabulary_path)
    merge = import_codebook(vocabulary, path)
    report.tags = merge.summary()
    vocabulary.reload()
    refused = {c.name.casefold() for c in merge.changes if c.action == "left out"}
    paths = {c.guid: p for p, c in walk_codes(project.codes)}
    users = {u.guid: u.name for u in project.users}
    config.articles_dir.mkdir(parents=True, exist_ok=True)
    by_source: dict[str, list[Selection]] = {}
    for sel in project.selections:
        by_source.setdefault(sel.source, []).append(sel)
    memos = MemoStore(config.annotations_dir)
    existing_memos: set[tuple[str, str, str]] = {(m.scope, m.about, m.text)
                                                 for m in memos.load_all()[0]}
    coders: set[str] = set()
    skipped: dict[str, int] = {}
    for item in plan:
        if item.content is None:
            report.articles_kept.append(item.article_id)
        else:
            target = config.articles_dir / f"{item.article_id}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            yamlio.atomic_write(target, item.content)
            report.articles_added.append(item.article_id)
        article = library.load(item.article_id)
        for sel in by_source.get(item.source.guid, []):
            done = _passages(config, article, sel, paths, users, refused, skipped)
            report.passages += done[0]
            report.unchanged += done[1]
            coders.update(done[2])
        for note in item.source.notes:
            report.memos += _memo(memos, existing_memos, "article", item.article_id, note)
    for _, code in walk_codes(project.codes):
        for note in code.notes:
            report.memos += _memo(memos, existing_memos, "tag", paths[code.guid], note)
    for note in project.notes:
        report.memos += _memo(memos, existing_memos, "library", "", note)
    report.coders = sorted(coders, key=str.casefold)
    report.left_out += [f"{n} {what}" for what, n in skipped.items()]
    return report


def _memo(memos: MemoStore, existing: set[tuple[str, str, str]], scope: Scope, about: str,
          note: Note) -> int:
    text = note.text.strip()
    if not text or (scope, about, text) in existing:
        return 0
    memos.add(scope, about, text, note.kind, created=note.created or None)
    existing.add((scope, about, text))
    return 1


def _passages(config: Config, article: Article, sel: Selection, paths: dict[str, str],
              users: dict[str, str], refused: set[str], skipped: dict[str, int]
              ) -> tuple[int, int, set[str]]:
    """The selection as passages: (added or joined, already there, coders)."""
    if not article.text[sel.start:sel.end].strip():
        skipped["empty selections"] = skipped.get("empty selections", 0) + 1
        return 0, 0, set()
    per_coder: dict[str | None, list[str]] = {}
    for coding in sel.codings:
        tag = paths.get(coding.code)
        if tag is None or tag.casefold() in refused:
            skipped["codings of codes left out"] = skipped.get("codings of codes left out",
                                                               0) + 1
            continue
        coder = users.get(coding.coder or "") or users.get(sel.coder or "")
        tags = per_coder.setdefault(coder, [])
        if tag not in tags:
            tags.append(tag)
    if not per_coder:
        if not sel.note:
            return 0, 0, set()
        per_coder[users.get(sel.coder or "")] = []
    added = same = 0
    for coder, tags in per_coder.items():
        store = AnnotationStore(config.annotations_dir, coder=coder)
        try:
            done = store.tag(article, sel.start, sel.end, tags, sel.note or None)
        except (AnnotationFileError, ValueError):
            skipped["passages not saved"] = skipped.get("passages not saved", 0) + 1
            continue
        if done.changed:
            added += 1
        else:
            same += 1
    return added, same, {c for c in per_coder if c}
