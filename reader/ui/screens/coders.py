"""Who is coding (asked once, remembered) and whose passages are shown."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.annotations import coders
from reader.annotations.format import coder_name_problem
from reader.ui.messages import AnnotationsChanged, announce
from reader.ui.services import Services
from reader.ui.widgets.key_footer import KeyFooter


def shown_coder(names: Sequence[str], shown: Sequence[str]) -> bool:
    """Whether a passage coded by ``names`` is shown when ``shown`` are chosen (none: all)."""
    if not shown:
        return True
    wanted = {c.casefold() for c in shown}
    return any(c.casefold() in wanted for c in (names or (coders.UNKNOWN,)))


class CoderDialog(ModalScreen[str | None]):
    """Asks who is coding; returns the name (checked), or None when cancelled."""

    CSS_PATH = "coders.tcss"
    BINDINGS = [Binding("escape", "cancel", "Later", tooltip="Tag without a name for now "
                        "(passages of an unknown coder)", id="coder_dialog.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="coders-dialog"):
            yield Label("Who is coding?", classes="coders-title")
            yield Label("Your name is recorded on each passage you tag, so several coders can "
                        "share a library and compare their coding. Asked once: it is saved "
                        "in your settings (reader coder NAME changes it).",
                        classes="coders-hint")
            yield Input(placeholder="your name", id="coder-name")
            yield Label("", id="coder-problem", classes="coders-problem")
        yield KeyFooter()

    @on(Input.Submitted, "#coder-name")
    def _submitted(self, event: Input.Submitted) -> None:
        problem = coder_name_problem(event.value)
        if problem:
            self.query_one("#coder-problem", Label).update(problem)
            return
        self.dismiss(coders.clean(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CoderFilterDialog(ModalScreen[tuple[str, ...] | None]):
    """Whose passages to show: names separated by commas, none for every coder."""

    CSS_PATH = "coders.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Keep the coders shown",
                        id="coder_filter.cancel")]

    def __init__(self, known: Sequence[str], shown: Sequence[str]) -> None:
        super().__init__()
        self.known = list(known)
        self.shown = list(shown)

    def compose(self) -> ComposeResult:
        with Vertical(classes="coders-dialog"):
            yield Label("Show the passages of", classes="coders-title")
            yield Label(f"Coders: {', '.join(self.known) or 'none yet'}. Names separated by "
                        "commas; empty: every coder.", classes="coders-hint")
            yield Input(", ".join(self.shown), placeholder="every coder", id="coder-filter")
        yield KeyFooter()

    @on(Input.Submitted, "#coder-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        names = [" ".join(n.split()) for n in event.value.split(",")]
        self.dismiss(tuple(n for n in names if n))

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_coder(app: App[Any], services: Services) -> None:
    """Ask who is coding (once: the answer is saved in the user's settings)."""

    def chosen(name: str | None) -> None:
        if name is None:
            app.notify("Passages you tag are saved without a coder's name (reader coder NAME "
                       "sets it).", severity="warning")
            return
        services.store.coder = name
        try:
            coders.remember(name)
        except (OSError, ValueError) as exc:
            app.notify(f"Coding as {name} (not remembered: {exc})", severity="warning")
            return
        app.notify(f"Coding as {name}")

    app.push_screen(CoderDialog(), chosen)


def coder_commands(app: App[Any], services: Services) -> Iterator[SystemCommand]:
    """The palette's coder commands."""

    def choose() -> None:
        def shown(names: tuple[str, ...] | None) -> None:
            if names is None:
                return
            services.shown_coders = names
            app.notify(f"Showing the passages of {', '.join(names)}" if names
                       else "Showing every coder's passages")
            announce(app, AnnotationsChanged(ids, "coders"))  # every view redraws

        found = [f for _, f in services.store.iter_all() if f.error is None]
        ids = [f.article_id for f in found]
        known = sorted({c for f in found for a in f.annotations for c in coders.of(a)},
                       key=str.casefold)
        app.push_screen(CoderFilterDialog(known, services.shown_coders), shown)

    def agreement() -> None:
        from reader.ui.screens.agreement import open_agreement

        open_agreement(app, services)

    yield SystemCommand("Show coders…", "Whose passages the reading view and the review "
                        "show (one, several or every coder)", choose)
    yield SystemCommand("Agreement between coders", "Krippendorff's alpha, Cohen's kappa "
                        "and the sentences where coders differ (A in review)", agreement)
    yield SystemCommand("Who is coding…", f"Now: {services.store.coder or 'nobody named'}",
                        lambda: ask_coder(app, services))
