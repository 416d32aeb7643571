"""The tag vocabulary as a REFI-QDA codebook: the export is valid QDA-XML with the hierarchy of
``/`` names, an import merges by name and says what changed, ATLAS.ti's codebook comes in
with its two levels, and ``reader tags --export-codebook/--import-codebook`` run as a user
runs them."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from reader.annotations.codebook import (
    codebook_codes,
    definition_of,
    export_codebook,
    import_codebook,
    plan_merge,
)
from reader.annotations.vocabulary import Vocabulary, VocabularyError
from reader.exchange import (
    Code,
    ExchangeError,
    code_tree,
    codebook_xml,
    read_codebook,
    stable_guid,
    walk_codes,
)
from reader.models import Tag
from tests.cli_helpers import ok, one_line_error, run
from tests.exchange_samples import ATLAS_SAMPLE, codebook_schema, standards_or_skip


@pytest.fixture
def vocabulary(tmp_path: Path) -> Vocabulary:
    vocab = Vocabulary(tmp_path / "annotations" / "vocabulary.yml")
    vocab.add("sanctions/economic", colour="#ABC",
              description="Asset freezes, export bans\n\nInclude: secondary sanctions")
    vocab.add("military cooperation/arms transfer")
    vocab.retire("treaties")
    return vocab


def test_the_export_is_a_valid_codebook_with_the_hierarchy(vocabulary: Vocabulary,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "study.qdc"
    assert export_codebook(vocabulary, path) == 5
    xml = path.read_text(encoding="utf-8")
    codebook_schema().validate(xml)
    codes = read_codebook(path).project.codes
    arms = vocabulary.get("military cooperation/arms transfer")
    assert arms is not None
    assert [(p, c.colour) for p, c in walk_codes(codes)] == [
        ("sanctions", "#e06c75"), ("sanctions/economic", "#aabbcc"),
        ("military cooperation", "#61afef"), (arms.name, arms.colour),
        ("treaties", "#98c379")]  # retired: still a code (its passages keep it)
    economic = codes[0].children[0]
    assert (economic.name, economic.guid) == ("economic", stable_guid("code",
                                                                      "sanctions/economic"))
    assert (economic.description, economic.inclusion) == ("Asset freezes, export bans",
                                                          "secondary sanctions")
    assert codebook_xml(codebook_codes(vocabulary.tags)) == path.read_bytes()  # stable


def test_a_name_that_is_no_path_is_refused_and_nothing_written(tmp_path: Path) -> None:
    vocab = Vocabulary(tmp_path / "vocabulary.yml")
    vocab.add("a//b")
    with pytest.raises(ValueError, match="empty part"):
        export_codebook(vocab, tmp_path / "x.qdc")
    assert not (tmp_path / "x.qdc").exists()


def test_importing_into_another_library_gives_the_same_tags(vocabulary: Vocabulary,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "study.qdc"
    export_codebook(vocabulary, path)
    other = Vocabulary(tmp_path / "other" / "vocabulary.yml")
    other.rename("treaties", "perjanjian")
    merge = import_codebook(other, path)
    assert merge.applied and merge.names("added") == [
        "sanctions/economic", "military cooperation/arms transfer", "treaties"]
    assert merge.names("unchanged") == ["sanctions", "military cooperation"]
    assert merge.summary() == ("study.qdc: 5 tags: 3 added, 0 described, 0 recoloured, "
                               "2 unchanged")
    for name in merge.names("added"):
        mine, theirs = vocabulary.get(name), Vocabulary(other.path).get(name)
        assert theirs is not None and mine is not None
        assert (definition_of(theirs), theirs.colour.lower()) == (
            definition_of(mine), "#aabbcc" if mine.colour == "#ABC" else mine.colour)
    assert Vocabulary(other.path).get("perjanjian") is not None  # nothing removed
    again = import_codebook(Vocabulary(other.path), path)
    assert set(again.names("unchanged")) == {"sanctions", "sanctions/economic", "treaties",
                                             "military cooperation",
                                             "military cooperation/arms transfer"}


def test_a_merge_takes_what_the_codebook_says_and_blanks_nothing() -> None:
    tags = [Tag("Sanctions", "#e06c75", "1", "Ours"), Tag("treaties", "#98c379", "", "Keep")]
    codes = code_tree([
        Code(stable_guid("code", "s"), "sanctions", "#D62728", "Theirs", inclusion="bans"),
        Code(stable_guid("code", "t"), "treaties"),  # no colour, no description
        Code(stable_guid("code", "n"), "new/child", "", "A child"),
        Code(stable_guid("code", "x"), "SANCTIONS/x"),
    ])
    merge = plan_merge(tags, codes, "c.qdc", ["2 cases"])
    assert [(c.action, c.name) for c in merge.changes] == [
        ("described", "Sanctions"), ("recoloured", "Sanctions"), ("unchanged", "treaties"),
        ("added", "new"), ("added", "new/child"),
        ("left out", "SANCTIONS"),  # the same name as "sanctions" but for case
        ("added", "SANCTIONS/x")]
    assert merge.changes[5].reason == "named twice in the codebook"
    assert merge.changes[0].description == "Theirs\n\nInclude: bans"
    assert (merge.changes[1].old, merge.changes[1].colour) == ("#e06c75", "#d62728")
    assert merge.summary() == ("c.qdc: 5 tags: 3 added, 1 described, 1 recoloured, "
                               "1 unchanged; left out: 1 tag, 2 cases")


def test_a_dry_run_writes_nothing_and_a_refused_name_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "long.qdc"
    path.write_bytes(codebook_xml(code_tree([
        Code(stable_guid("code", "ok"), "short one"),
        Code(stable_guid("code", "long"), "x" * 70)])))
    vocab = Vocabulary(tmp_path / "annotations" / "vocabulary.yml")
    planned = import_codebook(vocab, path, dry_run=True)
    assert not planned.applied and planned.names("added") == ["short one", "x" * 70]
    assert not vocab.path.exists()
    done = import_codebook(vocab, path)
    assert done.names("added") == ["short one"]
    assert done.changes[1].action == "left out" and "at most 60" in done.changes[1].reason
    assert done.summary().endswith("; left out: 1 tag")


def test_a_broken_vocabulary_or_file_changes_nothing(vocabulary: Vocabulary,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "study.qdc"
    export_codebook(vocabulary, path)
    vocabulary.path.write_text("tags: [\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="not changed"):
        import_codebook(Vocabulary(vocabulary.path), path)
    assert vocabulary.path.read_text(encoding="utf-8") == "tags: [\n"
    for content in (b"not xml", b'<!DOCTYPE x [<!ENTITY e "e">]><CodeBook/>',
                    b'<Project xmlns="urn:QDA-XML:project:1.0"/>'):
        path.write_bytes(content)
        with pytest.raises(ExchangeError, match="study.qdc"):
            import_codebook(Vocabulary(tmp_path / "v2.yml"), path)
    assert not (tmp_path / "v2.yml").exists()


def test_atlas_ti_s_codebook_comes_in_with_its_two_levels(tmp_path: Path) -> None:
    standards_or_skip()
    vocab = Vocabulary(tmp_path / "annotations" / "vocabulary.yml")
    merge = import_codebook(vocab, ATLAS_SAMPLE)
    assert merge.names("added") == ["Commits", "Commits/2022-05-10T02:05:59Z 19e4dce",
                                    "Commits/2022-02-11T10:39:25Z cdbfd92"]
    assert merge.names("unchanged") == [] and merge.left_out == ()
    assert vocab.names()[:3] == ["sanctions", "military cooperation", "treaties"]
    # and back out: the same two levels, valid
    out = tmp_path / "back.qdc"
    export_codebook(vocab, out)
    codebook_schema().validate(out.read_text(encoding="utf-8"))
    commits = read_codebook(out).project.codes[3]
    assert [c.name for c in commits.children] == ["2022-05-10T02:05:59Z 19e4dce",
                                                  "2022-02-11T10:39:25Z cdbfd92"]
    # the project's codebook is read, not its sources
    assert "project.qde" in zipfile.ZipFile(ATLAS_SAMPLE).namelist()


def six(colour: str) -> str:
    return colour.lower() if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:].lower())


WORDS = ["sanksi", "ekonomi", "military", "arms transfer", "perjanjian", "Ökonomie", "北朝鮮",
         "kerja sama", "naval", "oil", "café"]


def test_random_vocabularies_round_trip_through_a_valid_codebook(tmp_path: Path) -> None:
    rng = random.Random(6)
    counts = {"vocabularies": 0, "tags": 0, "levels>1": 0, "definitions": 0}
    for k in range(25):
        vocab = Vocabulary(tmp_path / f"v{k}" / "vocabulary.yml")
        for _ in range(rng.randint(1, 12)):
            depth = rng.choice([1, 1, 2, 3])
            name = "/".join(rng.sample(WORDS, depth))
            if vocab.get(name) is not None:
                continue
            description = rng.choice(["", "Plain", "Two\n\nparagraphs", "Def\n\nInclude: a\n\n"
                                      "Exclude: b\n\nExample: c", "<xml> & \"quotes\""])
            vocab.add(name, colour=rng.choice([None, "#A1B2C3", "#fff"]),
                      description=description)
            # a definition of its own: inclusion, exclusion, example
            if rng.random() < 0.5 and "Include" not in description:
                vocab.describe(name, include=rng.choice(["", "when A", "x & <y>"]),
                               exclude=rng.choice(["", "not B"]))
                vocab.set_example(name, rng.choice([None, ("news/a-1", "p9")]))
                counts["definitions"] += 1
        path = tmp_path / f"v{k}.qdc"
        export_codebook(vocab, path)
        codebook_schema().validate(path.read_text(encoding="utf-8"))
        fresh = Vocabulary(tmp_path / f"w{k}" / "vocabulary.yml")
        merge = import_codebook(fresh, path)
        assert not merge.names("left out")
        back = {t.name: t for t in Vocabulary(fresh.path).tags}
        for tag in vocab.tags:
            got = back[tag.name]
            assert definition_of(got) == definition_of(tag), tag.name
            if tag.include or tag.exclude or tag.example:  # kept apart, not folded in
                assert (got.include, got.exclude, got.example) == (
                    tag.include, tag.exclude, tag.example), tag.name
            assert got.colour == six(tag.colour), tag.name
        assert set(back) >= {t.name for t in vocab.tags}
        counts["vocabularies"] += 1
        counts["tags"] += len(vocab.tags)
        counts["levels>1"] += sum("/" in t.name for t in vocab.tags)
    print("codebook round trips:", counts)
    assert counts["levels>1"] > 20


# -- reader tags --------------------------------------------------------------------------------
def test_tags_export_and_import_a_codebook(library_dir: Path, tmp_path: Path) -> None:
    ok(run("tags", "--add", "sanctions/economic", "--colour", "#123456", cwd=library_dir))
    out = tmp_path / "study.qdc"
    assert ok(run("tags", "--export-codebook", str(out), cwd=library_dir)) == (
        f"wrote 4 tags to {out}\n")
    other = tmp_path / "other"
    (other / "articles").mkdir(parents=True)
    ok(run("tags", "--recolour", "sanctions", "#000000", cwd=other))
    dry = run("tags", "--import-codebook", str(out), "--dry-run", cwd=other)
    assert ok(dry).splitlines() == [
        "would import study.qdc: 4 tags: 1 added, 0 described, 1 recoloured, 2 unchanged",
        "  recoloured  sanctions: #000000 -> #e06c75",
        "  added       sanctions/economic (#123456)"]
    assert "dry run" in dry.stderr
    assert "#000000" in ok(run("tags", cwd=other))
    done = ok(run("tags", "--import-codebook", str(out), cwd=other))
    assert done.startswith("imported study.qdc: 4 tags: 1 added")
    listed = ok(run("tags", cwd=other))
    assert "sanctions/economic\t#123456" in listed and "sanctions\t#e06c75" in listed
    standards_or_skip()
    atlas = ok(run("tags", "--import-codebook", str(ATLAS_SAMPLE), cwd=other))
    assert atlas.splitlines()[0] == ("imported atlas-ti-sample.qdpx: 3 tags: 3 added, "
                                     "0 described, 0 recoloured, 0 unchanged")


def test_tags_codebook_errors_are_one_line(library_dir: Path, tmp_path: Path) -> None:
    assert "does not exist" in one_line_error(
        run("tags", "--import-codebook", str(tmp_path / "none.qdc"), cwd=library_dir))
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook", encoding="utf-8")
    assert "bad.qdc" in one_line_error(run("tags", "--import-codebook", str(bad),
                                           cwd=library_dir))
    assert "folder" in one_line_error(
        run("tags", "--export-codebook", str(tmp_path / "no" / "x.qdc"), cwd=library_dir))
    one_line_error(run("tags", "--export-codebook", "x.qdc", "--import-codebook", "y.qdc",
                       cwd=library_dir), code=2)
    assert "--dry-run goes with --import-codebook" in one_line_error(
        run("tags", "--dry-run", cwd=library_dir), code=2)
