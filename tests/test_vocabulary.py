"""The tag vocabulary file: defaults, editing, broken files, rename across annotations."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.annotations.format import AnnotationFileError, UnknownTagError
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import RenameIncomplete, Vocabulary, VocabularyError
from reader.models import Article, ArticleMeta

REQUIRED_CUES = {
    "sanctions": {"sanksi", "embargo", "sanctions", "sanksi ekonomi", "pembatasan"},
    "military cooperation": {"militer", "senjata", "amunisi", "pertahanan", "military",
                             "weapons", "arms", "ammunition", "kerja sama militer"},
    "treaties": {"perjanjian", "traktat", "kemitraan strategis", "deklarasi", "treaty",
                 "agreement", "pact", "partnership"},
}


def test_defaults_without_a_file(tmp_path: Path) -> None:
    v = Vocabulary(tmp_path / "annotations" / "vocabulary.yml")
    assert v.error is None and not v.exists
    assert [t.name for t in v.active()] == list(REQUIRED_CUES)
    for name, cues in REQUIRED_CUES.items():
        tag = v.get(name)
        assert tag is not None and cues <= set(tag.cues)
        assert tag.colour.startswith("#") and tag.key and tag.description
    assert v.get("SANCTIONS") is v.get("sanctions")


def test_add_recolour_retire_unretire_describe_persist(tmp_path: Path) -> None:
    path = tmp_path / "annotations" / "vocabulary.yml"
    v = Vocabulary(path)
    tag = v.add("energy deals", description="Oil and gas", cues=["minyak", "oil", "oil"])
    assert tag.colour not in {t.colour for t in v.tags if t.name != "energy deals"}
    assert tag.cues == ("minyak", "oil")
    v.recolour("sanctions", "#123456")
    v.retire("treaties")
    v.describe("energy deals", cues=["gas"])
    fresh = Vocabulary(path)
    assert fresh.get("sanctions").colour == "#123456"  # type: ignore[union-attr]
    assert fresh.get("treaties").retired  # type: ignore[union-attr]
    assert "treaties" not in [t.name for t in fresh.active()]
    assert fresh.get("energy deals").cues == ("gas",)  # type: ignore[union-attr]
    fresh.unretire("treaties")
    assert not Vocabulary(path).get("treaties").retired  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        v.add("Sanctions")
    with pytest.raises(ValueError):
        v.recolour("sanctions", "red-ish")
    with pytest.raises(KeyError):
        v.retire("nope")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Tag vocabulary") and "!!" not in text


def test_hand_edits_and_unknown_keys_survive(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yml"
    path.write_text("version: 1\nowner: ana\ntags:\n  - name: hukum\n    colour: '#abcdef'\n"
                    "    key: 7\n    cues: [undang-undang, law]\n    source: manual\n",
                    encoding="utf-8")
    v = Vocabulary(path)
    assert v.names() == ["hukum"] and v.get("hukum").key == "7"  # type: ignore[union-attr]
    v.add("energi")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["owner"] == "ana" and data["tags"][0]["source"] == "manual"


def test_broken_file_reported_not_overwritten_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yml"
    path.write_text("version: 1\ntags:\n  - name: a\n    colour: '#abcdef'\n"
                    "  - name: b\n    colour: blue\n", encoding="utf-8")
    before = path.read_bytes()
    v = Vocabulary(path)
    assert isinstance(v.error, VocabularyError) and v.error.line == 5
    assert "colour" in v.error.reason
    assert [t.name for t in v.tags] == list(REQUIRED_CUES)
    with pytest.raises(VocabularyError):
        v.add("new")
    assert path.read_bytes() == before
    path.write_text("tags: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    assert Vocabulary(path).error is not None


def _article(article_id: str, text: str = "Sanksi baru terhadap Korea Utara.") -> Article:
    import hashlib

    return Article(ArticleMeta(article_id, f"{article_id}.txt", "t"), text, (), {},
                   hashlib.sha256(text.encode()).hexdigest())


def test_rename_follows_every_annotation_and_reports_broken_files(tmp_path: Path) -> None:
    ann_dir = tmp_path / "annotations"
    store = AnnotationStore(ann_dir)
    v = Vocabulary(ann_dir / "vocabulary.yml")
    one, two = _article("one"), _article("sub/two")
    store.add(one, 0, 6, ["sanctions", "treaties"])
    store.add(one, 7, 11, ["treaties"])
    store.add(two, 0, 6, ["sanctions"])
    broken = store.path_for("three")
    broken.write_text("annotations:\n  - id: x\n    tags: [sanctions\n", encoding="utf-8")
    before = broken.read_bytes()
    with pytest.raises(RenameIncomplete) as info:
        v.rename("sanctions", "embargoes", store)
    assert "three.yaml" in str(info.value)
    assert broken.read_bytes() == before
    assert v.get("sanctions") is None and v.get("embargoes") is not None
    assert [a.tags for a in store.load(one).annotations] == [["embargoes", "treaties"],
                                                            ["treaties"]]
    assert store.load(two).annotations[0].tags == ["embargoes"]
    # after fixing the file, the same rename finishes the job
    broken.write_text("annotations: []\n", encoding="utf-8")
    assert v.rename("sanctions", "embargoes", store) == 0
    assert Vocabulary(v.path).get("embargoes") is not None
    with pytest.raises(ValueError):
        v.rename("embargoes", "treaties", store)


# -- a tag not in the vocabulary is never written ---------------------------------------------
def test_a_tag_renamed_elsewhere_is_refused_at_write_time(tmp_path: Path) -> None:
    """A reader's picker still offers "recognition" after another terminal renamed it: the
    store refuses to write it (nothing changes on disk), whatever the stale vocabulary says."""
    ann_dir = tmp_path / "annotations"
    store = AnnotationStore(ann_dir)
    stale = Vocabulary(ann_dir / "vocabulary.yml")
    stale.add("recognition")
    article = _article("one")
    a = store.add(article, 0, 6, ["recognition"])
    elsewhere = Vocabulary(ann_dir / "vocabulary.yml")
    elsewhere.rename("recognition", "pengakuan wilayah", AnnotationStore(ann_dir))
    assert stale.get("recognition") is not None  # this window has not re-read the file
    path = store.path_for(article.id)
    before = path.read_bytes()
    for change in (lambda: store.add(article, 7, 11, ["recognition"]),
                   lambda: store.add_many(article, [(7, 11)], ["treaties", "recognition"]),
                   lambda: store.tag(article, 0, 6, ["recognition"]),
                   lambda: store.update(article, a.id, tags=["pengakuan wilayah",
                                                             "recognition"])):
        with pytest.raises(UnknownTagError) as info:
            change()
        assert info.value.tag == "recognition" and "\n" not in str(info.value)
        assert "not in the vocabulary" in str(info.value)
        assert isinstance(info.value, AnnotationFileError)
        assert path.read_bytes() == before
    step = store.peek_undo()  # nothing refused was recorded for undo either
    assert step is not None and [c.annotation_id for c in step.changes] == [a.id]
    assert store.add(article, 7, 11, ["Pengakuan Wilayah"]).tags == ["pengakuan wilayah"]


def test_tags_already_on_a_passage_stay(tmp_path: Path) -> None:
    """Retired and hand-written tags are kept when the passage is edited; only adding a tag
    that the vocabulary does not hold is refused."""
    ann_dir = tmp_path / "annotations"
    store = AnnotationStore(ann_dir)
    article = _article("one")
    a = store.add(article, 0, 6, ["sanctions"])
    path = store.path_for(article.id)
    path.write_text(path.read_text(encoding="utf-8").replace("- sanctions", "- sanctions\n"
                                                             "      - by hand"),
                    encoding="utf-8")
    Vocabulary(ann_dir / "vocabulary.yml").retire("sanctions")
    edited = store.update(article, a.id, note="checked")
    assert edited.tags == ["sanctions", "by hand"] and edited.note == "checked"
    assert store.update(article, a.id, tags=["by hand", "sanctions", "treaties"]).tags == [
        "by hand", "sanctions", "treaties"]
    assert store.add(article, 7, 11, ["sanctions"]).tags == ["sanctions"]  # retired: a name
    with pytest.raises(UnknownTagError):
        store.add(article, 12, 16, ["by hand"])
