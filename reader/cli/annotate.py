"""``reader annotate``, ``reader annotations`` and ``reader check`` (``reader tags``:
:mod:`reader.cli.tags`)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict
from typing import Any

from reader.annotations import anchoring
from reader.annotations.anchoring import Relocation, describe
from reader.annotations.format import AnnotationFileError, Finding, quote_preview
from reader.annotations.hierarchy import is_under
from reader.annotations.store import AnnotationStore, ArticleAnnotations
from reader.annotations.vocabulary import Vocabulary
from reader.cli.common import CliError, resolve_article
from reader.config import Config
from reader.library.articles import ArticleNotFound, Library
from reader.models import Annotation, Article
from reader.review.rejected import RejectedFileError, load_rejected


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("annotate", help="tag a passage of an article, found by its text",
                       description="Tag the passage QUOTE of article ID. The quote is matched "
                                   "exactly, else ignoring case and spacing.")
    p.add_argument("id", metavar="ARTICLE",
                   help="its id (as reader list shows it) or its file's path")
    p.add_argument("--quote", required=True, metavar="TEXT", words=True,
                   help="the passage to tag (several words need no quotes)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="a tag from the vocabulary (repeat for several)")
    p.add_argument("--note", default="", metavar="TEXT", words=True,
                   help="a note on the passage")
    p.add_argument("--occurrence", type=int, metavar="K",
                   help="which occurrence to tag (1 = first) when the quote occurs several times")
    p.set_defaults(func=run_annotate)

    p = sub.add_parser("annotations", help="list tagged passages")
    p.add_argument("id", metavar="ARTICLE", nargs="?",
                   help="only this article (its id or its file's path)")
    p.add_argument("--tag", metavar="TAG", help="only passages with this tag (or one under "
                                                "it: sanctions takes in sanctions/economic)")
    p.add_argument("--orphans", action="store_true",
                   help="only passages that cannot be placed in the changed text")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_annotations)

    p = sub.add_parser("check", help="validate every annotation file and anchor",
                       description="Validate the vocabulary, rejected suggestions and every "
                                   "annotation file (YAML, fields, git conflict markers), check "
                                   "that each annotation "
                                   "is placed in its article. Exit 1 on any problem.")
    p.set_defaults(func=run_check)


# -- annotate --------------------------------------------------------------------------------
def find_quote(article: Article, quote: str, occurrence: int | None) -> tuple[int, int]:
    """The span of ``quote`` in the article; CliError when absent or ambiguous."""
    if not quote.strip():
        raise CliError("--quote is empty", code=2)
    spans = [(i, i + len(quote)) for i in anchoring.find_all(article.text, quote)]
    how = "exactly"
    if not spans:
        spans = anchoring.find_tolerant(article.text, quote)
        how = "ignoring case and spacing"
    if not spans:
        raise CliError(f"quote not found in {article.id}: “{quote_preview(quote, 60)}” "
                       "(matched exactly and ignoring case and spacing)")
    if occurrence is not None:
        if not 1 <= occurrence <= len(spans):
            raise CliError(f"--occurrence {occurrence} is out of range: the quote occurs "
                           f"{len(spans)} time(s) in {article.id}")
        return spans[occurrence - 1]
    if len(spans) > 1:
        lines = []
        for k, (s, e) in enumerate(spans[:10], 1):
            prefix, suffix = anchoring.context(article.text, s, e, 25)
            lines.append(f"  {k}: …{_flat(prefix)}[{_flat(article.text[s:e])}]{_flat(suffix)}…")
        more = f"\n  … and {len(spans) - 10} more" if len(spans) > 10 else ""
        raise CliError(f"quote is ambiguous: it occurs {len(spans)} times in {article.id} "
                       f"({how}); pick one with --occurrence K:\n" + "\n".join(lines) + more)
    return spans[0]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def resolve_tags(vocabulary: Vocabulary, names: list[str]) -> list[str]:
    out = []
    for name in names:
        tag = vocabulary.get(" ".join(name.split()))
        if tag is None:
            known = ", ".join(t.name for t in vocabulary.active())
            raise CliError(f"unknown tag “{name}” (known: {known}); add it first with: "
                           f"reader tags --add \"{name}\"")
        if tag.retired:
            raise CliError(f"tag “{tag.name}” is retired; bring it back with: "
                           f"reader tags --unretire \"{tag.name}\"")
        out.append(tag.name)
    return out


def _vocabulary(config: Config) -> Vocabulary:
    vocabulary = Vocabulary(config.vocabulary_path)
    if vocabulary.error is not None:
        print(f"reader: warning: {vocabulary.error} (using the default tags)", file=sys.stderr)
    return vocabulary


def _load_article(config: Config, article_id: str) -> Article:
    try:
        return Library(config).load(article_id)
    except ArticleNotFound as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot read article {article_id}: {exc}") from None


def refresh_index(config: Config, article_id: str) -> None:
    """Refresh the search index's tags for one article, if an index exists (it is a cache)."""
    if not config.index_dir.exists():
        return
    try:
        from reader.search.index import SearchIndex

        SearchIndex(config).update_annotations(article_id)
    except NotImplementedError:
        return
    except Exception as exc:  # a cache: warn, the annotations are saved
        print(f"reader: warning: search index not updated for {article_id}: {exc}",
              file=sys.stderr)


