"""Suggested passages: cue matching through the search analysis, readable sentences only,
coverage, ranking, learning from accepted and rejected suggestions, rejections, accepting,
``reader suggest``. The measured quality on labelled articles is in test_suggest_quality.py."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from reader import yamlio
from reader.annotations.store import AnnotationStore
from reader.annotations.vocabulary import Vocabulary
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from reader.models import Article
from reader.review import learning
from reader.review.learning import model_path
from reader.review.suggest import (
    RejectedFileError,
    Suggestion,
    accept,
    load_rejected,
    reject,
    rejected_path,
    suggest,
    unreject,
)
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN


def has(found: list[Suggestion], article: str, tag: str, *parts: str) -> Suggestion | None:
    for s in found:
        if s.article_id == article and s.tag == tag and all(p in s.sentence for p in parts):
            return s
    return None


def test_seed_passages_are_suggested(config: Config) -> None:
    found = suggest(config)
    text = {a: Library(config).load(a).text for a in (SEED_KOMPAS, SEED_LIPUTAN)}
    for s in found:
        assert text[s.article_id][s.start:s.end] == s.sentence
        assert s.cue and s.cue in s.cues
    # sanctions (KOMPAS)
    assert has(found, SEED_KOMPAS, "sanctions",
               "di tengah sanksi yang dipimpin Amerika Serikat")
    assert has(found, SEED_KOMPAS, "sanctions", "menghadapi sanksi ekonomi berat")
    # the 1961/2000 treaties and the new Comprehensive Strategic Partnership (Liputan6)
    assert has(found, SEED_LIPUTAN, "treaties",
               "Perjanjian Persahabatan dan Bantuan Timbal Balik Tahun 1961")
    assert has(found, SEED_LIPUTAN, "treaties", "Perjanjian Persahabatan dan Kerja Sama "
                                                "Tetangga yang Baik Tahun 2000")
    partnership = has(found, SEED_LIPUTAN, "treaties",
                      "perjanjian baru tentang Kemitraan Strategis Komprehensif")
    assert partnership is not None and "kemitraan strategis" in partnership.cues
    # arms and ammunition (KOMPAS)
    arms = has(found, SEED_KOMPAS, "military cooperation", "kesepakatan senjata", "amunisi")
    assert arms is not None and {"senjata", "amunisi"} <= set(arms.cues)


def test_suggestions_for_one_tag_and_article(config: Config) -> None:
    found = suggest(config, tags=["Sanctions"], article_ids=[SEED_KOMPAS])
    assert found and {s.tag for s in found} == {"sanctions"}
    assert {s.article_id for s in found} == {SEED_KOMPAS}
    # best first; equal scores in text order
    assert [(-s.score, s.start) for s in found] == sorted((-s.score, s.start) for s in found)
    with pytest.raises(KeyError, match="no tag"):
        suggest(config, tags=["nonexistent"])


def test_boilerplate_is_not_suggested(config: Config) -> None:
    vocab = Vocabulary(config.vocabulary_path)
    vocab.add("ads", cues=["advertisement"])
    assert suggest(config, tags=["ads"]) == []


def write_en(config: Config, body: str, article_id: str = "en1") -> None:
    (config.articles_dir / f"{article_id}.txt").write_text(
        f"---\ntitle: English piece\nlanguage: en\n---\n{body}", encoding="utf-8")


def test_english_stemming_and_multiword_cues(config: Config) -> None:
    write_en(config, "Russia was sanctioned again last week. The weather was fine.\n"
                     "Both sides signed a strategic partnership. A strategic move, no "
                     "partnership.\nThe embargoes widened.\n")
    found = suggest(config, article_ids=["en1"])
    got = {(s.tag, s.sentence, s.cue) for s in found}
    assert ("sanctions", "Russia was sanctioned again last week.", "sanctions") in got or \
        ("sanctions", "Russia was sanctioned again last week.", "sanctioned") in got
    assert ("sanctions", "The embargoes widened.", "embargo") in got
    strategic = has(found, "en1", "treaties", "signed a strategic partnership")
    assert strategic is not None and strategic.cue == "strategic partnership"
    # "strategic ... partnership" not in a row: only the single-word cue matches
    loose = has(found, "en1", "treaties", "A strategic move")
    assert loose is not None and loose.cues == ("partnership",)
    assert not has(found, "en1", "sanctions", "weather")


def test_derived_indonesian_cues_keep_their_meaning(config: Config) -> None:
    """Same stem, other word: "pertahanan" (defence) is not "bertahan" (to survive),
    "perjanjian" (treaty) is not "berjanji" (to promise); a root cue matches every form."""
    (config.articles_dir / "id1.txt").write_text(
        "---\nlanguage: id\n---\nMenteri Pertahanan datang. Harga bertahan lama.\n"
        "Ketahanan pangan dibahas. Ia berjanji datang. Perjanjiannya diteken.\n"
        "Negara itu disanksi lagi.\n", encoding="utf-8")
    found = suggest(config, article_ids=["id1"])
    got = {(s.tag, s.sentence) for s in found}
    assert got == {("military cooperation", "Menteri Pertahanan datang."),
                   ("treaties", "Perjanjiannya diteken."),
                   ("sanctions", "Negara itu disanksi lagi.")}


def test_progress_is_reported(config: Config) -> None:
    calls: list[tuple[int, int]] = []
    suggest(config, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)


def test_a_cue_never_spans_two_sentences(config: Config) -> None:
    vocab = Vocabulary(config.vocabulary_path)
    vocab.add("two words", cues=["alpha beta"])
    write_en(config, "It ends with alpha. Beta starts this one.\nHere alpha beta meet.\n")
    found = suggest(config, tags=["two words"], article_ids=["en1"])
    assert [s.sentence for s in found] == ["Here alpha beta meet."]


def test_tagged_sentences_are_not_suggested(config: Config) -> None:
    store = AnnotationStore(config.annotations_dir)
    article = Library(config).load(SEED_KOMPAS)
    target = has(suggest(config), SEED_KOMPAS, "sanctions", "menghadapi sanksi ekonomi berat")
    assert target is not None
    # a part of the sentence tagged with another tag: still suggested for sanctions
    i = article.text.index("Dewan Keamanan PBB")
    store.add(article, i, i + len("Dewan Keamanan PBB"), ["treaties"])
    assert has(suggest(config), SEED_KOMPAS, "sanctions", "menghadapi sanksi ekonomi berat")
    # a part of it tagged sanctions: covered
    store.add(article, i, i + len("Dewan Keamanan PBB"), ["sanctions"])
    assert not has(suggest(config), SEED_KOMPAS, "sanctions",
                   "menghadapi sanksi ekonomi berat")


def test_accept_tags_the_sentence_and_joins_an_existing_passage(config: Config) -> None:
    store = AnnotationStore(config.annotations_dir)
    found = suggest(config)
    arms = has(found, SEED_KOMPAS, "military cooperation", "kesepakatan senjata")
    treaty = has(found, SEED_KOMPAS, "treaties", "kesepakatan senjata")
    assert arms is not None and treaty is not None
    ann = accept(config, arms, store)
    assert (ann.start, ann.end, ann.quote) == (arms.start, arms.end, arms.sentence)
    assert ann.tags == ["military cooperation"]
    again = accept(config, treaty, store)
    assert again.id == ann.id and again.tags == ["military cooperation", "treaties"]
    article = Library(config).load(SEED_KOMPAS)
    assert len(store.load(article).annotations) == 1
    left = suggest(config)
    assert not has(left, SEED_KOMPAS, "military cooperation", "kesepakatan senjata")
    assert not has(left, SEED_KOMPAS, "treaties", "kesepakatan senjata")
    # undo is per accept
    store.undo()
    assert store.load(article).annotations[0].tags == ["military cooperation"]


def test_accept_follows_a_sentence_that_moved(config: Config) -> None:
    store = AnnotationStore(config.annotations_dir)
    s = has(suggest(config), SEED_KOMPAS, "sanctions", "menghadapi sanksi ekonomi berat")
    assert s is not None
    path = config.articles_dir / f"{SEED_KOMPAS}.txt"
    path.write_text("New first line.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    ann = accept(config, s, store)
    assert ann.quote == s.sentence and ann.start == s.start + len("New first line.\n")
    path.write_text("All gone.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no longer"):
        accept(config, s, store)


def test_rejections_are_remembered_in_yaml(config: Config) -> None:
    found = suggest(config, tags=["sanctions"])
    victim = has(found, SEED_KOMPAS, "sanctions", "menghadapi sanksi ekonomi berat")
    assert victim is not None
    reject(config, victim)
    reject(config, victim)  # idempotent
    after = suggest(config, tags=["sanctions"])
    assert not has(after, SEED_KOMPAS, "sanctions", "menghadapi sanksi ekonomi berat")
    assert len(after) == len(found) - 1
    path = rejected_path(config)
    assert path == config.annotations_dir / "rejected.yml"
    raw = path.read_text(encoding="utf-8")
    assert "!!" not in raw
    doc = yaml.safe_load(raw)
    assert doc["version"] == 1 and len(doc["rejected"]) == 1
    entry = doc["rejected"][0]
    assert (entry["article"], entry["tag"]) == (SEED_KOMPAS, "sanctions")
    assert "menghadapi sanksi ekonomi berat" in entry["sentence"]
    # the same sentence for another tag is a different suggestion
    vocab = Vocabulary(config.vocabulary_path)
    vocab.add("un", cues=["dewan keamanan"])
    assert has(suggest(config, tags=["un"]), SEED_KOMPAS, "un", "menghadapi sanksi ekonomi")
    # the rejection survives edits elsewhere in the article (keyed by the sentence)
    art = config.articles_dir / f"{SEED_KOMPAS}.txt"
    art.write_text("Baris baru.\n" + art.read_text(encoding="utf-8"), encoding="utf-8")
    assert not has(suggest(config, tags=["sanctions"]), SEED_KOMPAS, "sanctions",
                   "menghadapi sanksi ekonomi berat")
    # the annotation store does not mistake the file for an article's annotations
    assert AnnotationStore(config.annotations_dir).paths() == []
    assert unreject(config, victim) is True
    assert unreject(config, victim) is False
    assert has(suggest(config, tags=["sanctions"]), SEED_KOMPAS, "sanctions",
               "menghadapi sanksi ekonomi berat")


def test_rejected_file_keeps_hand_edits_and_is_never_overwritten_when_broken(
        config: Config) -> None:
    found = suggest(config, tags=["sanctions"])
    reject(config, found[0])
    path = rejected_path(config)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["comment_by_me"] = "keep this"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    reject(config, found[1])
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["comment_by_me"] == "keep this" and len(doc["rejected"]) == 2
    broken = "rejected: [unclosed\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RejectedFileError) as err:
        reject(config, found[2])
    assert "rejected.yml" in str(err.value)
    assert path.read_text(encoding="utf-8") == broken
    with pytest.raises(RejectedFileError):
        load_rejected(config)
    # suggestions still work meanwhile (nothing counts as rejected)
    assert len(suggest(config, tags=["sanctions"])) == len(found)
    path.write_text("!!python/object:os.system {}\n", encoding="utf-8")
    with pytest.raises(RejectedFileError):
        load_rejected(config)


def test_cli_suggest(config: Config, capsys: Any) -> None:
    lib = str(config.library)
    assert main(["--library", lib, "suggest", "--tag", "sanctions", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items and all(set(i) >= {"article", "start", "end", "sentence", "tag", "cue"}
                         for i in items)
    assert any("menghadapi sanksi ekonomi berat" in i["sentence"] for i in items)
    assert all(isinstance(i["score"], float) and isinstance(i["why"], list) for i in items)
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert main(["--library", lib, "suggest", "--article", SEED_LIPUTAN]) == 0
    out = capsys.readouterr().out
    assert f"{SEED_LIPUTAN}  " in out and "[treaties] " in out and "(cue: perjanjian" in out
    assert SEED_KOMPAS not in out
    assert main(["--library", lib, "suggest", "--tag", "nope"]) == 1
    assert "no tag “nope”" in capsys.readouterr().err
    assert main(["--library", lib, "suggest", "--article", "missing"]) == 1
    assert "no article" in capsys.readouterr().err
    rejected_path(config).write_text("rejected: [x\n", encoding="utf-8")
    assert main(["--library", lib, "suggest", "--tag", "sanctions"]) == 0
    assert "rejections ignored" in capsys.readouterr().err


def test_cli_suggest_without_articles(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["--library", str(tmp_path / "empty"), "suggest"]) == 2
    assert "no articles/ folder" in capsys.readouterr().err


def test_a_run_of_text_without_sentence_ends_is_no_suggestion(config: Config) -> None:
    from reader.review.suggest import MAX_SENTENCE

    words = " ".join(["sanksi militer perjanjian"] * (MAX_SENTENCE // 20))
    (config.articles_dir / "dump.txt").write_text(words + "\n", encoding="utf-8")
    assert [s for s in suggest(config) if s.article_id == "dump"] == []


# -- readable sentences only --------------------------------------------------------------------
def test_titles_and_headings_are_never_suggested(config: Config) -> None:
    """A headline first line, Markdown and plain headings, a caption-like line and a line
    repeating the front matter's title hold cues but are no passage; the body's sentences
    with the same cues are suggested."""
    (config.articles_dir / "head.txt").write_text(
        "Sanksi Baru untuk Korea Utara\n\n"
        "Dewan Keamanan PBB menjatuhkan sanksi baru kepada Korea Utara.\n\n"
        "## Sanksi Barat\n\n"
        "Negara-negara Barat menambah sanksi ekonomi.\n"
        "Sanksi menanti\n"
        "Rusia menolak sanksi itu.\n", encoding="utf-8")
    (config.articles_dir / "fm.md").write_text(
        "---\ntitle: Embargo Senjata Diperpanjang\nlanguage: id\n---\n"
        "Embargo Senjata Diperpanjang\n"
        "Uni Eropa memperpanjang embargo senjata terhadap negara itu.\n", encoding="utf-8")
    found = suggest(config, tags=["sanctions"], article_ids=["head", "fm"], held_back=True)
    sentences = {s.sentence for s in found}
    assert sentences == {
        "Dewan Keamanan PBB menjatuhkan sanksi baru kepada Korea Utara.",
        "Negara-negara Barat menambah sanksi ekonomi.",
        "Rusia menolak sanksi itu.",
        "Uni Eropa memperpanjang embargo senjata terhadap negara itu."}


def test_a_lead_sentence_that_gave_the_title_is_still_prose(config: Config) -> None:
    (config.articles_dir / "lead.txt").write_text(
        "---\nlanguage: id\n---\nRusia menghadapi sanksi baru.\nHarga minyak naik.\n",
        encoding="utf-8")
    found = suggest(config, tags=["sanctions"], article_ids=["lead"])
    assert [s.sentence for s in found] == ["Rusia menghadapi sanksi baru."]


def test_only_articles_with_a_cue_are_read_in_full(config: Config) -> None:
    """Suggestions scale with the articles that can match: a file without any cue's text is
    looked at once, as bytes, and never parsed."""
    for i in range(60):
        (config.articles_dir / f"plain{i:02}.txt").write_text(
            f"Berita nomor {i}.\n\nCuaca cerah di kota itu, kata warga.\n", encoding="utf-8")
    parsed: list[str] = []

    class Counting(Library):
        def load(self, article_id: str) -> Article:
            parsed.append(article_id)
            return super().load(article_id)

    found = suggest(config, library=Counting(config))
    assert {s.article_id for s in found} == {SEED_KOMPAS, SEED_LIPUTAN}
    assert sorted(parsed) == sorted([SEED_KOMPAS, SEED_LIPUTAN])


# -- ranking ------------------------------------------------------------------------------------
def write_id(config: Config, article_id: str, body: str) -> None:
    (config.articles_dir / f"{article_id}.txt").write_text(
        f"---\nlanguage: id\n---\n{body}", encoding="utf-8")


def test_several_cues_and_cues_of_several_words_rank_first(config: Config) -> None:
    """For a tag reader knows nothing about beforehand, the cues alone decide."""
    Vocabulary(config.vocabulary_path).add("trade war", cues=["tariff", "trade war",
                                                              "retaliation"])
    write_en(config, "Officials met on Monday. A tariff was mentioned once.\n\n"
                     "The trade war deepened as the tariff rose and retaliation followed.\n\n"
                     "Each side spoke of a trade war.\n", article_id="tw")
    found = suggest(config, tags=["trade war"], article_ids=["tw"])
    assert [s.sentence for s in found] == [
        "The trade war deepened as the tariff rose and retaliation followed.",
        "Each side spoke of a trade war.",
        "A tariff was mentioned once."]
    assert "3 cues" in found[0].why and "cue of 2 words" in found[0].why


def test_cues_near_tagged_passages_rank_first(config: Config) -> None:
    body = ("Kedua pihak bertemu di ibu kota. {near} Para menteri lalu makan siang.\n\n"
            "Acara berlangsung lama. Pembicaraan berlanjut hingga malam.\n\n"
            "Di akhir acara, mereka menyinggung sanksi yang berlaku.\n")
    write_id(config, "a", body.format(near="Cuaca cerah."))
    write_id(config, "b", body.format(near="Mereka membahas perdagangan."))
    before = {s.article_id: s.score for s in suggest(config, tags=["sanctions"],
                                                     article_ids=["a", "b"])}
    assert before["a"] == before["b"]
    article = Library(config).load("b")
    at = article.text.index("Mereka membahas perdagangan.")
    AnnotationStore(config.annotations_dir).add(article, at, at + 28, ["sanctions"])
    after = suggest(config, tags=["sanctions"], article_ids=["a", "b"])
    assert [s.article_id for s in after] == ["b", "a"]
    assert "article has tagged passages" in after[0].why or "near a tagged passage" in \
        after[0].why
    # nearer counts more: a sentence right beside the tagged one beats one further down
    write_id(config, "c", "Mereka membahas perdagangan. Sanksi juga dibahas.\n\n"
                          + "Acara berlangsung lama.\n\n" * 8
                          + "Di akhir acara, mereka menyinggung sanksi lagi.\n")
    article = Library(config).load("c")
    AnnotationStore(config.annotations_dir).add(article, 0, 28, ["sanctions"])
    near, far = suggest(config, tags=["sanctions"], article_ids=["c"])
    assert near.sentence == "Sanksi juga dibahas." and near.score > far.score
    assert "near a tagged passage" in near.why


def test_a_domestic_sense_is_held_back(config: Config) -> None:
    """"sanksi administratif" for a school is not a sanction on a state: reader knows the
    default tags' other senses; such suggestions are held back unless asked for."""
    write_id(config, "dom", "Sekolah menjatuhkan sanksi administratif kepada siswa itu.\n\n"
                            "Amerika Serikat menjatuhkan sanksi baru kepada Rusia.\n")
    shown = suggest(config, tags=["sanctions"], article_ids=["dom"])
    assert [s.sentence for s in shown] == ["Amerika Serikat menjatuhkan sanksi baru kepada "
                                           "Rusia."]
    every = suggest(config, tags=["sanctions"], article_ids=["dom"], held_back=True)
    assert len(every) == 2 and every[-1].score < 0
    assert any(w.startswith("against: ") and "administratif" in w for w in every[-1].why)


