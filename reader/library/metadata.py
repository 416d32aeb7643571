"""Metadata a reader takes from the text itself: the dateline (source and place), the
article's own date (:mod:`reader.library.dates`), and a title (the headline line, else the
lead sentence).

Pure functions over the normalised body; they look at its start (the date at most
:data:`reader.library.dates.SCAN_CHARS` of it), so a huge file costs no more than a short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.library.datecues import article_date
from reader.library.dates import first_date as first_date  # where it was before
from reader.library.text import sentences
from reader.models import Block

# ---------------------------------------------------------------- datelines

_OUTLET_HINT = re.compile(
    r"\.(com|co\.id|id|net|org|tv|co\.uk|news)\b|\b(tv|news|post|times|pos|antara|reuters|"
    r"ap|afp|upi|bbc|cnn|tempo|kompas|detik|tribun|republika|okezone|liputan6|kumparan|suara|"
    r"merdeka|sindonews|jawapos|bisnis|kontan|voa|xinhua|bernama|associated press|bloomberg|"
    r"guardian|herald|tribune|journal|gazette|wire)\b|[a-z](news|tv|online|post)\b",
    re.I,
)
_DASH = r"\s*(?:--|[-–—])\s+"
_DATELINE_PAREN = re.compile(
    rf"^(?P<place>[A-Z][\w .'’-]{{1,40}}?)(?:,\s*[\w .]{{1,30}}?)?"
    rf"\s*\((?P<source>[^()\n]{{2,40}})\){_DASH}"
)
_DATELINE_COMMA = re.compile(rf"^(?P<a>[^,\n\-–—]{{2,40}}),\s*(?P<b>[^,\n]{{2,40}}?){_DASH}")
_DATELINE_PLACE = re.compile(rf"^(?P<place>[A-Z][A-Za-z0-9 .'’]{{1,30}}?){_DASH}")
_SMALL_WORDS = frozenset("of the and de di la le van von da".split())


@dataclass(frozen=True, slots=True)
class Dateline:
    source: str
    place: str
    end: int  # offset where the story proper begins


def _place(s: str) -> str:
    """``PYONGYANG`` -> ``Pyongyang``, ``RIO DE JANEIRO`` -> ``Rio de Janeiro``; mixed case
    is kept as written."""
    s = " ".join(s.split())
    if not s.isupper():
        return s
    words = [w.capitalize() for w in s.split(" ")]
    return " ".join(w.lower() if i and w.lower() in _SMALL_WORDS else w
                    for i, w in enumerate(words))


def dateline(paragraph: str) -> Dateline | None:
    """``Liputan6.com, Pyongyang - ``, ``PYONGYANG, KOMPAS.TV - ``, ``LONDON (Reuters) - ``,
    ``WASHINGTON, June 3 (AP) — ``, ``Jakarta, CNN Indonesia -- ``, ``JAKARTA - ``."""
    m = _DATELINE_PAREN.match(paragraph)
    if m:
        return Dateline(m["source"].strip(), _place(m["place"]), m.end())
    m = _DATELINE_COMMA.match(paragraph)
    if m:
        a, b = m["a"].strip(), m["b"].strip()
        a_src, b_src = bool(_OUTLET_HINT.search(a)), bool(_OUTLET_HINT.search(b))
        if a_src and not b_src:
            return Dateline(a, _place(b), m.end())
        if b_src and not a_src:
            return Dateline(b, _place(a), m.end())
        if a.isupper() and len(a.split()) <= 3 and not b.isupper():
            return Dateline(b, _place(a), m.end())
        return None
    m = _DATELINE_PLACE.match(paragraph)
    if m and len(m["place"].strip()) >= 3 and (
            m["place"].isupper() or len(m["place"].split()) <= 2):
        if _OUTLET_HINT.search(m["place"]):  # "Suara.com - ", "Rimanews - "
            return Dateline(m["place"].strip(), "", m.end())
        return Dateline("", _place(m["place"]), m.end())
    return None


# ---------------------------------------------------------------- the site of a URL

# Second-level names under which country domains register sites (``kompas.co.id``,
# ``bbc.co.uk``, ``abc.net.au``): the site is then the last three labels, else two.
_SECOND_LEVEL = frozenset("co com net org ac go or gov edu web sch mil my biz ne nic ltd "
                          "plc desa ponpes".split())


def site_of(url: str) -> str:
    """The site a URL belongs to, as a source: ``https://news.detik.com/berita/d-1`` ->
    ``detik.com``, ``https://www.bbc.co.uk/news`` -> ``bbc.co.uk``; ``""`` when it has
    no host name."""
    m = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//(?:[^/?#@]*@)?(?P<host>[^/?#:]+)", url.strip(),
                 re.I)
    if m is None:
        m = re.match(r"^(?P<host>(?:[\w-]+\.)+[a-z]{2,})(?:[/:?#]|$)", url.strip(), re.I)
    if m is None:
        return ""
    host = m["host"].lower().rstrip(".")
    labels = [x for x in host.split(".") if x]
    if len(labels) < 2 or all(x.isdigit() for x in labels):
        return host if "." in host else ""
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# ---------------------------------------------------------------- title and the whole

TITLE_MAX = 90
LEAD_SCAN_CHARS = 4000  # the lead sentence is looked for in the start of the first paragraph


def shorten(s: str, limit: int = TITLE_MAX) -> str:
    """Cut at a word boundary and add an ellipsis when longer than ``limit``."""
    s = " ".join(s[: limit * 4].split())
    if len(s) <= limit:
        return s
    cut = s.rfind(" ", 0, limit - 1)
    cut = cut if cut > limit // 2 else limit - 1
    return s[:cut].rstrip(" ,;:-–—") + "…"


def clean_title(line: str) -> str:
    """A headline line as a title: spaces collapsed, Markdown ``#`` and emphasis removed."""
    s = " ".join(line.split())
    s = re.sub(r"^#{1,6}\s+", "", s)
    m = re.fullmatch(r"(\*\*|__|\*|_)(\S.*\S|\S)\1", s)
    return m[2] if m else s


