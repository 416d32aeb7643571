"""MemosScreen: the memos of an article, of a tag, or of the whole library, to read, add,
edit and delete; filter by kind (``k``) and, over the whole library, by what they are about
(``s``). The highlighted memo's text shows below the list; Enter opens it to read.

Memos are files (``annotations/memos/``, see :mod:`reader.annotations.memos`): every change
is one atomic write; an edit made while the file changed on disk is refused by the store and
the dialog opens again with your text, over the new version, so neither text is lost.
``u`` undoes the changes made here, last first. Memos changed by another program show at
once (the app's watcher posts :class:`~reader.ui.messages.MemosChanged`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from reader.annotations.memos import (
    Memo,
    MemoChanged,
    MemoFileError,
    MemoNotFound,
    MemoStore,
    Scope,
)
from reader.ui.messages import MemosChanged, announce
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.memo_dialog import MemoDialog, MemoDraft
from reader.ui.screens.memo_reader import MemoReader
from reader.ui.services import Services
from reader.ui.widgets.key_footer import KeyFooter

ALL = "all"
SCOPE_FILTERS: tuple[str, ...] = (ALL, "library", "article", "tag")
STORE_ERRORS = (ValueError, OSError, MemoFileError, MemoNotFound)


@dataclass(frozen=True, slots=True)
class Step:
    """One change made here, and how to take it back."""

    says: str
    undo: Callable[[], str]  # returns what was done, for the user


class MemosScreen(Screen[None]):
    CSS_PATH = "memos.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back", id="memos.back"),
        Binding("enter", "read", "Read", tooltip="Open the memo to read it", id="memos.read"),
        Binding("a", "add", "Add", tooltip="Write a new memo", id="memos.add"),
        Binding("e", "edit", "Edit", tooltip="Edit the memo's text and kind", id="memos.edit"),
        Binding("d", "delete", "Delete", tooltip="Delete the memo (asks first; u undoes)",
                id="memos.delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change made here",
                id="memos.undo"),
        Binding("k", "cycle_kind", "Kind", tooltip="Show only memos of one kind (cycles)",
                id="memos.kind"),
        Binding("s", "cycle_scope", "About", tooltip="Show only memos on the library, on "
                "articles or on tags (cycles)", id="memos.scope"),
    ]

    def __init__(self, services: Services, scope: Scope | None = None,
                 about: str = "") -> None:
        super().__init__()
        self.services = services
        self.store = MemoStore(services.config.annotations_dir)
        self.scope: Scope | None = scope  # what this screen was opened for (None: all)
        self.about = about
        self.kind = ALL
        self.scope_filter = ALL
        self.memos: list[Memo] = []  # every memo in scope
        self.shown: list[Memo] = []
        self.errors: list[MemoFileError] = []
        self.steps: list[Step] = []
        self.moved: dict[str, str] = {}  # id -> id of the memo an undone delete brought back

    # -- composition -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Label("", id="memos-heading")
        yield DataTable(id="memos-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="memos-preview"):
            yield Static("", id="memos-text")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#memos-table", DataTable)

    def on_mount(self) -> None:
        for key, label, width in (("date", "Date", 10), ("kind", "Kind", 11),
                                  ("about", "About", 24), ("title", "Memo", 40)):
            self.table.add_column(label, key=key, width=width)
        self.table.focus()
        self.reload()
        if self.errors:
            self.notify("\n".join(f"{e.path}: {e.reason}" for e in self.errors[:5]),
                        title="Memo files that cannot be read (left as they are)",
                        severity="error", timeout=12)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cycle_scope":
            return self.scope is None
        if action in ("read", "edit", "delete"):
            return self.current is not None or None
        if action == "undo":
            return bool(self.steps) or None
        return True

    # -- what is shown ---------------------------------------------------------------------
    def subject_text(self) -> str:
        if self.scope is None:
            return "the whole library"
        if self.scope == "library":
            return "the library as a whole"
        if self.scope == "article":
            return f"article {self._article_title(self.about)}"
        return f"tag {self.about}"

    def _article_title(self, article_id: str) -> str:
        meta = next((m for m in self.services.articles if m.id == article_id), None)
        return meta.title if meta is not None and meta.title else article_id

    def reload(self) -> None:
        """Read the memos again (they are few and small) and show them, keeping the cursor
        on the same memo."""
        keep = self.current.id if self.current is not None else None
        if self.scope is None:
            self.memos, self.errors = self.store.load_all()
        else:
            self.memos, self.errors = self.store.find(self.scope, self.about or None)
        self._fill(keep)

    def _fill(self, keep: str | None = None) -> None:
        kinds = {m.kind.casefold() for m in self.memos}
        if self.kind != ALL and self.kind not in kinds:
            self.kind = ALL
        self.shown = [m for m in self.memos
                      if (self.kind == ALL or m.kind.casefold() == self.kind)
                      and (self.scope_filter == ALL or m.scope == self.scope_filter)]
        table = self.table
        table.clear()
        for m in self.shown:
            about = ("library" if m.scope == "library" else
                     self._article_title(m.about) if m.scope == "article" else f"#{m.about}")
            table.add_row(m.date, Text(m.kind or "–"), Text(about), Text(m.title), key=m.id)
        for i, m in enumerate(self.shown):
            if m.id == keep:
                table.move_cursor(row=i, animate=False)
                break
        filters = [f"kind {self.kind}" if self.kind != ALL else "",
                   f"on {self.scope_filter}" if self.scope_filter != ALL else ""]
        broken = f" · {len(self.errors)} file(s) cannot be read" if self.errors else ""
        self.query_one("#memos-heading", Label).update(Text(
            f"Memos of {self.subject_text()}: {len(self.shown)} of {len(self.memos)}"
            + "".join(f" · {f}" for f in filters if f) + broken))
        self._preview()
        self.refresh_bindings()

    @property
    def current(self) -> Memo | None:
        if not self.shown or not self.is_mounted:
            return None
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(DataTable.RowHighlighted, "#memos-table")
    def _preview(self) -> None:
        memo = self.current
        text = "" if memo is None else (
            f"{memo.subject} · {memo.kind or 'no kind'} · {memo.date}"
            f"{' · edited ' + memo.updated[:10] if memo.updated != memo.created else ''}"
            f"\n\n{memo.text}")
        if memo is None:
            text = ("No memo here yet: a writes one." if not self.memos else
                    "No memo of this kind here: k shows another kind.")
        self.query_one("#memos-text", Static).update(Text(text))
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#memos-table")
    def _row_chosen(self) -> None:  # Enter or a click on the table
        self.action_read()

    def on_memos_changed(self, message: MemosChanged) -> None:
        if message.origin != "memos":
            self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- actions ---------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_cycle_kind(self) -> None:
        kinds = sorted({m.kind.casefold() for m in self.memos if m.kind})
        order = [ALL, *kinds]
        self.kind = order[(order.index(self.kind) + 1) % len(order)] if self.kind in order \
            else ALL
        self._fill(self.current.id if self.current else None)
        self.notify(f"Memos of kind {self.kind}" if self.kind != ALL else "Memos of any kind",
                    timeout=2)

    def action_cycle_scope(self) -> None:
        i = SCOPE_FILTERS.index(self.scope_filter)
        self.scope_filter = SCOPE_FILTERS[(i + 1) % len(SCOPE_FILTERS)]
        self._fill(self.current.id if self.current else None)

    def action_read(self) -> None:
        memo = self.current
        if memo is not None:
            def after(edit: bool | None) -> None:
                if edit:
                    self.action_edit()

            self.app.push_screen(MemoReader(memo), after)

    def _changed(self, step: Step | None, says: str, keep: str | None = None) -> None:
        if step is not None:
            self.steps.append(step)
        self.reload()
        if keep is not None:
            self._fill(keep)
        self.notify(says, timeout=4)
        announce(self, MemosChanged("memos"))

    def action_add(self) -> None:
        scope: Scope = self.scope or "library"
        about = self.about if self.scope is not None else ""
        title = f"New memo on {self.subject_text() if self.scope else 'the library'}"
        self._open_dialog(title, MemoDraft("", ""), lambda d: self._add(scope, about, d))

    def _open_dialog(self, title: str, draft: MemoDraft,
                     save: Callable[[MemoDraft], None]) -> None:
        def done(result: MemoDraft | None) -> None:
            if result is not None:
                save(result)

        self.app.push_screen(MemoDialog(title, draft.text, draft.kind), done)

    def _add(self, scope: Scope, about: str, draft: MemoDraft) -> None:
        try:
            memo = self.store.add(scope, about, draft.text, draft.kind)
        except STORE_ERRORS as exc:
            self.notify(f"Memo not saved: {exc}", severity="error")
            return

        def undo() -> str:
            now = self._as_left(memo.id, memo)
            self.store.delete(now.id, expected=now)
            return f"Undone: the memo “{memo.title}” is removed"

        self._changed(Step("add", undo), f"Memo saved: {memo.id}", keep=memo.id)

    def action_edit(self) -> None:
        memo = self.current
        if memo is not None:
            self._edit_dialog(memo, MemoDraft(memo.text, memo.kind))

    def _edit_dialog(self, memo: Memo, draft: MemoDraft) -> None:
        self._open_dialog(f"Memo on {memo.subject} ({memo.date})", draft,
                          lambda d: self._save_edit(memo, d))

    def _save_edit(self, before: Memo, draft: MemoDraft) -> None:
        try:
            after = self.store.edit(before.id, text=draft.text, kind=draft.kind,
                                    expected=before)
        except MemoChanged:
            try:
                fresh = self.store.get(before.id)
            except STORE_ERRORS:
                fresh = None
            if fresh is not None:
                self.notify("The memo was changed on disk while you edited it: here is your "
                            "text again; save to replace the new version, or Esc to keep it.",
                            severity="warning", timeout=10)
                self._edit_dialog(fresh, draft)
                return
            self._add(before.scope, before.about, draft)
            return
        except MemoNotFound:
            self.notify("The memo was deleted meanwhile: your text is saved as a new memo.",
                        severity="warning")
            self._add(before.scope, before.about, draft)
            return
        except STORE_ERRORS as exc:
            self.notify(f"Memo not saved: {exc}", severity="error")
            return
        if after == before:
            return

        def undo() -> str:
            now = self._as_left(after.id, after)
            self.store.edit(now.id, text=before.text, kind=before.kind, expected=now)
            return f"Undone: the memo “{before.title}” is as it was"

        self._changed(Step("edit", undo), f"Memo saved: {after.id}", keep=after.id)

    def action_delete(self) -> None:
        memo = self.current
        if memo is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(memo)

        self.app.push_screen(ConfirmDialog(
            f"Delete the memo “{memo.title}” ({memo.subject}, {memo.kind or 'no kind'}, "
            f"{memo.date})? Its file {memo.id}.md is removed; u undoes.", yes="Delete"),
            answered)

    def _delete(self, memo: Memo) -> None:
        try:
            gone = self.store.delete(memo.id, expected=memo)
        except MemoChanged as exc:
            self.notify(f"Not deleted: {exc}", severity="warning")
            self.reload()
            return
        except STORE_ERRORS as exc:
            self.notify(f"Not deleted: {exc}", severity="error")
            return

        def undo() -> str:
            back = self.store.add(gone.scope, gone.about, gone.text, gone.kind,
                                  created=gone.created)
            if back.id != gone.id:
                self.moved[gone.id] = back.id
            return f"Undone: the memo “{back.title}” is back ({back.id})"

        self._changed(Step("delete", undo), f"Memo deleted: “{gone.title}” (u undoes)")

    def _as_left(self, memo_id: str, left: Memo) -> Memo:
        """The memo as it is now, if it still holds what this screen left in it (else
        :class:`MemoChanged`: someone changed it since, and undo would lose that)."""
        seen: set[str] = set()
        while memo_id in self.moved and memo_id not in seen:
            seen.add(memo_id)
            memo_id = self.moved[memo_id]
        now = self.store.get(memo_id)
        if (now.text, now.kind) != (left.text, left.kind):
            raise MemoChanged(f"memo {memo_id} was changed since (in {now.path}): not undone, "
                              "so that the change is not lost")
        return now

    def action_undo(self) -> None:
        if not self.steps:
            self.notify("Nothing to undo here.", timeout=3)
            return
        step = self.steps.pop()
        try:
            says = step.undo()
        except STORE_ERRORS + (MemoChanged,) as exc:
            self.notify(f"Cannot undo: {exc}", severity="error")
            self.reload()
            return
        self._changed(None, says)


def open_tag_memos(app: App[None], services: Services, tags: Sequence[str]) -> None:
    """The memos of the first of ``tags`` (the tag review shows, or the passage's), or every
    memo when there is none."""
    app.push_screen(MemosScreen(services, "tag", tags[0]) if tags else MemosScreen(services))
