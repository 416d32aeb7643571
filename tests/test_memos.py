"""Memos: the files (layout, front matter, hand-added keys), broken files reported and never
rewritten, edits that would lose a text refused, finding a memo by what people type, the
Markdown export's section, and ``reader memo`` run as a user runs it."""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import pytest

from reader.annotations.memos import (
    Memo,
    MemoChanged,
    MemoFileError,
    MemoNotFound,
    MemoStore,
    MemoText,
    select,
)
from reader.review.export import memos_markdown
from tests.cli_helpers import ok, one_line_error, run
from tests.conftest import SEED_KOMPAS, SEED_LIPUTAN, corpora_or_skip

T0 = "2026-11-25T10:00:00Z"


@pytest.fixture
def store(tmp_path: Path) -> MemoStore:
    return MemoStore(tmp_path / "annotations")


def test_a_memo_is_a_markdown_file_with_front_matter(store: MemoStore) -> None:
    memo = store.add("tag", " military   cooperation/arms transfer ",
                     "# Arms transfers\n\nCalled *kerja sama* more often than trade.\n\n",
                     "theory", created=T0)
    assert memo.id == "tag/military-cooperation/arms-transfer/2026-11-25-arms-transfers"
    assert memo.path == store.dir / f"{memo.id}.md"
    assert memo.path.read_text(encoding="utf-8") == (
        "---\nscope: tag\nabout: military cooperation/arms transfer\nkind: theory\n"
        f"created: '{T0}'\nupdated: '{T0}'\n---\n"
        "# Arms transfers\n\nCalled *kerja sama* more often than trade.\n")
    assert (memo.title, memo.date, memo.subject) == (
        "Arms transfers", "2026-11-25", "tag military cooperation/arms transfer")
    assert store.get(memo.id) == memo


def test_the_three_scopes_list_in_order_and_filter(store: MemoStore) -> None:
    a = store.add("article", "detik/00896", "Check the dateline", "to do", created=T0)
    lib = store.add("library", "", "Sampling: Detik and BBC", "method", created=T0)
    t = store.add("tag", "Sanctions", "Do they work?", created=T0)
    assert a.id == "article/detik/00896/2026-11-25-check-the-dateline"
    assert lib.id == "library/2026-11-25-sampling-detik-and-bbc" and lib.about == ""
    memos, errors = store.load_all()
    assert [m.id for m in memos] == [lib.id, t.id, a.id] and errors == []
    assert store.find("tag", "sanctions")[0] == [t]  # a tag's name without case
    assert store.find("article", "detik/00896")[0] == [a]
    assert store.find(kind="TO  DO")[0] == [a]
    assert store.find(kind="theory")[0] == []
    assert list(store.texts()) == [MemoText("library", "", "Sampling: Detik and BBC"),
                                   MemoText("tag", "Sanctions", "Do they work?"),
                                   MemoText("article", "detik/00896", "Check the dateline")]
    # the same title on the same day: a second file, not an overwrite
    again = store.add("article", "detik/00896", "Check the dateline", created=T0)
    assert again.id.endswith("check-the-dateline-2") and store.get(a.id) == a


@pytest.mark.parametrize(("scope", "about", "text", "kind", "message"), [
    ("library", "", " \n\n ", "", "cannot be empty"),
    ("article", "  ", "x", "", "needs its id"),
    ("article", "../up", "x", "", "invalid article id"),
    ("tag", "", "x", "", "needs its name"),
    ("shelf", "x", "x", "", "one of: library, article, tag"),
    ("library", "", "x", "a" * 41, "at most 40"),
    ("library", "", "x", "to\x07do", "control characters"),
])
def test_what_cannot_be_a_memo_is_refused(store: MemoStore, scope, about, text, kind,
                                          message) -> None:
    with pytest.raises(ValueError, match=message):
        store.add(scope, about, text, kind)
    assert not store.dir.exists()


