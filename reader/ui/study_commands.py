"""Command palette providers for the study's own files: "Memos…" (of the library, of the
article being read, of each tag) and "Saved searches" (list them; run one by its name)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.annotations.memos import Scope
from reader.search.saved import SavedSearch, SavedSearchError, SavedSearches
from reader.ui.host import ReaderHost
from reader.ui.messages import RunSearch

Command = tuple[str, str, Callable[[], None]]  # text, help, what it does


class MemoCommands(Provider):
    """Open the memos screen: all memos, the library's, this article's, a tag's."""

    def _host(self) -> ReaderHost | None:
        return self.app if isinstance(self.app, ReaderHost) else None

    def _opener(self, scope: Scope | None, about: str = "") -> Callable[[], None]:
        def open_it() -> None:
            from reader.ui.screens.memos import MemosScreen

            host = self._host()
            if host is not None:
                host.push_screen(MemosScreen(host.services, scope, about))

        return open_it

    def _commands(self, with_tags: bool) -> list[Command]:
        host = self._host()
        if host is None:
            return []
        out: list[Command] = [
            ("Memos", "Every memo of the study: read, add, edit, delete; filter by kind",
             self._opener(None)),
            ("Memos of the library", "Memos on the study as a whole (sampling, method…)",
             self._opener("library")),
        ]
        article = host.services.reading.article_id
        if article:
            out.append(("Memos of this article", f"Memos on {article} (M in the reading "
                        "view)", self._opener("article", article)))
        if with_tags:
            out += [(f"Memos of tag {t.name}", "Memos on the tag (M in review)",
                     self._opener("tag", t.name)) for t in host.services.vocabulary.tags]
        return out

    async def discover(self) -> Hits:
        for text, help_, run in self._commands(with_tags=False):
            yield DiscoveryHit(text, run, help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_, run in self._commands(with_tags=True):
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=help_)


class SavedSearchCommands(Provider):
    """"Saved searches" (the screen) and "Search @name" for each saved search."""

    _saved: list[SavedSearch]
    _problem: str

    def _host(self) -> ReaderHost | None:
        return self.app if isinstance(self.app, ReaderHost) else None

    async def startup(self) -> None:
        self._saved, self._problem = [], ""
        host = self._host()
        if host is None:
            return
        searches = SavedSearches(host.services.config.annotations_dir)
        try:
            self._saved = await asyncio.to_thread(searches.load)
        except SavedSearchError as exc:
            self._problem = f"{exc.path.name}: {exc.reason}"

    def _open_screen(self) -> None:
        from reader.ui.screens.saved_searches import SavedSearchesScreen

        host = self._host()
        if host is not None:
            host.push_screen(SavedSearchesScreen(host.services))

    def _runner(self, name: str) -> Callable[[], None]:
        def run() -> None:
            self.app.post_message(RunSearch("@" + name))

        return run

    def _commands(self) -> list[Command]:
        out: list[Command] = [("Saved searches", self._problem or "List, run and delete the "
                               "searches saved with ctrl+s in the search box",
                               self._open_screen)]
        out += [(f"Search @{s.name}", s.query, self._runner(s.name)) for s in self._saved]
        return out

    async def discover(self) -> Hits:
        for text, help_, run in self._commands():
            yield DiscoveryHit(text, run, help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_, run in self._commands():
            score = max(matcher.match(text), matcher.match(f"{text} {help_}") * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=help_)
