"""A full build on several cores: each worker process reads, analyses and indexes its share
of the articles into a segment of its own, and the updater adds the segments to the index
in one commit.

Whoosh's own multi-process writer reads and analyses every article in the calling process
and only indexes in the workers: reading an article (its front matter, metadata, blocks)
and counting its terms is most of the work, so that process was the bottleneck.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from reader.config import Config
from reader.library.articles import ArticleNotFound, Library
from reader.search.manifest import Entry
from reader.search.sources import FileState

POOL_MB: float = 256  # each worker's posting pool before it spills to disk
SETTLE_EVERY = 500  # articles between two calls of _settle
_shared: dict[str, Any] = {}  # in a worker: the progress counter and the cancel flag


@dataclass(slots=True)
class Built:
    segments: list[Any] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)  # Indonesian stems the workers made
    cancelled: bool = False


def workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))


def _init(done: Any, stop: Any) -> None:
    _shared["done"], _shared["stop"] = done, stop
    _shared["parent"] = os.getppid()
    _die_with_parent()
    _keep_heap()


def _die_with_parent() -> None:
    """A worker shares its parent's lock files (forked with them): were it to outlive a
    parent killed mid-build, the index would stay locked until it finished. On Linux the
    kernel kills it with its parent; elsewhere :func:`_orphaned` is asked at each
    article."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return
    prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if _orphaned():  # the parent died before that took effect
        os._exit(1)


def _settle() -> None:
    """Collect this worker's garbage, then leave what is alive out of later collections.
    What a build keeps (every posting of its segment, in a list per term) only grows, and
    Python's collector went through all of it again at each full collection (half of the
    collector's time at 3,000 articles, more as the segment grows). Each collection now
    looks only at what was made since the last call.
    """
    gc.collect()
    gc.freeze()


def _orphaned() -> bool:
    parent: int = _shared.get("parent", os.getppid())
    return os.getppid() != parent


def _keep_heap() -> None:
    """Keep freed memory in this (short-lived) worker instead of handing it back at once.
    glibc returns the top of the heap to the system whenever 128 KB are free there, and
    ``zlib.compress`` takes about 260 KB for each block of postings it compresses and frees
    them: every block paid for growing the heap again and its page faults, 100-150 us where
    compressing itself takes 10 (in a small test). Nothing where there is no
    glibc ``mallopt``."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD: keep up to 64 MB free at the heap's top
    mallopt(-3, 8 << 20)  # M_MMAP_THRESHOLD: blocks under 8 MB from the heap, reused


def _work(config: Config, ids: list[str], files: dict[str, FileState],
          anns: dict[str, FileState]) -> tuple[Any, dict[str, Entry], dict[str, str]]:
    """In a worker: index ``ids`` into a new segment; (the segment, the manifest entries,
    the Indonesian stems it had to make)."""

    from reader.search import analysis, segwrite, whoosh_fixes
    from reader.search.schema import INDEX_NAME, document_of

    library = Library(config)
    ix = whoosh_fixes.open_index(str(config.index_dir), INDEX_NAME)
    writer = segwrite.BuildWriter(ix, POOL_MB, _lk=False, codec=whoosh_fixes.codec())
    entries: dict[str, Entry] = {}
    done, stop = _shared["done"], _shared["stop"]
    _settle()
    try:
        pending = 0
        for n, article_id in enumerate(ids, 1):
            if stop.value:
                break
            if _orphaned():
                os._exit(1)
            if n % SETTLE_EVERY == 0:
                _settle()
            try:
                article = library.load(article_id)
            except (ArticleNotFound, OSError):
                pending += 1
                continue
            doc = document_of(config, library, article, files[article_id],
                              anns.get(article_id))
            writer.add_document(**doc)
            entries[article_id] = doc["state"]
            pending += 1
            if pending >= 20:
                with done.get_lock():
                    done.value += pending
                pending = 0
        with done.get_lock():
            done.value += pending
        if not entries:
            writer.cancel()
            return None, entries, analysis.made_id_stems()
        _settle()
        return writer._finalize_segment(), entries, analysis.made_id_stems()
    except BaseException:
        writer.cancel()
        raise


def build(config: Config, todo: list[str], files: dict[str, FileState],
          anns: dict[str, FileState], progress: Callable[[int, int], None] | None,
          cancelled: Callable[[], bool] | None) -> Built:
    """Index ``todo`` in :func:`workers` processes, each into a segment of its own (not yet
    in the index: the caller commits them)."""
    procs = workers()
    # fork where there is one: the workers inherit the stems already known
    ctx: Any = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    done, stop = ctx.Value("i", 0), ctx.Value("b", 0)
    shares = [todo[i::procs] for i in range(procs)]
    out = Built()
    with ProcessPoolExecutor(procs, mp_context=ctx, initializer=_init,
                             initargs=(done, stop)) as pool:
        futures: list[Future[tuple[Any, dict[str, Entry], dict[str, str]]]] = [
            pool.submit(_work, config, share, {a: files[a] for a in share},
                        {a: anns[a] for a in share if a in anns}) for share in shares]
        while True:
            finished, pending = wait(futures, timeout=0.5, return_when=FIRST_EXCEPTION)
            if progress is not None:
                progress(min(done.value, len(todo)), len(todo))
            if not pending or any(f.exception() is not None for f in finished):
                break
            if cancelled is not None and cancelled() and not stop.value:
                stop.value = 1
                out.cancelled = True
            time.sleep(0)
        for f in futures:
            segment, entries, stems = f.result()  # raises a worker's failure
            if segment is not None:
                out.segments.append(segment)
            out.entries.update(entries)
            out.stems.update(stems)
    return out
