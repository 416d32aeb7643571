"""Inter-coder agreement: how far coders who tagged the same articles apart agree, per tag and
overall, and where they differ.

**Units.** Each article's text is cut into sentences (:func:`reader.library.text.sentences`,
within the article's blocks; boilerplate lines and "sentences" without a letter or digit are
no units). For one tag, a coder's call on a sentence is "tagged" when one of that coder's
passages with the tag, or with a tag under it (``military cooperation/arms transfer`` counts
for ``military cooperation``), overlaps the sentence; otherwise it is "not tagged": text a
coder left uncoded counts as a "no", not as missing. A coder who did not code an article at
all has no call on its sentences (missing data), which Krippendorff's alpha allows; an
article only one of the chosen coders coded gives no pairable calls and is left out.

**Overlap rule: any overlap that holds a letter or digit of the sentence.** A sentence is the
unit of meaning; coding any words of it codes it. Coders often tag a phrase inside a long
sentence (``bantuan militer timbal balik``); a "more than half of the sentence" rule would turn
two coders who tagged the same phrase into two "no"s. Overlaps of spaces and punctuation
only (a selection that runs one character past a full stop) are slips at a passage's edge and
do not count.

**Figures.** For each tag: Krippendorff's alpha (nominal, any number of coders, missing data
allowed), Cohen's kappa when exactly two coders are compared (on the sentences both coded),
percent agreement (the share of units on which every coder who coded the article made the
same call) and the number of units (sentences with calls from at least two coders).
**Overall** pools every (sentence, tag) call as one binary unit. A figure is ``None`` when it
is undefined: alpha and kappa when every call is the same (no variation to agree on), any
figure when there are no units.

The alpha here is the coincidence-matrix formula (Krippendorff 2011, "Computing
Krippendorff's Alpha-Reliability"), checked in the tests against his worked example
(4 coders, 12 units, nominal alpha 0.743) and against the ``krippendorff`` package on random
data; it is pure Python so the reader does not need numpy.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reader.library.text import blocks, sentences

SKIPPED_BLOCKS = ("boilerplate",)


class Passage(NamedTuple):
    """One coder's tagged passage: character offsets into the article text, and its tags."""

    start: int
    end: int
    tags: Sequence[str]


@dataclass(frozen=True)
class CodedArticle:
    """An article and the coders who coded it. A coder who coded it without tagging anything
    is listed with no passages: that is a "no" on every sentence, not missing data."""

    id: str
    text: str
    coders: Mapping[str, Sequence[Passage]]
    units: Sequence[tuple[int, int]] | None = None  # sentence spans; None: see unit_spans()


@dataclass(frozen=True)
class Figures:
    """Agreement on one tag (``tag`` None: all tags pooled)."""

    tag: str | None
    units: int  # units with calls from at least two coders
    tagged: int  # of those, units at least one coder tagged
    alpha: float | None  # Krippendorff's alpha, nominal
    kappa: float | None  # Cohen's kappa; None unless exactly two coders
    agreement: float | None  # share of units on which all coders agree


@dataclass(frozen=True)
class Disagreement:
    """A sentence on which coders differ about one tag."""

    article_id: str
    start: int
    end: int
    text: str
    tag: str
    with_tag: tuple[str, ...]  # coders who tagged it, sorted
    without_tag: tuple[str, ...]  # coders who coded the article but did not tag it


@dataclass(frozen=True)
class Agreement:
    coders: tuple[str, ...]
    tags: tuple[str, ...]
    articles: int  # articles coded by at least two of the coders
    single_coder_articles: int  # left out: only one of the coders coded them
    per_tag: tuple[Figures, ...]
    overall: Figures
    disagreements: tuple[Disagreement, ...]  # by article id, then text order, then tag


# ---------------------------------------------------------------- the coefficients


Unit = tuple[Hashable | None, ...]


def _tally(units: Iterable[Sequence[Hashable | None]]) -> Counter[Unit]:
    """How many units gave each distinct row of values (a report's rows repeat a lot)."""
    return Counter(tuple(u) for u in units)


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data. Each unit is the values the coders gave it,
    ``None`` where a coder gave none; units with fewer than two values are not pairable and
    do not count. None when undefined (no pairable values, or all of them the same)."""
    return alpha_of_tally(_tally(units))


def alpha_of_tally(tally: Mapping[Unit, int]) -> float | None:
    """:func:`krippendorff_alpha` of units given as distinct rows and how many units gave each."""
    coincidences: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit, weight in tally.items():
        counts = Counter(v for v in unit if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    coincidences[(c, k)] += weight * pairs / (m - 1)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _), o in coincidences.items():
        totals[c] += o
    n = sum(totals.values())
    observed = sum(o for (c, k), o in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n <= 1 or expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa for two coders' values on the same units. None when undefined (no
    units, or chance agreement is certain: both coders gave one and the same value)."""
    return kappa_of_tally(Counter(pairs))


def kappa_of_tally(tally: Mapping[tuple[Hashable, Hashable], int]) -> float | None:
    """:func:`cohen_kappa` of value pairs given with how many units gave each."""
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    same = n = 0
    for (a, b), weight in tally.items():
        first[a] += weight
        second[b] += weight
        same += weight if a == b else 0
        n += weight
    if n == 0:
        return None
    chance = sum(first[v] * second[v] for v in first) / (n * n)
    if chance == 1:
        return None
    return (same / n - chance) / (1 - chance)