# -- learning -----------------------------------------------------------------------------------
def bank_library(config: Config) -> None:
    Vocabulary(config.vocabulary_path).add("banking", cues=["bank"])
    write_en(config, "The central bank raised interest rates again.\n\n"
                     "They walked along the river bank at dusk.\n", article_id="b1")
    write_en(config, "The bank said interest payments would rise.\n\n"
                     "Reeds grew on the muddy river bank there.\n", article_id="b2")
    write_en(config, "Anglers lined the river bank early.\n\n"
                     "The bank cut interest rates on loans.\n", article_id="b3")


def test_accepting_and_rejecting_teach_the_model(config: Config) -> None:
    bank_library(config)
    store = AnnotationStore(config.annotations_dir)
    found = suggest(config, tags=["banking"], article_ids=["b1"])
    money = next(s for s in found if "central" in s.sentence)
    river = next(s for s in found if "river" in s.sentence)
    accept(config, money, store)
    reject(config, river)
    reject(config, river)  # already rejected: not counted twice
    path = model_path(config)
    assert path == config.annotations_dir / "suggestion-model.yml"
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith("# What reader learned")
    data, _ = yamlio.parse(path, raw)
    entry = data["tags"]["banking"]
    assert (entry["accepted"], entry["rejected"]) == (1, 1)
    # the cue and the words around it, folded, stop words out
    assert set(entry["accepted_words"]) == {"central", "bank", "raised", "interest", "rates"}
    assert set(entry["rejected_words"]) == {"walked", "along", "river", "bank", "dusk"}
    assert list(entry["rejected_words"]) == sorted(entry["rejected_words"])
    # the annotation store does not take the file for an article's annotations
    assert store.paths() == [config.annotations_dir / "b1.yaml"]
    # taking a rejection back takes back what it taught
    assert unreject(config, river)
    entry = learning.load(config)["banking"]
    assert entry.rejected == 0 and entry.rejected_words == {}
    # accepting a sentence that already carries the tag teaches nothing more
    accept(config, money, store)
    assert learning.load(config)["banking"].accepted == 1


