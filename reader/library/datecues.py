"""Which date in a news text is the article's own.

A date is the article's only when it reads as the article's (see :func:`date_cues`): in the
dateline (``Jakarta, 5 Agustus 2025 - ``), on a date line near the top (``Senin, 19 Juni 2024
10:00 WIB``, ``Published 19 June 2024``, ``Updated: ...``), as a news-style day reference
anywhere in the text (``Rabu (19/6/2024)``: the weekday the reporter wrote, then the date in
brackets), an access date (``diakses pada 19 Juni 2024``), a day said to be today, or a
closing ``Jakarta, 20 Oktober 2025.`` line. Dates of births, histories, deadlines and
announced events, and plain dates in the story, are not. When unsure there is no date rather
than a wrong one.

Pure functions over strings; the dates themselves are read by :mod:`reader.library.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from reader.library.dates import SCAN_CHARS, WEEKDAY_SHORT, WEEKDAYS, Mention, mentions
from reader.models import Block

_LABEL = (r"(?:first\s+|last\s+)?(?:published|updated|posted|modified|date|dated|"
          r"diterbitkan|dipublikasikan|dipublikasi|diperbarui|diperbaharui|diunggah|dimuat|"
          r"terbit|tayang|tanggal|dibuat|update|publikasi)")
_PUBLISHED = re.compile(r"\W*(?:first\s+)?(?:published|posted|diterbitkan|dipublikasikan|"
                        r"dipublikasi|diunggah|dimuat|terbit|tayang|publikasi)\b", re.I)
_LABELLED_LINE = re.compile(rf"\W*{_LABEL}\b", re.I)
# Words that are not the line's content on a date line: labels, weekdays, times, zones.
_DATE_LINE_NOISE = re.compile(
    rf"\b(?:{_LABEL}|on|pada|at|pukul|jam|oleh|by|{'|'.join(WEEKDAYS)}|"
    rf"{'|'.join(WEEKDAY_SHORT)}|wib|wita|wit|gmt|utc|bst|cet|cest|est|edt|pst|pdt|"
    r"[ap]\.?m\.?|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|min(?:ute)?s?\s+read|baca|menit)\b",
    re.I,
)
_WORD = re.compile(r"[^\W_]+")
DATE_LINE_MAX = 120  # a longer line is prose, not a date line
DATE_LINE_WORDS = 6  # words besides the date, weekday, time and label (a byline, an outlet)
DATE_LINE_SMALL_WORDS = 2  # of which in small letters ("By Jane Doe and John Roe", "Kompas.com")
TOP_LINES = 10  # lines before the lead paragraph looked at for a date line
_DASH = re.compile(r"\s(?:--|[-–—])\s")
DATELINE_CHARS = 100  # a dateline ends with its dash within this much of the paragraph

_CLAUSE_END = re.compile(r"[.!?;](?=\s)|[\"“”\n]")
# The words of a clause are looked up in sets (alternations of words tried at every position
# of the text were a third of the time spent on dates).
_CLAUSE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SAYING = ("kata ujar ucap ungkap jelas tutur terang sebut imbuh tambah papar beber tegas tulis "
           "lapor").split()
# Words that make a date the reporting day: an attribution or a quoted or accessed source.
ATTRIBUTION_WORDS = frozenset(
    [*_SAYING, *(f"{w}nya" for w in _SAYING)] + """wartawan keterangan dikutip dilansir diakses
    dihubungi ditemui dikonfirmasi diwawancarai wawancara said says told quoted reported
    accessed retrieved""".split())
# Words that make a date in a clause another day than the article's: an announced or
# scheduled event, a deadline, a starting point, a birth.
OTHER_DAY_WORDS = frozenset("""akan bakal hendak dijadwalkan terjadwal direncanakan rencananya
    jelang menjelang sejak semenjak lahir kelahiran mulai berlaku batas tenggat
    selambat-lambatnya will scheduled due since born starting deadline expire expires
    effective""".split())
OTHER_DAY_PAIRS = frozenset({("paling", "lambat"), ("jatuh", "tempo")})
# ... and just before the date, the end of a period ("dibuka hingga Jumat (31/10/2025)").
_UNTIL = frozenset("hingga sampai until till through to".split())
_UNTIL_FILLER = frozenset(["pada", "hari", "on", *WEEKDAYS])
_PAST_OR_COMING = re.compile(
    r"[\s)]*(?:yang\s+)?(?:lalu|silam|mendatang|nanti|depan|ago|earlier|before)\b", re.I)
_TODAY = re.compile(r"[\s(),]*(?:hari\s+ini|today|tonight|malam\s+ini)\b", re.I)
_ACCESS_WORDS = ("dikutip", "dilansir", "diakses", "accessed", "retrieved")
_ACCESS = re.compile(
    r"\b(?:dikutip|dilansir|diakses|accessed|retrieved)\b(?:\s+(?:dari|from|melalui|via|"
    r"di|on)\s+[^,.;()\n]{1,40}?)?[\s,]*(?:(?:pada|on|tanggal|hari)\s+)*$",
    re.I,
)


class DateCue(NamedTuple):
    """Why a date is the article's: ``kind`` is ``dateline``, ``date line`` (near the top,
    or a ``Published ...`` line), ``day reference``, ``access date``, ``today`` or
    ``sign-off``."""

    kind: str
    mention: Mention

    @property
    def iso(self) -> str:
        return self.mention.iso


def _clause_before(text: str, m: Mention, span: int = 100) -> str:
    """The clause a mention ends: back to the last sentence end, quote mark or line break."""
    end = m.lead if m.lead >= 0 else m.start  # "Rabu (" is no clause end
    window = text[max(0, end - span) : end]
    cuts = list(_CLAUSE_END.finditer(window))
    return window[cuts[-1].end():] if cuts else window


def is_other_day(text: str, m: Mention) -> bool:
    """True when the words around a date make it another day than the article's: a
    scheduled event, a deadline, a starting point, a birth (``akan digelar pada``, ``hingga``,
    ``sejak``, ``lahir``, ``will``, ``until``), or a day said to be past or to come
    (``... lalu``, ``... mendatang``). An attribution after those words (``kata dia``,
    ``dikutip``) makes it the reporting day again; ``hari ini`` (today) always does."""
    if _TODAY.match(text, m.end):
        return False
    if _PAST_OR_COMING.match(text, m.end):
        return True
    words = _CLAUSE_WORD.findall(_clause_before(text, m).lower())
    k = len(words)
    while k and words[k - 1] in _UNTIL_FILLER:
        k -= 1
    if k and words[k - 1] in _UNTIL:
        return True
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w in ATTRIBUTION_WORDS:
            return False
        if w in OTHER_DAY_WORDS or tuple(words[i : i + 2]) in OTHER_DAY_PAIRS:
            return True
    return False


def _attributed(text: str, m: Mention) -> bool:
    """An attribution in the clause before the date (``kata dia di Jakarta, Senin, ...``)."""
    return any(w in ATTRIBUTION_WORDS
               for w in _CLAUSE_WORD.findall(_clause_before(text, m).lower()))


def _date_line(line: str, offset: int, language: str, top: bool) -> DateCue | None:
    """A short line that is a date (``Senin, 19 Juni 2024 10:00 WIB``, ``Published 19 June
    2024``, ``Kompas.com - 19/06/2024``); near the top any such line, further down only a
    labelled one."""
    if len(line) > DATE_LINE_MAX or not line.strip():
        return None
    labelled = _LABELLED_LINE.match(line) is not None
    if not (top or labelled):
        return None
    found = [m for m in mentions(line, language) if m.weekday_agrees]
    if len(found) != 1:  # "from 1 May 2024 to 3 May 2024" is no date line
        return None
    m = found[0]
    rest = _WORD.findall(_DATE_LINE_NOISE.sub(" ", line[: m.start] + " " + line[m.end :]))
    if len(rest) > DATE_LINE_WORDS or sum(w.islower() for w in rest) > DATE_LINE_SMALL_WORDS:
        return None  # a sentence ("The talks on 6/19/2024 ended without a deal.")
    if is_other_day(line, m):
        return None
    return DateCue("date line", m._replace(start=m.start + offset, end=m.end + offset,
                                            lead=m.lead + offset))


def _top_lines(text: str, blocks: Sequence[Block]) -> Iterator[tuple[int, str]]:
    """(offset, line) of the lines above the lead paragraph (title left out), and of its
    first line."""
    count = 0
    for b in blocks:
        if b.kind == "title":
            continue
        pos = b.start
        for line in text[b.start : b.end].split("\n"):
            yield pos, line
            pos += len(line) + 1
            count += 1
            if count >= TOP_LINES:
                return
        if b.kind == "paragraph" and b.end - b.start > DATE_LINE_MAX:
            return


def _dateline_date(text: str, blocks: Sequence[Block], language: str) -> DateCue | None:
    """A date inside the dateline of the lead paragraph: ``Jakarta, 5 Agustus 2025 - ``,
    ``WASHINGTON, June 3, 2024 (AP) — ``."""
    lead = next((b for b in blocks if b.kind == "paragraph"), None)
    if lead is None:
        return None
    dash = _DASH.search(text, lead.start, min(lead.end, lead.start + DATELINE_CHARS))
    if dash is None:
        return None
    for m in mentions(text, language, lead.start, dash.start()):
        before = text[lead.start : m.start]
        if (m.weekday_agrees and len(_WORD.findall(before)) <= DATE_LINE_WORDS
                and not _CLAUSE_END.search(before)):
            return DateCue("dateline", m)
    return None


_SIGN_OFF = re.compile(  # "Jakarta, 20 Oktober 2025." closing a letter, an op-ed, a release
    r"\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},\s*(?P<tail>.{6,30}?)\.?\s*")


def _reference_kind(text: str, m: Mention) -> str:
    """How a date in the story reads as the article's, or ``""``."""
    if not m.weekday_agrees:
        return ""  # one of the two is a typo, and which one cannot be told
    if _TODAY.match(text, m.end):
        return "today"  # "27 Agustus 2017 (hari ini)"
    if m.bracketed and (m.weekday >= 0 or _attributed(text, m)):
        return "day reference"  # "Rabu (19/6/2024)", "kepada wartawan (20/10/2025)"
    if m.weekday >= 0 and _attributed(text, m):
        return "day reference"  # "kata dia di Jakarta, Senin, 20 Oktober 2025"
    window = text[max(0, m.lead - 80) : m.lead]
    if any(w in window.lower() for w in _ACCESS_WORDS) and _ACCESS.search(window):
        return "access date"  # "diakses pada 19 Juni 2024"
    return ""


