"""ExportDialog: choose the format (md / csv / json / w3c) and the file of an export.

The format list has the focus first: ↑/↓ choose (the chosen one is marked ``(●)``, not by
colour alone), Enter exports in the chosen format from anywhere in the dialog, Tab goes to the
file name (its text is not selected, so typing edits it rather than replacing it)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from reader.review.export import EXTENSIONS
from reader.ui.widgets.key_footer import KeyFooter

FORMAT_LABELS = {"md": "Markdown", "csv": "CSV (spreadsheets)", "json": "JSON",
                 "w3c": "W3C Web Annotation (JSON-LD)"}


class FormatButton(RadioButton):
    """A format: ``(●)`` when chosen, ``( )`` when not."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--label")
        return Content.styled(f"({'●' if self.value else ' '})", style)


class FormatChoice(RadioSet, inherit_bindings=False):
    """A radio set whose arrows choose (as a radio group does), Enter left to the dialog."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "choose(1)", "Next format", show=False,
                tooltip="Choose the next format", id="export.next_format"),
        Binding("up,left", "choose(-1)", "Previous format", show=False,
                tooltip="Choose the previous format", id="export.previous_format"),
    ]

    def action_choose(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        self.action_toggle_button()


class ExportDialog(ModalScreen[tuple[str, Path] | None]):
    """Returns (format, path) or None. ``folder``/``stem`` make the default file name."""

    CSS_PATH = "export_dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "export", "Export", tooltip="Export in the chosen format",
                id="export_ok"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without exporting",
                id="export_cancel"),
    ]

    def __init__(self, count: int, folder: Path, stem: str, fmt: str = "md") -> None:
        super().__init__()
        self.count, self.folder, self.stem, self.fmt = count, folder, stem, fmt

    def default_path(self, fmt: str) -> Path:
        return self.folder / f"{self.stem}{EXTENSIONS[fmt]}"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = (f"Export {self.count} passage{'s' if self.count != 1 else ''}"
                                " (what the review shows)")
            yield Label("Format (↑ ↓):", id="export-format-label")
            with FormatChoice(id="export-format"):
                for key, label in FORMAT_LABELS.items():
                    yield FormatButton(label, value=key == self.fmt, name=key)
            yield Label("File (Tab):")
            yield Input(str(self.default_path(self.fmt)), id="export-path",
                        select_on_focus=False)
            with Horizontal():
                yield Button("Export", variant="primary", id="export-ok", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(FormatChoice).focus()

    @on(RadioSet.Changed)
    def _format_changed(self, event: RadioSet.Changed) -> None:
        new = event.pressed.name or "md"
        path_input = self.query_one("#export-path", Input)
        if path_input.value.strip() == str(self.default_path(self.fmt)):
            path_input.value = str(self.default_path(new))
            path_input.cursor_position = len(path_input.value)  # typing goes at its end
        self.fmt = new

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-ok":
            self.action_export()
        else:
            self.dismiss(None)

    def action_export(self) -> None:
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self.notify("Give a file name.", severity="warning")
            return
        path = Path(value).expanduser()
        if path.is_dir():
            path = path / self.default_path(self.fmt).name
        self.dismiss((self.fmt, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
