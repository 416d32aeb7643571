"""Tagging actions for the reading view: the glue between the main screen's keys (t, n, e, d, u),
the dialogs, the annotation store and the ArticleView's highlights.

The main screen owns one :class:`Tagger`, calls :meth:`Tagger.show` whenever the view shows an
article, binds its keys to the ``tag``/``note``/``edit``/``delete``/``undo`` methods and asks
``can_*`` from ``check_action``. After every change the view's highlights are redrawn,
:class:`~reader.ui.messages.AnnotationsChanged` is posted on the screen (list counts) and the
search index re-reads the article's tags and notes in a thread worker.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from textual.binding import Binding
from textual.screen import Screen

from reader.annotations.format import AnnotationFileError
from reader.annotations.store import AnnotationStore, ArticleAnnotations
from reader.annotations.vocabulary import Vocabulary
from reader.models import Annotation, Article
from reader.ui.messages import AnnotationsChanged, VocabularyChanged
from reader.ui.screens.note_dialog import NoteDialog
from reader.ui.screens.tag_picker import TagPicker, truncate

if TYPE_CHECKING:
    from reader.ui.widgets.article_view import Highlight

UNKNOWN_TAG_COLOUR = "#888888"  # a tag used in annotations but missing from the vocabulary
_INDEX_LOCK = threading.Lock()  # one index writer at a time


class ReadingView(Protocol):
    """What tagging needs from the ArticleView."""

    @property
    def article(self) -> Article | None: ...
    @property
    def selection(self) -> tuple[int, int] | None: ...
    @property
    def cursor(self) -> int: ...
    def set_highlights(self, highlights: Sequence[Highlight]) -> None: ...
    def highlight_at(self, offset: int) -> Highlight | None: ...
    def clear_selection(self) -> None: ...
    def emphasise(self, start: int, end: int, seconds: float = 2.0) -> None: ...


def describe_error(error: AnnotationFileError) -> str:
    where = f"{error.path}:{error.line}" if error.line else str(error.path)
    return f"{where}: {error.reason}"


def highlights_for(annotations: Sequence[Annotation], vocabulary: Vocabulary) -> list[Highlight]:
    """One Highlight per placed annotation, coloured by its tags (vocabulary order kept)."""
    from reader.ui.widgets.article_view import Highlight

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
    """Tagging on one screen's ArticleView. The app provides ``store`` and ``vocabulary``."""

    def __init__(self, screen: Screen[Any], view: ReadingView) -> None:
        self.screen = screen
        self.view = view
        self.current: ArticleAnnotations | None = None
        self._vocabulary_stamp: tuple[int, int] | None = self._stamp()
        self._vocabulary_warned = False
        self.check_vocabulary()

    # -- the app's domain objects ----------------------------------------------------------
    @property
    def store(self) -> AnnotationStore:
        store: AnnotationStore = getattr(self.screen.app, "store")  # noqa: B009
        return store

    @property
    def vocabulary(self) -> Vocabulary:
        vocabulary: Vocabulary = getattr(self.screen.app, "vocabulary")  # noqa: B009
        return vocabulary

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.vocabulary.path.stat()
        except (OSError, AttributeError):
            return None
        return st.st_mtime_ns, st.st_size

    def check_vocabulary(self) -> None:
        """Re-read the vocabulary if its file changed (edited by hand or by another
        instance) and say once when it is broken (the default tags are used meanwhile)."""
        stamp = self._stamp()
        if stamp != self._vocabulary_stamp:
            self._vocabulary_stamp = stamp
            self._vocabulary_warned = False
            self.vocabulary.reload()
            self.refresh_colours()
        error = self.vocabulary.error
        if error is not None and not self._vocabulary_warned:
            self._vocabulary_warned = True
            self.screen.notify(f"{error}\nThe default tags are used until it is fixed; new "
                               "tags cannot be saved meanwhile.",
                               title="Broken tag vocabulary", severity="error", timeout=15)

    # -- showing ---------------------------------------------------------------------------
    def show(self, article: Article | None = None, *, announce: bool = True) -> None:
        """(Re)load the annotations of the view's article and draw them. Call whenever the
        view shows another article; a broken file is reported once, with file:line."""
        article = article or self.view.article
        if article is None:
            self.current = None
            self.view.set_highlights([])
            return
        self.current = self.store.load(article)
        self.view.set_highlights(highlights_for(self.current.annotations, self.vocabulary))
        if announce and self.current.error is not None:
            self.screen.notify(f"Annotations are read-only until this file is fixed:\n"
                               f"{describe_error(self.current.error)}",
                               title="Broken annotation file", severity="error", timeout=15)
        elif announce and self.current.orphans:
            n = len(self.current.orphans)
            self.screen.notify(f"{n} annotation{'s' if n != 1 else ''} could not be placed in "
                               "the changed text; kept as orphaned (see `reader check`).",
                               severity="warning", timeout=10)

    def refresh_colours(self) -> None:
        """Redraw after the vocabulary changed (recolour, rename) without re-reading files."""
        if self.current is not None:
            self.view.set_highlights(highlights_for(self.current.annotations, self.vocabulary))

    # -- what applies now (for check_action) -----------------------------------------------
    def _annotations(self) -> ArticleAnnotations | None:
        article = self.view.article
        if article is None:
            return None
        if self.current is None or self.current.article_id != article.id:
            self.show(article, announce=False)
        return self.current

    def can_tag(self) -> bool:
        return self.view.article is not None and self.view.selection is not None

    def target(self) -> Annotation | None:
        """The annotation the user points at: one spanning exactly the selection, else the
        topmost highlight under the cursor."""
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

    def can_edit(self) -> bool:
        return self.target() is not None

    def can_note(self) -> bool:
        return self.can_tag() or self.can_edit()

    def on_highlight(self) -> bool:
        """Cheap (for the footer): the cursor is on a highlight of the shown article."""
        return self.has_highlights() and self.view.highlight_at(self.view.cursor) is not None

    def can_undo(self) -> bool:
        return self.store.can_undo()

    def has_highlights(self) -> bool:
        """Cheap (for the footer): the shown article has placed annotations."""
        current = self.current
        article = self.view.article
        return (article is not None and current is not None
                and current.article_id == article.id
                and any(not a.orphaned for a in current.annotations))

    # -- guards ----------------------------------------------------------------------------
    def _writable(self) -> tuple[Article, ArticleAnnotations] | None:
        article = self.view.article
        current = self._annotations()
        if article is None or current is None:
            self.screen.notify("Open an article first.", severity="warning")
            return None
        if current.error is not None:
            self.show(article, announce=False)  # fixed meanwhile? (re-read, redraw)
            current = self.current
        if current is None:
            return None
        if current.error is not None:
            self.screen.notify(f"Annotations of this article are read-only until the file is "
                               f"fixed:\n{describe_error(current.error)}",
                               title="Not saved", severity="error", timeout=15)
            return None
        return article, current

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, AnnotationFileError):
            message = describe_error(exc)
        else:
            message = str(exc) or type(exc).__name__
        self.screen.notify(message, title="Not saved", severity="error", timeout=15)
        self.show(announce=False)

    # -- actions ---------------------------------------------------------------------------
    def tag(self) -> None:
        """t: tag the selection (or retag the highlight it matches)."""
        if self.view.selection is None:
            self.screen.notify("Select a passage first: s sentence, p paragraph, v visual "
                               "mode, or drag with the mouse.", severity="warning")
            return
        existing = self.target()
        if existing is not None and (existing.start, existing.end) == self.view.selection:
            self.edit(existing, with_note=False)
            return
        if self._writable() is None:
            return
        start, end = self.view.selection
        self._new_annotation(start, end, with_note=False)

    def note(self) -> None:
        """n: with a selection, tag it with a note; on a highlight, edit its note."""
        existing = self.target()
        selection = self.view.selection
        if existing is not None and (selection is None
                                     or (existing.start, existing.end) == selection):
            self._edit_note(existing)
            return
        if selection is None:
            self.screen.notify("Select a passage, or put the cursor on a highlight.",
                               severity="warning")
            return
        if self._writable() is None:
            return
        self._new_annotation(*selection, with_note=True)

    def edit(self, annotation: Annotation | None = None, *, with_note: bool = True) -> None:
        """e: edit the tags (then the note) of the highlight under the cursor."""
        ann = annotation or self.target()
        if ann is None:
            self.screen.notify("Put the cursor on a highlight to edit it.", severity="warning")
            return
        if self._writable() is None:
            return

        def tags_chosen(tags: list[str] | None) -> None:
            if tags is None:
                return
            if not tags and not ann.note:
                self.screen.notify("A highlight needs a tag or a note; press d to delete it.",
                                   severity="warning")
                return
            if not with_note:
                self._update(ann, tags=tags)
                return

            def note_written(note: str | None) -> None:
                self._update(ann, tags=tags, note=note)  # Esc keeps the note as it was

            self.screen.app.push_screen(
                NoteDialog(ann.note, ann.quote, title="Edit note (Esc: note unchanged, the "
                           "tags are saved)"), note_written)

        self.check_vocabulary()
        self.screen.app.push_screen(
            TagPicker(self.vocabulary, selected=ann.tags, quote=ann.quote, title="Edit tags"),
            tags_chosen)

    def delete(self) -> None:
        """d: delete the highlight under the cursor (u brings it back)."""
        ann = self.target()
        if ann is None:
            self.screen.notify("Put the cursor on a highlight to delete it.", severity="warning")
            return
        found = self._writable()
        if found is None:
            return
        article, _ = found
        try:
            self.store.delete(article, ann.id)
        except (AnnotationFileError, OSError, KeyError, ValueError) as exc:
            self._fail(exc)
            return
        self._changed(article.id, f"Deleted highlight “{truncate(ann.quote, 40)}” (u to undo)")

    def undo(self) -> None:
        """u: undo the last annotation change (a deletion comes back exactly)."""
        step = self.store.peek_undo()
        try:
            what = self.store.undo()
        except (AnnotationFileError, OSError, KeyError, ValueError) as exc:
            self._fail(exc)
            return
        if what is None or step is None:
            self.screen.notify("Nothing to undo.")
            return
        self.show(announce=False)
        self.after_change(*step.article_ids)
        article = self.view.article
        elsewhere = [a for a in step.article_ids if article is None or a != article.id]
        where = ""
        if elsewhere:
            where = (f" (in “{truncate(self._title(elsewhere[0]), 40)}”)" if len(elsewhere) == 1
                     else f" (in {len(elsewhere)} articles)")
        self.screen.notify(f"Undone: {what}{where}")

    # -- internals -------------------------------------------------------------------------
    def _title(self, article_id: str) -> str:
        metas = getattr(self.screen.app, "articles", ())
        return next((m.title for m in metas if m.id == article_id), article_id) or article_id

    def _new_annotation(self, start: int, end: int, *, with_note: bool) -> None:
        article = self.view.article
        if article is None:
            return
        quote = article.text[start:end]

        def save(tags: list[str], note: str) -> None:
            config = getattr(self.screen.app, "config", None)
            if config is not None and not (config.articles_dir / article.meta.path).is_file():
                self.screen.notify("The article's file has been removed from articles/: not "
                                   "tagged (put the file back to tag it).", title="Not saved",
                                   severity="error", timeout=15)
                return
            try:
                self.store.add(article, start, end, tags, note)
            except (AnnotationFileError, OSError, ValueError) as exc:
                self._fail(exc)
                return
            self.view.clear_selection()
            label = ", ".join(tags) if tags else "a note"
            self._changed(article.id, f"Tagged “{truncate(quote, 40)}” with {label} "
                          "(u undoes)")

        def tags_chosen(tags: list[str] | None) -> None:
            if tags is None:
                return
            if not with_note:
                save(tags, "")
                return

            def note_written(note: str | None) -> None:
                if note is None:
                    return
                if not tags and not note:
                    self.screen.notify("Nothing saved: no tag and no note.", severity="warning")
                    return
                save(tags, note)

            self.screen.app.push_screen(NoteDialog("", quote), note_written)

        self.check_vocabulary()
        picker = (TagPicker(self.vocabulary, quote=quote, title="Tag passage with a note",
                            allow_empty=True) if with_note
                  else TagPicker(self.vocabulary, quote=quote))
        self.screen.app.push_screen(picker, tags_chosen)

    def _edit_note(self, ann: Annotation) -> None:
        if self._writable() is None:
            return

        def note_written(note: str | None) -> None:
            if note is None or note == ann.note:
                return
            if not note and not ann.tags:
                self.screen.notify("A highlight needs a tag or a note; press d to delete it.",
                                   severity="warning")
                return
            self._update(ann, note=note)

        self.screen.app.push_screen(NoteDialog(ann.note, ann.quote, title="Edit note"),
                                    note_written)

    def _update(self, ann: Annotation, *, tags: list[str] | None = None,
                note: str | None = None) -> None:
        article = self.view.article
        if article is None:
            return
        if (tags is None or tags == ann.tags) and (note is None or note == ann.note):
            self.screen.notify("No change.")
            return
        try:
            self.store.update(article, ann.id, tags=tags, note=note)
        except (AnnotationFileError, OSError, KeyError, ValueError) as exc:
            self._fail(exc)
            return
        parts = []
        if tags is not None and tags != ann.tags:
            parts.append("tags: " + (", ".join(tags) or "none"))
        if note is not None and note != ann.note:
            parts.append(f"note: “{truncate(note, 30)}”" if note else "note removed")
        self._changed(article.id, f"Updated “{truncate(ann.quote, 40)}”: {'; '.join(parts)}")

    def _changed(self, article_id: str, message: str) -> None:
        self.show(announce=False)
        self.after_change(article_id)
        self.screen.notify(message)

    def after_change(self, *article_ids: str) -> None:
        """Tell the screen (list counts, review) and re-index the articles' tags and notes
        in one thread worker."""
        for article_id in article_ids:
            self.screen.post_message(AnnotationsChanged(article_id))
        index = getattr(self.screen.app, "index", None)
        if index is None or not article_ids:
            return

        app = self.screen.app

        def reindex() -> None:
            with _INDEX_LOCK:
                for article_id in article_ids:
                    try:
                        index.update_annotations(article_id)
                    except NotImplementedError:
                        return
                    except Exception as exc:  # reported; the index is a rebuildable cache
                        app.call_from_thread(
                            app.notify, f"Search index not updated for tags: {exc}",
                            severity="warning")
                        return

        what = article_ids[0] if len(article_ids) == 1 else f"{len(article_ids)} articles"
        self.screen.run_worker(reindex, thread=True, group="annotation-index",
                               name=f"index the annotations of {what}", exit_on_error=False)


