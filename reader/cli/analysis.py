"""``reader overview --matrix`` and ``--cooccurrence``: tables and bar charts in the terminal,
JSON, or CSV for a spreadsheet or R."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.cli.common import CliError
from reader.review.matrix import (
    BY,
    DIAGONAL_MEANING,
    WITHIN,
    WITHIN_MEANING,
    WITHIN_TITLE,
    Cooccurrence,
    Matrix,
    cooccurrence,
    cooccurrence_csv,
    cooccurrence_json,
    matrix,
    matrix_csv,
    matrix_json,
)
from reader.review.rows import ReviewRow, bar, bar_chart


def add_options(p: argparse.ArgumentParser) -> None:
    """The overview's analysis options."""
    p.add_argument("--matrix", action="store_true",
                   help="passages per tag per article (or --by source, month)")
    p.add_argument("--by", choices=BY, default=None,
                   help="the matrix's rows: article (default), source or month")
    p.add_argument("--cooccurrence", action="store_true",
                   help="how often two tags fall together (see --within)")
    p.add_argument("--within", choices=WITHIN, default="overlap",
                   help="co-occurrence on overlapping passages (default: overlap), on one "
                        "passage, or in one article")
    p.add_argument("--format", "-f", choices=("text", "json", "csv"), default="text",
                   help="text (tables and bars, the default), json, or csv (with --matrix "
                        "or --cooccurrence: UTF-8 with a byte order mark, for spreadsheets)")
    p.add_argument("--out", "-o", metavar="FILE",
                   help="write the JSON or CSV to FILE (atomically)")
    p.add_argument("--no-bom", action="store_true", help="CSV without the byte order mark")


def wanted(args: argparse.Namespace) -> bool:
    """Whether the overview is asked for a matrix or a co-occurrence table."""
    return bool(args.matrix or args.cooccurrence or args.by)


def check(args: argparse.Namespace) -> None:
    """Refuse combinations that cannot work, before the library is read."""
    if args.json:
        args.format = "json"
    if args.format == "csv":
        if not wanted(args):
            raise CliError("--format csv goes with --matrix or --cooccurrence", code=2)
        if args.matrix or args.by:
            if args.cooccurrence:
                raise CliError("--format csv holds one table: give --matrix or "
                               "--cooccurrence, not both", code=2)
    if args.out is not None and args.format == "text":
        raise CliError("--out writes JSON or CSV: add --format json or --format csv", code=2)


def run(args: argparse.Namespace, rows: Sequence[ReviewRow], out: Path | None,
        report: dict[str, Any] | None = None) -> int:
    """Print (or write to ``out``) what was asked. ``report``: the overview's own JSON,
    which the analysis' JSON is added to."""
    from reader.review.export import write_atomic

    tags = args.tag or None
    m = matrix(rows, args.by or "article", tags) if args.matrix or args.by else None
    c = cooccurrence(rows, args.within, tags) if args.cooccurrence else None
    if args.format == "csv":
        text = matrix_csv(m, bom=not args.no_bom) if m is not None else \
            cooccurrence_csv(c, bom=not args.no_bom) if c is not None else ""
    elif args.format == "json":
        data = dict(report or {})
        if m is not None:
            data["matrix"] = matrix_json(m)
        if c is not None:
            data["cooccurrence"] = cooccurrence_json(c)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        width = min(160, shutil.get_terminal_size((100, 24)).columns)
        lines: list[str] = []
        if m is not None:
            lines += matrix_lines(m, width)
        if c is not None:
            lines += ([""] if lines else []) + cooccurrence_lines(c, width)
        text = "\n".join(lines) + "\n"
    if out is None and args.format == "text":
        sys.stdout.write(text)
        return 0
    if out is None:  # UTF-8 whatever the terminal's locale, as the export does
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    try:
        write_atomic(out, text.encode("utf-8"))
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out}", file=sys.stderr)
    return 0


