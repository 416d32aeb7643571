"""Language detection from stop-word frequencies (Indonesian and English), and the stop-word
lists themselves. Pure Python, no dependencies."""

from __future__ import annotations

import re

_ID = """
yang dan di ke dari ini itu dengan untuk pada tidak dalam akan juga ada oleh karena sudah saat
bisa atau kami kita mereka ia adalah bahwa tersebut telah para lebih hingga sebagai namun seperti
masih tak jika menjadi setelah bagi belum harus agar saja hanya antara atas serta yaitu yakni
dia sebuah secara kepada sejak tentang maupun tetapi sedangkan ketika sehingga bahkan pun lagi
sangat baik juga apa siapa mana bagaimana mengapa kenapa begitu demikian tanpa terhadap melalui
sendiri sama semua setiap banyak beberapa salah satu dua tiga kali nya lalu kemudian supaya
""".split()

_EN = """
the and of to in is that for it on was with as be by at this have from are has but not he they
his will said an were which their been had or its would who we after there about more when can
also into than them out up she her what all one new do so if no other some could these our you
only over most just those such how any may should then because while where very
""".split()

STOPWORDS: dict[str, frozenset[str]] = {"id": frozenset(_ID), "en": frozenset(_EN)}
LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, *, sample: int = 20_000, minimum: int = 3) -> str:
    """``"id"``, ``"en"``, or ``""`` when too little text to tell.

    Counts the stop words of each language in the first ``sample`` characters; the language
    with the most wins if it has at least ``minimum`` hits.
    """
    counts = dict.fromkeys(STOPWORDS, 0)
    for m in _WORD.finditer(text, 0, min(len(text), sample)):
        w = m.group().lower()
        for lang, words in STOPWORDS.items():
            if w in words:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    if counts[best] < minimum:
        return ""
    return best


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
