"""ReadingController: what the main screen does with its reading view. Opening an article in
a thread worker (a 20 MB file must not freeze the UI) at its remembered position, at the hits
of a query, or at a passage (from the review or the suggestions, Esc going back there);
keeping the view in step when the article, its annotations or the vocabulary change here or
elsewhere, without losing the reader's place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.screen import Screen

from reader.library.articles import ArticleNotFound
from reader.models import Article, ArticleMeta
from reader.search.index import QueryError
from reader.ui.messages import AnnotationsChanged, VocabularyChanged
from reader.ui.services import Services
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView


class ReadingController:
    def __init__(self, screen: Screen[Any], services: Services) -> None:
        self.screen = screen
        self.services = services
        self._pending_hits: tuple[str, str] | None = None  # (article id, query) on open
        self._pending_passage: tuple[str, int, int] | None = None  # to emphasise on open
        self._return_to: tuple[str, str] | None = None  # (screen name, article id)

    @property
    def view(self) -> ArticleView:
        return self.screen.query_one(ArticleView)

    @property
    def article_list(self) -> ArticleList:
        return self.screen.query_one(ArticleList)

    @property
    def article(self) -> Article | None:
        return self.view.article

    # -- opening ---------------------------------------------------------------------------
    def open(self, article_id: str, *, announce: str = "", keep_place: bool = False) -> None:
        self.article_list.select_id(article_id)
        current = self.view.article
        if current is None or current.id != article_id:
            self.view.show_message("Loading…")
        self.screen.run_worker(lambda: self._load(article_id, announce, keep_place),
                               thread=True, exclusive=True, group="open-article",
                               name="open an article", exit_on_error=False)

    def _load(self, article_id: str, announce: str, keep_place: bool) -> None:
        app = self.screen.app
        try:
            article = self.services.library.load(article_id)
        except ArticleNotFound:
            app.call_from_thread(self._failed, article_id, "it is no longer there")
            return
        except OSError as exc:
            app.call_from_thread(self._failed, article_id, exc.strerror or str(exc))
            return
        app.call_from_thread(self._show, article, announce, keep_place)

    def _failed(self, article_id: str, reason: str) -> None:
        self.view.show_message(f"Could not open {article_id}: {reason}.")
        self.screen.notify(f"Could not open {article_id}: {reason}.", severity="error")

    def _show(self, article: Article, announce: str, keep_place: bool) -> None:
        view = self.view
        state = self.services.state
        old = view.article
        same = keep_place and old is not None and old.id == article.id
        cursor, selection = view.cursor, view.selection
        position = view.scroll_y if same else state.position(article.id)
        view.show(article, scroll_y=position)
        if view.tagger is not None:
            view.tagger.show(article, announce_problems=not same)
        if same:  # the file changed on disk: keep the place, the selection where still valid
            view.cursor = min(cursor, len(article.text))
            if selection is not None and selection[1] <= len(article.text) and \
                    old is not None and old.text[slice(*selection)] == \
                    article.text[slice(*selection)]:
                view.select(*selection)
        self.services.reading.article_id = article.id
        self.services.reading.path = article.meta.path
        self.article_list.set_open(article.id)
        self._show_pending(article)
        state.opened(article.id)
        state.touch()
        if article.meta.warnings and not same:
            self.screen.notify("\n".join(article.meta.warnings),
                               title="This file has problems", severity="warning")
        if announce:
            self.screen.notify(announce)
        if not same and (self.screen.query_one("#left-pane").display is False
                         or self.article_list.has_focus):
            view.focus()

    def open_at_hits(self, article_id: str, query: str) -> None:
        self._pending_hits = (article_id, query)
        self._pending_passage = None
        self.open(article_id)
        if self.article is not None and self.article.id == article_id:
            self._show_pending(self.article)
        self.view.focus()

    def open_passage(self, article_id: str, start: int, end: int, back_to: str = "") -> None:
        """Open the article scrolled to ``start``-``end``, emphasised briefly; Esc then goes
        back to the installed screen ``back_to``."""
        self._return_to = (back_to, article_id) if back_to else None
        self._pending_passage = (article_id, start, end)
        self._pending_hits = None
        self.open(article_id)
        if self.article is not None and self.article.id == article_id:
            self._show_pending(self.article)
        self.view.focus()

    def forget_return(self) -> None:
        self._return_to = None

    def return_to_screen(self) -> bool:
        target, self._return_to = self._return_to, None
        if target is None:
            return False
        name, article_id = target
        if self.article is None or self.article.id != article_id:
            return False  # the reader has moved on to another article
        app = self.screen.app
        if app.is_screen_installed(name):
            app.push_screen(name)
            return True
        return False

    def _show_pending(self, article: Article) -> None:
        passage = self._pending_passage
        if passage is not None and passage[0] == article.id:
            self._pending_passage = None
            self._show_passage(passage[1], passage[2])
            return
        pending = self._pending_hits
        if pending is None or pending[0] != article.id:
            return
        self._pending_hits = None
        query = pending[1]
        self.screen.run_worker(lambda: self._hit_spans(article, query), thread=True,
                               exclusive=True, group="search-hits", name="find the hits",
                               exit_on_error=False)

    def _show_passage(self, start: int, end: int) -> None:
        view = self.view
        view.emphasise(start, end, 2.5)
        view.cursor = start
        self._scroll_soon(start)

    def _scroll_soon(self, offset: int) -> None:
        def scroll() -> None:
            self.view.scroll_to_offset(offset)

        self.screen.call_after_refresh(scroll)
        self.screen.set_timer(0.2, scroll)

    def _hit_spans(self, article: Article, query: str) -> None:
        try:
            spans = self.services.index.hit_spans(query, article)
        except QueryError:
            return
        self.screen.app.call_from_thread(self._set_hits, article, spans)

    def _set_hits(self, article: Article, spans: list[tuple[int, int]]) -> None:
        view = self.view
        if view.article is None or view.article.id != article.id:
            return
        view.set_hits(spans)
        if spans:
            view.next_hit()
            self._scroll_soon(spans[0][0])

    # -- changes here or elsewhere ---------------------------------------------------------
    def library_changed(self, metas: Sequence[ArticleMeta]) -> None:
        """After the library was read again: reload the open article if its file changed
        (keeping the place), warn if it was removed."""
        article = self.article
        if article is None:
            return
        fresh = next((m for m in metas if m.id == article.id), None)
        if fresh is None:
            self.screen.notify(f"“{article.meta.title}” was removed from the library.",
                               severity="warning")
            return
        if (fresh.mtime, fresh.size) != (article.meta.mtime, article.meta.size):
            self.open(article.id, announce="The article changed on disk; reloaded.",
                      keep_place=True)

    def annotations_changed(self, message: AnnotationsChanged) -> None:
        article = self.article
        tagger = self.view.tagger
        if article is None or tagger is None or article.id not in message.article_ids:
            self.view.refresh_bindings()
            return
        if message.origin != "reading":
            tagger.show(article, announce_problems=False)
        self.view.refresh_bindings()

    def vocabulary_changed(self, message: VocabularyChanged) -> None:
        tagger = self.view.tagger
        if tagger is None:
            return
        article = self.article
        if article is not None and article.id in message.renamed:
            tagger.show(article, announce_problems=False)
        else:
            tagger.refresh_colours()

    # -- what the view reports -------------------------------------------------------------
    def scrolled(self, message: ArticleView.Scrolled) -> None:
        self.services.state.set_position(message.article_id, message.scroll_y)
        self.services.state.touch()

    def selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        self.services.reading.selection = message.selection
