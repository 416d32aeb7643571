"""What the index holds: its fields, the analysers that feed them, and how an article and its
annotations become one document.

Fields: ``body`` holds stemmed terms (per the article's language, stop words out, no
positions: recall), ``exact`` the folded words as written (with positions: phrases, and a
boost so an article holding the word as typed ranks above stem-only matches); ``title`` and
``title_exact`` likewise; ``source``/``place`` folded words; ``date`` ISO text and ``day``
(YYYYMMDD, for ranges); ``lang``; ``tags`` (one term per tag) and ``notes``/``notes_exact``
from the annotations. Stored: ``meta`` (what a result shows) and ``state`` (the manifest
entry, so a lost manifest can be read back from the index). Ranking is BM25F.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.analysis import Token as WToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from reader.library.language import detect_language
from reader.models import Article
from reader.search import analysis
from reader.search.manifest import Entry

SCHEMA_VERSION = 8  # 6: front-matter tags in "tags"; 7: Snowball's English stemmer;
# 8: article dates and sources re-derived (dates only from the article's own date cues)
INDEX_NAME = "articles"
SEP = "\x1f"  # between the language and the text handed to the stemming analyzer
EXACT_BOOST = 1.5
TITLE_BOOST = 2.0


def signature() -> str:
    """Changes whenever what the index holds or how text is analysed changes."""
    return f"{SCHEMA_VERSION}:{analysis.analysis_signature()}"


class _Terms(Tokenizer):  # type: ignore[misc]
    """A Whoosh tokenizer yielding the terms :meth:`terms` gives for a text."""

    def terms(self, value: str) -> list[str]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Any]:
        t = WToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, term in enumerate(self.terms(value)):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            yield t


class StemTokenizer(_Terms):
    """Stemmed terms of ``"<lang>\\x1f<text>"`` (stop words out), via
    :mod:`reader.search.analysis`."""

    def terms(self, value: str) -> list[str]:
        lang, _, text = value.partition(SEP)
        return analysis.stemmed_terms(text, lang)


class FoldTokenizer(_Terms):
    """Folded words as written, stop words kept (exact matches and phrases)."""

    def terms(self, value: str) -> list[str]:
        return analysis.folded_words(value)


def make_schema() -> Schema:
    stem, exact = StemTokenizer(), FoldTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        meta=STORED(),  # (title, source, date, language, path under articles/)
        state=STORED(),  # manifest entry, to rebuild the manifest from the index
        title=TEXT(analyzer=stem, phrase=False, field_boost=TITLE_BOOST),
        title_exact=TEXT(analyzer=exact, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=stem, phrase=False),
        exact=TEXT(analyzer=exact),
        source=TEXT(analyzer=exact),
        place=TEXT(analyzer=exact),
        date=ID(sortable=True),
        day=NUMERIC(int, bits=32, signed=False),  # YYYYMMDD: ranges expand to few terms
        lang=ID(),
        tags=KEYWORD(commas=True, lowercase=True, scorable=True),
        notes=TEXT(analyzer=stem, phrase=False),
        notes_exact=TEXT(analyzer=exact),
    )


def document(article: Article, entry: Entry, tags: Sequence[str],
             notes: Sequence[str]) -> dict[str, Any]:
    """The index document of ``article``; ``entry`` is its manifest entry, ``tags`` and
    ``notes`` come from its annotations."""
    meta = article.meta
    lang = meta.language or detect_language(article.text)
    body = "\n".join(article.text[b.start:b.end] for b in article.blocks
                     if b.kind != "boilerplate") if article.blocks else article.text
    place = meta.place or str(article.front_matter.get("place") or "")
    all_tags = list(tags)
    all_tags += [t for t in _front_matter_tags(article.front_matter.get("tags"))
                 if t not in all_tags]  # 'reader import --tag' writes these
    notes_text = "\n".join(notes)
    return {
        "id": article.id,
        "meta": (meta.title, meta.source, meta.date, lang, meta.path),
        "state": entry,
        "title": f"{lang}{SEP}{meta.title}",
        "title_exact": meta.title,
        "body": f"{lang}{SEP}{body}",
        "exact": body,
        "source": meta.source,
        "place": place,
        "date": meta.date or "",
        "day": _day(meta.date),
        "lang": lang or "unknown",
        "tags": ",".join(analysis.fold(t) for t in all_tags),
        "notes": f"{lang}{SEP}{notes_text}",
        "notes_exact": notes_text,
    }


def _front_matter_tags(value: object) -> list[str]:
    """The ``tags`` of front matter: a list, or one comma-separated string."""
    items = value if isinstance(value, list) else str(value).split(",") if value else []
    return [str(t).strip() for t in items if str(t).strip()]


def _day(date: str) -> int | None:
    """YYYYMMDD of an ISO date (month or day 00 when unknown); None when there is none."""
    digits = date[:10].replace("-", "")
    if len(digits) in (4, 6, 8) and digits.isdigit():
        return int(digits.ljust(8, "0"))
    return None
