"""Run a per-item job over many items on all cores, results in input order; or one job
beside the caller's own work.

The per-note stages (reading, structuring, normalizing a note; segmenting a section for
classification) and the model registry's scan of each sentence are independent of each
other and make up most of a large build, so a thousand notes are spread over worker
processes; the glossary is built in one while the catalog's facts are read. Workers are
forked: they inherit what the parent has already loaded (jieba's dictionary with the domain
words, the boilerplate rules, the classifier), and each job only ships its item in and its
result back.

Small inputs, platforms without fork, and ``jobs=1`` run in-process: same results,
same order — parallelism changes how fast, never what.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more (fork, pickling) than it saves.
AUTO_MIN_ITEMS = 64

# The job of the current pool: set before forking so workers inherit it (closures and
# bound methods need not be picklable this way).
_job: Callable | None = None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_jobs(jobs: int, n_items: int) -> int:
    """How many processes to use: ``jobs`` > 0 is taken as asked; 0 means "decide"."""
    if jobs > 0:
        return jobs
    if n_items < AUTO_MIN_ITEMS:
        return 1
    return max(1, min(available_cores(), 8))


def _worker_init() -> None:
    # The pool stops its workers with SIGTERM; whatever handler the parent installed for
    # itself (the CLI cleans up on SIGTERM) must not stand in the way.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle


def _run(item):
    assert _job is not None
    return _job(item)


def ordered_map(job: Callable[[T], R], items: Sequence[T], jobs: int = 0) -> Iterator[R]:
    """``map(job, items)``, on up to ``jobs`` processes (0: as many as pay off)."""
    global _job
    workers = resolve_jobs(jobs, len(items))
    if workers <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(job, items)
        return
    _job = job
    try:
        ctx = multiprocessing.get_context("fork")
        # Eight chunks per worker keep both busy when notes differ in size; with no upper
        # bound, sixteen thousand sentences of a few microseconds each go in a few hundred
        # messages, not in one per 32 (the traffic took a third of the scan's time).
        chunk = max(1, len(items) // (workers * 8))
        with ctx.Pool(workers, initializer=_worker_init) as pool:
            yield from pool.imap(_run, items, chunksize=chunk)
    finally:
        _job = None


def _call_job():
    assert _job is not None
    return _job()


class Background(Generic[R]):
    """``job()`` run in a forked process while the caller goes on; ``result()`` waits for it.

    For a stage that needs nothing the caller computes next (the glossary beside the catalog's
    facts): the worker inherits what is loaded and ships only its result back. Small inputs,
    platforms without fork and ``jobs=1`` run the job in-process at once, so that in both
    cases it sees the state of its start: parallelism changes how fast, never what."""

    def __init__(self, job: Callable[[], R], jobs: int = 0, n_items: int = AUTO_MIN_ITEMS) -> None:
        global _job
        self._pool = None
        self._pending = None
        if resolve_jobs(jobs, n_items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            self._value = job()
            return
        _job = job  # the worker is forked now and keeps its copy
        try:
            self._pool = multiprocessing.get_context("fork").Pool(1, initializer=_worker_init)
        finally:
            _job = None
        self._pending = self._pool.apply_async(_call_job)

    def result(self) -> R:
        if self._pool is not None and self._pending is not None:
            try:
                self._value = self._pending.get()
            finally:
                self._pool.terminate()
                self._pool.join()
                self._pool = self._pending = None
        return self._value