def run_annotate(args: argparse.Namespace, config: Config) -> int:
    article = _load_article(config, resolve_article(config, args.id))
    if not args.tag and not args.note:
        raise CliError("give at least one --tag (or a --note)", code=2)
    tags = resolve_tags(_vocabulary(config), args.tag)
    start, end = find_quote(article, args.quote, args.occurrence)
    store = AnnotationStore(config.annotations_dir)

    def announce(relocations: list[Relocation]) -> None:  # before they are saved
        print(f"reader: {article.id} changed since these passages were tagged; saved with "
              "this change:", file=sys.stderr)
        for r in relocations:
            print(f"  {r.annotation_id}  {describe(r, _preview)}", file=sys.stderr)

    try:
        done = store.tag(article, start, end, tags, args.note or None, before_write=announce)
    except AnnotationFileError as exc:
        raise CliError(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise CliError(f"not saved: {exc}") from None
    ann = done.annotation
    if not done.changed:
        print(f"reader: already tagged so: {ann.id} ({', '.join(ann.tags)})", file=sys.stderr)
        return 0
    if not done.added:  # that passage was tagged already: added to it rather than tagged twice
        print(f"reader: that passage was tagged already ({ann.id}): updated", file=sys.stderr)
    refresh_index(config, article.id)
    print(f"{ann.id}\t{article.id}\t{ann.start}-{ann.end}\t{', '.join(ann.tags)}\t"
          f"“{quote_preview(ann.quote, 60)}”")
    return 0


# -- annotations -----------------------------------------------------------------------------
def _collect(config: Config, article_id: str | None) -> list[ArticleAnnotations]:
    store = AnnotationStore(config.annotations_dir)
    library = Library(config)
    ids = [article_id] if article_id else [i for i, _ in store.iter_all()]
    out = []
    for i in ids:
        try:
            article = library.load(i)
        except (ArticleNotFound, OSError):  # removed or renamed: its annotations as saved
            out.append(store.load_raw(i))
            continue
        out.append(store.load(article))
    return out


def _preview(quote: str) -> str:
    return quote_preview(quote, 60)


def _as_json(article_id: str, ann: Annotation, moved: Relocation | None) -> dict[str, Any]:
    d = asdict(ann)
    extra = d.pop("extra")
    out = {"article": article_id, **d, **{k: v for k, v in extra.items() if k not in d}}
    if moved is not None:  # re-anchored in the changed text (not saved yet)
        out["relocated"] = {"old_start": moved.old_start, "old_end": moved.old_end,
                            "new_start": moved.new_start, "new_end": moved.new_end}
    return out


def _relocation_flag(moved: Relocation | None) -> str:
    if moved is None:
        return ""
    if moved.new_start is None:
        return f"  ORPHANED (was {moved.old_start}-{moved.old_end})"
    return f"  MOVED from {moved.old_start}-{moved.old_end}"


def run_annotations(args: argparse.Namespace, config: Config) -> int:
    rows: list[tuple[str, Annotation, Relocation | None]] = []
    broken = []
    wanted = resolve_article(config, args.id, annotations_ok=True) if args.id else None
    for found in _collect(config, wanted):
        if found.error is not None:
            broken.append(found.error)
            continue
        moved = {r.annotation_id: r for r in found.relocations}
        if moved:
            n_orphans = sum(r.orphaned for r in moved.values())
            print(f"reader: {found.article_id} changed since it was tagged: "
                  f"{len(moved) - n_orphans} passage(s) moved, {n_orphans} orphaned "
                  "(saved with the next change to it)", file=sys.stderr)
        for ann in found.annotations:
            if args.tag and not any(is_under(t, args.tag) for t in ann.tags):  # and children
                continue
            if args.orphans and not ann.orphaned:
                continue
            rows.append((found.article_id, ann, moved.get(ann.id)))
    for err in broken:
        print(f"reader: warning: {err}", file=sys.stderr)
    if args.json:
        print(json.dumps([_as_json(a, ann, m) for a, ann, m in rows], ensure_ascii=False,
                         indent=2, default=str))
        return 0
    for article_id, ann, m in rows:
        flag = _relocation_flag(m) or ("  ORPHANED" if ann.orphaned else "")
        note = f"\tnote: {_flat(ann.note)}" if ann.note else ""
        print(f"{article_id}\t{ann.id}\t{ann.start}-{ann.end}\t{', '.join(ann.tags) or '-'}\t"
              f"“{quote_preview(ann.quote, 70)}”{flag}{note}")
    if not rows and not broken:
        print("no annotations" + (f" tagged “{args.tag}”" if args.tag else ""), file=sys.stderr)
    return 0


# -- check -----------------------------------------------------------------------------------
def check(config: Config) -> tuple[list[Finding], int, int]:
    """(findings, files, annotations) for the vocabulary and every annotation file."""
    findings: list[Finding] = []
    vocabulary = Vocabulary(config.vocabulary_path)
    if vocabulary.error is not None:
        v = vocabulary.error
        findings.append(Finding("error", "(vocabulary)", v.reason, v.path, v.line))
    try:
        load_rejected(config)
    except RejectedFileError as r:
        findings.append(Finding("error", "(rejected suggestions)", r.reason + " (not changed "
                                "until fixed; suggestions ignore it meanwhile)", r.path, r.line))
    known = {t.name for t in vocabulary.tags}
    from reader.cli.memos import memo_findings

    findings += memo_findings(config, vocabulary)
    store = AnnotationStore(config.annotations_dir)
    library = Library(config)
    files = annotations = 0
    for article_id, raw in store.iter_all():
        files += 1
        if raw.error is not None:
            e = raw.error
            findings.append(Finding("error", article_id, e.reason + " (read-only until fixed)",
                                    e.path, e.line))
            continue
        annotations += len(raw.annotations)
        try:
            article = library.load(article_id)
        except (ArticleNotFound, OSError):
            findings.append(Finding("error", article_id,
                                    f"no article {article_id} for these "
                                    f"{len(raw.annotations)} annotation(s) (renamed or moved?)",
                                    raw.path))
            continue
        found = store.load(article)
        moved = {r.annotation_id: r for r in found.relocations}
        for ann in found.annotations:
            m = moved.get(ann.id)
            if ann.orphaned:
                where = f"{m.old_start}-{m.old_end} " if m is not None else ""
                findings.append(Finding(
                    "error", article_id, f"annotation {ann.id} orphaned: {where}"
                    f"“{quote_preview(ann.quote, 50)}” is not found in the changed text (kept; "
                    "re-attach or delete it)", found.path))
            elif m is not None:
                findings.append(Finding(
                    "warning", article_id, f"annotation {ann.id} moved {m.old_start}-{m.old_end}"
                    f" -> {ann.start}-{ann.end} “{quote_preview(ann.quote, 50)}” (the text "
                    "changed; saved with the next change)", found.path))
            unknown = [t for t in ann.tags if t not in known]
            if unknown:
                findings.append(Finding(
                    "warning", article_id, f"annotation {ann.id} has tag(s) not in the "
                    f"vocabulary: {', '.join(unknown)}", found.path))
    return findings, files, annotations


def run_check(args: argparse.Namespace, config: Config) -> int:
    findings, files, annotations = check(config)
    for f in findings:
        print(f)
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    verdict = "problems found" if errors else "OK"
    print(f"{verdict}: {files} annotation file(s), {annotations} annotation(s), "
          f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0
