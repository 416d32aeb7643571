"""Which sentences of an article can be a passage: those of readable paragraphs, never the
title line, headings, boilerplate, or a one-line paragraph that reads as a heading (short, no
final punctuation), and none over :data:`MAX_SENTENCE` characters. Used by the cues and the
suggestions."""

from __future__ import annotations

import re

from reader.library import text as textmod
from reader.library.language import detect_language
from reader.models import Article

MAX_SENTENCE = 2000  # characters: longer "sentences" (text without full stops) are no passage
HEADLINE_WORDS = 20  # a one-line paragraph this short without final punctuation is a heading
_SENTENCE_END = ".!?…\"'”’»)]"
_LIST_MARK = re.compile(r"(?:[-*•–]|\d{1,2}[.)])\s")


def article_language(article: Article) -> str:
    return article.meta.language or detect_language(article.text)


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    return (bool(s) and "\n" not in s and s[-1] not in _SENTENCE_END
            and len(s.split()) <= HEADLINE_WORDS and not _LIST_MARK.match(s))


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def readable_blocks(article: Article) -> list[tuple[int, int]]:
    """Paragraphs: not the title line, headings, boilerplate, a short one-line paragraph
    without final punctuation (a heading or a caption), nor a line repeating the title that
    the front matter gives."""
    text = article.text
    if not article.blocks:
        return [(0, len(text))]
    title = article.front_matter.get("title")
    title = _norm(title) if isinstance(title, str) else ""
    return [(b.start, b.end) for b in article.blocks
            if b.kind == "paragraph" and not _is_heading_line(text[b.start:b.end])
            and not (title and _norm(text[b.start:b.end]) == title)]


def sentences_in(article: Article, start: int, end: int) -> list[tuple[int, int]]:
    return [(s, e) for s, e in textmod.sentences(article.text, start, end)
            if e - s <= MAX_SENTENCE]


def readable_spans(article: Article) -> list[tuple[int, int]]:
    """The sentences a passage may be: those of readable paragraphs, none over
    ``MAX_SENTENCE`` characters (a run of text without full stops)."""
    return [span for s, e in readable_blocks(article) for span in sentences_in(article, s, e)]
