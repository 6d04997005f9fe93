"""Child processes a build starts (pandoc, the minify worker) end when the build does.

A build stopped with Ctrl-C or ``kill`` used to leave pandoc running: threads were
still waiting on it, and SIGTERM ends Python without running any clean-up. Every
child is registered here; ``install_signal_handlers`` makes SIGINT and SIGTERM
stop them all before the build goes on to stop as it would have, and ``atexit``
covers a normal exit that skipped the hooks' own clean-up.
"""

from __future__ import annotations

import atexit
import contextlib
import signal
import threading
from collections.abc import Callable
from types import FrameType

_lock = threading.Lock()
_stoppers: dict[int, Callable[[], None]] = {}
_installed = False
_stopping = False  # set by a signal: no new child may start (a thread pool would start queued ones)


class Stopped(Exception):
    """The build is being stopped; the child was stopped as soon as it was registered."""


def register(stop: Callable[[], None]) -> int:
    """Remember how to stop a child; returns a ticket for ``unregister``. Raises Stopped
    (after calling ``stop``) once a signal is stopping the build.
    """
    with _lock:
        if not _stopping:
            ticket = id(stop)
            _stoppers[ticket] = stop
            return ticket
    stop()
    raise Stopped("the build was stopped")


def stopping() -> bool:
    """True once a signal is stopping the build: start no new child."""
    return _stopping


def unregister(ticket: int) -> None:
    with _lock:
        _stoppers.pop(ticket, None)


def stop_all() -> None:
    """Stop every registered child (each stopper must never raise and never block long)."""
    with _lock:
        stoppers = list(_stoppers.values())
        _stoppers.clear()
    for stop in stoppers:
        with contextlib.suppress(Exception):  # a child that is already gone is fine
            stop()


def _handler(
    previous: Callable[[int, FrameType | None], object] | int | None,
) -> Callable[[int, FrameType | None], None]:
    def handle(signum: int, frame: FrameType | None) -> None:
        global _stopping
        _stopping = True
        stop_all()
        if callable(previous):
            previous(signum, frame)  # SIGINT: Python's KeyboardInterrupt, or `mkdocs serve`'s own
        else:  # the default action (SIGTERM: terminate), now that the children are gone
            signal.signal(signum, signal.SIG_DFL if previous is None else previous)
            signal.raise_signal(signum)

    return handle


def install_signal_handlers() -> None:
    """Once per process, from the main thread (MkDocs calls hooks there); elsewhere a no-op."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(signum)
        if previous is signal.SIG_IGN:
            continue
        signal.signal(signum, _handler(previous))
    atexit.register(stop_all)
    _installed = True
