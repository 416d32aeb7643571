"""What suggestions learn from review: per tag, how often each word stood in the sentence of
an accepted and of a rejected suggestion (``annotations/suggestion-model.yml``).

Plain, readable, diff-friendly YAML, user data like ``rejected.yml``: written under the
library's lock after re-reading the file (another instance's reviews are kept), atomically;
loaded with the strict safe loader; a file that cannot be read is reported and never
overwritten. Deleting the file forgets everything learned (ranking then starts again from
what reader knows of the default tags, :mod:`reader.review.ranking`); deleting a tag's entry
forgets that tag.

The words are those around each cue (:func:`context_words`: the cue and three words each
side), where the sense of a cue shows ("sanksi administratif", "lini pertahanan", "senjata
api"); whole sentences taught names and topics of the articles reviewed, which did not carry
over to others. The ranking reads the counts as naive Bayes over word presence
(:meth:`TagModel.weight`).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader import yamlio
from reader.config import Config
from reader.search import analysis

MODEL_FILENAME = "suggestion-model.yml"
FORMAT_VERSION = 1
HEADER = ("# What reader learned from the suggestions you accepted and rejected: per tag, in how\n"
          "# many accepted and rejected suggestions each word stood. Suggestions whose words were\n"
          "# mostly seen in accepted ones come first. Delete this file to start over, or one\n"
          "# tag's entry to forget what that tag learned.\n")
MAX_WEIGHT = 1.5  # one word never says more than this (in natural-log odds)
MIN_SEEN = 2  # reviews a word must have been seen in to count
SMOOTHING = 20.0  # pseudo-reviews pulling each side's rate towards the word's overall rate


class ModelFileError(yamlio.YamlFileError):
    """``annotations/suggestion-model.yml`` cannot be read; it is left as is."""


def model_path(config: Config) -> Path:
    return config.annotations_dir / MODEL_FILENAME


def feature_words(sentence: str, language: str) -> set[str]:
    """The words of a sentence the model counts: folded, no stop words, no numbers or
    one-letter words; an Indonesian ``-nya`` and an English ``'s`` ignored."""
    stop = analysis.STOPWORDS.get(language, frozenset())
    out = set()
    for raw in analysis.WORD_PATTERN.findall(sentence):
        w = analysis.fold(raw)
        if w.endswith("'s"):
            w = w[:-2]
        elif w.endswith("nya") and len(w) > 6:
            w = w[:-3]
        if len(w) > 1 and not w.isdigit() and w not in stop:
            out.add(w)
    return out


WINDOW = 3  # words each side of a cue


def _feature(w: str) -> str | None:
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("nya") and len(w) > 6:
        w = w[:-3]
    return w if len(w) > 1 and not w.isdigit() else None


def context_words(words: tuple[str, ...] | list[str], at: Iterable[tuple[int, int]],
                  window: int = WINDOW) -> set[str]:
    """The words a review teaches about: each cue's words and up to ``window`` words each
    side of it (``words``: the sentence's, folded, stop words out; ``at``: the cues as
    ranges into them)."""
    out = set()
    for start, end in at:
        for w in words[max(0, start - window):end + window]:
            f = _feature(w)
            if f is not None:
                out.add(f)
    return out


@dataclass(slots=True)
class TagModel:
    accepted: int = 0
    rejected: int = 0
    accepted_words: dict[str, int] = field(default_factory=dict)
    rejected_words: dict[str, int] = field(default_factory=dict)

    def weight(self, word: str) -> float:
        """Log-odds that a suggestion with ``word`` around its cue is accepted rather than
        rejected; 0 for a word seen in fewer than two reviews (one is too often chance).
        Each side's rate is smoothed towards the word's rate in all reviews, so a few
        accepted against many rejected suggestions do not make every rare word count."""
        a = self.accepted_words.get(word, 0)
        r = self.rejected_words.get(word, 0)
        if a + r < MIN_SEEN:
            return 0.0
        rate = (a + r) / max(1, self.accepted + self.rejected)
        w = (math.log((a + SMOOTHING * rate) / (self.accepted + SMOOTHING))
             - math.log((r + SMOOTHING * rate) / (self.rejected + SMOOTHING)))
        return max(-MAX_WEIGHT, min(MAX_WEIGHT, w))

    def add(self, words: Iterable[str], accepted: bool, step: int = 1) -> None:
        counts = self.accepted_words if accepted else self.rejected_words
        if accepted:
            self.accepted = max(0, self.accepted + step)
        else:
            self.rejected = max(0, self.rejected + step)
        for w in words:
            n = counts.get(w, 0) + step
            if n > 0:
                counts[w] = n
            else:
                counts.pop(w, None)


Model = dict[str, TagModel]  # tag name folded -> its model


def _counts(raw: Any, path: Path, where: str) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in raw.items()):
        raise ModelFileError(path, None, f"{where}: expected word: count (a whole number)")
    return dict(raw)


def _number(raw: Any, path: Path, where: str) -> int:
    if raw is None:
        return 0
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise ModelFileError(path, None, f"{where}: expected a whole number")
    return raw


_Stat = tuple[int, int, int]  # inode, size, mtime in ns
_last: dict[Path, tuple[_Stat, dict[str, dict[str, Any]], dict[str, Any]]] = {}
_last_lock = threading.Lock()


