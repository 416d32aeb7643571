"""Web pages -> clean article text and metadata (trafilatura), plus fetching a URL.

Domain code: no Textual. :func:`extract_html` returns an :class:`Extracted` whose ``body`` is
Markdown-ish plain text: paragraphs separated by a blank line, headings as ``## Heading``,
list items as ``- item``; no inline markup, no links. Boilerplate trafilatura lets through
("Baca juga: ...", "Read also: ...", ads, share and subscription calls, editor initials) is
removed by :func:`clean_blocks`, which also applies the library's own boilerplate rules
(:func:`reader.library.text.blocks`).
"""

from __future__ import annotations

import importlib
import re
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from reader.library import text as textmod

MAX_BYTES = 20 * 1024 * 1024  # larger "pages" are not articles
FETCH_TIMEOUT = 15.0
MIN_WORDS = 20  # fewer words after cleaning: not an article (error page, index page, ...)
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) reader-import/1.0"


class ExtractionError(Exception):
    """A page or file that yields no article; ``str(exc)`` is a short reason for the user."""


@dataclass(slots=True)
class Extracted:
    title: str = ""
    source: str = ""  # site name, e.g. "KOMPAS.com"
    date: str = ""  # ISO YYYY-MM-DD or ""
    authors: list[str] = field(default_factory=list)
    url: str = ""
    language: str = ""  # "id", "en", ... or ""
    body: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # front matter kept from a text file


# --- boilerplate ---------------------------------------------------------------------------

_BOILERPLATE_PREFIX = re.compile(  # a short paragraph starting like this is furniture
    r"""^(?:
        (?:baca|lihat|simak|cek)\s+(?:juga|pula|selengkapnya|berita\s+lainnya)\b
      | (?:read|see)\s+(?:also|more)\b | also\s+read\b
      | related(?:\s+(?:stories|articles|news))?\s*:
      | more\s+on\s+this\s+story\b | recommended\s*:
      | simak\s+video\b | tonton\s+(?:juga|video)\b
      | (?:bagikan|share)\s+(?:ke|on|to|via|this)\b
      | (?:download|unduh)\s+(?:aplikasi|the\s+app|our\s+app)\b
      | artikel\s+ini\s+telah\s+tayang\b
      | (?:sign\s+up|subscribe)\b | (?:berlangganan|langganan)\s+(?:sekarang|newsletter)\b
      | privacy\s+notice\s*:
    )""",
    re.I | re.X,
)
_BOILERPLATE_WHOLE = re.compile(  # a paragraph that is only this is furniture
    r"""^(?:
        advertisement | advertisment | iklan | sponsored(?:\s+content)? | ads | promoted
      | scroll\s+(?:down\s+)?to\s+continue(?:\s+with\s+content)?
      | \[gambas:[^\]]*\]
      | (?:bagikan|share)(?:\s+this(?:\s+article)?)? | salin\s+link | copy\s+link
      | tweet | email | print | cetak | komentar | comments?
      | \(\s*[a-z]{2,4}(?:\s*/\s*[a-z]{2,4})+\s*\)          # editor initials: (ams/ega)
    )\s*[:.!]?$""",
    re.I | re.X,
)
_BOILERPLATE_ANYWHERE = re.compile(
    r"""gabung(?:\s+ke)?\s+(?:channel|grup|saluran)\s+whatsapp
      | (?:channel|grup|saluran)\s+(?:whatsapp|telegram)
      | ikuti\s+(?:kami|berita|channel|saluran)\b.*\b(?:whatsapp|google\s+news|telegram)
      | follow\s+us\s+on | dapatkan\s+update\s+berita
      | we\s+use\s+cookies | uses\s+cookies | menggunakan\s+cookie
      | newsletter\b.*\b(?:inbox|sign\s+up|subscribe) | (?:sign\s+up|subscribe)\b.*\bnewsletter
    """,
    re.I | re.X,
)
_SHORT = 300  # only short paragraphs are candidates: a long one is story text


def is_boilerplate(paragraph: str) -> bool:
    """True for a line that is page furniture rather than story text."""
    p = paragraph.strip().lstrip("#-*> ").strip()
    if not p:
        return True
    if len(p) > _SHORT:
        return False
    return bool(_BOILERPLATE_WHOLE.match(p) or _BOILERPLATE_PREFIX.match(p)
                or _BOILERPLATE_ANYWHERE.search(p))


def _norm(s: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", s).casefold()))


def clean_blocks(blocks: list[str], title: str = "") -> list[str]:
    """Drop boilerplate paragraphs (ours and the library's rules), a leading copy of the
    title, repeated paragraphs, and headings left with nothing under them."""
    kept = [b for b in blocks if b.strip() and not is_boilerplate(b)]
    if kept and title and _norm(kept[0].lstrip("#")) == _norm(title):
        kept = kept[1:]
    kept = _drop_library_boilerplate(kept)
    out: list[str] = []
    seen: set[str] = set()
    for b in kept:
        key = _norm(b)
        if not b.startswith("#") and key in seen and len(key) > 0:
            continue
        seen.add(key)
        out.append(b)
    # a heading followed by another heading (or nothing) lost its content
    result: list[str] = []
    for i, b in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if b.startswith("#") and (nxt is None or nxt.startswith("#")):
            continue
        result.append(b)
    return result


def _drop_library_boilerplate(paragraphs: list[str]) -> list[str]:
    """Remove paragraphs that :func:`reader.library.text.blocks` classifies as boilerplate."""
    body = "\n\n".join(paragraphs)
    try:
        bl = textmod.blocks(body)
    except Exception:  # noqa: BLE001 - the rules are a bonus; never fail an import on them
        return paragraphs
    spans = [(b.start, b.end) for b in bl if b.kind == "boilerplate"]
    if not spans:
        return paragraphs
    out: list[str] = []
    pos = 0
    for p in paragraphs:
        start, end = pos, pos + len(p)
        pos = end + 2
        covered = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
        if covered >= len(p.strip()) and p.strip():
            continue
        out.append(p)
    return out


# --- extraction ----------------------------------------------------------------------------

def _ws(s: str) -> str:
    return " ".join(s.split())


def _element_blocks(body: Any) -> list[str]:
    """trafilatura's XML body -> paragraphs, ``## headings`` and ``- list items``."""
    out: list[str] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            text = _ws("".join(el.itertext()))
            rend = str(el.get("rend") or "h2")
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            if text:
                out.append("#" * min(max(level, 2), 4) + " " + text)
        elif tag == "list":
            for item in el.iter("item"):
                text = _ws("".join(item.itertext()))
                if text:
                    out.append("- " + text)
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_ws("".join(c.itertext())) for c in row.iter("cell")]
                line = " | ".join(c for c in cells if c)
                if line:
                    out.append(line)
        else:
            text = _ws("".join(el.itertext()))
            if text:
                out.append(text)
    return out


