"""The search index over real files and a real Whoosh index in tmp_path."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reader.config import Config
from reader.library.articles import Library
from reader.search.index import QueryError, SearchIndex
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN, corpora_or_skip


def write(lib: Path, name: str, body: str, **meta: str) -> None:
    path = lib / "articles" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    head = "".join(f"{k}: {v}\n" for k, v in meta.items())
    path.write_text((f"---\n{head}---\n" if meta else "") + body, encoding="utf-8")


@pytest.fixture
def small(tmp_path: Path) -> Config:
    lib = tmp_path / "lib"
    (lib / "annotations").mkdir(parents=True)
    write(lib, "id-peluk", "Kedua pemimpin berpelukan di bandara.\n\nAdvertisement\n",
          title="Pertemuan di bandara", source="Liputan6.com", date="2024-06-19",
          language="id", place="Pyongyang")
    write(lib, "id-senjata", "Persenjataan baru dipamerkan. Kerja sama militer diperluas.\n",
          title="Pameran", source="KOMPAS.TV", date="2024-06-25", language="id")
    write(lib, "id-kerja", "Proyek itu dikerjakan oleh tim kecil.\n",
          title="Proyek", source="Antara", date="2024-07-02", language="id")
    write(lib, "id-kerja2", "Para pekerja pulang. Kerja mereka selesai, mereka kerja keras.\n",
          title="Pulang", source="Antara", date="2024-05-30", language="id")
    write(lib, "en-sanctions", "The EU imposed new sanctions on Moscow. Sama Corp said "
          "nothing.\n", title="EU sanctions", source="BBC News", date="2024-06-20",
          language="en", place="Brussels")
    write(lib, "en-visit", "A working visit: the minister will visit the sama region.\n",
          title="Visit", source="BBC News", date="2023-01-05", language="en")
    return Config.from_args(lib)


def ids(index: SearchIndex, query: str) -> list[str]:
    return [r.id for r in index.search(query, limit=50)]


@pytest.fixture
def index(small: Config) -> SearchIndex:
    ix = SearchIndex(small)
    report = ix.update()
    assert len(report.added) == 6 and report.notice == ""
    return ix


@pytest.mark.parametrize(("query", "expected"), [
    ("peluk", {"id-peluk"}),
    ("senjata", {"id-senjata"}),
    ("bekerja", {"id-kerja", "id-kerja2", "id-senjata"}),
    ("sanction", {"en-sanctions"}),
    ("Sanctions", {"en-sanctions"}),
])
def test_morphology(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert set(ids(index, query)) == expected


def test_exact_word_ranks_above_stem_only(index: SearchIndex) -> None:
    found = ids(index, "dikerjakan")
    assert found[0] == "id-kerja"
    assert "id-kerja2" in found  # shares the stem only


def test_phrase_is_exact(index: SearchIndex) -> None:
    assert ids(index, '"kerja sama"') == ["id-senjata"]
    assert ids(index, '"sama kerja"') == []
    assert ids(index, '"kerja keras"') == ["id-kerja2"]
    assert ids(index, '"berpelukan"') == ["id-peluk"]
    assert ids(index, '"peluk"') == []  # a quoted word is exact, not stemmed


def test_operators(index: SearchIndex) -> None:
    assert set(ids(index, "kerja militer")) == {"id-senjata"}
    assert set(ids(index, "kerja AND militer")) == {"id-senjata"}
    assert set(ids(index, "peluk OR sanctions")) == {"id-peluk", "en-sanctions"}
    assert set(ids(index, "kerja NOT militer")) == {"id-kerja", "id-kerja2"}
    assert set(ids(index, "kerja -militer")) == {"id-kerja", "id-kerja2"}
    assert set(ids(index, "kerja -(militer OR pulang)")) == {"id-kerja"}
    assert set(ids(index, "persenjata*")) == {"id-senjata"}
    assert set(ids(index, "sanctoins~")) == {"en-sanctions"}
    assert set(ids(index, "berplukan~")) == {"id-peluk"}
    # a minus before a field term excludes by that field
    assert set(ids(index, "kerja -source:antara")) == {"id-senjata"}
    assert set(ids(index, "source:antara -title:proyek")) == {"id-kerja2"}


def test_fields(index: SearchIndex) -> None:
    assert ids(index, "title:pameran") == ["id-senjata"]
    assert set(ids(index, "source:antara")) == {"id-kerja", "id-kerja2"}
    assert set(ids(index, "source:bbc visit")) == {"en-visit"}
    assert set(ids(index, 'source:"bbc news"')) == {"en-sanctions", "en-visit"}
    assert ids(index, "place:pyongyang") == ["id-peluk"]
    assert set(ids(index, "lang:en")) == {"en-sanctions", "en-visit"}
    assert ids(index, "date:2024-06-19") == ["id-peluk"]
    assert set(ids(index, "date:[2024-06-01 TO 2024-06-30]")) == {
        "id-peluk", "id-senjata", "en-sanctions"}
    assert set(ids(index, "date:2024-06")) == {"id-peluk", "id-senjata", "en-sanctions"}
    assert set(ids(index, "date:[2024-06-20 TO *] sanctions")) == {"en-sanctions"}
    assert ids(index, "date:2023") == ["en-visit"]
    # open ends, and a month as the upper end
    assert set(ids(index, "date:[* TO 2024-06-01]")) == {"id-kerja2", "en-visit"}
    assert set(ids(index, "date:[2024-06-25 TO *]")) == {"id-senjata", "id-kerja"}
    assert set(ids(index, "date:[2024-06-20 TO 2024-06]")) == {"en-sanctions", "id-senjata"}


def test_date_ranges_match_a_plain_filter(tmp_path: Path) -> None:
    """Date ranges, open or closed, give exactly the articles a plain filter over the dates
    gives (Whoosh's numeric ranges have an open-end pitfall)."""
    import random

    rng = random.Random(7)
    lib = tmp_path / "lib"
    dates: dict[str, str] = {}
    for i in range(120):
        date = f"{rng.randint(1995, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        dates[f"a{i}"] = date
        write(lib, f"a{i}", "Berita singkat.\n", title=f"A {i}", date=date, language="id")
    write(lib, "undated", "Berita tanpa tanggal.\n", title="Tanpa", language="id")
    ix = SearchIndex(Config.from_args(lib))
    ix.update()
    for _ in range(40):
        lo, hi = sorted(rng.sample(sorted(dates.values()), 2))
        lo = rng.choice([lo, lo[:7], lo[:4], "*"])
        hi = rng.choice([hi, hi[:7], hi[:4], "*"])
        found = {r.id for r in ix.search(f"date:[{lo} TO {hi}]", limit=500)}
        want = {a for a, d in dates.items()
                if (lo == "*" or d >= lo) and (hi == "*" or d[:len(hi)] <= hi)}
        assert found == want, (lo, hi)


def test_boilerplate_is_not_indexed(index: SearchIndex) -> None:
    assert ids(index, "advertisement") == []


@pytest.mark.parametrize(("query", "message"), [
    ('"kerja sama', "unbalanced quote"),
    ("foo:bar", "unknown field"),
    ("(kerja", "unbalanced '('"),
    ("kerja)", "unbalanced ')'"),
    ("date:2024-13-01", "no such date"),
    ("date:19-06-2024", "bad date"),
    ("date:[2024-06-30 TO 2024-06-01]", "backwards"),
    ("tag:", "tag: needs a value"),
    ("sanksi note:", "note: needs a value"),
    ("AND", "AND needs a term"),
    ("kerja NOT", "NOT needs a term"),
    ("OR kerja", "OR needs"),
    ("a*", "at least 2 letters"),
])
def test_malformed_queries(index: SearchIndex, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        index.search(query)


def test_blank_query(index: SearchIndex) -> None:
    assert index.search("   ") == []


def test_snippets_and_hit_spans(index: SearchIndex, small: Config) -> None:
    [r] = index.search("peluk")
    art = Library(small).load(r.id)
    assert r.hits == 1 and art.text[r.first_hit:].startswith("berpelukan")
    snip = r.snippets[0]
    assert "\n" not in snip.text
    s, e = snip.highlights[0]
    assert snip.text[s:e] == "berpelukan"
    assert art.text[snip.start + s:snip.start + e] == "berpelukan"

    art = Library(small).load("id-kerja2")
    spans = index.hit_spans("kerja", art)
    assert [art.text[s:e] for s, e in spans] == ["pekerja", "Kerja", "kerja"]
    spans = index.hit_spans('"kerja keras"', art)
    assert [art.text[s:e] for s, e in spans] == ["kerja keras"]
    assert index.hit_spans("kerja -pulang", art) == index.hit_spans("kerja", art)


def test_seeds(config: Config) -> None:
    ix = SearchIndex(config)
    ix.update()
    assert ids(ix, "kerja sama")[0] in (SEED_LIPUTAN, SEED_KOMPAS)
    assert SEED_LIPUTAN in ids(ix, '"kerja sama"')
    assert set(ids(ix, "peluk")) == {SEED_LIPUTAN, SEED_KOMPAS}
    assert ids(ix, "senjata") == [SEED_KOMPAS]
    assert set(ids(ix, "kunjungan")) == set(ids(ix, "mengunjungi"))


def test_incremental_update(index: SearchIndex, small: Config) -> None:
    lib = small.library
    assert index.update().unchanged
    write(lib, "new", "Embargo senjata diumumkan.\n", title="Baru", language="id")
    path = lib / "articles" / "id-peluk.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("berpelukan", "bersalaman"),
                    encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))
    (lib / "articles" / "en-visit.txt").unlink()
    touched = lib / "articles" / "id-kerja.txt"
    os.utime(touched, (time.time() + 9, time.time() + 9))  # same content: not re-indexed
    report = index.update()
    assert report.added == ["new"] and report.changed == ["id-peluk"]
    assert report.removed == ["en-visit"]
    assert ids(index, "embargo") == ["new"]
    assert ids(index, "peluk") == [] and ids(index, "salam") == ["id-peluk"]
    assert ids(index, "visit") == []
    assert index.update().unchanged
    # A second instance (another process) sees the same state without re-indexing.
    other = SearchIndex(small)
    assert other.update().unchanged and ids(other, "embargo") == ["new"]


