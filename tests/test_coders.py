"""Several coders: who coded each passage, one passage per span and set of tags, filters."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from reader.annotations import coders
from reader.annotations.store import AnnotationStore
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from reader.models import Article
from tests.conftest import SEED_LIPUTAN

QUOTE = "berjabat tangan cukup lama"


def run(library: Path, *args: str) -> int:
    return main(["--library", str(library), *args])


def _article(config: Config) -> Article:
    return Library(config).load(SEED_LIPUTAN)


def _span(article: Article, quote: str = QUOTE) -> tuple[int, int]:
    start = article.text.index(quote)
    return start, start + len(quote)


def _raw(config: Config) -> list[dict[str, Any]]:
    path = config.annotations_dir / f"{SEED_LIPUTAN}.yaml"
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text("utf-8"))["annotations"]
    return items


def test_same_span_same_tags_is_one_passage_with_both_names(config: Config) -> None:
    article = _article(config)
    s, e = _span(article)
    AnnotationStore(config.annotations_dir, coder="ana").tag(article, s, e, ["treaties"])
    AnnotationStore(config.annotations_dir, coder="budi").tag(article, s, e, ["Treaties"])
    [one] = _raw(config)
    assert one["coders"] == ["ana", "budi"] and one["tags"] == ["treaties"]


def test_same_span_other_tags_is_one_passage_per_coder(config: Config) -> None:
    article = _article(config)
    s, e = _span(article)
    ana = AnnotationStore(config.annotations_dir, coder="ana")
    budi = AnnotationStore(config.annotations_dir, coder="budi")
    ana.tag(article, s, e, ["treaties"])
    budi.tag(article, s, e, ["sanctions"])
    got = sorted((tuple(a["coders"]), tuple(a["tags"])) for a in _raw(config))
    assert got == [(("ana",), ("treaties",)), (("budi",), ("sanctions",))]
    # budi comes round to ana's reading: his passage goes, hers gets his name
    budi.delete(article, next(str(a["id"]) for a in _raw(config) if a["coders"] == ["budi"]))
    budi.tag(article, s, e, ["treaties"])
    [one] = _raw(config)
    assert one["coders"] == ["ana", "budi"]
    # ana adds a tag: her reading changes, budi's passage stays as he left it
    ana.tag(article, s, e, ["sanctions"])
    got = sorted((tuple(a["coders"]), tuple(a["tags"])) for a in _raw(config))
    assert got == [(("ana",), ("treaties", "sanctions")), (("budi",), ("treaties",))]
    assert ana.undo() is not None
    [one] = _raw(config)
    assert one["coders"] == ["ana", "budi"] and one["tags"] == ["treaties"]


def test_a_coder_deleting_a_shared_passage_takes_only_their_name(config: Config) -> None:
    article = _article(config)
    s, e = _span(article)
    ana = AnnotationStore(config.annotations_dir, coder="ana")
    budi = AnnotationStore(config.annotations_dir, coder="budi")
    ann = ana.tag(article, s, e, ["treaties"]).annotation
    budi.tag(article, s, e, ["treaties"])
    budi.delete(article, ann.id)
    [one] = _raw(config)
    assert one["coders"] == ["ana"] and one["id"] == ann.id
    budi.undo()
    assert _raw(config)[0]["coders"] == ["ana", "budi"]
    # an edit of a shared passage splits it: ana keeps hers as it was
    edited = budi.update(article, ann.id, note="seen twice")
    got = {a["id"]: (a["coders"], a["note"]) for a in _raw(config)}
    assert got[ann.id] == (["ana"], "") and got[edited.id] == (["budi"], "seen twice")


def test_files_without_coders_read_and_write_as_before(config: Config) -> None:
    article = _article(config)
    s, e = _span(article)
    AnnotationStore(config.annotations_dir).tag(article, s, e, ["treaties"])
    path = config.annotations_dir / f"{SEED_LIPUTAN}.yaml"
    assert "coders" not in path.read_text("utf-8")
    [ann] = AnnotationStore(config.annotations_dir).load(article).annotations
    assert ann.coders == [] and coders.of(ann) == [coders.UNKNOWN]
    # a coder tagging the same span with the same tags does not take over the unknown one
    AnnotationStore(config.annotations_dir, coder="ana").tag(article, s, e, ["treaties"])
    assert sorted(str(a.get("coders")) for a in _raw(config)) == ["None", "['ana']"]


def test_coder_written_by_hand_and_bad_names(config: Config) -> None:
    article = _article(config)
    s, e = _span(article)
    path = config.annotations_dir / f"{SEED_LIPUTAN}.yaml"
    path.write_text(f"article: {SEED_LIPUTAN}\nannotations:\n- id: a1\n  quote: {QUOTE}\n"
                    f"  start: {s}\n  end: {e}\n  tags: [treaties]\n  coder: ana\n", "utf-8")
    [ann] = AnnotationStore(config.annotations_dir).load(article).annotations
    assert ann.coders == ["ana"]
    path.write_text(path.read_text("utf-8").replace("coder: ana", "coders: [\"a\\nb\"]"), "utf-8")
    found = AnnotationStore(config.annotations_dir).load(article)
    assert found.error is not None and "control characters" in found.error.reason
    assert found.error.line == 3


def test_cli_coder_flag_env_and_filter(library_dir: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", QUOTE, "--tag", "treaties",
               "--coder", "ana") == 0
    monkeypatch.setenv("READER_CODER", "budi")
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", "Kim Jong Un",
               "--occurrence", "1", "--tag", "sanctions") == 0
    capsys.readouterr()
    assert run(library_dir, "annotations", "--coder", "BUDI", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["coders"] for r in rows] == [["budi"]]
    assert run(library_dir, "annotations", "--coder", "ana", "--coder", "budi") == 0
    out = capsys.readouterr().out
    assert "by: ana" in out and "by: budi" in out
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", QUOTE, "--tag", "treaties") == 0
    assert "ana tagged the same text so: one passage" in capsys.readouterr().err
    assert run(library_dir, "annotations", "--coder", "budi") == 0
    assert "by: ana, budi" in capsys.readouterr().out


def test_cli_without_a_coder_says_how_to_set_one(library_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READER_CODER")
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", QUOTE, "--tag",
               "treaties") == 2
    assert "who is coding? give --coder NAME" in capsys.readouterr().err
    assert not (library_dir / "annotations" / f"{SEED_LIPUTAN}.yaml").exists()
    assert run(library_dir, "coder", "Ana  Putri") == 0
    assert run(library_dir, "annotate", SEED_LIPUTAN, "--quote", QUOTE, "--tag",
               "treaties") == 0
    assert _raw(Config.from_args(library_dir))[0]["coders"] == ["Ana Putri"]
    # git's user.name, when nothing else says
    (tmp_path / "data" / "settings.yml").unlink()
    subprocess.run(["git", "init", "-q", str(library_dir)], check=True)
    subprocess.run(["git", "-C", str(library_dir), "config", "user.name", "Gita"], check=True)
    found = coders.resolve(None, library_dir)
    assert found is not None and found.name == "Gita" and found.origin == "git user.name"
