"""ReviewScreen (``ctrl+r``): every tagged passage across the library, to filter, sort, open,
export; an overview (counts per tag and source, mentions over time) and the orphaned
annotations (re-attach or delete).

The app keeps one instance installed, so leaving it (Esc) and coming back, or opening a
passage and returning with Esc from the article, finds the review as it was left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from reader.annotations.format import AnnotationFileError
from reader.annotations.undo import UndoStep
from reader.annotations.vocabulary import number_keys
from reader.review import export
from reader.review import rows as review
from reader.review.rows import ReviewRow
from reader.ui.messages import AnnotationsChanged, OpenPassage, VocabularyChanged, announce
from reader.ui.screens.coders import shown_coder
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.export_dialog import ExportDialog
from reader.ui.screens.reattach import SentencePicker
from reader.ui.screens.review_overview import (
    DEFAULT_COLOUR,
    NARROW_BELOW,
    ROW_LINES,
    SORT_KEYS,
    clip,
    column_widths,
    columns,
    narrow_cells,
    overview_text,
    row_key,
    slug,
)
from reader.ui.screens.review_tags import definition_line, tag_tree_counts, with_children
from reader.ui.screens.suggestions import open_suggestions
from reader.ui.services import Services
from reader.ui.widgets.key_footer import KeyFooter

SCREEN_NAME = "review"


class ReviewScreen(Screen[None]):
    CSS_PATH = "review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the articles (the review stays as "
                "it is)", id="review_back"),
        Binding("slash", "focus_filter", "Filter", tooltip="Filter the passages by text",
                id="review_filter"),
        Binding("o", "cycle_sort", "Sort", tooltip="Sort by the next column (or click a "
                "column header)", id="review_sort"),
        Binding("O", "reverse_sort", "Reverse", show=False, tooltip="Reverse the sort",
                id="review_reverse"),
        Binding("x", "export", "Export", tooltip="Export the passages shown (md, csv, json, "
                "w3c)", id="review_export"),
        Binding("S", "suggestions", "Suggestions", tooltip="Suggested passages to tag",
                id="review_suggestions"),
        Binding("a", "reattach", "Re-attach", tooltip="Re-attach the orphaned annotation to "
                "a sentence of its article", id="review_reattach"),
        Binding("d", "delete_orphan", "Delete", tooltip="Delete the orphaned annotation",
                id="review_delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last deletion or re-attaching made "
                "here", id="review_undo"),
        Binding("K", "agreement", "Agreement", show=False, tooltip="How far the coders "
                "agree, and where they differ", id="review_agreement"),
        Binding("M", "memos", "Memos", show=False, tooltip="Memos of the tag shown (or of "
                "the passage's tag)", id="review_memos"),
        Binding("A", "analysis", "Analysis", tooltip="The passages shown as tables: per tag "
                "per article, source, month; tags together; CSV", id="review_analysis"),
        Binding("0", "clear_tags", "All tags", show=False, tooltip="Show every tag",
                id="review_all_tags"),
        *[Binding(str(n), f"toggle_tag({n})", f"Tag {n}", show=False,
                  tooltip=f"Show or hide passages with tag {n} (the tag picker's numbers)",
                  id=f"review_tag_{n}") for n in range(1, 10)],
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._numbers: dict[str, str] = {}  # digit -> tag name, as in the tag picker
        self._columns_for = 0
        self.rows: list[ReviewRow] = []
        self.shown: list[ReviewRow] = []
        self.orphans: list[ReviewRow] = []
        self.tags: set[str] = set()  # tag filter (empty: every tag)
        self.text = ""
        self.sort_key = "date"
        self.reverse = False
        self.loaded = False
        self._step: UndoStep | None = None  # the last change made here

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-top"):
            yield Input(placeholder="filter passages by text (/)", id="review-filter")
        yield Static("", id="review-tagbar")
        with TabbedContent(id="review-tabs"):
            with TabPane("Passages", id="tab-passages"):
                yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Overview", id="tab-overview"), VerticalScroll():
                yield Static("", id="review-overview")
            with TabPane("Orphaned", id="tab-orphans"):
                yield DataTable(id="review-orphans", cursor_type="row")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#review-table", DataTable)

    @property
    def orphan_table(self) -> DataTable[str | Text]:
        return self.query_one("#review-orphans", DataTable)

    def _add_columns(self, total: int) -> None:
        self._columns_for = total
        for key, label, width in columns(total):
            self.table.add_column(label, key=key, width=width)

    def on_resize(self) -> None:
        if self.size.width and self.size.width != self._columns_for:
            self.refresh_table(columns=self.size.width)

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width)
        for key, label, width in (("title", "Title", 30), ("quote", "Passage (as saved)", 50),
                                  ("tags", "Tags", 16)):
            self.orphan_table.add_column(label, key=key, width=width)
        self.table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.reload()

    def on_annotations_changed(self, _message: AnnotationsChanged) -> None:
        if self.loaded:
            self.reload()

    def on_vocabulary_changed(self, _message: VocabularyChanged) -> None:
        if self.loaded:
            self.reload()

    # -- loading ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False,
          name="collect the tagged passages")
    def reload(self) -> None:
        s = self.services
        rows, errors = review.collect_with_errors(s.config, store=s.store, library=s.library)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, rows, errors)

    def _loaded(self, rows: list[ReviewRow], errors: Sequence[AnnotationFileError]) -> None:
        first = not self.loaded
        self.loaded = True
        self.rows = [r for r in rows if not r.orphaned]
        self.orphans = [r for r in rows if r.orphaned]
        self.refresh_table()
        self._fill_orphans()
        self._fill_overview()
        if errors and first:
            self.notify("\n".join(f"{e.path}: {e.reason}" for e in errors[:5]),
                        title="Annotation files left out (fix them to see their passages)",
                        severity="error", timeout=12)

    def refresh_table(self, columns: int = 0) -> None:
        """Apply the filters and the sort; keep the cursor on the same passage."""
        table = self.table
        keep: str | None = None
        if self.shown and 0 <= table.cursor_row < len(self.shown):
            keep = row_key(self.shown[table.cursor_row])
        tags = with_children(self.tags, self.rows) if self.tags else None  # parents: children too
        rows = review.filter_rows(self.rows, tags=tags, text=self.text or None)
        rows = [r for r in rows if shown_coder(r.coders, self.services.shown_coders)]
        self.shown = review.sort_rows(rows, self.sort_key, self.reverse)
        table.clear(columns=bool(columns))
        if columns:
            self._add_columns(columns)
        total = self._columns_for
        widths = column_widths(total)
        narrow = total < NARROW_BELOW
        for r in self.shown:
            if narrow:
                article, quote = narrow_cells(r, widths)
                table.add_row(self._tags_cell(r.tags, lines=True), article, quote,
                              key=row_key(r), height=ROW_LINES)
                continue
            table.add_row(self._tags_cell(r.tags), clip(r.title, widths["title"]),
                          clip(r.source, widths["source"]), r.date,
                          clip(r.quote, widths["quote"]), clip(r.note, widths["note"]),
                          key=row_key(r))
        if keep is not None:
            for i, r in enumerate(self.shown):
                if row_key(r) == keep:
                    table.move_cursor(row=i, animate=False)
                    break
        self._fill_tagbar()

    def _tags_cell(self, tags: Sequence[str], *, lines: bool = False) -> Text:
        """The tags in their colours: on one line, or one a line (narrow rows)."""
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, name in enumerate(tags):
            tag = self.services.vocabulary.get(name)
            out.append("" if i == 0 else "\n" if lines else ", ")
            out.append(name, style=f"bold {tag.colour if tag else DEFAULT_COLOUR}")
        return out

    def _fill_tagbar(self) -> None:
        counts = tag_tree_counts(self.rows)  # the hierarchy: a parent, then its children
        numbers = number_keys(self.services.vocabulary.active())  # the tag picker's keys
        self._numbers = {digit: name for name, digit in numbers.items()}
        bar = Text()
        for name, shown, count in counts:
            on_ = not self.tags or name in self.tags
            label = f"{numbers[name]}:{shown} {count}" if name in numbers \
                else f"{shown} {count}"
            bar.append(label, style="bold reverse" if self.tags and on_ else
                       ("" if on_ else "dim"))
            bar.append("  ")
        arrow = "↓" if self.reverse else "↑"
        bar.append(f"· {len(self.shown)} of {len(self.rows)} passages · by {self.sort_key} "
                   f"{arrow}", style="italic")
        definition = definition_line(self.services.vocabulary, sorted(self.tags))
        if definition:
            bar.append(f"\n{clip(definition, 300)}", style="dim")
        self.query_one("#review-tagbar", Static).update(bar)
        pane = self.query_one(TabbedContent).get_tab("tab-orphans")
        pane.label = f"Orphaned ({len(self.orphans)})"

    def _fill_orphans(self) -> None:
        table = self.orphan_table
        table.clear()
        for r in self.orphans:
            table.add_row(clip(r.title or r.article_id, 60), clip(r.quote, 200),
                          ", ".join(r.tags), key=row_key(r))

    def _fill_overview(self) -> None:
        self.query_one("#review-overview", Static).update(
            overview_text(self.rows, len(self.orphans), self.services.vocabulary))

    # -- filters and sorting ---------------------------------------------------------------
    @on(Input.Changed, "#review-filter")
    def _text_changed(self, event: Input.Changed) -> None:
        self.text = event.value.strip()
        self.refresh_table()

    @on(Input.Submitted, "#review-filter")
    def _text_submitted(self) -> None:
        self.table.focus()

    def action_toggle_tag(self, n: int) -> None:
        name = self._numbers.get(str(n))
        if name is None:
            return
        self.tags.symmetric_difference_update({name})
        self.refresh_table()

    def set_tags(self, tags: Sequence[str]) -> None:
        self.tags = set(tags)
        self.refresh_table()

    def action_clear_tags(self) -> None:
        self.tags.clear()
        self.refresh_table()

    def sort_by(self, key: str, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = not self.reverse if key == self.sort_key else False
        self.sort_key, self.reverse = key, reverse
        self.refresh_table()

    @on(DataTable.HeaderSelected, "#review-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    def action_cycle_sort(self) -> None:
        keys = list(SORT_KEYS)
        i = keys.index(self.sort_key) if self.sort_key in keys else -1
        self.sort_by(keys[(i + 1) % len(keys)], reverse=False)

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort_key, reverse=not self.reverse)

    def action_focus_filter(self) -> None:
        self.query_one(TabbedContent).active = "tab-passages"
        self.query_one("#review-filter", Input).focus()

    # -- opening ---------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#review-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self.open_row(self.shown[event.cursor_row])

    def open_row(self, row: ReviewRow) -> None:
        if row.article_missing:
            self.notify("The article of this passage is no longer in the library.",
                        severity="warning")
            return
        announce(self, OpenPassage(row.article_id, row.start, row.end, back_to=SCREEN_NAME))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"{event.worker.name}: {event.worker.error}",
                        title="Something went wrong", severity="error", timeout=10)

    def action_agreement(self) -> None:
        from reader.ui.screens.agreement import open_agreement

        open_agreement(self.app, self.services)

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "review-filter":
            self.table.focus()
            return
        self.app.pop_screen()

    # -- export ----------------------------------------------------------------------------
    def action_export(self) -> None:
        rows = list(self.shown)
        if not rows:
            self.notify("Nothing to export: no passage is shown.", severity="warning")
            return
        parts = [date.today().isoformat()]
        parts += [slug(t) for t in sorted(self.tags)]
        if self.text:
            parts.append(slug(self.text))
        if len(parts) == 1:
            parts.append("all")
        folder = self.services.config.library / "exports"
        stem = "-".join(p for p in parts if p)

        def chosen(answer: tuple[str, Path] | None) -> None:
            if answer is not None:
                self._export(rows, *answer)

        self.app.push_screen(ExportDialog(len(rows), folder, stem), chosen)

    def _export(self, rows: list[ReviewRow], fmt: str, path: Path) -> None:
        label = ", ".join(sorted(self.tags)) or "Tagged passages"
        kwargs = {"title": label} if fmt == "md" else {}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            n = export.save(rows, fmt, path, only_tags=sorted(self.tags) or None, **kwargs)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.notify(f"Could not write {path}: {reason}", severity="error")
            return
        self.notify(f"Exported {n} passage{'s' if n != 1 else ''} to {path}")

    # -- suggestions -----------------------------------------------------------------------
    def action_suggestions(self) -> None:
        open_suggestions(self.app, self.services, sorted(self.tags) or None)

    # -- memos and analysis ----------------------------------------------------------------
    def action_memos(self) -> None:
        from reader.ui.screens.memos import open_tag_memos

        row = self.table.cursor_row
        here = self.shown[row].tags if 0 <= row < len(self.shown) else ()
        open_tag_memos(self.app, self.services, sorted(self.tags) or list(here))

    def action_analysis(self) -> None:
        from reader.ui.screens.analysis import AnalysisScreen

        about = [f"tags {', '.join(sorted(self.tags))}" if self.tags else "",
                 f"text “{self.text}”" if self.text else ""]
        self.app.push_screen(AnalysisScreen(self.shown, "; ".join(a for a in about if a)))

    # -- orphans ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self._step is not None and self.services.store.peek_undo() is self._step
        if action in ("reattach", "delete_orphan"):
            return (self.query_one(TabbedContent).active == "tab-orphans"
                    and bool(self.orphans))
        return True

    def _changed(self, article_id: str, message: str) -> None:
        self._step = self.services.store.peek_undo()
        self.notify(message)
        announce(self, AnnotationsChanged([article_id], "review"))
        self.refresh_bindings()

    def action_undo(self) -> None:
        step = self._step
        if step is None or self.services.store.peek_undo() is not step:
            self.notify("Nothing changed here to undo.")
            return
        try:
            what = self.services.store.undo()
        except (AnnotationFileError, OSError, KeyError, ValueError) as exc:
            self.notify(f"Not undone: {exc}", severity="error")
            return
        self._step = None
        self.notify(f"Undone: {what}")
        announce(self, AnnotationsChanged(step.article_ids, "review"))
        self.refresh_bindings()

    @on(TabbedContent.TabActivated)
    def _tab(self) -> None:
        self.refresh_bindings()

    def _orphan(self) -> ReviewRow | None:
        i = self.orphan_table.cursor_row
        return self.orphans[i] if 0 <= i < len(self.orphans) else None

    def action_delete_orphan(self) -> None:
        row = self._orphan()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                article = self.services.library.load(row.article_id)
                self.services.store.delete(article, row.annotation_id)
            except (AnnotationFileError, OSError, LookupError, ValueError) as exc:
                self.notify(f"Could not delete: {exc}", severity="error")
                return
            self._changed(row.article_id, f"Deleted the orphaned annotation "
                          f"“{clip(row.quote, 40)}” (u undoes)")

        self.app.push_screen(ConfirmDialog(f"Delete the orphaned annotation "
                                           f"“{clip(row.quote, 60)}”?", yes="Delete"),
                             answered)

    def action_reattach(self) -> None:
        row = self._orphan()
        if row is None:
            return
        try:
            article = self.services.library.load(row.article_id)
        except (LookupError, OSError) as exc:
            self.notify(f"Cannot open the article: {exc}", severity="error")
            return

        def chosen(span: tuple[int, int] | None) -> None:
            if span is None:
                return
            try:
                self.services.store.reattach(article, row.annotation_id, *span)
            except (AnnotationFileError, OSError, LookupError, ValueError) as exc:
                self.notify(f"Could not re-attach: {exc}", severity="error")
                return
            self._changed(row.article_id, f"Re-attached “{clip(row.quote, 40)}” (u undoes)")

        selection = self.services.reading.selection_in(article.id)
        if selection:
            start, end = selection
            quote = clip(article.text[start:end], 60)

            def use_selection(yes: bool | None) -> None:
                if yes:
                    chosen((start, end))
                else:
                    self.app.push_screen(SentencePicker(article, row.quote), chosen)

            self.app.push_screen(ConfirmDialog(
                f"Re-attach “{clip(row.quote, 50)}” to the selection in the article: "
                f"“{quote}”? (No: choose a sentence)", yes="Use the selection"),
                use_selection)
            return
        self.app.push_screen(SentencePicker(article, row.quote), chosen)