def test_update_of_named_paths_only(index: SearchIndex, small: Config) -> None:
    """A caller that knows what changed names the files: only they are looked at."""
    lib = small.library
    write(lib, "new", "Embargo senjata diumumkan.\n", title="Baru", language="id")
    (lib / "articles" / "en-visit.txt").unlink()
    unnamed = lib / "articles" / "id-kerja.txt"
    unnamed.write_text("Embargo juga di sini.\n", encoding="utf-8")
    os.utime(unnamed, (time.time() + 5, time.time() + 5))
    report = index.update(paths=["new.txt", "en-visit.txt", "no-such.txt", ".hidden.txt"])
    assert report.added == ["new"] and report.removed == ["en-visit"] and not report.changed
    assert ids(index, "embargo") == ["new"]  # id-kerja.txt was not named: not looked at
    assert ids(index, "visit") == []
    report = index.update()  # the walk finds the rest
    assert report.changed == ["id-kerja"] and not report.added and not report.removed
    assert sorted(ids(index, "embargo")) == ["id-kerja", "new"]
    # with no manifest to trust, named paths are not enough: the library is walked
    index.close()
    (small.index_dir / "manifest.bin").unlink()
    (lib / "articles" / "id-senjata.txt").unlink()
    fresh = SearchIndex(small)
    assert fresh.update(paths=[]).removed == ["id-senjata"]


