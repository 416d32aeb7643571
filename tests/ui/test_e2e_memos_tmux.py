"""End to end in a real terminal: open an article, M lists its memos, a writes one (kind and
text typed, ctrl+s saves), it is on disk as Markdown with front matter; memo: finds the
article from the search box; ctrl+s there saves the search; ctrl+q quits cleanly."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from reader.annotations.memos import MemoStore
from tests.ui.conftest import Tmux, needs_tmux, reader_command

pytestmark = needs_tmux


def test_a_memo_written_in_the_reader_is_a_file_and_searchable(library_dir: Path,
                                                                 tmux: Tmux,
                                                                 tmp_path: Path) -> None:
    status = tmp_path / "exit-status"
    command = " ".join(shlex.quote(p) for p in [*reader_command(), "--library",
                                                str(library_dir)])
    tmux.start(f"{command}; echo $? > {shlex.quote(str(status))}", 100, 30)
    tmux.wait_for(tmux.shows("2 articles"), "the list")
    tmux.keys("Enter")
    tmux.wait_for(lambda: " words" in tmux.screen() and "Sentence" in tmux.screen(),
                  "the article")
    tmux.keys("M")
    tmux.wait_for(tmux.shows("Memos of article"), "the memos of the article")
    tmux.keys("a")
    tmux.wait_for(tmux.shows("New memo on article"), "the memo dialog")
    tmux.type("Dateline checked against the wire")
    tmux.keys("BTab")  # to the kind
    tmux.type("method")
    tmux.keys("C-s")
    tmux.wait_for(tmux.shows("Memo saved"), "the memo saved")
    [memo] = MemoStore(library_dir / "annotations").load_all()[0]
    assert (memo.scope, memo.kind, memo.text) == ("article", "method",
                                                 "Dateline checked against the wire")
    front = memo.path.read_text(encoding="utf-8").split("---\n")[1]
    assert yaml.safe_load(front)["about"] == memo.about

    tmux.keys("Escape")
    tmux.wait_for(lambda: "Memos of" not in tmux.screen(), "back to reading")
    tmux.keys("/")
    tmux.type("memo:wire")
    tmux.wait_for(tmux.shows("1 result"), "memo: finds the article")
    tmux.keys("C-s")
    tmux.wait_for(tmux.shows("Save the search"), "the name asked")
    tmux.type("checked")
    tmux.keys("Enter")
    tmux.wait_for(tmux.shows("Saved as @checked"), "the search saved")
    saved = yaml.safe_load((library_dir / "annotations" / "searches.yml").read_text(
        encoding="utf-8"))
    assert saved["searches"][0]["query"] == "memo:wire"

    tmux.keys("C-q")
    tmux.wait_for(status.exists, "the app to quit")
    assert status.read_text().strip() == "0"
