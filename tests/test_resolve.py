"""Resolving a disagreement writes the agreed reading, is undoable, and never touches a
coder's own passages."""

from __future__ import annotations

from reader.annotations.coders import AGREED
from reader.annotations.store import AnnotationStore
from reader.config import Config
from reader.library.articles import Library
from reader.review.coded import collect, measure
from reader.review.resolve import cases, resolve
from tests.conftest import SEED_LIPUTAN


def _mine(store: AnnotationStore, article, who: str) -> list[tuple[int, int, tuple[str, ...]]]:
    return sorted((a.start, a.end, tuple(sorted(a.tags))) for a in store.load(article).annotations
                  if who in a.coders)


def test_keep_a_keep_b_both_neither_and_undo(config: Config) -> None:
    article = Library(config).load(SEED_LIPUTAN)
    quote = "berjabat tangan cukup lama"
    s = article.text.index(quote)
    e = s + len(quote)
    ana = AnnotationStore(config.annotations_dir, coder="ana")
    budi = AnnotationStore(config.annotations_dir, coder="budi")
    ana.tag(article, s, e, ["sanctions"])
    budi.tag(article, s, e, ["treaties"])
    other = article.text.index("Kim Jong Un")
    budi.tag(article, other, other + 11, ["treaties"])  # an agreement elsewhere needs variety
    before = {w: _mine(ana, article, w) for w in ("ana", "budi")}

    result = measure(collect(config), ["ana", "budi"])
    [case] = [c for c in cases(result.disagreements, result.coders) if c.start <= s < c.end]
    assert set(case.tags) == {"sanctions", "treaties"}
    assert dict(case.readings) == {"ana": ("sanctions",), "budi": ("treaties",)}

    desk = AnnotationStore(config.annotations_dir, coder="ana")  # the reviewer's store
    resolve(desk, article, case, ["ana"])
    assert _mine(desk, article, AGREED) == [(s, e, ("sanctions",))]
    resolve(desk, article, case, ["budi"])
    assert _mine(desk, article, AGREED) == [(s, e, ("treaties",))]
    resolve(desk, article, case, ["ana", "budi"])
    assert [t for *_, t in _mine(desk, article, AGREED)] == [("sanctions", "treaties")]
    resolve(desk, article, case, [])
    assert _mine(desk, article, AGREED) == []
    assert {w: _mine(desk, article, w) for w in ("ana", "budi")} == before
    for expected in ([(s, e, ("sanctions", "treaties"))], [(s, e, ("treaties",))],
                     [(s, e, ("sanctions",))], []):
        assert desk.undo() is not None
        assert _mine(desk, article, AGREED) == expected
    assert {w: _mine(desk, article, w) for w in ("ana", "budi")} == before
    # the agreed record is not a coder: agreement leaves it out unless named
    resolve(desk, article, case, ["ana"])
    assert measure(collect(config)).coders == ("ana", "budi")
