"""Messages shared by several widgets and screens.

App-level events (:class:`AnnotationsChanged`, :class:`VocabularyChanged`,
:class:`ArticlesChanged`, :class:`IndexUpdated`) are posted to the app (see
:func:`announce`), which hands a copy to every screen; they do not bubble, so a screen that
gets one never sends it back up. Requests to the app (:class:`OpenArticle`,
:class:`OpenPassage`) let a screen or a palette command open an article without knowing the
main screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.dom import DOMNode
from textual.message import Message


class AppEvent(Message, bubble=False):
    """Something changed that every screen may show; see :func:`announce`."""

    def copy(self) -> AppEvent:
        raise NotImplementedError


class AnnotationsChanged(AppEvent, bubble=False):
    """The annotations of ``article_ids`` were added, edited, deleted or restored; ``origin``
    says where ("reading", "results", "review", "suggestions", "disk": another program)."""

    def __init__(self, article_ids: Iterable[str], origin: str = "") -> None:
        super().__init__()
        self.article_ids = tuple(dict.fromkeys(article_ids))
        self.origin = origin

    @property
    def article_id(self) -> str:
        return self.article_ids[0] if self.article_ids else ""

    def copy(self) -> AnnotationsChanged:
        return AnnotationsChanged(self.article_ids, self.origin)


class VocabularyChanged(AppEvent, bubble=False):
    """Tags were added, renamed, recoloured or retired (here or in the file, by another
    program); ``renamed`` are the articles whose annotations a rename rewrote."""

    def __init__(self, renamed: Iterable[str] = (), origin: str = "") -> None:
        super().__init__()
        self.renamed = tuple(renamed)
        self.origin = origin

    def copy(self) -> VocabularyChanged:
        return VocabularyChanged(self.renamed, self.origin)


class ArticlesChanged(AppEvent, bubble=False):
    """Article files were added, changed or removed (paths under ``articles/``; empty: not
    known which, read the library again)."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        super().__init__()
        self.paths = tuple(paths)

    def copy(self) -> ArticlesChanged:
        return ArticlesChanged(self.paths)


class IndexUpdated(AppEvent, bubble=False):
    """The search index took in changes (``changed``); ``notice`` is for the user."""

    def __init__(self, changed: bool, notice: str = "") -> None:
        super().__init__()
        self.changed, self.notice = changed, notice

    def copy(self) -> IndexUpdated:
        return IndexUpdated(self.changed, self.notice)


class IndexProgress(AppEvent, bubble=False):
    """The index is being brought up to date: ``done`` of ``total`` articles."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)

    def copy(self) -> IndexProgress:
        return IndexProgress(self.done, self.total)


class MemosChanged(AppEvent, bubble=False):
    """Memo files were added, edited or deleted (here: ``origin`` names the screen; "disk":
    another program)."""

    def __init__(self, origin: str = "") -> None:
        super().__init__()
        self.origin = origin

    def copy(self) -> MemosChanged:
        return MemosChanged(self.origin)


class RunSearch(Message, bubble=False):
    """Ask the app to search the articles for ``query`` on the main screen (a saved search
    chosen in the palette or its screen)."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query


class OpenArticle(Message, bubble=False):
    """Ask the app to show an article on the main screen."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class OpenPassage(Message, bubble=False):
    """Ask the app to show ``start``-``end`` of an article; Esc from it goes back to the
    installed screen ``back_to``."""

    def __init__(self, article_id: str, start: int, end: int, back_to: str = "") -> None:
        super().__init__()
        self.article_id, self.start, self.end, self.back_to = article_id, start, end, back_to


def announce(node: DOMNode, event: Message) -> None:
    """Post an app-level event or request to the app (from any widget or screen)."""
    node.app.post_message(event)
