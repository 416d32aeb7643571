"""What the index holds: its fields, the analysers that feed them, and how an article and its
annotations become one document.

Fields: ``words`` holds the body as :mod:`reader.search.terms` counts them
(stemmed terms per the article's language, ``=word`` as written, ``^stem`` tiers of frequent
stems; no positions), ``pairs`` two frequent words in a row (phrases); ``title`` and ``notes``
(from the annotations) the stemmed and ``=exact`` terms at their positions (``title:`` and
``note:`` searches and phrases); ``source``/``place`` folded words; ``date`` ISO text and
``day`` (YYYYMMDD, for ranges); ``lang``; ``tags`` (one term per tag). Stored: ``meta`` (what
a result shows) and ``state`` (the manifest entry, so a lost manifest can be read back from
the index). Ranking is BM25F.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.analysis import Token as WToken
from whoosh.analysis import Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.system import pack_uint

from reader.config import Config
from reader.library.articles import Library
from reader.library.language import detect_language
from reader.models import Article
from reader.search import analysis, sources, terms
from reader.search.manifest import Entry

SCHEMA_VERSION = 9  # 6: front-matter tags in "tags"; 7: Snowball's English stemmer;
# 8: article dates and sources re-derived (dates only from the article's own date cues);
# 9: one "words" field (stems, exact forms, tiers), word pairs, no body positions; the
# folder defaults' stamp in the manifest entry
INDEX_NAME = "articles"
SEP = "\x1f"  # between the language and the text handed to the stemming analyzer
EXACT_BOOST = 1.5
TITLE_BOOST = 2.0


def signature() -> str:
    """Changes whenever what the index holds or how text is analysed changes."""
    return f"{SCHEMA_VERSION}:{analysis.analysis_signature()}:{terms.terms_signature()}"


class _Terms(Tokenizer):  # type: ignore[misc]
    """A Whoosh tokenizer yielding the (term, position) pairs :meth:`terms` gives."""

    def terms(self, value: str) -> list[tuple[str, int]]:
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
        for term, pos in self.terms(value):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            yield t


class StemTokenizer(_Terms):
    """For ``"<lang>\\x1f<text>"``: each word as ``=word`` and, unless it is a stop word, its
    stem, both at the word's position (so ``=a =b`` is a phrase)."""

    def terms(self, value: str) -> list[tuple[str, int]]:
        lang, _, text = value.partition(SEP)
        stop = analysis.STOPWORDS.get(lang, frozenset())
        out = []
        for i, w in enumerate(analysis.folded_words(text)):
            out.append((terms.EXACT + w, i))
            if w not in stop:
                out.append((analysis.stem(w, lang), i))
        return out


class FoldTokenizer(_Terms):
    """Folded words as written, stop words kept (sources and places)."""

    def terms(self, value: str) -> list[tuple[str, int]]:
        return [(w, i) for i, w in enumerate(analysis.folded_words(value))]


class Counted(TEXT):  # type: ignore[misc]
    """A field indexed from terms already counted (:mod:`reader.search.terms`): a dict of
    term -> [occurrences, weight], so an article's text is analysed once, in one pass, for
    every field, without a token object per word."""

    counted = True  # reader.search.segwrite.BuildWriter files the dict's terms directly

    def __init__(self, field_boost: float = 1.0) -> None:
        super().__init__(analyzer=FoldTokenizer(), phrase=False, field_boost=field_boost)

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if not isinstance(value, dict):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for term, (n, weight) in value.items():
            yield term.encode("utf-8"), n, weight * boost, pack_uint(n)


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        meta=STORED(),  # (title, source, date, language, path under articles/)
        state=STORED(),  # manifest entry, to rebuild the manifest from the index
        words=Counted(),
        pairs=Counted(),
        title=TEXT(analyzer=StemTokenizer(), field_boost=TITLE_BOOST),
        notes=TEXT(analyzer=StemTokenizer()),
        source=TEXT(analyzer=FoldTokenizer()),
        place=TEXT(analyzer=FoldTokenizer()),
        date=ID(sortable=True),
        day=NUMERIC(int, bits=32, signed=False),  # YYYYMMDD: ranges expand to few terms
        lang=ID(),
        tags=KEYWORD(commas=True, lowercase=True, scorable=True),
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
    words, pairs = terms.article_terms(lang, body)
    return {
        "id": article.id,
        "meta": (meta.title, meta.source, meta.date, lang, meta.path),
        "state": entry,
        "words": words,
        "pairs": pairs,
        "title": f"{lang}{SEP}{meta.title}",
        "notes": f"{lang}{SEP}{notes_text}",
        "source": meta.source,
        "place": place,
        "date": meta.date or "",
        "day": _day(meta.date),
        "lang": lang or "unknown",
        "tags": ",".join(analysis.fold(t) for t in all_tags),
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


def document_of(config: Config, library: Library, article: Article, file: sources.FileState,
                ann: sources.FileState | None) -> dict[str, Any]:
    """The index document of ``article`` with its manifest entry: its file's (size, mtime),
    content hash, annotation file's (size, mtime), and the stamp of the folder defaults it
    was read with (an edited ``_folder.yml`` re-indexes the articles under it)."""
    stamp = library.folders.for_article(article.meta.path or article.id).stamp
    entry: Entry = [file[0], file[1], article.sha256[:16],
                    ann[0] if ann else 0, ann[1] if ann else 0, stamp]
    tags: list[str] = []
    notes: list[str] = []
    if ann:
        for a in sources.annotations_of(config, article.id):
            tags += [t for t in a.tags if t not in tags]
            if a.note:
                notes.append(a.note)
    return document(article, entry, tags, notes)
