"""Command palette providers: "Open article…" (titles of the whole library).

Titles are prepared in ``startup`` in a thread (100k articles must not stall the palette);
``search`` filters by plain substrings first (fast on big libraries) and scores only the
matches; ``discover`` offers the recently opened articles.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.models import ArticleMeta
from reader.ui.host import ReaderHost
from reader.ui.messages import OpenArticle

MAX_HITS = 40
MAX_RECENT = 8


def describe(meta: ArticleMeta) -> str:
    return " · ".join(x for x in (meta.source, meta.date, meta.id) if x)


def _prepare(metas: Sequence[ArticleMeta]) -> list[tuple[str, ArticleMeta]]:
    return [(f"{m.title} {m.source} {m.id}".casefold(), m) for m in metas]


class OpenArticleCommands(Provider):
    """Open an article by (part of) its title, source or id."""

    _entries: list[tuple[str, ArticleMeta]]

    def _host(self) -> ReaderHost | None:
        app = self.app
        return app if isinstance(app, ReaderHost) else None

    async def startup(self) -> None:
        host = self._host()
        metas = list(host.services.articles) if host is not None else []
        self._entries = await asyncio.to_thread(_prepare, metas)

    def _opener(self, article_id: str) -> Callable[[], None]:
        def open_it() -> None:
            self.app.post_message(OpenArticle(article_id))

        return open_it

    async def discover(self) -> Hits:
        host = self._host()
        if host is None:
            return
        recent: Sequence[str] = host.services.state.recent
        by_id = {m.id: m for _, m in self._entries} if recent else {}
        shown = 0
        for article_id in recent:
            meta = by_id.get(article_id)
            if meta is None:
                continue
            yield DiscoveryHit(f"Open: {meta.title}", self._opener(meta.id),
                               help=f"Recently read · {describe(meta)}")
            shown += 1
            if shown >= MAX_RECENT:
                break

    async def search(self, query: str) -> Hits:
        text = query.casefold().strip()
        for prefix in ("open article", "open:", "open "):
            if text.startswith(prefix):
                text = text[len(prefix):]
                break
        words = text.split()
        if not words and not query.casefold().strip().startswith("open"):
            return
        matcher = self.matcher(" ".join(words) or query)
        found = 0
        for i, (hay, meta) in enumerate(self._entries):
            if i % 5000 == 4999:
                await asyncio.sleep(0)
            if words and not all(w in hay for w in words):
                continue
            score = matcher.match(meta.title) or 0.3
            yield Hit(score, matcher.highlight(f"Open: {meta.title}"),
                      self._opener(meta.id),
                      text=f"Open: {meta.title}", help=describe(meta))
            found += 1
            if found >= MAX_HITS:
                return
