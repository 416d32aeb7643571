"""How suggestions are ranked: evidence that a sentence holding a tag's cue carries the tag's
meaning, added up as a score (about log-odds; higher first).

- The cues: one cue is the start (1); more cues in the sentence (+0.5 each, up to +1), a
  cue of several words (+0.75 a word, up to +1.5), another tag's cue in the same sentence
  (+0.5 a tag, up to +1).
- The article: other sentences with the tag's cues (+0.5 per doubling, up to +1.5), a cue in
  the title (+0.75), cues of other tags (+0.25 per doubling, up to +0.75).
- Tagged passages: one with the tag in the same article (+1), more the nearer it is (up to
  +1.5 beside it, half that about 700 characters away).
- What reader knows of the default tags beforehand (``reader/data/suggest_context.yaml``):
  each word of the sentence that speaks for the tag's meaning +0.6, each that speaks for
  another sense of its cues -1.2 ("sanksi" near "administratif" or "siswa"), together
  within +-2.5; each word of the tag's description +0.4 (up to three).
- What was learned from reviews (:mod:`reader.review.learning`): half the sum of the
  learned weights of the words around the cue, within +-1.5.

A suggestion scoring below :data:`HOLD_BACK` (the words around it speak against the tag
more than its cues for it) is held back unless asked for. The weights were set on the
labelled corpus sample in tests/fixtures/suggest/ (see tests/test_suggest_quality.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from reader.models import Annotation, Tag
from reader.review.cues import CueMatch
from reader.review.learning import TagModel, feature_words

HOLD_BACK = 0.0
PRIOR_FOR = 0.6  # a word of the tag's known context
PRIOR_AGAINST = -1.2  # a word of another sense of its cues
PRIOR_CAP = 2.5  # the known words together, either way
LEARNED_CAP = 3.0  # the learned words together, either way, before LEARNED_WEIGHT
LEARNED_WEIGHT = 0.5
DESCRIPTION = 0.4
NEAR_SCALE = 1000.0  # characters: a tagged passage's pull halves about 0.7 of this away


@dataclass(frozen=True, slots=True)
class Prior:
    more: frozenset[str]
    less: frozenset[str]


@cache
def priors() -> dict[str, Prior]:
    """Known context words of the default tags, by tag name folded."""
    raw = yaml.safe_load(resources.files("reader.data").joinpath(
        "suggest_context.yaml").read_text(encoding="utf-8")) or {}
    out = {}
    for name, entry in raw.items():
        out[str(name).casefold()] = Prior(
            frozenset(feature_words(str(entry.get("for", "")), "")),
            frozenset(feature_words(str(entry.get("against", "")), "")))
    return out


def _cue_like(word: str, cue_words: set[str]) -> bool:
    return any(word[:5] == c[:5] for c in cue_words)


@cache
def description_words(tag: Tag) -> frozenset[str]:
    """Words of the tag's description that are not (forms of) its cues."""
    cue_words = {w for cue in tag.cues for w in feature_words(cue, "")}
    return frozenset(w for w in feature_words(tag.description, "")
                     if len(w) > 3 and not _cue_like(w, cue_words))


@dataclass(frozen=True, slots=True)
class ArticleEvidence:
    """What an article says about all of its cue matches."""

    sentences: Counter[str]  # tag -> its sentences with cues
    in_title: frozenset[str]  # tags with a cue in the title
    tagged: dict[str, list[tuple[int, int]]]  # tag folded -> spans of passages with it


def article_evidence(matches: Sequence[CueMatch], title_tags: Iterable[str],
                     annotations: Iterable[Annotation]) -> ArticleEvidence:
    tagged: dict[str, list[tuple[int, int]]] = {}
    for a in annotations:
        if not a.orphaned:
            for t in a.tags:
                tagged.setdefault(t.casefold(), []).append((a.start, a.end))
    return ArticleEvidence(Counter(m.tag for m in matches), frozenset(title_tags), tagged)


def _log2_bonus(n: int, per: float, cap: float) -> float:
    return min(cap, per * math.log2(n)) if n > 1 else 0.0


def _distance(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    return min(max(0, s - end, start - e) for s, e in spans)


def score(match: CueMatch, tag: Tag, evidence: ArticleEvidence, other_tags_here: int,
          words: set[str], learned: TagModel | None, context: set[str] | None = None
          ) -> tuple[float, tuple[str, ...]]:
    """The score of one suggestion and the reasons worth showing."""
    why: list[str] = []
    total = 1.0
    if match.hits > 1:
        total += min(1.0, 0.5 * (match.hits - 1))
        why.append(f"{match.hits} cues")
    if match.length > 1:
        total += min(1.5, 0.75 * (match.length - 1))
        why.append(f"cue of {match.length} words")
    if other_tags_here:
        total += min(1.0, 0.5 * other_tags_here)
        why.append("other tags' cues")
    total += _log2_bonus(evidence.sentences[match.tag], 0.5, 1.5)
    others = sum(n for t, n in evidence.sentences.items() if t != match.tag)
    total += _log2_bonus(1 + others, 0.25, 0.75)
    if match.tag in evidence.in_title:
        total += 0.75
        why.append("cue in the title")
    spans = evidence.tagged.get(match.tag.casefold())
    if spans:
        near = math.exp(-_distance(match.start, match.end, spans) / NEAR_SCALE)
        total += 1.0 + 1.5 * near
        why.append("near a tagged passage" if near > 0.5 else "article has tagged passages")
    prior = priors().get(tag.name.casefold())
    if prior is not None:
        more, less = words & prior.more, words & prior.less
        known = PRIOR_FOR * len(more) + PRIOR_AGAINST * len(less)
        total += max(-PRIOR_CAP, min(PRIOR_CAP, known))
        if more:
            why.append("for: " + ", ".join(sorted(more)[:3]))
        if less:
            why.append("against: " + ", ".join(sorted(less)[:3]))
    described = words & description_words(tag)
    if described:
        total += DESCRIPTION * min(len(described), 3)
    if learned is not None and (learned.accepted or learned.rejected):
        weights = {w: learned.weight(w) for w in (words if context is None else context)}
        said = sum(weights.values())
        total += LEARNED_WEIGHT * max(-LEARNED_CAP, min(LEARNED_CAP, said))
        strong = sorted((w for w in weights if abs(weights[w]) >= 0.15),
                        key=lambda w: -abs(weights[w]))
        if strong:
            why.append("learned: " + ", ".join(
                f"{'+' if weights[w] > 0 else '-'}{w}" for w in strong[:3]))
    return round(total, 3), tuple(why)