def test_an_edit_keeps_hand_added_keys_and_the_creation_date(store: MemoStore) -> None:
    memo = store.add("library", "", "First thoughts", created=T0)
    text = memo.path.read_text(encoding="utf-8")
    memo.path.write_text(text.replace("---\nFirst", "source: interview 3\n---\nFirst"),
                         encoding="utf-8")
    edited = store.edit(memo.id, text="Second thoughts\r\nand a line", kind="question")
    assert edited.text == "Second thoughts\nand a line" and edited.kind == "question"
    assert edited.created == T0 and edited.updated > T0
    assert edited.extra == {"source": "interview 3"}
    assert "source: interview 3\n---\nSecond thoughts\nand a line\n" in \
        edited.path.read_text(encoding="utf-8")
    same = store.edit(memo.id, text="Second thoughts\nand a line")
    assert same.updated == edited.updated  # nothing changed: not written


def test_dates_typed_by_hand_and_windows_line_ends_read_as_meant(store: MemoStore) -> None:
    path = store.dir / "library" / "typed.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\nscope: library\ncreated: 2026-11-25 12:00:00+02:00\n"
                    "updated: 2026-11-26\n---\nTyped\n", encoding="utf-8")
    memo = store.get("library/typed")
    assert (memo.created, memo.updated) == ("2026-11-25T10:00:00Z", "2026-11-26")
    path.write_bytes(b"---\r\nscope: library\r\n---\r\nSaved on Windows\r\nline two\r\n")
    assert store.get("library/typed").text == "Saved on Windows\nline two"


def test_an_edit_from_an_old_copy_is_refused_and_nothing_is_lost(store: MemoStore) -> None:
    memo = store.add("library", "", "Version one", created=T0)
    store.edit(memo.id, text="Version two (another window)")
    before = memo.path.read_bytes()
    with pytest.raises(MemoChanged, match="changed"):
        store.edit(memo.id, text="Version three", expected=memo)
    with pytest.raises(MemoChanged):
        store.delete(memo.id, expected=memo)
    assert memo.path.read_bytes() == before


BROKEN = {
    "no-front-matter.md": ("Just text\n", 1, "no front matter"),
    "unclosed.md": ("---\nscope: library\n", 1, "not closed"),
    "bad-yaml.md": ("---\nscope: library\nkind: [theory\n---\ntext\n", 3, "flow sequence"),
    "scope.md": ("---\nscope: shelf\n---\ntext\n", 2, "scope must be one of"),
    "number.md": ("---\nscope: article\nabout: 123\n---\ntext\n", 3, "quote a number"),
    "conflict.md": ("---\nscope: library\n---\nmine\n<<<<<<< HEAD\nx\n=======\ny\n"
                    ">>>>>>> other\n", 5, "git conflict marker"),
    "alias.md": ("---\nscope: &s library\nkind: *s\n---\ntext\n", 2, "not allowed"),
    "python.md": ("---\nscope: !!python/object/apply:os.system [echo hi]\n---\nx\n", 2,
                  "unsupported tag"),
    "date.md": ("---\nscope: library\ncreated: [1]\n---\ntext\n", 3, "created must be"),
}


def test_broken_memo_files_are_reported_with_their_line_and_never_rewritten(
        store: MemoStore) -> None:
    good = store.add("library", "", "A good memo\n\nTitle\n=======\n", created=T0)
    folder = store.dir / "library"
    for name, (content, _, _) in BROKEN.items():
        (folder / name).write_text(content, encoding="utf-8")
    memos, errors = store.load_all()
    assert memos == [good]  # a Markdown heading underline is no conflict marker
    by_name = {e.path.name: e for e in errors}
    assert set(by_name) == set(BROKEN)
    for name, (_, line, reason) in BROKEN.items():
        err = by_name[name]
        assert err.line == line, (name, err)
        assert reason in err.reason, (name, err)
        assert str(err).startswith(f"{folder / name}:{line}: ")
    for name in BROKEN:
        memo_id = f"library/{name[:-3]}"
        before = (folder / name).read_bytes()
        with pytest.raises(MemoFileError):
            store.get(memo_id)
        with pytest.raises(MemoFileError):
            store.edit(memo_id, text="overwrite")
        with pytest.raises(MemoFileError):
            store.delete(memo_id)
        assert (folder / name).read_bytes() == before


