"""``reader memo``: memos on an article, a tag or the library as a whole (list, add, show,
edit, delete)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from reader.annotations.format import Finding
from reader.annotations.memos import (
    KINDS,
    Memo,
    MemoChanged,
    MemoFileError,
    MemoNotFound,
    MemoStore,
    Scope,
)
from reader.annotations.vocabulary import Vocabulary
from reader.cli.common import CliError, resolve_article
from reader.config import Config

ACTIONS = ("list", "add", "show", "edit", "delete")
EXAMPLES = f"""\
examples:
  reader memo add --text Sampling: Detik and BBC, June 2024 --kind method
  reader memo add --tag sanctions --kind theory      (writes it in $EDITOR)
  echo "Check the source" | reader memo add --article detik/00896 --kind to do
  reader memo list --tag sanctions
  reader memo show arms-transfers
  reader memo edit arms-transfers                    (in $EDITOR; or --text, --kind)
  reader memo delete tag/sanctions/2026-11-25-arms-transfers

kinds are free text; suggested: {", ".join(KINDS)}
"""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "memo", help="memos on an article, a tag or the library: list, add, show, edit, delete",
        description="Memos: free text (Markdown) on an article, a tag or the library as a "
                    "whole, with a kind and dates, kept as files in annotations/memos/.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", nargs="?", default="list", choices=ACTIONS,
                   help="what to do (default: list)")
    p.add_argument("memo", nargs="?", metavar="MEMO",
                   help="show, edit, delete: the memo's id as `reader memo list` shows it, "
                        "its file, or the end of its id")
    about = p.add_mutually_exclusive_group()
    about.add_argument("--article", metavar="ARTICLE",
                       help="a memo on this article (its id or file path)")
    about.add_argument("--tag", metavar="TAG", help="a memo on this tag")
    about.add_argument("--whole-library", action="store_true",
                       help="a memo on the library as a whole (the default for add)")
    p.add_argument("--kind", metavar="KIND", words=True,
                   help=f"the memo's kind, any text (e.g. {', '.join(KINDS)})")
    p.add_argument("--text", metavar="TEXT", words=True,
                   help="add, edit: the text (else it is read from a pipe, or written in "
                        "$VISUAL / $EDITOR)")
    p.add_argument("--json", action="store_true", help="list, show: print JSON")
    p.take_words("--tag")
    p.value_counts.update({"--article": None, "--whole-library": 0})
    p.set_defaults(func=run_memo)


def memo_findings(config: Config, vocabulary: Vocabulary) -> list[Finding]:
    """``reader check``'s lines for memo files and ``searches.yml``: files that cannot be
    read (errors), memos on a tag not in the vocabulary or an article not in the library
    (warnings)."""
    from reader.library.articles import ArticleNotFound, Library
    from reader.search.saved import SavedSearchError, SavedSearches

    out: list[Finding] = []
    memos, errors = MemoStore(config.annotations_dir).load_all()
    out += [Finding("error", "(memo)", f"{e.reason} (left as it is until fixed)", e.path,
                    e.line) for e in errors]
    library = Library(config)
    for m in memos:
        if m.scope == "tag" and vocabulary.get(m.about) is None:
            out.append(Finding("warning", "(memo)", f"memo {m.id} is about the tag "
                               f"“{m.about}”, which is not in the vocabulary", m.path))
        elif m.scope == "article":
            try:
                library.path_for(m.about)
            except (ArticleNotFound, ValueError, OSError):
                out.append(Finding("warning", "(memo)", f"memo {m.id} is about the article "
                                   f"{m.about}, which is not in the library (renamed or "
                                   "moved?)", m.path))
    try:
        SavedSearches(config.annotations_dir).load()
    except SavedSearchError as e:
        out.append(Finding("error", "(saved searches)", e.reason, e.path, e.line))
    return out


def memo_json(memo: Memo) -> dict[str, Any]:
    return {"id": memo.id, "scope": memo.scope, "about": memo.about, "kind": memo.kind,
            "created": memo.created, "updated": memo.updated, "title": memo.title,
            "text": memo.text, "path": str(memo.path)}


def run_memo(args: argparse.Namespace, config: Config) -> int:
    store = MemoStore(config.annotations_dir)
    if args.action in ("list", "add"):
        if args.memo is not None:
            raise CliError(f"reader memo {args.action} takes no MEMO (got {args.memo!r}); "
                           f"to name what it is about use --article, --tag or "
                           "--whole-library", code=2)
    elif args.memo is None:
        raise CliError(f"reader memo {args.action} needs the MEMO (see reader memo list)",
                       code=2)
    elif args.article is not None or args.tag is not None or args.whole_library:
        raise CliError(f"--article, --tag and --whole-library go with list and add, not "
                       f"{args.action}", code=2)
    try:
        if args.action == "list":
            return _list(args, config, store)
        if args.action == "add":
            return _add(args, config, store)
        memo_id = store.resolve(str(args.memo))
        if args.action == "show":
            return _show(args, store.get(memo_id))
        if args.action == "edit":
            return _edit(args, store, store.get(memo_id))
        memo = store.delete(memo_id)
    except (MemoNotFound, MemoFileError, MemoChanged) as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:
        raise CliError(f"not saved: {exc}") from None
    except OSError as exc:
        raise CliError(f"not saved: {exc.strerror or exc}") from None
    print(f"deleted memo {memo.id}")
    return 0


def _warn(errors: list[MemoFileError]) -> None:
    for err in errors:
        print(f"reader: warning: {err} (memo left as it is)", file=sys.stderr)


def _about(args: argparse.Namespace, config: Config, *, strict: bool) -> tuple[Scope | None,
                                                                             str | None]:
    """(scope, about) named by --article / --tag / --whole-library."""
    if args.whole_library:
        return "library", ""
    if args.tag is not None:
        name = " ".join(args.tag.split())
        if not strict:
            return "tag", name
        vocabulary = Vocabulary(config.vocabulary_path)
        tag = vocabulary.get(name)
        if tag is None:
            known = ", ".join(vocabulary.names()) or "none"
            raise CliError(f"unknown tag “{name}” (known: {known}); add it first with: "
                           f"reader tags --add \"{name}\"")
        return "tag", tag.name
    if args.article is not None:
        try:
            return "article", resolve_article(config, args.article, annotations_ok=True)
        except CliError:
            if strict:
                raise
            return "article", args.article
    return None, None


def _list(args: argparse.Namespace, config: Config, store: MemoStore) -> int:
    scope, about = _about(args, config, strict=False)
    memos, errors = store.find(scope, about or None, args.kind)
    _warn(errors)
    if args.json:
        print(json.dumps([memo_json(m) for m in memos], ensure_ascii=False, indent=2))
        return 0
    for m in memos:
        print(f"{m.id}\t{m.date or '-'}\t{m.kind or '-'}\t{m.subject}\t{m.title}")
    if not memos:
        what = f" on {scope} {about}".rstrip() if scope else ""
        kind = f" of kind “{args.kind}”" if args.kind else ""
        print(f"no memos{what}{kind}", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace, memo: Memo) -> int:
    if args.json:
        print(json.dumps(memo_json(memo), ensure_ascii=False, indent=2))
        return 0
    facts = [memo.subject, memo.kind, f"created {memo.created}" if memo.created else "",
             f"updated {memo.updated}" if memo.updated != memo.created else ""]
    head = [" · ".join(f for f in facts if f), f"id {memo.id} · file {memo.path}"]
    print("\n".join(head))
    print("─" * min(72, max(len(x) for x in head)))
    print(memo.text)
    return 0


def _text(args: argparse.Namespace, initial: str, label: str) -> tuple[str, Path | None]:
    """The memo's text: --text, else what is piped in, else written in the editor (the
    editor's file is returned too: kept if the text cannot be saved)."""
    if args.text is not None:
        return args.text, None
    if not sys.stdin.isatty():
        return sys.stdin.read(), None
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix=f"reader-memo-{label}-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(initial)
    try:
        status = subprocess.run([*shlex.split(editor), name], check=False).returncode
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot run the editor {editor!r} ({exc}); set $EDITOR, or give "
                       "--text") from None
    if status != 0:
        raise CliError(f"the editor exited with status {status}: nothing saved (the text "
                       f"is in {name})")
    return Path(name).read_text(encoding="utf-8"), Path(name)


