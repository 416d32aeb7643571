"""The agreement view (``A`` in review): how far the coders agree, per tag and overall, and
the sentences where they differ; each opens in context, and is resolved into the agreed
reading (keep A's, keep B's, both, neither), undoably."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader.annotations.coders import AGREED
from reader.annotations.format import AnnotationFileError
from reader.review.agreement import Agreement, covers, has_tag
from reader.review.coded import Coded, collect, figure_lines, measure
from reader.review.resolve import Case, cases, resolve
from reader.ui.messages import AnnotationsChanged, OpenPassage, announce
from reader.ui.services import Services
from reader.ui.widgets.key_footer import KeyFooter

SCREEN_NAME = "agreement"
ERRORS = (AnnotationFileError, OSError, KeyError, ValueError, LookupError)


def open_agreement(app: App[Any], services: Services) -> None:
    """Show the agreement view (installed once, so Esc from a case comes back to it)."""
    if not app.is_screen_installed(SCREEN_NAME):
        app.install_screen(AgreementScreen(services), SCREEN_NAME)
    screen = app.get_screen(SCREEN_NAME)
    if screen in app.screen_stack:
        while app.screen is not screen:
            app.pop_screen()
        return
    app.push_screen(SCREEN_NAME)
    if isinstance(screen, AgreementScreen) and screen.loaded:
        screen.reload()


def agreed_tags(coded: Coded, case: Case) -> tuple[str, ...]:
    """The disputed tags the agreed record gives the sentence."""
    art = next((a for a in coded.articles if a.id == case.article_id), None)
    if art is None:
        return ()
    out: list[str] = []
    for p in art.coders.get(AGREED, ()):
        if covers(art.text, (p.start, p.end), (case.start, case.end)):
            out += [t for t in case.tags if has_tag(p.tags, t) and t not in out]
    return tuple(out)


COLUMN = 12  # a coder's column


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class AgreementScreen(Screen[None]):
    CSS_PATH = "agreement.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the review", id="agreement_back"),
        Binding("enter", "open", "Open", tooltip="Open the sentence in its article",
                id="agreement_open"),
        Binding("a", "keep('a')", "Keep A's", tooltip="The agreed reading is the first "
                "coder's", id="agreement_keep_a"),
        Binding("b", "keep('b')", "Keep B's", tooltip="The agreed reading is the second "
                "coder's", id="agreement_keep_b"),
        Binding("o", "keep('both')", "Both", tooltip="The agreed reading has both coders' "
                "tags", id="agreement_both"),
        Binding("n", "keep('neither')", "Neither", tooltip="The agreed reading has none of "
                "the disputed tags", id="agreement_neither"),
        Binding("u", "undo", "Undo", tooltip="Undo the last resolution made here",
                id="agreement_undo"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.loaded = False
        self.coded = Coded()
        self.result: Agreement | None = None
        self.cases: list[Case] = []
        self._step: object | None = None

    _sentence_width = 60

    def compose(self) -> ComposeResult:
        yield Static("Measuring…", id="agreement-figures")
        yield DataTable(id="agreement-cases", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#agreement-cases", DataTable)

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False,
          name="measure the agreement")
    def reload(self) -> None:
        s = self.services
        coded = collect(s.config, store=s.store)
        chosen = s.shown_coders if len(s.shown_coders) >= 2 else None
        result = measure(coded, chosen)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, coded, result)

    def _loaded(self, coded: Coded, result: Agreement) -> None:
        self.loaded = True
        self.coded, self.result = coded, result
        self.cases = cases(result.disagreements, result.coders)
        lines = figure_lines(result)
        if not result.articles:
            lines.append("No article was coded by two coders yet: nothing to compare.")
        lines.append(f"Sentences where they differ: {len(self.cases)}")
        self.query_one("#agreement-figures", Static).update("\n".join(lines))
        table = self.table
        row = table.cursor_row
        table.clear(columns=True)
        # Every column narrow enough that the sentence keeps room at 80 columns; a cut
        # cell ends in an ellipsis.
        fixed = {"Article": 10, **{c: COLUMN for c in result.coders}, AGREED: 10}
        for label, width in fixed.items():
            table.add_column(_clip(label, width), width=width, key=label)
        rest = self.app.size.width - sum(w + 2 for w in fixed.values()) - 4
        self._sentence_width = max(24, rest)
        table.add_column("Sentence", width=self._sentence_width, key="sentence")
        for case in self.cases:
            table.add_row(*self._cells(case))
        if self.cases:
            table.move_cursor(row=min(max(row, 0), len(self.cases) - 1))
        table.focus()

    def _cells(self, case: Case) -> list[str]:
        readings = dict(case.readings)
        assert self.result is not None
        return [_clip(case.article_id, 10),
                *(_clip(", ".join(readings[c]) or "—", COLUMN) if c in readings else ""
                  for c in self.result.coders),
                _clip(", ".join(agreed_tags(self.coded, case)) or "·", 10),
                _clip(" ".join(case.text.split()), self._sentence_width)]

    def _case(self) -> Case | None:
        i = self.table.cursor_row
        return self.cases[i] if 0 <= i < len(self.cases) else None

    @on(DataTable.RowSelected, "#agreement-cases")
    def action_open(self) -> None:
        case = self._case()
        if case is not None:
            announce(self, OpenPassage(case.article_id, case.start, case.end,
                                       back_to=SCREEN_NAME))

    def action_keep(self, which: str) -> None:
        case = self._case()
        if case is None or self.result is None:
            return
        coders = list(self.result.coders)
        keep = {"a": coders[:1], "b": coders[1:2], "both": coders[:2], "neither": []}[which]
        try:
            article = self.services.library.load(case.article_id)
            done = resolve(self.services.store, article, case, keep)
        except ERRORS as exc:
            self.notify(f"Not saved: {exc}", severity="error")
            return
        self._step = self.services.store.peek_undo()
        self.notify(done)
        announce(self, AnnotationsChanged([case.article_id], SCREEN_NAME))
        self.reload()

    def action_undo(self) -> None:
        step = self._step
        if step is None or self.services.store.peek_undo() is not step:
            self.notify("Nothing resolved here to undo.")
            return
        try:
            what = self.services.store.undo()
        except ERRORS as exc:
            self.notify(f"Not undone: {exc}", severity="error")
            return
        self._step = None
        self.notify(f"Undone: {what}")
        case = self._case()
        announce(self, AnnotationsChanged([case.article_id] if case else [], SCREEN_NAME))
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"{event.worker.name}: {event.worker.error}",
                        title="Something went wrong", severity="error", timeout=10)
