"""The article list's rows exist once: a scan after the first screen compares with the rows
read from the metadata snapshot, not with a second copy of them (100k rows are about 80 MB),
and a snapshot another process replaced is read anew."""

from __future__ import annotations

from reader.config import Config
from reader.library.articles import Library


def test_a_scan_keeps_the_rows_the_list_shows(config: Config) -> None:
    Library(config).scan()  # the cache and its snapshot
    lib = Library(config)
    shown = lib.cached()
    assert shown
    again = lib.scan()
    assert again == shown and all(a is b for a, b in zip(again, shown, strict=True))
    assert lib.cached() == shown


def test_a_snapshot_written_by_another_process_is_read_anew(config: Config) -> None:
    Library(config).scan()
    lib = Library(config)
    before = lib.cached()
    assert before
    (config.articles_dir / "new-one.txt").write_text("A new article\n\nIt says little.\n",
                                                     encoding="utf-8")
    Library(config).scan()  # another reader: the snapshot replaced
    after = lib.cached()
    assert after is not None and len(after) == len(before) + 1
    assert "new-one" in {m.id for m in after}
    changed = lib.scan()
    assert changed == after and changed[0] is after[0]
