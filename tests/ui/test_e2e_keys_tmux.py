"""End to end in a real terminal: the sequence that once did harm. Open an article, tag a
sentence, Esc to the list, type ``qatar``, ``u``, ``d``, ``t``: the words go to the search box,
nothing is undone, deleted or tagged, and the app is still up; ctrl+q quits."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from tests.ui.conftest import Tmux, folder_digest, needs_tmux, reader_command

pytestmark = needs_tmux


def test_typing_in_the_list_after_tagging_changes_nothing(library_dir: Path, tmux: Tmux,
                                                          tmp_path: Path) -> None:
    status = tmp_path / "exit-status"
    command = " ".join(shlex.quote(p) for p in [*reader_command(), "--library",
                                                str(library_dir)])
    tmux.start(f"{command}; echo $? > {shlex.quote(str(status))}", 100, 30)
    tmux.wait_for(tmux.shows("2 articles"), "the list")
    tmux.keys("Enter")
    tmux.wait_for(lambda: " words" in tmux.screen() and "Sentence" in tmux.screen(),
                  "the article")
    tmux.keys("s", "t")
    tmux.wait_for(tmux.shows("sanctions"), "the tag picker")
    tmux.keys("1", "Enter")
    annotations = library_dir / "annotations"
    tmux.wait_for(lambda: any(annotations.glob("*.yaml")), "the annotation file")
    tmux.wait_for(tmux.shows("Tagged “"), "the confirmation")
    [saved] = list(annotations.glob("*.yaml"))
    assert len(yaml.safe_load(saved.read_text(encoding="utf-8"))["annotations"]) == 1
    before = folder_digest(annotations)

    tmux.keys("Escape")  # back to the list: its keys in the footer (a letter sent at once after
    # Esc may reach the terminal with it, as alt+letter)
    tmux.wait_for(tmux.shows("o Sort"), "the list to have the focus")
    tmux.type("qatar")
    tmux.keys("u", "d", "t")
    tmux.wait_for(tmux.shows("qatarudt"), "the typed words in the search box")
    assert tmux.alive() and not status.exists()
    assert folder_digest(annotations) == before
    assert "Deleted" not in tmux.screen() and "Undone" not in tmux.screen()

    tmux.keys("C-q")
    tmux.wait_for(status.exists, "the app to quit")
    assert status.read_text().strip() == "0"
    assert folder_digest(annotations) == before
