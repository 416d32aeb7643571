"""What the main screen does with search results besides opening them: tag the sentence of a
hit (``t``) or of every hit of the query (``T``, one undo step) without opening the article;
and import articles from the command palette. Mixed into the main screen through
:class:`~reader.ui.search_controller.SearchController`."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widgets import Input

from reader.annotations.format import AnnotationFileError
from reader.review import tag_hits as quicktag
from reader.search.index import QueryError
from reader.ui.messages import AnnotationsChanged
from reader.ui.screens.confirm import ConfirmDialog
from reader.ui.screens.tag_picker import TagPicker
from reader.ui.widgets.search_results import SearchResults

if TYPE_CHECKING:
    from textual.screen import Screen

    from reader.importing.importer import ImportReport
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.search_bar import SearchBar

    _Base = Screen[None]
else:
    _Base = object

INDEX_WRITE = threading.Lock()  # one index writer at a time from this screen


class IndexProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)



class ResultActions(_Base):
    if TYPE_CHECKING:
        @property
        def reader(self) -> ReaderApp: ...
        @property
        def view(self) -> Any: ...
        @property
        def search_bar(self) -> SearchBar: ...
        @property
        def search_results(self) -> SearchResults: ...
        def _w(self, selector: str) -> Any: ...
        def _search_status(self, text: str, error: bool = False) -> None: ...
        def update_index(self) -> None: ...

    # -- importing (palette: "Import articles…") --------------------------------------------
    def action_import_articles(self) -> None:
        from reader.ui.screens.import_dialog import ImportDialog

        def chosen(sources: list[str] | None) -> None:
            if sources:
                self.run_worker(lambda: self._import(sources), thread=True, exclusive=True,
                                group="import", name="import articles", exit_on_error=False)

        self.app.push_screen(ImportDialog(), chosen)

    def _import(self, sources: list[str]) -> None:
        from reader.importing.importer import import_sources

        def progress(n: int, total: int, source: str) -> None:
            self.post_message(IndexProgress(n - 1, total))
            if total == 1:
                self.reader.call_from_thread(self._search_status, f"Importing {source}…")

        report = import_sources(self.reader.config, sources, progress=progress,
                                update_index=False)
        self.reader.call_from_thread(self._imported, report)

    def _imported(self, report: ImportReport) -> None:
        self._w("#index-progress").display = False
        self._search_status("")
        if report.failed and not report.imported:
            self.notify(_import_summary(report), title="Import", severity="error", timeout=10)
        elif report.failed or report.duplicates:
            self.notify(_import_summary(report), title="Import", severity="warning",
                        timeout=10)
        else:
            self.notify(_import_summary(report), title="Import", timeout=10)
        if report.imported:
            rescan = getattr(self, "rescan", None)
            if callable(rescan):
                rescan()  # the list shows the new articles; its scan updates the index
            self.update_index()

    # -- tagging from the results ----------------------------------------------------------
    def on_search_results_tag_hit(self, message: SearchResults.TagHit) -> None:
        result = message.result
        if result.hits == 0:
            self.notify("This result matched on its title or tags only: no hit in the text "
                        "to tag. Open it (Enter) and select a passage.", severity="warning")
            return
        offset = result.first_hit
        quote = next((s.text for s in result.snippets), "")

        def chosen(tags: list[str] | None) -> None:
            if not tags:
                return
            try:
                ann = quicktag.tag_sentence_at(self.reader.config, self.reader.store,
                                               result.id, offset, tags,
                                               library=self.reader.library)
            except (AnnotationFileError, OSError, LookupError, ValueError) as exc:
                self.notify(f"Could not tag: {exc}", severity="error")
                return
            self._tagged([result.id], f"Tagged “{_short(ann.quote)}”: {', '.join(tags)} "
                         "(u undoes)")

        self.reader.push_screen(TagPicker(self.reader.vocabulary, quote=quote), chosen)

    def on_search_results_tag_every_hit(self, _message: SearchResults.TagEveryHit) -> None:
        self.action_tag_every_hit()

    def action_tag_every_hit(self) -> None:
        query = self.search_results.query_text.strip()
        if not query:
            self.notify("Search first: every hit of the query is tagged.")
            return

        def chosen(tags: list[str] | None) -> None:
            if tags:
                self.run_worker(lambda: self._plan_hits(query, tags), thread=True,
                                exclusive=True, group="tag-hits", name="find the hit sentences",
                                exit_on_error=False)

        self.reader.push_screen(TagPicker(self.reader.vocabulary,
                                          quote=f"Every hit of “{query}”"), chosen)

    def _plan_hits(self, query: str, tags: list[str]) -> None:
        app = self.reader
        try:
            plan = quicktag.plan_hits(app.config, app.store, app.index, query, tags,
                                      library=app.library)
        except (QueryError, ValueError) as exc:
            app.call_from_thread(self.notify, f"Cannot tag the hits: {exc}", severity="error")
            return
        app.call_from_thread(self._confirm_hits, plan)

    def _confirm_hits(self, plan: quicktag.HitPlan) -> None:
        if not plan.sentences:
            self.notify(plan.describe())
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(lambda: self._tag_hits(plan), thread=True,
                                exclusive=True, group="tag-hits", name="tag every hit",
                                exit_on_error=False)

        self.reader.push_screen(ConfirmDialog(plan.describe(), yes="Tag them"), answered)

    def _tag_hits(self, plan: quicktag.HitPlan) -> None:
        app = self.reader
        try:
            done = quicktag.tag_hits(app.config, app.store, app.index, plan.query, plan.tags,
                                     library=app.library, plan=plan)
        except (AnnotationFileError, OSError, QueryError, ValueError) as exc:
            app.call_from_thread(self.notify, f"Tagging stopped: {exc}", severity="error")
            return
        n = len(done)
        app.call_from_thread(self._tagged, list(plan.spans),
                             f"Tagged {n} sentence{'s' if n != 1 else ''} with "
                             f"{', '.join(plan.tags)} (u undoes all of them)")

    def _tagged(self, article_ids: list[str], message: str) -> None:
        self.notify(message)
        if isinstance(self.app.focused, Input) and self.search_results.display:
            self.search_results.focus()  # so that u undoes rather than types into the box
        tagger = getattr(self, "tagger", None)
        current = getattr(self.view, "article", None)
        if tagger is not None and current is not None and current.id in article_ids:
            tagger.show(announce=False)
        for article_id in article_ids:
            self.post_message(AnnotationsChanged(article_id))
        index = self.reader.index

        def reindex() -> None:
            with INDEX_WRITE:
                for article_id in article_ids:
                    try:
                        index.update_annotations(article_id)
                    except Exception:  # noqa: BLE001 - the index is a rebuildable cache
                        return

        self.run_worker(reindex, thread=True, group="annotation-index",
                        name="index the new tags", exit_on_error=False)


def _import_summary(report: ImportReport) -> str:
    return report.summary().capitalize() + "."


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
