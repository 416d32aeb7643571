"""Who is coding: the name recorded in each passage's ``coders``.

Found, in order: the name given (``reader annotate --coder NAME``), ``READER_CODER``, the
user's settings (``coder:`` in ``settings.yml`` in reader's data folder, written by
:func:`remember`), then git's ``user.name`` for the library's folder. None when none of them
says: the command line then says how to set it, the reader asks once and remembers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader import yamlio
from reader.annotations.format import coder_name_problem
from reader.config import ENV_CODER, user_settings_path
from reader.models import Annotation

UNKNOWN = "unknown coder"  # how a passage without coders is shown and filtered
AGREED = "agreed"  # the coder of a disagreement's resolution


@dataclass(frozen=True, slots=True)
class Coder:
    name: str
    origin: str  # "--coder", "$READER_CODER", the settings file's path, "git user.name"


def clean(name: str) -> str:
    """The name with spacing tidied; ValueError saying why it cannot be a coder's name."""
    problem = coder_name_problem(name)
    if problem:
        raise ValueError(problem)
    return " ".join(name.split())


def resolve(given: str | None, library: Path) -> Coder | None:
    """Who is coding (see the module's docstring); ValueError for a name that cannot be one,
    or a settings file that cannot be read."""
    if given is not None:
        return Coder(clean(given), "--coder")
    env = os.environ.get(ENV_CODER, "")
    if env.strip():
        return Coder(clean(env), f"${ENV_CODER}")
    saved = remembered()
    if saved is not None:
        return Coder(saved, str(user_settings_path()))
    name = git_user_name(library)
    if name and not coder_name_problem(name):
        return Coder(clean(name), "git user.name")
    return None


def remembered() -> str | None:
    """The coder saved in the user's settings, if any."""
    path = user_settings_path()
    if not path.is_file():
        return None
    try:
        data, _ = yamlio.parse(path, yamlio.read_text(path))
    except (yamlio.YamlFileError, OSError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    name = data.get("coder") if isinstance(data, dict) else None
    if not isinstance(name, str) or coder_name_problem(name):
        return None
    return clean(name)


def remember(name: str) -> Path:
    """Save ``name`` as the user's coder (other settings kept); the file's path."""
    path = user_settings_path()
    data: dict[str, object] = {}
    if path.is_file():
        try:
            found, _ = yamlio.parse(path, yamlio.read_text(path))
        except (yamlio.YamlFileError, OSError) as exc:
            raise ValueError(f"cannot read {path} (left as it is): {exc}") from None
        if isinstance(found, dict):
            data = dict(found)
    data["coder"] = clean(name)
    yamlio.atomic_write(path, yamlio.dump(data))
    return path


def git_user_name(folder: Path) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "config", "user.name"], cwd=folder, capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    name = done.stdout.strip()
    return name if done.returncode == 0 and name else None


def of(ann: Annotation) -> list[str]:
    """Who coded a passage (an unknown coder for one written before coders were recorded)."""
    return list(ann.coders) or [UNKNOWN]


def chosen(ann: Annotation, names: Sequence[str] | None) -> bool:
    """Whether a passage is one of these coders' (``None``: every coder's). Names compare
    without case; ``unknown coder`` picks passages without coders."""
    if not names:
        return True
    wanted = {n.casefold() for n in names}
    return any(c.casefold() in wanted for c in of(ann))


def all_coders(annotations: Iterable[Annotation]) -> list[str]:
    return sorted({c for a in annotations for c in of(a)}, key=str.casefold)
