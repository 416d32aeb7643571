"""How the command line is read: words for queries and quotes, options anywhere."""

from __future__ import annotations

import pytest

from reader.cli.args import normalise
from reader.cli.main import _build


def parsed(*argv: str) -> dict[str, object]:
    parser, sub = _build()
    return vars(parser.parse_args(normalise(parser, sub, list(argv))))


def rewritten(*argv: str) -> list[str]:
    parser, sub = _build()
    return normalise(parser, sub, list(argv))


@pytest.mark.parametrize(("argv", "query", "limit", "as_json"), [
    (["kerja", "sama"], ["kerja", "sama"], 20, False),
    (["kerja", "sama", "--limit", "2"], ["kerja", "sama"], 2, False),
    (["--json", "kerja", "sama"], ["kerja", "sama"], 20, True),
    (["kerja", "--limit", "2", "sama", "--json"], ["kerja", "sama"], 2, True),
    (["--", "-prabowo", "pakistan"], ["-prabowo", "pakistan"], 20, False),
    (["--", "-prabowo pakistan", "--limit", "2"], ["-prabowo pakistan"], 2, False),
    (["-prabowo", "pakistan"], ["-prabowo", "pakistan"], 20, False),
    (["pakistan", "-prabowo", "--limit=3"], ["pakistan", "-prabowo"], 3, False),
    (["--lim", "4", "a"], ["a"], 4, False),  # an abbreviation, as argparse allows
    (["a", "--", "--json", "b"], ["a", "b"], 20, True),  # own options count after --
    (["a", "--", "--x"], ["a", "--x"], 20, False),  # ... anything else is a word there
    (['"kerja sama"', "OR", "embargo"], ['"kerja sama"', "OR", "embargo"], 20, False),
    ([], [], 20, False),
])
def test_search_words(argv: list[str], query: list[str], limit: int, as_json: bool) -> None:
    args = parsed("search", *argv)
    assert (args["query"], args["limit"], args["json"]) == (query, limit, as_json)


def test_options_that_take_words() -> None:
    args = parsed("export", "--query", "rusia", "-senjata", "-f", "csv", "--text", "a", "b")
    assert (args["query"], args["format"], args["text"]) == ("rusia -senjata", "csv", "a b")
    assert parsed("export", "-f", "md", "--query=-x", "y")["query"] == "-x y"
    assert parsed("overview", "--query", "kerja", "sama", "--json")["query"] == "kerja sama"
    args = parsed("annotate", "a/b.txt", "--quote", "kerja", "sama", "--tag", "treaties",
                  "--note", "lihat", "paragraf", "-", "dua", "--occurrence", "2")
    assert (args["id"], args["quote"], args["tag"], args["note"], args["occurrence"]) == (
        "a/b.txt", "kerja sama", ["treaties"], "lihat paragraf - dua", 2)
    args = parsed("tags", "--add", "pengakuan", "wilayah", "--colour", "#123456")
    assert (args["add"], args["colour"]) == ("pengakuan wilayah", "#123456")
    assert parsed("tags", "--rename", "a b", "c")["rename"] == ["a b", "c"]


def test_a_misspelt_option_ends_the_words_and_is_refused(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert rewritten("annotate", "x", "--quote", "a", "b", "--tga", "t") == [
        "annotate", "x", "--quote=a b", "--tga", "t"]
    with pytest.raises(SystemExit) as exc:
        parsed("annotate", "x", "--quote", "a", "b", "--tga", "t")
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments: --tga t" in err[0]
    with pytest.raises(SystemExit):
        parsed("search", "a", "--limt", "2")
    assert "unrecognized arguments: --limt" in capsys.readouterr().err


def test_library_before_or_after_the_command() -> None:
    assert parsed("--library", "search", "search", "a")["library"] == "search"
    assert parsed("--library=lib", "show", "x")["library"] == "lib"
    assert parsed("--lib", "lib", "search", "a", "b")["query"] == ["a", "b"]
    args = parsed("search", "a", "--library", "lib", "b", "--index", "ix")
    assert (args["library"], args["index"], args["query"]) == ("lib", "ix", ["a", "b"])
    args = parsed("--library", "one", "show", "x", "--library", "two")
    assert args["library"] == "two"
    assert parsed("show", "x")["library"] is None
    assert parsed()["command"] is None