def page_language(html: bytes | str) -> str:
    """The primary language declared by the page (``<html lang>``, content-language, og:locale)."""
    try:
        lxml_html: Any = importlib.import_module("lxml.html")
        root = lxml_html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - garbage input: no declared language
        return ""
    candidates = [root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in root.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for c in candidates:
        code = re.split(r"[-_,; ]", (c or "").strip().lower())[0]
        if re.fullmatch(r"[a-z]{2,3}", code):
            return "id" if code == "in" else code
    return ""


_AUTHOR_META = ("author", "content_author", "article:author", "dc.creator", "parsely-author",
                "sailthru.author", "byl")


def page_authors(html: bytes | str) -> str:
    """Authors a page declares in its meta tags, for when the extractor finds none
    (Kompas: ``<meta name="content_author">``)."""
    try:
        lxml_html: Any = importlib.import_module("lxml.html")
        root = lxml_html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - garbage input: no declared author
        return ""
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = _ws(meta.get("content") or "")
        if key in _AUTHOR_META and content and not is_url(content):
            return content
    return ""


def split_authors(raw: str | None) -> list[str]:
    out: list[str] = []
    for part in re.split(r";|\s+\|\s+|\s+and\s+|\s+dan\s+", raw or ""):
        name = re.sub(r"^(?:by|oleh|penulis)\s*:?\s+", "", part.strip(), flags=re.I).strip(" ,")
        if name and name not in out and len(name) < 100:
            out.append(name)
    return out


def extract_html(html: bytes | str, url: str = "") -> Extracted:
    """Main text and metadata of a saved page. Raises :class:`ExtractionError`."""
    import trafilatura

    if not html or (isinstance(html, bytes) and not html.strip()):
        raise ExtractionError("empty file")
    try:
        doc: Any = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False,
            include_formatting=True, include_links=False, include_images=False,
            include_tables=True, favor_precision=False,
        )
    except Exception as exc:  # noqa: BLE001 - the library raises many kinds on bad input
        raise ExtractionError(f"not a readable web page ({type(exc).__name__})") from exc
    if doc is None or getattr(doc, "body", None) is None:
        raise ExtractionError("no article text found (not an HTML article page?)")
    title = _ws(str(doc.title or ""))
    blocks = clean_blocks(_element_blocks(doc.body), title)
    body = "\n\n".join(blocks)
    if len(body.split()) < MIN_WORDS:
        raise ExtractionError("no article text found (too little text on the page)")
    if not title:
        first = blocks[0].lstrip("#- ")
        title = first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"
    return Extracted(
        title=title,
        source=_ws(str(doc.sitename or doc.hostname or "")),
        date=str(doc.date or "")[:10],
        authors=split_authors(doc.author or page_authors(html)),
        url=clean_url(str(doc.url or url or "")),
        language=page_language(html) or str(doc.language or ""),
        body=body + "\n",
    )


# --- URLs ----------------------------------------------------------------------------------

_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|at_\w+)$", re.I)


def is_url(s: str) -> bool:
    return bool(re.match(r"^https?://", s.strip(), re.I))


def clean_url(url: str) -> str:
    """The URL without tracking parameters and fragment (kept otherwise as given)."""
    url = url.strip()
    if not is_url(url):
        return url
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def url_key(url: str) -> str:
    """A comparison key: same article whatever the scheme, ``www.``, case of host, or
    trailing slash."""
    url = clean_url(url)
    if not is_url(url):
        return ""
    p = urlsplit(url)
    host = p.netloc.lower().removeprefix("www.")
    path = p.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{p.query}" if p.query else "")


def fetch(url: str, timeout: float = FETCH_TIMEOUT) -> tuple[bytes, str]:
    """Download a page -> (bytes, final URL). Raises :class:`ExtractionError` with a short
    reason (no network, HTTP status, not HTML)."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                               "Accept": "text/html,application/xhtml+xml"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            ctype = resp.headers.get("Content-Type", "")
            if ctype and "html" not in ctype and "xml" not in ctype:
                raise ExtractionError(f"not a web page ({ctype.split(';')[0]})")
            data: bytes = resp.read(MAX_BYTES + 1)
            final = str(resp.geturl() or url)
    except urllib.error.HTTPError as exc:
        raise ExtractionError(f"could not fetch: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise ExtractionError(f"could not fetch (no network?): {_reason(exc.reason)}") from exc
    except TimeoutError as exc:
        raise ExtractionError(f"could not fetch: no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise ExtractionError(f"could not fetch (no network?): {_reason(exc)}") from exc
    if len(data) > MAX_BYTES:
        raise ExtractionError("page too large")
    return data, final


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)