def test_tags_and_notes(index: SearchIndex, small: Config) -> None:
    from reader.annotations.store import AnnotationStore
    from reader.annotations.vocabulary import Vocabulary

    store = AnnotationStore(small.annotations_dir)
    for name in ("militer", "Kerja Sama"):  # only tags in the vocabulary are written
        Vocabulary(small.vocabulary_path).add(name)
    art = Library(small).load("id-senjata")
    start = art.text.index("Kerja sama")
    store.add(art, start, start + len("Kerja sama"), ["militer", "Kerja Sama"],
              note="Perlu dicek dengan sumber kedua")
    index.update_annotations("id-senjata")
    assert ids(index, "tag:militer") == ["id-senjata"]
    assert ids(index, 'tag:"kerja sama"') == ["id-senjata"]
    assert ids(index, "note:sumber") == ["id-senjata"]
    assert ids(index, 'note:"sumber kedua"') == ["id-senjata"]
    assert ids(index, "tag:politik") == []
    assert ids(index, "tag:*") == ["id-senjata"]  # any tag
    # a tag: or note: query shows the tagged passage, not the opening of the article
    for query in ("tag:militer", "tag:mil*", "note:sumber", 'note:"sumber kedua"'):
        [hit] = index.search(query)
        assert (hit.first_hit, hit.hits) == (start, 1), query
        snippet = hit.snippets[0]
        assert [snippet.text[a:b] for a, b in snippet.highlights] == ["Kerja sama"], query
    # tags in an article's front matter (as 'reader import --tag' writes them) count too
    write(small.library, "imported", "Berita impor.\n", title="Impor", language="id",
          tags="[pemilu, Kerja Sama]")
    index.update()
    assert ids(index, "tag:pemilu") == ["imported"]
    assert set(ids(index, 'tag:"kerja sama"')) == {"id-senjata", "imported"}
    assert index.update().unchanged  # the manifest knows the annotation file's state
    assert SearchIndex(small).update().unchanged


