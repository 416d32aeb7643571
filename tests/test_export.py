"""Exports: each format's content and shape, determinism, hard text, and ``reader export``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader.annotations.store import AnnotationStore
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from reader.review.export import FORMATS, W3C_CONTEXT, export, export_bytes, md_escape, to_w3c
from reader.review.rows import ReviewRow, collect
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

HARD_QUOTE = 'He said "no", then — café, 北朝鮮;\nnew line, a comma\tand tab'


def hard_row(**kw: Any) -> ReviewRow:
    base: dict[str, Any] = dict(
        article_id="dir/art", title='Title, with "quotes" and *stars*', source="Kompas",
        date="2024-06-19", annotation_id="abc123", tags=("sanctions", "épique"),
        quote=HARD_QUOTE, note="=SUM(A1) first line\nsecond — line", start=10, end=70,
        prefix="before ", suffix=" after", created="2024-06-19T10:00:00Z",
        updated="2024-06-20T10:00:00Z", language="id", url="https://example.org/a?x=1")
    base.update(kw)
    return ReviewRow(**base)


@pytest.fixture
def annotated(config: Config) -> Config:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    kompas, lip = library.load(SEED_KOMPAS), library.load(SEED_LIPUTAN)
    q1 = "Korea Utara saat ini menghadapi sanksi ekonomi berat dari Dewan Keamanan PBB"
    i = kompas.text.index(q1)
    store.add(kompas, i, i + len(q1), ["sanctions"], 'UN "heavy" sanctions —\nsee the list')
    q2 = "perjanjian baru tentang Kemitraan Strategis Komprehensif"
    j = lip.text.index(q2)
    store.add(lip, j, j + len(q2), ["treaties", "military cooperation"])
    return config


# -- determinism ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_same_input_same_bytes_in_any_order(fmt: str) -> None:
    rows = [hard_row(), hard_row(article_id="a", annotation_id="z", start=1, end=3,
                                 tags=("treaties",)),
            hard_row(article_id="a", annotation_id="y", start=0, end=3, tags=())]
    one = export_bytes(rows, fmt)
    assert export_bytes(list(reversed(rows)), fmt) == one
    assert export_bytes(rows, fmt) == one
    assert one.decode("utf-8")  # valid UTF-8


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export([], "xml")


# -- Markdown ---------------------------------------------------------------------------------
def test_markdown_grouped_by_tag_with_blockquotes(annotated: Config) -> None:
    md = export(collect(annotated), "md")
    sections = [line for line in md.splitlines() if line.startswith("## ")]
    assert sections == ["## military cooperation", "## sanctions", "## treaties"]
    sanc = md.split("## sanctions")[1].split("## treaties")[0]
    assert "> Korea Utara saat ini menghadapi sanksi ekonomi berat" in sanc
    assert "characters" in sanc and SEED_KOMPAS in sanc
    assert '**Note:** UN "heavy" sanctions —\\\nsee the list' in sanc
    # the passage with two tags appears under both
    assert md.count("> perjanjian baru tentang Kemitraan Strategis Komprehensif") == 2
    assert "also tagged: treaties" in md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_markdown_quotes_multiline_and_escapes() -> None:
    md = export([hard_row(quote="1961. First\n\n# not a heading\n> not quoted")], "md")
    assert "> 1961\\. First\n>\n> \\# not a heading\n>\n> \\> not quoted" in md
    assert "*Title, with \"quotes\" and \\*stars\\**" in md
    assert md_escape("a_b [c](d) <e>") == "a\\_b \\[c\\](d) \\<e\\>"
    orphan = export([hard_row(orphaned=True)], "md")
    assert "orphaned" in orphan


def test_markdown_untagged_last() -> None:
    md = export([hard_row(tags=()), hard_row(annotation_id="k", tags=("zeta",))], "md")
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == ["## zeta", "## (untagged)"]


# -- CSV ------------------------------------------------------------------------------------------
def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_one_row_per_annotation_tag_pair_reads_back() -> None:
    data = export_bytes([hard_row(), hard_row(annotation_id="u", tags=())], "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    assert data.split(b"\r\n", 1)[0].endswith(b"url,coders")  # coders last: others stay
    rows = read_csv(data)
    assert len(rows) == 3
    assert [r["tag"] for r in rows] == ["sanctions", "épique", ""]
    first = rows[0]
    assert first["quote"] == HARD_QUOTE  # quotes, newline, tab, non-ASCII intact
    assert first["note"] == "'=SUM(A1) first line\nsecond — line"  # no formula injection
    assert first["title"] == 'Title, with "quotes" and *stars*'
    assert (first["start"], first["end"]) == ("10", "70")
    assert first["tags"] == "sanctions; épique"
    assert first["article_id"] == "dir/art" and first["date"] == "2024-06-19"
    assert first["url"] == "https://example.org/a?x=1"


def test_a_tag_filter_keeps_the_other_tags_out_of_sections_and_rows(annotated: Config,
                                                                     capsysbinary: Any) -> None:
    """Exporting the passages tagged 'treaties' gives a treaties report: one section, one CSV
    row per passage; the passage's other tags show as 'also tagged' and in the tags column."""
    assert main(["--library", str(annotated.library), "export", "--format", "md",
                 "--tag", "Treaties"]) == 0
    md = capsysbinary.readouterr().out.decode("utf-8")
    assert [line for line in md.splitlines() if line.startswith("## ")] == ["## treaties"]
    assert "also tagged: military cooperation" in md
    assert main(["--library", str(annotated.library), "export", "--format", "csv",
                 "--tag", "treaties"]) == 0
    rows = read_csv(capsysbinary.readouterr().out)
    assert [(r["tag"], sorted(r["tags"].split("; "))) for r in rows] == [
        ("treaties", ["military cooperation", "treaties"])]
    assert main(["--library", str(annotated.library), "overview", "--tag", "treaties",
                 "--json"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["per_tag"] == {"treaties": 1}


def test_csv_without_bom_and_empty() -> None:
    data = export_bytes([hard_row()], "csv", bom=False)
    assert data.startswith(b"tag,quote,")
    empty = export_bytes([], "csv")
    assert read_csv(empty) == []
    assert empty.decode("utf-8-sig").startswith("tag,quote,note")


def test_csv_from_the_library(annotated: Config) -> None:
    rows = read_csv(export_bytes(collect(annotated), "csv"))
    assert sorted(r["tag"] for r in rows) == ["military cooperation", "sanctions", "treaties"]
    text = Library(annotated).load(SEED_KOMPAS).text
    r = next(r for r in rows if r["tag"] == "sanctions")
    assert text[int(r["start"]):int(r["end"])] == r["quote"]


# -- JSON -----------------------------------------------------------------------------------------
def test_json_annotations_with_article_metadata(annotated: Config) -> None:
    doc = json.loads(export(collect(annotated), "json"))
    assert doc["version"] == 1 and doc["count"] == 2
    first = doc["annotations"][0]
    assert set(first) >= {"id", "article", "quote", "prefix", "suffix", "start", "end",
                          "tags", "note", "created", "updated", "orphaned"}
    assert set(first["article"]) >= {"id", "title", "source", "date", "language", "url"}
    assert [a["article"]["id"] for a in doc["annotations"]] == [SEED_LIPUTAN, SEED_KOMPAS]
    assert doc["annotations"][1]["note"] == 'UN "heavy" sanctions —\nsee the list'


def test_json_keeps_non_ascii_readable() -> None:
    out = export([hard_row()], "json")
    assert "北朝鮮" in out and "café" in out and "\\u" not in out
    assert json.loads(out)["annotations"][0]["quote"] == HARD_QUOTE


# -- W3C Web Annotation ---------------------------------------------------------------------------
def check_annotation(a: dict[str, Any]) -> None:
    """The model's MUSTs (and what we promise): context, IRI id, type, target with selectors,
    tagging/commenting TextualBody bodies."""
    assert a["@context"] == W3C_CONTEXT
    assert isinstance(a["id"], str) and ":" in a["id"]  # an IRI
    assert a["type"] == "Annotation"
    target = a["target"]
    assert isinstance(target["source"], str) and ":" in target["source"]
    selectors = target["selector"]
    quote = next(s for s in selectors if s["type"] == "TextQuoteSelector")
    assert isinstance(quote["exact"], str) and quote["exact"]
    assert isinstance(quote["prefix"], str) and isinstance(quote["suffix"], str)
    for s in selectors:
        if s["type"] == "TextPositionSelector":
            assert isinstance(s["start"], int) and isinstance(s["end"], int)
            assert 0 <= s["start"] <= s["end"]
        else:
            assert s["type"] == "TextQuoteSelector"
    for body in a.get("body", []):
        assert body["type"] == "TextualBody"
        assert body["purpose"] in ("tagging", "commenting")
        assert isinstance(body["value"], str) and body["value"]
    assert a["motivation"] in ("tagging", "commenting", "highlighting")


def test_w3c_collection_shape(annotated: Config) -> None:
    doc = json.loads(export(collect(annotated), "w3c"))
    assert doc["@context"] == W3C_CONTEXT
    assert doc["type"] == "AnnotationCollection" and ":" in doc["id"]
    assert doc["total"] == 2
    page = doc["first"]
    assert page["type"] == "AnnotationPage" and page["partOf"] == doc["id"]
    assert ":" in page["id"] and page["id"] != doc["id"]
    items = page["items"]
    assert len(items) == 2
    for a in items:
        check_annotation(a)
    treaty = items[0]
    tags = [b["value"] for b in treaty["body"] if b["purpose"] == "tagging"]
    assert tags == ["treaties", "military cooperation"]
    pos = next(s for s in treaty["target"]["selector"] if s["type"] == "TextPositionSelector")
    text = Library(annotated).load(SEED_LIPUTAN).text
    assert text[pos["start"]:pos["end"]] == "perjanjian baru tentang Kemitraan Strategis " \
                                            "Komprehensif"
    sanc = items[1]
    notes = [b for b in sanc["body"] if b["purpose"] == "commenting"]
    assert notes and notes[0]["value"].startswith('UN "heavy"')
    assert sanc["created"].endswith("Z") and "modified" in sanc
    assert len({a["id"] for a in items}) == 2


def test_w3c_uses_the_article_url_and_stable_ids() -> None:
    a = json.loads(to_w3c([hard_row()]))["first"]["items"][0]
    check_annotation(a)
    assert a["target"]["source"] == "https://example.org/a?x=1"
    b = json.loads(to_w3c([hard_row(note="other", tags=("x",))]))["first"]["items"][0]
    assert a["id"] == b["id"]  # the id depends on the annotation, not its content
    orphan = json.loads(to_w3c([hard_row(orphaned=True, url="")]))["first"]["items"][0]
    check_annotation(orphan)
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    assert orphan["target"]["source"].startswith("urn:uuid:")


def test_save_writes_atomically(annotated: Config, tmp_path: Path) -> None:
    from reader.review.export import default_filename, save

    target = tmp_path / default_filename("w3c")
    assert target.name == "passages.jsonld"
    assert save(collect(annotated), "w3c", target) == 2
    assert json.loads(target.read_text(encoding="utf-8"))["total"] == 2
    with pytest.raises(OSError):
        save(collect(annotated), "md", tmp_path / "missing" / "x.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib", "passages.jsonld"]


# -- reader export ----------------------------------------------------------------------------
def test_cli_export_to_stdout_and_file(annotated: Config, capsysbinary: Any,
                                       tmp_path: Path) -> None:
    lib = str(annotated.library)
    assert main(["--library", lib, "export", "--format", "md", "--tag", "sanctions"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert "## sanctions" in out and "## treaties" not in out
    target = tmp_path / "out.csv"
    assert main(["--library", lib, "export", "-f", "csv", "--tag", "treaties",
                 "military cooperation", "--out", str(target)]) == 0
    captured = capsysbinary.readouterr()
    assert b"exported 1 passage to" in captured.err
    assert len(read_csv(target.read_bytes())) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    # same export twice: same bytes
    before = target.read_bytes()
    assert main(["--library", lib, "export", "-f", "csv", "--tag", "treaties",
                 "military cooperation", "--out", str(target)]) == 0
    assert target.read_bytes() == before


def test_cli_export_query_and_errors(annotated: Config, capsysbinary: Any,
                                     tmp_path: Path) -> None:
    lib = str(annotated.library)
    assert main(["--library", lib, "export", "-f", "json", "--query", "amunisi"]) == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert [a["article"]["id"] for a in doc["annotations"]] == [SEED_KOMPAS]
    assert main(["--library", lib, "export", "-f", "json", "--query", '"unclosed']) == 2
    assert b"bad query" in capsysbinary.readouterr().err
    assert main(["--library", lib, "export", "-f", "md", "--tag", "nope"]) == 1
    assert "unknown tag “nope”".encode() in capsysbinary.readouterr().err
    assert main(["--library", lib, "export", "-f", "md", "--out", str(tmp_path)]) == 1
    assert b"is a folder" in capsysbinary.readouterr().err
    assert main(["--library", lib, "export", "-f", "md",
                 "--out", str(tmp_path / "missing" / "x.md")]) == 1
    assert b"does not exist" in capsysbinary.readouterr().err
    # a known tag without passages: an empty (valid) export and a note
    (annotated.annotations_dir / "vocabulary.yml").write_text(
        "version: 1\ntags:\n- {name: lonely, colour: '#ffffff'}\n", encoding="utf-8")
    assert main(["--library", lib, "export", "-f", "json", "--tag", "lonely"]) == 0
    captured = capsysbinary.readouterr()
    assert json.loads(captured.out)["count"] == 0
    assert b"nothing to export" in captured.err


def test_cli_export_keeps_the_old_file_when_writing_fails(annotated: Config,
                                                          tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "out.md"
    target.write_text("old", encoding="utf-8")
    folder.chmod(0o500)
    try:
        assert main(["--library", str(annotated.library), "export", "-f", "md",
                     "--out", str(target)]) == 1
    finally:
        folder.chmod(0o700)
    assert target.read_text(encoding="utf-8") == "old"


def test_cli_export_through_the_console_script(annotated: Config, tmp_path: Path) -> None:
    """The real process: UTF-8 on stdout whatever the locale."""
    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONIOENCODING="ascii")
    proc = subprocess.run([sys.executable, "-m", "reader", "--library", str(annotated.library),
                           "export", "--format", "md"], capture_output=True, env=env,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "UN \"heavy\" sanctions —".encode() in proc.stdout
