"""The tag picker: choose one or more tags for a passage, in a keystroke or two.

Number keys 1-9 toggle a tag at once (while the filter is empty), typing filters the list,
Enter on a name that matches no tag creates it, Enter on an empty filter applies. The tags
show as a tree (``parent/child`` names, children indented under their parents; a parent that
is no tag of its own is a line that cannot be ticked); filtering keeps the parents of what it
finds. The highlighted tag's definition shows under the list.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.annotations import hierarchy
from reader.annotations.vocabulary import Vocabulary
from reader.models import Tag
from reader.ui.colours import next_free_colour

NEW_OPTION = "\x00new"  # option id of the "create tag" entry; never a tag name
NODE_OPTION = "\x00node:"  # option id prefix of a parent that is not a tag
QUOTE_CHARS = 160
MAX_TAG_NAME = 60


def truncate(text: str, limit: int = QUOTE_CHARS) -> str:
    """One line, at most ``limit`` characters, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def clean_tag_name(text: str) -> str:
    return " ".join(text.split())


def number_keys(tags: Iterable[Tag]) -> dict[str, str]:
    """Tag name -> digit "1".."9": a tag's own ``key`` when it is a free digit, then the
    lowest free digits in vocabulary order. Tags beyond nine get no digit."""
    tags = list(tags)
    out: dict[str, str] = {}
    used: set[str] = set()
    for tag in tags:
        if len(tag.key) == 1 and tag.key in "123456789" and tag.key not in used:
            out[tag.name] = tag.key
            used.add(tag.key)
    free = [d for d in "123456789" if d not in used]
    for tag in tags:
        if tag.name not in out and free:
            out[tag.name] = free.pop(0)
    return out


class FilterInput(Input):
    """An Input that lets digits and space through to the picker while it is empty, so
    1-9 toggle tags and space toggles the highlighted one."""

    def _passes_through(self, character: str | None) -> bool:
        return not self.value and character is not None and character in "123456789 "

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if self._passes_through(character):
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if self._passes_through(event.character):
            event.prevent_default()  # skip Input's own handler; the key bubbles to the bindings
            return
        await super()._on_key(event)


