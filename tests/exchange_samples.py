"""Projects to write and read in the exchange tests, and the QDA-XML schemas to check them.

The schemas come from ``../shared/standards/refi-qda`` (not shipped with the project); tests
that need them skip when it is absent.

The codebook schema: REFI-QDA publishes ``Codebook.xsd`` beside ``Project.xsd``; only the
latter is here. A ``.qdc`` is the project's ``CodeBook`` element on its own, in namespace
``urn:QDA-XML:codebook:1.0`` (issue text and REFI-QDA 1.5), so :func:`codebook_schema`
derives it from ``Project.xsd``: the same types with that target namespace and a global
``CodeBook`` element of ``CodeBookType``. That schema is a little stricter than the published
one (no ``origin`` attribute, no ``Sets``), and a little looser in one place (its ``Code``
allows ``NoteRef``, which the published codebook does not): the tests check that a written
codebook has no ``NoteRef`` and no ``origin`` either, so it is valid against both.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from reader.exchange import (
    Code,
    Coding,
    Note,
    Project,
    Selection,
    Source,
    User,
    code_tree,
    stable_guid,
    walk_codes,
)
from tests.conftest import SHARED

STANDARDS = SHARED / "standards" / "refi-qda"
PROJECT_XSD = STANDARDS / "Project.xsd"
ATLAS_SAMPLE = STANDARDS / "atlas-ti-sample.qdpx"


def standards_or_skip() -> Path:
    if not PROJECT_XSD.is_file():
        pytest.skip("../shared/standards/refi-qda is absent")
    return STANDARDS


@cache
def project_schema() -> Any:
    xmlschema = pytest.importorskip("xmlschema")
    standards_or_skip()
    return xmlschema.XMLSchema(str(PROJECT_XSD))


@cache
def codebook_schema() -> Any:
    xmlschema = pytest.importorskip("xmlschema")
    standards_or_skip()
    text = PROJECT_XSD.read_text(encoding="utf-8")
    for old in ('xmlns="urn:QDA-XML:project:1.0"', 'targetNamespace="urn:QDA-XML:project:1.0"'):
        assert text.count(old) == 1
        text = text.replace(old, old.replace("project", "codebook"))
    anchor = "<!-- ===== Type Definitions ===== -->"
    assert text.count(anchor) == 1
    text = text.replace(anchor, '<xsd:element name="CodeBook" type="CodeBookType"/>\n' + anchor)
    return xmlschema.XMLSchema(text)


# ---------------------------------------------------------------- a hand-made study

ANA = User(stable_guid("user", "Ana"), "Ana")
BUDI = User(stable_guid("user", "Budi Santoso"), "Budi Santoso")
T1 = ("Putin Tiba di Pyongyang\n\nPYONGYANG, KOMPAS.com - Presiden Rusia Vladimir Putin tiba "
      "di Pyongyang, Rabu (19/6/2024). Keduanya menandatangani perjanjian kemitraan strategis "
      "yang mencakup bantuan militer timbal balik.\n\nAS menyebut kerja sama itu "
      "\"mengkhawatirkan\".")
T2 = ("Sanctions tighten 🚢 as ships go dark\n\nThe EU's 14th package targets the shadow fleet — "
      "tankers that switch off their transponders. Officials said more would follow.")


def memo(key: str, text: str, kind: str = "", coder: User | None = None) -> Note:
    return Note(stable_guid("memo", key), key, text, kind=kind,
                coder=coder.guid if coder else None, created="2026-11-25T05:41:54Z")


def tag(path: str, colour: str = "", **kw: Any) -> Code:
    return Code(stable_guid("code", path), path, colour, **kw)


def sample_project() -> Project:
    codes = code_tree([
        tag("sanctions", "#d62728", description="Economic and financial measures.",
            inclusion="asset freezes, export bans", exclusion="tariffs in trade disputes",
            example="The EU's 14th package targets the shadow fleet"),
        tag("sanctions/economic", "#ff9896"),
        tag("military cooperation", "#1f77b4", notes=(memo("tag memo", "Watch arms.", "theory"),)),
        tag("military cooperation/arms transfer"),
        tag("treaties", "#2ca02c", description="Agreements signed\r\nor announced."),
    ])
    paths = {p: c.guid for p, c in walk_codes(codes)}
    s1 = Source(stable_guid("article", "kompas/putin"), "Putin Tiba di Pyongyang", T1,
                description="KOMPAS.com, 2024-06-19", notes=(memo("article memo", "Lead.",
                                                                  "method", ANA),))
    s2 = Source(stable_guid("article", "bbc/sanctions"), "Sanctions tighten", T2,
                created="2026-11-20T10:00:00Z")

    def passage(src: Source, quote: str, tags: list[str], coders: list[User], note: str = "",
                occurrence: int = 0) -> Selection:
        start = -1
        for _ in range(occurrence + 1):
            start = src.text.index(quote, start + 1)
        guid = stable_guid("passage", src.guid, quote)
        codings = tuple(Coding(stable_guid("coding", guid, t, u.guid), paths[t], u.guid,
                               "2026-11-25T06:00:00Z") for t in tags for u in coders)
        return Selection(guid, src.guid, start, start + len(quote), quote, codings,
                         coders[0].guid, "2026-11-25T06:00:00Z", "2026-11-26T07:00:00Z", note)

    selections = (
        passage(s1, "perjanjian kemitraan strategis", ["treaties"], [ANA, BUDI]),
        passage(s1, "bantuan militer timbal balik", ["military cooperation/arms transfer",
                                                     "treaties"], [ANA], note="Mutual aid.\n"
                                                     "Two lines & <angle> \"quotes\"."),
        passage(s1, "\"mengkhawatirkan\"", ["military cooperation"], [BUDI]),
        passage(s2, "🚢", ["sanctions/economic"], [BUDI]),
        passage(s2, "targets the shadow fleet", ["sanctions", "sanctions/economic"], [ANA, BUDI],
                note="Windows line end:\r\nkept."),
    )
    return Project("Russia and North Korea", (ANA, BUDI), codes, (s1, s2), selections,
                   (memo("library memo", "Scope: 2024.", "to do", ANA),),
                   description="Coverage of the 2024 summit.")


def in_file_order(project: Project) -> Project:
    """The project as reading gives it back: selections grouped by source, in text order."""
    order = {s.guid: i for i, s in enumerate(project.sources)}
    sels = sorted(project.selections, key=lambda s: (order[s.source], s.start, s.end, s.guid))
    return Project(project.name, project.users, project.codes, project.sources, tuple(sels),
                   project.notes, project.description, project.origin)


# ---------------------------------------------------------------- random studies

STAMPS = ["", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.25+07:00"]
_ALPHABET = ("abcdefghij klmnop ÄÖüé ñ çà 北京 한국 Привет ًعربي 🚢🙂 \t.,;:!?\"'<>&\n—–")


def random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(n))


def random_project(rng: random.Random, texts: list[str] | None = None) -> Project:
    """A project with random tags (up to three levels), coders, sources (``texts``, or random
    text in many scripts), passages with several codings and notes, memos."""
    users = tuple(User(stable_guid("user", str(i)), random_text(rng, rng.randint(1, 12)))
                  for i in range(rng.randint(1, 4)))
    paths: list[str] = []
    for i in range(rng.randint(1, 12)):
        parent = rng.choice(paths) if paths and rng.random() < 0.5 else ""
        if parent.count("/") >= 2:
            parent = ""
        name = f"t{i} {random_text(rng, rng.randint(0, 8)).replace('/', '')}".strip()
        paths.append(f"{parent}/{name}" if parent else name)
    flat = []
    for p in paths:
        colour = rng.choice(["", f"#{rng.randrange(16**6):06x}", f"#{rng.randrange(16**6):06X}"])
        words = [random_text(rng, rng.randint(1, 40)) if rng.random() < 0.4 else ""
                 for _ in range(4)]
        notes = tuple(Note(stable_guid("memo", p, str(k)), f"memo {k}",
                           random_text(rng, rng.randint(0, 60)), kind=rng.choice(["", "theory"]))
                      for k in range(rng.randint(0, 1)))
        flat.append(Code(stable_guid("code", p), p, colour, description=words[0],
                         inclusion=words[1], exclusion=words[2], example=words[3], notes=notes))
    codes = code_tree(flat)
    code_guids = [c.guid for _, c in walk_codes(codes)]
    texts = texts or [random_text(rng, rng.randint(0, 400)) for _ in range(rng.randint(1, 5))]
    sources, selections = [], []
    for k, text in enumerate(texts):
        src = Source(stable_guid("article", str(k)), f"article {k}", text)
        sources.append(src)
        for j in range(rng.randint(0, 8)):
            a, b = sorted(rng.randint(0, len(text)) for _ in range(2))
            guid = stable_guid("passage", str(k), str(j))
            codings = tuple(Coding(stable_guid("coding", guid, str(m)), rng.choice(code_guids),
                                   rng.choice(users).guid if rng.random() < 0.8 else None,
                                   rng.choice(STAMPS))
                            for m in range(rng.randint(0, 3)))
            note = random_text(rng, rng.randint(1, 50)) if rng.random() < 0.3 else ""
            selections.append(Selection(guid, src.guid, a, b, text[a:b], codings,
                                        rng.choice(users).guid, note=note))
    notes = tuple(Note(stable_guid("memo", "p", str(k)), f"project memo {k}",
                       random_text(rng, rng.randint(0, 80))) for k in range(rng.randint(0, 2)))
    return Project(random_text(rng, 10), users, codes, tuple(sources), tuple(selections), notes,
                   random_text(rng, rng.randint(0, 20)))
