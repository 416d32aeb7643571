"""What an article file is, and its id: the one walk of ``articles/``.

An article file is a regular file named ``*.txt`` or ``*.md`` (the extension in any case)
under ``articles/``, reached through folders; names starting with ``.`` are skipped. Its id
is its path under ``articles/`` without the extension, ``/``-separated.

- **Twins.** ``a.txt`` and ``a.md`` in one folder would share the id ``a``: the ``.txt``
  keeps it (else the ``.md``, else the first other spelling of the extension by name), and
  each other twin keeps its extension in its id (``a.md``). In the rare case that this id is
  itself taken (by ``a.md.txt``), that twin is skipped and reported.
- **Names.** A file or folder whose name holds a backslash, a control character (a line
  break, a tab) or bytes that are not UTF-8 is not read: it is reported, to be renamed (such
  an id cannot name an annotation file on every system, nor print on one line).
- **Links.** Symbolic links under ``articles/`` are not followed (a link that looks like an
  article or is a folder is reported). Inside ``articles/`` a link could only list a file a
  second time (``ln -s . articles/loop``) or one in a hidden folder; out of it, it would read
  whatever it points to (``/etc/passwd``) from a library shared as a folder. So a walk never
  loops, never lists a file twice and never reads outside ``articles/``. ``articles/``
  itself may be a link: that is how a library keeps its articles elsewhere.

:func:`walk` yields :class:`ArticleFile` (id, path, size, mtime) in no particular order and
reports what it skipped as :class:`Skipped`; :func:`resolve` and :func:`article_id` answer
for one id or one file by the same rules, without walking.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

SUFFIXES = (".txt", ".md")
_SPELLINGS = tuple(
    "." + "".join(c.upper() if mask >> i & 1 else c for i, c in enumerate(word))
    for word in ("txt", "md") for mask in range(2 ** len(word)))
NAME_REASON = ("its name holds a backslash, a control character or bytes that are not UTF-8: "
               "rename it to read it here")


class ArticleFile(NamedTuple):
    """One article file: ``id``, ``path`` under ``articles/`` ("/"-separated), and the
    ``size`` and ``mtime_ns`` of the file (of the target, for a followed link)."""

    id: str
    path: str
    size: int
    mtime_ns: int

    @property
    def mtime(self) -> float:
        return self.mtime_ns / 1e9


class Skipped(NamedTuple):
    """Something under ``articles/`` that looks like an article but is not read, and why."""

    path: str  # under articles/; a folder ends with "/"
    reason: str

    def __str__(self) -> str:
        return f"articles/{printable(self.path)}: {self.reason}"


def printable(name: str) -> str:
    """``name`` for one line of text: control characters escaped (``\\n``), bytes that were
    not UTF-8 as ``\\xe9``."""
    if not bad_name(name.replace("\\", "")):
        return name
    out = []
    for c in name:
        if 0xDC80 <= ord(c) <= 0xDCFF:  # os.fsdecode's escape of an undecodable byte
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        elif unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(c.encode("unicode_escape").decode("ascii"))
        else:
            out.append(c)
    return "".join(out)


_BAD_NAME = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def bad_name(name: str) -> bool:
    """A name that cannot be (part of) an id: a backslash, a control character (Unicode Cc),
    a line or paragraph separator, or undecodable bytes (surrogate escapes, Cs)."""
    return _BAD_NAME.search(name) is not None


def is_article_name(name: str) -> bool:
    return name[:1] != "." and name.lower().endswith(SUFFIXES)


def _rank(name: str) -> tuple[int, str]:
    suffix = name[name.rfind("."):]
    return (0 if suffix == ".txt" else 1 if suffix == ".md" else 2, name)


LINK_REASON = ("a symbolic link: not followed (only files and folders under articles/ are "
               "read; articles/ itself may be a link)")


class _Rules:
    """The decisions shared by :func:`walk`, :func:`resolve` and :func:`article_id`."""

    def __init__(self, root: str, skipped: list[Skipped] | None = None) -> None:
        self.root = root
        self.skipped = skipped
        self.dirs: set[tuple[int, int]] = set()  # folders walked (device, inode)

    def skip(self, rel: str, reason: str) -> None:
        if self.skipped is not None:
            self.skipped.append(Skipped(rel, reason))

    def folder(self, folder: str, prefix: str, subdirs: list[tuple[str, str]] | None
               ) -> list[ArticleFile]:
        """The article files of one folder, with their ids (twins settled); its subfolders to
        walk are added to ``subdirs`` (None: not wanted, and nothing reported)."""
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            return []
        out: list[ArticleFile] = []
        at: dict[str, int] = {}  # id -> its place in out
        twins: list[tuple[str, os.stat_result]] = []
        suffixes = SUFFIXES
        bad = _BAD_NAME.search
        make = tuple.__new__  # ArticleFile(...) without a Python-level __new__: 100k of these
        for e in entries:
            name = e.name
            if name[0] == ".":
                continue
            try:
                if name.lower().endswith(suffixes) and e.is_file(follow_symlinks=False):
                    if bad(name) is not None:
                        if subdirs is not None:
                            self.skip(prefix + name, NAME_REASON)
                        continue
                    st = e.stat(follow_symlinks=False)
                    article_id = prefix + name[: name.rfind(".")]
                    if article_id in at:
                        twins.append((name, st))
                    else:
                        at[article_id] = len(out)
                        out.append(make(ArticleFile, (article_id, prefix + name, st.st_size,
                                                      st.st_mtime_ns)))
                elif e.is_symlink():
                    if subdirs is not None and (is_article_name(name) or e.is_dir()):
                        self.skip(prefix + name + ("/" if e.is_dir() else ""), LINK_REASON)
                elif e.is_dir(follow_symlinks=False):
                    if subdirs is None:
                        continue
                    if bad(name) is not None:
                        self.skip(prefix + name + "/", NAME_REASON)
                        continue
                    st = e.stat(follow_symlinks=False)
                    if (st.st_dev, st.st_ino) not in self.dirs:  # a bind mount can loop
                        self.dirs.add((st.st_dev, st.st_ino))
                        subdirs.append((e.path, prefix + name + "/"))
                elif is_article_name(name) and subdirs is not None:
                    self.skip(prefix + name, NAME_REASON if bad(name) else
                              "not a regular file (a pipe or a device): not read")
            except OSError:
                continue
        if twins:
            self._settle(prefix, out, at, twins)
        return out

    def _settle(self, prefix: str, out: list[ArticleFile], at: dict[str, int],
                twins: list[tuple[str, os.stat_result]]) -> None:
        """Twins (see the module): the best-ranked file of each id keeps it, the others take
        their file name as id, unless that id is some other file's."""
        groups: dict[str, list[ArticleFile]] = {}
        for name, st in twins:
            article_id = prefix + name[: name.rfind(".")]
            groups.setdefault(article_id, [out[at[article_id]]]).append(
                ArticleFile(article_id, prefix + name, st.st_size, st.st_mtime_ns))
        for article_id, members in groups.items():
            members.sort(key=lambda f: _rank(f.path[len(prefix):]))
            out[at[article_id]] = members[0]
            for f in members[1:]:
                own = f.path  # the file name keeps its extension: a.md
                if own in at:  # ... and a.md.txt has that id
                    self.skip(own, f"its id {own!r} is taken by articles/{out[at[own]].path}: "
                                   "rename one of them")
                    continue
                out.append(f._replace(id=own))


