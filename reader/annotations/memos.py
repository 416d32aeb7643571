"""Memos: free text on an article, a tag or the library as a whole, one Markdown file each.

A memo is ``annotations/memos/<scope>/.../<date>-<slug>.md``, Markdown with YAML front matter::

    ---
    scope: tag                      # library, article or tag
    about: military cooperation     # the article's id or the tag's name (none for library)
    kind: theory                    # free text; theory, method, to do... are suggested
    created: '2026-11-25T10:00:00Z'
    updated: '2026-11-25T10:00:00Z'
    ---
    Arms transfers are reported as "kerja sama" more often than as trade.

The front matter says what a memo is about; the folder (``library/``, ``article/<article
id>/``, ``tag/<tag name>/``) only helps people find it. A memo's id is its path under
``memos/`` without ``.md`` (``tag/military-cooperation/2026-11-25-arms-transfers``).

The files are user data, treated like the annotation files: written atomically under the
library's write lock, the front matter loaded with the strict safe loader, keys added by hand
kept on rewrite, and a file that cannot be read reported with file, line and reason and never
rewritten or deleted by reader. An edit can say which version it started from (``expected``):
if the file changed on disk since, the edit is refused rather than lose either text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reader import yamlio
from reader.annotations import files
from reader.annotations.memofile import (
    DIRNAME,
    KINDS,
    SCOPES,
    SUFFIX,
    Memo,
    MemoFileError,
    MemoText,
    Scope,
    clean_about,
    clean_kind,
    clean_text,
    parse,
    render,
    slug,
    title_of,
)

__all__ = ["KINDS", "SCOPES", "Memo", "MemoChanged", "MemoFileError", "MemoNotFound",
           "MemoStore", "MemoText", "Scope", "select", "sort_key"]


class MemoNotFound(LookupError):
    """No memo by that name (or several: the message lists them)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "no such memo"


class MemoChanged(ValueError):
    """The memo changed on disk since it was read: the edit was not saved."""


def sort_key(memo: Memo) -> tuple[int, str, str, str]:
    """Library memos first, then tags, then articles; by subject, then oldest first."""
    return (SCOPES.index(memo.scope) if memo.scope != "article" else 3,
            memo.about.casefold(), memo.created, memo.id)


def select(memos: list[Memo], *, articles: set[str] | None = None,
           tags: set[str] | None = None) -> list[Memo]:
    """The memos a report on ``articles`` and ``tags`` should hold: those on the library,
    on one of the tags (compared case-insensitively) and on one of the articles. ``None``
    for both: every memo."""
    if articles is None and tags is None:
        return list(memos)
    folded = {t.casefold() for t in tags or ()}
    return [m for m in memos if m.scope == "library"
            or (m.scope == "tag" and m.about.casefold() in folded)
            or (m.scope == "article" and m.about in (articles or ()))]