def test_what_was_learned_moves_similar_suggestions(config: Config) -> None:
    bank_library(config)
    store = AnnotationStore(config.annotations_dir)
    before = {s.sentence: s.score for s in suggest(config, tags=["banking"],
                                                   article_ids=["b3"])}
    assert len(set(before.values())) == 1  # nothing tells them apart yet
    for s in suggest(config, tags=["banking"], article_ids=["b1", "b2"]):
        if "river" in s.sentence:
            reject(config, s)
        else:
            accept(config, s, store)
    after = suggest(config, tags=["banking"], article_ids=["b3"], held_back=True)
    assert [s.sentence for s in after] == ["The bank cut interest rates on loans.",
                                           "Anglers lined the river bank early."]
    assert after[0].score > before["The bank cut interest rates on loans."]
    assert after[1].score < before["Anglers lined the river bank early."]
    assert any(w.startswith("learned: ") for w in after[0].why)


def test_a_broken_model_file_is_reported_and_left_alone(config: Config,
                                                        capsys: Any) -> None:
    bank_library(config)
    path = model_path(config)
    broken = "tags: [unclosed\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(learning.ModelFileError, match="suggestion-model.yml"):
        learning.load(config)
    found = suggest(config, tags=["banking"], article_ids=["b1"])
    assert len(found) == 2  # ranked without it meanwhile
    store = AnnotationStore(config.annotations_dir)
    accept(config, found[0], store)  # the tagging itself never fails for it
    reject(config, found[1])
    assert path.read_text(encoding="utf-8") == broken
    assert len(store.load(Library(config).load("b1")).annotations) == 1
    assert len(load_rejected(config)) == 1
    assert main(["--library", str(config.library), "suggest"]) == 0
    assert "suggestion-model.yml" in capsys.readouterr().err
    path.write_text("!!python/object:os.system {}\n", encoding="utf-8")
    with pytest.raises(learning.ModelFileError, match="unsupported tag"):
        learning.load(config)


