"""Manage tags: add, rename (every annotation follows), recolour, retire/restore, and edit the
description and cue words of the tags in ``annotations/vocabulary.yml``; move a tag under
another, merge two, split one (the passages ticked go to a new tag), edit a tag's definition.
The tags show as a tree (``parent/child``). Each change says what it acted on; ``u`` here
undoes the changes made here, last first (a rename is renamed back, a move, merge or split
undone, in the annotations too)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widgets import DataTable, Footer, Header, Label

from reader.annotations import hierarchy
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.models import Tag
from reader.ui.colours import next_free_colour
from reader.ui.host import ReaderHost
from reader.ui.messages import VocabularyChanged, announce
from reader.ui.screens.tag_editor import TagEdit, TagEditor
from reader.ui.screens.tag_ops import Passage
from reader.ui.screens.tag_picker import NODE_OPTION, number_keys, truncate
from reader.ui.screens.vocabulary_ops import EDIT_ERRORS, TagOpsScreen


class VocabularyScreen(TagOpsScreen):
    """Returns True when the vocabulary (or annotations, by a rename) changed."""

    CSS_PATH = "vocabulary.tcss"
    TITLE = "Manage tags"
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to reading", id="vocabulary.close"),
        Binding("a", "add", "Add", tooltip="Add a new tag", id="vocabulary.add"),
        Binding("enter", "edit('name')", "Edit", tooltip="Edit name, colour, description, cues",
                id="vocabulary.edit"),
        Binding("r", "edit('name')", "Rename", tooltip="Rename the tag; annotations follow",
                id="vocabulary.rename"),
        Binding("c", "edit('colour')", "Colour", tooltip="Pick another colour",
                id="vocabulary.colour"),
        Binding("e", "edit('description')", "Describe",
                tooltip="Edit the description and cue words", id="vocabulary.describe"),
        Binding("x", "retire", "Retire/restore",
                tooltip="Retire the tag (hidden from the picker, annotations kept) or restore it",
                id="vocabulary.retire"),
        Binding("i", "define", "Define", tooltip="Edit the definition: description, "
                "include and exclude notes, example passage", id="vocabulary.define"),
        Binding("m", "move", "Move", tooltip="Move the tag (with its children) under another",
                id="vocabulary.move"),
        Binding("g", "merge", "Merge", tooltip="Merge the tag into another: its passages "
                "take the other tag", id="vocabulary.merge"),
        Binding("s", "split", "Split", tooltip="Split the tag: the passages ticked go to a "
                "new tag", id="vocabulary.split"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change made here (a rename is "
                "renamed back, a move, merge or split undone, in the annotations too)",
                id="vocabulary.undo"),
    ]

    def __init__(self, vocabulary: Vocabulary, store: AnnotationStore | None = None) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.store = store
        self.changed = False
        self.renamed: list[str] = []  # articles whose annotations a rename rewrote
        self._counts: Counter[str] | None = None
        self._passages: dict[str, list[Passage]] = {}  # tag -> its passages (for a split)
        self._undo: list[tuple[str, Callable[[], str]]] = []  # (what, undo it -> tag name)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"Tags in {self.vocabulary.path}", id="vocabulary-path")
        yield DataTable(id="vocabulary-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("", "Key", "Tag", "Uses", "Status", "Description", "Cue words")
        self._fill()
        table.focus()
        self._count_uses()

    # -- table -----------------------------------------------------------------------------
    def _fill(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        numbers = number_keys(self.vocabulary.active())
        for node in hierarchy.tree(self.vocabulary.names()):
            tag = self.vocabulary.get(node.path) if node.is_tag else None
            name = "  " * node.depth + (node.label if node.depth else node.path)
            if tag is None:
                table.add_row("", "", Text(name, style="italic dim"), "", "level", "", "",
                              key=NODE_OPTION + node.path)
                continue
            uses = "" if self._counts is None else str(self._counts.get(tag.name, 0))
            table.add_row(
                Text("████", style=tag.colour),
                numbers.get(tag.name, ""),
                Text(name, style="dim strike" if tag.retired else "bold"),
                uses,
                Text("retired", style="italic dim") if tag.retired else "active",
                truncate(tag.description, 40),
                truncate(", ".join(tag.cues), 40),
                key=tag.name,
            )
        keys = {str(k.value) for k in table.rows}
        if keep is not None and (keep in keys or NODE_OPTION + keep in keys):
            table.move_cursor(row=table.get_row_index(keep if keep in keys
                                                      else NODE_OPTION + keep))
        elif table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    @work(thread=True, exclusive=True, group="vocabulary-counts", exit_on_error=False)
    def _count_uses(self) -> None:
        if self.store is None:
            return
        counts: Counter[str] = Counter()
        passages: dict[str, list[Passage]] = {}
        try:
            for article_id, found in self.store.iter_all():
                for ann in found.annotations:
                    counts.update(set(ann.tags))
                    for t in set(ann.tags):
                        passages.setdefault(t, []).append(Passage(article_id, ann.id,
                                                                  ann.quote))
        except NotImplementedError:
            return
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"Could not count uses: {exc}",
                                      severity="warning")
            return
        self.app.call_from_thread(self._set_counts, counts, passages)

    def _set_counts(self, counts: Counter[str], passages: dict[str, list[Passage]]) -> None:
        self._counts, self._passages = counts, passages
        self._fill(keep=self._current_name())

    def _current_name(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key

    def _current(self) -> Tag | None:
        name = self._current_name()
        return self.vocabulary.get(name) if name is not None else None

    def _current_path(self) -> str | None:
        """The tag's or the level's name (a level is a parent that is not a tag)."""
        name = self._current_name()
        return name.removeprefix(NODE_OPTION) if name is not None else None

    # -- actions ---------------------------------------------------------------------------
    def action_add(self) -> None:
        colour = next_free_colour(t.colour for t in self.vocabulary.tags)
        taken = {t.name for t in self.vocabulary.tags}
        self.app.push_screen(TagEditor(None, taken, colour=colour), self._added)

    def _added(self, edit: TagEdit | None) -> None:
        if edit is None:
            return
        try:
            self.vocabulary.add(edit.name, colour=edit.colour, description=edit.description,
                                cues=edit.cues)
        except EDIT_ERRORS as exc:
            self.notify(f"Tag not added: {exc}", severity="error")
            return
        self._done(edit.name, f"Added tag “{edit.name}” (x retires it)")

    def action_edit(self, focus: str) -> None:
        tag = self._current()
        if tag is None:
            return
        taken = {t.name for t in self.vocabulary.tags}
        self.app.push_screen(TagEditor(tag, taken, focus=focus), partial(self._edited, tag))

    def _edited(self, old: Tag, edit: TagEdit | None) -> None:
        if edit is None:
            return
        name = old.name
        messages = []
        try:
            if edit.name != old.name:
                moved = self._rename(old.name, edit.name)
                name = edit.name
                messages.append(f"Renamed “{old.name}” to “{edit.name}”"
                                + (f" in {moved} annotation(s)" if moved else ""))
                self._undoable(f"the rename of “{old.name}” to “{edit.name}”",
                               partial(self._rename_back, edit.name, old.name))
            if edit.colour != old.colour:
                self.vocabulary.recolour(name, edit.colour)
                messages.append("new colour")
                self._undoable(f"the new colour of “{name}”",
                               partial(self._set, name, colour=old.colour))
            if edit.description != old.description or edit.cues != old.cues:
                self.vocabulary.describe(name, description=edit.description, cues=edit.cues)
                messages.append("description and cues saved")
                self._undoable(f"the description of “{name}”",
                               partial(self._set, name, description=old.description,
                                       cues=old.cues))
        except EDIT_ERRORS as exc:
            self.notify(f"Tag “{old.name}” not fully changed: {exc}", severity="error")
            self._done(name, "")
            return
        self._done(name, "; ".join(messages) or "No change")

    def _rename(self, old: str, new: str) -> int:
        """Rename in the vocabulary and in every annotation; returns annotations changed."""
        try:
            return self.vocabulary.rename(old, new, self.store)
        finally:
            report = self.vocabulary.last_rename
            self.vocabulary.last_rename = None
            if report is not None:
                self.renamed.extend(report.articles)

    def _rename_back(self, current: str, old: str) -> str:
        self._rename(current, old)
        return old

    def _set(self, name: str, *, colour: str | None = None, description: str | None = None,
             cues: tuple[str, ...] | None = None, retired: bool | None = None) -> str:
        if colour is not None:
            self.vocabulary.recolour(name, colour)
        if description is not None or cues is not None:
            self.vocabulary.describe(name, description=description, cues=cues)
        if retired is True:
            self.vocabulary.retire(name)
        elif retired is False:
            self.vocabulary.unretire(name)
        return name

    def _undoable(self, what: str, undo: Callable[[], str]) -> None:
        self._undo.append((what, undo))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return bool(self._undo)
        return True

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing changed here to undo.")
            return
        what, undo = self._undo.pop()
        try:
            name = undo()
        except EDIT_ERRORS as exc:
            self.notify(f"Could not undo {what}: {exc}", severity="error")
            self._fill()
            return
        self._done(name, f"Undone: {what}")

    def action_retire(self) -> None:
        tag = self._current()
        if tag is None:
            return
        try:
            if tag.retired:
                self.vocabulary.unretire(tag.name)
            else:
                self.vocabulary.retire(tag.name)
        except EDIT_ERRORS as exc:
            self.notify(f"Not changed: {exc}", severity="error")
            return
        uses = f"; its {self._counts.get(tag.name, 0)} use(s) keep it" if self._counts else ""
        state = "restored" if tag.retired else f"retired (hidden from the picker{uses})"
        self._undoable(f"“{tag.name}” {'restored' if tag.retired else 'retired'}",
                       partial(self._set, tag.name, retired=tag.retired))
        self._done(tag.name, f"Tag “{tag.name}” {state} (u undoes)")

    def _done(self, name: str, message: str) -> None:
        self.changed = True
        self._fill(keep=name)
        if message:
            self.notify(message)
        app = self.app
        if isinstance(app, ReaderHost):
            app.services.vocabulary_written()
        announce(self, VocabularyChanged(self.renamed, "manage tags"))
        self.renamed = []
        self.refresh_bindings()
        self._count_uses()

    def action_close(self) -> None:
        self.dismiss(self.changed)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit("name")


class TagCommands(Provider):
    """Command palette: "Manage tags"."""

    COMMAND = "Manage tags"
    HELP = "Add, rename, recolour or retire tags; edit descriptions and cue words"

    def _open(self) -> None:
        app = self.app
        if not isinstance(app, ReaderHost):
            return
        app.services.refresh_vocabulary()
        app.push_screen(VocabularyScreen(app.services.vocabulary, app.services.store))

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.COMMAND, self._open, help=self.HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text in (self.COMMAND, "Edit tag vocabulary"):
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), self._open, help=self.HELP)
                return