def percent_agreement(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """The share of units (with at least two values) on which all values are the same."""
    return agreement_of_tally(_tally(units))


def agreement_of_tally(tally: Mapping[Unit, int]) -> float | None:
    agreed = n = 0
    for unit, weight in tally.items():
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue
        n += weight
        agreed += weight if len(set(values)) == 1 else 0
    return agreed / n if n else None


# ---------------------------------------------------------------- units and calls


def unit_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` that are units: outside boilerplate lines, with at least
    one letter or digit."""
    found: list[tuple[int, int]] = []
    for b in blocks(text):
        if b.kind not in SKIPPED_BLOCKS:
            found.extend(sentences(text, b.start, b.end))
    return [(s, e) for s, e in found if any(ch.isalnum() for ch in text[s:e])]


def covers(text: str, passage: tuple[int, int], unit: tuple[int, int]) -> bool:
    """Does the passage code the unit: an overlap holding a letter or digit?"""
    a, b = max(passage[0], unit[0]), min(passage[1], unit[1])
    return a < b and any(ch.isalnum() for ch in text[a:b])


def has_tag(tags: Iterable[str], tag: str) -> bool:
    """``tag`` or a tag under it (``tag/...``) is among ``tags``."""
    return any(t == tag or t.startswith(tag + "/") for t in tags)


def _with_parents(tags: Iterable[str]) -> set[str]:
    """The tags and every tag above them: ``a/b/c`` gives ``a``, ``a/b``, ``a/b/c``."""
    out: set[str] = set()
    for tag in tags:
        parts = tag.split("/")
        out.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return out


def _calls(article: CodedArticle, units: Sequence[tuple[int, int]], coder: str
           ) -> list[set[str]]:
    """For each unit (sorted by start), the tags (with the tags above them) of the coder's
    passages that cover it: ``tag in calls[i]`` is :func:`has_tag`."""
    calls: list[set[str]] = [set() for _ in units]
    ends = [e for _, e in units]
    disjoint = all(units[i][1] <= units[i + 1][0] for i in range(len(units) - 1))
    for p in article.coders.get(coder, ()):
        tags = _with_parents(p.tags)
        i = bisect.bisect_right(ends, p.start) if disjoint else 0  # the first unit ending after
        while i < len(units) and (units[i][0] < p.end or not disjoint):
            if covers(article.text, (p.start, p.end), units[i]):
                calls[i].update(tags)
            i += 1
    return calls


# ---------------------------------------------------------------- the report


def agreement(articles: Iterable[CodedArticle], tags: Sequence[str] | None = None,
              coders: Sequence[str] | None = None) -> Agreement:
    """Agreement of ``coders`` (default: every coder found) on ``tags`` (default: every tag
    they used) over ``articles``; see the module's docstring for the units and figures."""
    arts = sorted(articles, key=lambda a: a.id)
    chosen = tuple(sorted(set(coders))) if coders is not None else tuple(sorted(
        {c for a in arts for c in a.coders}))
    used = [a for a in arts if sum(c in a.coders for c in chosen) >= 2]
    if tags is None:
        tags = sorted({t for a in used for c in chosen for p in a.coders.get(c, ())
                       for t in p.tags})
    tag_list = tuple(dict.fromkeys(tags))
    # per tag: each distinct row of calls (one per chosen coder; None: did not code the
    # article) and how many units gave it
    tallies: dict[str, Counter[Unit]] = {t: Counter() for t in tag_list}
    disagreements: list[Disagreement] = []
    order = {t: i for i, t in enumerate(tag_list)}
    for art in used:
        units = sorted(art.units) if art.units is not None else unit_spans(art.text)
        calls = {c: _calls(art, units, c) for c in chosen if c in art.coders}
        tagged: Counter[str] = Counter()  # units on which some coder has the tag
        for i, (s, e) in enumerate(units):
            sets = [calls[c][i] if c in calls else None for c in chosen]
            found = set().union(*(got for got in sets if got))
            for tag in sorted(found.intersection(order), key=order.__getitem__):
                tagged[tag] += 1
                row = tuple(None if got is None else tag in got for got in sets)
                tallies[tag][row] += 1
                if False in row:
                    yes = tuple(c for c, v in zip(chosen, row, strict=True) if v is True)
                    no = tuple(c for c, v in zip(chosen, row, strict=True) if v is False)
                    disagreements.append(Disagreement(art.id, s, e, art.text[s:e], tag, yes, no))
        nobody = tuple(False if c in calls else None for c in chosen)
        for tag in tag_list:
            tallies[tag][nobody] += len(units) - tagged[tag]
    per_tag = tuple(_figures(t, tallies[t], len(chosen)) for t in tag_list)
    pooled = sum(tallies.values(), Counter[Unit]())
    return Agreement(chosen, tag_list, len(used), len(arts) - len(used), per_tag,
                     _figures(None, pooled, len(chosen)), tuple(disagreements))


def _figures(tag: str | None, tally: Counter[Unit], n_coders: int) -> Figures:
    pairable = Counter({r: n for r, n in tally.items() if sum(v is not None for v in r) >= 2})
    kappa = None
    if n_coders == 2:
        kappa = kappa_of_tally(Counter({(r[0], r[1]): n for r, n in pairable.items()}))
    return Figures(tag=tag, units=sum(pairable.values()),
                   tagged=sum(n for r, n in pairable.items() if True in r),
                   alpha=alpha_of_tally(pairable), kappa=kappa,
                   agreement=agreement_of_tally(pairable))
