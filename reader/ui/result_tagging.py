"""Tagging from the search results without opening the article: the sentence of one hit
(``t``) or of every hit of the query (``T``, after a confirmation that says what it will tag;
one undo step). ``u`` in the results undoes what was tagged from there, and only that."""

from __future__ import annotations

from textual.widget import Widget

from reader.annotations.format import AnnotationFileError
from reader.annotations.undo import UndoStep
from reader.review import tag_hits as quicktag
from reader.search.index import QueryError, SearchResult
from reader.ui.messages import AnnotationsChanged, announce
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.tag_picker import TagPicker, truncate
from reader.ui.services import Services

ORIGIN = "results"


class ResultTagger:
    """Owned by the search pane (``node``: where workers run and notices come from)."""

    def __init__(self, services: Services, node: Widget) -> None:
        self.services = services
        self.node = node
        self.step: UndoStep | None = None  # the last change made from the results

    # -- undo --------------------------------------------------------------------------------
    def can_undo(self) -> bool:
        """The last annotation change anywhere is the one made from the results."""
        step = self.step
        return step is not None and self.services.store.peek_undo() is step

    def annotations_changed(self, message: AnnotationsChanged) -> None:
        if message.origin != ORIGIN and not self.can_undo():
            self.step = None

    def undo(self) -> None:
        if not self.can_undo():
            self.node.notify("Nothing tagged from the search results to undo.")
            return
        step = self.step
        assert step is not None
        try:
            what = self.services.store.undo()
        except (AnnotationFileError, OSError, KeyError, ValueError) as exc:
            self.node.notify(f"Not undone: {exc}", severity="error")
            return
        self.step = None
        announce(self.node, AnnotationsChanged(step.article_ids, ORIGIN))
        self.node.notify(f"Undone: {what}")

    def _done(self, article_ids: list[str], message: str) -> None:
        self.step = self.services.store.peek_undo()
        self.node.notify(message)
        announce(self.node, AnnotationsChanged(article_ids, ORIGIN))
        self.node.refresh_bindings()

    def _picker(self, quote: str = "", *, title: str = "Tag passage",
                context: str = "") -> TagPicker:
        self.services.refresh_vocabulary()
        return TagPicker(self.services.vocabulary, quote=quote, title=title, context=context)

    # -- one hit -----------------------------------------------------------------------------
    def tag_hit(self, result: SearchResult) -> None:
        if result.hits == 0:
            self.node.notify("This result matched on its title or tags only: no hit in the "
                             "text to tag. Open it (Enter) and select a passage.",
                             severity="warning")
            return
        services = self.services
        offset = result.first_hit
        quote = next((s.text for s in result.snippets), "")
        title = truncate(result.title or result.id, 40)

        def chosen(tags: list[str] | None) -> None:
            if not tags:
                return
            services.vocabulary_written()
            try:
                ann = quicktag.tag_sentence_at(services.config, services.store, result.id,
                                               offset, tags, library=services.library)
            except (AnnotationFileError, OSError, LookupError, ValueError) as exc:
                self.node.notify(f"Could not tag: {exc}", severity="error")
                return
            self._done([result.id], f"Tagged “{truncate(ann.quote, 40)}” in “{title}” with "
                       f"{', '.join(tags)} (u undoes)")

        self.node.app.push_screen(self._picker(quote), chosen)

    # -- every hit ---------------------------------------------------------------------------
    def tag_every_hit(self, query: str) -> None:
        if not query:
            self.node.notify("Search first: every hit of the query is tagged.")
            return

        def chosen(tags: list[str] | None) -> None:
            if tags:
                self.services.vocabulary_written()
                self.node.run_worker(lambda: self._plan(query, tags), thread=True,
                                     exclusive=True, group="tag-hits",
                                     name="find the hit sentences", exit_on_error=False)

        picker = self._picker(title=f"Tag every hit of {truncate(query, 50)}",
                              context="The sentence of each hit is tagged once; you are "
                              "asked first, and u in the results undoes it.")
        self.node.app.push_screen(picker, chosen)

    def _plan(self, query: str, tags: list[str]) -> None:
        s = self.services
        try:
            plan = quicktag.plan_hits(s.config, s.store, s.index, query, tags, library=s.library)
        except (QueryError, ValueError) as exc:
            self.node.app.call_from_thread(self.node.notify, f"Cannot tag the hits: {exc}",
                                           severity="error")
            return
        self.node.app.call_from_thread(self._confirm, plan)

    def _confirm(self, plan: quicktag.HitPlan) -> None:
        if not plan.sentences:
            self.node.notify(plan.describe())
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.node.run_worker(lambda: self._tag(plan), thread=True, exclusive=True,
                                     group="tag-hits", name="tag every hit",
                                     exit_on_error=False)

        self.node.app.push_screen(ConfirmDialog(plan.describe() + "\n\nu in the results undoes "
                                                "it in one step.", yes="Tag them"), answered)

    def _tag(self, plan: quicktag.HitPlan) -> None:
        s = self.services
        try:
            done = quicktag.tag_hits(s.config, s.store, s.index, plan.query, plan.tags,
                                     library=s.library, plan=plan)
        except (AnnotationFileError, OSError, QueryError, ValueError) as exc:
            self.node.app.call_from_thread(self.node.notify, f"Tagging stopped: {exc}",
                                           severity="error")
            return
        n = len(done)
        self.node.app.call_from_thread(
            self._done, list(plan.spans),
            f"Tagged {n} sentence{'s' if n != 1 else ''} of “{plan.query}” with "
            f"{', '.join(plan.tags)} (u in the results undoes all of them)")
