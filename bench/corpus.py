"""Build a library of N articles for benchmarks from the real corpora in ``../shared/corpora``.

    python bench/corpus.py N DEST          # DEST/articles/... and DEST/annotations/
    from bench.corpus import build_corpus  # build_corpus(n, dest) -> dest

Texts come from English BBC news, Indonesian Detik and IndoSum news, interleaved so every
size holds both languages. Past the ~6,300 real articles they are repeated with varied ids
and small variations (date moved, one paragraph dropped or moved, a short update line) so
no two files are byte-identical. Each file gets YAML front matter (title, source, date,
language, place for a share of them). Only when the corpora are absent is text generated.

A finished build writes ``DEST/.corpus.json``; calling again with the same N reuses it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
PER_FOLDER = 1000
VERSION = 1

PLACES_ID = ["Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Pyongyang", "Moskow"]
PLACES_EN = ["London", "Manchester", "Edinburgh", "Cardiff", "Brussels", "Washington"]
UPDATES = {
    "id": "Pembaruan {r}: berita ini diperbarui dengan keterangan tambahan.",
    "en": "Update {r}: this story has been updated with further details.",
}


@dataclass(frozen=True, slots=True)
class Base:
    key: str  # e.g. "en-bbc/business/001"
    language: str
    source: str
    date: str  # ISO or ""
    title: str
    paragraphs: tuple[str, ...]


def _split(text: str) -> tuple[str, list[str]]:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return "", parts
    return parts[0], parts[1:]


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


def _detik_date(raw: str) -> str:
    try:
        return dt.datetime.strptime(raw.strip(), "%m/%d/%Y %H:%M").date().isoformat()
    except ValueError:
        return ""


def load_bases(corpora: Path = CORPORA) -> list[Base]:
    """The real articles, interleaved en/id-detik/id-indosum; [] when the corpora are absent."""
    groups: list[list[Base]] = []
    bbc = corpora / "en-bbc"
    if bbc.is_dir():
        items: list[Base] = []
        for path in sorted(bbc.glob("*/*.txt")):
            title, paras = _split(path.read_text(encoding="utf-8", errors="replace"))
            if paras:
                # BBC items carry no date: spread them over 2004-2005 deterministically.
                day = dt.date(2004, 1, 1) + dt.timedelta(days=(len(items) * 7) % 700)
                items.append(Base(f"en-bbc/{path.parent.name}/{path.stem}", "en", "BBC News",
                                  day.isoformat(), title or path.stem, tuple(paras)))
        groups.append(items)
    for name, lang in (("id-detik", "id"), ("id-indosum", "id")):
        folder = corpora / name
        if not folder.is_dir():
            continue
        manifest = _manifest(folder)
        items = []
        for path in sorted(folder.glob("*.txt")):
            title, paras = _split(path.read_text(encoding="utf-8", errors="replace"))
            row = manifest.get(path.name, {})
            if name == "id-detik":
                source, date = "detikcom", _detik_date(row.get("date", ""))
            else:
                source = (row.get("source") or "IndoSum").strip()
                day = dt.date(2016, 6, 1) + dt.timedelta(days=(len(items) * 3) % 500)
                date = day.isoformat()
            if paras:
                items.append(Base(f"{name}/{path.stem}", lang, source, date,
                                  title or row.get("title", "") or path.stem, tuple(paras)))
        groups.append(items)
    out: list[Base] = []
    longest = max((len(g) for g in groups), default=0)
    for i in range(longest):
        for g in groups:
            if i < len(g):
                out.append(g[i])
    return out


_WORDS = {
    "id": ("pemerintah presiden menteri kerja sama militer sanksi kunjungan ekonomi harga "
           "inflasi rakyat daerah berpelukan persenjataan bekerja dikerjakan pertemuan "
           "kebijakan perdagangan keamanan wilayah laporan").split(),
    "en": ("government minister sanctions visit economy prices inflation people region "
           "military cooperation meeting policy trade security report election market "
           "company profits growth players match").split(),
}


def generated_bases(count: int = 600, seed: int = 7) -> list[Base]:
    """Plain generated articles in both languages, for machines without the corpora."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        lang = "en" if i % 3 == 0 else "id"
        words = _WORDS[lang]
        paras = tuple(
            " ".join(rnd.choice(words) for _ in range(rnd.randint(25, 60))).capitalize() + "."
            for _ in range(rnd.randint(4, 10)))
        title = " ".join(rnd.choice(words) for _ in range(6)).capitalize()
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i % 365)
        out.append(Base(f"generated/{i:05d}", lang, "Generated", day.isoformat(), title, paras))
    return out


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def render(base: Base, index: int, round_: int) -> str:
    """The file text for copy ``round_`` of ``base`` (round 0 is the article as it is)."""
    paras = list(base.paragraphs)
    date = base.date
    title = base.title
    if round_ > 0:
        rnd = random.Random(index)
        if len(paras) > 3:
            victim = paras.pop(rnd.randrange(1, len(paras)))
            if round_ % 2:
                paras.insert(rnd.randrange(1, len(paras)), victim)
        paras.append(UPDATES.get(base.language, UPDATES["en"]).format(r=round_))
        if date:
            day = dt.date.fromisoformat(date) + dt.timedelta(days=round_ * 11)
            date = day.isoformat()
        title = f"{title} ({round_ + 1})"
    places = PLACES_ID if base.language == "id" else PLACES_EN
    lines = ["---", f"title: {_yaml_str(title)}", f"source: {_yaml_str(base.source)}"]
    if date:
        lines.append(f"date: {date}")
    lines.append(f"language: {base.language}")
    if index % 3 == 0:
        lines.append(f"place: {places[index % len(places)]}")
    lines.append("---")
    return "\n".join(lines) + "\n" + "\n\n".join(paras) + "\n"


def build_corpus(n: int, dest: Path | str, *, corpora: Path = CORPORA) -> Path:
    """Write ``n`` articles to ``dest/articles`` (and an empty ``dest/annotations``)."""
    dest = Path(dest)
    marker = dest / ".corpus.json"
    spec = {"n": n, "version": VERSION, "corpora": corpora.is_dir()}
    if marker.is_file():
        try:
            if json.loads(marker.read_text(encoding="utf-8")) == spec:
                return dest
        except (OSError, ValueError):
            pass
        # An earlier build of ours with another size: start afresh (never a user's folder,
        # which has no marker).
        shutil.rmtree(dest / "articles", ignore_errors=True)
        marker.unlink()
    bases = load_bases(corpora) or generated_bases()
    articles = dest / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    (dest / "annotations").mkdir(exist_ok=True)
    made: set[Path] = set()
    for i in range(n):
        base = bases[i % len(bases)]
        round_ = i // len(bases)
        folder = articles / f"{i // PER_FOLDER:04d}"
        if folder not in made:
            folder.mkdir(exist_ok=True)
            made.add(folder)
        name = f"{i:06d}_{base.key.replace('/', '-')}.txt"
        (folder / name).write_text(render(base, i, round_), encoding="utf-8")
    marker.write_text(json.dumps(spec), encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("dest", type=Path, help="library folder to create")
    args = parser.parse_args(argv)
    dest = build_corpus(args.n, args.dest)
    print(f"{args.n} articles in {dest / 'articles'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
