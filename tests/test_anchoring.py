"""Re-anchoring annotations when an article's text changed."""

from __future__ import annotations

from pathlib import Path

import yaml

from reader.annotations import anchoring
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_LIPUTAN


def test_exact_prefers_context_then_nearest() -> None:
    text = "Putin said yes. Later Putin said no. Then Putin left."
    second = text.index("Putin", 10)
    prefix, suffix = anchoring.context(text, second, second + 5)
    assert anchoring.anchor(text, "Putin", prefix, suffix, 0) == (second, second + 5)
    shifted = "Intro. " + text
    assert anchoring.anchor(shifted, "Putin", "", "", second + 7) == (second + 7, second + 12)


def test_tolerant_ignores_case_and_spacing() -> None:
    text = "Kerja  sama\nmiliter meliputi senjata."
    assert anchoring.anchor(text, "kerja sama militer", "", "", 0) == (0, 19)


def test_context_and_fuzzy_place_an_edited_quote() -> None:
    old = ("Pada hari Senin, pemerintah mengumumkan sanksi ekonomi baru terhadap "
           "tiga perusahaan pelayaran yang dituduh melanggar embargo.")
    quote = "sanksi ekonomi baru terhadap tiga perusahaan pelayaran"
    s = old.index(quote)
    prefix, suffix = anchoring.context(old, s, s + len(quote))
    new = old.replace("tiga perusahaan", "empat perusahaan")
    start, end = anchoring.anchor(new, quote, prefix, suffix, s) or (0, 0)
    assert new[start:end].startswith("sanksi ekonomi baru") and "pelayaran" in new[start:end]
    bare = "Lorem ipsum. " + new.replace("Pada hari Senin, pemerintah mengumumkan ", "")
    span = anchoring.anchor(bare, quote, "", "", s)  # no context left: fuzzy
    assert span is not None and "empat perusahaan" in bare[span[0]:span[1]]


def test_unplaceable_returns_none() -> None:
    assert anchoring.anchor("Completely different text.", "sanksi ekonomi baru terhadap",
                            "", "", 0) is None


def _edit_article(config: Config, new_text: str) -> None:
    path = Library(config).path_for(SEED_LIPUTAN)
    path.write_text(new_text, encoding="utf-8")


def test_edited_article_reanchors_and_orphans_are_kept(config: Config) -> None:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    article = library.load(SEED_LIPUTAN)
    quote_a = "berjabat tangan cukup lama"
    quote_b = "menghadiahkan buket bunga kepada Putin"
    a = store.add(article, article.text.index(quote_a),
                  article.text.index(quote_a) + len(quote_a), ["treaties"])
    b = store.add(article, article.text.index(quote_b),
                  article.text.index(quote_b) + len(quote_b), ["sanctions"])
    path = store.path_for(article.id)
    saved = path.read_bytes()

    _edit_article(config, "EDITOR'S NOTE: updated.\n\n"
                  + article.text.replace(quote_b, "kemudian pergi"))
    edited = library.load(SEED_LIPUTAN)
    found = store.load(edited)
    by_id = {x.id: x for x in found.annotations}
    assert edited.text[by_id[a.id].start:by_id[a.id].end] == quote_a
    assert by_id[a.id].start == a.start + len("EDITOR'S NOTE: updated.\n\n")
    assert by_id[b.id].orphaned and by_id[b.id].quote == quote_b  # kept, never dropped
    assert found.orphans == [by_id[b.id]]
    assert a.id in found.moved
    assert path.read_bytes() == saved  # loading never rewrites the file

    # the next change writes the new hash and offsets, and the orphan with orphaned: true
    store.update(edited, a.id, note="still here")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["text_sha256"] == edited.sha256
    entries = {e["id"]: e for e in data["annotations"]}
    assert entries[a.id]["start"] == by_id[a.id].start
    assert entries[b.id]["orphaned"] is True and entries[b.id]["quote"] == quote_b

    # re-attach the orphan to a new place
    where = edited.text.index("kemudian pergi")
    moved = store.reattach(edited, b.id, where, where + len("kemudian pergi"))
    assert not moved.orphaned and moved.quote == "kemudian pergi"
    assert moved.extra["previous_quote"] == quote_b
    assert store.load(edited).orphans == []
    assert store.undo() is not None  # re-attaching can be undone
    assert store.load(edited).orphans[0].id == b.id


def test_orphans_listed_across_the_library(config: Config, tmp_path: Path) -> None:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    article = library.load(SEED_LIPUTAN)
    store.add(article, 0, 20, ["sanctions"])
    _edit_article(config, "Something else entirely, nothing in common with the original.\n")
    orphans = store.orphans(library.load)
    assert [(aid, o.quote) for aid, o in orphans] == [(SEED_LIPUTAN, article.text[0:20])]
