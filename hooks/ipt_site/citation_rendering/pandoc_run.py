"""Run pandoc as pypandoc does, but killable and with a time limit that names the call.

pypandoc's ``convert_text`` waits for pandoc for ever and leaves it running when
the build is stopped. Here each pandoc process is registered with
``child_processes`` (so SIGINT/SIGTERM end it) and gets ``time_limit()`` seconds;
past that it is killed and ``PandocTimeout`` says what the call was rendering and
for which page. The command line is pypandoc's (``--from``, ``--to``, the extra
arguments, text on stdin as UTF-8), so the output is the same bytes.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from ipt_site.citation_rendering import child_processes
from ipt_site.settings import Settings, SettingsError, parse_env

T = TypeVar("T")

TIME_LIMIT_SETTING = "IPT_PANDOC_TIME_LIMIT"
DEFAULT_TIME_LIMIT = Settings().pandoc_time_limit  # seconds; a 20,000-entry bibliography's slowest call takes a few


class PandocError(Exception):
    """pandoc failed, or took too long; the message names the call and the page."""


class PandocTimeout(PandocError):
    pass


def time_limit(setting: str | None = None) -> float:
    """Seconds one pandoc call may take outside a build (whose limit is its settings'):
    ``setting`` (default: the environment's) or 300."""
    if setting is None:
        setting = os.environ.get(TIME_LIMIT_SETTING)
    if setting is None or not setting.strip():
        return DEFAULT_TIME_LIMIT
    try:
        value = parse_env("pandoc_time_limit", setting)
    except SettingsError as error:
        raise PandocError(str(error)) from None
    assert isinstance(value, float)
    return value


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(text: str, from_format: str, to_format: str, extra_args: list[str], what: str,
               limit: float | None = None) -> str:
    """pandoc's output for ``text``; ``what`` says what the call renders and where (for errors).

    ``limit``: seconds it may take (a build passes its ``pandoc_time_limit``); None: ``time_limit()``.
    """
    if limit is None:
        limit = time_limit()
    if child_processes.stopping():
        raise PandocError(f"pandoc not started {what}: the build was stopped")
    process = subprocess.Popen(
        [pandoc_path(), f"--from={from_format}", f"--to={to_format}", *extra_args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,  # a terminal's Ctrl-C reaches the build, which stops pandoc itself
    )
    try:
        ticket = child_processes.register(process.kill)
    except child_processes.Stopped:
        process.communicate()
        raise PandocError(f"pandoc stopped {what}: the build was stopped") from None
    try:
        try:
            stdout, stderr = process.communicate(text.encode("utf-8"), timeout=limit)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise PandocTimeout(
                f"pandoc took longer than {limit:g} s {what}, and was stopped; "
                f"raise the limit with {TIME_LIMIT_SETTING}=<seconds>, or split the page") from None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    finally:
        child_processes.unregister(ticket)
    if process.returncode != 0:
        message = stderr.decode("utf-8", errors="replace").strip()
        raise PandocError(f"pandoc failed (exit status {process.returncode}) {what}: {message}")
    if stderr:
        logging.getLogger("pypandoc").warning(stderr.decode("utf-8", errors="replace").strip())
    return stdout.decode("utf-8", errors="replace")


def in_background(call: Callable[[], T]) -> Future[T]:
    """``call`` (a pandoc call, say) started now in a thread of its own; read its result later.

    pandoc runs in its own process, so the build goes on meanwhile. Errors, PandocTimeout
    included, are raised by ``result()``, where the caller reports them as before.
    """
    pool = ThreadPoolExecutor(max_workers=1)
    started = pool.submit(call)
    pool.shutdown(wait=False)  # its one thread ends with the call
    return started
