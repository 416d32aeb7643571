"""Messages shared by several widgets and screens."""

from __future__ import annotations

from textual.message import Message


class AnnotationsChanged(Message):
    """An article's annotations were added, edited, deleted or restored (article list counts,
    tag filters and the review screen refresh on it)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class VocabularyChanged(Message):
    """Tags were added, renamed, recoloured or retired (highlights and tag lists redraw; a
    rename also changed the tags of annotations in many articles)."""
