"""One worker process beside the build, for Python work that would otherwise wait its turn.

MkDocs builds pages one after another on one core, and pure-Python work (or a
library that holds Python's lock) cannot overlap it in a thread. A worker process
on the other core can. It is started with "spawn" (a fresh interpreter: safe
whatever threads the build or ``mkdocs serve`` has running, the same on every
platform), finds the build's own ``ipt_site`` itself, runs at a lower priority than
the build, runs its jobs one at a time in the order given, and is killed with the
build when the build is stopped.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from ipt_site.citation_rendering import child_processes

T = TypeVar("T")

# The folder that holds ipt_site: MkDocs puts it on sys.path only while it loads
# the hooks, so a fresh worker process puts it first itself (before an installed copy:
# a project copied beside another's virtual environment ran the other's jobs).
HOOKS_DIR = str(Path(__file__).resolve().parents[2])
# What the worker runs first. A string for the builtin exec, because the initializer must be
# picklable and found before ipt_site is; the lower priority lets MkDocs' own thread, which
# every page waits for, have the core first (about 1 s less at 1,000 pages).
_SET_UP = (f"import contextlib, os, sys\nsys.path.insert(0, {HOOKS_DIR!r})\n"
           "if hasattr(os, 'nice'):\n    with contextlib.suppress(OSError):\n        os.nice(10)\n")


class WorkerProcess:
    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,  # one process: jobs run in the order they are given
            mp_context=multiprocessing.get_context("spawn"),
            initializer=exec,
            initargs=(_SET_UP, {}),  # its own namespace, not the worker loop's
        )
        # A stopped build must not leave the worker behind (it would finish the queue first).
        self._ticket = child_processes.register(self._kill)

    def submit(self, job: Callable[..., T], *args: Any) -> Future[T]:
        """``job(*args)`` in the worker. A worker that has died (killed, out of memory) gives a job
        that failed, read with the others at the end, where the page it was for is named: raised
        here, out of a page event, it was a traceback."""
        try:
            return self._pool.submit(job, *args)
        except BrokenProcessPool as error:
            failed: Future[T] = Future()
            failed.set_exception(error)
            return failed

    def _kill(self) -> None:
        # ProcessPoolExecutor has no public way to end its workers before Python 3.14.
        for process in list(getattr(self._pool, "_processes", {}).values()):
            process.kill()

    def close(self) -> None:
        child_processes.unregister(self._ticket)
        self._pool.shutdown(wait=True, cancel_futures=True)
