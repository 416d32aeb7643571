"""How good the suggestions are, measured against labels: which suggested sentences a careful
coder accepts for each tag (tests/fixtures/suggest/). Prints the figures (``pytest -s``).

- The bundled articles (always).
- A sample of the real corpora in ../shared/corpora (skipped when they are absent): the share
  of accepted-kind suggestions among the first 20 of each tag, before ranking (the order
  reader listed them in: article, then place) and after; learning from the reviews of half
  the articles, measured on the other half; and the fast cue matching against analysing
  every sentence whole.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import pytest
import yaml

from reader.annotations.vocabulary import DEFAULT_TAGS, Vocabulary
from reader.config import Config
from reader.library.articles import Library
from reader.models import Article, Tag
from reader.review import cues, learning
from reader.review.suggest import Suggestion, sentence_hash, suggest
from reader.search import analysis
from tests.conftest import corpora_or_skip

FIXTURES = Path(__file__).parent / "fixtures" / "suggest"
TAGS = ("sanctions", "military cooperation", "treaties")
FIRST = 20
SPLITS = 6
Key = tuple[str, int, str]  # article id, sentence start, tag


def share(ranked: Sequence[Key], labels: dict[Key, bool], k: int = FIRST) -> tuple[int, int]:
    """(accepted-kind, looked at) among the first ``k``."""
    top = list(ranked)[:k]
    return sum(labels.get(key, False) for key in top), len(top)


def average_precision(ranked: Sequence[Key], labels: dict[Key, bool]) -> float:
    hits, total = 0, 0.0
    for i, key in enumerate(ranked, 1):
        if labels.get(key, False):
            hits += 1
            total += hits / i
    tags = {key[2] for key in ranked}
    wanted = sum(v for k, v in labels.items() if k[2] in tags)
    return total / wanted if wanted else 1.0


def keys(found: Iterable[Suggestion], tag: str) -> list[Key]:
    return [(s.article_id, s.start, s.tag) for s in found if s.tag == tag]


# -- the bundled articles -----------------------------------------------------------------------
def test_bundled_articles_rank_the_accepted_kind_first(config: Config) -> None:
    raw = yaml.safe_load((FIXTURES / "bundled_labels.yml").read_text(encoding="utf-8"))
    labels = {(e["article"], e["start"], e["tag"]): e["accept"] for e in raw["labels"]}
    found = suggest(config, held_back=True)
    assert {(s.article_id, s.start, s.tag) for s in found} == set(labels), \
        "the suggestions changed: label the new ones in bundled_labels.yml"
    shown = suggest(config)
    print("\nbundled articles: accepted-kind among the first 20, average precision")
    for tag in TAGS:
        before = [k for k in labels if k[2] == tag]  # the order reader listed them in
        after = keys(shown, tag)
        b, a = share(before, labels), share(after, labels)
        ap_b, ap_a = average_precision(before, labels), average_precision(after, labels)
        print(f"  {tag:22} before {b[0]}/{b[1]} AP {ap_b:.2f}   after {a[0]}/{a[1]} "
              f"AP {ap_a:.2f}")
        assert a[0] >= b[0] and ap_a >= ap_b
    # military cooperation: the three accepted-kind suggestions now come before the three
    # others (they were 3rd, 5th and 6th)
    ranked = keys(shown, "military cooperation")
    assert [labels[k] for k in ranked[:3]] == [True, True, True]


# -- a sample of the corpora --------------------------------------------------------------------
def corpus_labels() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(
        (FIXTURES / "corpus_labels.yml").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Key, bool]]:
    """A library of the labelled sample (the corpus files as they are) and its labels."""
    corpora = corpora_or_skip()
    raw = corpus_labels()
    lib = tmp_path_factory.mktemp("sample")
    for name in raw["files"]:  # type: ignore[attr-defined]
        dest = lib / "articles" / f"{name}.txt"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpora / f"{name}.txt", dest)
    (lib / "annotations").mkdir()
    labels: dict[Key, bool] = {}
    for e in raw["labels"]:  # type: ignore[attr-defined]
        text = (lib / "articles" / f"{e['file']}.txt").read_text(encoding="utf-8")
        assert sentence_hash(text[e["start"]:e["end"]])[:12] == e["hash"], \
            f"{e['file']} changed in ../shared/corpora: the labels no longer fit"
        labels[(e["file"], e["start"], e["tag"])] = e["accept"]
    return lib, labels


def isolated(sample_dir: Path, tmp_path: Path) -> Config:
    lib = tmp_path / "lib"
    (lib / "annotations").mkdir(parents=True)
    (lib / "articles").symlink_to(sample_dir / "articles")
    return Config.from_args(lib)


def test_ranking_puts_the_accepted_kind_first_on_the_corpora(
        sample: tuple[Path, dict[Key, bool]], tmp_path: Path) -> None:
    sample_dir, labels = sample
    config = isolated(sample_dir, tmp_path)
    files = cast(list[str], corpus_labels()["files"])
    order = {name: i for i, name in enumerate(files)}
    everything = suggest(config, held_back=True)
    shown = suggest(config)
    unlabelled = [s for s in everything if (s.article_id, s.start, s.tag) not in labels]
    assert not unlabelled, "new suggestions: label them in corpus_labels.yml"
    print(f"\n{len(files)} corpus articles ({len(labels)} labelled suggestions, "
          f"{sum(labels.values())} of the accepted kind): among the first {FIRST} of each tag")
    total_b = total_a = 0
    for tag in TAGS:
        before = sorted((k for k in labels if k[2] == tag), key=lambda k: (order[k[0]], k[1]))
        after = keys(shown, tag)
        (b, n), (a, m) = share(before, labels), share(after, labels)
        held = [k for k in keys(everything, tag) if k not in set(after)]
        lost = sum(labels[k] for k in held)
        print(f"  {tag:22} before {b}/{n} ({b / n:.0%})  after {a}/{m} ({a / m:.0%});  "
              f"AP {average_precision(before, labels):.2f} -> "
              f"{average_precision(after, labels):.2f}; {len(held)} held back "
              f"({lost} of the accepted kind), {len(before) - len(keys(everything, tag))} "
              f"titles and headings left out")
        assert a > b
        total_b += b
        total_a += a
    print(f"  all tags               before {total_b}/{3 * FIRST}  after {total_a}/{3 * FIRST}")
    assert total_a >= 2 * total_b and total_a >= 0.6 * 3 * FIRST


def _renamed(config: Config) -> dict[str, str]:
    """The default tags again under other names: reader knows nothing beforehand of them."""
    vocabulary = Vocabulary(config.vocabulary_path)
    names = {}
    for tag in DEFAULT_TAGS:
        new = f"{tag.name} (new)"
        vocabulary.add(new, description=tag.description, cues=tag.cues)
        vocabulary.retire(tag.name)
        names[new] = tag.name
    return names


def test_learning_from_half_the_articles_ranks_the_other_half_better(
        sample: tuple[Path, dict[Key, bool]], tmp_path: Path) -> None:
    """Review the suggestions of a random half of the articles (fed to the model as
    accepting and rejecting do: the words around each cue, accepted or not), then rank the
    suggestions of the other half; for the default tags, and for the same tags under new
    names (reader knows nothing of them beforehand)."""
    sample_dir, labels = sample
    files = list(corpus_labels()["files"])  # type: ignore[call-overload]
    print(f"\nlearning: accepted-kind among the first {FIRST} of each tag in the half not "
          "reviewed, before -> after")
    gains: dict[str, list[int]] = {}
    ap: dict[str, list[float]] = {}
    for variant in ("default tags", "tags new to reader"):
        config = isolated(sample_dir, tmp_path / variant.replace(" ", "-"))
        names = _renamed(config) if variant != "default tags" else {t: t for t in TAGS}
        base = suggest(config, list(names), held_back=True)
        for seed in range(1, SPLITS + 1):
            reviewed = set(random.Random(seed).sample(files, len(files) // 2))
            rest = [name for name in files if name not in reviewed]
            learning.model_path(config).unlink(missing_ok=True)
            reviews = [(s.tag, s.context, labels[(s.article_id, s.start, names[s.tag])])
                       for s in base if s.article_id in reviewed]
            learning.learn_many(config, reviews)
            after = suggest(config, list(names), rest, held_back=True)
            b_total = a_total = 0
            line = []
            for tag in names:
                ranked_b, ranked_a = ([(s.article_id, s.start, names[tag]) for s in found
                                       if s.tag == tag and s.article_id not in reviewed]
                                      for found in (base, after))
                (b, _), (a, m) = share(ranked_b, labels), share(ranked_a, labels)
                line.append(f"{names[tag][:8]} {b}->{a}/{m}")
                b_total, a_total = b_total + b, a_total + a
                ap.setdefault(variant, []).append(average_precision(ranked_a, labels)
                                                  - average_precision(ranked_b, labels))
            print(f"  {variant:18} split {seed}: {len(reviews)} reviews; {', '.join(line)}; "
                  f"all {b_total} -> {a_total}")
            gains.setdefault(variant, []).append(a_total - b_total)
    for variant, g in gains.items():
        print(f"  {variant:18} mean gain {sum(g) / len(g):+.1f} of {3 * FIRST} (better in "
              f"{sum(x > 0 for x in g)} splits, worse in {sum(x < 0 for x in g)}); average "
              f"precision {sum(ap[variant]) / len(ap[variant]):+.3f}")
    # what reader knows of the default tags is most of it: learning must not spoil it; for a
    # tag it knows nothing of, the reviews are all it has
    assert sum(gains["tags new to reader"]) > 0 and sum(ap["tags new to reader"]) > 0
    assert min(gains["tags new to reader"]) >= -2
    assert sum(gains["default tags"]) >= -SPLITS and sum(ap["default tags"]) > -0.01 * SPLITS


def _reference(article: Article, tags: Sequence[Tag]) -> set[tuple[int, str, tuple[str, ...]]]:
    """Cue matches found by analysing every readable sentence whole, as reader did before
    it looked for needles first."""
    language = cues.article_language(article)
    out = set()
    for start, end in cues.readable_spans(article):
        tokens = analysis.analyze(article.text[start:end], language)
        terms = [t.term for t in tokens]
        for tag in tags:
            found: list[str] = []
            covered = 0
            for i in range(len(terms)):
                if i < covered:
                    continue
                for cue, seq in cues.cue_patterns(tag, language):
                    if i + len(seq) <= len(terms) and all(
                            terms[i + k] == term and (not prefix or analysis.fold(
                                tokens[i + k].text).startswith(prefix))
                            for k, (term, prefix) in enumerate(seq)):
                        covered = i + len(seq)
                        if cue not in found:
                            found.append(cue)
                        break
            if found:
                out.add((start, tag.name, tuple(found)))
    return out


def test_needles_find_what_analysing_every_sentence_finds(tmp_path: Path) -> None:
    """Looking for cue text first (and not reading, splitting or stemming the rest) finds
    the same matches as analysing everything, on a random sample of the corpora."""
    corpora = corpora_or_skip()
    names = sorted(p.relative_to(corpora).as_posix()[:-4]
                   for p in corpora.glob("*/**/*.txt"))
    lib = tmp_path / "lib"
    picked = random.Random(13).sample(names, 150)  # the reference stems every word: slow
    for name in picked:
        dest = lib / "articles" / f"{name}.txt"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpora / f"{name}.txt", dest)
    library = Library(Config.from_args(lib))
    tags = list(DEFAULT_TAGS) + [Tag("odd", "#123456", cues=(
        "menyepakati", "treaty", "pengusaha", "possibility", "kerja keras"))]
    skipped = matched = 0
    for meta in library.scan():
        head = (library.articles_dir / meta.path).read_text(encoding="utf-8",
                                                            errors="replace")
        article = library.load(meta.id)
        expected = _reference(article, tags)
        if not cues.might_match(head, tags, meta.language):
            skipped += 1
            assert expected == set(), meta.id
            continue
        got = {(m.start, m.tag, m.cues) for m in cues.find(article, tags)}
        assert got == expected, meta.id
        matched += len(got)
    print(f"\n{len(picked)} corpus articles: {skipped} passed over unread, {matched} "
          "sentence-tag matches, all as analysing every sentence finds them")
    assert skipped > 50 and matched > 30