def test_a_memo_is_found_by_id_file_or_the_end_of_its_id(store: MemoStore,
                                                          monkeypatch) -> None:
    a = store.add("tag", "sanctions", "Arms transfers", created=T0)
    b = store.add("tag", "treaties", "Arms control treaties", created=T0)
    assert store.resolve(a.id) == a.id
    assert store.resolve(str(a.path)) == a.id
    monkeypatch.chdir(store.annotations_dir.parent)
    assert store.resolve(f"annotations/memos/{a.id}.md") == a.id
    assert store.resolve(f"{a.id}.md") == a.id
    assert store.resolve("transfers") == a.id
    assert store.resolve("2026-11-25-arms-control-treaties") == b.id
    store.add("tag", "treaties", "Arms transfers", created=T0)
    with pytest.raises(MemoNotFound, match="names 2 memos"):
        store.resolve("transfers")
    assert store.resolve("sanctions/2026-11-25-arms-transfers") == a.id
    with pytest.raises(MemoNotFound, match="no memo"):
        store.resolve("2026-11-25-arms")  # the end of an id, not its start
    with pytest.raises(MemoNotFound):
        store.get("../../vocabulary")


def test_deleting_removes_the_file_and_the_folders_it_leaves_empty(store: MemoStore) -> None:
    a = store.add("article", "detik/00896", "One", created=T0)
    b = store.add("article", "detik/00897", "Two", created=T0)
    store.delete(a.id)
    assert not a.path.exists() and not (store.dir / "article" / "detik" / "00896").exists()
    assert b.path.exists() and store.load_all()[0] == [b]


def test_a_report_holds_the_memos_on_its_tags_and_articles() -> None:
    def memo(scope: str, about: str) -> Memo:
        return Memo(f"{scope}/{about}", scope, about, "", "t", T0, T0,  # type: ignore[arg-type]
                    Path("x"))

    memos = [memo("library", ""), memo("tag", "Sanctions"), memo("tag", "treaties"),
             memo("article", "a"), memo("article", "b")]
    assert select(memos) == memos
    assert [m.id for m in select(memos, articles={"a"}, tags={"sanctions"})] == [
        "library/", "tag/Sanctions", "article/a"]


def test_the_markdown_section_nests_a_memo_s_headings() -> None:
    text = "# Heading\n\nText\n\n```\n# not a heading\n```\n###### deep"
    memo = Memo("tag/t/2026-11-25-heading", "tag", "t", "theory", text, T0, T0, Path("x"))
    md = memos_markdown([memo])
    assert md.startswith("\n## Memos\n\n### Tag: t\n\n#### 2026-11-25 · theory\n\n")
    assert "\n##### Heading\n" in md and "\n# not a heading\n" in md
    assert "\n###### deep\n" in md
    assert memos_markdown([]) == ""


