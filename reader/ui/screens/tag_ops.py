"""Dialogs of Manage tags for the hierarchy: a name to move under or merge into, a tag's
definition, and the passages a split takes to a new tag (ticked one by one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList

from reader.models import Tag
from reader.ui.screens.tag_picker import clean_tag_name, truncate
from reader.ui.widgets.key_footer import KeyFooter

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 80; max-width: 95%; height: auto; max-height: 90%; padding: 0 1;
    border: round $accent; background: $surface; }}
{name} Label {{ width: 1fr; }}
{name} .title {{ text-style: bold; color: $accent; margin-bottom: 1; }}
{name} .error {{ color: $error; }}
{name} SelectionList {{ height: auto; max-height: 16; }}
"""


@dataclass(frozen=True, slots=True)
class Definition:
    description: str
    include: str
    exclude: str
    example: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage a split may take: where it is and how it reads."""

    article_id: str
    annotation_id: str
    quote: str


class _Dialog(ModalScreen[object]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything",
                id="tag_ops.cancel"),
        Binding("ctrl+s", "save", "Save", tooltip="Do it", id="tag_ops.save"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        raise NotImplementedError

    def _error(self, message: str) -> None:
        self.query_one(".error", Label).update(message)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


class NameDialog(_Dialog):
    """One name: the parent to move a tag under ("" for the top level), or the tag to merge
    into. Returns the name typed, or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NameDialog")

    def __init__(self, title: str, prompt: str, value: str = "", *,
                 allow_empty: bool = False, known: list[str] | None = None) -> None:
        super().__init__()
        self._title, self._prompt, self._value = title, prompt, value
        self._allow_empty, self._known = allow_empty, known

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="title")
            yield Label(self._prompt)
            yield Input(self._value, id="tag-ops-name")
            yield Label("", classes="error")
        yield KeyFooter()

    def action_save(self) -> None:
        name = clean_tag_name(self.query_one("#tag-ops-name", Input).value)
        if not name and not self._allow_empty:
            self._error("Type a tag's name.")
            return
        if name and self._known is not None and name.casefold() not in {
                k.casefold() for k in self._known}:
            self._error(f"No tag “{name}”.")
            return
        self.dismiss(name)


class DefinitionDialog(_Dialog):
    """A tag's description, inclusion and exclusion notes and example passage."""

    DEFAULT_CSS = DIALOG_CSS.format(name="DefinitionDialog")

    def __init__(self, tag: Tag) -> None:
        super().__init__()
        self._tag = tag

    def compose(self) -> ComposeResult:
        tag = self._tag
        example = f"{tag.example[0]} {tag.example[1]}" if tag.example else ""
        with Vertical():
            yield Label(f"Definition of “{tag.name}”", classes="title")
            yield Label("Description")
            yield Input(tag.description, id="definition-description")
            yield Label("Include: when to use it")
            yield Input(tag.include, id="definition-include")
            yield Label("Exclude: when not to (and what instead)")
            yield Input(tag.exclude, id="definition-exclude")
            yield Label("Example: article id and passage id (as reader annotations shows)")
            yield Input(example, id="definition-example", placeholder="ARTICLE PASSAGE")
            yield Label("", classes="error")
        yield KeyFooter()

    def action_save(self) -> None:
        def value(name: str) -> str:
            return self.query_one(f"#definition-{name}", Input).value.strip()

        words = value("example").replace("#", " ").split()
        if words and len(words) != 2:
            self._error("An example is an article id and a passage id, e.g. "
                        "“news/putin-visit 3f2a9c01”.")
            return
        example = (words[0], words[1]) if words else None
        self.dismiss(Definition(value("description"), value("include"), value("exclude"),
                                example))


class SplitDialog(_Dialog):
    """The new tag's name and the passages of ``tag`` that go to it (ticked). Returns
    ``(name, [(article id, annotation id), ...])`` or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SplitDialog")

    def __init__(self, tag: str, passages: list[Passage]) -> None:
        super().__init__()
        self._tag, self._passages = tag, passages

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Split “{self._tag}”: tick the passages that go to the new tag",
                        classes="title")
            yield Label("New tag (or an existing one)")
            yield Input(f"{self._tag}/", id="split-name")
            yield SelectionList[int](
                *[(f"{truncate(p.quote, 60)}  · {p.article_id}", i)
                  for i, p in enumerate(self._passages)], id="split-passages")
            yield Label("space ticks · ctrl+s splits · esc cancels")
            yield Label("", classes="error")
        yield KeyFooter()

    def action_save(self) -> None:
        name = clean_tag_name(self.query_one("#split-name", Input).value).strip("/ ")
        chosen = self.query_one("#split-passages", SelectionList).selected
        if not name or name.casefold() == self._tag.casefold():
            self._error("Type the new tag's name.")
            return
        if not chosen:
            self._error("Tick the passages that go to the new tag (space).")
            return
        picked = [self._passages[i] for i in sorted(chosen)]
        self.dismiss((name, [(p.article_id, p.annotation_id) for p in picked]))
