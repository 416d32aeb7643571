"""Markdown articles read as text: what each source character is drawn as, over hostile
Markdown and over real articles given random mark-up."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from reader.config import Config
from reader.library import markdown as md
from reader.library.articles import Library
from reader.ui.layout import RowKind, build_layout
from tests.conftest import corpora_or_skip

ARTICLE = """\
---
title: Artikel Markdown
source: Tempo.co
---
# Judul Besar

Ini kata **tebal** dan *miring* dengan [tautan](https://tempo.co/read/1 "judul") di sini.

## Sanksi Barat

- butir satu
- butir dua
  masih butir dua
  - butir bersarang

> kutipan **penting**
> baris kedua
"""


def shown_lines(r: md.Rendition) -> list[str]:
    out: list[str] = []
    line: list[str] = []
    for i, ch in enumerate(r.text):
        if ch == "\n" and not r.flags[i] & md.SOFT:
            out.append("".join(line).rstrip())
            line = []
        else:
            line.append(r.shown(i))
    out.append("".join(line).rstrip())
    return [x for x in out if x.strip()]


def test_only_md_files_or_front_matter_saying_so_are_markdown() -> None:
    assert md.is_markdown("a/b.md") and md.is_markdown("B.MD")
    assert not md.is_markdown("a/b.txt")
    assert md.is_markdown("a/b.txt", {"format": "markdown"})
    assert not md.is_markdown("a/b.md", {"format": "text"})


def test_the_issues_article_is_drawn_as_text(config: Config) -> None:
    (config.articles_dir / "uji.md").write_text(ARTICLE, encoding="utf-8")
    article = Library(config).load("uji")
    assert article.meta.title == "Artikel Markdown"
    r = md.render(article.text)
    assert shown_lines(r) == [
        "Judul Besar",
        "Ini kata tebal dan miring dengan tautan (tempo.co) di sini.",
        "Sanksi Barat",
        "• butir satu",
        "• butir dua masih butir dua",
        "  • butir bersarang",
        "│ kutipan penting baris kedua",
    ]
    text = article.text
    bold = text.index("tebal")
    assert r.styles[bold] & md.STRONG and not r.styles[bold - 3] & md.STRONG
    assert r.styles[text.index("miring")] & md.EM
    assert r.styles[text.index("tautan")] & md.LINK
    assert r.link_at(text.index("tautan")) == (text.index("tautan"),
                                               text.index("tautan") + 6,
                                               "https://tempo.co/read/1")
    assert r.styles[text.index("Judul")] & md.H1
    assert r.styles[text.index("Sanksi")] & md.H2
    assert r.styles[text.index("penting")] & md.STRONG and r.styles[text.index("penting")] \
        & md.QUOTE
    # a list's wrapped rows hang under the item's text, a quote's keep its bar
    line = text.index("- butir dua")
    assert r.hang[line] == "  "
    assert r.hang[text.index("> kutipan")] == "│ "


def test_the_header_keeps_one_title_front_matter_first(config: Config) -> None:
    """The front matter's title is the one title (list, header, review, exports); the body's
    own # heading is drawn as its first heading, not as a second title."""
    (config.articles_dir / "uji.md").write_text(ARTICLE, encoding="utf-8")
    article = Library(config).load("uji")
    r = md.render(article.text)
    layout = build_layout(article.text, r.blocks, 60, title=article.meta.title,
                          meta=[(RowKind.META, "Tempo.co")], rendition=r)
    assert layout is not None
    rows = [layout.display(i) for i in range(len(layout))]
    assert rows[:5] == ["Artikel Markdown", "Tempo.co", "", "Judul Besar", ""]
    assert not any(row.startswith("#") or "**" in row for row in rows)
    # without front matter the heading is the title, drawn once
    (config.articles_dir / "tanpa.md").write_text(ARTICLE.split("---\n", 2)[2],
                                                  encoding="utf-8")
    article = Library(config).load("tanpa")
    assert article.meta.title == "Judul Besar"
    r = md.render(article.text)
    layout = build_layout(article.text, r.blocks, 60, title=article.meta.title,
                          meta=[(RowKind.META, "meta")], rendition=r)
    assert layout is not None
    assert [layout.display(i) for i in range(3)] == ["Judul Besar", "meta", ""]
    assert layout.title_span == (0, len("# Judul Besar"))


def test_plain_text_articles_keep_their_marks(config: Config) -> None:
    (config.articles_dir / "teks.txt").write_text("# Bukan judul\n\nIni **bukan** tebal.\n",
                                                  encoding="utf-8")
    article = Library(config).load("teks")
    assert not md.is_markdown(article.meta.path, article.front_matter)
    layout = build_layout(article.text, article.blocks, 60, title=article.meta.title)
    assert layout is not None
    assert "Ini **bukan** tebal." in [layout.display(i) for i in range(len(layout))]


def test_a_selection_over_marks_saves_balanced_source_text() -> None:
    text = "Ini kata **tebal** sekali dan [tautan](https://x.id/a) juga.\n\n## Judul Dua\n"
    r = md.render(text)
    t = text.index("tebal")
    assert r.snap(t, t + 5) == (t - 2, t + 7)  # the whole word: its marks come along
    assert text[slice(*r.snap(0, t + 5))] == "Ini kata **tebal**"
    assert r.snap(t + 1, t + 3) == (t + 1, t + 3)  # part of it: as selected
    link = text.index("tautan")
    s, e = r.snap(link, link + 6)
    assert text[s:e] == "[tautan](https://x.id/a)"
    h = text.index("## Judul")
    assert text[slice(*r.snap(h, h + len("## Judul Dua")))] == "Judul Dua"


HOSTILE = [
    "**unclosed bold and *unclosed em",
    "[unclosed link](https://x.com/a b",
    "`unclosed code",
    "<script>alert(1)</script>\n\n<div onclick='x'>\n*html*\n</div>",
    "a <span\nclass='x'>spread</span> inline html",
    "- a\n  - b\n    - c\n      - d\n        - e\n          - f\n            - g",
    "1. one\n   1. one-one\n      - deep\n2. two",
    "> > > nested quotes **bold**\n> > back one\n> out",
    "| a | b |\n|---|:-:|\n| **1** | `2` |\n| \\| | [x](y) |\n| extra | cells | here |",
    "x" * 20000,
    ("word " * 4000) + "**end**",
    "# " + "h" * 500 + " #",
    "Setext\n===\n\nAnother\n---",
    "```\nunclosed fence\n**not bold**",
    "    indented code **not bold**\n\ntext",
    "&amp; &#8212; &bogus; &#x1F600; \\* \\_ \\\\",
    "![alt **text**](img.png) ![](empty.png) <https://auto.link/x>",
    "[ref link][r] and [shortcut]\n\n[r]: https://r.example\n[shortcut]: /s",
    "* * *\n- - -\n___",
    "\t\ttabs\n>\tquote with tab\n-\ttab item",
    "line with trailing spaces  \nhard break\\\nbackslash break",
    "\u200b\u00a0\ufffd odd spaces \u202e rtl",
    "漢字 **太字** [リンク](https://例え.jp/パス)",
    "- \n-\n  foo\n-   \n",
    "~~strike~~ ***both*** _under_ __strong__ a*b*c 2*3*4",
    "[a](<b c> 'ti)tle') [d](e \"f\") [g](h(i)j)",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_markdown_is_drawn_and_mapped_exactly(text: str) -> None:
    r = md.render(text)
    assert len(r.flags) == len(r.styles) == len(text)
    starts = [b.start for b in r.blocks]
    assert starts == sorted(starts)
    assert all(0 <= b.start <= b.end <= len(text) for b in r.blocks)
    for a, b, href in r.links:
        assert 0 <= a < b <= len(text) and isinstance(href, str)
    for measure in (10, 37, 80):
        layout = build_layout(text, r.blocks, measure, rendition=r)
        assert layout is not None
        rows = layout.text_rows
        for row in rows:  # every row fits, and maps back to the offsets it draws
            assert len(layout.display(row)) <= measure * 2
            for offset in range(layout.starts[row], layout.visible_end(row)):
                if r.shown(offset).strip() and len(r.shown(offset)) == 1 and \
                        layout.width_of(offset) > 0:  # (zero-width characters aside)
                    got = layout.offset_at(*layout.position(offset))
                    assert got == offset, (measure, row, offset)
        if rows:  # the rows tile the text's lines in order
            assert all(layout.starts[x] < layout.starts[y] for x, y in zip(rows, rows[1:],
                                                                             strict=False))
    for s in range(0, len(text), max(1, len(text) // 40)):
        a, b = r.snap(s, min(len(text), s + 17))
        assert 0 <= a <= b <= len(text)


def test_unclosed_marks_are_drawn_as_written() -> None:
    r = md.render("**unclosed bold and *unclosed em")
    assert r.plain() == "**unclosed bold and *unclosed em"
    r = md.render("```\nunclosed fence\n**not bold**")
    assert "**not bold**" in r.plain()
    assert r.styles[r.text.index("not")] & md.CODE


def _marked_up(text: str, rng: random.Random) -> tuple[str, int]:
    """``text`` with random Markdown added around its words (headings, lists, quotes,
    emphasis, links, code); the links' hosts are what the reading view adds. Returns the
    new text and the number of links."""
    out, links = [], 0
    for para in text.split("\n\n"):
        words = para.split()
        if not words:
            continue
        for k in range(len(words)):
            w = words[k]
            if not re.fullmatch(r"[A-Za-z0-9]{3,}", w):
                continue
            roll = rng.random()
            if roll < 0.04:
                words[k] = f"**{w}**"
            elif roll < 0.07:
                words[k] = f"*{w}*"
            elif roll < 0.09:
                words[k] = f"[{w}](https://example.com/{w})"
                links += 1
            elif roll < 0.10:
                words[k] = f"`{w}`"
        block = " ".join(words)
        roll = rng.random()
        if roll < 0.1 and len(words) < 12:
            block = "## " + block
        elif roll < 0.2:
            block = "- " + block
        elif roll < 0.3:
            block = "> " + block
        out.append(block)
    return "\n\n".join(out), links


def test_random_markup_over_real_articles_shows_their_words() -> None:
    """Real articles from the corpora, given random mark-up: what is drawn is their words,
    in order, and nothing else (but the links' hosts)."""
    corpora = corpora_or_skip()
    rng = random.Random(14)
    files = sorted(Path(corpora).glob("*/**/*.txt"))
    sample = rng.sample(files, min(300, len(files)))
    exact = 0
    mismatched: list[str] = []
    for path in sample:
        text = path.read_text(encoding="utf-8", errors="replace")
        if any(c in text for c in "*_`[]<>&\\#|~"):
            text = re.sub(r"[*_`\[\]<>&\\#|~]", " ", text)
        marked, _links = _marked_up(text, rng)
        r = md.render(marked)
        shown = re.sub(r" \(example\.com\)", "", r.plain())
        want = [w for w in text.split() if w]
        got = [w for w in shown.replace("•", " ").replace("│", " ").split() if w]
        if got == want:
            exact += 1
        else:
            mismatched.append(path.name)
    print(f"\nrandom mark-up over {len(sample)} corpus articles: {exact} drawn exactly "
          f"as their words, {len(mismatched)} not ({mismatched[:5]})")
    assert exact >= 0.97 * len(sample)
