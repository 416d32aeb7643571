"""Which language a text is in, Indonesian or English: the project's one detector (the
library's metadata, the search index, suggestions and imports all ask
:func:`detect_language`), with its stop-word lists and the languages' names. Pure Python.

The lists are function words, used only to tell the languages apart; which words search
leaves out of its index is the search package's own, shorter list.
"""

from __future__ import annotations

import re

_ID = """
ada adalah agar akan aku anda antara apa apakah atas atau bagaimana bagi bahkan bahwa baik
banyak beberapa begitu belum bila bisa boleh bukan dalam dan dapat dari daripada demi
demikian dengan di dia dua hanya harus hingga ia ialah ini itu jadi jika juga kah kalau kali
kami kamu karena kata ke kemudian kenapa kepada ketika kita lagi lah lalu lebih maka mana
masih maupun melalui mengapa menjadi mereka namun nya oleh pada para pun saat saja salah
sama sambil sang sangat satu se sebagai sebelum sebuah secara sedang sedangkan sehingga
sejak selain sementara semua sendiri seperti serta setelah setiap si siapa sudah supaya tak
tanpa tapi telah tentang terhadap tersebut tetapi tidak tiga untuk yaitu yakni yang
""".split()

_EN = """
a about after all also an and any are as at be because been but by can could do for from had
has have he her his how i if in into is it its just may more most new no not of on one only
or other our out over said she should so some such than that the their them then there these
they this those to up very was we were what when where which while who will with would you
your
""".split()

STOPWORDS: dict[str, frozenset[str]] = {"id": frozenset(_ID), "en": frozenset(_EN)}
LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
LEAD = 5  # stop words ahead of the next language that decide however mixed the text is


def detect_language(text: str, *, sample: int = 20_000, minimum: int = 3) -> str:
    """``"id"``, ``"en"``, or ``""`` when the text is too short or too mixed to tell.

    Counts each language's stop words in the first ``sample`` characters. Words in capitals
    are left out unless most of the text is in capitals (``AS``, Amerika Serikat, is no
    English ``as``). The language with the most wins when it has at least ``minimum`` of
    them and leads clearly: twice as many as the next, or five more (an Indonesian story
    quoting an English song is still Indonesian).
    """
    counts = dict.fromkeys(STOPWORDS, 0)
    in_capitals = dict.fromkeys(STOPWORDS, 0)
    words = capitals = 0
    for m in _WORD.finditer(text, 0, min(len(text), sample)):
        word = m.group()
        words += 1
        shouted = len(word) > 1 and word.isupper()
        capitals += shouted
        word = word.lower()
        for lang, stop in STOPWORDS.items():
            if word in stop:
                (in_capitals if shouted else counts)[lang] += 1
    if capitals * 2 > words:  # a text in capitals: its capitals are its words
        counts = {lang: n + in_capitals[lang] for lang, n in counts.items()}
    ranked = sorted(counts, key=lambda k: counts[k], reverse=True)
    best, runner_up = counts[ranked[0]], counts[ranked[1]]
    if best < minimum or best == runner_up:
        return ""
    if best < 2 * runner_up and best - runner_up < LEAD:
        return ""
    return ranked[0]


def normalise_language(value: object) -> str:
    """Front-matter language values ("Indonesian", "id-ID", "EN") -> "id"/"en"/as given."""
    s = str(value or "").strip().lower()
    if not s:
        return ""
    if s.startswith(("en", "inggris", "bahasa inggris")):
        return "en"
    if s.startswith(("id", "in", "bahasa")):
        return "id"
    return s.split("-")[0][:8]
