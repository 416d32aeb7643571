from __future__ import annotations

import json

import pytest

from reader import __version__
from reader.cli.main import main
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_list_json_has_both_seeds(library_dir, capsys) -> None:
    assert main(["--library", str(library_dir), "list", "--json"]) == 0
    ids = {a["id"] for a in json.loads(capsys.readouterr().out)}
    assert ids == {SEED_LIPUTAN, SEED_KOMPAS}


def test_unknown_id_is_one_line_error(library_dir, capsys) -> None:
    assert main(["--library", str(library_dir), "show", "missing/article"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing/article" in err[0]


def test_bad_argument_exits_nonzero(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["list", "--bogus"])
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_list_json_fields(library_dir, capsys) -> None:
    assert main(["--library", str(library_dir), "list", "--json"]) == 0
    rows = {a["id"]: a for a in json.loads(capsys.readouterr().out)}
    kompas = rows[SEED_KOMPAS]
    assert {k: kompas[k] for k in ("source", "place", "date", "language")} == {
        "source": "KOMPAS.TV", "place": "Pyongyang", "date": "2024-06-19", "language": "id"}
    assert kompas["words"] > 300 and kompas["warnings"] == [] and kompas["title"]
    assert rows[SEED_LIPUTAN]["source"] == "Liputan6.com"


def test_list_table_is_aligned(library_dir, capsys) -> None:
    (library_dir / "articles" / "empty.txt").write_bytes(b"")
    assert main(["--library", str(library_dir), "list"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "DATE", "LANG", "WORDS", "SOURCE", "TITLE"]
    assert any(line.startswith("!") and "empty" in line for line in lines)
    by_id = {line[1:].split()[0]: line for line in lines[1:]}
    lip = by_id[SEED_LIPUTAN]
    assert lip.index("2024-06-19") == lines[0].index("DATE")  # columns line up
    assert lip.index("Liputan6.com") == lines[0].index("SOURCE")
    assert by_id["empty"].rindex("empty") == by_id[SEED_KOMPAS].index("Presiden")  # titles
    assert "3 articles" in err and "1 with warnings" in err


def test_list_of_an_empty_library_says_where_to_put_articles(tmp_path, capsys) -> None:
    (tmp_path / "articles").mkdir()
    assert main(["--library", str(tmp_path), "list"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and str(tmp_path / "articles") in err and ".txt or .md" in err
    assert main(["--library", str(tmp_path), "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_show_prints_metadata_then_text(library_dir, capsys) -> None:
    assert main(["--library", str(library_dir), "show", SEED_KOMPAS]) == 0
    out = capsys.readouterr().out
    head, _, body = out.partition("─" * 20)
    assert "KOMPAS.TV · Pyongyang · 2024-06-19 · Indonesian" in head
    assert f"id {SEED_KOMPAS}" in head
    assert body.lstrip("─\n").startswith("PYONGYANG, KOMPAS.TV - Presiden Rusia")


def test_show_of_an_escaping_id_is_an_error(library_dir, capsys) -> None:
    (library_dir / "outside.txt").write_text("A file beside articles/, not in it.\n")
    (library_dir.parent / "above.txt").write_text("A file above the library.\n")
    for name in ("../outside", "../outside.txt", "../../above", "../../above.txt"):
        assert main(["--library", str(library_dir), "show", name]) == 1
        err = capsys.readouterr().err
        assert "no article" in err or "not in this library's articles/ folder" in err, name
    # a path that only passes through ../ and lands in articles/ names that article
    assert main(["--library", str(library_dir), "show", "../articles/" + SEED_KOMPAS]) == 0


def test_importing_the_main_module_runs_nothing(tmp_path) -> None:
    """``python -m reader`` runs the command line; importing ``reader.__main__`` (as a walk
    of every module does) must not open the reader."""
    import subprocess
    import sys

    (tmp_path / "articles").mkdir()  # a library: the reader would open here
    code = "import reader.__main__; print('imported')"
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert (run.returncode, run.stdout) == (0, "imported\n"), run.stderr[-500:]
    run = subprocess.run([sys.executable, "-m", "reader", "--version"], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("reader ")
