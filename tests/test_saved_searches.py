"""Saved searches: ``annotations/searches.yml`` (plain YAML, strict load, never rewritten when
broken), ``@NAME`` in queries, and ``reader search --save/--saved/--delete`` with ``@NAME``
in search, export, overview and suggest, run as a user runs them."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.search.query import QueryError
from reader.search.saved import SavedSearchError, SavedSearches, UnknownSearch, references
from tests.cli_helpers import ok, one_line_error, run


@pytest.fixture
def saved(tmp_path: Path) -> SavedSearches:
    return SavedSearches(tmp_path / "annotations")


def test_a_saved_search_is_plain_yaml_in_the_library(saved: SavedSearches) -> None:
    arms = saved.save("@arms", "rusia   AND (senjata OR amunisi)")
    assert (arms.name, arms.query) == ("arms", "rusia AND (senjata OR amunisi)")
    saved.save("Sanksi.2024", "sanksi date:2024")
    text = saved.path.read_text(encoding="utf-8")
    assert saved.path == saved.annotations_dir / "searches.yml"
    assert text.split("version: 1\n", 1)[1] == (
        "searches:\n"
        "  - name: arms\n    query: rusia AND (senjata OR amunisi)\n"
        f"    created: '{arms.created}'\n"
        "  - name: Sanksi.2024\n    query: sanksi date:2024\n"
        f"    created: '{saved.get('sanksi.2024').created}'\n")  # type: ignore[union-attr]
    assert [s.name for s in saved.load()] == ["arms", "Sanksi.2024"]
    assert saved.get("ARMS") == arms and saved.get("nope") is None


def test_at_names_expand_in_parentheses_outside_quotes_and_words(
        saved: SavedSearches) -> None:
    saved.save("arms", "senjata OR amunisi")
    saved.save("ru-arms", "rusia @arms")
    assert saved.expand("@arms date:2024") == "(senjata OR amunisi) date:2024"
    assert saved.expand("-@arms sanksi") == "-(senjata OR amunisi) sanksi"
    assert saved.expand("(@ARMS)") == "((senjata OR amunisi))"
    assert saved.expand("@ru-arms") == "(rusia (senjata OR amunisi))"
    assert saved.expand('"@arms" a@arms') == '"@arms" a@arms'
    assert saved.expand("no names here") == "no names here"
    assert [n for _, _, n in references('@a. x @b-c "@d" (@e)')] == ["a", "b-c", "e"]
    with pytest.raises(UnknownSearch, match=r'no saved search @nope .*quote it: "@nope"'):
        saved.expand("sanksi @nope")


def test_what_cannot_be_saved_is_refused_and_the_file_left_alone(
        saved: SavedSearches) -> None:
    saved.save("arms", "senjata")
    before = saved.path.read_bytes()
    with pytest.raises(QueryError, match="unbalanced"):
        saved.save("bad", "(senjata")
    with pytest.raises(UnknownSearch):
        saved.save("other", "@missing")
    with pytest.raises(UnknownSearch, match="circle"):
        saved.save("arms", "@arms OR x", replace=True)
    with pytest.raises(ValueError, match="already"):
        saved.save("ARMS", "amunisi")
    for name in ("", "two words", "-dash", "x" * 61, "a/b"):
        with pytest.raises(ValueError):
            saved.save(name, "senjata")
    with pytest.raises(KeyError, match="no saved search @gone"):
        saved.delete("gone")
    assert saved.path.read_bytes() == before
    assert saved.save("arms", "senjata").query == "senjata"  # the same again: fine
    replaced = saved.save("arms", "amunisi", replace=True)
    assert replaced.query == "amunisi" and replaced.created == saved.load()[0].created


def test_a_circle_written_by_hand_is_refused_when_used(saved: SavedSearches) -> None:
    saved.annotations_dir.mkdir()
    saved.path.write_text("searches:\n  - {name: a, query: '@b'}\n  - {name: b, query: '@a'}\n",
                          encoding="utf-8")
    with pytest.raises(UnknownSearch, match="circle: @a -> @b -> @a"):
        saved.expand("@a")


BROKEN = {
    "searches: [\n": (2, "flow node"),
    "- just a list\n": (1, "expected a mapping"),
    "searches:\n  - name: a\n    query: x\n  - name: A\n    query: y\n": (4, "saved twice"),
    "searches:\n  - name: a b\n    query: x\n": (2, "no spaces"),
    "searches:\n  - name: a\n    query: 12\n": (2, "query must be non-empty text"),
    "searches:\n  - name: &n a\n    query: *n\n": (2, "not allowed"),
    "searches:\n  - name: a\n    query: !!python/name:os.system x\n": (3, "unsupported tag"),
    "version: 9\nsearches: []\n": (1, "newer reader"),
    "searches:\n<<<<<<< HEAD\n  - {name: a, query: x}\n": (2, "git conflict marker"),
}


@pytest.mark.parametrize(("content", "where"), BROKEN.items())
def test_a_broken_file_is_reported_and_never_rewritten(saved: SavedSearches, content: str,
                                                       where: tuple[int, str]) -> None:
    saved.annotations_dir.mkdir()
    saved.path.write_text(content, encoding="utf-8")
    with pytest.raises(SavedSearchError) as exc:
        saved.load()
    assert exc.value.line == where[0] and where[1] in exc.value.reason
    changes: list[Callable[[], object]] = [lambda: saved.save("new", "x"),
                                           lambda: saved.delete("a")]
    for change in changes:
        with pytest.raises(SavedSearchError, match="not changed: fix the file first"):
            change()
    assert saved.path.read_text(encoding="utf-8") == content
    assert saved.expand("sanksi -rusia") == "sanksi -rusia"  # no @: the file is not needed


def test_hand_added_keys_are_kept_and_two_writers_lose_nothing(saved: SavedSearches) -> None:
    saved.annotations_dir.mkdir()
    saved.path.write_text("# mine\nversion: 1\nowner: ana\nsearches:\n"
                          "  - name: a\n    query: x\n    note: for chapter 2\n",
                          encoding="utf-8")
    saved.save("b", "y")
    text = saved.path.read_text(encoding="utf-8")
    assert "owner: ana" in text and "    note: for chapter 2\n" in text
    other = SavedSearches(saved.annotations_dir)
    errors: list[BaseException] = []

    def save_many(who: SavedSearches, prefix: str) -> None:
        try:
            for i in range(15):
                who.save(f"{prefix}{i}", f"kata{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save_many, args=(s, p))
               for s, p in ((saved, "p"), (other, "q"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(saved.load()) == 2 + 30


# -- on the command line ----------------------------------------------------------------------
ARTICLES = {
    "asia/korea.txt": "Kerja Sama Korea dan Rusia\n\nRusia mengirim senjata dan amunisi ke "
                      "Korea Utara. Sanksi baru dijatuhkan.\n",
    "asia/seoul.txt": "Seoul Menyambut Delegasi\n\nKorea Selatan membahas kerja sama ekonomi "
                      "dan sanksi dagang.\n",
    "eu.txt": "Ministers agree new sanctions\n\nThe ministers said that the sanctions would "
              "cover weapons exports.\n",
}


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    for name, text in ARTICLES.items():
        (root / "articles" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "articles" / name).write_text(text, encoding="utf-8")
    (root / "annotations").mkdir()
    return root


def ids(out: str) -> list[str]:
    return sorted(r["id"] if "id" in r else r["article"] for r in json.loads(out))


def test_search_saves_lists_runs_and_deletes(lib: Path) -> None:
    saving = run("search", "--save", "arms", "senjata", "OR", "amunisi", "--json", cwd=lib)
    assert ids(ok(saving)) == ["asia/korea"]
    assert "saved as @arms: senjata OR amunisi" in saving.stderr
    ok(run("search", "--save", "west", "weapons", cwd=lib))
    assert ok(run("search", "--saved", cwd=lib)) == ("@arms  senjata OR amunisi\n"
                                                     "@west  weapons\n")
    assert [s["name"] for s in json.loads(ok(run("search", "--saved", "--json", cwd=lib)))] \
        == ["arms", "west"]
    assert ids(ok(run("search", "@arms", "OR", "@west", "--json", cwd=lib))) == [
        "asia/korea", "eu"]
    assert ids(ok(run("search", "--json", "--", "sanksi", "-@arms", cwd=lib))) == [
        "asia/seoul"]
    typed = ok(run("search", "senjata", "OR", "amunisi", cwd=lib))
    assert ok(run("search", "@arms", cwd=lib)) == typed
    assert ok(run("search", "--delete", "@arms", cwd=lib)) == "deleted @arms: senjata OR amunisi\n"
    assert "no saved search @arms" in one_line_error(run("search", "@arms", cwd=lib), code=2)
    # saving with nothing found saves, and says so
    none = run("search", "--save", "nothing", "zzzzqq", cwd=lib)
    assert none.returncode == 0 and "no matches" in none.stderr


def test_a_saved_search_is_a_query_in_export_overview_and_suggest(lib: Path) -> None:
    for article, quote, tag in (("asia/korea", "senjata dan amunisi", "military cooperation"),
                                ("asia/seoul", "sanksi dagang", "sanctions"),
                                ("eu", "new sanctions", "sanctions")):
        ok(run("annotate", article, "--quote", quote, "--tag", tag, cwd=lib))
    ok(run("search", "--save", "asia", "korea", cwd=lib))
    exported = json.loads(ok(run("export", "-f", "json", "--query", "@asia", cwd=lib)))
    assert sorted(a["article"]["id"] for a in exported["annotations"]) == [
        "asia/korea", "asia/seoul"]
    assert json.loads(ok(run("export", "-f", "json", "--query", "korea", cwd=lib))) == exported
    overview = json.loads(ok(run("overview", "--json", "--query", "@asia", cwd=lib)))
    assert overview["passages"] == 2
    suggested = json.loads(ok(run("suggest", "--json", "--query", "@asia", cwd=lib)))
    assert suggested and {s["article"] for s in suggested} <= {"asia/korea", "asia/seoul"}
    everywhere = json.loads(ok(run("suggest", "--json", cwd=lib)))
    assert "eu" in {s["article"] for s in everywhere}
    only = json.loads(ok(run("suggest", "--json", "--query", "@asia", "--article", "eu",
                             cwd=lib)))
    assert only == []
    for command in (["export", "-f", "md"], ["overview"], ["suggest"]):
        assert "no saved search @nope" in one_line_error(
            run(*command, "--query", "@nope", cwd=lib), code=2)


def test_saving_and_using_say_what_is_wrong_in_one_line(lib: Path) -> None:
    assert "bad query" in one_line_error(run("search", "--save", "x", "(kerja", cwd=lib),
                                         code=2)
    assert "no spaces" in one_line_error(run("search", "--save", "a b", "kerja", cwd=lib),
                                         code=2)
    ok(run("search", "--save", "x", "kerja", cwd=lib))
    assert "already" in one_line_error(run("search", "--save", "x", "sama", cwd=lib), code=2)
    assert "takes no query" in one_line_error(run("search", "--saved", "kerja", cwd=lib),
                                              code=2)
    assert "no saved search @y" in one_line_error(run("search", "--delete", "y", cwd=lib))
    path = lib / "annotations" / "searches.yml"
    path.write_text("searches:\n  - name: x\n    query: 12\n", encoding="utf-8")
    line = one_line_error(run("search", "@x", cwd=lib))
    assert f"{path}:2: search 1: @x: query must be non-empty text" in line
    assert "cannot be used until it is fixed" in line
    assert run("search", "kerja", cwd=lib).returncode == 0
    check = run("check", cwd=lib)
    assert check.returncode == 1 and f"error: {path}:2:" in check.stdout
