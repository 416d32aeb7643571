"""Import never follows a link out of the imported folder, never hangs on a hostile page, never
makes two articles share an id, and reports every article it wrote, even when interrupted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.config import Config
from reader.importing import importer, sandbox
from reader.importing.importer import ImportItem, import_sources
from reader.library.articles import Library

STORY = ("JAKARTA - Pemerintah mengumumkan sanksi baru terhadap perusahaan tambang itu pada "
         "hari Senin, setelah penyelidikan panjang atas pelanggaran izin ekspor. ")


def page(words: str, extra_attrs: int = 0) -> bytes:
    attrs = " ".join(f"data-a{i}='x'" for i in range(extra_attrs))
    return (f"<html><head><title>{words}</title></head><body><article><h1>{words}</h1>"
            f"<p {attrs}>{STORY * 3}{words}</p><p>{STORY}</p></article></body></html>").encode()


def texts(config: Config) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in config.articles_dir.rglob("*") if p.is_file())


def test_a_folder_import_never_follows_links_out(config: Config, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    (folder / "inner").mkdir(parents=True)
    (folder / "good.html").write_bytes(page("Berita satu"))
    (folder / "inner" / "two.html").write_bytes(page("Berita dua"))
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "hosts.md").symlink_to("/etc/hosts")
    (folder / "etc").symlink_to("/etc", target_is_directory=True)
    (folder / "again.html").symlink_to(folder / "inner" / "two.html")  # inside: followed
    os.mkfifo(folder / "pipe.html")  # would block a reader forever
    report = import_sources(config, [str(folder)], update_index=False)
    reasons = {Path(i.source).name: i.reason for i in report.failed}
    assert reasons == {
        "passwd.txt": "a link to a file outside the folder imported: not followed",
        "hosts.md": "a link to a file outside the folder imported: not followed",
        "etc": "a link to a folder outside the folder imported: not followed",
        "pipe.html": "not a regular file (a pipe or a device)"}
    assert sorted(Path(i.source).name for i in report.imported) == ["again.html", "good.html"]
    assert [Path(i.source).name for i in report.duplicates] == ["two.html"]  # same text
    assert "root:x:0" not in texts(config) and "localhost" not in texts(config)


def test_a_page_that_hangs_the_parser_fails_alone(config: Config, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """lxml takes minutes over one tag with 100,000 attributes; the import gives up on that
    page after EXTRACT_SECONDS and goes on with the next."""
    monkeypatch.setattr(sandbox, "EXTRACT_SECONDS", 3.0)
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a-good.html").write_bytes(page("Berita pertama"))
    (folder / "b-hostile.html").write_bytes(page("Berita jahat", extra_attrs=100_000))
    (folder / "c-good.html").write_bytes(page("Berita ketiga"))
    started = time.monotonic()
    report = import_sources(config, [str(folder)], update_index=False)
    took = time.monotonic() - started
    assert [Path(i.source).name for i in report.imported] == ["a-good.html", "c-good.html"]
    [failed] = report.failed
    assert "took over 3 s" in failed.reason and took < 30


def test_an_import_never_makes_twins(config: Config, tmp_path: Path) -> None:
    (config.articles_dir / "story.txt").write_text("Cerita lama di sini.\n", encoding="utf-8")
    (config.articles_dir / "catatan.md").write_text("Catatan lama di sini.\n", encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "story.md").write_text("---\ntitle: story\n---\n" + STORY, encoding="utf-8")
    (src / "catatan.txt").write_text("catatan\n\n" + STORY + "lagi.", encoding="utf-8")
    report = import_sources(config, [str(src / "story.md"), str(src / "catatan.txt")],
                            update_index=False)
    names = sorted(i.path for i in report.imported)
    assert names == ["catatan-2.txt", "story-2.md"]
    ids = [m.id for m in Library(config).scan()]
    assert len(ids) == len(set(ids)) and "story-2" in ids and "catatan-2" in ids
    assert [i.article_id for i in report.imported] == ["story-2", "catatan-2"]


def test_every_article_written_is_reported_even_when_interrupted(
        config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for k in range(4):
        (folder / f"{k}.txt").write_text(f"Judul {k}\n\n{STORY} Nomor {k}.\n", encoding="utf-8")
    reported: list[ImportItem] = []

    def progress(n: int, total: int, source: str) -> None:
        if n == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_sources(config, [str(folder)], update_index=False, progress=progress,
                       on_item=reported.append)
    written = sorted(p.name for p in config.articles_dir.iterdir() if p.name.startswith("judul"))
    assert sorted(i.path for i in reported) == written and len(written) == 2
    # the command line prints each article as it is written, before the summary
    assert main(["--library", str(config.library), "import", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count("imported articles/") == 2  # the other two: duplicates, on stderr


def test_half_written_imports_left_by_a_kill_are_cleaned(config: Config, tmp_path: Path) -> None:
    d = config.articles_dir
    stale = d / ".import-4242-abcd_xyz.part"
    fresh = d / ".import-4243-efgh_xyz.part"
    mine = d / ".import-notes.part"
    for p in (stale, fresh, mine):
        p.write_text("half", encoding="utf-8")
    old = time.time() - 600
    os.utime(stale, (old, old))
    os.utime(mine, (old, old))
    src = tmp_path / "x.txt"
    src.write_text("Sebuah judul\n\n" + STORY, encoding="utf-8")
    assert import_sources(config, [str(src)], update_index=False).imported
    assert not stale.exists() and fresh.exists() and mine.exists()
    assert importer.clean_stale_parts(d, max_age=0) == 1 and not fresh.exists()
