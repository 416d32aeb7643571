"""The randomized re-anchoring test at scale (``pytest -m torture``): 20,000 edits over the
bundled articles and 400 articles of each real corpus; no passage placed on the wrong text.
``READER_TORTURE_SEED`` picks another run (the seed is printed)."""

from __future__ import annotations

import os

import pytest

from tests import anchoring_trials as trials

pytestmark = pytest.mark.torture


def test_twenty_thousand_edits_place_no_passage_on_the_wrong_text() -> None:
    seed = int(os.environ.get("READER_TORTURE_SEED", "7"))
    tally = trials.run(seed=seed, edits=20_000, per_corpus=400)
    print("\n" + tally.report(f"re-anchoring torture, seed {seed}"))
    assert tally.total("misplaced") == 0, "\n".join(tally.failures)
    assert tally.total("missed") == 0, "\n".join(tally.failures)
