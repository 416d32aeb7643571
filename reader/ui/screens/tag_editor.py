"""The tag editor: name, colour (palette or #rrggbb), description and cue words of one tag."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.models import Tag
from reader.ui.colours import PALETTE, normalise_colour
from reader.ui.screens.tag_picker import MAX_TAG_NAME, clean_tag_name
from reader.ui.widgets.key_footer import KeyFooter


@dataclass(frozen=True, slots=True)
class TagEdit:
    name: str
    colour: str
    description: str
    cues: tuple[str, ...]


def parse_cues(text: str) -> tuple[str, ...]:
    """Comma- or semicolon-separated cue words/phrases, blanks and duplicates dropped."""
    parts = (" ".join(p.split()) for p in text.replace(";", ",").split(","))
    return tuple(dict.fromkeys(p for p in parts if p))


class TagEditor(ModalScreen[TagEdit | None]):
    """Edit a tag (or a new one when ``tag`` is None). ``focus`` names the field to start in:
    "name", "colour", "description" or "cues". ``taken`` are names already in use."""

    CSS_PATH = "tag_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the tag", id="tag_editor.save"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving",
                id="tag_editor.cancel"),
    ]

    def __init__(self, tag: Tag | None, taken: set[str], *, colour: str = "#e06c75",
                 focus: str = "name") -> None:
        super().__init__()
        self._tag = tag
        self._taken = {n.casefold() for n in taken} - ({tag.name.casefold()} if tag else set())
        self._colour = tag.colour if tag else colour
        self._focus = focus

    def compose(self) -> ComposeResult:
        tag = self._tag
        with Vertical(id="tag-editor") as box:
            box.border_title = f"Edit tag “{tag.name}”" if tag else "New tag"
            yield Label("Name", classes="-first")
            yield Input(tag.name if tag else "", id="tag-editor-name",
                        placeholder="e.g. energy deals", compact=True)
            yield Label("Colour: pick one below or type #rrggbb")
            with Horizontal(id="tag-editor-colour-row"):
                yield Input(self._colour, id="tag-editor-colour", placeholder="#rrggbb",
                            compact=True)
                yield Label("", id="tag-editor-swatch")
            yield OptionList(*[Option(self._palette_prompt(hexa, name), id=hexa)
                               for hexa, name in PALETTE], id="tag-editor-palette",
                             compact=True)
            yield Label("Description")
            yield Input(tag.description if tag else "", id="tag-editor-description",
                        compact=True)
            yield Label("Cue words (comma-separated, any language)")
            yield Input(", ".join(tag.cues) if tag else "", id="tag-editor-cues",
                        placeholder="e.g. sanksi, embargo, sanctions", compact=True)
            yield Label("", id="tag-editor-error")
            with Horizontal(id="tag-editor-buttons"):
                yield Button("Save", variant="primary", id="tag-editor-save", compact=True)
                yield Button("Cancel", id="tag-editor-cancel", compact=True)
        yield KeyFooter()

    @staticmethod
    def _palette_prompt(hexa: str, name: str) -> Text:
        return Text.assemble(("████ ", hexa), f"{name:<10} ", (hexa, "dim"))

    def on_mount(self) -> None:
        self._show_swatch()
        target = {"colour": "#tag-editor-colour", "description": "#tag-editor-description",
                  "cues": "#tag-editor-cues"}.get(self._focus, "#tag-editor-name")
        if self._focus == "colour":
            target = "#tag-editor-palette"
            palette = self.query_one("#tag-editor-palette", OptionList)
            index = next((i for i, (h, _) in enumerate(PALETTE) if h == self._colour), 0)
            palette.highlighted = index
        self.query_one(target).focus()

    def _show_swatch(self) -> None:
        colour = normalise_colour(self.query_one("#tag-editor-colour", Input).value)
        swatch = self.query_one("#tag-editor-swatch", Label)
        if colour is None:
            swatch.update(Text("not a colour", style="italic red"))
        else:
            swatch.update(Text.assemble(("██████", colour), f" {colour}"))

    @on(Input.Changed, "#tag-editor-colour")
    def _colour_typed(self) -> None:
        self._show_swatch()

    @on(OptionList.OptionHighlighted, "#tag-editor-palette")
    @on(OptionList.OptionSelected, "#tag-editor-palette")
    def _colour_picked(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and self.query_one("#tag-editor-palette").has_focus:
            self.query_one("#tag-editor-colour", Input).value = event.option_id

    @on(Input.Submitted)
    @on(Button.Pressed, "#tag-editor-save")
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#tag-editor-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _error(self, message: str) -> None:
        self.query_one("#tag-editor-error", Label).update(Text(message, style="bold red"))
        self.app.bell()

    def action_save(self) -> None:
        name = clean_tag_name(self.query_one("#tag-editor-name", Input).value)
        if not name or len(name) > MAX_TAG_NAME:
            self._error(f"A tag name has 1 to {MAX_TAG_NAME} characters.")
            self.query_one("#tag-editor-name").focus()
            return
        if name.casefold() in self._taken:
            self._error(f"There is already a tag named “{name}”.")
            self.query_one("#tag-editor-name").focus()
            return
        colour = normalise_colour(self.query_one("#tag-editor-colour", Input).value)
        if colour is None:
            self._error("The colour must look like #e06c75 (or a palette name).")
            self.query_one("#tag-editor-colour").focus()
            return
        description = " ".join(self.query_one("#tag-editor-description", Input).value.split())
        cues = parse_cues(self.query_one("#tag-editor-cues", Input).value)
        self.dismiss(TagEdit(name, colour, description, cues))

    def action_cancel(self) -> None:
        self.dismiss(None)
