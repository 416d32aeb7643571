"""The git merge driver for annotation files: by passage id, nothing coded lost, the same
bytes whichever side merges the other; randomized over the bundled articles and the real
corpora (when present), printing what it merged."""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from reader.annotations.format import parse
from reader.annotations.merge import merge_texts
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.library.text import sentences
from reader.models import Article
from reader.yamlio import YamlFileError
from tests.conftest import CORPORA, SEED_LIPUTAN, SEEDS

TAGS = ["sanctions", "military cooperation", "treaties"]


def _file(store: AnnotationStore, article: Article) -> str:
    path = store.path_for(article.id)
    return path.read_text("utf-8") if path.exists() else ""


def _set(store: AnnotationStore, article: Article, text: str) -> None:
    path = store.path_for(article.id)
    if text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    elif path.exists():
        path.unlink()


def _code(rng: random.Random, store: AnnotationStore, article: Article, coder: str,
          spans: list[tuple[int, int]], n: int) -> None:
    for s, e in rng.sample(spans, min(n, len(spans))):
        store.tag(article, s, e, rng.sample(TAGS, rng.randint(1, 2)), coder=coder)


def _ids(text: str, article_id: str) -> dict[str, tuple[Any, ...]]:
    if not text:
        return {}
    state = parse(Path("x.yaml"), article_id, text)
    return {a.id: (a.start, a.end, tuple(sorted(a.tags)), tuple(a.coders))
            for a in state.annotations}


def _library(tmp_path: Path) -> Config:
    lib = tmp_path / "lib"
    shutil.copytree(SEEDS, lib / "articles")
    if CORPORA.is_dir():
        for corpus, n in (("en-bbc", 25), ("id-detik", 25)):
            files = sorted((CORPORA / corpus).rglob("*.txt"))
            for f in random.Random(corpus).sample(files, min(n, len(files))):
                target = lib / "articles" / corpus / f.relative_to(CORPORA / corpus)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
    (lib / "annotations").mkdir()
    return Config.from_args(lib)


def test_random_concurrent_coding_merges_without_loss_either_way(tmp_path: Path) -> None:
    config = _library(tmp_path)
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    rng = random.Random(16)
    counts = dict(articles=0, base=0, added=0, shared=0, deleted=0, kept=0)
    for f in sorted(library.walk(), key=lambda f: f.id):
        article = library.load(f.id)
        spans = [(s, e) for s, e in sentences(article.text) if e - s > 3]
        if len(spans) < 4:
            continue
        counts["articles"] += 1
        if rng.random() < 0.5:
            _code(rng, store, article, "lead", spans, 3)
        base = _file(store, article)
        base_ids = _ids(base, article.id)
        counts["base"] += len(base_ids)
        sides = []
        for coder in ("ana", "budi"):
            _set(store, article, base)
            _code(rng, store, article, coder, spans[:6], rng.randint(1, 4))  # often the same
            mine = _ids(_file(store, article), article.id)
            for ann_id in base_ids:
                if ann_id in mine and rng.random() < 0.3:
                    store.delete(article, ann_id)
            sides.append(_file(store, article))
        ours, theirs = sides
        merged = merge_texts(base, ours, theirs)
        assert merged == merge_texts(base, theirs, ours)  # the same bytes either way
        got = _ids(merged, article.id)
        o, t = _ids(ours, article.id), _ids(theirs, article.id)
        for side in (o, t):
            for ann_id, (s, e, tags, coders) in side.items():
                if ann_id in base_ids:
                    continue
                counts["added"] += 1
                # added: there, or joined into a passage on the same text and tags
                assert any((gs, ge, gtags) == (s, e, tags) and set(coders) <= set(gc)
                           for gs, ge, gtags, gc in got.values()), (article.id, ann_id)
        for ann_id in base_ids:
            if ann_id in o and ann_id in t:
                counts["kept"] += 1
                assert ann_id in got
            elif o.get(ann_id, base_ids[ann_id]) == t.get(ann_id, base_ids[ann_id]):
                counts["deleted"] += 1  # deleted on one side, unchanged on the other
                assert ann_id not in got
            else:
                counts["kept"] += 1  # deleted on one side, changed on the other: kept
                assert ann_id in got
        counts["shared"] += sum(len(v[3]) > 1 for v in got.values())
        _set(store, article, merged)
        assert store.load(article).error is None
    print(f"merged {counts['articles']} articles: {counts['base']} passages in the base "
          f"({counts['kept']} kept, {counts['deleted']} deleted on one side), "
          f"{counts['added']} added by the two coders, {counts['shared']} passages with "
          "several coders after the merge")
    assert counts["articles"] >= 2 and counts["shared"] > 0 and counts["deleted"] > 0


def test_both_sides_change_one_passage_later_wins_coders_kept(config: Config) -> None:
    article = Library(config).load(SEED_LIPUTAN)
    store = AnnotationStore(config.annotations_dir)
    s = article.text.index("berjabat")
    ann = store.tag(article, s, s + 8, ["treaties"], coder="ana").annotation
    base = _file(store, article)
    store.update(article, ann.id, note="first")
    ours = _file(store, article)
    _set(store, article, base)
    time.sleep(1.1)  # timestamps are to the second
    store.update(article, ann.id, note="second")
    theirs = _file(store, article).replace("- ana", "- budi")
    merged = parse(Path("x"), article.id, merge_texts(base, ours, theirs)).annotations
    assert [(a.note, a.coders) for a in merged] == [("second", ["ana", "budi"])]
    # deleted on one side, changed on the other: kept
    _set(store, article, base)
    store.delete(article, ann.id)
    gone = _file(store, article)
    assert len(parse(Path("x"), article.id, merge_texts(base, gone, ours)).annotations) == 1
    assert parse(Path("x"), article.id, merge_texts(base, gone, base)).annotations == []


def test_a_broken_side_is_not_merged(config: Config) -> None:
    article = Library(config).load(SEED_LIPUTAN)
    store = AnnotationStore(config.annotations_dir)
    s = article.text.index("berjabat")
    store.tag(article, s, s + 8, ["treaties"], coder="ana")
    good = _file(store, article)
    with pytest.raises(YamlFileError):
        merge_texts("", good, "<<<<<<< HEAD\n" + good)
