"""Annotation store timings: summary() of a library with many annotation files (cold, then
warm from the stat cache), and one add() into a file of 200 annotations, vs the pure-Python
strict loader as a baseline in the same run."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from reader import yamlio
from reader.annotations.format import to_raw
from reader.annotations.store import AnnotationStore
from reader.models import Annotation

FILES = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
PER_FILE = 10


def populate(root: Path) -> AnnotationStore:
    store = AnnotationStore(root / "annotations")
    quote = "Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un berpelukan"
    for i in range(FILES):
        anns = [to_raw(Annotation(f"{i:04x}{k:012x}", quote, "prefix context 1234567890",
                                  "suffix context 1234567890", k * 300, k * 300 + len(quote),
                                  ["sanctions", "treaties"][: 1 + k % 2], "note",
                                  "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"))
                for k in range(PER_FILE)]
        path = store.path_for(f"feed/{i:05d}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yamlio.dump({"article": f"feed/{i:05d}", "text_sha256": "x",
                                     "version": 1, "annotations": anns}), encoding="utf-8")
    return store


def timed(fn: object) -> float:
    t = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = populate(Path(tmp))
        cold = timed(store.summary)
        warm = timed(store.summary)
        fast = yamlio.LOADER
        yamlio.LOADER = yamlio.StrictLoader
        baseline = timed(AnnotationStore(store.dir).summary)
        yamlio.LOADER = fast
        print(f"summary of {FILES} files x {PER_FILE} annotations: cold {cold:.2f} s, "
              f"warm {warm * 1000:.0f} ms; pure-Python loader cold {baseline:.2f} s "
              f"(x{baseline / cold:.1f} slower)")


if __name__ == "__main__":
    main()
