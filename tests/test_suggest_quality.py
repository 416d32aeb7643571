"""Cue matching measured on the real corpora in ../shared/corpora (skipped when they are
absent): looking for cue text first finds what analysing every sentence finds. Prints the
figures (``pytest -s``).
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Sequence
from pathlib import Path

from reader.annotations.vocabulary import DEFAULT_TAGS
from reader.config import Config
from reader.library.articles import Library
from reader.models import Article, Tag
from reader.review import cues
from reader.search import analysis
from tests.conftest import corpora_or_skip


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
