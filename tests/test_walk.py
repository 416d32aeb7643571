"""The walk of articles/: never loops, never leaves articles/, never lists a file twice; ids
are unique (twins), and names that cannot be ids are reported, not crashed on."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from reader.library import walk as walkmod
from reader.library.articles import ArticleNotFound, Library
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN

TEXT = "JAKARTA - Pemerintah mengumumkan sanksi baru pada Senin pagi.\n"


def write(path: Path, text: str = TEXT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def listed(library: Library) -> tuple[dict[str, str], list[walkmod.Skipped]]:
    skipped: list[walkmod.Skipped] = []
    files = {f.id: f.path for f in library.walk(skipped)}
    return files, skipped


def test_links_are_not_followed(config: Config, tmp_path: Path) -> None:
    """Links never loop, never leave articles/ and never list a file twice: not followed."""
    d = config.articles_dir
    outside = write(tmp_path / "outside" / "secret.txt", "PASSWORD=hunter2\n")
    (d / "loop").symlink_to(d, target_is_directory=True)  # ln -s . articles/loop
    (d / "up").symlink_to(d.parent, target_is_directory=True)
    (d / "out").symlink_to(outside.parent, target_is_directory=True)
    (d / "passwd.txt").symlink_to(outside)
    (d / "etc-passwd.txt").symlink_to("/etc/passwd")
    (d / "again.txt").symlink_to(d / f"{SEED_KOMPAS}.txt")
    (d / "broken.md").symlink_to(d / "nowhere.md")
    (d / "notes.pdf").symlink_to(outside)  # not an article's name: ignored, like any .pdf
    write(d / ".drafts" / "draft.md")
    (d / "drafts").symlink_to(d / ".drafts", target_is_directory=True)
    lib = Library(config)
    files, skipped = listed(lib)
    assert sorted(files) == [SEED_LIPUTAN, SEED_KOMPAS][::-1] or sorted(files) == sorted(
        [SEED_KOMPAS, SEED_LIPUTAN])
    assert sorted(s.path for s in skipped) == sorted([
        "loop/", "up/", "out/", "passwd.txt", "etc-passwd.txt", "again.txt", "broken.md",
        "drafts/"])
    assert all("symbolic link: not followed" in s.reason for s in skipped)
    for article_id in ("passwd", "etc-passwd", "out/secret", "loop/" + SEED_KOMPAS, "again",
                       "up/articles/" + SEED_KOMPAS, ".drafts/draft", "drafts/draft",
                       "../outside/secret", "/etc/passwd", "loop/../passwd"):
        with pytest.raises(ArticleNotFound):
            lib.load(article_id)
    assert [m.id for m in lib.scan()] == sorted(files)
    assert len(lib.skipped) == len(skipped)


def test_articles_itself_may_be_a_link(tmp_path: Path) -> None:
    store = tmp_path / "elsewhere"
    write(store / "sub" / "a.md")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "articles").symlink_to(store, target_is_directory=True)
    lib = Library(Config.from_args(tmp_path / "lib"))
    assert [m.id for m in lib.scan()] == ["sub/a"] and lib.load("sub/a").text == TEXT


def test_a_fifo_named_like_an_article_is_reported_not_read(config: Config) -> None:
    os.mkfifo(config.articles_dir / "pipe.txt")
    (config.articles_dir / "pipe-link.md").symlink_to(config.articles_dir / "pipe.txt")
    files, skipped = listed(Library(config))
    assert "pipe" not in files and "pipe-link" not in files
    assert {s.path for s in skipped} == {"pipe.txt", "pipe-link.md"}
    with pytest.raises(ArticleNotFound):
        Library(config).load("pipe")


def test_names_that_cannot_be_ids_are_reported(config: Config,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    d = config.articles_dir
    write(d / "back\\slash.txt")
    write(d / "line\nbreak.md")
    write(d / "tab\tfolder" / "inside.txt")
    (d / os.fsdecode(b"latin\xe9.txt")).write_bytes(TEXT.encode())
    write(d / "Ünïcödé ✓ بحث.md")  # any script is fine
    files, skipped = listed(Library(config))
    assert "Ünïcödé ✓ بحث" in files and len(files) == 3
    assert len(skipped) == 4 and all("rename it" in s.reason for s in skipped)
    lib = ["--library", str(config.library)]
    assert main([*lib, "annotate", "back\\slash", "--quote", "sanksi", "--tag",
                 "sanctions"]) == 1  # a clear line, not a traceback
    assert "no article" in capsys.readouterr().err
    assert main([*lib, "annotate", "Ünïcödé ✓ بحث", "--quote", "sanksi baru", "--tag",
                 "sanctions"]) == 0
    assert main([*lib, "list"]) == 0
    err = capsys.readouterr().err
    assert "back\\slash.txt: its name holds a backslash" in err


def test_twins_get_unique_ids_and_are_read_once(config: Config) -> None:
    d = config.articles_dir
    write(d / "twin.md", "Versi markdown.\n")
    lib = Library(config)
    assert [m.id for m in lib.scan() if m.id.startswith("twin")] == ["twin"]
    write(d / "twin.txt", "Versi teks.\n")  # now the .txt keeps the id; the .md its extension
    write(d / "Story.TXT", "Satu.\n")
    write(d / "Story.md", "Dua.\n")
    write(d / "sub" / "x.MD", "Tiga.\n")
    metas = {m.id: m for m in lib.scan()}
    assert {i for i in metas if i[:1] in "tTSs"} == {"twin", "twin.md", "Story", "Story.TXT",
                                                    "sub/x"}
    assert metas["twin.md"].path == "twin.md" and metas["Story"].path == "Story.md"
    assert lib.load("twin").text == "Versi teks.\n" and lib.load("twin.md").text == \
        "Versi markdown.\n"
    assert lib.load("Story.TXT").text == "Satu.\n" and lib.load("sub/x").text == "Tiga.\n"
    for article_id, meta in metas.items():
        assert lib.id_for(lib.path_for(article_id)) == article_id
        assert lib.path_for(article_id) == d / meta.path
    with pytest.raises(ArticleNotFound):
        lib.load("twin.txt")  # not an id: twin.txt is "twin"
    # nothing re-read on the next scan: the ids come from the walk, the rest from the cache
    reads: list[int] = []
    lib.scan(progress=lambda done, total: reads.append(total))
    assert reads == []


def test_a_twin_whose_id_is_taken_is_reported(config: Config) -> None:
    d = config.articles_dir
    for name in ("a.txt", "a.md", "a.md.txt"):
        write(d / name, f"{name}\n")
    lib = Library(config)
    files, skipped = listed(lib)
    assert (files["a"], files["a.md"]) == ("a.txt", "a.md.txt")
    assert [s.path for s in skipped] == ["a.md"] and "taken by articles/a.md.txt" in \
        skipped[0].reason
    assert lib.load("a.md").text == "a.md.txt\n"
    with pytest.raises(ValueError):
        lib.id_for(d / "a.md")


def test_random_trees_walk_resolve_and_id_agree(tmp_path: Path) -> None:
    """Random folders of twins, odd spellings, hidden folders, links in and out of articles/
    and bad names: every listed file resolves to itself, ids are unique, nothing leaves."""
    rng = random.Random(11)
    stems = ["a", "b", "a.md", "Story", "x y", "ü", "back\\s", "nl\nx", ".hid"]
    suffixes = [".txt", ".md", ".TXT", ".Md", ".pdf", ""]
    counts = {"trees": 0, "files": 0, "links": 0, "listed": 0, "skipped": 0, "probes": 0}
    for n in range(40):
        root = tmp_path / f"lib{n}" / "articles"
        outside = write(tmp_path / f"lib{n}" / "elsewhere" / "o.txt")
        folders = [root, root / "sub", root / ".hidden", root / "sub" / "deep"]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        made: list[Path] = []
        for _ in range(rng.randint(3, 25)):
            path = rng.choice(folders) / (rng.choice(stems) + rng.choice(suffixes))
            if path.name and not path.exists() and not path.is_symlink():
                write(path, f"{path.name} {rng.random()}\n")
                made.append(path)
                counts["files"] += 1
        for _ in range(rng.randint(0, 6)):
            where = rng.choice(folders) / f"link{rng.randint(0, 9)}{rng.choice(suffixes)}"
            target = rng.choice([*made, *folders, outside, outside.parent, root.parent,
                                 root / "missing.txt"] if made else [outside])
            if not where.exists() and not where.is_symlink():
                where.symlink_to(target)
                counts["links"] += 1
        skipped: list[walkmod.Skipped] = []
        files = list(walkmod.walk(root, skipped))
        ids = [f.id for f in files]
        assert len(ids) == len(set(ids)), ids
        real_root = os.path.realpath(root)
        for f in files:
            assert walkmod.resolve(root, f.id) == f, f
            assert walkmod.article_id(root, f.path) == f.id, f
            assert os.path.realpath(root / f.path).startswith(real_root + os.sep)
        for _ in range(30):  # any id the walk does not list resolves to nothing
            probe = "/".join(rng.choice(["sub", "deep", ".hidden", "link1", "a", "..", "x y"])
                             for _ in range(rng.randint(0, 2)))
            probe = (probe + "/" if probe else "") + rng.choice(stems) + rng.choice(
                ["", ".md", ".txt", ".TXT"])
            found = walkmod.resolve(root, probe)
            assert found is None or found.id in ids, probe
            counts["probes"] += 1
        counts["trees"] += 1
        counts["listed"] += len(files)
        counts["skipped"] += len(skipped)
    print(f"walk: {counts}")
    assert counts["listed"] > 100 and counts["skipped"] > 20


def test_a_renamed_article_keeps_its_annotations(config: Config,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An id is a path: renaming the file leaves its annotations where they were, reported by
    check and never deleted; moving the annotation file along brings them back."""
    lib = ["--library", str(config.library)]
    assert main([*lib, "annotate", SEED_LIPUTAN, "--quote", "berjabat tangan cukup lama",
                 "--tag", "treaties"]) == 0
    old = config.annotations_dir / f"{SEED_LIPUTAN}.yaml"
    before = old.read_bytes()
    (config.articles_dir / "2024").mkdir()
    (config.articles_dir / f"{SEED_LIPUTAN}.txt").rename(config.articles_dir / "2024" / "putin.txt")
    capsys.readouterr()
    assert main([*lib, "check"]) == 1
    assert f"no article {SEED_LIPUTAN}" in capsys.readouterr().out
    assert main([*lib, "annotations"]) == 0 and "berjabat tangan" in capsys.readouterr().out
    assert old.read_bytes() == before
    (config.annotations_dir / "2024").mkdir()
    text = before.decode().replace(f"article: {SEED_LIPUTAN}", "article: 2024/putin")
    (config.annotations_dir / "2024" / "putin.yaml").write_text(text, encoding="utf-8")
    old.unlink()
    assert main([*lib, "check"]) == 0
    assert main([*lib, "annotations", "2024/putin"]) == 0
    assert "berjabat tangan" in capsys.readouterr().out
