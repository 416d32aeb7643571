"""Reading a zip another person made, without trusting it.

Nothing is extracted to disk: entries are read into memory by name, after checks on the
whole archive. Refused, with one line saying why: a file that is not a zip or is damaged,
encrypted entries, an entry path with ``..``, a leading ``/`` or a drive letter (a "zip
slip"), the same path twice, and bombs: more entries than :attr:`Limits.entries`, an entry
over :attr:`Limits.entry_bytes` or all of them over :attr:`Limits.total_bytes` unpacked, or an
entry that unpacks to more than :attr:`Limits.ratio` times its packed size. Sizes are taken
from the archive's directory and enforced again while reading, so a directory that lies
does not help.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from reader.exchange.model import ExchangeError

_MB = 1024 * 1024
_CHUNK = _MB
_DRIVE = re.compile(r"[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """How much an archive may hold. The defaults fit a library of 100,000 articles."""

    file_bytes: int = 2048 * _MB  # the archive itself
    entries: int = 250_000
    entry_bytes: int = 256 * _MB  # one entry, unpacked
    total_bytes: int = 2048 * _MB  # all entries, unpacked
    ratio: int = 100  # unpacked / packed, for entries over ratio_floor
    ratio_floor: int = _MB


LIMITS = Limits()


def _size(n: int) -> str:
    return f"{n / _MB:,.1f} MB" if n >= _MB else f"{n:,} bytes"


def safe_entry_name(name: str) -> str | None:
    """``name`` with ``\\`` as ``/``, or None when it could point outside the archive's
    folder (``..``, a leading ``/``, a drive letter, a NUL)."""
    path = name.replace("\\", "/")
    if "\x00" in path or path.startswith("/") or _DRIVE.match(path):
        return None
    if any(part == ".." for part in path.split("/")):
        return None
    return path


class SafeZip:
    """An archive whose entries passed the checks; :meth:`read` gives an entry's bytes."""

    def __init__(self, path: Path, limits: Limits = LIMITS) -> None:
        self.label = path.name
        self.limits = limits
        try:
            size = path.stat().st_size
        except OSError as e:
            raise ExchangeError(f"{self.label}: cannot read: {e.strerror or e}") from None
        if size > limits.file_bytes:
            raise self.error(f"the file is {_size(size)} (more than {_size(limits.file_bytes)})")
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise self.error("not a zip file") from None
        except OSError as e:
            raise ExchangeError(f"{self.label}: cannot read: {e.strerror or e}") from None
        try:
            self.entries = self._check()
        except BaseException:
            self._zip.close()
            raise

    def error(self, reason: str) -> ExchangeError:
        return ExchangeError(f"{self.label}: refused: {reason}")

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        lim = self.limits
        if len(infos) > lim.entries:
            raise self.error(f"{len(infos):,} entries (more than {lim.entries:,})")
        entries: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = safe_entry_name(info.filename)
            if name is None:
                raise self.error(f"entry {info.filename!r} points outside the archive")
            if info.flag_bits & 0x1:
                raise self.error(f"entry {name!r} is encrypted")
            if name in entries:
                raise self.error(f"entry {name!r} is in the archive twice")
            if info.file_size > lim.entry_bytes:
                raise self.error(f"entry {name!r} unpacks to {_size(info.file_size)} "
                                 f"(more than {_size(lim.entry_bytes)})")
            if (info.file_size > lim.ratio_floor
                    and info.file_size > lim.ratio * max(info.compress_size, 1)):
                raise self.error(f"entry {name!r} unpacks to {_size(info.file_size)} from "
                                 f"{_size(info.compress_size)} (a zip bomb?)")
            total += info.file_size
            if total > lim.total_bytes:
                raise self.error(f"the entries unpack to more than {_size(lim.total_bytes)}")
            if not name.endswith("/"):
                entries[name] = info
        return entries

    def read(self, name: str) -> bytes:
        """The unpacked bytes of entry ``name``; refused past the limits whatever the
        archive's directory said."""
        info = self.entries[name]
        cap = min(info.file_size, self.limits.entry_bytes)
        parts: list[bytes] = []
        got = 0
        try:
            with self._zip.open(info) as f:
                while chunk := f.read(_CHUNK):
                    got += len(chunk)
                    if got > cap:
                        raise self.error(f"entry {name!r} unpacks to more than it declares")
                    parts.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as e:
            if isinstance(e, ExchangeError):
                raise
            raise self.error(f"entry {name!r} is damaged ({e})") from None
        return b"".join(parts)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
