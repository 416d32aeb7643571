"""ExportDialog: choose the format (md / csv / json / w3c) and the file of an export."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from reader.review.export import EXTENSIONS

FORMAT_LABELS = {"md": "Markdown", "csv": "CSV (spreadsheets)", "json": "JSON",
                 "w3c": "W3C Web Annotation (JSON-LD)"}


class ExportDialog(ModalScreen[tuple[str, Path] | None]):
    """Returns (format, path) or None. ``folder``/``stem`` make the default file name."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 76; max-width: 95%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface; }
    ExportDialog Label { margin: 1 0 0 0; }
    ExportDialog RadioSet { width: 100%; }
    ExportDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ExportDialog Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without exporting",
                id="export_cancel"),
    ]

    def __init__(self, count: int, folder: Path, stem: str, fmt: str = "md") -> None:
        super().__init__()
        self.count, self.folder, self.stem, self.fmt = count, folder, stem, fmt

    def default_path(self, fmt: str) -> Path:
        return self.folder / f"{self.stem}{EXTENSIONS[fmt]}"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Export {self.count} passage{'s' if self.count != 1 else ''} "
                        "(what the review shows)", id="export-title")
            with RadioSet(id="export-format"):
                for key, label in FORMAT_LABELS.items():
                    yield RadioButton(label, value=key == self.fmt, name=key)
            yield Label("File (Enter exports):")
            yield Input(str(self.default_path(self.fmt)), id="export-path")
            with Horizontal():
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(RadioSet.Changed)
    def _format_changed(self, event: RadioSet.Changed) -> None:
        new = event.pressed.name or "md"
        path_input = self.query_one("#export-path", Input)
        if path_input.value.strip() == str(self.default_path(self.fmt)):
            path_input.value = str(self.default_path(new))
        self.fmt = new

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._done()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-ok":
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
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
