"""The library as a REFI-QDA project (``reader export --format qdpx``): what maps to what.

- each article -> a ``TextSource`` named by its id, its text (front matter cut off, the
  offsets' text) under ``Sources/``, its front matter as YAML in the source's description;
- each coder -> a ``User``; each tag -> a ``Code`` (``/`` in a name: a level of the codebook's
  hierarchy) with its colour and description;
- each passage -> a ``PlainTextSelection`` (character positions) with one ``Coding`` per tag
  and coder (a passage two coders share has both codings; a passage of an unknown coder,
  codings without a user), its note as a ``Note``;
- memos -> notes: on the project (library memos), on the source (article memos), on the code
  (tag memos).

Orphaned passages (not found in the article's current text) have no position and are left
out, counted. :mod:`reader.review.project_import` maps a project back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader import yamlio
from reader.annotations.codebook import _six
from reader.annotations.memofile import Memo
from reader.annotations.memos import MemoStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.exchange import Code, Coding, Note, Project, Selection, Source, User, code_tree
from reader.exchange import stable_guid as guid
from reader.library.articles import ArticleNotFound, Library
from reader.review.rows import ReviewRow


@dataclass(slots=True)
class Built:
    project: Project
    left_out: list[str] = field(default_factory=list)  # "2 orphaned passages", ...

    @property
    def passages(self) -> int:
        return len(self.project.selections)


def _note(memo: Memo) -> Note:
    return Note(guid("memo", memo.id), memo.title or memo.id, memo.text, kind=memo.kind,
                created=memo.created, updated=memo.updated)


def build(config: Config, rows: Sequence[ReviewRow], *, every_article: bool,
          name: str = "reader") -> Built:
    """The project of ``rows`` (and, ``every_article``, of every article of the library,
    coded or not). ValueError for a tag name that cannot be a code path."""
    library = Library(config)
    left: dict[str, int] = {}
    ids = {r.article_id for r in rows if not r.article_missing}
    left["passages of articles no longer in the library"] = sum(r.article_missing for r in rows)
    if every_article:
        ids.update(f.id for f in library.walk())
    memos, _broken = MemoStore(config.annotations_dir).load_all()
    sources: list[Source] = []
    for article_id in sorted(ids):
        try:
            article = library.load(article_id)
        except (ArticleNotFound, OSError):
            left["unreadable articles"] = left.get("unreadable articles", 0) + 1
            continue
        fm = dict(article.front_matter)
        notes = tuple(_note(m) for m in memos if m.scope == "article" and m.about == article_id)
        sources.append(Source(guid("article", article_id), article_id, article.text,
                              description=yamlio.dump(fm) if fm else "", notes=notes))
    kept = {s.name for s in sources}
    coders = sorted({c for r in rows for c in r.coders}, key=str.casefold)
    users = {c: User(guid("user", c), c) for c in coders}
    selections: list[Selection] = []
    for r in rows:
        if r.article_id not in kept or r.article_missing:
            continue
        if r.orphaned:
            left["orphaned passages"] = left.get("orphaned passages", 0) + 1
            continue
        codings = tuple(
            Coding(guid("coding", r.article_id, r.annotation_id, tag, coder or ""),
                   guid("code", tag), users[coder].guid if coder else None, r.created)
            for tag in r.tags for coder in (r.coders or (None,)))
        first = users[r.coders[0]].guid if r.coders else None
        selections.append(Selection(guid("passage", r.article_id, r.annotation_id),
                                    guid("article", r.article_id), r.start, r.end, r.quote,
                                    codings, first, r.created, r.updated, r.note))
    vocabulary = Vocabulary(config.vocabulary_path)
    tags = [(t.name, t.colour, t.description) for t in vocabulary.tags]
    known = {t[0] for t in tags}
    tags += [(t, "", "") for t in sorted({t for r in rows for t in r.tags} - known)]
    codes = _codes(tags, memos)
    project = Project(name=name, users=tuple(users.values()), codes=codes,
                      sources=tuple(sources), selections=tuple(selections),
                      notes=tuple(_note(m) for m in memos if m.scope == "library"))
    return Built(project, [f"{n} {what}" for what, n in left.items() if n])


def _codes(tags: Iterable[tuple[str, str, str]], memos: Sequence[Memo]) -> tuple[Code, ...]:
    return code_tree(
        Code(guid("code", name), name, colour=_six(colour), description=description,
             notes=tuple(_note(m) for m in memos if m.scope == "tag" and m.about == name))
        for name, colour, description in tags)
