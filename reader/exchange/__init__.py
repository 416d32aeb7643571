"""Exchange formats other tools read: REFI-QDA codebooks and projects.

QDA-XML 1.0 (the REFI-QDA standard) is what ATLAS.ti, MAXQDA, NVivo, QualCoder and others
import and export: a codebook (``.qdc``) is the tags with their hierarchy, colours and
definitions; a project (``.qdpx``) adds the coders, the articles' text, the tagged passages
and the memos. :mod:`.model` holds the types, :mod:`.write` and :mod:`.read` the formats.
Whoever maps the annotation store onto these types uses only what is imported here.
"""

from reader.exchange.model import (
    Code,
    Coding,
    ExchangeError,
    Imported,
    Note,
    Project,
    Selection,
    Source,
    User,
    code_tree,
    definition_text,
    stable_guid,
    walk_codes,
)
from reader.exchange.read import parse_codebook, parse_project, read_codebook, read_project
from reader.exchange.safezip import Limits
from reader.exchange.write import codebook_xml, project_archive, write_codebook, write_project

__all__ = [
    "Code", "Coding", "ExchangeError", "Imported", "Limits", "Note", "Project", "Selection",
    "Source", "User", "code_tree", "codebook_xml", "definition_text", "parse_codebook",
    "parse_project", "project_archive", "read_codebook", "read_project", "stable_guid",
    "walk_codes", "write_codebook", "write_project",
]