# -- the store ----------------------------------------------------------------------------------
class MemoStore:
    """The memos of one library, in ``<annotations dir>/memos/``."""

    def __init__(self, annotations_dir: Path) -> None:
        self.annotations_dir = annotations_dir
        self.dir = annotations_dir / DIRNAME

    # -- reading ---------------------------------------------------------------------------
    def paths(self) -> list[Path]:
        """Every memo file (hidden files and folders skipped), sorted."""
        return files.files_under(self.dir, SUFFIX, follow_file_links=False)

    def id_for(self, path: Path) -> str:
        return path.relative_to(self.dir).as_posix()[: -len(SUFFIX)]

    def path_for(self, memo_id: str) -> Path:
        parts = memo_id.split("/")
        if (not memo_id or memo_id.startswith("/") or "\\" in memo_id
                or any(p in ("", ".", "..") or p.startswith(".") for p in parts)):
            raise MemoNotFound(f"no memo {memo_id!r}")
        return self.dir / f"{memo_id}{SUFFIX}"

    def ids(self) -> list[str]:
        return [self.id_for(p) for p in self.paths()]

    def _read(self, memo_id: str) -> Memo:
        path = self.path_for(memo_id)
        try:
            if path.is_symlink() or not path.is_file():
                raise MemoNotFound(f"no memo {memo_id!r}")
            content = yamlio.read_text(path)
        except yamlio.YamlFileError as exc:
            raise MemoFileError(exc.path, exc.line, exc.reason) from None
        except OSError as exc:
            raise MemoFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
        return parse(path, memo_id, content)

    def get(self, memo_id: str) -> Memo:
        """The memo; :class:`MemoNotFound`, or :class:`MemoFileError` for a broken file."""
        return self._read(memo_id)

    def load_all(self) -> tuple[list[Memo], list[MemoFileError]]:
        """Every memo (in :func:`sort_key` order) and every memo file that cannot be read."""
        memos: list[Memo] = []
        errors: list[MemoFileError] = []
        for path in self.paths():
            try:
                memos.append(self._read(self.id_for(path)))
            except MemoFileError as exc:
                errors.append(exc)
            except MemoNotFound:
                continue  # removed meanwhile
        return sorted(memos, key=sort_key), errors

    def find(self, scope: str | None = None, about: str | None = None,
             kind: str | None = None) -> tuple[list[Memo], list[MemoFileError]]:
        """The memos on ``scope`` (and ``about``: an article id, or a tag name compared
        case-insensitively), of ``kind`` (case-insensitive), with the broken files."""
        memos, errors = self.load_all()
        if scope is not None:
            memos = [m for m in memos if m.scope == scope]
        if about is not None:
            memos = [m for m in memos if m.about == about
                     or (m.scope == "tag" and m.about.casefold() == about.casefold())]
        if kind is not None:
            wanted = " ".join(kind.split()).casefold()
            memos = [m for m in memos if m.kind.casefold() == wanted]
        return memos, errors

    def texts(self) -> Iterator[MemoText]:
        """(scope, id, text) of every readable memo, for a full-text index."""
        for memo in self.load_all()[0]:
            yield MemoText(memo.scope, memo.about, memo.text)

    def resolve(self, name: str) -> str:
        """The id of the memo ``name`` names: its id, its file's path (absolute, or relative
        to the current folder, the library, ``annotations/`` or ``memos/``, with or without
        ``.md``), or the end of one id after a ``/`` or ``-`` (``transfers``,
        ``arms-transfers``, ``2026-11-25-arms-transfers``).
        :class:`MemoNotFound` when none or several match."""
        name = name.strip()
        if not name:
            raise MemoNotFound("a memo id is empty; give one as `reader memo list` shows it")
        ids = self.ids()
        if name in ids:
            return name
        base = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
        if base in ids:
            return base
        candidates = [Path(name).expanduser()]
        if not candidates[0].is_absolute():
            candidates = [Path.cwd() / name, self.annotations_dir.parent / name,
                          self.annotations_dir / name, self.dir / name]
        for candidate in candidates:
            try:
                rel = Path(os.path.abspath(candidate)).relative_to(os.path.abspath(self.dir))
            except ValueError:
                continue
            found = rel.as_posix()
            found = found[: -len(SUFFIX)] if found.endswith(SUFFIX) else found
            if found in ids:
                return found
        ends = [i for i in ids if i.endswith(("/" + base, "-" + base))]
        if len(ends) == 1:
            return ends[0]
        if ends:
            raise MemoNotFound(f"{name!r} names {len(ends)} memos: {', '.join(ends[:6])}"
                               + (" ..." if len(ends) > 6 else "") + "; give the whole id")
        raise MemoNotFound(f"no memo {name!r} (see reader memo list)")

    # -- writing ---------------------------------------------------------------------------
    def _lock(self) -> Any:
        return yamlio.library_lock(self.annotations_dir / ".lock")

    def _folder(self, scope: Scope, about: str) -> Path:
        if scope == "library":
            return self.dir / "library"
        if scope == "article":
            return self.dir / "article" / about
        return self.dir.joinpath("tag", *(slug(p, default="tag") for p in about.split("/")))

    def add(self, scope: Scope, about: str, text: str, kind: str = "", *,
            created: str | None = None) -> Memo:
        """A new memo (ValueError for an empty text, an unknown scope, a bad kind)."""
        about = clean_about(scope, about)
        text, kind = clean_text(text), clean_kind(kind)
        stamp = created or yamlio.utc_now()
        content = render(scope, about, kind, text, stamp, stamp)
        folder = self._folder(scope, about)
        stem = f"{stamp[:10]}-{slug(title_of(text))}"
        with self._lock():
            path = folder / f"{stem}{SUFFIX}"
            n = 1
            while path.exists() or path.is_symlink():
                n += 1
                path = folder / f"{stem}-{n}{SUFFIX}"
            memo_id = self.id_for(path)
            parse(path, memo_id, content)  # never write what could not be read back
            yamlio.atomic_write(path, content)
        return self._read(memo_id)

    def edit(self, memo_id: str, *, text: str | None = None, kind: str | None = None,
             expected: Memo | None = None) -> Memo:
        """Change a memo's text and/or kind. ``expected``: the memo as it was read before the
        change was made (e.g. before an editor opened); if the file differs now,
        :class:`MemoChanged` and nothing is written. A broken file raises
        :class:`MemoFileError` and is left as it is."""
        new_text = clean_text(text) if text is not None else None
        new_kind = clean_kind(kind) if kind is not None else None
        with self._lock():
            current = self._read(memo_id)
            _check_unchanged(current, expected)
            final_text = current.text if new_text is None else new_text
            final_kind = current.kind if new_kind is None else new_kind
            if (final_text, final_kind) == (current.text, current.kind):
                return current
            content = render(current.scope, current.about, final_kind, final_text,
                             current.created, yamlio.utc_now(), current.extra)
            parse(current.path, memo_id, content)
            yamlio.atomic_write(current.path, content)
        return self._read(memo_id)

    def delete(self, memo_id: str, *, expected: Memo | None = None) -> Memo:
        """Remove a memo's file (and folders it leaves empty). A broken file raises
        :class:`MemoFileError` and is kept: look at it, then remove it by hand."""
        with self._lock():
            current = self._read(memo_id)
            _check_unchanged(current, expected)
            current.path.unlink()
            yamlio.fsync_dir(current.path.parent)
            folder = current.path.parent
            while folder != self.dir and self.dir in folder.parents:
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent
        return current


def _check_unchanged(current: Memo, expected: Memo | None) -> None:
    if expected is None:
        return
    if (current.text, current.kind, current.updated) != (expected.text, expected.kind,
                                                         expected.updated):
        raise MemoChanged(f"memo {current.id} was changed (in {current.path}) since it was "
                          f"read: not saved, so that neither version is lost")