def test_random_memos_from_real_articles_read_back_whole(store: MemoStore) -> None:
    corpora = corpora_or_skip()
    rng = random.Random(15)
    files = sorted(corpora.glob("*/**/*.txt"))
    picked = rng.sample(files, min(120, len(files)))
    kinds = ["theory", "method", "to do", "question", "", "Catatan lapangan", "理论"]
    written: dict[str, Memo] = {}
    for f in picked:
        paragraphs = [p for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        text = "\n\n".join(rng.sample(paragraphs, min(3, len(paragraphs))))
        scope = rng.choice(["library", "article", "tag"])
        about = {"library": "", "article": f.relative_to(corpora).with_suffix("").as_posix(),
                 "tag": rng.choice(["sanctions", "military cooperation/arms transfer",
                                    "kerja sama", "Ökonomie"])}[scope]
        memo = store.add(scope, about, text, rng.choice(kinds))  # type: ignore[arg-type]
        written[memo.id] = memo
    memos, errors = store.load_all()
    assert errors == [] and {m.id: m for m in memos} == written
    for memo in memos:
        assert store.get(memo.id).text == memo.text
    counts = {s: sum(m.scope == s for m in memos) for s in ("library", "article", "tag")}
    print(f"memos from {len(picked)} real articles: {counts}, "
          f"{sum(len(m.text) for m in memos):,} characters")
    assert len(written) == len(picked)


# -- reader memo ------------------------------------------------------------------------------
@pytest.fixture
def lib(library_dir: Path) -> Path:
    return library_dir


def test_memo_commands_add_list_show_edit_delete(lib: Path) -> None:
    out = ok(run("memo", "add", "--text", "Sampling:", "two", "seeds", "--kind", "method",
                 cwd=lib))
    lib_id = out.split()[-1]
    assert lib_id.startswith("library/") and lib_id.endswith("-sampling-two-seeds")
    ok(run("memo", "add", "--tag", "military", "cooperation", "--kind", "to", "do",
           "--text", "Arms", "or", "aid?", cwd=lib))
    ok(run("memo", "add", "--article", f"articles/{SEED_KOMPAS}.txt", cwd=lib,
           piped="Check the dateline\n\nKOMPAS.TV or Kompas.com?\n"))
    listed = json.loads(ok(run("memo", "list", "--json", cwd=lib)))
    assert [(m["scope"], m["about"], m["kind"], m["title"]) for m in listed] == [
        ("library", "", "method", "Sampling: two seeds"),
        ("tag", "military cooperation", "to do", "Arms or aid?"),
        ("article", SEED_KOMPAS, "", "Check the dateline")]
    lines = ok(run("memo", "list", "--tag", "Military", "Cooperation", cwd=lib)).splitlines()
    assert len(lines) == 1 and lines[0].split("\t")[1:4] == [
        listed[1]["created"][:10], "to do", "tag military cooperation"]
    assert ok(run("memo", "list", "--whole-library", cwd=lib)).startswith(lib_id)
    assert ok(run("memo", "list", "--article", SEED_KOMPAS, cwd=lib)).count("\n") == 1
    shown = ok(run("memo", "show", "dateline", cwd=lib))
    assert shown.endswith("Check the dateline\n\nKOMPAS.TV or Kompas.com?\n")
    assert f"article {SEED_KOMPAS}" in shown.splitlines()[0]
    ok(run("memo", "edit", "dateline", "--kind", "to do", cwd=lib))
    ok(run("memo", "edit", "dateline", "--text", "Kompas.com, settled", cwd=lib))
    memo = json.loads(ok(run("memo", "show", "dateline", "--json", cwd=lib)))
    assert (memo["kind"], memo["text"]) == ("to do", "Kompas.com, settled")
    assert ok(run("memo", "delete", lib_id, cwd=lib)) == f"deleted memo {lib_id}\n"
    assert len(json.loads(ok(run("memo", "list", "--json", cwd=lib)))) == 2


def test_memo_commands_say_what_is_wrong_in_one_line(lib: Path) -> None:
    assert "unknown tag “nope”" in one_line_error(
        run("memo", "add", "--tag", "nope", "--text", "x", cwd=lib))
    assert "no article" in one_line_error(
        run("memo", "add", "--article", "missing", "--text", "x", cwd=lib))
    assert "empty memo" in one_line_error(run("memo", "add", cwd=lib, piped="\n \n"))
    assert "no memo 'nothing'" in one_line_error(run("memo", "show", "nothing", cwd=lib))
    assert "needs the MEMO" in one_line_error(run("memo", "edit", cwd=lib), code=2)
    one_line_error(run("memo", "show", "x", "--tag", "sanctions", cwd=lib), code=2)
    one_line_error(run("memo", "rename", cwd=lib), code=2)
    broken = lib / "annotations" / "memos" / "library" / "broken.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\nscope: library\nkind: [x\n---\ntext\n", encoding="utf-8")
    assert f"{broken}:3:" in one_line_error(run("memo", "show", "broken", cwd=lib))
    assert f"{broken}:3:" in one_line_error(run("memo", "edit", "broken", "--text", "y",
                                                cwd=lib))
    listed = run("memo", "list", cwd=lib)
    assert listed.returncode == 0 and f"warning: {broken}:3:" in listed.stderr
    check = run("check", cwd=lib)
    assert check.returncode == 1 and f"error: {broken}:3:" in check.stdout
    assert broken.read_text(encoding="utf-8") == "---\nscope: library\nkind: [x\n---\ntext\n"