def test_rebuild(index: SearchIndex) -> None:
    report = index.update(rebuild=True)
    assert report.rebuilt and len(report.added) == 6
    assert ids(index, "peluk") == ["id-peluk"]


@pytest.mark.parametrize("damage", [b"", b"reader-index-manifest 1\n\x00\x01", b"{}"])
def test_a_lost_or_damaged_manifest_is_rebuilt_from_the_index(index: SearchIndex, small: Config,
                                                               damage: bytes) -> None:
    index.close()
    (small.index_dir / "manifest.bin").write_bytes(damage)
    fresh = SearchIndex(small)
    report = fresh.update()
    assert report.unchanged and not report.rebuilt  # read back from the stored fields
    assert fresh.update().unchanged  # and written anew
    assert (small.index_dir / "manifest.bin").read_bytes() != damage
    assert ids(fresh, "peluk") == ["id-peluk"]


def test_corrupt_index_is_rebuilt(index: SearchIndex, small: Config) -> None:
    index.close()
    for p in small.index_dir.iterdir():
        if p.suffix in (".seg", ".toc"):
            p.write_bytes(b"\x00garbage" * 10)
    fresh = SearchIndex(small)
    report = fresh.update()
    assert report.rebuilt
    assert "corrupt" in report.notice or "unreadable" in report.notice
    assert ids(fresh, "peluk") == ["id-peluk"]


def test_missing_segment_is_rebuilt(index: SearchIndex, small: Config) -> None:
    index.close()
    for p in small.index_dir.glob("*.seg"):
        p.unlink()
    fresh = SearchIndex(small)
    report = fresh.update()
    assert report.rebuilt and report.notice
    assert ids(fresh, "sanctions") == ["en-sanctions"]


def test_stale_lock_of_dead_process(index: SearchIndex, small: Config) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    (small.index_dir / "update.pid").write_text(str(pid), encoding="utf-8")
    (small.index_dir / "update.lock").write_text("", encoding="utf-8")
    (small.index_dir / "articles_WRITELOCK").write_text("", encoding="utf-8")
    write(small.library, "late", "Gencatan senjata.\n", language="id")
    report = SearchIndex(small).update()
    assert report.added == ["late"]
    assert str(pid) in report.notice


def test_old_schema_is_rebuilt(index: SearchIndex, small: Config) -> None:
    from whoosh import fields
    from whoosh import index as windex

    index.close()
    for p in small.index_dir.iterdir():
        p.unlink()
    old = windex.create_in(str(small.index_dir), fields.Schema(
        id=fields.ID(stored=True, unique=True), body=fields.TEXT()), indexname="articles")
    w = old.writer()
    w.add_document(id="id-peluk", body="berpelukan")
    w.commit()
    fresh = SearchIndex(small)
    report = fresh.update()
    assert report.rebuilt and "another version" in report.notice
    assert len(ids(fresh, "lang:id")) == 4


def test_searcher_is_safe_from_threads(index: SearchIndex) -> None:
    from concurrent.futures import ThreadPoolExecutor

    queries = ["peluk", "kerja", "sanctions", '"kerja sama"', "lang:en"] * 20
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda q: ids(index, q), queries))
    assert results[:5] == results[5:10]


def test_corpora_queries(tmp_path: Path) -> None:
    corpora = corpora_or_skip()
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.corpus import build_corpus

    lib = build_corpus(600, tmp_path / "corpus", corpora=corpora)
    ix = SearchIndex(Config.from_args(lib))
    assert ix.update().total == 600
    found = ix.search("sanction", limit=50)
    assert found and all(r.hits > 0 for r in found)
    assert ix.search('"kerja sama"', limit=5)
    for r in ix.search('"kerja sama"', limit=5):
        assert all("kerja sama" in s.text[a:b].lower().replace("\n", " ")
                   for s in r.snippets for a, b in s.highlights)
    english = ix.search("lang:en sanctions", limit=50)
    assert english and all(r.language == "en" for r in english)
    kunjungan = {r.id for r in ix.search("kunjungan", limit=500)}
    assert kunjungan == {r.id for r in ix.search("mengunjungi", limit=500)}


def test_hits_in_boilerplate_lines_are_left_out(config: Config) -> None:
    """'Baca Juga: ... Perang di Ukraina' is not a hit of perang (tag every hit must not tag it)."""
    article = Library(config).load(SEED_KOMPAS)
    line = article.text.index("Baca Juga")
    assert "Perang" in article.text[line:article.text.index("\n", line)]
    index = SearchIndex(config)
    index.update()
    spans = index.hit_spans("perang", article)
    assert spans and all(not (line <= a < article.text.index("\n", line)) for a, _ in spans)
