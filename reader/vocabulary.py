"""The tag vocabulary: ``annotations/vocabulary.yml`` (name, colour, key, description, cues).

(Skeleton: interface fixed; defaults and editing to be filled in.)
"""

from __future__ import annotations

from pathlib import Path

from reader.models import Tag

DEFAULT_TAGS: tuple[Tag, ...] = (
    Tag("sanctions", "#e06c75", "1", "Sanctions, embargoes and restrictions",
        ("sanksi", "embargo", "sanctions")),
    Tag("military cooperation", "#61afef", "2", "Arms, ammunition, defence ties",
        ("militer", "senjata", "amunisi", "pertahanan", "military", "weapons")),
    Tag("treaties", "#98c379", "3", "Treaties, agreements, declarations",
        ("perjanjian", "traktat", "kemitraan strategis", "deklarasi", "treaty")),
)


class Vocabulary:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tags: list[Tag] = list(DEFAULT_TAGS)

    def get(self, name: str) -> Tag | None:
        return next((t for t in self.tags if t.name == name), None)

    def active(self) -> list[Tag]:
        return [t for t in self.tags if not t.retired]
