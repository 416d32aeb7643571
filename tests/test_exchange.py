"""REFI-QDA codebooks and projects: what is written is valid QDA-XML 1.0 and reads back whole;
another tool's project (ATLAS.ti's sample) reads; GUIDs and bytes are stable."""

from __future__ import annotations

import random
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from reader.exchange import (
    Code,
    ExchangeError,
    Note,
    Project,
    code_tree,
    codebook_xml,
    project_archive,
    read_codebook,
    read_project,
    stable_guid,
    walk_codes,
    write_codebook,
    write_project,
)
from reader.exchange.read import parse_codebook
from reader.exchange.write import project_xml
from tests.conftest import corpora_or_skip
from tests.exchange_samples import (
    ANA,
    ATLAS_SAMPLE,
    codebook_schema,
    in_file_order,
    project_schema,
    random_project,
    sample_project,
    standards_or_skip,
)

NS = {"q": "urn:QDA-XML:project:1.0"}


def test_the_sample_project_is_valid_against_the_schema_and_reads_back_whole(tmp_path: Path):
    project = sample_project()
    qde = project_xml(project)
    project_schema().validate(qde.decode("utf-8"))
    path = tmp_path / "study.qdpx"
    write_project(path, project)
    imported = read_project(path)
    assert imported.left_out == () and imported.message() == ""
    assert imported.project == in_file_order(project)


def test_what_the_project_file_holds(tmp_path: Path):
    project = sample_project()
    path = tmp_path / "study.qdpx"
    write_project(path, project)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names[0] == "project.qde"
        assert sorted(names[1:]) == sorted(f"Sources/{s.guid}.txt" for s in project.sources)
        for s in project.sources:
            assert z.read(f"Sources/{s.guid}.txt").decode("utf-8") == s.text
        qde = z.read("project.qde").decode("utf-8")
    # hierarchy as nested codes, colour as an attribute, definitions in the Description
    assert ('<Code guid="' + stable_guid("code", "military cooperation/arms transfer")
            + '" name="arms transfer" isCodable="true"/>') in qde
    assert 'name="sanctions" isCodable="true" color="#d62728"' in qde
    assert ("<Description>Economic and financial measures.\n\nInclude: asset freezes, export "
            "bans\n\nExclude: tariffs in trade disputes\n\nExample: The EU's 14th package "
            "targets the shadow fleet</Description>") in qde
    # a carriage return survives XML's line-end normalisation
    assert "Agreements signed&#13;\nor announced." in qde
    # positions count code points: the ship is one character, as in Python
    t2 = project.sources[1].text
    ship = t2.index("🚢")
    assert f'startPosition="{ship}" endPosition="{ship + 1}"' in qde
    assert 'plainTextPath="internal://' in qde


def test_the_codebook_is_the_codebook_element_alone_and_valid(tmp_path: Path):
    project = sample_project()
    xml = codebook_xml(project.codes)
    text = xml.decode("utf-8")
    codebook_schema().validate(text)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n'
                           '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">')
    # valid against the published Codebook.xsd too: no NoteRef in codes, no origin
    assert "NoteRef" not in text and "origin" not in text
    path = tmp_path / "tags.qdc"
    write_codebook(path, project.codes)
    back = read_codebook(path)
    no_memos = code_tree([replace(c, name=p, children=(), notes=())
                          for p, c in walk_codes(project.codes)])
    assert back.project.codes == no_memos
    assert back.project.name == "tags" and back.left_out == ()


def test_the_codebook_of_a_project_reads_as_a_codebook(tmp_path: Path):
    path = tmp_path / "study.qdpx"
    project = sample_project()
    write_project(path, project)
    back = read_codebook(path)
    assert back.project.codes == project.codes
    assert back.project.users == project.users and back.project.sources == ()


def test_atlas_ti_sample_gives_its_two_level_codebook_and_its_users():
    standards_or_skip()
    project_schema().validate(zipfile.ZipFile(ATLAS_SAMPLE).read("project.qde").decode())
    imported = read_project(ATLAS_SAMPLE)
    p = imported.project
    assert imported.left_out == ()
    assert p.name == "target-atlas-project" and p.origin.startswith("ATLAS.ti")
    assert [(u.name, u.guid) for u in p.users] == [
        ("Enric Llagostera", "088b08ac-d5cd-4adb-8b71-b4f3459c177f"),
        ("ATLAS.ti", "c32a2bd5-537f-4838-8b17-df9efbafdf4b")]
    assert [path for path, _ in walk_codes(p.codes)] == [
        "Commits", "Commits/2022-05-10T02:05:59Z 19e4dce", "Commits/2022-02-11T10:39:25Z cdbfd92"]
    assert p.codes[0].guid == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    assert all(c.codable for _, c in walk_codes(p.codes))
    assert p.sources == () and p.selections == ()
    assert read_codebook(ATLAS_SAMPLE).project.codes == p.codes


def test_random_projects_are_valid_and_round_trip(tmp_path: Path):
    rng = random.Random(20261125)
    counts = {"projects": 0, "codes": 0, "sources": 0, "selections": 0, "codings": 0}
    for i in range(60):
        project = random_project(rng)
        project_schema().validate(project_xml(project).decode("utf-8"))
        codebook_schema().validate(codebook_xml(project.codes).decode("utf-8"))
        path = tmp_path / f"p{i}.qdpx"
        write_project(path, project)
        assert read_project(path).project == in_file_order(project)
        counts["projects"] += 1
        counts["codes"] += sum(1 for _ in walk_codes(project.codes))
        counts["sources"] += len(project.sources)
        counts["selections"] += len(project.selections)
        counts["codings"] += sum(len(s.codings) for s in project.selections)
    print("round trips:", counts)
    assert counts["selections"] > 100 and counts["codings"] > 100


