"""Analysis tables: passages per tag per article, source and month; tags falling together on
one passage, on overlapping passages, in one article; their CSV and JSON; and
``reader overview --matrix/--cooccurrence`` run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
from itertools import combinations
from pathlib import Path

import pytest

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.review.matrix import (
    cooccurrence,
    cooccurrence_csv,
    cooccurrence_json,
    matrix,
    matrix_csv,
    matrix_json,
)
from reader.review.rows import ReviewRow, collect, filter_rows
from tests.cli_helpers import ok, one_line_error, run
from tests.conftest import corpora_or_skip
from tests.test_review import span, write_article

MC, S, TR, TT, UN = "military cooperation", "sanctions", "trade", "treaties", "(untagged)"


@pytest.fixture
def lib(tmp_path: Path) -> Config:
    """Four articles: two BBC, one Kompas, one without a source; one undated; passages that
    overlap, one with two tags, one without tags."""
    config = Config.from_args(tmp_path / "lib")
    config.annotations_dir.mkdir(parents=True)
    write_article(config, "a", "Sanctions were tightened. The embargo hurts exports.\n",
                  title="Sanctions tighten", source="BBC", date="2024-01-05")
    write_article(config, "b", "Korea Utara menghadapi sanksi. Senjata dan amunisi dikirim.\n",
                  title="Sanksi baru", source="Kompas", date="2024-03-20")
    write_article(config, "news/c", "A treaty was signed in Moscow. Café owners cheered.\n",
                  title="Treaty signed", source="BBC")
    write_article(config, "d", "Nothing much happened in January.\n", title="Quiet",
                  date="2024-01-20")
    library, store = Library(config), AnnotationStore(config.annotations_dir)
    Vocabulary(store.vocabulary_path).add(TR)  # the store writes only tags it knows
    a, b, c, d = (library.load(i) for i in ("a", "b", "news/c", "d"))
    store.add(a, *span(a, "Sanctions were tightened."), [S])
    store.add(a, *span(a, "The embargo hurts exports."), [S, TR])
    store.add(a, *span(a, "embargo hurts"), [TT])
    store.add(b, *span(b, "Korea Utara menghadapi sanksi."), [S])
    store.add(b, *span(b, "Senjata dan amunisi dikirim."), [MC])
    store.add(c, *span(c, "A treaty was signed in Moscow."), [TT])
    store.add(c, *span(c, "signed in Moscow"), [MC])
    store.add(d, *span(d, "Nothing much happened"), [], "no tag, a note")
    return config


def test_passages_per_tag_per_article(lib: Config) -> None:
    m = matrix(collect(lib))
    assert m.tags == (MC, S, TR, TT, UN) and m.units == ("a", "b", "d", "news/c")
    assert m.counts == ((0, 2, 1, 1, 0), (1, 1, 0, 0, 0), (0, 0, 0, 0, 1), (1, 0, 0, 1, 0))
    assert m.passages == (3, 2, 1, 2) and m.total == 8
    assert m.tag_totals == (2, 3, 1, 2, 1)
    assert m.articles["news/c"].title == "Treaty signed"


def test_per_source_and_per_month(lib: Config) -> None:
    rows = collect(lib)
    by_source = matrix(rows, "source")
    assert by_source.units == ("BBC", "Kompas", "(no source)")
    assert by_source.counts == ((1, 2, 1, 2, 0), (1, 1, 0, 0, 0), (0, 0, 0, 0, 1))
    assert by_source.passages == (5, 2, 1)
    by_month = matrix(rows, "month")
    assert by_month.units == ("2024-01", "2024-02", "2024-03", "(undated)")  # gaps shown
    assert by_month.counts == ((0, 2, 1, 1, 1), (0, 0, 0, 0, 0), (1, 1, 0, 0, 0),
                               (1, 0, 0, 1, 0))
    assert by_month.passages == (4, 0, 2, 2)
    with pytest.raises(ValueError, match="one of: article, source, month"):
        matrix(rows, "week")  # type: ignore[arg-type]


def test_only_the_tags_asked_for(lib: Config) -> None:
    rows = filter_rows(collect(lib), tags=["SANCTIONS", "treaties"])
    m = matrix(rows, only_tags=["SANCTIONS", "treaties"])
    assert m.tags == (S, TT) and m.units == ("a", "b", "news/c")
    assert m.counts == ((2, 1), (1, 0), (0, 1)) and m.passages == (3, 1, 1)
    c = cooccurrence(rows, "overlap", only_tags=["sanctions", "treaties"])
    assert c.tags == (S, TT) and c.counts == ((3, 1), (1, 2))


def test_tags_together_on_a_passage_overlapping_passages_and_an_article(lib: Config) -> None:
    rows = collect(lib)
    passage = cooccurrence(rows, "passage")
    assert passage.tags == (MC, S, TR, TT)  # a passage without tags is in no pair
    assert passage.counts == ((2, 0, 0, 0), (0, 3, 1, 0), (0, 1, 1, 0), (0, 0, 0, 2))
    overlap = cooccurrence(rows, "overlap")
    assert overlap.counts == ((2, 0, 0, 1), (0, 3, 1, 1), (0, 1, 1, 1), (1, 1, 1, 2))
    article = cooccurrence(rows, "article")
    assert article.counts == ((2, 1, 0, 1), (1, 2, 1, 1), (0, 1, 1, 1), (1, 1, 1, 2))
    assert overlap.pairs() == [(MC, TT, 1), (S, TR, 1), (S, TT, 1), (TR, TT, 1)]


def row(start: int, end: int, tags: tuple[str, ...], orphaned: bool = False) -> ReviewRow:
    return ReviewRow("x", "X", "", "", f"{start}-{end}", tags, "q", "", start, end, orphaned)


def test_overlap_means_sharing_text_and_an_orphan_overlaps_nothing() -> None:
    touching = [row(0, 10, ("a",)), row(10, 20, ("b",))]
    assert cooccurrence(touching).counts == ((1, 0), (0, 1))
    inside = [row(0, 100, ("a",)), row(40, 50, ("b",)), row(90, 95, ("b", "c"))]
    assert cooccurrence(inside).counts == ((1, 2, 1), (2, 2, 1), (1, 1, 1))
    orphan = [row(0, 10, ("a",)), row(5, 15, ("b",), orphaned=True)]
    assert cooccurrence(orphan).counts == ((1, 0), (0, 1))


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff") and "\r\n" in text
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_and_json_for_a_spreadsheet_or_r(lib: Config) -> None:
    rows = collect(lib)
    lines = read_csv(matrix_csv(matrix(rows)))
    assert lines[0] == ["article_id", "title", "source", "date", MC, S, TR, TT, UN,
                        "passages"]
    assert lines[1] == ["a", "Sanctions tighten", "BBC", "2024-01-05", "0", "2", "1", "1",
                        "0", "3"]
    assert read_csv(matrix_csv(matrix(rows, "month")))[0][0] == "month"
    assert not matrix_csv(matrix(rows), bom=False).startswith("\ufeff")
    square = read_csv(cooccurrence_csv(cooccurrence(rows, "article")))
    assert square[0] == ["tag", MC, S, TR, TT] and square[2] == [S, "1", "2", "1", "1"]
    formula = [row(0, 5, ("=HYPERLINK(1)", "+x"))]
    assert read_csv(cooccurrence_csv(cooccurrence(formula)))[0] == [
        "tag", "'+x", "'=HYPERLINK(1)"]
    data = matrix_json(matrix(rows, "source"))
    assert data["rows"][0] == {"source": "BBC", "passages": 5,
                               "counts": {MC: 1, S: 2, TR: 1, TT: 2, UN: 0}}
    assert data["totals"] == {"passages": 8, "tags": {MC: 2, S: 3, TR: 1, TT: 2, UN: 1}}
    together = cooccurrence_json(cooccurrence(rows, "passage"))
    assert together["pairs"] == [{"tags": [S, TR], "count": 1}]
    assert together["counts"] == "passages carrying both tags"


def brute_force(rows: list[ReviewRow], within: str) -> dict[tuple[str, str], int]:
    """Tags together, counted the slow and obvious way."""
    counts: dict[tuple[str, str], int] = {}

    def add(pairs: set[tuple[str, str]]) -> None:
        for p in pairs:
            counts[p] = counts.get(p, 0) + 1

    if within == "article":
        for article in {r.article_id for r in rows}:
            tags = sorted({t for r in rows if r.article_id == article for t in r.tags})
            add(set(combinations(tags, 2)))
        return counts
    for i, a in enumerate(rows):
        add(set(combinations(sorted(set(a.tags)), 2)))
        if within == "overlap":
            for b in rows[i + 1:]:
                if (b.article_id == a.article_id and not a.orphaned and not b.orphaned
                        and max(a.start, b.start) < min(a.end, b.end)):
                    add({tuple(sorted((x, y))) for x in a.tags for y in b.tags  # type: ignore
                         if x != y})
    return counts


def test_random_passages_over_real_articles_agree_with_counting_by_hand(
        tmp_path: Path) -> None:
    corpora = corpora_or_skip()
    rng = random.Random(2026)
    files = rng.sample(sorted(corpora.glob("*/**/*.txt")), 40)
    config = Config.from_args(tmp_path / "lib")
    config.annotations_dir.mkdir(parents=True)
    for i, f in enumerate(files):
        dest = config.articles_dir / f.parent.name / f"{i:02d}-{f.name}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    library, store = Library(config), AnnotationStore(config.annotations_dir)
    tags = [S, MC, TT, TR, "kerja sama", "Ökonomie"]
    for name in tags[3:]:
        Vocabulary(store.vocabulary_path).add(name)
    for meta in library.scan():
        article = library.load(meta.id)
        n = len(article.text)
        for _ in range(rng.randint(0, 12)):
            start = rng.randrange(max(1, n - 40))
            end = min(n, start + rng.randint(5, 400))
            if article.text[start:end].strip():
                store.add(article, start, end, rng.sample(tags, rng.randint(1, 3)))
    rows = collect(config)
    for within in ("passage", "overlap", "article"):
        c = cooccurrence(rows, within)
        expected = brute_force(rows, within)
        for (i, a), (j, b) in combinations(enumerate(c.tags), 2):
            key = (min(a, b), max(a, b))
            assert c.counts[i][j] == c.counts[j][i] == expected.get(key, 0), (within, a, b)
        print(f"{within}: {sum(expected.values())} pairs together")
    for by in ("article", "source", "month"):
        m = matrix(rows, by)
        assert m.total == len(rows)
        assert dict(zip(m.tags, m.tag_totals, strict=True)) == {
            t: sum(t in r.tags for r in rows) for t in m.tags}
        back = read_csv(matrix_csv(m))
        lead = 4 if by == "article" else 1
        assert [[int(x) for x in line[lead:]] for line in back[1:]] == [
            [*m.counts[k], m.passages[k]] for k in range(len(m.units))]
        print(f"by {by}: {len(m.units)} rows x {len(m.tags)} tags")
    print(f"{len(rows)} random passages over {len(files)} real articles")
    assert len(rows) > 100


# -- reader overview ----------------------------------------------------------------------------
def test_overview_prints_tables_and_bars_and_writes_csv_and_json(lib: Config) -> None:
    root = lib.library
    wide = {**os.environ, "COLUMNS": "160"}
    text = ok(run("overview", "--matrix", "--by", "source", cwd=root, env=wide))
    lines = text.splitlines()
    assert lines[0].startswith("Passages per tag and source")
    head = lines[2].split("  ")
    assert [h.strip() for h in head if h.strip()] == ["SOURCE", MC, S, TR, TT, UN, "passages"]
    bbc = lines[3]
    assert bbc.startswith("BBC") and bbc.split()[1:7] == ["1", "2", "1", "2", "·", "5"]
    assert "█" in bbc and lines[6].split()[:7] == ["total", "2", "3", "1", "2", "1", "8"]
    narrow = ok(run("overview", "--matrix", cwd=root, env={**os.environ, "COLUMNS": "60"}))
    assert "[1] military cooperation\n[2] sanctions\n" in narrow  # numbered, with a legend
    assert narrow.splitlines()[2].split() == ["ARTICLE", "[1]", "[2]", "[3]", "[4]", "[5]",
                                              "passages"]
    together = ok(run("overview", "--cooccurrence", "--within", "passage", cwd=root))
    assert together.startswith("Tags together on the same passage (--within passage)")
    assert "sanctions + trade" in together
    out = root / "m.csv"
    done = run("overview", "--matrix", "--by", "month", "--format", "csv", "--out", str(out),
               cwd=root)
    assert ok(done) == "" and f"wrote {out}" in done.stderr
    assert read_csv(out.read_bytes().decode("utf-8"))[2][0] == "2024-02"
    both = json.loads(ok(run("overview", "--json", "--matrix", "--cooccurrence", "--within",
                             "article", "--tag", "sanctions", cwd=root)))
    assert both["matrix"]["tags"] == [S] and both["cooccurrence"]["tags"] == [S]
    asked = json.loads(ok(run("overview", "--cooccurrence", "-f", "json", cwd=root)))
    assert list(asked) == ["cooccurrence"]


def test_overview_refuses_what_it_cannot_do_in_one_line(lib: Config) -> None:
    root = lib.library
    assert "goes with --matrix" in one_line_error(
        run("overview", "--format", "csv", cwd=root), code=2)
    assert "not both" in one_line_error(
        run("overview", "--matrix", "--cooccurrence", "--format", "csv", cwd=root), code=2)
    assert "--out writes JSON or CSV" in one_line_error(
        run("overview", "--matrix", "--out", "x", cwd=root), code=2)
    one_line_error(run("overview", "--matrix", "--by", "week", cwd=root), code=2)
    assert "folder" in one_line_error(
        run("overview", "--matrix", "-f", "csv", "--out", str(root / "no" / "x.csv"),
            cwd=root))
