"""Inter-coder agreement: the coefficients against worked examples from the literature and
against the ``krippendorff`` package; sentence units, the overlap rule, missing coders and the
disagreement list on real article files."""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Sequence
from pathlib import Path

import pytest

from reader.config import Config
from reader.library.articles import Library
from reader.review.agreement import (
    CodedArticle,
    Passage,
    agreement,
    cohen_kappa,
    covers,
    has_tag,
    krippendorff_alpha,
    percent_agreement,
    unit_spans,
)
from tests.conftest import SEED_KOMPAS, corpora_or_skip

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, values 1-5, missing values as None. Nominal alpha = 0.743.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
# The reliability data of the krippendorff package's own nominal test (3 coders, 15 units,
# the example of Wikipedia's article): alpha = 0.691358.
PACKAGE_NOMINAL = [
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]


def units_of(matrix: Sequence[Sequence[Hashable | None]]) -> list[list[Hashable | None]]:
    """Coders x units -> units x coders."""
    return [list(col) for col in zip(*matrix, strict=True)]


def value(figure: float | None) -> float:
    """A figure the test knows is defined."""
    assert figure is not None
    return figure


def test_alpha_matches_krippendorffs_worked_example():
    assert round(value(krippendorff_alpha(units_of(KRIPPENDORFF_2011))), 3) == 0.743


def test_alpha_matches_the_packages_own_tests():
    assert round(value(krippendorff_alpha(units_of(PACKAGE_NOMINAL))), 6) == 0.691358
    strings: list[list[str | None]] = [["pos", "neg", "neu", None], ["pos", "neg", "neu", "pos"],
                                       ["pos", "neg", "pos", "pos"]]
    assert round(value(krippendorff_alpha(units_of(strings))), 6) == 0.722222
    assert krippendorff_alpha(units_of([[1, 2, 3, 4]] * 3)) == 1.0


def test_alpha_is_undefined_without_variation_or_pairable_values():
    assert krippendorff_alpha([[1, 1], [1, 1]]) is None
    assert krippendorff_alpha([[1, None], [None, 2]]) is None
    assert krippendorff_alpha([]) is None


def test_alpha_agrees_with_the_krippendorff_package_on_random_data():
    kd = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    rng = random.Random(42)
    compared = 0
    for _ in range(300):
        coders, n_units, values = rng.randint(2, 6), rng.randint(2, 40), rng.randint(2, 5)
        missing = rng.choice([0.0, 0.2, 0.5])
        matrix = [[rng.randrange(values) if rng.random() >= missing else None
                   for _ in range(n_units)] for _ in range(coders)]
        ours = krippendorff_alpha(units_of(matrix))
        data = np.array([[np.nan if v is None else v for v in row] for row in matrix], float)
        try:
            with np.errstate(invalid="ignore"):
                theirs = kd.alpha(reliability_data=data, level_of_measurement="nominal")
        except ValueError:  # one value only, or no pairable unit: undefined for us too
            assert ours is None
            continue
        if math.isnan(theirs):
            assert ours is None
            continue
        assert ours == pytest.approx(theirs, abs=1e-9)
        compared += 1
    print("alpha compared with the krippendorff package on", compared, "random data sets")
    assert compared > 250


def _pairs(yy: int, yn: int, ny: int, nn: int) -> list[tuple[str, str]]:
    return [("y", "y")] * yy + [("y", "n")] * yn + [("n", "y")] * ny + [("n", "n")] * nn


@pytest.mark.parametrize(("table", "kappa"), [
    ((20, 5, 10, 15), 0.4),  # 50 proposals, two readers (Wikipedia, "Cohen's kappa")
    ((45, 15, 25, 15), 0.1304),  # same agreement (60%), different marginals: lower kappa
    ((25, 35, 5, 35), 0.2593),
    ((10, 0, 0, 10), 1.0),
])
def test_cohens_kappa_textbook_examples(table, kappa):
    assert round(value(cohen_kappa(_pairs(*table))), 4) == kappa


def test_kappa_and_percent_agreement_edge_cases():
    assert cohen_kappa([]) is None
    assert cohen_kappa(_pairs(5, 0, 0, 0)) is None  # both always "yes": nothing to agree on
    assert percent_agreement([["a", "a"], ["a", "b"], ["a", None], [None, None]]) == 0.5
    assert percent_agreement([]) is None


