"""A full build's segment writer (reader.search.segwrite.BuildWriter, its postings kept by
term in reader.search.termpool.TermPool) writes the very bytes Whoosh's own SegmentWriter
writes for the same documents: with everything in memory, and with the postings spilled to
run files and merged back."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from reader.config import Config
from reader.library.articles import Library
from reader.search import segwrite, sources, whoosh_fixes
from reader.search.schema import INDEX_NAME, document_of, make_schema
from tests.conftest import CORPORA, SEEDS


def _segment(folder: Path, docs: list[dict[str, Any]], writer_class: Any,
             limitmb: float) -> dict[str, bytes]:
    """{file suffix: bytes} of the one segment ``writer_class`` writes for ``docs``."""
    folder.mkdir(parents=True)
    ix = windex.create_in(str(folder), make_schema(), indexname=INDEX_NAME)
    kwargs: dict[str, Any] = {"_lk": False, "codec": whoosh_fixes.codec(), "compound": False}
    if writer_class is SegmentWriter:
        writer = SegmentWriter(ix, limitmb=limitmb, **kwargs)
    else:
        writer = writer_class(ix, limitmb, **kwargs)
    for doc in docs:
        writer.add_document(**doc)
    segment = writer._finalize_segment()
    writer._close_segment()
    name = segment.segment_id()
    out = {p.name.split(name, 1)[1]: p.read_bytes()
           for p in folder.iterdir() if name in p.name}
    assert not [p for p in folder.rglob("*.terms")], "a run file was left behind"
    return out


def _library(tmp_path: Path, files: list[Path]) -> Config:
    lib = tmp_path / "lib"
    (lib / "annotations").mkdir(parents=True)
    for i, f in enumerate(files):
        dest = lib / "articles" / f.parent.name / f"{i:04d}-{f.name}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    return Config.from_args(lib)


def _documents(config: Config) -> list[dict[str, Any]]:
    library = Library(config)
    files = sources.article_files(library)
    return [document_of(config, library, library.load(i), files[i], None)
            for i in sorted(files)]


def _compare(tmp_path: Path, docs: list[dict[str, Any]]) -> dict[str, int]:
    whoosh = _segment(tmp_path / "whoosh", docs, SegmentWriter, 256)
    ours = _segment(tmp_path / "ours", docs, segwrite.BuildWriter, 256)
    spilled = _segment(tmp_path / "spilled", docs, segwrite.BuildWriter, 0.05)
    assert set(whoosh) == set(ours) == set(spilled)
    assert {".trm", ".pst"} <= set(whoosh)
    for suffix, data in whoosh.items():
        assert ours[suffix] == data, suffix
        assert spilled[suffix] == data, suffix
    return {suffix: len(data) for suffix, data in whoosh.items()}


def test_the_sample_articles_make_the_same_segment(tmp_path: Path) -> None:
    files = sorted(p for p in SEEDS.rglob("*") if p.suffix in (".txt", ".md"))
    sizes = _compare(tmp_path, _documents(_library(tmp_path, files)))
    print(f"{len(files)} articles: {sizes}")


def test_random_real_articles_make_the_same_segment(tmp_path: Path) -> None:
    if not CORPORA.is_dir():
        pytest.skip("no ../shared/corpora here")
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    pool = sorted(CORPORA.glob("*/**/*.txt"))
    files = rng.sample(pool, 120)
    docs = _documents(_library(tmp_path, files))
    docs[rng.randrange(len(docs))]["_boost"] = 2.0  # a document boost goes through as well
    sizes = _compare(tmp_path, docs)
    postings = sum(len(d["words"]) + len(d["pairs"]) for d in docs)
    print(f"seed {seed}: {len(files)} of {len(pool)} articles, {postings} word and pair "
          f"postings: {sizes}")
