"""AnalysisScreen (``A`` in review): the passages shown in review as tables for analysis:
passages per tag per article, per source or per month (``a``, ``s``, ``m``), and how often
two tags fall together (``c``; ``w`` cycles on the same passage, on overlapping passages, in
the same article), each with a bar chart; ``x`` writes the table shown as CSV (the same
file ``reader overview --matrix --format csv`` writes).

The tables are :mod:`reader.review.matrix`'s, over the rows review shows (its tag and text
filters apply).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from reader.review import matrix as mx
from reader.review.export import write_atomic
from reader.review.rows import ReviewRow, bar, bar_chart
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.input_dialog import InputDialog

VIEWS = ("article", "source", "month", "cooccurrence")
CELL_BAR = 6  # cells of the bar beside each count
LABEL_WIDTH = 30


def csv_name(view: str, within: str) -> str:
    return (f"cooccurrence-{within}.csv" if view == "cooccurrence"
            else f"matrix-by-{view}.csv")


class AnalysisScreen(Screen[None]):
    CSS_PATH = "analysis.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to review", id="analysis.back"),
        Binding("a", "view('article')", "Articles", tooltip="Passages per tag per article",
                id="analysis.by_article"),
        Binding("s", "view('source')", "Sources", tooltip="Passages per tag per source",
                id="analysis.by_source"),
        Binding("m", "view('month')", "Months", tooltip="Passages per tag per month",
                id="analysis.by_month"),
        Binding("c", "view('cooccurrence')", "Together", tooltip="How often two tags fall "
                "together", id="analysis.cooccurrence"),
        Binding("w", "cycle_within", "Within", tooltip="Together on one passage, on "
                "overlapping passages, in one article (cycles)", id="analysis.within"),
        Binding("x", "export", "CSV", tooltip="Write the table shown as CSV",
                id="analysis.export"),
    ]

    def __init__(self, rows: Sequence[ReviewRow], about: str = "") -> None:
        super().__init__()
        self.rows = list(rows)
        self.about = about  # what the rows are (review's filters), for the heading
        self.view = "article"
        self.within: mx.Within = "overlap"
        self.matrix: mx.Matrix | None = None
        self.cooccurrence: mx.Cooccurrence | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="analysis-heading")
        yield DataTable(id="analysis-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="analysis-chart-box"):
            yield Static("", id="analysis-chart")
        yield Footer(compact=True)

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#analysis-table", DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cycle_within":
            return self.view == "cooccurrence" or None
        return True

    # -- the tables --------------------------------------------------------------------------
    def show(self) -> None:
        table = self.table
        table.clear(columns=True)
        if self.view == "cooccurrence":
            self.matrix, self.cooccurrence = None, mx.cooccurrence(self.rows, self.within)
            self._show_cooccurrence(self.cooccurrence)
        else:
            by: mx.By = "article" if self.view == "article" else \
                "source" if self.view == "source" else "month"
            self.cooccurrence, self.matrix = None, mx.matrix(self.rows, by)
            self._show_matrix(self.matrix)
        self.refresh_bindings()

    def _heading(self, text: str) -> None:
        about = f" ({self.about})" if self.about else ""
        self.query_one("#analysis-heading", Label).update(
            Text(f"{text} · {len(self.rows)} passage(s) shown in review{about}"))

    def _chart(self, title: str, items: list[tuple[str, int]]) -> None:
        width = max(40, min(self.app.size.width - 4, 120))
        label_width = min(max((len(name) for name, _ in items), default=1), width // 2)
        lines = bar_chart(items, width=width, label_width=label_width)
        self.query_one("#analysis-chart", Static).update(
            Text("\n".join([title, *lines]) if lines else "Nothing to chart."))

    def _show_matrix(self, m: mx.Matrix) -> None:
        table = self.table
        lead = {"article": "Article", "source": "Source", "month": "Month"}[m.by]
        rest = sum(len(t) + 2 for t in m.tags) + CELL_BAR + 10
        table.add_column(lead, key="unit", width=max(LABEL_WIDTH // 2, min(
            2 * LABEL_WIDTH, self.app.size.width - rest - 4)))
        for t in m.tags:
            table.add_column(Text(t), key=f"tag:{t}")
        table.add_column("Passages", key="passages")
        top = max(m.passages, default=0)
        for i, unit in enumerate(m.units):
            label = m.articles[unit].title or unit if m.by == "article" else unit
            cells: list[str | Text] = [Text(label)]
            cells += [Text(str(n) if n else "·", justify="right") for n in m.counts[i]]
            cells.append(Text(f"{bar(m.passages[i], top, CELL_BAR)} {m.passages[i]}"))
            table.add_row(*cells, key=unit)
        if m.units:
            table.add_row(Text("total", style="bold"),
                          *[Text(str(n), justify="right", style="bold") for n in m.tag_totals],
                          Text(f"{' ' * CELL_BAR} {m.total}", style="bold"), key="(total)")
        self._heading(f"Passages per tag per {m.by}: {len(m.units)} {m.by}(s), "
                      f"{len(m.tags)} tag(s)")
        self._chart("Passages per tag", list(zip(m.tags, m.tag_totals, strict=True)))

    def _show_cooccurrence(self, c: mx.Cooccurrence) -> None:
        table = self.table
        table.add_column("Tag", key="tag", width=LABEL_WIDTH)
        for t in c.tags:
            table.add_column(Text(t), key=f"tag:{t}")
        for i, t in enumerate(c.tags):
            table.add_row(Text(t), *[Text(str(n) if n else "·", justify="right",
                                          style="bold" if i == j else "")
                                     for j, n in enumerate(c.counts[i])], key=t)
        self._heading(f"Tags together {mx.WITHIN_TITLE[c.within]} (w changes): "
                      f"{mx.WITHIN_MEANING[c.within]}; the diagonal: "
                      f"{mx.DIAGONAL_MEANING[c.within]}")
        self._chart(f"Pairs of tags {mx.WITHIN_TITLE[c.within]}",
                    [(f"{a} + {b}", n) for a, b, n in c.pairs()])

    # -- actions -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_view(self, view: str) -> None:
        if view in VIEWS:
            self.view = view
            self.show()

    def action_cycle_within(self) -> None:
        order = mx.WITHIN
        self.within = order[(order.index(self.within) + 1) % len(order)]
        self.show()

    def csv_text(self) -> str:
        if self.cooccurrence is not None:
            return mx.cooccurrence_csv(self.cooccurrence)
        assert self.matrix is not None
        return mx.matrix_csv(self.matrix)

    def action_export(self) -> None:
        text = self.csv_text()

        def chosen(value: str | None) -> None:
            if not value:
                return
            path = Path(value).expanduser()
            if path.is_dir():
                path = path / csv_name(self.view, self.within)
            if path.exists():
                self.app.push_screen(ConfirmDialog(f"{path} exists: replace it?",
                                                   yes="Replace"),
                                     lambda yes: self._write(path, text) if yes else None)
                return
            self._write(path, text)

        self.app.push_screen(InputDialog("Write the table shown as CSV to",
                                         str(Path.cwd() / csv_name(self.view, self.within)),
                                         hint="Enter to write (UTF-8, opens in a "
                                         "spreadsheet or R) · Esc to cancel"), chosen)

    def _write(self, path: Path, text: str) -> None:
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as exc:
            self.notify(f"Not written: {path}: {exc.strerror or exc}", severity="error")
            return
        self.notify(f"Wrote {path}", timeout=6)
