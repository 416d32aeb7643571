"""``reader import SOURCE... [--tag TAG] [--dry-run]``: bring web pages and text files in."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from reader.cli.common import CliError
from reader.config import Config

if TYPE_CHECKING:  # imported when an import runs: other commands start without it
    from reader.importing.importer import ImportItem


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "import",
        help="import saved web pages, folders of them, .txt/.md files or URLs",
        description="Import articles into articles/ as Markdown with metadata (title, source, "
                    "date, authors, url, language). Main text is extracted from web pages; "
                    "ads, 'Read also'/'Baca juga' lines, share and subscription calls are left "
                    "out. Duplicates (same URL or same text) are skipped; nothing is "
                    "overwritten.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="an .html file, a folder (searched recursively), a .txt/.md file, "
                        "or an http(s) URL")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="add TAG to the imported articles' front matter 'tags' (repeatable)")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would be written, write nothing")
    p.set_defaults(func=run, needs_articles=False)  # articles/ is made on the first import


class _Progress:
    """``[12/40] page.html`` on stderr: rewritten in place on a terminal, one line otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.shown = False

    def __call__(self, n: int, total: int, source: str) -> None:
        if total < 2:
            return
        line = f"[{n}/{total}] {source}"
        if self.tty:
            self.stream.write("\r\x1b[K" + line[:200])
            self.shown = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _line(item: ImportItem, dry_run: bool) -> str:
    if item.status == "imported":
        what = "would write" if dry_run else "imported"
        details = " | ".join(x for x in (item.title, item.site, item.date) if x)
        return f"{what} articles/{item.path}  ({details})"
    if item.status == "duplicate":
        return f"skipped {item.source}: duplicate, {item.reason}"
    return f"failed {item.source}: {item.reason}"


def run(args: argparse.Namespace, config: Config) -> int:
    from reader.importing.importer import import_sources

    tags = [t.strip() for t in args.tag]
    if any(not t for t in tags):
        raise CliError("--tag needs a non-empty tag name", code=2)
    progress = _Progress(sys.stderr)

    def done(item: ImportItem) -> None:  # each as it happens: an interrupted batch is told
        progress.clear()
        out = sys.stdout if item.status == "imported" else sys.stderr
        print(_line(item, args.dry_run), file=out, flush=True)

    try:
        report = import_sources(config, args.sources, tags=tags, dry_run=args.dry_run,
                                progress=progress, on_item=done)
    finally:
        progress.clear()
    if report.index_notice:
        print(f"reader: {report.index_notice}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    if not report.imported and report.failed:
        return 1
    return 0
