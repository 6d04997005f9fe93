"""Minify written pages in a second process while MkDocs renders the next ones.

MkDocs builds pages one after another on one core, and minify-html holds
Python's lock while it works, so threads cannot overlap it with rendering. On a
big site (1,000 pages, each with a 1,000-item navigation) minifying in the main
process adds about 3 s; a worker process on another core takes it off the
critical path. Small sites minify in the main process (ipt_site.site_output.minify): a
worker's start-up would cost more than it saves. So do sites whose navigation items
hooks/nav_render.py renders once each: each is then minified once too, and a page costs
about 1 ms (ipt_site.site_output.minify.minify_page_with_items).

MkDocs calls ``on_post_page`` *before* it writes the page, so the worker is given
a page's path only once the next page reaches ``on_post_page`` (or the build ends),
when the file is known to be on disk.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from ipt_site.settings import Settings, parse_env
from ipt_site.site_output.minify import minified_with_classes
from ipt_site.site_output.worker_process import WorkerProcess

# From this many pages a build minifies in the background (the real site has 21);
# the setting minify_pool_from overrides it (the tests run the real site through the worker).
POOL_FROM_PAGES = Settings().minify_pool_from
POOL_SETTING = "IPT_MINIFY_POOL_FROM"


def pool_threshold(setting: str | None) -> int:
    """The page count from which to use the worker: ``setting`` (an environment variable's text) or the default."""
    if setting is None or not setting.strip():
        return POOL_FROM_PAGES
    value = parse_env("minify_pool_from", setting)  # ValueError: IPT_MINIFY_POOL_FROM='x': expected …
    assert isinstance(value, int)
    return value


def minify_written_page(path: str) -> list[str]:
    """Minify the page at ``path`` in place; the values of its class attributes.

    A page MkDocs skipped (empty output) was never written: nothing to do.
    """
    file = Path(path)
    if not file.is_file():
        return []
    minified = minified_with_classes(file.read_text(encoding="utf-8"))
    file.write_text(minified.html, encoding="utf-8")
    return minified.class_values


class MinifyFailure(Exception):
    def __init__(self, path: str, error: BaseException) -> None:
        super().__init__(f"{path}: minifying the page failed: {error}")
        self.path = path


class BackgroundMinifier:
    """One worker process that minifies each page once MkDocs has written it."""

    def __init__(self) -> None:
        self._worker = WorkerProcess()
        self._about_to_be_written: str | None = None
        self._jobs: list[tuple[str, Future[list[str]]]] = []

    def page_rendered(self, path: str) -> None:
        """MkDocs is about to write ``path``; the page before it is on disk now."""
        self._submit_waiting()
        self._about_to_be_written = path

    def finish(self) -> list[str]:
        """Wait for every page; their class attribute values. Raises MinifyFailure."""
        self._submit_waiting()
        values: list[str] = []
        try:
            for path, job in self._jobs:
                try:
                    values.extend(job.result())
                except Exception as error:  # reported with the page it failed on
                    raise MinifyFailure(path, error) from error
        finally:
            self.close()
        return values

    def close(self) -> None:
        self._worker.close()

    def _submit_waiting(self) -> None:
        if self._about_to_be_written is not None:
            path = self._about_to_be_written
            self._jobs.append((path, self._worker.submit(minify_written_page, path)))
            self._about_to_be_written = None
