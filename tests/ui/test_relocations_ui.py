"""An article edited since it was tagged shows which passages moved (old place -> new, quote)
and which are orphaned when it is opened, before anything is saved over them; Enter goes to a
moved passage, ``m`` lists them again; the next tag saves the new places, and the orphaned
passage stays listed in review as orphaned. A real library in tmp_path, no mocks."""

from __future__ import annotations

from textual.widgets import OptionList

from reader.config import Config
from reader.review.rows import collect
from reader.ui.app import ReaderApp
from reader.ui.screens.relocations import RelocationsScreen
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN
from tests.ui.conftest import screen_text, settle, wait_until
from tests.ui.test_tagging_app import (
    SIZE,
    on_main,
    open_article,
    read_yaml,
    second_sentence,
    tag_sentence_with_keys,
    yaml_path,
)


async def test_moved_and_orphaned_passages_are_listed_before_anything_is_saved(
        config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        text = view.article.text
        kept = await tag_sentence_with_keys(pilot, view, second_sentence(text)[0], "1", "enter")
        gone = await tag_sentence_with_keys(pilot, view, 0, "2", "enter")
        source = config.articles_dir / view.article.meta.path
    quote, removed = text[kept[0]:kept[1]], text[gone[0]:gone[1]]
    added = "A new first paragraph, added later by an editor.\n\n"
    source.write_text(added + source.read_text(encoding="utf-8").replace(removed, ""),
                      encoding="utf-8")
    saved = yaml_path(config).read_bytes()

    again = ReaderApp(config)
    async with again.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, again, SEED_LIPUTAN)
        assert view.article is not None
        new_start = view.article.text.index(quote)
        screen = again.screen
        assert isinstance(screen, RelocationsScreen)  # shown on opening, before any save
        shown = screen_text(again)
        assert "changed since it was tagged: 1 passage moved," in shown
        assert "1 could not be placed in the changed text (kept as orphaned)" in shown
        rows = [str(o.prompt) for o in screen.query_one(OptionList).options]
        assert len(rows) == 2
        moved = next(r for r in rows if r.startswith("moved"))
        orphaned = next(r for r in rows if r.startswith("orphaned"))
        assert f"moved {kept[0]}-{kept[1]} -> {new_start}-{new_start + len(quote)}" in moved
        assert quote[:20] in moved and orphaned.startswith(f"orphaned {gone[0]}-{gone[1]}")
        said = [n.message for n in again._notifications]
        assert any("could not be placed" in m and "m lists them" in m for m in said), said
        assert yaml_path(config).read_bytes() == saved

        # Enter on the moved passage goes to its new place
        listing = screen.query_one(OptionList)
        listing.highlighted = rows.index(moved)
        await pilot.press("enter")
        await settle(pilot)
        assert on_main(again)
        assert view.cursor == new_start
        # Enter on the orphaned one says where to deal with it, and the list stays
        await pilot.press("m")
        await pilot.pause()
        relisted = again.screen
        assert isinstance(relisted, RelocationsScreen)
        relisted.query_one(OptionList).highlighted = rows.index(orphaned)
        await pilot.press("enter")
        await pilot.pause()
        assert again.screen is relisted
        assert any("is orphaned" in n.message and "review" in n.message
                   for n in again._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert on_main(again)

        # opened again in this session: a notice, not the list a second time
        main = again.main_screen
        assert main is not None
        main.open_article(SEED_KOMPAS)
        await settle(pilot)
        main.open_article(SEED_LIPUTAN)
        await settle(pilot)
        assert on_main(again)
        assert yaml_path(config).read_bytes() == saved  # nothing saved by reading

        # the next tag saves the new places with it; the orphan is kept, orphaned
        view.focus()
        await pilot.pause()
        third = second_sentence(view.article.text)
        later = next(s for s in (third, (third[1] + 2, third[1] + 40)) if s[0] != new_start)
        await tag_sentence_with_keys(pilot, view, later[0], "3", "enter")
        assert not view.check_action("moved_passages", ())
        await pilot.press("m")
        await pilot.pause()
        assert on_main(again)
    anns = {a["quote"]: a for a in read_yaml(config)["annotations"]}
    assert len(anns) == 3
    assert (anns[quote]["start"], anns[quote]["end"]) == (new_start, new_start + len(quote))
    assert anns[removed]["orphaned"] is True
    rows_ = [r for r in collect(config) if r.article_id == SEED_LIPUTAN]
    assert [r.orphaned for r in rows_ if r.quote == removed] == [True]


async def test_an_article_edited_while_open_says_what_moved_without_interrupting(
        config: Config) -> None:
    app = ReaderApp(config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_article(pilot, app, SEED_LIPUTAN)
        assert view.article is not None
        kept = await tag_sentence_with_keys(pilot, view, second_sentence(view.article.text)[0],
                                            "1", "enter")
        quote = view.article.text[kept[0]:kept[1]]
        saved = yaml_path(config).read_bytes()
        assert not view.check_action("moved_passages", ())
        source = config.articles_dir / view.article.meta.path
        source.write_text("An editor's new opening line.\n\n"
                          + source.read_text(encoding="utf-8"), encoding="utf-8")
        took = await wait_until(pilot, lambda: view.article is not None
                                and view.article.text.startswith("An editor's"), 15)
        await settle(pilot)
        print(f"edited article reloaded after {took:.2f} s")
        assert on_main(app)  # the reader is not interrupted by a dialog...
        said = [n.message for n in app._notifications]
        assert any("1 passage moved" in m and "m lists them" in m for m in said), said
        assert view.check_action("moved_passages", ())  # ...m lists what moved
        view.focus()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, RelocationsScreen)
        [relocation] = app.screen.relocations
        assert relocation.new_start == view.article.text.index(quote)
        await pilot.press("escape")
        await pilot.pause()
        assert yaml_path(config).read_bytes() == saved
