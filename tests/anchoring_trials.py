"""Randomized re-anchoring trials: tag a random passage of a real article, edit the article
at random while tracking where every character went, re-anchor, and judge the result
against where the passage's text truly is.

Each character of the edited text carries the offset it had in the original text (``None``
for inserted text), so after any edit the true places of the passage are known: every run
of characters whose origins are exactly the passage's offsets (two runs where a paragraph
was duplicated), or none when the text was destroyed. A placement is then

- ``right``: on a true place;
- ``orphaned, context gone``: the text survived but neither side of its stored context did
  (nor is it a long quote occurring once), so nothing says where it is;
- ``orphaned, text gone``: the text was destroyed (its sentence deleted, a word in it changed);
- ``placed on the edited passage``: the text changed and the passage was placed on what
  became of it;
- ``missed``: the text survived with its context, yet it was orphaned (should not happen);
- ``misplaced``: anywhere else (must never happen).

Used by ``tests/test_anchoring_random.py`` (default suite) and
``tests/torture/test_anchoring_torture.py`` (``pytest -m torture``).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reader.annotations import anchoring
from reader.library.text import sentence_at
from reader.models import Annotation, Article, ArticleMeta
from tests.conftest import CORPORA, REPO

KINDS = ("delete sentence", "change word", "insert before", "delete before",
         "duplicate paragraph", "swap paragraphs")
OUTCOMES = ("right", "orphaned, context gone", "orphaned, text gone",
            "placed on the edited passage", "missed", "misplaced")
FIXTURES = REPO / "tests" / "fixtures" / "anchoring"
_WORD = re.compile(r"\S+")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
FILLER = ("Separately, the committee met on Tuesday to discuss the budget. ",
          "Sementara itu, kerja sama kedua negara terus diperkuat. ",
          "kerja sama ", "the government said ", "\n\nA new paragraph was added here.\n\n",
          "Putin ", "Baca juga: ")


def fixture_texts() -> list[str]:
    """Texts that always run: the bundled articles and the hand-made fixtures."""
    paths = sorted((REPO / "articles").glob("*.txt")) + sorted(FIXTURES.glob("*.txt"))
    return [p.read_text(encoding="utf-8").replace("\r\n", "\n") for p in paths]


def corpus_texts(rng: random.Random, per_corpus: int) -> list[str]:
    """A sample of each real corpus (empty when ../shared/corpora is absent)."""
    out: list[str] = []
    for name in ("en-bbc", "id-detik", "id-indosum"):
        root = CORPORA / name
        if not root.is_dir():
            continue
        paths = sorted(root.rglob("*.txt"))
        for p in rng.sample(paths, min(per_corpus, len(paths))):
            text = p.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
            if len(_WORD.findall(text)) >= 60:
                out.append(text)
    return out


@dataclass
class Edited:
    text: str
    origin: list[int | None]  # per character: its offset in the original text, or None

    def replace(self, a: int, b: int, new: str, origin: list[int | None] | None = None) -> None:
        self.text = self.text[:a] + new + self.text[b:]
        self.origin = self.origin[:a] + (origin or [None] * len(new)) + self.origin[b:]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PARAGRAPH.finditer(text)]


def edit(rng: random.Random, text: str, start: int, end: int, kind: str) -> Edited:
    """Apply one edit of ``kind`` relative to the passage ``text[start:end]``."""
    ed = Edited(text, list(range(len(text))))
    words = [m.span() for m in _WORD.finditer(text)]
    if kind == "delete sentence":
        s, e = sentence_at(text, start)
        e = e + 1 if e < len(text) and text[e] == " " else e
        ed.replace(s, e, "")
    elif kind == "change word":
        s, e = sentence_at(text, start)
        inside = [w for w in words if start <= w[0] and w[1] <= end]
        near = [w for w in words if s <= w[0] and w[1] <= e] or inside
        a, b = rng.choice(inside if inside and rng.random() < 0.5 else near)
        word = text[a:b]
        new = word[::-1] if rng.random() < 0.7 else rng.choice(("baru", "new", "tidak"))
        ed.replace(a, b, new if new != word else word + "x")
    elif kind == "insert before":
        before = [w[0] for w in words if w[0] <= start] or [0]
        at = rng.choice(before[-6:] if rng.random() < 0.5 else before)
        ed.replace(at, at, rng.choice(FILLER))
    elif kind == "delete before":
        prior = [w for w in words if w[1] <= start]
        if prior:
            i = rng.randrange(len(prior))
            j = min(len(prior) - 1, i + rng.randint(0, 40))
            ed.replace(prior[i][0], prior[j][1], "")
        else:
            ed.replace(0, start, "")
    elif kind == "duplicate paragraph":
        paras = _paragraphs(text)
        own = [p for p in paras if p[0] <= start < p[1] + 1]
        a, b = rng.choice(own) if own and rng.random() < 0.6 else rng.choice(paras)
        copy = list(range(a, b))
        ed.replace(b, b, "\n\n" + text[a:b], [None, None, *copy])
    elif kind == "swap paragraphs":
        paras = _paragraphs(text)
        if len(paras) >= 2:
            mine = [i for i, p in enumerate(paras) if p[0] <= start < p[1] + 1]
            i = mine[0] if mine and rng.random() < 0.6 else rng.randrange(len(paras))
            j = rng.choice([k for k in range(len(paras)) if k != i])
            (a1, b1), (a2, b2) = sorted((paras[i], paras[j]))
            ed.text = text[:a1] + text[a2:b2] + text[b1:a2] + text[a1:b1] + text[b2:]
            o = ed.origin
            ed.origin = o[:a1] + o[a2:b2] + o[b1:a2] + o[a1:b1] + o[b2:]
    else:  # pragma: no cover
        raise ValueError(kind)
    return ed


def _article(text: str) -> Article:
    return Article(ArticleMeta(id="t", path="t.txt", title="t"), text, (), {},
                   hashlib.sha256(text.encode()).hexdigest())


def true_places(ed: Edited, start: int, end: int) -> list[tuple[int, int]]:
    want = list(range(start, end))
    n = end - start
    return [(p, p + n) for p, o in enumerate(ed.origin)
            if o == start and ed.origin[p:p + n] == want]


def context_survived(ed: Edited, place: tuple[int, int], ann: Annotation) -> bool:
    """A side of the stored context that counts on its own (it told the passage from its
    look-alikes when stored, and holds enough of the passage's own paragraph) is still there,
    character for character, next to this place."""
    p, q = place
    pre = list(range(ann.start - len(ann.prefix), ann.start))
    suf = list(range(ann.end, ann.end + len(ann.suffix)))
    if len(pre) in anchoring.SIZES and ed.origin[max(0, p - len(pre)):p] == pre and (
            anchoring.can_count_in_full(ann.prefix, True)):
        return True
    return len(suf) in anchoring.SIZES and ed.origin[q:q + len(suf)] == suf and (
        anchoring.can_count_in_full(ann.suffix, False))


def _remnant(ed: Edited, start: int, end: int, old_len: int) -> tuple[int, int] | None:
    """Where what became of a destroyed passage now is: between the characters that were
    right before and after it, when both are still there in order (a word replaced inside
    it), else the span of its surviving characters."""
    where = {o: i for i, o in enumerate(ed.origin) if o is not None}
    before = where.get(start - 1) if start > 0 else -1
    after = where.get(end) if end < old_len else len(ed.text)
    if before is not None and after is not None and (
            before < after <= before + 1 + 2 * (end - start) + 60):
        return before + 1, after
    inside = [i for o, i in where.items() if start <= o < end]
    return (min(inside), max(inside) + 1) if inside else None


@dataclass
class Tally:
    trials: int = 0
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    word_changed_in_passage: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    cases: list[tuple[str, Annotation, str]] = field(default_factory=list)  # to look into

    def add(self, kind: str, outcome: str, detail: str) -> None:
        self.trials += 1
        self.by_kind.setdefault(kind, Counter())[outcome] += 1
        if outcome in ("misplaced", "missed") and len(self.failures) < 20:
            self.failures.append(f"{kind}: {outcome}: {detail}")

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.by_kind.values())

    def report(self, title: str) -> str:
        lines = [f"{title}: {self.trials} edits"]
        lines.append(f"  {'':22}" + "".join(f"{o[:14]:>16}" for o in OUTCOMES))
        for kind in KINDS:
            c = self.by_kind.get(kind, Counter())
            lines.append(f"  {kind:22}" + "".join(f"{c[o]:>16}" for o in OUTCOMES))
        lines.append(f"  {'all':22}" + "".join(f"{self.total(o):>16}" for o in OUTCOMES))
        w = self.word_changed_in_passage
        lines.append(f"  a word changed inside the passage: {sum(w.values())} edits, "
                     f"{w['placed on the edited passage']} placed on the edited passage, "
                     f"{w['orphaned, text gone']} orphaned, {w['misplaced']} misplaced")
        return "\n".join(lines + self.failures)


def trial(rng: random.Random, text: str, kind: str, tally: Tally) -> None:
    words = [m.span() for m in _WORD.finditer(text)]
    i = rng.randrange(len(words))
    j = min(len(words) - 1, i + rng.randint(1, 30) - 1)
    if rng.random() < 0.9:  # mostly within one paragraph, as passages usually are
        while j > i and "\n\n" in text[words[i][0]:words[j][1]]:
            j -= 1
    start, end = words[i][0], words[j][1]
    prefix, suffix = anchoring.passage_context(text, start, end)
    old = _article(text)
    ann = Annotation(id="a", quote=text[start:end], prefix=prefix, suffix=suffix,
                     start=start, end=end, tags=["t"])
    stored = Annotation(id="a", quote=text[start:end], prefix=prefix, suffix=suffix,
                        start=start, end=end, tags=["t"])
    ed = edit(rng, text, start, end, kind)
    new = _article(ed.text)
    anchoring.reanchor_all(new, old.sha256, [ann])
    got = None if ann.orphaned else (ann.start, ann.end)
    places = true_places(ed, start, end)
    if places:
        if got in places:
            outcome = "right"
        elif got is None:
            keep = any(context_survived(ed, p, stored) for p in places)
            outcome = "missed" if keep else "orphaned, context gone"
        else:
            outcome = "misplaced"
    else:
        remnant = _remnant(ed, start, end, len(text))
        if got is None:
            outcome = "orphaned, text gone"
        elif remnant is not None and got[0] < remnant[1] and remnant[0] < got[1]:
            outcome = "placed on the edited passage"
        else:
            outcome = "misplaced"
        if kind == "change word":
            tally.word_changed_in_passage[outcome] += 1
    where = f"{got} {ed.text[got[0]:got[1]]!r}" if got else "orphaned"
    tally.add(kind, outcome, f"quote {text[start:end]!r} at {start}-{end} -> {where}; "
                             f"true {places}")
    if outcome in ("misplaced", "missed"):
        tally.cases.append((text, stored, ed.text))


def run(seed: int, edits: int, per_corpus: int) -> Tally:
    rng = random.Random(seed)
    texts = fixture_texts() + corpus_texts(rng, per_corpus)
    tally = Tally()
    for n in range(edits):
        trial(rng, rng.choice(texts), KINDS[n % len(KINDS)], tally)
    return tally


def corpora_present() -> bool:
    return Path(CORPORA).is_dir()
