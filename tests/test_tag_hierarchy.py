"""The tag hierarchy, moving, merging and splitting tags, and tag definitions: real files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from reader.annotations import hierarchy, tagops
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary, VocabularyError
from reader.models import Article, ArticleMeta

TEXT = "Sanksi baru terhadap Korea Utara. Rusia mengirim senjata. Perjanjian diteken."


def _article(article_id: str) -> Article:
    return Article(ArticleMeta(article_id, f"{article_id}.txt", "t"), TEXT, (), {},
                   hashlib.sha256(TEXT.encode()).hexdigest())


def _setup(tmp_path: Path) -> tuple[AnnotationStore, Vocabulary]:
    ann_dir = tmp_path / "annotations"
    store = AnnotationStore(ann_dir)
    v = Vocabulary(ann_dir / "vocabulary.yml")
    v.add("military cooperation/arms transfer")
    v.add("military cooperation/exercises")
    v.add("sanctions/economic")
    return store, v


def _tags(store: AnnotationStore, article: Article) -> list[list[str]]:
    return [a.tags for a in store.load(article).annotations]


def test_tree_shows_parents_that_are_not_tags_and_keeps_order() -> None:
    nodes = hierarchy.tree(["sanctions", "military cooperation/arms transfer", "treaties",
                            "sanctions/economic", "a/b/c"])
    assert [(n.path, n.depth, n.is_tag) for n in nodes] == [
        ("sanctions", 0, True), ("sanctions/economic", 1, True),
        ("military cooperation", 0, False), ("military cooperation/arms transfer", 1, True),
        ("treaties", 0, True), ("a", 0, False), ("a/b", 1, False), ("a/b/c", 2, True)]
    assert nodes[3].label == "arms transfer"
    odd = hierarchy.tree(["a//b", "/x", "w/", "c / d"])  # hand-written: each stays a tag
    assert [(n.path, n.depth, n.is_tag) for n in odd] == [
        ("a//b", 0, True), ("/x", 0, True), ("w/", 0, True), ("c / d", 0, True)]
    assert hierarchy.expand(["Military Cooperation"], ["military cooperation/arms transfer",
                                                       "military cooperationx"]) == [
        "Military Cooperation", "military cooperation/arms transfer"]


def test_rollup_counts_each_passage_once_per_node() -> None:
    sets = [["a/b", "a/c"], ["a"], ["x/y"], ["a/b"]]
    folded = [(n.path, c) for n, c in hierarchy.rollup(sets)]
    assert folded == [("a", 3), ("x", 1)]
    unfolded = [(n.path, n.depth, c) for n, c in hierarchy.rollup(sets, unfold=True)]
    assert unfolded == [("a", 0, 3), ("a/b", 1, 2), ("a/c", 1, 1), ("x", 0, 1), ("x/y", 1, 1)]


def test_move_takes_children_along_and_undo_puts_everything_back(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    one = _article("one")
    store.add(one, 0, 6, ["military cooperation/arms transfer", "treaties"])
    store.add(one, 34, 40, ["military cooperation/exercises"])
    before = (store.path_for("one").read_bytes(), v.path.read_bytes())
    op = tagops.move(v, store, "military cooperation", "treaties")
    assert _tags(store, one) == [["treaties/military cooperation/arms transfer", "treaties"],
                                 ["treaties/military cooperation/exercises"]]
    assert Vocabulary(v.path).get("treaties/military cooperation/exercises") is not None
    assert Vocabulary(v.path).get("military cooperation/exercises") is None
    assert op.passages == 2
    with pytest.raises(ValueError, match="under itself"):
        tagops.move(v, store, "treaties", "treaties/military cooperation")
    message = tagops.undo(v, store, op)
    assert "2 passage(s) back" in message
    assert _tags(store, one) == [["military cooperation/arms transfer", "treaties"],
                                 ["military cooperation/exercises"]]
    assert store.path_for("one").read_bytes() == before[0]
    assert yaml.safe_load(v.path.read_text())["tags"] == yaml.safe_load(before[1])["tags"]


def test_merge_keeps_each_passage_once_and_drops_the_merged_tag(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    v.add("arms", cues=["senjata api"])
    one, two = _article("one"), _article("sub/two")
    store.add(one, 0, 6, ["arms", "military cooperation/arms transfer"])
    store.add(one, 34, 40, ["arms"])
    store.add(two, 0, 6, ["treaties"])
    op = tagops.merge(v, store, "arms", "military cooperation/arms transfer")
    assert _tags(store, one) == [["military cooperation/arms transfer"],
                                 ["military cooperation/arms transfer"]]
    assert _tags(store, two) == [["treaties"]]
    assert Vocabulary(v.path).get("arms") is None
    assert op.report.files == 1 and op.passages == 2
    merged = Vocabulary(v.path).get("military cooperation/arms transfer")
    assert merged is not None and "senjata api" in merged.cues  # the cues of both suggest
    tagops.undo(v, store, op)
    assert _tags(store, one) == [["arms", "military cooperation/arms transfer"], ["arms"]]
    assert Vocabulary(v.path).get("arms") is not None


def test_undo_leaves_a_passage_changed_elsewhere_since(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    v.add("arms")
    one = _article("one")
    a = store.add(one, 0, 6, ["arms"])
    b = store.add(one, 34, 40, ["arms"])
    op = tagops.merge(v, store, "arms", "treaties")
    AnnotationStore(store.dir).update(one, b.id, tags=["treaties", "sanctions"])
    message = tagops.undo(v, store, op)
    assert "1 passage(s) changed elsewhere" in message
    tags = {x.id: x.tags for x in store.load(one).annotations}
    assert tags == {a.id: ["arms"], b.id: ["treaties", "sanctions"]}


def test_split_by_passage_adds_the_new_tag_first(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    one, two = _article("one"), _article("two")
    a = store.add(one, 0, 6, ["sanctions"])
    store.add(one, 34, 40, ["sanctions", "treaties"])
    store.add(two, 0, 6, ["sanctions"])
    op = tagops.split(v, store, "sanctions", "sanctions/financial",
                      lambda _aid, ann: ann.id != a.id)
    assert _tags(store, one) == [["sanctions"], ["sanctions/financial", "treaties"]]
    assert _tags(store, two) == [["sanctions/financial"]]
    names = [t.name for t in Vocabulary(v.path).tags]
    assert names.index("sanctions/financial") == names.index("sanctions") + 1
    assert op.passages == 2
    with pytest.raises(KeyError):
        tagops.split(v, store, "nothing", "x", lambda *_: True)


def test_a_broken_file_is_named_and_the_same_command_finishes(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    one = _article("one")
    store.add(one, 0, 6, ["military cooperation/exercises"])
    broken = store.path_for("three")
    broken.write_text("annotations:\n  - id: x\n    tags: [sanctions\n", encoding="utf-8")
    kept = broken.read_bytes()
    with pytest.raises(tagops.TagOpIncomplete, match="three.yaml"):
        tagops.move(v, store, "military cooperation", "treaties")
    assert broken.read_bytes() == kept
    assert _tags(store, one) == [["treaties/military cooperation/exercises"]]
    broken.write_text("annotations:\n  - id: x\n    quote: Sanksi\n    start: 0\n    end: 6\n"
                      "    tags: [military cooperation/exercises]\n", encoding="utf-8")
    op = tagops.move(v, store, "military cooperation", "treaties")  # the same again
    assert op.passages == 1
    assert store.load_raw("three").annotations[0].tags == [
        "treaties/military cooperation/exercises"]
    with pytest.raises(ValueError, match="is there already"):
        tagops.move(v, store, "treaties/military cooperation", "treaties")


def test_definitions_round_trip_and_wrong_types_are_refused_with_line(tmp_path: Path) -> None:
    path = tmp_path / "annotations" / "vocabulary.yml"
    v = Vocabulary(path)
    v.describe("sanctions", include="Measures by a state against another",
               exclude="Domestic penalties (use law)")
    v.set_example("sanctions", ("rusia-korea", "a1b2c3"))
    tag = Vocabulary(path).get("sanctions")
    assert tag is not None
    assert (tag.include, tag.exclude, tag.example) == (
        "Measures by a state against another", "Domestic penalties (use law)",
        ("rusia-korea", "a1b2c3"))
    raw = yaml.safe_load(path.read_text())["tags"]
    assert raw[0]["example"] == {"article": "rusia-korea", "passage": "a1b2c3"}
    assert "include" not in raw[1]  # only written when set: old files stay as they were
    v.set_example("sanctions", None)
    v.describe("sanctions", include="")
    assert "example" not in yaml.safe_load(path.read_text())["tags"][0]
    assert "include" not in yaml.safe_load(path.read_text())["tags"][0]
    path.write_text("version: 1\ntags:\n  - name: a\n    colour: '#123456'\n"
                    "  - name: b\n    colour: '#123456'\n    include: [x]\n", encoding="utf-8")
    broken = Vocabulary(path)
    assert isinstance(broken.error, VocabularyError)
    assert broken.error.line == 5 and "include must be text" in str(broken.error)
    path.write_text("version: 1\ntags:\n  - name: b\n    colour: '#123456'\n"
                    "    example: one\n", encoding="utf-8")
    assert "example must be a mapping" in str(Vocabulary(path).error)


def test_a_split_that_chooses_nothing_adds_no_tag(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    store.add(_article("one"), 0, 6, ["sanctions"])
    before = v.path.read_bytes()
    with pytest.raises(ValueError, match="nothing split"):
        tagops.split(v, store, "sanctions", "sanctions/none", lambda *_: False)
    assert v.path.read_bytes() == before


def test_a_broken_vocabulary_refuses_before_any_file_changes(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    one = _article("one")
    store.add(one, 0, 6, ["sanctions"])
    kept = store.path_for("one").read_bytes()
    v.path.write_text("version: 1\ntags: [\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="nothing changed"):
        tagops.move(v, store, "sanctions", "treaties")
    assert store.path_for("one").read_bytes() == kept


def test_move_keeps_the_vocabulary_spelling(tmp_path: Path) -> None:
    store, v = _setup(tmp_path)
    op = tagops.move(v, store, "TREATIES", "Sanctions")
    assert op.renamed == {"treaties": "sanctions/treaties"}
