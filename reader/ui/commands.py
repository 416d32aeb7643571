"""Command palette providers: "Open article…" (titles of the whole library).

Titles are prepared in ``startup`` in a thread (100k articles must not stall the palette);
``search`` filters by plain substrings first (fast on big libraries) and scores only the
matches; ``discover`` offers the recently opened articles.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.models import ArticleMeta

MAX_HITS = 40
MAX_RECENT = 8


class ArticleHost(Protocol):
    """What the provider needs from the app."""

    @property
    def articles(self) -> Sequence[ArticleMeta]: ...
    @property
    def recent_ids(self) -> Sequence[str]: ...
    def open_article(self, article_id: str) -> None: ...


def describe(meta: ArticleMeta) -> str:
    return " · ".join(x for x in (meta.source, meta.date, meta.id) if x)


def _prepare(metas: Sequence[ArticleMeta]) -> list[tuple[str, ArticleMeta]]:
    return [(f"{m.title} {m.source} {m.id}".casefold(), m) for m in metas]


class OpenArticleCommands(Provider):
    """Open an article by (part of) its title, source or id."""

    _entries: list[tuple[str, ArticleMeta]]

    def _host(self) -> ArticleHost | None:
        app = self.app
        if hasattr(app, "articles") and hasattr(app, "open_article"):
            return app  # type: ignore[return-value]
        return None

    async def startup(self) -> None:
        host = self._host()
        metas = list(host.articles) if host is not None else []
        self._entries = await asyncio.to_thread(_prepare, metas)

    def _opener(self, article_id: str) -> Callable[[], None]:
        host = self._host()

        def open_it() -> None:
            if host is not None:
                host.open_article(article_id)

        return open_it

    async def discover(self) -> Hits:
        host = self._host()
        if host is None:
            return
        by_id = {m.id: m for _, m in self._entries} if host.recent_ids else {}
        shown = 0
        for article_id in host.recent_ids:
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