def _stat(path: Path) -> _Stat | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _read(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """(raw entries by tag as written, other top-level keys); {} when there is no file.
    The file last read or written is kept while it is unchanged on disk: a review rewrites
    a file of thousands of words, and parsing it again each time cost more than the rest."""
    stat = _stat(path)
    if stat is None:
        return {}, {}
    with _last_lock:
        last = _last.get(path)
    if last is not None and last[0] == stat:
        return last[1], last[2]  # shared: never changed in place
    entries, extra = _parse_file(path)
    with _last_lock:
        _last[path] = (stat, entries, extra)
    return entries, extra


def _parse_file(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    try:
        data, node = yamlio.parse(path, yamlio.read_text(path))
    except yamlio.YamlFileError as exc:
        raise ModelFileError(exc.path, exc.line, exc.reason) from None
    except OSError as exc:
        raise ModelFileError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(data.get("tags") or {}, dict):
        raise ModelFileError(path, yamlio.node_line(node),
                             "expected a mapping with the tags under `tags:`")
    version = data.get("version", FORMAT_VERSION)
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise ModelFileError(path, 1, f"written by a newer reader (version {version})")
    entries: dict[str, dict[str, Any]] = {}
    for name, entry in (data.get("tags") or {}).items():
        if not isinstance(name, str) or not isinstance(entry, dict):
            raise ModelFileError(path, None, f"tag {name!r}: expected a mapping")
        entries[name] = dict(entry)
    return entries, {k: v for k, v in data.items() if k not in ("version", "tags")}


def _parse(path: Path, entries: dict[str, dict[str, Any]]) -> Model:
    model: Model = {}
    for name, e in entries.items():
        model[name.casefold()] = TagModel(
            _number(e.get("accepted"), path, f"{name}: accepted"),
            _number(e.get("rejected"), path, f"{name}: rejected"),
            _counts(e.get("accepted_words"), path, f"{name}: accepted_words"),
            _counts(e.get("rejected_words"), path, f"{name}: rejected_words"))
    return model


def load(config: Config) -> Model:
    """The model; raises :class:`ModelFileError` for a broken file."""
    path = model_path(config)
    entries, _ = _read(path)
    return _parse(path, entries)


def load_quietly(config: Config) -> tuple[Model, ModelFileError | None]:
    """The model, or an empty one and the error when the file is broken."""
    try:
        return load(config), None
    except ModelFileError as exc:
        return {}, exc


def _entry(m: TagModel, extra: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"accepted": m.accepted, "rejected": m.rejected,
                           "accepted_words": dict(sorted(m.accepted_words.items())),
                           "rejected_words": dict(sorted(m.rejected_words.items()))}
    out.update({k: v for k, v in extra.items() if k not in out})
    return out


def learn(config: Config, tag: str, words: Iterable[str], accepted: bool,
          step: int = 1) -> None:
    """Count one review (``step`` -1 takes one back). Raises :class:`ModelFileError` (the
    file is then left as it is) or OSError."""
    learn_many(config, [(tag, words, accepted)], step)


def learn_many(config: Config, reviews: Iterable[tuple[str, Iterable[str], bool]],
               step: int = 1) -> None:
    """Count several reviews (tag, words around the cue, accepted?) in one write."""
    path = model_path(config)
    with yamlio.library_lock(config.annotations_dir / ".lock"):
        entries, extra = _read(path)
        model = _parse(path, entries)
        names = {n.casefold(): n for n in entries}
        for tag, words, accepted in reviews:
            names.setdefault(tag.casefold(), tag)
            model.setdefault(tag.casefold(), TagModel()).add(set(words), accepted, step)
        tags = {name: _entry(model[key], entries.get(name, {}))
                for key, name in sorted(names.items())}
        doc: dict[str, Any] = {"version": FORMAT_VERSION, "tags": tags}
        doc.update(extra)
        yamlio.atomic_write(path, HEADER + dump(doc))
        stat = _stat(path)
        if stat is not None:
            with _last_lock:
                _last[path] = (stat, tags, extra)


_PLAIN = re.compile(r"[^\W\d_](?:[\w' -]*[\w'])?")
_SPECIAL = frozenset("y yes n no on off true false null".split())
_ENTRY_KEYS = ("accepted", "rejected", "accepted_words", "rejected_words")


def _key(word: str) -> str:
    if _PLAIN.fullmatch(word) and word.casefold() not in _SPECIAL:
        return word
    return "'" + word.replace("'", "''") + "'"


def dump(doc: dict[str, Any]) -> str:
    """The model as block YAML, one word a line. Written here rather than by PyYAML, whose
    emitter took 0.3-0.9 s for a file of a few thousand words on every review; a document
    with keys added by hand (which this does not know how to write) goes through
    :func:`reader.yamlio.dump`."""
    tags = doc.get("tags", {})
    if set(doc) - {"version", "tags"} or any(
            set(e) - set(_ENTRY_KEYS) for e in tags.values()):
        return yamlio.dump(doc)
    lines = [f"version: {doc.get('version', FORMAT_VERSION)}", "tags:" if tags else "tags: {}"]
    for name, e in tags.items():
        lines.append(f"  {_key(name)}:")
        for k in _ENTRY_KEYS:
            value = e.get(k)
            if isinstance(value, dict):
                lines.append(f"    {k}:" if value else f"    {k}: {{}}")
                lines.extend(f"      {_key(w)}: {n}" for w, n in value.items())
            else:
                lines.append(f"    {k}: {value or 0}")
    return "\n".join(lines) + "\n"
