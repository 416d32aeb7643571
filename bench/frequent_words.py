"""Write ``reader/data/frequent-words.txt``: the words found in at least 5% of the articles of
the real corpora (``../shared/corpora``: English BBC, Indonesian Detik and IndoSum), per
language. The search index keeps word pairs and best-article tiers for these words only
(their posting lists are the long ones); any other word costs a short list anyway.

    python bench/frequent_words.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
OUT = REPO / "reader" / "data" / "frequent-words.txt"
SHARE = 0.05


def main() -> int:
    sys.path.insert(0, str(REPO))
    from reader.search.analysis import folded_words, stem

    groups = {"en": sorted(CORPORA.glob("en-bbc/*/*.txt")),
              "id": [*sorted(CORPORA.glob("id-detik/*.txt")),
                     *sorted(CORPORA.glob("id-indosum/*.txt"))]}
    lines = ["# Words in at least 5% of the articles of the corpora, per language",
             "# (bench/frequent_words.py writes this file): language, word, its stem"]
    for lang, files in groups.items():
        df: Counter[str] = Counter()
        for f in files:
            df.update(set(folded_words(f.read_text(encoding="utf-8", errors="replace"))))
        keep = sorted(w for w, c in df.items() if c >= SHARE * len(files) and w.isalpha())
        lines += [f"{lang} {w} {stem(w, lang)}" for w in keep]
        print(f"{lang}: {len(keep)} words of {len(files)} articles", file=sys.stderr)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