EDITOR = """\
import os, pathlib, sys
path = pathlib.Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
if os.environ.get("MEMO_ELSEWHERE"):  # another instance saves the memo meanwhile
    other = pathlib.Path(os.environ["MEMO_ELSEWHERE"])
    other.write_text(other.read_text(encoding="utf-8").replace("Draft", "Theirs"),
                     encoding="utf-8")
path.write_text(text.replace("Draft", "Mine") if text else "Draft\\n\\nFrom the editor.\\n",
                encoding="utf-8")
"""


def in_terminal(*args: str, cwd: Path, editor: Path, **env: str) -> tuple[int, str, str]:
    """``reader ARGS`` with a terminal on stdin (so that it opens the editor)."""
    master, slave = os.openpty()
    try:
        proc = run(*args, cwd=cwd, stdin=slave,
                   env={**os.environ, "EDITOR": f"{sys.executable} {editor}", **env})
    finally:
        os.close(slave)
        os.close(master)
    return proc.returncode, proc.stdout, proc.stderr


def test_memos_are_written_in_the_editor_and_a_clash_loses_nothing(lib: Path,
                                                                   tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR, encoding="utf-8")
    code, out, err = in_terminal("memo", "add", "--tag", "treaties", cwd=lib, editor=editor)
    assert code == 0, err
    memo_id = out.split()[-1]
    path = lib / "annotations" / "memos" / f"{memo_id}.md"
    assert path.read_text(encoding="utf-8").endswith("---\nDraft\n\nFrom the editor.\n")
    code, out, err = in_terminal("memo", "edit", memo_id, cwd=lib, editor=editor,
                                 MEMO_ELSEWHERE=str(path))
    assert code == 1 and "was changed" in err
    draft = Path(err.rsplit("your text is in ", 1)[1].rstrip(")\n"))
    assert draft.read_text(encoding="utf-8").startswith("Mine\n")  # kept for the user
    assert path.read_text(encoding="utf-8").endswith("---\nTheirs\n\nFrom the editor.\n")
    code, out, err = in_terminal("memo", "edit", memo_id, cwd=lib, editor=editor)
    assert code == 0 and out == f"no change to memo {memo_id}\n", err  # no "Draft" left


def test_memos_are_in_the_markdown_export_and_the_overview(lib: Path) -> None:
    ok(run("annotate", SEED_LIPUTAN, "--quote", "berjabat tangan", "--tag", "treaties",
           cwd=lib))
    ok(run("memo", "add", "--tag", "treaties", "--kind", "theory", "--text", "Handshakes",
           "matter", cwd=lib))
    ok(run("memo", "add", "--tag", "sanctions", "--text", "Not in a treaties report",
           cwd=lib))
    ok(run("memo", "add", "--article", SEED_LIPUTAN, "--text", "The airport scene", cwd=lib))
    everything = ok(run("export", "-f", "md", cwd=lib))
    assert everything.index("## treaties") < everything.index("## Memos")
    assert "### Tag: sanctions" in everything and "The airport scene" in everything
    report = ok(run("export", "-f", "md", "--tag", "treaties", cwd=lib))
    assert "Handshakes matter" in report and "The airport scene" in report
    assert "Not in a treaties report" not in report
    assert "## Memos" not in ok(run("export", "-f", "csv", cwd=lib))
    overview = ok(run("overview", cwd=lib))
    assert "Memos (3)" in overview and "theory        tag treaties: Handshakes matter" in \
        overview
    data = json.loads(ok(run("overview", "--json", "--tag", "treaties", cwd=lib)))
    assert [m["title"] for m in data["memos"]] == ["Handshakes matter", "The airport scene"]