_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|van|von|de|bin|binti|al-\w+)){0,4}"
_BYLINE = re.compile(
    rf"(?:by|oleh|penulis|reporter|wartawan)\s*:?\s+(?P<names>{_NAME}"
    rf"(?:\s*(?:,|\band\b|\bdan\b|&)\s*{_NAME})*)(?:\s*[,|/–—-]\s*[^\n]{{0,60}})?\.?",
    re.I,
)


def byline(line: str) -> tuple[str, ...]:
    """``By Jane Doe and John Roe`` / ``Oleh: Budi Santoso`` -> the names, else ``()``."""
    s = " ".join(line.split())
    if len(s) > 120:
        return ()
    m = _BYLINE.fullmatch(s)
    if m is None or not m["names"][0].isupper():
        return ()
    names = re.split(r"\s*(?:,|\band\b|\bdan\b|&)\s*", m["names"])
    return tuple(n for n in names if n and not _OUTLET_HINT.search(n))  # not "BBC News"


@dataclass(frozen=True, slots=True)
class Derived:
    title: str
    source: str
    place: str
    date: str
    authors: tuple[str, ...] = ()


LEAD_SEARCH_BLOCKS = 6  # blocks looked at for bylines before the lead paragraph


def derive(text: str, blocks_: list[Block] | tuple[Block, ...], language: str = "", *,
           find_date: bool = True) -> Derived:
    """Title, source, place, date and authors as a reader would take them from the text:
    the title block, else the lead sentence (after the dateline) shortened at a word
    boundary; source and place from the dateline of the lead paragraph; authors from a
    byline above it; the date that reads as the article's own (none when unsure)."""
    title = ""
    authors: tuple[str, ...] = ()
    first_para: Block | None = None
    for b in blocks_[:LEAD_SEARCH_BLOCKS]:
        if b.kind == "title" and not title:
            title = clean_title(text[b.start : b.end])
        elif b.kind != "title" and b.end - b.start <= 120 and (
                names := byline(text[b.start : b.end])):
            authors = authors or names
        elif b.kind == "paragraph":
            first_para = b
            break
    if first_para is None:
        first_para = next((b for b in blocks_ if b.kind == "paragraph"), None)
    source = place = lead = ""
    if first_para is not None:
        para = text[first_para.start : min(first_para.end, first_para.start + LEAD_SCAN_CHARS)]
        dl = dateline(para)
        if dl is not None:
            source, place = dl.source, dl.place
            para = para[dl.end :]
        spans = sentences(para)
        lead = para[spans[0][0] : spans[0][1]] if spans else para
    if not title:
        title = shorten(lead)
    return Derived(title, source, place,
                   article_date(text, blocks_, language) if find_date else "", authors)