# ---------------------------------------------------------------- units from real files


@pytest.fixture
def kompas(library_dir: Path):
    """The seed article from KOMPAS.TV, read from a library in tmp_path."""
    return Library(Config.from_args(library_dir)).load(SEED_KOMPAS)


def sentence(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return next((s, e) for s, e in unit_spans(text) if s <= start < e)


def test_units_are_sentences_outside_boilerplate(kompas):
    text = kompas.text
    units = unit_spans(text)
    assert len(units) == 16
    assert text[units[0][0]:units[0][1]].startswith("PYONGYANG, KOMPAS.TV - Presiden Rusia")
    for s, e in units:
        assert not text[s:e].startswith(("Baca Juga", "Sumber :", "Gabung ke Channel"))
    # two sentences on one line are two units
    assert sentence(text, "Di ibu kota") != sentence(text, "Sebuah spanduk")


def test_the_overlap_rule(kompas):
    text = kompas.text
    s, e = sentence(text, "Ini merupakan kunjungan pertama")
    phrase = text.index("kunjungan pertama", s)
    assert covers(text, (phrase, phrase + 17), (s, e))  # a phrase inside codes the sentence
    nxt = sentence(text, "Dalam komentarnya")
    assert not covers(text, (s, nxt[0]), nxt)  # up to the next sentence's first letter: no
    assert not covers(text, (s, e + 1), nxt)  # a newline past the full stop: no
    assert covers(text, (s, nxt[0] + 1), nxt)  # one letter of it: yes
    assert not covers(text, (e - 1, e), (s, e))  # only the full stop: no
    assert has_tag(["military cooperation/arms transfer"], "military cooperation")
    assert not has_tag(["military cooperation"], "military cooperation/arms transfer")
    assert not has_tag(["sanctions-economic"], "sanctions")


def _article(text: str, aid: str, coders: dict[str, list[tuple[str, str]]]) -> CodedArticle:
    """Coders' passages given as (words to find, tag)."""
    passages = {c: [Passage(text.index(w), text.index(w) + len(w), (t,)) for w, t in items]
                for c, items in coders.items()}
    return CodedArticle(aid, text, passages)


def test_two_coders_on_a_real_article(kompas):
    text = kompas.text
    art = _article(text, "kompas", {
        "ana": [("sanksi yang dipimpin Amerika Serikat", "sanctions"),
                ("kesepakatan senjata", "military cooperation/arms transfer"),
                ("sanksi ekonomi berat", "sanctions")],
        "budi": [("menghadapi sanksi ekonomi berat dari Dewan Keamanan PBB", "sanctions"),
                 ("Korea Utara diduga akan menyediakan amunisi", "military cooperation")],
    })
    report = agreement([art], tags=["sanctions", "military cooperation"])
    assert report.coders == ("ana", "budi") and report.articles == 1
    sanctions, military = report.per_tag
    # sanctions: 16 units, ana tags 2 sentences, budi 1 of them
    assert (sanctions.units, sanctions.tagged) == (16, 2)
    assert sanctions.agreement == pytest.approx(15 / 16)
    assert sanctions.kappa == pytest.approx(cohen_kappa(_pairs(1, 1, 0, 14)))
    # military cooperation: ana's "arms transfer" counts for its parent, the same sentence
    assert (military.units, military.tagged, military.agreement, military.alpha,
            military.kappa) == (16, 1, 1.0, 1.0, 1.0)
    assert report.overall.units == 32
    assert report.overall.alpha == pytest.approx(krippendorff_alpha(
        [[True, True]] * 2 + [[True, False]] + [[False, False]] * 29))
    (d,) = report.disagreements
    assert (d.article_id, d.tag, d.with_tag, d.without_tag) == ("kompas", "sanctions", ("ana",),
                                                                ("budi",))
    assert d.text.startswith("PYONGYANG, KOMPAS.TV") and text[d.start:d.end] == d.text


def test_missing_coders_and_articles_one_coder_coded(kompas):
    text = kompas.text
    a = _article(text, "a", {"ana": [("kesepakatan senjata", "arms")],
                             "budi": [("kesepakatan senjata", "arms")], "citra": []})
    b = _article(text, "b", {"ana": [("sanksi ekonomi berat", "arms")],
                             "citra": [("sanksi ekonomi berat", "arms")]})
    c = _article(text, "c", {"budi": [("sanksi ekonomi berat", "arms")]})
    report = agreement([c, b, a])
    assert report.coders == ("ana", "budi", "citra")
    assert (report.articles, report.single_coder_articles) == (2, 1)
    (arms,) = report.per_tag
    assert arms.units == 32 and arms.kappa is None  # three coders: no Cohen's kappa
    # citra coded article a without tagging: a "no" on the sentence the others tagged
    (d,) = report.disagreements
    assert (d.article_id, d.with_tag, d.without_tag) == ("a", ("ana", "budi"), ("citra",))
    expected = ([[True, True, False]] + [[False, False, False]] * 15
                + [[True, None, True]] + [[False, None, False]] * 15)
    assert arms.alpha == pytest.approx(krippendorff_alpha(expected))
    # only two of the coders: budi and citra share no article
    only = agreement([a, b, c], coders=["citra", "budi"])
    assert only.articles == 1 and only.per_tag[0].kappa == pytest.approx(0.0)


def test_no_variation_gives_undefined_figures(kompas):
    art = _article(kompas.text, "a", {"ana": [], "budi": []})
    report = agreement([art], tags=["sanctions"])
    (f,) = report.per_tag
    assert (f.units, f.tagged, f.alpha, f.kappa, f.agreement) == (16, 0, None, None, 1.0)
    empty = agreement([])
    assert empty.per_tag == () and empty.overall.units == 0 and empty.overall.alpha is None


def test_disagreements_are_in_a_stable_order(kompas):
    text = kompas.text
    rng = random.Random(3)
    units = unit_spans(text)
    arts = []
    for aid in ("x/2", "x/10", "a"):
        coders = {}
        for coder in ("ana", "budi", "citra"):
            picks = rng.sample(units, 6)
            coders[coder] = [Passage(s, e, (rng.choice(["t1", "t2", "t2/sub"]),)) for s, e in picks]
        arts.append(CodedArticle(aid, text, coders))
    first = agreement(arts)
    for _ in range(5):
        rng.shuffle(arts)
        assert agreement(arts) == first
    keys = [(d.article_id, d.start, first.tags.index(d.tag)) for d in first.disagreements]
    assert keys == sorted(keys) and len(keys) > 10


def test_random_coding_of_real_articles():
    """Coders tag random sentences of real articles: copies of one coder agree fully, coders
    who tag at random agree near chance; the figures match the coefficients on the calls."""
    corpora = corpora_or_skip()
    rng = random.Random(11)
    files = sorted(corpora.glob("*/**/*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in rng.sample(files, min(120, len(files)))]
    tags = ["sanctions", "military", "treaties"]
    same, noise = [], []
    for k, text in enumerate(texts):
        units = unit_spans(text)
        ana = [Passage(s, e, (rng.choice(tags),)) for s, e in units if rng.random() < 0.3]
        same.append(CodedArticle(str(k), text, {"ana": ana, "copy": list(ana)}))
        budi = [Passage(s, e, (rng.choice(tags),)) for s, e in units if rng.random() < 0.3]
        noise.append(CodedArticle(str(k), text, {"ana": ana, "budi": budi}))
    copy = agreement(same)
    assert copy.disagreements == () and all(f.alpha == 1.0 for f in copy.per_tag)
    rand = agreement(noise)
    n_units = rand.overall.units
    alpha, kappa = value(rand.overall.alpha), value(rand.overall.kappa)
    agreed = value(rand.overall.agreement)
    print(f"random coding: {len(texts)} articles, {n_units} sentence-tag units, "
          f"alpha {alpha:.3f}, kappa {kappa:.3f}, "
          f"agreement {agreed:.3f}, {len(rand.disagreements)} disagreements")
    assert abs(alpha) < 0.1 and abs(kappa) < 0.1
    assert len(rand.disagreements) == round(n_units * (1 - agreed))
