"""Randomized re-anchoring over real articles: no passage is ever placed on the wrong text,
and every passage whose text survived with its context is placed right.

Passages of 1 to 30 words are tagged at random in the bundled articles, a hand-made article
full of repeated phrases and (when ../shared/corpora is there) a sample of real English and
Indonesian news; each article is then edited at random (its sentence deleted, a word in it
changed, text inserted or deleted before it, a paragraph duplicated, two paragraphs swapped)
while every character's origin is tracked (see tests/anchoring_trials.py). The counts are
printed; ``pytest -m torture tests/torture/test_anchoring_torture.py`` runs 20,000 edits.
"""

from __future__ import annotations

from tests import anchoring_trials as trials

EDITS = 1_800  # 300 of each kind


def test_no_passage_is_placed_on_the_wrong_text() -> None:
    tally = trials.run(seed=20261125, edits=EDITS, per_corpus=60)
    source = "bundled and hand-made articles" + (
        " + 60 articles of each real corpus" if trials.corpora_present() else "")
    print("\n" + tally.report(f"re-anchoring, {source}"))
    assert tally.trials == EDITS
    assert tally.total("misplaced") == 0, "\n".join(tally.failures)
    assert tally.total("missed") == 0, "\n".join(tally.failures)
    survived = tally.total("right") + tally.total("orphaned, context gone")
    assert tally.total("right") >= 0.95 * survived  # not a rule that orphans everything
    assert tally.by_kind["duplicate paragraph"]["right"] >= 0.95 * EDITS / 6
    changed = tally.word_changed_in_passage
    assert changed["placed on the edited passage"] > changed["orphaned, text gone"] > 0