def test_the_model_file_round_trips_any_word(config: Config) -> None:
    """Words are written as plain keys only where YAML reads them back as the same text."""
    odd = ["no", "Yes", "null", "true", "o'neill", "1990s", "ça", "日本", "_x", "a'", "on",
           "x-y", "military cooperation", "#tag", "k: v", "'q'", "~", "2024-06-19", "0x1f"]
    rng = random.Random(14)
    for tag in ("sanctions", "military cooperation", "no", "#x"):
        words = rng.sample(odd, 8)
        learning.learn(config, tag, words, accepted=True)
        learning.learn(config, tag, words[:3], accepted=False)
    path = model_path(config)
    data, _ = yamlio.parse(path, path.read_text(encoding="utf-8"))
    model = learning.load(config)
    assert set(data["tags"]) == {"sanctions", "military cooperation", "no", "#x"}
    for name, entry in data["tags"].items():
        assert all(isinstance(w, str) and w in odd for w in entry["accepted_words"])
        assert model[name.casefold()].accepted == 1


# -- limited to a search ------------------------------------------------------------------------
def test_suggestions_from_the_articles_of_a_search(config: Config, capsys: Any) -> None:
    from reader.review.suggest import suggest_for_query
    from reader.search.index import SearchIndex

    index = SearchIndex(config)
    index.update()
    found = suggest_for_query(config, "KCNA", index=index)
    assert found and {s.article_id for s in found} == {SEED_KOMPAS}
    assert suggest_for_query(config, "kimchi", index=index) == []
    lib = str(config.library)
    assert main(["--library", lib, "suggest", "--query", "KCNA", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items and {i["article"] for i in items} == {SEED_KOMPAS}
    assert main(["--library", lib, "suggest", "--query", '"unclosed']) == 2
    assert "bad query" in capsys.readouterr().err


def test_cli_limit_keeps_the_best_of_each_tag(config: Config, capsys: Any) -> None:
    lib = str(config.library)
    assert main(["--library", lib, "suggest", "--json"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert main(["--library", lib, "suggest", "--limit", "1", "--json"]) == 0
    best = json.loads(capsys.readouterr().out)
    assert [(i["tag"], i["sentence"]) for i in best] == [
        (i["tag"], i["sentence"]) for i in every
        if i is next(j for j in every if j["tag"] == i["tag"])]
    assert main(["--library", lib, "suggest", "--limit", "0"]) == 2
    assert "--limit" in capsys.readouterr().err


def test_cli_shows_held_back_suggestions_with_all(config: Config, capsys: Any) -> None:
    write_id(config, "dom", "Sekolah menjatuhkan sanksi administratif kepada siswa itu.\n")
    lib = str(config.library)
    assert main(["--library", lib, "suggest", "--article", "dom"]) == 0
    assert "no suggestions" in capsys.readouterr().err
    assert main(["--library", lib, "suggest", "--article", "dom", "--all"]) == 0
    out = capsys.readouterr().out
    assert "sanksi administratif" in out and "against: administratif" in out


def test_text_is_folded_for_needles_as_the_analysis_folds_words() -> None:
    """Needles are looked for in the text folded whole; it must fold each word as the
    analysis does, or a word would be missed."""
    from reader.review.cues import fold_text
    from reader.search import analysis

    rng = random.Random(7)
    letters = [chr(c) for c in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x300, 0x370),
                                *range(0x1E00, 0x1F00), 0x2019, 0xFB01, 0x130, 0x1E9E,
                                *range(0x483, 0x48A), *range(0x591, 0x5BE), *range(0x64B, 0x660),
                                *range(0x900, 0x980), *range(0xE31, 0xE3B))]
    for _ in range(3000):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 8)))
        assert fold_text(word) == analysis.fold(word), repr(word)
