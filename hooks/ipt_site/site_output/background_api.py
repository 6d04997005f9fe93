"""Make the content API's documents in a worker process while MkDocs renders the next pages.

Each document is made from its rendered page (sanitised, cut into sections, its
references with their CSL-JSON), checked against the published schema and
written out as JSON text: about 6 ms a page, all Python, which a thread cannot
overlap with MkDocs' rendering. On a big site (1,000 pages: about 6 s at the end
of the build) a worker process on the other core makes each document as soon as
its page is rendered, and ``on_post_build`` only collects them. Small sites make
them in the main process (``make_document`` either way): a worker's start-up
would cost more than it saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ipt_site.problems import Problem
from ipt_site.settings import Settings
from ipt_site.site_output.api_schema import load_validators, schema_problems
from ipt_site.site_output.content_api import INDEX_FIELDS, PageInput, dump, front_matter_lines, page_document
from ipt_site.site_output.worker_process import WorkerProcess

# From this many pages in the API, documents are made in the worker; the setting api_pool_from overrides it.
POOL_FROM_PAGES = Settings().api_pool_from


@dataclass(frozen=True)
class Made:
    """One page's document, as the build writes it."""

    slug: str
    listed: dict[str, Any]  # the fields api/v1/pages.json lists for it
    text: str  # the document as written
    problems: list[Problem]  # where it breaks the published schema (API003)


def make_document(page: PageInput, site_url: str, csl: Mapping[str, Mapping[str, Any]],
                  validator: Draft202012Validator) -> Made:
    document = page_document(page, site_url, csl)
    slug = str(document["slug"])
    problems = schema_problems(document, validator, page.source_path, f"pages/{slug}.json",
                               front_matter_lines(page.source_text))
    return Made(slug, {name: document[name] for name in INDEX_FIELDS}, dump(document), problems)


# In the worker process: what every page's document needs, given once by _set_up.
_given: dict[str, Any] = {}


def _set_up(docs_dir: str, site_url: str, csl: Mapping[str, Mapping[str, Any]]) -> None:
    _given.update(site_url=site_url, csl=csl, validator=load_validators(Path(docs_dir))[1])


def _make(page: PageInput) -> Made:
    return make_document(page, _given["site_url"], _given["csl"], _given["validator"])


class ApiFailure(Exception):
    def __init__(self, where: str, error: BaseException) -> None:
        super().__init__(f"{where}: making the content API document failed: {error}")


class BackgroundApi:
    """One worker process that makes each page's document once the page is rendered."""

    def __init__(self, docs_dir: Path, site_url: str, csl: Mapping[str, Mapping[str, Any]]) -> None:
        self._worker = WorkerProcess()
        self._set_up = self._worker.submit(_set_up, str(docs_dir), site_url, csl)  # runs first: one process
        self._jobs: list[tuple[PageInput, Future[Made]]] = []

    def add(self, page: PageInput) -> None:
        self._jobs.append((page, self._worker.submit(_make, page)))

    def finish(self) -> dict[str, Made]:
        """src_uri -> its document, for every page added. Raises ApiFailure naming the page.
        The caller closes the worker, however this ends."""
        try:
            self._set_up.result()
        except Exception as error:
            raise ApiFailure("the worker", error) from error
        made: dict[str, Made] = {}
        for page, job in self._jobs:
            try:
                made[page.src_uri] = job.result()
            except Exception as error:  # reported with the page it failed on
                raise ApiFailure(page.source_path, error) from error
        return made

    def close(self) -> None:
        self._worker.close()
