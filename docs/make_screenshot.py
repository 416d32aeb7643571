"""Regenerate docs/screenshot.svg: the reader on the bundled articles, one article open.

    python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from reader.config import Config
from reader.ui.app import ReaderApp

REPO = Path(__file__).resolve().parents[1]


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp)
        shutil.copytree(REPO / "articles", lib / "articles")
        app = ReaderApp(Config.from_args(lib))
        async with app.run_test(size=(140, 34)) as pilot:
            while app.first_list_at is None:
                await asyncio.sleep(0.05)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            # a tagged sentence and a passage with two tags, as a reader would leave them
            await pilot.press(*"jjjjjj", "s", "t", "1", "enter")
            await pilot.pause(0.3)
            await pilot.press(*"jjjjjjjj", "p", "t", "2", "3", "enter")
            await pilot.pause(0.3)
            await pilot.press("g")
            await app.workers.wait_for_complete()
            await pilot.pause(0.5)
            app.save_screenshot(str(REPO / "docs" / "screenshot.svg"))


if __name__ == "__main__":
    asyncio.run(main())