class TagPicker(ModalScreen[list[str] | None]):
    """Returns the chosen tag names (vocabulary order), or None when cancelled."""

    CSS_PATH = "tag_picker.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing tags",
                id="tag_picker.cancel"),
        Binding("ctrl+s", "apply", "Apply", tooltip="Apply the ticked tags",
                id="tag_picker.apply"),
        Binding("down", "cursor(1)", "Down", show=False, tooltip="Highlight the next tag",
                id="tag_picker.down"),
        Binding("up", "cursor(-1)", "Up", show=False, tooltip="Highlight the previous tag",
                id="tag_picker.up"),
        Binding("space", "toggle_highlighted", "Toggle", show=False,
                tooltip="Tick or untick the highlighted tag", id="tag_picker.toggle"),
        *[Binding(d, f"toggle_number('{d}')", f"Tag {d}", show=False,
                  tooltip=f"Tick or untick tag number {d}", id=f"tag_picker.number_{d}")
          for d in "123456789"],
    ]

    def __init__(self, vocabulary: Vocabulary, selected: Iterable[str] = (),
                 quote: str = "", *, title: str = "Tag passage",
                 allow_empty: bool = False) -> None:
        """``allow_empty``: applying with no tag ticked returns ``[]`` (a note follows)."""
        super().__init__()
        self._allow_empty = allow_empty
        self._vocabulary = vocabulary
        self._initial = list(dict.fromkeys(selected))
        self._selected: set[str] = set(self._initial)
        self._quote = quote
        self._title = title
        self._new: dict[str, str] = {}  # name -> colour of tags created here (saved on apply)
        self._numbers = number_keys(vocabulary.active())

    # -- composition -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="tag-picker"):
            yield Label(self._title, id="tag-picker-title")
            if self._quote:
                yield Label(f"“{truncate(self._quote)}”", id="tag-picker-quote")
            yield FilterInput(placeholder="Type to filter, or a new tag name",
                              id="tag-picker-filter")
            yield OptionList(id="tag-picker-list")
            yield Label("", id="tag-picker-definition")
            yield Label("", id="tag-picker-selected")
            then = "Enter: on to the note" if self._allow_empty else "Enter apply"
            yield Label(f"1-9 toggle · type to filter/create · {then} · Esc cancel",
                        id="tag-picker-hint")
            with Horizontal(id="tag-picker-buttons"):
                yield Button("Apply", variant="primary", id="tag-picker-apply")
                yield Button("Cancel", id="tag-picker-cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._refresh_list()
        self.query_one(FilterInput).focus()

    # -- data --------------------------------------------------------------------------
    def _all_tags(self) -> list[Tag]:
        """Active tags, then selected tags that are retired or unknown, then new ones."""
        tags = list(self._vocabulary.active())
        names = {t.name for t in tags}
        for name in self._initial:
            if name not in names:
                tag = self._vocabulary.get(name)
                tags.append(tag if tag is not None else Tag(name, "#888888", retired=True))
                names.add(name)
        for name, colour in self._new.items():
            if name not in names:
                tags.append(Tag(name, colour))
        return tags

    def _find(self, name: str) -> Tag | None:
        key = name.casefold()
        for tag in self._all_tags():
            if tag.name.casefold() == key:
                return tag
        return next((t for t in self._vocabulary.tags if t.name.casefold() == key), None)

    def _matches(self, text: str) -> list[Tag]:
        """The tags whose name holds ``text``, best first (its start, a level's start)."""
        key = text.casefold()
        tags = self._all_tags()
        if not key:
            return tags
        prefix = [t for t in tags if t.name.casefold().startswith(key)]
        level = [t for t in tags if t not in prefix
                 and any(p.casefold().startswith(key) for p in hierarchy.parts(t.name))]
        inside = [t for t in tags if key in t.name.casefold() and t not in prefix + level]
        return prefix + level + inside

    def _tree(self, matches: list[Tag]) -> list[tuple[hierarchy.Node, Tag | None]]:
        """``matches`` as a tree in vocabulary order, with the parents of each (a parent not
        among them: ``None``, a line that cannot be ticked)."""
        by_name = {t.name.casefold(): t for t in matches}
        names = [t.name for t in self._all_tags() if t.name.casefold() in by_name]
        return [(n, by_name.get(n.path.casefold())) for n in hierarchy.tree(names)]

    def chosen(self) -> list[str]:
        """The ticked tags in display (vocabulary) order."""
        return [t.name for t in self._all_tags() if t.name in self._selected]

    # -- rendering ---------------------------------------------------------------------
    def _prompt(self, tag: Tag, depth: int = 0) -> Text:
        ticked = tag.name in self._selected
        text = Text()
        text.append("[x] " if ticked else "[ ] ", style="bold" if ticked else "dim")
        text.append(f"{self._numbers.get(tag.name, ' ')} ", style="bold")
        text.append("  " * depth)
        text.append("██ ", style=tag.colour)
        text.append(hierarchy.leaf(tag.name) if depth else tag.name,
                    style="bold" if ticked else "")
        if tag.name in self._new:
            text.append("  new", style="italic green")
        elif tag.retired:
            text.append("  retired", style="italic dim")
        if tag.description:
            text.append(f"  {truncate(tag.description, 50)}", style="dim")
        return text

    def _refresh_list(self, keep_highlight: bool = False) -> None:
        option_list = self.query_one(OptionList)
        old = option_list.highlighted
        typed = clean_tag_name(self.query_one(FilterInput).value)
        matches = self._matches(typed)
        options = []
        for node, tag in self._tree(matches):
            if tag is None:
                label = Text.assemble("      ", "  " * node.depth, (node.label, "dim italic"))
                options.append(Option(label, id=NODE_OPTION + node.path, disabled=True))
            else:
                options.append(Option(self._prompt(tag, node.depth), id=tag.name))
        best = next((i for i, o in enumerate(options) if matches and o.id == matches[0].name),
                    0)
        if typed and self._find(typed) is None:
            label = Text.assemble(("+ ", "bold green"), "Create tag ",
                                  (f"“{typed}”", "bold"), ("  Enter", "dim"))
            options.append(Option(label, id=NEW_OPTION))
        option_list.set_options(options)
        if options:
            if keep_highlight and old is not None:
                option_list.highlighted = min(old, len(options) - 1)
            else:
                option_list.highlighted = best
        chosen = self.chosen()
        none = "No tag selected (tags are optional with a note)" if self._allow_empty \
            else "No tag selected"
        summary = "Selected: " + ", ".join(chosen) if chosen else none
        self.query_one("#tag-picker-selected", Label).update(summary)

    def _show_definition(self, name: str | None) -> None:
        tag = self._find(name) if name and not name.startswith("\x00") else None
        parts = []
        if tag is not None:
            if tag.description:
                parts.append(tag.description)
            if tag.include:
                parts.append(f"Include: {tag.include}")
            if tag.exclude:
                parts.append(f"Exclude: {tag.exclude}")
            if tag.example is not None:
                parts.append(f"Example: {tag.example[0]} · passage {tag.example[1]}")
        if tag is not None and len(parts) == 1 and len(tag.description) <= 50:
            parts = []  # a short description alone: the tag's line shows it already
        label = self.query_one("#tag-picker-definition", Label)
        label.update("\n".join(truncate(p, 200) for p in parts))
        label.display = bool(parts)

    @on(OptionList.OptionHighlighted, "#tag-picker-list")
    def _option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_definition(event.option_id)

    # -- changes -----------------------------------------------------------------------
    def toggle(self, name: str) -> None:
        if name in self._selected:
            self._selected.discard(name)
        else:
            self._selected.add(name)
        self._refresh_list(keep_highlight=True)

    def _create(self, typed: str) -> None:
        name = clean_tag_name(typed)
        if not name or len(name) > MAX_TAG_NAME:
            self.notify(f"A tag name has 1 to {MAX_TAG_NAME} characters.", severity="warning")
            return
        existing = self._find(name)
        if existing is not None:
            if existing.retired and existing.name not in self._initial:
                self.notify(f"Tag “{existing.name}” is retired; restore it in Manage tags.",
                            severity="warning")
                return
            self._selected.add(existing.name)
        else:
            used = [t.colour for t in self._vocabulary.tags] + list(self._new.values())
            self._new[name] = next_free_colour(used)
            self._selected.add(name)
        self.query_one(FilterInput).value = ""  # triggers a refresh

    # -- events and actions ------------------------------------------------------------
    @on(Input.Changed, "#tag-picker-filter")
    def _filter_changed(self) -> None:
        self._refresh_list()

    @on(Input.Submitted, "#tag-picker-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = clean_tag_name(event.value)
        if not typed:
            self.action_apply()
            return
        exact = self._find(typed)
        if exact is not None:
            self._create(exact.name)
            return
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id in (None, NEW_OPTION) or option.id.startswith(NODE_OPTION):
            self._create(typed)
        else:
            self._create(option.id)

    @on(OptionList.OptionSelected, "#tag-picker-list")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id == NEW_OPTION:
            self._create(self.query_one(FilterInput).value)
        elif event.option_id is not None and not event.option_id.startswith(NODE_OPTION):
            self.toggle(event.option_id)

    @on(Button.Pressed, "#tag-picker-apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#tag-picker-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cursor(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_toggle_highlighted(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if (option is not None and option.id not in (None, NEW_OPTION)
                and not option.id.startswith(NODE_OPTION)):
            self.toggle(option.id)

    def action_toggle_number(self, digit: str) -> None:
        name = next((n for n, d in self._numbers.items() if d == digit), None)
        if name is None:
            self.app.bell()
            return
        self.toggle(name)

    def action_apply(self) -> None:
        gone = sorted(n for n in self._selected
                      if n not in self._new and n not in self._initial and self._find(n) is None)
        if gone:  # renamed or removed in another reader or terminal while the picker was open
            self._selected.difference_update(gone)
            self._refresh_list()
            names = ", ".join(f"“{n}”" for n in gone)
            self.notify(f"{names}: not in the vocabulary any more (renamed or removed "
                        "elsewhere), so not saved. Choose again.", severity="warning")
            return
        chosen = self.chosen()
        if not chosen and not self._initial and not self._allow_empty:
            self.notify("Choose a tag first: 1-9, or type a name and press Enter.",
                        severity="warning")
            return
        for name in chosen:
            if name in self._new:
                try:
                    self._vocabulary.add(name, colour=self._new[name])
                except (ValueError, OSError) as exc:
                    self.notify(f"Could not add tag “{name}”: {exc}", severity="error")
                    return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
