"""Re-anchoring annotations when an article's text changed: a passage is put back where its
context says it is, or orphaned, never moved onto look-alike words elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.annotations import anchoring
from reader.annotations.store import AnnotationStore
from reader.cli.main import main
from reader.config import Config
from reader.library.articles import Library
from tests.conftest import SEED_LIPUTAN

TREATY = ("Indonesia dan Rusia sepakat memperluas kerja sama ekonomi tahun ini. Menteri "
          "Luar Negeri menyebut kerja sama itu sebagai langkah penting.\n\n"
          "Kedua negara juga membahas kerja sama pertahanan, termasuk latihan bersama di "
          "Laut Natuna. Penandatanganan kerja sama itu disaksikan kedua presiden di Bogor.\n\n"
          "Para analis menilai kerja sama tersebut akan diuji oleh sanksi Barat.\n")


def _place(text: str, start: int, end: int, new: str) -> tuple[int, int] | None:
    prefix, suffix = anchoring.passage_context(text, start, end)
    return anchoring.anchor(new, text[start:end], prefix, suffix, start)


def _nth(text: str, quote: str, n: int) -> tuple[int, int]:
    i = -1
    for _ in range(n):
        i = text.index(quote, i + 1)
    return i, i + len(quote)


def test_a_deleted_sentence_orphans_a_common_quote_instead_of_moving_it() -> None:
    """The reported case: `kerja sama` (occurrence 4) whose sentence was deleted was
    're-anchored' onto another `kerja sama` in an unrelated sentence."""
    start, end = _nth(TREATY, "kerja sama", 4)
    sentence = "Penandatanganan kerja sama itu disaksikan kedua presiden di Bogor."
    assert sentence in TREATY and TREATY.index(sentence) < start < end
    assert _place(TREATY, start, end, TREATY.replace(" " + sentence, "")) is None


def test_a_passage_follows_its_context_when_text_moves_around_it() -> None:
    start, end = _nth(TREATY, "kerja sama", 4)
    inserted = "Catatan redaksi: artikel ini diperbarui.\n\n" + TREATY
    shift = len("Catatan redaksi: artikel ini diperbarui.\n\n")
    assert _place(TREATY, start, end, inserted) == (start + shift, end + shift)
    first = TREATY.index("Menteri")  # text deleted before it
    deleted = TREATY[:first] + TREATY[TREATY.index("\n\n"):]
    gone = TREATY.index("\n\n") - first
    assert _place(TREATY, start, end, deleted) == (start - gone, end - gone)


def test_a_word_changed_next_to_the_quote_keeps_it_placed() -> None:
    start, end = _nth(TREATY, "kerja sama", 4)
    new = TREATY.replace("Penandatanganan kerja sama itu disaksikan",
                         "Penandatanganan kerja sama itu turut disaksikan")
    i = new.index("Penandatanganan kerja sama") + len("Penandatanganan ")
    assert _place(TREATY, start, end, new) == (i, i + len("kerja sama"))


def test_an_edited_quote_is_placed_between_its_context_or_orphaned() -> None:
    quote = "memperluas kerja sama ekonomi tahun ini"
    start = TREATY.index(quote)
    new = TREATY.replace("kerja sama ekonomi tahun ini", "kerja sama ekonomi tahun depan")
    span = _place(TREATY, start, start + len(quote), new)
    assert span is not None and new[span[0]:span[1]] == "memperluas kerja sama ekonomi tahun depan"
    unlike = TREATY.replace(quote, "membahas hal lain sama sekali berbeda")
    assert _place(TREATY, start, start + len(quote), unlike) is None


def test_case_and_spacing_do_not_matter_where_the_context_agrees() -> None:
    quote = "kerja sama pertahanan, termasuk latihan"
    start = TREATY.index(quote)
    new = TREATY.replace("kerja sama pertahanan, termasuk latihan",
                         "Kerja sama  pertahanan,\ntermasuk latihan")
    span = _place(TREATY, start, start + len(quote), new)
    assert span is not None and new[span[0]:span[1]] == "Kerja sama  pertahanan,\ntermasuk latihan"


def test_either_copy_of_a_duplicated_paragraph_is_right() -> None:
    paragraphs = TREATY.split("\n\n")
    new = "\n\n".join([paragraphs[0], paragraphs[1], paragraphs[1], paragraphs[2]])
    start, end = _nth(TREATY, "latihan bersama", 1)
    span = _place(TREATY, start, end, new)
    assert span is not None and new[span[0]:span[1]] == "latihan bersama"


def test_a_short_quote_without_context_is_never_guessed() -> None:
    text = "Putin said yes. Later Putin said no. Then Putin left."
    second = text.index("Putin", 10)
    prefix, suffix = anchoring.passage_context(text, second, second + 5)
    assert anchoring.anchor(text, "Putin", prefix, suffix, 0) == (second, second + 5)
    assert anchoring.anchor("Intro. " + text, "Putin", "", "", second + 7) is None
    assert anchoring.anchor("Completely different text.", "sanksi ekonomi baru terhadap",
                            "", "", 0) is None


def test_look_alikes_get_a_longer_context_that_tells_them_apart() -> None:
    clause = "dalam Pasal 27 ayat (3) UU Nomor 11 Tahun 2008 tentang ITE"
    text = (f"Polisi menjerat tersangka dengan pasal pencemaran {clause} yang berlaku.\n\n"
            f"Jaksa menuntut tersangka dengan pasal pencemaran {clause} yang berlaku.\n")
    start, end = _nth(text, "UU Nomor 11 Tahun 2008", 2)
    prefix, suffix = anchoring.passage_context(text, start, end)
    assert len(prefix) > anchoring.CONTEXT and prefix.startswith("untut tersangka")
    assert text.count(prefix + text[start:end]) == 1
    # the second sentence deleted: the first one, look-alike on both sides, is not it
    new = text.replace("Jaksa menuntut tersangka dengan pasal pencemaran "
                       f"{clause} yang berlaku.", "")
    assert _place(text, start, end, new) is None
    moved = "Berita terkini.\n\n" + text
    assert _place(text, start, end, moved) == (start + 17, end + 17)


def test_a_whole_paragraph_swapped_away_from_its_neighbours_is_orphaned() -> None:
    lead, body = "The lead paragraph says what happened.", "The body paragraph tells the rest."
    text = f"{lead}\n\nBaca juga: Sanksi baru\n\n{body}\n"
    start, end = _nth(text, "Baca juga: Sanksi baru", 1)
    swapped = f"Baca juga: Sanksi baru\n\n{lead}\n\n{body}\n"
    assert _place(text, start, end, swapped) is None  # nothing left to say it is the same
    elsewhere = "Intro.\n\n" + text  # its neighbours are still there: placed
    assert _place(text, start, end, elsewhere) == (start + 8, end + 8)


def _edit_article(config: Config, new_text: str) -> None:
    Library(config).path_for(SEED_LIPUTAN).write_text(new_text, encoding="utf-8")


def test_edited_article_reanchors_and_orphans_are_kept(config: Config) -> None:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    article = library.load(SEED_LIPUTAN)
    quote_a = "berjabat tangan cukup lama"
    quote_b = "menghadiahkan buket bunga kepada Putin"
    a = store.add(article, article.text.index(quote_a),
                  article.text.index(quote_a) + len(quote_a), ["treaties"])
    b = store.add(article, article.text.index(quote_b),
                  article.text.index(quote_b) + len(quote_b), ["sanctions"])
    path = store.path_for(article.id)
    saved = path.read_bytes()
    assert store.load(article).relocations == []  # unchanged text: nothing to report

    note = "EDITOR'S NOTE: updated.\n\n"
    _edit_article(config, note + article.text.replace(quote_b, "kemudian pergi"))
    edited = library.load(SEED_LIPUTAN)
    found = store.load(edited)
    by_id = {x.id: x for x in found.annotations}
    assert edited.text[by_id[a.id].start:by_id[a.id].end] == quote_a
    assert by_id[a.id].start == a.start + len(note)
    assert by_id[b.id].orphaned and by_id[b.id].quote == quote_b  # kept, never dropped
    assert found.orphans == [by_id[b.id]]
    assert found.relocations == [
        anchoring.Relocation(a.id, quote_a, a.start, a.end, a.start + len(note),
                             a.end + len(note)),
        anchoring.Relocation(b.id, quote_b, b.start, b.end, None, None)]
    assert found.moved == [a.id]
    assert path.read_bytes() == saved  # loading never rewrites the file

    # the next change writes the new hash and offsets, and the orphan with orphaned: true
    store.update(edited, a.id, note="still here")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["text_sha256"] == edited.sha256
    entries = {e["id"]: e for e in data["annotations"]}
    assert entries[a.id]["start"] == by_id[a.id].start
    assert entries[b.id]["orphaned"] is True and entries[b.id]["quote"] == quote_b
    assert (entries[b.id]["start"], entries[b.id]["end"]) == (b.start, b.end)  # as tagged
    assert store.load(edited).relocations == []

    # re-attach the orphan to a new place
    where = edited.text.index("kemudian pergi")
    moved = store.reattach(edited, b.id, where, where + len("kemudian pergi"))
    assert not moved.orphaned and moved.quote == "kemudian pergi"
    assert moved.extra["previous_quote"] == quote_b
    assert store.load(edited).orphans == []
    assert store.undo() is not None  # re-attaching can be undone
    assert store.load(edited).orphans[0].id == b.id


def test_an_orphan_comes_back_when_its_text_does(config: Config) -> None:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    article = library.load(SEED_LIPUTAN)
    quote = "menghadiahkan buket bunga kepada Putin"
    start = article.text.index(quote)
    ann = store.add(article, start, start + len(quote), ["sanctions"])
    _edit_article(config, article.text.replace(quote, "kemudian pergi"))
    store.update(library.load(SEED_LIPUTAN), ann.id, note="saved as orphaned")
    _edit_article(config, article.text)  # the sentence is restored
    back = store.load(library.load(SEED_LIPUTAN))
    assert [(a.start, a.orphaned) for a in back.annotations] == [(start, False)]
    assert back.relocations[0].new_start == start


def test_orphans_listed_across_the_library(config: Config, tmp_path: Path) -> None:
    library = Library(config)
    store = AnnotationStore(config.annotations_dir)
    article = library.load(SEED_LIPUTAN)
    store.add(article, 0, 20, ["sanctions"])
    _edit_article(config, "Something else entirely, nothing in common with the original.\n")
    orphans = store.orphans(library.load)
    assert [(aid, o.quote) for aid, o in orphans] == [(SEED_LIPUTAN, article.text[0:20])]


def test_the_command_line_says_what_moved_before_saving(config: Config,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """`reader annotate --occurrence`, then the sentence deleted: `check` and `annotations`
    say the passage is orphaned (not re-anchored elsewhere), `annotate` says so before it
    saves, and what it saves keeps the orphan at its old place."""
    library = Library(config)
    text = library.load(SEED_LIPUTAN).text
    count = text.count("kerja sama")
    assert count >= 3
    lib = ["--library", str(config.library)]
    assert main([*lib, "annotate", SEED_LIPUTAN, "--quote", "kerja sama", "--tag", "treaties",
                 "--occurrence", str(count)]) == 0
    start, end = _nth(text, "kerja sama", count)
    assert main([*lib, "annotate", SEED_LIPUTAN, "--quote", "Vladimir Putin", "--tag",
                 "sanctions", "--occurrence", "1"]) == 0
    capsys.readouterr()
    lo = text.rfind(".", 0, start) + 1
    hi = text.index(".", end) + 1
    _edit_article(config, "Pembaruan.\n\n" + text[:lo] + text[hi:])

    assert main([*lib, "check"]) == 1
    out = capsys.readouterr().out
    assert f"orphaned: {start}-{end} “kerja sama”" in out and "re-anchored" not in out
    putin = text.index("Vladimir Putin")
    assert f"moved {putin}-{putin + 14} -> {putin + 12}-{putin + 26}" in out

    assert main([*lib, "annotations", SEED_LIPUTAN]) == 0
    captured = capsys.readouterr()
    assert f"ORPHANED (was {start}-{end})" in captured.out
    assert f"MOVED from {putin}-{putin + 14}" in captured.out
    assert "1 passage(s) moved, 1 orphaned" in captured.err

    assert main([*lib, "annotate", SEED_LIPUTAN, "--quote", "Pembaruan", "--tag",
                 "treaties"]) == 0
    captured = capsys.readouterr()
    assert "changed since these passages were tagged" in captured.err
    assert f"orphaned {start}-{end} “kerja sama”" in captured.err
    assert f"moved {putin}-{putin + 14} -> {putin + 12}-{putin + 26}" in captured.err
    data = yaml.safe_load(AnnotationStore(config.annotations_dir).path_for(SEED_LIPUTAN)
                          .read_text(encoding="utf-8"))
    orphan = next(e for e in data["annotations"] if e["quote"] == "kerja sama")
    assert orphan["orphaned"] is True and (orphan["start"], orphan["end"]) == (start, end)


def test_ignoring_spacing_keeps_paragraph_breaks() -> None:
    """A deleted first sentence of a paragraph brought the previous paragraph's end, with the
    same words, next to what followed it; read with spacing ignored, the paragraph break
    between them vanished and the look-alike was taken for the passage."""
    text = ("Sugiharto adalah pejabat pembuat komitmen dalam proyek e - KTP.\n\n"
            "Hakim menyatakan keduanya terbukti korupsi terkait proyek e - KTP. Dalam proses "
            "penganggaran hingga pengadaan, kedua terdakwa menerima uang.\n")
    start, end = _nth(text, "proyek e", 2)
    new = text.replace("Hakim menyatakan keduanya terbukti korupsi terkait proyek e - KTP. ", "")
    assert _place(text, start, end, new) is None
    rewrapped = text.replace("terkait proyek e - KTP. Dalam", "terkait proyek e - KTP.\nDalam")
    assert _place(text, start, end, rewrapped) == (start, end)  # a line break is spacing


def test_a_side_that_cannot_tell_look_alikes_apart_is_never_proof() -> None:
    """Stored context is made long enough to tell a passage from look-alikes; where it cannot
    be (cut short by the text's start, or a long stretch held twice), it never counts alone."""
    title = "Taman nasional sembilang akan dijadikan cagar biosfer"
    text = (f"{title}\n\nPALEMBANG - Pemerintah mengatakan Taman Nasional Sembilang akan "
            "dijadikan cagar biosfer guna mendukung ekonomi hijau. Program itu dimulai tahun "
            "ini bersama LIPI dan pemerintah daerah.\n")
    start, end = _nth(text, "cagar biosfer", 1)
    prefix, _ = anchoring.passage_context(text, start, end)
    assert prefix == text[:start] and len(prefix) not in anchoring.SIZES  # not telling
    inserted = text.replace("sembilang akan", "sembilang, kata pejabat, akan", 1)
    assert _place(text, start, end, inserted) is None  # not the lead's look-alike

    stretch = " ".join(f"Kalimat nomor {n} tentang kerja sama pertahanan kedua negara." for n in
                       range(12))  # a long paragraph, copied twice by mistake
    twice = f"Pembuka.\n\n{stretch}\n\n{stretch}\n\nPenutup artikel.\n"
    at = twice.index("nomor 6 tentang")
    prefix, suffix = anchoring.passage_context(twice, at, at + 7)
    assert len(prefix) not in anchoring.SIZES and len(suffix) not in anchoring.SIZES
    assert _place(twice, at, at + 7, twice + "Ralat.\n") is None  # which copy? not said
