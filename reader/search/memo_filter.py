"""``memo:WORD``: articles whose memos hold a word, resolved when the query runs.

Memos are few and short and are not in the index (its schema stays as it is): each
``memo:`` term of a parsed query is matched against the text of the article memos, folded
and stemmed as the index folds an article, and replaced by the ids of the articles whose
memos hold it (``id:`` terms the compiler turns into a filter). A memo file that cannot be
read is skipped here (``reader memo list`` names it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from reader.search.analysis import folded_words, stems
from reader.search.query import And, Node, Not, Or, Phrase, Word

if TYPE_CHECKING:
    from reader.annotations.memos import MemoStore

FIELD = "memo"
ID_FIELD = "id"  # a Word on this field is an article id, as written (never parsed from text)
NOTHING = Word("", ID_FIELD)  # no article has the empty id

MemoTexts = Callable[[], Iterable[tuple[str, str]]]  # (article id, memo text)


def article_memos(store: MemoStore) -> list[tuple[str, str]]:
    """(article id, text) of every readable article memo."""
    return [(m.about, m.text) for m in store.load_all()[0] if m.scope == "article"]


def has_memo_terms(node: Node | None) -> bool:
    if isinstance(node, And | Or):
        return any(has_memo_terms(n) for n in node.items)
    if isinstance(node, Not):
        return has_memo_terms(node.item)
    return isinstance(node, Word | Phrase) and node.field == FIELD


def _within(a: str, b: str, dist: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``dist``."""
    if abs(len(a) - len(b)) > dist:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > dist:
            return False
        prev = cur
    return prev[-1] <= dist


def word_matches(w: Word, words: list[str]) -> bool:
    """Whether a memo's folded ``words`` hold the query word as the index would match it."""
    if w.prefix:
        return any(x.startswith(w.text) for x in words)
    if w.fuzzy:
        return any(x[:2] == w.text[:2] and _within(w.text, x, w.fuzzy) for x in words)
    wanted = stems(w.text) | {w.text}
    return any(x == w.text or stems(x) & wanted for x in words)


def phrase_matches(p: Phrase, words: list[str]) -> bool:
    n = len(p.words)
    return any(tuple(words[i:i + n]) == p.words for i in range(len(words) - n + 1))


def matching_articles(leaf: Word | Phrase, memos: Iterable[tuple[str, str]]) -> list[str]:
    """The ids of the articles one of whose memos holds ``leaf``, sorted."""
    found: set[str] = set()
    for article_id, text in memos:
        if article_id in found:
            continue
        words = folded_words(text)
        if (phrase_matches(leaf, words) if isinstance(leaf, Phrase)
                else word_matches(leaf, words)):
            found.add(article_id)
    return sorted(found)


def resolve(node: Node, texts: MemoTexts) -> Node:
    """``node`` with each ``memo:`` term replaced by the articles whose memos hold it (the
    memos read once, and only when the query has such a term)."""
    if not has_memo_terms(node):
        return node
    memos = list(texts())

    def walk(n: Node) -> Node:
        if isinstance(n, And):
            return And(tuple(walk(i) for i in n.items))
        if isinstance(n, Or):
            return Or(tuple(walk(i) for i in n.items))
        if isinstance(n, Not):
            return Not(walk(n.item))
        if isinstance(n, Word | Phrase) and n.field == FIELD:
            ids = matching_articles(n, memos)
            if not ids:
                return NOTHING
            return Word(ids[0], ID_FIELD) if len(ids) == 1 else Or(
                tuple(Word(i, ID_FIELD) for i in ids))
        return n

    return walk(node)