def _saved(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


def _add(args: argparse.Namespace, config: Config, store: MemoStore) -> int:
    scope, about = _about(args, config, strict=True)
    text, draft = _text(args, "", "new")
    if not text.strip():
        _saved(draft)
        raise CliError("empty memo: nothing saved (give --text, pipe the text in, or write "
                       "it in $EDITOR)")
    try:
        memo = store.add(scope or "library", about or "", text, args.kind or "")
    except (ValueError, OSError) as exc:
        kept = f" (your text is in {draft})" if draft else ""
        raise CliError(f"not saved: {exc}{kept}") from None
    _saved(draft)
    print(f"added memo {memo.id}")
    return 0


def _edit(args: argparse.Namespace, store: MemoStore, memo: Memo) -> int:
    text: str | None = None
    draft: Path | None = None
    if args.text is not None or args.kind is None:
        text, draft = _text(args, memo.text + "\n", memo.id.rsplit("/", 1)[-1])
        if not text.strip():
            _saved(draft)
            raise CliError("empty memo: nothing changed (to delete it: reader memo delete "
                           f"{memo.id})")
    try:
        changed = store.edit(memo.id, text=text, kind=args.kind, expected=memo)
    except (MemoChanged, ValueError, OSError) as exc:
        kept = f" (your text is in {draft})" if draft else ""
        raise CliError(f"{exc}{kept}") from None
    _saved(draft)
    print(f"{'no change to' if changed == memo else 'saved'} memo {memo.id}")
    return 0
