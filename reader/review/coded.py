"""The library's passages as each coder's, for agreement: who coded which article, with what.

An article counts as coded by a coder when it holds at least one passage of theirs (a passage
two coders share counts for both). Passages resolved after a disagreement (coder
:data:`~reader.annotations.coders.AGREED`) are not a coder's and are left out unless asked
for by name. Orphaned passages (not found in the current text) have no place and are left
out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader.annotations.coders import AGREED, of
from reader.annotations.format import AnnotationFileError
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.review.agreement import Agreement, CodedArticle, Passage, agreement


@dataclass(slots=True)
class Coded:
    articles: list[CodedArticle] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)  # every coder found (AGREED left out)
    errors: list[AnnotationFileError] = field(default_factory=list)  # broken files, skipped


def collect(config: Config, allowed: set[str] | None = None,
            store: AnnotationStore | None = None) -> Coded:
    """Every annotated article (of ``allowed``, when given) as its coders' passages."""
    store = store or AnnotationStore(config.annotations_dir)
    library = Library(config)
    out = Coded()
    found_coders: set[str] = set()
    for article_id, raw in store.iter_all():
        if raw.error is not None:
            out.errors.append(raw.error)
            continue
        if (allowed is not None and article_id not in allowed) or not raw.annotations:
            continue
        try:
            article = library.load(article_id)
        except (LookupError, OSError, ValueError):
            continue  # the article is gone: its passages have no text to agree on
        loaded = store.load(article)
        if loaded.error is not None:
            out.errors.append(loaded.error)
            continue
        by_coder: dict[str, list[Passage]] = {}
        for ann in loaded.annotations:
            if ann.orphaned:
                continue
            for coder in of(ann):
                by_coder.setdefault(coder, []).append(Passage(ann.start, ann.end,
                                                              tuple(ann.tags)))
        found_coders.update(c for c in by_coder if c != AGREED)
        out.articles.append(CodedArticle(article_id, article.text, by_coder))
    out.coders = sorted(found_coders, key=str.casefold)
    return out


def measure(coded: Coded, coders: Sequence[str] | None = None,
            tags: Iterable[str] | None = None) -> Agreement:
    """Agreement of ``coders`` (default: every coder but AGREED) on ``tags`` (default: every
    tag they used). Coder names compare without case."""
    names = {c.casefold(): c for a in coded.articles for c in a.coders}
    chosen = ([names.get(c.casefold(), c) for c in coders] if coders
              else list(coded.coders))
    return agreement(coded.articles, list(tags) if tags else None, chosen)