def test_real_articles_round_trip_with_random_passages(tmp_path: Path):
    corpora = corpora_or_skip()
    rng = random.Random(7)
    files = sorted(corpora.glob("*/**/*.txt"))
    picked = rng.sample(files, min(300, len(files)))
    texts = [f.read_text(encoding="utf-8") for f in picked]
    total = {"articles": 0, "selections": 0, "characters": 0}
    for k in range(0, len(texts), 50):
        project = random_project(rng, texts[k : k + 50])
        project_schema().validate(project_xml(project).decode("utf-8"))
        path = tmp_path / f"c{k}.qdpx"
        write_project(path, project)
        assert read_project(path).project == in_file_order(project)
        total["articles"] += len(project.sources)
        total["selections"] += len(project.selections)
        total["characters"] += sum(len(s.text) for s in project.sources)
    print("real articles round trip:", total)
    assert total["articles"] == len(texts)


def test_the_same_data_gives_the_same_bytes_and_guids():
    assert project_archive(sample_project()) == project_archive(sample_project())
    assert codebook_xml(sample_project().codes) == codebook_xml(sample_project().codes)
    # the GUIDs are fixed for good: a change would make every re-export a new project
    assert stable_guid("code", "sanctions") == "149f373a-8d92-5316-b612-aaa8ca8f19db"
    assert stable_guid("code", "sanctions") != stable_guid("code", "sanction")
    assert stable_guid("user", "a", "b") != stable_guid("user", "ab")


def test_characters_xml_cannot_hold_become_replacement_characters(tmp_path: Path):
    project = sample_project()
    project = replace(project, notes=(Note(stable_guid("memo", "x"), "bell\x07", "a\x00b\x1bc"),))
    path = tmp_path / "p.qdpx"
    write_project(path, project)
    project_schema().validate(zipfile.ZipFile(path).read("project.qde").decode("utf-8"))
    note = read_project(path).project.notes[0]
    assert (note.name, note.text) == ("bell\ufffd", "a\ufffdb\ufffdc")


def test_code_tree_nests_paths_and_makes_missing_parents():
    tree = code_tree([Code("", "a/b/c", "#000000"), Code(stable_guid("code", "d"), "d"),
                      Code(stable_guid("code", "a"), "a", "#111111")])
    assert [(p, c.colour) for p, c in walk_codes(tree)] == [
        ("a", "#111111"), ("a/b", ""), ("a/b/c", "#000000"), ("d", "")]
    assert tree[0].children[0].guid == stable_guid("code", "a/b")  # the made parent
    for bad in (["a//b"], ["/a"], ["a/"], ["a", "a"]):
        with pytest.raises(ValueError):
            code_tree([Code(stable_guid("code", n), n) for n in bad])
    # a "/" inside one name (from another tool) is no level of the hierarchy
    assert [p for p, _ in walk_codes([Code("g", "and/or")])] == ["and\u2215or"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: replace(p, codes=(replace(p.codes[0], colour="red"),) + p.codes[1:]),
     "colour 'red' is not #rrggbb"),
    (lambda p: replace(p, users=(replace(p.users[0], guid="ana"),) + p.users[1:]),
     "'ana' is not a GUID"),
    (lambda p: replace(p, users=p.users + (replace(p.users[0], name="Ana 2"),)),
     "is already used by coder 'Ana'"),
    (lambda p: replace(p, selections=(replace(p.selections[0], quote="other"),)),
     "its quote is not the text at"),
    (lambda p: replace(p, selections=(replace(p.selections[0], end=10**6),)),
     "is outside the text"),
    (lambda p: replace(p, selections=(replace(p.selections[0], source=stable_guid("x")),)),
     "is not in the project"),
    (lambda p: replace(p, users=()), "its coder"),
    (lambda p: replace(p, codes=p.codes[:1]), "its tag"),
    (lambda p: replace(p, selections=(replace(p.selections[0], created="yesterday"),)),
     "creationDateTime 'yesterday' is not a date and time"),
])
def test_writing_refuses_what_the_schema_or_the_data_would_not_hold(change, message):
    with pytest.raises(ExchangeError, match=message):
        project_archive(change(sample_project()))


def test_writing_replaces_an_existing_file_whole(tmp_path: Path):
    path = tmp_path / "study.qdpx"
    path.write_bytes(b"old")
    write_project(path, sample_project())
    assert read_project(path).project.name == "Russia and North Korea"
    assert [p.name for p in tmp_path.iterdir()] == ["study.qdpx"]
    with pytest.raises(ExchangeError):
        write_project(path, replace(sample_project(), users=()))
    assert read_project(path).project.name == "Russia and North Korea"


def test_a_definition_reads_back_into_its_parts():
    code = Code(stable_guid("code", "t"), "t", description="Line one\n\nline two",
                inclusion="in", exclusion="out\n\nstill out", example="ex")
    back = parse_codebook(codebook_xml([code]), "t.qdc").project.codes[0]
    assert back == code
    only = Code(stable_guid("code", "t"), "t", example="just an example")
    assert parse_codebook(codebook_xml([only]), "t.qdc").project.codes[0] == only


def test_a_project_of_users_and_codes_only_is_valid():
    project = Project("empty", (ANA,), sample_project().codes)
    project_schema().validate(project_xml(project).decode("utf-8"))
    project_schema().validate(project_xml(Project("nothing")).decode("utf-8"))
