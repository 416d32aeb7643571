"""Search as you type with Pilot: one search runs at a time, a query typed meanwhile runs the
moment it ends (only the newest: those typed past are never searched), and stale results
never reach the screen. The real index, each search made slow by waiting before it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from reader.config import Config
from reader.search.index import SearchResult
from reader.ui.app import ReaderApp
from tests.conftest import SEED_KOMPAS
from tests.ui.conftest import settle

SIZE = (100, 30)
SLOW = 0.6  # seconds each search takes here, longer than two pauses between keys
GAP = 0.2  # between keys: longer than the box's wait before it searches


async def test_one_search_at_a_time_and_the_last_query_wins(config: Config) -> None:
    app = ReaderApp(config)
    searched: list[str] = []
    shown: list[str] = []
    lock = threading.Lock()
    running = [0, 0]  # now, at most

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        assert screen is not None
        index = app.services.index
        real = index.search

        def slow(query: str, limit: int = 20,
                 cancelled: Callable[[], bool] | None = None) -> list[SearchResult]:
            with lock:
                running[0] += 1
                running[1] = max(running)
            try:
                time.sleep(SLOW)
                return real(query, limit, cancelled)
            finally:
                with lock:
                    running[0] -= 1
                    searched.append(query)

        index.search = slow  # type: ignore[method-assign]
        pane = screen.search
        original = pane._show_results

        def spy(generation: int, query: str, *args: object) -> None:
            shown.append(query)
            original(generation, query, *args)  # type: ignore[arg-type]

        pane._show_results = spy  # type: ignore[method-assign,assignment]
        await pilot.press("slash")
        for ch in "sanksi":
            await pilot.press(ch)
            await pilot.pause(GAP)
        started = time.monotonic()
        while pane.results.query_text != "sanksi" and time.monotonic() - started < 10:
            await asyncio.sleep(0.05)
        await settle(pilot)
        assert running[1] == 1, "two searches ran at once"
        assert searched[-1] == "sanksi" and len(searched) < len("sanksi"), searched
        assert pane.results.query_text == "sanksi"
        assert pane.results.results[0].id == SEED_KOMPAS
        assert all(q == "sanksi" for q in shown[-1:]) and "sanksi" in shown
        # the results shown were the query's when they were shown: none typed past
        assert shown.count("sanksi") == 1
