"""Tagging in the reading view (``t``, ``.``, ``n``, ``e``, ``d``, ``u``): the glue between the
view's selection and highlights, the dialogs and the annotation store.

The :class:`~reader.ui.widgets.article_view.ArticleView` owns one :class:`Tagger` (given in
its constructor) and binds the keys itself, so they act only while the reading view has the
focus. After every change the highlights are redrawn and
:class:`~reader.ui.messages.AnnotationsChanged` is announced to the app (list counts, review,
the search index).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from textual.widget import Widget

from reader.annotations.format import AnnotationFileError
from reader.annotations.store import ArticleAnnotations
from reader.annotations.vocabulary import Vocabulary
from reader.models import Annotation, Article
from reader.ui.messages import AnnotationsChanged, announce
from reader.ui.screens.note_dialog import NoteDialog
from reader.ui.screens.relocations import MovedPassages
from reader.ui.screens.tag_picker import TagPicker, truncate
from reader.ui.services import Services
from reader.ui.widgets.marks import Highlight

UNKNOWN_TAG_COLOUR = "#888888"  # a tag used in annotations but missing from the vocabulary
STORE_ERRORS = (AnnotationFileError, OSError, KeyError, ValueError)


class ReadingView(Protocol):
    """What tagging needs from the reading view."""

    @property
    def article(self) -> Article | None: ...
    @property
    def selection(self) -> tuple[int, int] | None: ...
    @property
    def cursor(self) -> int: ...
    def set_highlights(self, highlights: Sequence[Highlight]) -> None: ...
    def highlight_at(self, offset: int) -> Highlight | None: ...
    def clear_selection(self) -> None: ...
    def go_to(self, start: int, end: int) -> None: ...


def describe_error(error: AnnotationFileError) -> str:
    where = f"{error.path}:{error.line}" if error.line else str(error.path)
    return f"{where}: {error.reason}"


def highlights_for(annotations: Sequence[Annotation], vocabulary: Vocabulary) -> list[Highlight]:
    """One Highlight per placed annotation, coloured by its tags (vocabulary order kept)."""
    out = []
    for ann in annotations:
        if ann.orphaned or ann.end <= ann.start:
            continue
        colours = []
        for name in ann.tags:
            tag = vocabulary.get(name)
            colours.append(tag.colour if tag is not None else UNKNOWN_TAG_COLOUR)
        out.append(Highlight(ann.id, ann.start, ann.end,
                             tuple(colours) or (UNKNOWN_TAG_COLOUR,)))
    return out


class Tagger:
    """Tagging on one reading view; :meth:`attach` is called by the view."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.moved = MovedPassages()  # tells which passages of an edited article moved
        self.current: ArticleAnnotations | None = None
        self._view: ReadingView | None = None
        self._node: Widget | None = None
        self._vocabulary_warned = False
        self.last_tags: list[str] = []  # the current tag(s): what ``.`` tags a selection with

    def attach(self, view: ReadingView, node: Widget) -> None:
        self._view, self._node = view, node

    @property
    def view(self) -> ReadingView:
        assert self._view is not None, "Tagger.attach() first"
        return self._view

    @property
    def node(self) -> Widget:
        assert self._node is not None, "Tagger.attach() first"
        return self._node

    def _notify(self, message: str, **kwargs: object) -> None:
        self.node.notify(message, **kwargs)  # type: ignore[arg-type]

    # -- the vocabulary ----------------------------------------------------------------------
    def check_vocabulary(self) -> None:
        """Take in a vocabulary changed elsewhere, and say once when it is broken (the default
        tags are used meanwhile)."""
        if self.services.refresh_vocabulary():
            self._vocabulary_warned = False
            self.refresh_colours()
        error = self.services.vocabulary.error
        if error is not None and not self._vocabulary_warned:
            self._vocabulary_warned = True
            self._notify(f"{error}\nThe default tags are used until it is fixed; new tags "
                         "cannot be saved meanwhile.", title="Broken tag vocabulary",
                         severity="error", timeout=15)

    # -- showing -----------------------------------------------------------------------------
    def show(self, article: Article | None = None, *, announce_problems: bool = True) -> None:
        """(Re)load the annotations of the view's article and draw them. A broken file is
        reported with file:line."""
        article = article or self.view.article
        if article is None:
            self.current = None
            self.view.set_highlights([])
            return
        self.current = self.services.store.load(article)
        self.view.set_highlights(highlights_for(self.current.annotations,
                                                self.services.vocabulary))
        if announce_problems and self.current.error is not None:
            self._notify(f"Annotations are read-only until this file is fixed:\n"
                         f"{describe_error(self.current.error)}",
                         title="Broken annotation file", severity="error", timeout=15)
        elif self.current.relocations:
            self.moved.tell(self.node, article, self.current.relocations,
                            self.view.go_to, opened=announce_problems)
        elif announce_problems and self.current.orphans:
            n = len(self.current.orphans)
            self._notify(f"{n} annotation{'s' if n != 1 else ''} could not be placed in the "
                         "changed text; kept as orphaned (see `reader check`).",
                         severity="warning", timeout=10)

    def has_relocations(self) -> bool:
        current = self._annotations()
        return current is not None and bool(current.relocations)

    def list_relocations(self) -> None:
        """m: the passages moved or orphaned since the article was tagged."""
        article, current = self.view.article, self._annotations()
        if article is None or current is None or not current.relocations:
            self._notify("No passage of this article has moved since it was tagged.")
            return
        self.moved.list(self.node, article, current.relocations, self.view.go_to)

    def refresh_colours(self) -> None:
        """Redraw after the vocabulary changed (recolour, rename) without re-reading files."""
        if self.current is not None:
            self.view.set_highlights(highlights_for(self.current.annotations,
                                                    self.services.vocabulary))

    # -- what applies now (for check_action: cheap) ------------------------------------------
    def _annotations(self) -> ArticleAnnotations | None:
        article = self.view.article
        if article is None:
            return None
        if self.current is None or self.current.article_id != article.id:
            self.show(article, announce_problems=False)
        return self.current

    def can_tag(self) -> bool:
        return self.view.article is not None and self.view.selection is not None

    def on_highlight(self) -> bool:
        return self.view.highlight_at(self.view.cursor) is not None

    def can_undo(self) -> bool:
        return self.services.store.can_undo()

    def target(self) -> Annotation | None:
        """The annotation pointed at: one spanning exactly the selection, else the topmost
        highlight under the cursor."""
        current = self._annotations()
        if current is None:
            return None
        selection = self.view.selection
        if selection is not None:
            for ann in current.annotations:
                if (ann.start, ann.end) == selection and not ann.orphaned:
                    return ann
        hit = self.view.highlight_at(self.view.cursor)
        if hit is None:
            return None
        return next((a for a in current.annotations if a.id == hit.id), None)

    # -- guards ------------------------------------------------------------------------------
    def _writable(self) -> Article | None:
        article = self.view.article
        current = self._annotations()
        if article is None or current is None:
            self._notify("Open an article first.", severity="warning")
            return None
        if current.error is not None:
            self.show(article, announce_problems=False)  # fixed meanwhile?
            current = self.current
        if current is not None and current.error is not None:
            self._notify(f"Annotations of this article are read-only until the file is "
                         f"fixed:\n{describe_error(current.error)}", title="Not saved",
                         severity="error", timeout=15)
            return None
        return article

    def _fail(self, exc: Exception) -> None:
        message = describe_error(exc) if isinstance(exc, AnnotationFileError) else (
            str(exc) or type(exc).__name__)
        self._notify(message, title="Not saved", severity="error", timeout=15)
        self.show(announce_problems=False)

    # -- actions -----------------------------------------------------------------------------
    def tag(self) -> None:
        """t: tag the selection (or retag the highlight it matches)."""
        selection = self.view.selection
        if selection is None:
            self._notify("Select a passage first: s sentence, p paragraph, v visual mode, or "
                         "drag with the mouse.", severity="warning")
            return
        existing = self.target()
        if existing is not None and (existing.start, existing.end) == selection:
            self.edit(existing, with_note=False)
            return
        if self._writable() is not None:
            self._new_annotation(*selection, with_note=False)

    def note(self) -> None:
        """n: with a selection, tag it with a note; on a highlight, edit its note."""
        existing = self.target()
        selection = self.view.selection
        if existing is not None and (selection is None
                                     or (existing.start, existing.end) == selection):
            self._edit_note(existing)
            return
        if selection is None:
            self._notify("Select a passage, or put the cursor on a highlight.",
                         severity="warning")
            return
        if self._writable() is not None:
            self._new_annotation(*selection, with_note=True)

    def edit(self, annotation: Annotation | None = None, *, with_note: bool = True) -> None:
        """e: edit the tags (then the note) of the highlight under the cursor."""
        ann = annotation or self.target()
        if ann is None:
            self._notify("Put the cursor on a highlight to edit it.", severity="warning")
            return
        if self._writable() is None:
            return

        def tags_chosen(tags: list[str] | None) -> None:
            if tags is None:
                return
            if not tags and not ann.note:
                self._notify("A highlight needs a tag or a note; press d to delete it.",
                             severity="warning")
                return
            if not with_note:
                self._update(ann, tags=tags)
                return

            def note_written(note: str | None) -> None:
                self._update(ann, tags=tags, note=note)  # Esc keeps the note as it was

            self.node.app.push_screen(
                NoteDialog(ann.note, ann.quote, title="Edit note (Esc: note unchanged, the "
                           "tags are saved)"), note_written)

        self.check_vocabulary()
        self.node.app.push_screen(TagPicker(self.services.vocabulary, selected=ann.tags,
                                            quote=ann.quote, title="Edit tags"), tags_chosen)

    def delete(self) -> None:
        """d: delete the highlight under the cursor (u brings it back)."""
        ann = self.target()
        if ann is None:
            self._notify("Put the cursor on a highlight to delete it.", severity="warning")
            return
        article = self._writable()
        if article is None:
            return
        try:
            self.services.store.delete(article, ann.id)
        except STORE_ERRORS as exc:
            self._fail(exc)
            return
        tags = ", ".join(ann.tags) or "no tag"
        self._changed(article.id, f"Deleted the highlight “{truncate(ann.quote, 40)}” "
                      f"({tags}) (u undoes)")

    def tag_again(self) -> None:
        """.: tag the selection with the tags used last (the current tag), no picker."""
        selection, article = self.view.selection, self.view.article
        if not self.last_tags:
            self._notify("No tag used yet: tag a passage with t first; . then tags the next "
                         "selection with the same tag.", severity="warning")
            return
        if selection is None or article is None:
            self._notify(f"Select a passage first, then . tags it {self.current_label()}.",
                         severity="warning")
            return
        if self._writable() is None:
            return
        self.services.refresh_vocabulary()
        gone = [t for t in self.last_tags if self.services.vocabulary.get(t) is None]
        if gone:
            self.last_tags = []
            self._notify(f"Not saved: the tag “{gone[0]}” is no longer in the vocabulary "
                         "(renamed or removed). Tag with t to choose again.",
                         title="Not saved", severity="error", timeout=15)
            return
        start, end = selection
        try:
            self.services.store.tag(article, start, end, self.last_tags)
        except STORE_ERRORS as exc:
            self._fail(exc)
            return
        self.view.clear_selection()
        self._changed(article.id, f"Tagged “{truncate(article.text[start:end], 40)}” with "
                      f"{', '.join(self.last_tags)} (u undoes)")

    def current_label(self) -> str:
        """What ``.`` tags with, for the status line ("" when nothing yet)."""
        return ", ".join(self.last_tags)

    def undo(self) -> None:
        """u: undo the last annotation change (a deletion comes back exactly)."""
        store = self.services.store
        step = store.peek_undo()
        try:
            what = store.undo()
        except STORE_ERRORS as exc:
            self._fail(exc)
            return
        if what is None or step is None:
            self._notify("Nothing to undo.")
            return
        self.show(announce_problems=False)
        announce(self.node, AnnotationsChanged(step.article_ids, "reading"))
        article = self.view.article
        elsewhere = [a for a in step.article_ids if article is None or a != article.id]
        where = ""
        if elsewhere:
            where = (f" (in “{truncate(self._title(elsewhere[0]), 40)}”)" if len(elsewhere) == 1
                     else f" (in {len(elsewhere)} articles)")
        self._notify(f"Undone: {what}{where}")

    # -- internals ---------------------------------------------------------------------------
    def _title(self, article_id: str) -> str:
        metas = self.services.articles
        return next((m.title for m in metas if m.id == article_id), article_id) or article_id

    def _new_annotation(self, start: int, end: int, *, with_note: bool) -> None:
        article = self.view.article
        if article is None:
            return
        quote = article.text[start:end]
        services = self.services

        def save(tags: list[str], note: str) -> None:
            if not (services.config.articles_dir / article.meta.path).is_file():
                self._notify("The article's file has been removed from articles/: not "
                             "tagged (put the file back to tag it).", title="Not saved",
                             severity="error", timeout=15)
                return
            services.refresh_vocabulary()
            gone = [t for t in tags if services.vocabulary.get(t) is None]
            if gone:
                self._notify(f"Not saved: the tag “{gone[0]}” is no longer in the vocabulary "
                             "(renamed or removed elsewhere). Tag again with today's tags.",
                             title="Not saved", severity="error", timeout=15)
                return
            try:
                services.store.add(article, start, end, tags, note)
            except STORE_ERRORS as exc:
                self._fail(exc)
                return
            self.view.clear_selection()
            if tags:
                self.last_tags = list(tags)
            label = ", ".join(tags) if tags else "a note"
            self._changed(article.id, f"Tagged “{truncate(quote, 40)}” with {label} "
                          "(u undoes)")

        def tags_chosen(tags: list[str] | None) -> None:
            if tags is None:
                return
            services.vocabulary_written()  # the picker may have added a tag
            if not with_note:
                save(tags, "")
                return

            def note_written(note: str | None) -> None:
                if note is None:
                    return
                if not tags and not note:
                    self._notify("Nothing saved: no tag and no note.", severity="warning")
                    return
                save(tags, note)

            self.node.app.push_screen(NoteDialog("", quote), note_written)

        self.check_vocabulary()
        picker = (TagPicker(services.vocabulary, quote=quote, title="Tag passage with a note",
                            allow_empty=True) if with_note
                  else TagPicker(services.vocabulary, quote=quote))
        self.node.app.push_screen(picker, tags_chosen)

    def _edit_note(self, ann: Annotation) -> None:
        if self._writable() is None:
            return

        def note_written(note: str | None) -> None:
            if note is None or note == ann.note:
                return
            if not note and not ann.tags:
                self._notify("A highlight needs a tag or a note; press d to delete it.",
                             severity="warning")
                return
            self._update(ann, note=note)

        self.node.app.push_screen(NoteDialog(ann.note, ann.quote, title="Edit note"),
                                  note_written)

    def _update(self, ann: Annotation, *, tags: list[str] | None = None,
                note: str | None = None) -> None:
        article = self.view.article
        if article is None:
            return
        if (tags is None or tags == ann.tags) and (note is None or note == ann.note):
            self._notify("No change.")
            return
        try:
            self.services.store.update(article, ann.id, tags=tags, note=note)
        except STORE_ERRORS as exc:
            self._fail(exc)
            return
        parts = []
        if tags:
            self.last_tags = [t for t in tags if t not in ann.tags] or list(tags)
        if tags is not None and tags != ann.tags:
            parts.append("tags: " + (", ".join(tags) or "none"))
        if note is not None and note != ann.note:
            parts.append(f"note: “{truncate(note, 30)}”" if note else "note removed")
        self._changed(article.id, f"Updated “{truncate(ann.quote, 40)}”: {'; '.join(parts)}")

    def _changed(self, article_id: str, message: str) -> None:
        self.show(announce_problems=False)
        announce(self.node, AnnotationsChanged([article_id], "reading"))
        self._notify(message)
