"""Running the real ``reader`` command in a subprocess, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

READER = str(Path(sys.executable).with_name("reader"))


def run(*args: str, cwd: Path, piped: str | None = None, env: Mapping[str, str] | None = None,
        stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    """``reader ARGS...`` in ``cwd``; stdin is ``piped``, else ``stdin`` (a file descriptor),
    else nothing."""
    return subprocess.run([READER, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, input=piped, env=env,
                          stdin=None if piped is not None else
                          (stdin if stdin is not None else subprocess.DEVNULL))


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc.stdout


def one_line_error(proc: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The error line of a command that failed as expected: exit ``code``, one line on
    stderr starting ``reader``, no traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader"), proc.stderr
    assert ": error: " in lines[0] and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]
