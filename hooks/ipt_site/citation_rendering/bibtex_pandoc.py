"""mkdocs-bibtex's pandoc calls, run by ``pandoc_run`` (killable, time-limited, located).

mkdocs-bibtex (pinned 4.4.x, unmaintained) calls ``pypandoc.convert_text`` from its
``registry`` module. ``install`` puts a stand-in for the pypandoc module there:
``convert_text`` goes through ``run_pandoc`` with the same arguments, so the same
bytes come back, and everything else is pypandoc's own. ``rendering(what)`` tells
the calls made by this thread what they render, for the error messages.

mkdocs-bibtex also writes its whole bibliography to a file for every pandoc call,
and pandoc reads all of it each time: at 5,000 entries, ten batches spent about
13 s of CPU reading entries they did not cite. ``rendering(..., bibliography=)``
gives the thread's calls only the BibTeX its batch reads (bib_texts.BibTexts.bibtex).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from ipt_site.citation_rendering.pandoc_run import run_pandoc

_local = threading.local()


class _PypandocForBibtex:
    def __init__(self, real: ModuleType) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    # pypandoc's own signature, which mkdocs-bibtex calls by keyword: the name `format` is kept.
    def convert_text(
        self, source: str, to: str, format: str, extra_args: Sequence[str] = (), **options: Any  # noqa: A002
    ) -> str:
        if options:  # not how mkdocs-bibtex 4.4 calls it: leave it to pypandoc
            converted: str = self._real.convert_text(source, to, format, extra_args=extra_args, **options)
            return converted
        what = getattr(_local, "what", None) or "rendering citations"
        return run_pandoc(source, self._real.normalize_format(format), self._real.normalize_format(to),
                          list(extra_args), what, getattr(_local, "limit", None))


def install() -> None:
    """Route mkdocs-bibtex's pandoc calls through ``run_pandoc`` (idempotent)."""
    import mkdocs_bibtex.registry as registry

    # The module global mkdocs-bibtex calls through is replaced (registry imports pypandoc and
    # does not re-export it, so it is reached through the module's namespace).
    namespace = vars(registry)
    if not isinstance(namespace["pypandoc"], _PypandocForBibtex):
        namespace["pypandoc"] = _PypandocForBibtex(namespace["pypandoc"])


def bibliography_per_thread(registry: Any) -> None:
    """Let ``rendering(..., bibliography=)`` choose the BibTeX ``registry`` (a PandocRegistry)
    hands pandoc in this thread; elsewhere it is what it was (idempotent).

    mkdocs-bibtex reads it as ``self.bib_data_bibtex`` (a cached property), shared by the
    threads; the registry becomes an instance of a subclass whose property asks the thread.
    """
    base = type(registry)
    if getattr(base, "_ipt_bibliography_per_thread", False):
        return

    class PerThread(base):  # type: ignore[valid-type, misc] # base: mkdocs-bibtex's untyped class
        _ipt_bibliography_per_thread = True

        @property
        def bib_data_bibtex(self) -> str:
            own: str | None = getattr(_local, "bibliography", None)
            return own if own is not None else str(base.bib_data_bibtex.__get__(self, base))

    registry.__class__ = PerThread


@contextmanager
def rendering(what: str, limit: float | None = None, bibliography: str | None = None) -> Iterator[None]:
    """pandoc calls this thread makes inside the block are described by ``what``, may take
    ``limit`` seconds (None: ``pandoc_run.time_limit()``) and, on a registry given to
    ``bibliography_per_thread``, read ``bibliography`` (None: the registry's own)."""
    before = getattr(_local, "what", None), getattr(_local, "limit", None), getattr(_local, "bibliography", None)
    _local.what, _local.limit, _local.bibliography = what, limit, bibliography
    try:
        yield
    finally:
        _local.what, _local.limit, _local.bibliography = before
