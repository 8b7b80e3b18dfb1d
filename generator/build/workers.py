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
