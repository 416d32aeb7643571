"""Reading a web page in a separate process, so that a hostile page fails alone.

lxml's HTML parser is quadratic in the attributes of one tag (100,000 of them take minutes),
and trafilatura has its own slow paths: :func:`extract_isolated` runs
:func:`reader.importing.webpage.extract_html` in one child process (started on first use,
kept for the next page), with a time limit per page and a memory limit for the process. A
page over either limit is one :class:`ExtractionError`; the child is replaced. Domain code, no
Textual. What crosses the pipe is our own child's answer, never data read from disk.
"""

from __future__ import annotations

import atexit
import multiprocessing
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any

from reader.importing.webpage import Extracted, ExtractionError, extract_html

EXTRACT_SECONDS = 60.0  # a page that takes longer to read is broken or hostile
EXTRACT_MEMORY = 2 * 1024 ** 3  # address space of the process that reads pages


def _serve(conn: Connection, memory: int) -> None:  # pragma: no cover - runs in the child
    """The page reader's loop: (html, url) in, ("ok", Extracted) or ("error", reason) out."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass
    while True:
        try:
            html, url = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", extract_html(html, url)))
        except ExtractionError as exc:
            conn.send(("error", str(exc)))
        except MemoryError:
            conn.send(("error", "page too large to read"))
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the reader
            conn.send(("error", f"not a readable web page ({type(exc).__name__})"))



def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with the real stderr. It hands its process
    ``sys.stderr.fileno()``; inside the reader's TUI stderr is a capture whose fileno() is
    -1, and every import from the TUI failed with "bad value(s) in fds_to_keep"."""
    from multiprocessing import resource_tracker

    saved = sys.stderr
    try:
        bad = saved is None or saved.fileno() < 0
    except (OSError, ValueError, AttributeError):
        bad = True
    if not bad or sys.__stderr__ is None:
        resource_tracker.ensure_running()
        return
    try:
        sys.stderr = sys.__stderr__
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved

class _PageReader:
    """One child process that reads pages, started on first use and kept for the next. A page
    that hangs the parser (lxml is quadratic in the attributes of one tag: 100,000 of them
    take minutes) or eats the memory costs that process, not the import."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: Any = None
        self.conn: Connection | None = None

    def _start(self) -> Connection:
        ctx = multiprocessing.get_context("spawn")  # safe from a thread, unlike fork
        _start_resource_tracker()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, EXTRACT_MEMORY), daemon=True,
                           name="reader-page-reader")
        proc.start()  # kept only once started: a process that never ran cannot be killed
        self.proc = proc
        child.close()
        self.conn = parent
        return parent

    def stop(self) -> None:
        # Called from the import's thread and at exit: take what is there once, so a second
        # caller finds None instead of a process the first one just let go.
        proc, conn = self.proc, self.conn
        self.proc = self.conn = None
        if proc is not None:
            proc.kill()
            proc.join(5)
        if conn is not None:
            conn.close()

    def extract(self, html: bytes, url: str, timeout: float) -> Extracted:
        with self.lock:
            conn = self.conn if self.proc is not None and self.proc.is_alive() else None
            if conn is None:
                self.stop()
                conn = self._start()
            try:
                conn.send((html, url))
                if not conn.poll(timeout):
                    self.stop()
                    raise ExtractionError(f"page took over {timeout:g} s to read: skipped "
                                          "(broken or hostile HTML?)")
                kind, value = conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self.stop()
                raise ExtractionError("page could not be read (the page reader stopped: too "
                                      "large or broken?)") from None
        if kind == "ok" and isinstance(value, Extracted):
            return value
        raise ExtractionError(str(value))


_READER = _PageReader()
atexit.register(_READER.stop)


def extract_isolated(html: bytes, url: str = "", timeout: float | None = None) -> Extracted:
    """:func:`extract_html` in a separate process, within ``timeout`` seconds (default
    :data:`EXTRACT_SECONDS`) and :data:`EXTRACT_MEMORY` bytes: a page that hangs or blows up
    the parser is one :class:`ExtractionError`, never a hang of the whole import."""
    return _READER.extract(html, url, EXTRACT_SECONDS if timeout is None else timeout)
