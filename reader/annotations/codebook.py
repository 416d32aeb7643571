"""The tag vocabulary as a codebook other tools read (REFI-QDA ``.qdc``), and one read back.

**Export**: every tag (retired ones too: their passages still carry them) becomes a code
with its colour and description, and a stable GUID (the same tag gets the same GUID in every
export). A ``/`` in a tag's name is a level of the hierarchy: ``sanctions/economic`` is the
code ``economic`` under ``sanctions`` (a parent that is not a tag of its own is written too).

**Import**: a ``.qdc`` codebook, or the codebook inside a ``.qdpx`` project, merged into the
vocabulary by name (case-insensitive; a code is named by its path, ``Commits/19e4dce``):

- a name the vocabulary lacks is *added*, with the code's colour (else the next free one) and
  its definition as the description;
- an existing tag takes the code's description (*described*) and colour (*recoloured*) where
  the codebook has one that differs; what the codebook leaves empty is left as it is;
- nothing is removed, renamed or retired; a name the vocabulary refuses is *left out*, with
  the reason, as is what the file holds that a vocabulary does not keep.

A tag's definition maps to the code's one ``Description``: the description, then
``Include:`` (the inclusion notes), ``Exclude:`` (the exclusion notes) and ``Example:``
(the example passage as ``ARTICLE#PASSAGE``) paragraphs; an import splits them back into the
tag's ``description``, ``include``, ``exclude`` and ``example`` (a code whose example is no
such reference, as other tools write them, keeps its whole text as the description). Each
change goes through the vocabulary's own edits (lock, re-read, atomic write): an interrupted
import leaves a valid vocabulary, and importing the same file again finishes the job.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from reader.annotations.vocabulary import Vocabulary, VocabularyError
from reader.exchange import (
    Code,
    code_tree,
    definition_text,
    read_codebook,
    stable_guid,
    walk_codes,
    write_codebook,
)
from reader.exchange.model import split_definition
from reader.models import Tag

Action = Literal["added", "described", "recoloured", "unchanged", "left out"]
ACTIONS: tuple[Action, ...] = ("added", "described", "recoloured", "unchanged", "left out")
_EXAMPLE_REF = re.compile(r"([^\s#]+)#([^\s#]+)")  # ARTICLE#PASSAGE


@dataclass(frozen=True, slots=True)
class Change:
    """What an import does (or did) to one tag."""

    action: Action
    name: str
    colour: str = ""  # added, recoloured: the new colour ("" for added: the next free one)
    description: str = ""  # added, described: the new description
    old: str = ""  # recoloured: the colour before; described: the description before
    reason: str = ""  # left out: why


@dataclass(frozen=True, slots=True)
class CodebookMerge:
    """An import's changes, in the codebook's order (parents before children)."""

    source: str  # the file's name
    changes: tuple[Change, ...]
    left_out: tuple[str, ...] = ()  # what the file held that a vocabulary does not keep
    applied: bool = False  # False: planned only (a dry run)

    def names(self, action: Action) -> list[str]:
        return [c.name for c in self.changes if c.action == action]

    def summary(self) -> str:
        """One line: ``tags.qdc: 2 added, 1 described, 0 recoloured, 5 unchanged``, with
        ``; left out: ...`` when something was."""
        counts = Counter(c.action for c in self.changes)
        tags = len({c.name.casefold() for c in self.changes})
        parts = [f"{counts[a]} {a}" for a in ACTIONS[:4]]
        out = f"{self.source}: {tags} tag{'s' if tags != 1 else ''}: {', '.join(parts)}"
        left = [f"{counts['left out']} tag{'s' if counts['left out'] != 1 else ''}"] \
            if counts["left out"] else []
        left += list(self.left_out)
        return out + (f"; left out: {', '.join(left)}" if left else "")


def _six(colour: str) -> str:
    """``#abc`` as ``#aabbcc``, lower case; "" stays "" (for comparing colours)."""
    c = colour.strip().lower()
    if len(c) == 4 and c.startswith("#"):
        return "#" + "".join(ch * 2 for ch in c[1:])
    return c


# -- export -------------------------------------------------------------------------------------
def codebook_codes(tags: Iterable[Tag]) -> tuple[Code, ...]:
    """The tags as a tree of codes. ValueError for a name that cannot be a path (an empty
    part: ``a//b``, ``/a``, ``a/``)."""
    return code_tree(_code(t) for t in tags)


