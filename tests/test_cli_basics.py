from __future__ import annotations

import json

import pytest

from reader import __version__
from reader.cli import main
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