def date_cues(text: str, blocks: Sequence[Block], language: str = "") -> list[DateCue]:
    """The dates that read as the article's own, strongest kind first: the dateline's date;
    date lines (``Published ...`` ones first); day references, access dates and days said
    to be today, latest first (a story cites earlier days, rarely later ones, and announced
    events are left out with the other dates of other days); a closing ``Place, date.``
    line."""
    cues: list[DateCue] = []
    dl = _dateline_date(text, blocks, language)
    if dl is not None:
        cues.append(dl)
    top = list(_top_lines(text, blocks))
    later = list(_lines(text, top[-1][0] + len(top[-1][1]) + 1 if top else 0,
                        min(len(text), SCAN_CHARS)))
    lines: list[tuple[bool, DateCue]] = []
    for offset, line, at_top in [(o, t, True) for o, t in top] + [(o, t, False) for o, t in later]:
        cue = _date_line(line, offset, language, at_top)
        if cue is not None:
            lines.append((_PUBLISHED.match(line) is None, cue))
    cues += [cue for _, cue in sorted(lines, key=lambda x: x[0])]
    refs: list[DateCue] = []
    for m in mentions(text, language):
        kind = _reference_kind(text, m)
        if kind and not is_other_day(text, m):
            refs.append(DateCue(kind, m))
    cues += sorted(refs, key=lambda c: c.iso, reverse=True)
    for offset, line in later:
        so = _SIGN_OFF.fullmatch(line)
        if so is None:
            continue
        tail = list(mentions(line, language, so.start("tail")))
        if len(tail) == 1 and tail[0].end == so.end("tail") and tail[0].weekday_agrees and (
                tail[0].start == so.start("tail") or tail[0].weekday >= 0):
            m = tail[0]
            cues.append(DateCue("sign-off", m._replace(start=m.start + offset,
                                                       end=m.end + offset,
                                                       lead=m.lead + offset)))
    return cues


def _lines(text: str, start: int, stop: int) -> Iterator[tuple[int, str]]:
    """(offset, line) of the lines of ``text[start:stop]`` short enough to be date lines."""
    pos = start
    while pos < stop:
        nl = text.find("\n", pos, stop)
        end = stop if nl < 0 else nl
        if end - pos <= DATE_LINE_MAX:
            yield pos, text[pos:end]
        pos = end + 1


def article_date(text: str, blocks: Sequence[Block], language: str = "") -> str:
    """The article's own date (ISO), or ``""`` when no date reads as the article's."""
    cues = date_cues(text, blocks, language)
    return cues[0].iso if cues else ""