TAGGING_BINDINGS = [
    Binding("t", "tag", "Tag", tooltip="Tag the selected passage (tag picker)", id="tag"),
    Binding("n", "note", "Note", tooltip="Tag the selected passage with a note, or edit the "
            "note of the highlight", id="note"),
    Binding("e", "edit_highlight", "Edit", tooltip="Edit the tags and note of the highlight "
            "under the cursor", id="edit_highlight"),
    Binding("d", "delete_highlight", "Delete", tooltip="Delete the highlight under the cursor "
            "(u undoes)", id="delete_highlight"),
    Binding("u", "undo", "Undo", tooltip="Undo the last annotation change", id="undo"),
]
TAGGING_ACTIONS = frozenset({"tag", "note", "edit_highlight", "delete_highlight", "undo"})


class TaggingActions:
    """Mix into the main screen (before ``Screen``) with ``*TAGGING_BINDINGS`` in its
    BINDINGS and ``self.tagger`` set on mount; its ``check_action`` should return
    ``self.check_tagging_action(action)`` for actions in ``TAGGING_ACTIONS``."""

    tagger: Tagger

    def action_tag(self) -> None:
        self.tagger.tag()

    def action_note(self) -> None:
        self.tagger.note()

    def action_edit_highlight(self) -> None:
        self.tagger.edit()

    def action_delete_highlight(self) -> None:
        self.tagger.delete()

    def action_undo(self) -> None:
        self.tagger.undo()

    def check_tagging_action(self, action: str) -> bool | None:
        """False hides a key that does not apply (no selection, no highlights)."""
        tagger: Tagger | None = getattr(self, "tagger", None)
        if tagger is None:
            return False
        if action == "tag":  # shown while reading: without a selection it says how to select
            return tagger.view.article is not None
        if action == "note":
            return tagger.can_tag() or tagger.on_highlight()
        if action in ("edit_highlight", "delete_highlight"):
            return tagger.on_highlight()
        if action == "undo":
            return tagger.can_undo()
        return True

    def on_vocabulary_changed(self, _message: VocabularyChanged) -> None:
        """Redraw in the new colours; a rename changed annotations: recount the list and
        re-index the tags of every article it touched."""
        tagger: Tagger | None = getattr(self, "tagger", None)
        if tagger is None:
            return
        tagger.show(announce=False)
        report = tagger.vocabulary.last_rename
        tagger.vocabulary.last_rename = None
        touched = list(report.articles) if report is not None else []
        current = tagger.view.article
        if not touched and current is not None:
            touched = [current.id]  # recolours: the list's tag marks redraw
        tagger.after_change(*touched)
