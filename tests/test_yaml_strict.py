"""The strict YAML loader: every value it cannot build, every duplicate key, is one error with
file and line; each file that fails is reported and left as is, and the rest keeps working."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader import yamlio
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import DEFAULT_TAGS, RenameIncomplete, Vocabulary
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

LOADERS: list[type[Any]] = [yamlio.StrictLoader, yamlio.LOADER]
HUGE = "9" * 5000


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(("text", "line", "words"), [
    (f"a: 1\nn: {HUGE}\n", 2, "number too long"),
    (f"n: 0x{'f' * 5000}\n", 1, "number too long"),  # int() of hex has no limit; str() has
    (f"n: -{HUGE}.5\n", 1, "number too long"),
    ("a: 1\nb:\n  c: !!int abc\n", 3, "cannot read the value 'abc'"),
    ("n: !!bool maybe\n", 1, "cannot read the value 'maybe'"),
    ("n: !!timestamp {a: 1}\n", 1, "scalar"),
    ("a: 1\n<<: {b: 2}\n", 2, "merge keys"),
    ("? [a, b]\n: 1\n", 1, "cannot be a key"),
])
def test_values_that_cannot_be_built_are_one_error_with_the_line(
        tmp_path: Path, loader: type, text: str, line: int, words: str) -> None:
    with pytest.raises(yamlio.YamlFileError) as info:
        yamlio.parse(tmp_path / "x.yaml", text, loader)
    assert words in info.value.reason and info.value.line == line


@pytest.mark.parametrize("loader", LOADERS)
def test_timestamps_are_the_text_as_written(tmp_path: Path, loader: type) -> None:
    data, _ = yamlio.parse(tmp_path / "x.yaml",
                           "a: 2024-02-30\nb: 2024-06-19\nc: 2026-01-02T03:04:05Z\n"
                           "d: 2024-06-19 08:30:00\ne: !!timestamp 2024-06-19\n", loader)
    assert data == {"a": "2024-02-30", "b": "2024-06-19", "c": "2026-01-02T03:04:05Z",
                    "d": "2024-06-19 08:30:00", "e": "2024-06-19"}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(("text", "line", "key"), [
    ("annotations:\n  - id: a\n    note: one\n    note: two\n", 4, "note"),
    ("annotations: []\nversion: 1\nannotations: []\n", 3, "annotations"),
    ("tags:\n  - name: a\n    colour: '#ffffff'\n    'name': b\n", 4, "name"),
    ("a: {x: 1, x: 2}\n", 1, "x"),
    ("s: !!set {a, a}\n", 1, "a"),
    ("true: t\n1: one\n", 2, 1),  # equal to Python: the dictionary would keep one
])
def test_duplicate_keys_are_refused_with_their_line(tmp_path: Path, loader: type, text: str,
                                                    line: int, key: object) -> None:
    with pytest.raises(yamlio.YamlFileError) as info:
        yamlio.parse(tmp_path / "x.yaml", text, loader)
    assert f"duplicate key {key!r}" in info.value.reason and info.value.line == line


def test_plain_values_still_load(tmp_path: Path) -> None:
    text = ("a: 1\nb: -2.5\nc: 0x1f\nd: true\ne: null\nf: [1, 'two', {g: h}]\n"
            f"big: {'9' * 100}\ntrue: t\n2: two\n")
    for loader in LOADERS:
        data, _ = yamlio.parse(tmp_path / "x.yaml", text, loader)
        assert data == {"a": 1, "b": -2.5, "c": 31, "d": True, "e": None,
                        "f": [1, "two", {"g": "h"}], "big": int("9" * 100), True: "t", 2: "two"}


# -- every caller: the one file is reported with its line, the rest works ----------------------

def _annotation_file(article_id: str, sha: str, entry_extra: str = "", top_extra: str = "") -> str:
    return (f"article: {article_id}\ntext_sha256: {sha}\nversion: 1\n{top_extra}annotations:\n"
            "  - id: hand1\n    quote: Pyongyang\n    start: 0\n    end: 9\n    tags:\n"
            f"      - sanctions\n    note: first\n{entry_extra}")


BAD_ANNOTATIONS = {
    "a huge int": (f"    end2: {HUGE}\n", "", 12),
    "a second note": ("    note: second\n", "", 12),
    "annotations twice": ("", "annotations: []\n", 5),
}


def test_an_impossible_date_in_an_annotation_file_is_text(config: Config) -> None:
    article = Library(config).load(SEED_LIPUTAN)
    store = AnnotationStore(config.annotations_dir)
    path = store.path_for(article.id)
    path.write_text(_annotation_file(article.id, article.sha256, "    created: 2024-02-30\n"),
                    encoding="utf-8")
    [ann] = store.load(article).annotations
    assert ann.created == "2024-02-30" and ann.note == "first" and not store.errors()


@pytest.mark.parametrize("kind", list(BAD_ANNOTATIONS))
def test_a_broken_annotation_file_is_reported_and_never_rewritten(
        config: Config, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    lib = Library(config)
    bad_article, good_article = lib.load(SEED_LIPUTAN), lib.load(SEED_KOMPAS)
    store = AnnotationStore(config.annotations_dir)
    good = store.add(good_article, 0, 10, ["sanctions"])
    entry, top, line = BAD_ANNOTATIONS[kind]
    path = store.path_for(bad_article.id)
    path.write_text(_annotation_file(bad_article.id, bad_article.sha256, entry, top), "utf-8")
    before = path.read_bytes()
    [err] = store.errors()
    assert err.path == path and err.line == line
    assert store.load(bad_article).read_only
    assert store.summary() == {good_article.id: (1, ("sanctions",))}
    lib_arg = ["--library", str(config.library)]
    # check names the file and line and exits 1; the good file is counted
    assert main([*lib_arg, "check"]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line}" in out and "1 annotation(s)" in out
    # annotations lists the rest, with one warning line for the broken file
    assert main([*lib_arg, "annotations"]) == 0
    captured = capsys.readouterr()
    assert good.id in captured.out and captured.err.count(str(path)) == 1
    # tagging the broken article is refused in one line; the other works
    assert main([*lib_arg, "annotate", bad_article.id, "--quote", "berjabat tangan",
                 "--tag", "treaties"]) == 1
    assert f"{path}:{line}" in capsys.readouterr().err
    assert main([*lib_arg, "annotate", good_article.id, "--quote", "sanksi ekonomi berat",
                 "--tag", "treaties"]) == 0
    # a rename does everything else and names the broken file
    assert main([*lib_arg, "tags", "--rename", "sanctions", "embargo"]) == 1
    assert str(path) in capsys.readouterr().err
    assert store.load(good_article).annotations[0].tags == ["embargo"]
    for command in (["tags"], ["suggest", "--tag", "treaties"], ["export", "--format", "json"]):
        assert main([*lib_arg, *command]) == 0, command
    assert path.read_bytes() == before


@pytest.mark.parametrize("bad", [
    "version: 1\ntags:\n  - name: a\n    colour: '#ffffff'\n    made: 2024-02-30\n"
    "    made: 2024-03-01\n",
    f"version: 1\ntags:\n  - name: a\n    colour: '#ffffff'\n    n: {HUGE}\n",
    "version: 1\ntags:\n  - name: a\n    colour: '#ffffff'\ntags: []\n",
])
def test_a_broken_vocabulary_gives_the_default_tags(config: Config,
                                                    capsys: pytest.CaptureFixture[str],
                                                    bad: str) -> None:
    config.vocabulary_path.write_text(bad, encoding="utf-8")
    vocabulary = Vocabulary(config.vocabulary_path)
    assert vocabulary.error is not None and vocabulary.error.line is not None
    assert vocabulary.tags == list(DEFAULT_TAGS)
    assert main(["--library", str(config.library), "annotate", SEED_KOMPAS, "--quote",
                 "sanksi ekonomi berat", "--tag", "sanctions"]) == 0
    err = capsys.readouterr().err
    assert "using the default tags" in err and f"vocabulary.yml:{vocabulary.error.line}" in err
    assert config.vocabulary_path.read_text(encoding="utf-8") == bad


def test_rename_with_a_duplicate_key_file_names_it(config: Config) -> None:
    lib = Library(config)
    store = AnnotationStore(config.annotations_dir)
    article = lib.load(SEED_LIPUTAN)
    store.add(lib.load(SEED_KOMPAS), 0, 10, ["sanctions"])
    path = store.path_for(article.id)
    path.write_text(_annotation_file(article.id, article.sha256, "    note: twice\n"), "utf-8")
    with pytest.raises(RenameIncomplete) as info:
        Vocabulary(config.vocabulary_path).rename("sanctions", "embargo", store)
    assert f"{path}:12" in str(info.value) and info.value.report.files == 1


def test_a_broken_rejected_file_leaves_suggest_working(config: Config,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = config.annotations_dir / "rejected.yml"
    bad = f"version: 1\nrejected:\n  - article: a\n    tag: b\n    hash: {HUGE}\n"
    path.write_text(bad, encoding="utf-8")
    assert main(["--library", str(config.library), "suggest", "--tag", "sanctions"]) == 0
    captured = capsys.readouterr()
    assert "rejected.yml:5" in captured.err and "sanksi" in captured.out
    assert path.read_text(encoding="utf-8") == bad


@pytest.mark.parametrize(("bad", "line", "words"), [
    ("version: 1\nrejected:\n  - article: a\n    tag: b\n    hash: c\n    tag: d\n", 6,
     "duplicate key 'tag'"),
    ("version: 1\nrejected:\n  - article: a\n    tag: b\n    hash: c\n  - article: a\n", 6,
     "entry 2: needs article, tag and hash"),
    ("version: 7\nrejected: []\n", 1, "version 7"),
])
def test_check_reports_a_broken_rejected_file(config: Config,
                                              capsys: pytest.CaptureFixture[str],
                                              bad: str, line: int, words: str) -> None:
    path = config.annotations_dir / "rejected.yml"
    path.write_text(bad, encoding="utf-8")
    assert main(["--library", str(config.library), "check"]) == 1
    out = capsys.readouterr().out
    assert f"error: {path}:{line}: {words}" in out and "problems found" in out
    assert path.read_text(encoding="utf-8") == bad


@pytest.mark.parametrize(("name", "words"), [
    ("'" + "x" * 300 + "'", "at most 60 characters"),
    ('"two\\nlines"', "line break"),
    ('"tab\\there"', "line break, a tab"),
    ('"bell\\a"', "control characters"),
])
def test_vocabulary_names_follow_the_rule_names_typed_follow(
        config: Config, capsys: pytest.CaptureFixture[str], name: str, words: str) -> None:
    text = f"version: 1\ntags:\n  - name: ok\n    colour: '#ffffff'\n  - name: {name}\n" \
           "    colour: '#000000'\n"
    config.vocabulary_path.write_text(text, encoding="utf-8")
    vocabulary = Vocabulary(config.vocabulary_path)
    assert vocabulary.error is not None and vocabulary.error.line == 5
    assert words in vocabulary.error.reason and vocabulary.tags == list(DEFAULT_TAGS)
    assert main(["--library", str(config.library), "tags"]) == 0
    assert "vocabulary.yml:5" in capsys.readouterr().err
    assert config.vocabulary_path.read_text(encoding="utf-8") == text
