"""What an import reads: sources (files, folders, URLs) expanded to the files to import.

Domain code, no Textual. A folder is read recursively, hidden files and browsers' ``*_files``
asset folders skipped; a symbolic link in it is followed only to a file inside that folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from reader.importing.webpage import is_url

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".mhtml")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")


def expand_sources(sources: Sequence[str]) -> list[tuple[str, str]]:
    """Sources -> ``(source, problem)`` in order; folders become the HTML/text files under them
    (recursively, hidden files and browsers' ``*_files`` asset folders skipped). ``problem`` is
    "" or why the source cannot be read at all. In a folder, a symbolic link is followed only
    to a file inside that folder (never to ``/etc/passwd``), and never to a folder."""
    out: list[tuple[str, str]] = []
    for raw in sources:
        s = raw.strip()
        if is_url(s):
            out.append((s, ""))
            continue
        p = Path(s).expanduser()
        if p.is_dir():
            found = _folder_sources(p)
            if not found:
                out.append((s, "no .html, .txt or .md files in this folder"))
            out.extend(found)
        elif p.is_file():
            out.append((str(p), ""))
        elif p.exists():
            out.append((s, "not a regular file (a pipe or a device)"))
        elif "://" in s:
            out.append((s, "only http:// and https:// addresses can be imported"))
        else:
            out.append((s, "no such file or folder"))
    return out


def _importable_name(name: str) -> bool:
    return name[:1] != "." and Path(name).suffix.lower() in HTML_SUFFIXES + TEXT_SUFFIXES


def _folder_sources(root: Path) -> list[tuple[str, str]]:
    real_root = os.path.realpath(root)
    out: list[tuple[str, str]] = []
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for e in entries:
            name = e.name
            if name[:1] == ".":
                continue
            try:
                if e.is_symlink():
                    target = os.path.realpath(e.path)
                    inside = target.startswith(real_root + os.sep)
                    if e.is_dir():
                        if not inside:
                            out.append((e.path, "a link to a folder outside the folder "
                                                "imported: not followed"))
                    elif _importable_name(name):
                        if not inside:
                            out.append((e.path, "a link to a file outside the folder "
                                                "imported: not followed"))
                        elif os.path.isfile(target):
                            out.append((e.path, ""))
                elif e.is_dir(follow_symlinks=False):
                    if not name.endswith("_files"):
                        subdirs.append(e.path)
                elif _importable_name(name):
                    out.append((e.path, "" if e.is_file(follow_symlinks=False)
                                else "not a regular file (a pipe or a device)"))
            except OSError:
                continue
        stack.extend(reversed(subdirs))
    return out
