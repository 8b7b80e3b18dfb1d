"""Helper processes of a build: they die with it.

A build killed (by a user, a CI timeout, the OOM killer) must not leave processes drawing
charts or rendering counties at full CPU with nobody to use their work: on Linux each one asks
the kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor


def die_with(parent: int) -> None:
    """Stop when process ``parent`` is killed (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it was killed before that took effect
        os._exit(1)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes (no fork: matplotlib and the parent's records
    stay out of them) that die with this one."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with,
        initargs=(os.getpid(),),
    )


POOL_MIN = 8  # fewer counties to read or render than this: one process is quicker


def worker_count() -> int:
    """How many processes a build shares its work among (the machine's cores, at most two:
    each holds a county's records, and MkDocs runs beside them)."""
    return min(2, os.cpu_count() or 1)


class Workers:
    """The build's helper processes: one spawned pool, started when first needed and shared
    by every stage (reading counties, rendering them, drawing charts). It ends with the build,
    or earlier when ``close`` says its work is done; a failed build cancels what it has not
    started."""

    def __init__(self) -> None:
        self.count = worker_count()
        self._pool: ProcessPoolExecutor | None = None

    def worth_it(self, jobs: int) -> bool:
        """Whether ``jobs`` counties are better shared among the processes than done here."""
        return self.count >= 2 and jobs >= POOL_MIN

    @property
    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = process_pool(self.count)
        return self._pool

    def close(self) -> None:
        """The last job is done: end the processes now. Each keeps the memory of the biggest
        job it did (a county, the site workbook), a few hundred MiB between them, which MkDocs
        and Pagefind need more at the end of a big build."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=kind is None, cancel_futures=True)
            self._pool = None
