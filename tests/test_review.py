"""Review rows, filters, sorting, overview and charts; tagging hit sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.models import Article
from reader.review.rows import (
    ReviewRow,
    bar,
    bar_chart,
    collect,
    collect_with_errors,
    filter_rows,
    overview,
    sort_rows,
    sparkline,
    tag_counts,
)
from reader.review.tag_hits import count_hit_sentences, plan_hits, tag_hits, tag_sentence_at
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


def write_article(config: Config, article_id: str, body: str, **meta: str) -> None:
    path = config.articles_dir / f"{article_id}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    fm = "".join(f"{k}: {v!r}\n" for k, v in meta.items())
    path.write_text(f"---\n{fm}---\n{body}" if meta else body, encoding="utf-8")


def span(article: Article, quote: str) -> tuple[int, int]:
    i = article.text.index(quote)
    return i, i + len(quote)


@pytest.fixture
def lib(tmp_path: Path) -> Config:
    """Three small dated articles from two sources, with four annotations."""
    config = Config.from_args(tmp_path / "lib")
    config.annotations_dir.mkdir(parents=True)
    write_article(config, "a", "Sanctions were tightened. The embargo hurts exports.\n"
                  "Ministers met in Geneva.\n",
                  title="Sanctions tighten", source="BBC", date="2024-01-05", language="en")
    write_article(config, "b", "Korea Utara menghadapi sanksi. Senjata dan amunisi dikirim.\n",
                  title="Sanksi baru", source="Kompas", date="2024-03-20", language="id")
    write_article(config, "news/c", "A treaty was signed in Moscow. Café owners cheered.\n",
                  title="Treaty signed", source="BBC", language="en")
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    Vocabulary(config.vocabulary_path).add("trade")
    a, b, c = library.load("a"), library.load("b"), library.load("news/c")
    store.add(a, *span(a, "Sanctions were tightened."), ["sanctions"], "first step")
    store.add(a, *span(a, "The embargo hurts exports."), ["sanctions", "trade"])
    store.add(b, *span(b, "Senjata dan amunisi dikirim."), ["military cooperation"])
    store.add(c, *span(c, "A treaty was signed in Moscow."), ["treaties"], "Moskow, 2024")
    return config


def test_collect_rows_carry_article_metadata(lib: Config) -> None:
    rows = collect(lib)
    assert len(rows) == 4
    by_quote = {r.quote: r for r in rows}
    r = by_quote["The embargo hurts exports."]
    assert (r.article_id, r.title, r.source, r.date) == ("a", "Sanctions tighten", "BBC",
                                                         "2024-01-05")
    assert r.tags == ("sanctions", "trade")
    assert not r.orphaned
    text = Library(lib).load("a").text
    assert text[r.start:r.end] == r.quote
    assert by_quote["A treaty was signed in Moscow."].article_id == "news/c"
    assert by_quote["Sanctions were tightened."].note == "first step"


def test_collect_filters_by_tags_and_text(lib: Config) -> None:
    assert {r.quote for r in collect(lib, tags=["SANCTIONS"])} == {
        "Sanctions were tightened.", "The embargo hurts exports."}
    assert len(collect(lib, tags=["treaties", "military cooperation"])) == 2
    assert collect(lib, tags=["nothing"]) == []
    # words anywhere in quote, note, title, source; all must match; accents ignored
    assert [r.quote for r in collect(lib, text="moskow")] == ["A treaty was signed in Moscow."]
    assert [r.quote for r in collect(lib, text="kompas senjata")] == [
        "Senjata dan amunisi dikirim."]
    assert collect(lib, text="kompas treaty") == []
    assert [r.article_id for r in collect(lib, text="first STEP")] == ["a"]


def test_collect_by_search_query(lib: Config) -> None:
    from reader.search.index import SearchIndex

    index = SearchIndex(lib)
    index.update()
    rows = collect(lib, query="amunisi", index=index)
    assert [r.article_id for r in rows] == ["b"]
    # stemming as in search: "sanctioned" finds article a
    assert {r.article_id for r in collect(lib, query="sanctioned", index=index)} == {"a"}
    # without an index given, the library's own index is brought up to date
    assert {r.article_id for r in collect(lib, query="treaty")} == {"news/c"}


def test_collect_keeps_orphans_and_reports_broken_files(lib: Config) -> None:
    write_article(lib, "a", "Completely different text now.\n", title="Sanctions tighten",
                  source="BBC", date="2024-01-05", language="en")
    (lib.annotations_dir / "broken.yaml").write_text("annotations: [unclosed\n",
                                                     encoding="utf-8")
    (lib.articles_dir / "b.txt").unlink()
    rows, errors = collect_with_errors(lib)
    orphans = [r for r in rows if r.orphaned]
    assert {r.quote for r in orphans} == {"Sanctions were tightened.",
                                          "The embargo hurts exports.",
                                          "Senjata dan amunisi dikirim."}
    gone = next(r for r in rows if r.article_id == "b")
    assert gone.article_missing and gone.title == "b"
    assert len(errors) == 1 and errors[0].path.name == "broken.yaml"
    assert len(rows) == 4


def test_sort_rows_by_each_column(lib: Config) -> None:
    rows = collect(lib)
    by_date = sort_rows(rows, "date")
    assert [r.date for r in by_date] == ["2024-01-05", "2024-01-05", "2024-03-20", ""]
    assert [r.quote for r in by_date[:2]] == ["Sanctions were tightened.",
                                              "The embargo hurts exports."]  # text order
    newest = sort_rows(rows, "date", reverse=True)
    assert [r.date for r in newest] == ["2024-03-20", "2024-01-05", "2024-01-05", ""]
    assert [r.source for r in sort_rows(rows, "source")] == ["BBC", "BBC", "BBC", "Kompas"]
    assert sort_rows(rows, "quote")[0].quote == "A treaty was signed in Moscow."
    assert sort_rows(rows, "tags")[0].tags == ("military cooperation",)
    assert [r.note for r in sort_rows(rows, "note", reverse=True)][:2] == ["Moskow, 2024",
                                                                          "first step"]
    assert sort_rows(rows, "title")[0].title == "Sanctions tighten"
    with pytest.raises(ValueError, match="cannot sort by"):
        sort_rows(rows, "colour")


def test_tag_counts(lib: Config) -> None:
    assert tag_counts(collect(lib)) == {"sanctions": 2, "military cooperation": 1,
                                        "trade": 1, "treaties": 1}


def row(tags: tuple[str, ...], source: str, date: str, n: int = 0) -> ReviewRow:
    return ReviewRow(f"art{n}", f"T{n}", source, date, f"id{n}", tags, f"q{n}", "", 0, 2)


def test_overview_counts_and_timeline_by_month() -> None:
    rows = [row(("sanctions",), "BBC", "2024-01-05", 1),
            row(("sanctions", "treaties"), "Kompas", "2024-01-20", 2),
            row(("treaties",), "BBC", "2024-06-02", 3),
            row((), "", "", 4)]
    ov = overview(rows)
    assert ov.total == 4 and ov.articles == 4
    assert ov.per_tag == {"sanctions": 2, "treaties": 2, "(untagged)": 1}
    assert list(ov.per_tag) == ["sanctions", "treaties", "(untagged)"]
    assert ov.per_source == {"BBC": 2, "(no source)": 1, "Kompas": 1}
    assert ov.per_tag_source[("treaties", "Kompas")] == 1
    assert ov.per_tag_source[("sanctions", "BBC")] == 1
    assert ov.granularity == "month"
    assert ov.timeline == [("2024-01", 2), ("2024-02", 0), ("2024-03", 0), ("2024-04", 0),
                           ("2024-05", 0), ("2024-06", 1)]
    assert ov.tag_timeline["sanctions"] == [2, 0, 0, 0, 0, 0]
    assert ov.tag_timeline["treaties"] == [1, 0, 0, 0, 0, 1]
    assert ov.undated == 1


def test_overview_by_week_for_a_short_span_and_empty() -> None:
    rows = [row(("a",), "S", "2024-06-17", 1), row(("a",), "S", "2024-06-19", 2),
            row(("b",), "S", "2024-07-01", 3)]
    ov = overview(rows)
    assert ov.granularity == "week"
    assert ov.timeline == [("2024-W25", 2), ("2024-W26", 0), ("2024-W27", 1)]
    empty = overview([])
    assert (empty.total, empty.timeline, empty.per_tag) == (0, [], {})


def test_bar_and_charts() -> None:
    assert bar(10, 10, 5) == "█████"
    assert bar(0, 10, 5) == "     "
    assert bar(5, 10, 4) == "██  "
    assert bar(1, 1000, 4) == "▏   "  # a non-zero value is always visible
    assert bar(3, 8, 1) == "▍"
    assert all(len(bar(v, 7, 9)) == 9 for v in range(8))
    assert bar(1, 0, 3) == "   " and bar(1, 1, 0) == ""
    assert sparkline([0, 1, 4, 8]) == " ▁▄█"
    lines = bar_chart([("sanctions", 12), ("a very long tag name indeed, longer", 3)],
                      width=50, label_width=10)
    assert len(lines) == 2 and all(len(x) == 50 for x in lines)
    assert lines[0].startswith("sanctions ") and lines[0].endswith(" 12")
    assert lines[1].startswith("a very lo…")


def test_filter_rows_without_filters_keeps_all(lib: Config) -> None:
    rows = collect(lib)
    assert filter_rows(rows) == rows


# -- tagging hit sentences ------------------------------------------------------------------
def test_tag_sentence_at_a_hit_offset(config: Config) -> None:
    store = AnnotationStore(config.annotations_dir)
    article = Library(config).load(SEED_KOMPAS)
    offset = article.text.index("amunisi")
    ann = tag_sentence_at(config, store, SEED_KOMPAS, offset, ["military cooperation"])
    assert ann.quote.startswith("Kunjungan Putin terjadi di tengah kekhawatiran")
    assert ann.quote.endswith("untuk perang di Ukraina.")
    # again with another tag: the same passage gets both tags, no second annotation
    again = tag_sentence_at(config, store, SEED_KOMPAS, offset + 2, ["treaties"])
    assert again.id == ann.id and again.tags == ["military cooperation", "treaties"]
    assert len(store.load(article).annotations) == 1
    with pytest.raises(ValueError):
        tag_sentence_at(config, store, SEED_KOMPAS, len(article.text) + 5, ["x"])


def test_tag_every_hit_is_one_undo_step(config: Config) -> None:
    from reader.search.index import SearchIndex

    index = SearchIndex(config)
    index.update()
    store = AnnotationStore(config.annotations_dir)
    library = Library(config)
    kompas = library.load(SEED_KOMPAS)
    # one hit sentence already carries the tag: it is skipped
    first = kompas.text.index("Korea Utara saat ini menghadapi sanksi")
    store.add(kompas, first, first + len("Korea Utara saat ini menghadapi sanksi"),
              ["sanctions"])
    plan = plan_hits(config, store, index, "sanksi", ["sanctions"])
    assert plan.already == 1
    assert plan.articles == 1 and plan.sentences >= 3
    assert "sanctions" in plan.describe() and str(plan.sentences) in plan.describe()
    n = count_hit_sentences(config, store, index, "sanksi", ["sanctions"])
    assert n == plan.sentences
    made = tag_hits(config, store, index, "sanksi", ["sanctions"], plan=plan)
    assert len(made) == n
    anns = store.load(kompas).annotations
    assert len(anns) == n + 1
    quotes = {a.quote for a in anns}
    assert any("di tengah sanksi yang dipimpin Amerika Serikat" in q for q in quotes)
    # each quote is a whole sentence holding the hit, each once
    assert all("sanksi" in q.lower() for q in quotes)
    assert len(quotes) == len(anns)
    # a second run finds nothing left to tag
    assert count_hit_sentences(config, store, index, "sanksi", ["sanctions"]) == 0
    # one undo reverts every one of them
    assert store.undo() is not None
    assert len(store.load(kompas).annotations) == 1


def test_tag_every_hit_across_articles_adds_missing_tags(config: Config) -> None:
    from reader.search.index import SearchIndex

    index = SearchIndex(config)
    index.update()
    store = AnnotationStore(config.annotations_dir)
    library = Library(config)
    lip = library.load(SEED_LIPUTAN)
    for name in ("places", "korea", "extra"):
        Vocabulary(config.vocabulary_path).add(name)
    plan = plan_hits(config, store, index, "Pyongyang", ["places", "korea"])
    assert plan.articles == 2
    made = tag_hits(config, store, index, "Pyongyang", ["places", "korea"], plan=plan)
    assert all(a.tags == ["places", "korea"] for a in made)
    assert {a.quote for a in store.load(lip).annotations} == {
        a.quote for a in made if a.quote in lip.text}
    # a sentence that has "places" but not "extra" gets only "extra" added
    made2 = tag_hits(config, store, index, "Pyongyang", ["places", "extra"])
    assert len(made2) == len(made)
    assert all(a.tags == ["places", "korea", "extra"] for a in made2)
    store.undo()
    assert all(a.tags == ["places", "korea"] for a in store.load(lip).annotations)


def test_cli_overview(lib: Config, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli.main import main

    assert main(["--library", str(lib.library), "overview"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 passages in 3 articles")
    assert "Per tag" in out and "Per source" in out and "Per tag and source" in out
    assert "Per week (article dates); 1 undated" in out  # news/c has no date
    weeks = [x.split()[0] for x in out.split("Per week")[1].splitlines()[1:]]
    assert weeks == [f"2024-W{w:02d}" for w in range(1, 13)]
    sanctions = next(x for x in out.splitlines() if x.strip().startswith("sanctions "))
    assert sanctions.rstrip().endswith(" 2") and "█" in sanctions
    assert main(["--library", str(lib.library), "overview", "--json", "--tag",
                 "sanctions"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert doc["passages"] == 2 and doc["per_source"] == {"BBC": 2}
    assert doc["timeline"] == [{"period": "2024-W01", "passages": 2}]
    assert main(["--library", str(lib.library), "overview", "--tag", "zzz"]) == 1
