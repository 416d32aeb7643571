from __future__ import annotations

import pytest

from reader.search.analysis import (
    ID_EXCEPTIONS,
    analyze,
    fold,
    folded_words,
    is_stop,
    stem,
    stemmed_terms,
)
from tests.conftest import corpora_or_skip


@pytest.mark.parametrize(("a", "b"), [
    ("berpelukan", "peluk"), ("persenjataan", "senjata"), ("bekerja", "kerja"),
    ("dikerjakan", "kerja"), ("kunjungan", "mengunjungi"), ("pengunjung", "berkunjung"),
])
def test_indonesian_forms_share_a_stem(a: str, b: str) -> None:
    assert stem(a, "id") == stem(b, "id")


def test_exceptions_table_mends_sastrawi_misses() -> None:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    raw = StemmerFactory().create_stemmer()
    assert raw.stem("mengunjungi") != raw.stem("kunjungan")  # the miss being mended
    assert stem("mengunjungi", "id") == stem("kunjungan", "id") == "kunjung"
    for wrong, right in ID_EXCEPTIONS.items():
        assert stem(wrong, "id") == right


@pytest.mark.parametrize(("word", "expected"), [
    ("sanctions", "sanction"), ("running", "run"), ("generously", "generous"),
    ("skies", "sky"), ("happily", "happili"), ("national", "nation"), ("agreed", "agre"),
    ("cosmos", "cosmos"), ("hopeful", "hope"), ("relational", "relat"),
])
def test_english_snowball_stems(word: str, expected: str) -> None:
    assert stem(word, "en") == expected


def test_english_stems_are_porter2_on_the_english_corpus() -> None:
    """Snowball's English stemmer gives the Porter2 stems the index was built with: compared
    with Whoosh's own Porter2 on every distinct word of the BBC corpus."""
    from whoosh.lang.porter2 import stem as porter2

    corpora = corpora_or_skip()
    words: set[str] = set()
    for path in sorted((corpora / "en-bbc").glob("*/*.txt")):
        words.update(w for w in folded_words(path.read_text(encoding="utf-8")) if w.isalpha())
    assert len(words) > 20_000
    differ = sorted(w for w in words if stem(w, "en") != porter2(w))
    print(f"{len(words)} distinct English words, {len(differ)} stemmed differently")
    assert differ == []


def test_english_stems_and_possessives() -> None:
    assert stem("sanctions", "en") == stem("sanction", "en")
    assert stem(fold("Britain’s"), "en") == "britain"


def test_unknown_language_is_left_alone() -> None:
    assert stem("berpelukan", "") == "berpelukan"


def test_fold_lowercases_and_strips_accents() -> None:
    assert fold("Café") == "cafe"
    assert fold("ÉLYSÉE") == "elysee"
    assert folded_words("Kerja-sama, U.S.") == ["kerja", "sama", "u", "s"]


def test_analyze_keeps_offsets_and_drops_stop_words() -> None:
    text = "Putin dan Kim berpelukan di Pyongyang"
    toks = analyze(text, "id")
    assert [t.term for t in toks] == ["putin", "kim", "peluk", "pyongyang"]
    for t in toks:
        assert text[t.start:t.end] == t.text
    assert [t.text for t in analyze(text, "id", stop=False)][1] == "dan"


def test_stop_words_never_hold_content_words() -> None:
    for word in ("kerja", "sama", "sanksi", "bekerja", "baru"):
        assert not is_stop(word, "id")
    assert is_stop("yang", "id") and is_stop("the", "en") and is_stop("the", "")
    assert stemmed_terms("the sanctions", "en") == ["sanction"]


def test_sastrawi_with_patterns_compiled_once_stems_as_sastrawi_does() -> None:
    """Sastrawi with its ``re`` calls compiled once (``analysis._SastrawiRe``) gives the stems
    Sastrawi itself gives, on a random sample of the Indonesian corpora's distinct words."""
    import random
    import re
    import sys
    import time

    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from reader.search import analysis

    corpora = corpora_or_skip()
    words: set[str] = set()
    for path in sorted((corpora / "id-detik").rglob("*.txt"))[:2000]:
        words.update(w for w in folded_words(path.read_text(encoding="utf-8")) if w.isalpha())
    seed = random.randrange(1 << 30)
    sample = random.Random(seed).sample(sorted(words), 3000)
    sample += ["mengunjungi", "bersama-sama", "kerjakan", "perekonomian", "berpelukan"]
    fast = analysis._sastrawi_stemmer()
    patched = [m for name, m in sys.modules.items()
               if name.startswith("Sastrawi.") and isinstance(getattr(m, "re", None),
                                                              analysis._SastrawiRe)]
    assert patched  # the modules that call re are the ones patched
    saved = {m: m.re for m in patched}
    t0 = time.process_time()
    ours = [fast.stem(w) for w in sample]
    t1 = time.process_time()
    try:
        for m in patched:
            m.re = re  # type: ignore[attr-defined]
        plain = StemmerFactory().create_stemmer()
        theirs = [plain.stem(w) for w in sample]
        t2 = time.process_time()
    finally:
        for m, shim in saved.items():
            m.re = shim  # type: ignore[attr-defined]
    differ = [(w, a, b) for w, a, b in zip(sample, ours, theirs, strict=True) if a != b]
    print(f"seed {seed}: {len(sample)} of {len(words)} distinct words, {len(differ)} differ; "
          f"{t1 - t0:.2f} s compiled once, {t2 - t1:.2f} s as shipped")
    assert differ == []
