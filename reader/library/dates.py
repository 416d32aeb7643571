"""Dates written in news text, in Indonesian and English: every one of them, with the weekday
written before it and whether it stands in brackets (``Rabu (19/6/2024)``). Which of them is
the article's own is decided in :mod:`reader.library.datecues`.

Pure functions over strings; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

_MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
    "nopember": 11, "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "october": 10, "december": 12, "jan": 1, "feb": 2, "peb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "agu": 8, "agt": 8, "agst": 8, "sep": 9,
    "sept": 9, "oct": 10, "okt": 10, "nov": 11, "nop": 11, "dec": 12, "des": 12,
}
_ORD = r"(?:st|nd|rd|th)?"
# Every form holds a four-digit year: a scan finds the years (``str.find``: a regular
# expression tried at every position of the text cost ten times more), then reads the date
# around each. A slash date may carry a stray space next to a slash (``18/10/ 2025``:
# common in copied news text). Month names are matched as words, then looked up.
_STARTS_WITH_YEAR = re.compile(
    r"(?<![\w.,/-])(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})")
_ENDS_WITH_YEAR = re.compile(
    r"(?<![\w.,/-])(?:"
    r"(?P<sa>\d{1,2}) ?/ ?(?P<sb>\d{1,2}) ?/ ?"  # 19/6/2024
    r"|(?P<pa>\d{1,2})(?P<psep>[-.])(?P<pb>\d{1,2})(?P=psep)"  # 19.06.2024
    rf"|(?P<dd>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<dm>[A-Za-z]{{3,9}})\.?,?\s+"  # 19 Juni 2024
    rf"|(?P<mm>[A-Za-z]{{3,9}})\.?\s+(?P<md>\d{{1,2}}){_ORD},?\s+"  # June 19, 2024
    r")$",
    re.I,
)
_ENDS_WELL = re.compile(r"(?!(?!T\d)[\w/-]|\.\d)")  # not "2.5.2024.1"; "2024-06-19T10:00"
_DIGITS = frozenset("0123456789")
MIN_YEAR, MAX_YEAR = 1800, 2199
SCAN_CHARS = 200_000  # dates are looked for in this much of a text (news is far shorter)

WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4,
    "sabtu": 5, "minggu": 6, "ahad": 6, "monday": 0, "tuesday": 1, "wednesday": 2,
    "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
WEEKDAY_SHORT = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                  "fri": 4, "sat": 5, "sun": 6, "sen": 0, "sel": 1, "rab": 2, "kam": 3,
                  "jum": 4, "sab": 5, "min": 6}


_TIME_OF_DAY = frozenset("pagi siang sore malam petang subuh hari morning afternoon evening "
                         "night".split())  # "Selasa malam (", "Kamis dini hari ("
_SPACE = " \t\n\xa0"
_SPACE_OR_COMMA = _SPACE + ","
_CLOSE = re.compile(r"\s*\)|[^\S\n]*(?:\n|$)")  # or a line cut short


class Mention(NamedTuple):
    """A date written in the text: ``text[start:end]`` reads as ``iso``."""

    start: int
    end: int
    iso: str
    weekday: int = -1  # the weekday written with it (0 is Monday), -1 when none
    bracketed: bool = False  # ``(19/6/2024)``, ``Rabu (19/6/2024)``
    lead: int = -1  # where its weekday or bracket begins (``Rabu (``), else ``start``

    @property
    def weekday_agrees(self) -> bool:
        return self.weekday < 0 or date.fromisoformat(self.iso).weekday() == self.weekday

    @property
    def day_reference(self) -> bool:
        """The news-style ``Rabu (19/6/2024)``: a weekday, then the date in brackets, and
        the two agree."""
        return self.weekday >= 0 and self.bracketed and self.weekday_agrees


def _valid(y: int, m: int, d: int) -> str:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return ""
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return ""


def _years(text: str, start: int, stop: int) -> list[int]:
    """Offsets of the four-digit numbers from 1800 to 2199 in ``text[start:stop]``."""
    out = []
    for prefix in ("18", "19", "20", "21"):
        i = text.find(prefix, start, stop)
        while i >= 0:
            if (i + 4 <= stop and text[i + 2] in _DIGITS and text[i + 3] in _DIGITS
                    and (i == 0 or text[i - 1] not in _DIGITS)
                    and (i + 4 == len(text) or text[i + 4] not in _DIGITS)):
                out.append(i)
            i = text.find(prefix, i + 1, stop)
    out.sort()
    return out


def _iso(m: re.Match[str], language: str, year: int) -> str:
    if m.re is _STARTS_WITH_YEAR:
        return _valid(year, int(m["im"]), int(m["id"]))
    if m["sa"] or m["pa"]:
        a, b, y = (int(m["sa"]), int(m["sb"]), year) if m["sa"] else (
            int(m["pa"]), int(m["pb"]), year)
        day_first = _valid(y, b, a)
        if not day_first or (language == "en" and a <= 12 < b):
            return _valid(y, a, b) or day_first
        return day_first
    if m["dm"]:
        return _valid(year, _MONTHS[m["dm"].lower()], int(m["dd"]))
    return _valid(year, _MONTHS[m["mm"].lower()], int(m["md"]))


def mentions(text: str, language: str = "", start: int = 0,
             end: int | None = None) -> Iterator[Mention]:
    """Every date written in ``text[start:end]`` (at most :data:`SCAN_CHARS` of it), in
    order. Forms: ``2024-06-19``, ``19/6/2024`` (also ``18/10/ 2025``, and with ``.`` or
    ``-``), ``19 Juni 2024``, ``19 June 2024``, ``June 19, 2024``, with Indonesian and
    English month names and their short forms. A slash date is day/month (Indonesian and
    British use); in English text one that only reads as month/day (``6/19/2024``) is taken
    so. Impossible dates are skipped."""
    stop = min(len(text) if end is None else end, start + SCAN_CHARS)
    for ys in _years(text, start, stop):
        m = _ENDS_WITH_YEAR.search(text, max(start, ys - 30), ys)
        if m is None:
            m = _STARTS_WITH_YEAR.match(text, ys, stop)
            if m is None:
                continue
        elif m["dm"] and m["dm"].lower() not in _MONTHS or (
                m["mm"] and m["mm"].lower() not in _MONTHS):
            continue
        if not _ENDS_WELL.match(text, m.end() if m.re is _STARTS_WITH_YEAR else ys + 4):
            continue
        iso = _iso(m, language, int(text[ys : ys + 4]))
        if not iso:
            continue
        s, e = m.start(), max(m.end(), ys + 4)
        weekday, lead, opened = _weekday_before(text, s)
        bracketed = opened and _CLOSE.match(text, e) is not None
        yield Mention(s, e, iso, weekday, bracketed, lead)


def _weekday_before(text: str, pos: int) -> tuple[int, int, bool]:
    """(weekday or -1, where it or the bracket begins, whether a bracket opens) of what
    stands just before ``pos``: ``Rabu (``, ``Selasa malam (``, ``Senin, ``, ``(``.
    Read backwards char by char: a regular expression here cost a fifth of the scan."""
    low = max(0, pos - 40)
    j = pos
    while j > low and text[j - 1] in _SPACE:
        j -= 1
    opened = j > low and text[j - 1] == "("
    lead = j - 1 if opened else pos
    j = j - 1 if opened else j
    while j > low and text[j - 1] in _SPACE_OR_COMMA:
        j -= 1
    for _ in range(3):  # the weekday, after up to two words of the time of day
        k = j
        while k > low and (text[k - 1].isalpha() or text[k - 1] in "'’"):
            k -= 1
        word = text[k:j]
        if not word:
            break
        day = _weekday_word(word)
        if day is not None:
            return day[0], k + day[1], opened
        if word.lower() not in _TIME_OF_DAY and word.lower() != "dini":
            break
        j = k
        while j > low and text[j - 1] in _SPACE:
            j -= 1
    return -1, lead, opened


def _weekday_word(word: str) -> tuple[int, int] | None:
    """(weekday, offset of its name in ``word``): ``Rabu``, ``RABU``, and the end of a word
    glued to it (``detikSepakbolaRabu``: a capital after small letters starts a word)."""
    day = WEEKDAYS.get(word.lower())
    if day is not None:
        return day, 0
    for k in range(len(word) - 1, 0, -1):
        if word[k].isupper() and word[k - 1].islower():
            day = WEEKDAYS.get(word[k:].lower())
            return (day, k) if day is not None else None
    return None


def first_date(text: str, language: str = "") -> str:
    """The first date written in ``text`` (ISO ``YYYY-MM-DD``), or ``""``: for a value that
    is a date (front matter), not for finding an article's date in its text."""
    return next((m.iso for m in mentions(text, language)), "")