def _code(t: Tag) -> Code:
    example = f"{t.example[0]}#{t.example[1]}" if t.example is not None else ""
    return Code(stable_guid("code", t.name), t.name, colour=_six(t.colour),
                description=t.description, inclusion=t.include, exclusion=t.exclude,
                example=example)


def definition_of(tag: Tag) -> str:
    """The tag's definition as one text: the code's ``Description`` in a codebook."""
    return definition_text(_code(tag))


def _describe(vocabulary: Vocabulary, name: str, text: str) -> None:
    """Set the tag's definition from a code's ``Description`` (split into its parts)."""
    description, include, exclude, example = split_definition(text)
    ref = _EXAMPLE_REF.fullmatch(example.strip())
    if example and ref is None:  # another tool's example text: the definition kept whole
        description, include, exclude = text, "", ""
    vocabulary.describe(name, description=description, include=include, exclude=exclude)
    if ref is not None:
        vocabulary.set_example(name, (ref.group(1), ref.group(2)))


def export_codebook(vocabulary: Vocabulary, path: Path) -> int:
    """Write the vocabulary's tags to ``path`` as a ``.qdc`` codebook, atomically; returns
    the number of codes written (parents made for ``/`` paths included). ValueError for a
    tag name that cannot be a path, :class:`reader.exchange.ExchangeError` for what the
    format cannot hold, OSError for the file."""
    codes = codebook_codes(vocabulary.tags)
    write_codebook(path, codes)
    return sum(1 for _ in walk_codes(codes))


# -- import -------------------------------------------------------------------------------------
def plan_merge(tags: Sequence[Tag], codes: Sequence[Code], source: str = "",
               left_out: Sequence[str] = ()) -> CodebookMerge:
    """What merging ``codes`` into a vocabulary holding ``tags`` does (nothing is written)."""
    existing = {t.name.casefold(): t for t in tags}
    seen: set[str] = set()
    changes: list[Change] = []
    for path, code in walk_codes(codes):
        name = " ".join(path.split())
        if not name:
            changes.append(Change("left out", path, reason="a code without a name"))
            continue
        if name.casefold() in seen:
            changes.append(Change("left out", name, reason="named twice in the codebook"))
            continue
        seen.add(name.casefold())
        description = definition_text(code).strip()
        colour = _six(code.colour)
        tag = existing.get(name.casefold())
        if tag is None:
            changes.append(Change("added", name, colour, description))
            continue
        before = len(changes)
        if description and description != definition_text(_code(tag)).strip():
            changes.append(Change("described", tag.name, description=description,
                                  old=tag.description))
        if colour and colour != _six(tag.colour):
            changes.append(Change("recoloured", tag.name, colour, old=tag.colour))
        if len(changes) == before:
            changes.append(Change("unchanged", tag.name))
    return CodebookMerge(source, tuple(changes), tuple(left_out))


def import_codebook(vocabulary: Vocabulary, path: Path, *, dry_run: bool = False
                    ) -> CodebookMerge:
    """Merge the codebook in ``path`` (``.qdc``, or a ``.qdpx`` project's) into the
    vocabulary (see the module's docstring). :class:`reader.exchange.ExchangeError` for a
    file that cannot be read, :class:`VocabularyError` for a broken vocabulary file (nothing
    is changed then), OSError (e.g. the lock) as it comes."""
    imported = read_codebook(path)
    if vocabulary.error is not None:
        raise VocabularyError(vocabulary.error.path, vocabulary.error.line,
                              f"{vocabulary.error.reason} (not changed: fix the file first)")
    merge = plan_merge(vocabulary.tags, imported.project.codes, path.name, imported.left_out)
    if dry_run:
        return merge
    done: list[Change] = []
    for change in merge.changes:
        try:
            if change.action == "added":
                vocabulary.add(change.name, colour=change.colour or None)
                _describe(vocabulary, change.name, change.description)
            elif change.action == "described":
                _describe(vocabulary, change.name, change.description)
            elif change.action == "recoloured":
                vocabulary.recolour(change.name, change.colour)
        except VocabularyError:
            raise
        except (ValueError, KeyError) as exc:  # a name the vocabulary refuses
            reason = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
            done.append(Change("left out", change.name, reason=reason))
            continue
        done.append(change)
    return replace(merge, changes=tuple(done), applied=True)
