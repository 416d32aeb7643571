"""`reader export --format qdpx` and `reader import study.qdpx`: a round trip that loses
nothing reader keeps, another tool's project, and hostile files refused whole."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from reader.annotations.memos import MemoStore
from reader.annotations.vocabulary import Vocabulary
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN, SHARED
from tests.exchange_samples import project_schema

ATLAS = SHARED / "standards" / "refi-qda" / "atlas-ti-sample.qdpx"


def run(library: Path, *args: str) -> int:
    return main(["--library", str(library), *args])


def passages(library: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[Any, ...]]:
    capsys.readouterr()
    assert run(library, "annotations", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    return sorted((r["article"], r["start"], r["end"], r["quote"], tuple(sorted(r["tags"])),
                   tuple(r.get("coders", [])), r["note"]) for r in rows)


def coded_library(library_dir: Path) -> Path:
    lib = library_dir
    assert run(lib, "tags", "--add", "sanctions/economic", "--description", "trade measures") == 0
    q = "berjabat tangan cukup lama"
    for coder in ("ana", "budi"):
        assert run(lib, "annotate", SEED_LIPUTAN, "--quote", q, "--tag", "treaties",
                   "--coder", coder) == 0
    assert run(lib, "annotate", SEED_LIPUTAN, "--quote", q, "--tag", "sanctions/economic",
               "--coder", "ana", "--note", "dua baris\ncatatan") == 0
    assert run(lib, "annotate", SEED_KOMPAS, "--quote", "Putin", "--occurrence", "1", "--tag",
               "military cooperation", "--coder", "budi") == 0
    assert run(lib, "memo", "add", "--text", "Sampling: two seeds", "--kind", "method") == 0
    assert run(lib, "memo", "add", "--article", SEED_KOMPAS, "--text", "Check the dateline") == 0
    assert run(lib, "memo", "add", "--tag", "treaties", "--text", "What counts as a treaty") == 0
    return lib


def memos(library: Path) -> list[tuple[str, str, str, str]]:
    found, errors = MemoStore(library / "annotations").load_all()
    assert not errors
    return sorted((m.scope, m.about, m.kind, m.text) for m in found)


def test_round_trip_loses_nothing_reader_keeps(library_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    lib = coded_library(library_dir)
    study = tmp_path / "study.qdpx"
    assert run(lib, "export", "--format", "qdpx", "--out", str(study)) == 0
    with zipfile.ZipFile(study) as z:
        qde = z.read("project.qde").decode("utf-8")
        assert sum(n.startswith("Sources/") for n in z.namelist()) == 2
    project_schema().validate(qde)
    assert 'name="ana"' in qde and 'name="economic"' in qde
    other = tmp_path / "other"
    other.mkdir()
    capsys.readouterr()
    assert run(other, "import", str(study)) == 0
    out = capsys.readouterr().out
    assert "2 article(s) added" in out and "coders: ana, budi" in out
    assert passages(other, capsys) == passages(lib, capsys)
    for article_id in (SEED_LIPUTAN, SEED_KOMPAS):
        a, b = Library(Config.from_args(lib)).load(article_id), \
            Library(Config.from_args(other)).load(article_id)
        assert a.text == b.text and a.meta.title == b.meta.title
    vocab = {(t.name, t.colour, t.description) for t in Vocabulary(lib / "annotations" /
                                                                   "vocabulary.yml").tags}
    got = {(t.name, t.colour, t.description) for t in Vocabulary(other / "annotations" /
                                                                 "vocabulary.yml").tags}
    assert vocab <= got
    assert memos(other) == memos(lib)
    # the same project again adds nothing
    assert run(other, "import", str(study)) == 0
    assert "0 article(s) added, 2 already here; 0 passage(s) added" in capsys.readouterr().out
    assert memos(other) == memos(lib)


def test_export_filters_by_coder(library_dir: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    lib = coded_library(library_dir)
    study = tmp_path / "budi.qdpx"
    assert run(lib, "export", "-f", "qdpx", "--coder", "budi", "--out", str(study)) == 0
    other = tmp_path / "other"
    other.mkdir()
    assert run(other, "import", str(study)) == 0
    got = passages(other, capsys)
    assert got and all("budi" in p[5] for p in got)
    assert run(lib, "export", "-f", "qdpx") == 2
    assert "give --out" in capsys.readouterr().err


@pytest.mark.skipif(not ATLAS.exists(), reason="the REFI-QDA samples are not here")
def test_another_tools_project_is_imported_and_what_is_left_out_is_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    assert run(lib, "import", str(ATLAS)) == 0
    captured = capsys.readouterr()
    assert "imported atlas-ti-sample.qdpx" in captured.out
    names = Vocabulary(lib / "annotations" / "vocabulary.yml").names()
    assert any("/" in n for n in names), names  # the two-level codebook
    print(captured.out, captured.err)


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buffer.getvalue()


def _entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(n, z.read(n)) for n in z.namelist()]


def test_malformed_projects_are_refused_in_one_line_and_write_nothing(
        library_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = coded_library(library_dir)
    good = tmp_path / "good.qdpx"
    assert run(lib, "export", "-f", "qdpx", "--out", str(good)) == 0
    entries = _entries(good)
    qde = entries[0][1]
    assert entries[0][0] == "project.qde"
    sel_start = qde.index(b'startPosition="')
    bad = {
        "not a zip": b"<Project/>",
        "schema": _zip([("project.qde", qde.replace(b"<Users>", b"<Userz>", 1)),
                        *entries[1:]]),
        "outside": _zip([("project.qde", qde[:sel_start] + b'startPosition="0" endPosition='
                          b'"999999" x' + qde[sel_start + 15:]), *entries[1:]]),
        "dotdot": _zip([*entries, ("../evil.txt", b"x")]),
        "bomb": _zip([*entries[:1], ("Sources/big.txt", b"\0" * 300_000_000)]),
    }
    target = tmp_path / "target"
    shutil.copytree(library_dir, target)
    before = sorted((p.relative_to(target).as_posix(), p.stat().st_mtime_ns)
                    for p in target.rglob("*"))
    for what, data in bad.items():
        path = tmp_path / f"{what.replace(' ', '-')}.qdpx"
        path.write_bytes(data)
        capsys.readouterr()
        assert run(target, "import", str(path)) == 1, what
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("reader: error: "), (what, err)
        assert "nothing imported" in err, err
        print(what, "->", err.strip())
        after = sorted((p.relative_to(target).as_posix(), p.stat().st_mtime_ns)
                       for p in target.rglob("*"))
        assert after == before, what
