"""Every check of a whole project, given what mkdocs.yml says: shared by hook and CLI.

First the sources every check needs are read: references.bib (BIB, as pybtex reads it; BIB011,
as pandoc reads it, in the background meanwhile), then the files in docs/ (FILE), each checked
by the page checks. Then each of ``registry.PROJECT_CHECKS`` runs on the ``Project``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipt_site.checks.project.pandoc_bib import start_pandoc_read
from ipt_site.checks.registry import PROJECT_CHECKS
from ipt_site.checks.site_check import SiteCheck, check_site
from ipt_site.checks.site_context import Project
from ipt_site.codes import Code
from ipt_site.problems import Problem
from ipt_site.sources.bibliography import Bibliography, load_bibliography
from ipt_site.sources.pages import find_pages


@dataclass
class ProjectCheck:
    problems: list[Problem] = field(default_factory=list)
    bib: Bibliography | None = None
    site: SiteCheck | None = None
    # The bibliography as CSL-JSON, when pandoc read it for BIB011 (not when it had before,
    # .cache/): the content API's, without reading the whole file again.
    bib_csl_json: str | None = None

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def check_project(
    config_file: Path,
    markdown_extensions: Sequence[Any],
    bibtex_config: Mapping[str, Any] | None,
    docs_dir: Path,
    *,
    cache_off: bool = False,
) -> ProjectCheck:
    """``cache_off``: the build setting ``citation_cache: off`` (pandoc's reading of the bib is not cached)."""
    project = Project(config_file, config_file.read_text(encoding="utf-8"), markdown_extensions, bibtex_config,
                      docs_dir)
    read, csl_json = _read_sources(project, cache_off)
    checked = [problem for _, check in PROJECT_CHECKS for problem in check(project)]
    if project.site is None:  # no page checked (no readable bibliography): mkdocs.yml's problems, then the bib's
        return ProjectCheck(checked + read, project.bib)
    return ProjectCheck(sorted(read + checked), project.bib, project.site, csl_json)


def _read_sources(project: Project, cache_off: bool) -> tuple[list[Problem], str | None]:
    """Read the bibliography and check every page against it: the problems found on the way,
    and pandoc's CSL-JSON of the bibliography if it read it."""
    if project.bib_path is None:
        return [], None
    bib_path, root = project.bib_path, project.root
    bib = project.bib = load_bibliography(bib_path, project.shown(bib_path))
    if bib.data is None:
        return list(bib.problems), None  # alone and first: every citation would be "unknown" without it
    cache = None if cache_off else root / ".cache" / "ipt-pandoc-read"
    pandoc = start_pandoc_read(bib_path, bib.data, bib.path, cache)  # runs while the pages are checked
    try:
        found = find_pages(project.docs_dir, root)
        site = project.site = check_site(found.pages, bib)
    except BaseException:
        pandoc.close()  # not left writing into a pipe nobody reads
        raise
    # pybtex's report of a syntax error or a non-UTF-8 byte comes first and alone: what pandoc
    # says about the same file then is mostly the same error again, or its follow-ons.
    late = pandoc.problems()
    if any(p.code in (Code.BIB001.name, Code.BIB006.name) for p in bib.problems):
        late = []
    for problem in found.problems:  # a page that is not UTF-8 shows it on the page too, while serving
        if problem.path in site.pages:
            site.pages[problem.path].problems.append(problem)
    site.problems = sorted(site.problems + late + found.problems)
    return list(site.problems), pandoc.csl_json