# -- text tables --------------------------------------------------------------------------------
def _cut(s: str, width: int) -> str:
    return s if len(s) <= width else s[: max(1, width - 1)] + "…"


def table(first: str, labels: Sequence[str], names: Sequence[str],
          cells: Sequence[Sequence[int]], width: int, extra: Sequence[str] = (),
          last: str = "") -> list[str]:
    """A table: a column of ``labels`` headed ``first``, a column of counts per name (the
    names as headers, or numbers with a legend below when they do not fit in ``width``),
    a ``last`` column if named (e.g. a total), then ``extra`` (one string per line, e.g. a
    bar)."""
    label_w = min(max([len(first), *map(len, labels)]), 40)
    digits = max([len(str(v)) for row in cells for v in row] or [1])
    full = label_w + sum(2 + max(len(n), digits) for n in [*names, last])
    numbered = full > width - 10
    heads = [f"[{i + 1}]" if numbered else n for i, n in enumerate(names)]
    heads += [last] if last else []
    widths = [max(len(h), digits) for h in heads]
    out = ["  ".join([first.ljust(label_w), *(h.rjust(w) for h, w in zip(heads, widths,
                                                                            strict=True))])]
    for i, label in enumerate(labels):
        row = [_cut(label, label_w).ljust(label_w)]
        row += [(str(v) if v else "·").rjust(w) for v, w in zip(cells[i], widths, strict=True)]
        line = "  ".join(row)
        out.append(f"{line}  {extra[i]}" if i < len(extra) else line)
    if numbered:
        out += ["", *(f"[{i + 1}] {n}" for i, n in enumerate(names))]
    return out


def matrix_lines(m: Matrix, width: int) -> list[str]:
    unit = {"article": "article", "source": "source", "month": "month"}[m.by]
    if not m.units:
        return [f"Passages per tag and {unit}: no tagged passages"]
    lines = [f"Passages per tag and {unit} (a passage with several tags counts in each of "
             "their columns, and once under passages)", ""]
    cells = [[*row, m.passages[i]] for i, row in enumerate(m.counts)]
    names = [*m.tags, "passages"]
    label_w = min(40, max(len(u) for u in [*m.units, m.by]))
    digits = len(str(max(m.total, 1)))
    room = width - label_w - sum(2 + max(len(n), digits) for n in names) - 2
    bar_w = max(0, min(20, room))
    top = max(m.passages, default=0)
    bars = [bar(n, top, bar_w).rstrip() for n in m.passages] if bar_w >= 4 else []
    lines += table(unit.upper(), [*m.units, "total"], m.tags,
                   [*cells, [*m.tag_totals, m.total]], width, bars, last="passages")
    lines += ["", "Passages per tag"]
    label_w = min(32, max(len(t) for t in m.tags) if m.tags else 8)
    lines += [f"  {x}" for x in bar_chart(zip(m.tags, m.tag_totals, strict=True),
                                          width=width - 2, label_width=label_w)]
    return lines


def cooccurrence_lines(c: Cooccurrence, width: int) -> list[str]:
    head = (f"Tags together {WITHIN_TITLE[c.within]} (--within {c.within}): off the "
            f"diagonal, {WITHIN_MEANING[c.within]}; on it, {DIAGONAL_MEANING[c.within]}")
    if len(c.tags) < 2:
        return [head, "", "fewer than two tags: nothing falls together"]
    lines = [head, ""]
    lines += table("TAG", c.tags, c.tags, c.counts, width)
    pairs = c.pairs()
    lines += ["", "Pairs, most often together first"]
    if not pairs:
        return [*lines, "  none: no two tags fall together"]
    label_w = min(40, max(len(f"{a} + {b}") for a, b, _ in pairs))
    lines += [f"  {x}" for x in bar_chart(((f"{a} + {b}", n) for a, b, n in pairs),
                                          width=width - 2, label_width=label_w)]
    return lines