def walk(root: str | os.PathLike[str], skipped: list[Skipped] | None = None
         ) -> Iterator[ArticleFile]:
    """Every article file under ``root`` (the ``articles/`` folder); what looks like an
    article but is not read is appended to ``skipped``. Nothing when ``root`` is missing."""
    rules = _Rules(os.fspath(root), skipped)
    try:
        st = os.stat(rules.root)
    except OSError:
        return
    if not stat.S_ISDIR(st.st_mode):
        return
    rules.dirs.add((st.st_dev, st.st_ino))
    stack = [(rules.root, "")]
    while stack:
        folder, prefix = stack.pop()
        subdirs: list[tuple[str, str]] = []
        yield from rules.folder(folder, prefix, subdirs)
        subdirs.sort(reverse=True)  # walked in name order
        stack.extend(subdirs)


def _usable(path: str, name: str) -> os.stat_result | None:
    """The stat of ``path`` when it is a regular file with an article's name."""
    if not is_article_name(name) or bad_name(name):
        return None
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def _folder_of(root: str, parts: list[str]) -> str | None:
    """The folder these id parts lead to, if the walk goes there (no links, no hidden or
    badly named folders)."""
    folder = root
    for p in parts:
        if not p or p[:1] == "." or bad_name(p):
            return None
        folder = os.path.join(folder, p)
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return None
        except OSError:
            return None
    return folder


def resolve(root: str | os.PathLike[str], article_id: str) -> ArticleFile | None:
    """The article file with this id, by the rules of :func:`walk`, or None. Looks at a few
    names; lists the folder only for a twin or an odd spelling of the extension."""
    rules = _Rules(os.fspath(root))
    parts = article_id.split("/")
    leaf = parts[-1]
    folder = _folder_of(rules.root, parts[:-1])
    if folder is None or not leaf or leaf[:1] == "." or bad_name(leaf):
        return None
    prefix = "".join(p + "/" for p in parts[:-1])
    for suffix in SUFFIXES:  # the usual case: a.txt, or a.md without a.txt
        name = leaf + suffix
        st = _usable(os.path.join(folder, name), name)
        if st is not None:
            return ArticleFile(article_id, prefix + name, st.st_size, st.st_mtime_ns)
    candidates = [leaf + s for s in _SPELLINGS] + ([leaf] if is_article_name(leaf) else [])
    if not any(os.path.lexists(os.path.join(folder, c)) for c in candidates):
        return None
    return next((f for f in rules.folder(folder, prefix, None) if f.id == article_id), None)


def article_id(root: str | os.PathLike[str], rel: str) -> str | None:
    """The id of the file at ``rel`` (under ``root``, "/"-separated) by the rules of
    :func:`walk`, or None when the walk does not list it."""
    rules = _Rules(os.fspath(root))
    parts = rel.split("/")
    name = parts[-1]
    folder = _folder_of(rules.root, parts[:-1])
    if folder is None or _usable(os.path.join(folder, name), name) is None:
        return None
    stem = rel[: rel.rfind(".")]
    suffix = name[name.rfind("."):]
    if suffix == ".txt":
        return stem
    if suffix == ".md":
        twin = name[: -len(suffix)] + ".txt"
        if _usable(os.path.join(folder, twin), twin) is None:
            return stem
    prefix = "".join(p + "/" for p in parts[:-1])
    return next((f.id for f in rules.folder(folder, prefix, None) if f.path == rel), None)
