"""Front matter is read as strictly as annotation files: one bad article is reported and read
as having no front matter; listing, indexing, searching and importing go on."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from reader.importing.importer import import_sources
from reader.library import text as textmod
from reader.library.articles import Library

BODY = "JAKARTA - Pemerintah mengumumkan sanksi baru pada Senin (3/6/2024) pagi.\n"
LAUGHS = ("---\ntitle: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
          + "".join(f"l{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
                    for i in range(9))
          + "source: *j\n---\n" + BODY)
HOSTILE = {
    "laughs": (LAUGHS, "aliases"),
    "duplicate": ("---\ntitle: One\ndate: 2024-06-01\ntitle: Two\n---\n" + BODY,
                  "line 4: duplicate key 'title'"),
    "huge-int": ("---\ntitle: Big\nn: " + "9" * 5000 + "\n---\n" + BODY,
                 "line 3: number too long"),
    "bad-date": ("---\ntitle: Tanggal\ndate: 2024-02-30\n---\n" + BODY,
                 "'2024-02-30' is not a real date"),
    "too-large": ("---\ntitle: x\nnote: " + "a" * 70_000 + "\n---\n" + BODY, "too large"),
    "python-tag": ("---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n" + BODY,
                   "unsupported tag"),
}


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the run) when the block takes longer than ``seconds``."""
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took over {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("kind", [k for k in HOSTILE if k != "bad-date"])
def test_hostile_front_matter_is_one_warning(kind: str) -> None:
    text, words = HOSTILE[kind]
    with deadline(5):
        fm, body, warnings = textmod.split_front_matter(text)
    assert len(warnings) == 1 and words in warnings[0], warnings
    assert body == BODY and not fm


def test_a_library_with_hostile_front_matter_lists_indexes_and_searches(
        config: Config, capsys: pytest.CaptureFixture[str]) -> None:
    for name, (text, _) in HOSTILE.items():
        (config.articles_dir / f"{name}.md").write_text(text, encoding="utf-8")
    lib = ["--library", str(config.library)]
    with deadline(60):
        metas = {m.id: m for m in Library(config).scan()}
        assert main([*lib, "list"]) == 0
        listed = capsys.readouterr()
        assert main([*lib, "search", "sanksi"]) == 0
        found = capsys.readouterr().out
    assert len(metas) == 2 + len(HOSTILE)
    for name, (_, words) in HOSTILE.items():
        meta = metas[name]
        assert any(words in w for w in meta.warnings), (name, meta.warnings)
        assert f"articles/{name}.md" in listed.err  # one line each on stderr
        assert name in found  # indexed as an article without front matter
    assert metas["bad-date"].date == "2024-06-03"  # from the text, since 2024-02-30 is not
    assert metas["duplicate"].title != "Two" and metas["laughs"].title != "lol"
    assert not (config.library / "pwned").exists() and not Path("pwned").exists()


def test_import_goes_on_past_hostile_articles(config: Config, tmp_path: Path) -> None:
    (config.articles_dir / "laughs.md").write_text(LAUGHS, encoding="utf-8")  # in the library
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, (text, _) in HOSTILE.items():
        (folder / f"{name}.md").write_text(text.replace("sanksi baru", f"sanksi {name}"),
                                           encoding="utf-8")
    (folder / "plain.txt").write_text("BANDUNG - Harga beras naik lagi pekan ini.\n", "utf-8")
    with deadline(60):
        report = import_sources(config, [str(folder)], update_index=False)
    assert len(report.imported) == len(HOSTILE) + 1, report.summary()
    library = Library(config)
    for item in report.imported:
        article = library.load(item.article_id)
        assert not any("front matter" in w for w in article.meta.warnings), item
    dated = next(i for i in report.imported if i.source.endswith("bad-date.md"))
    assert dated.date == "2024-06-03"
