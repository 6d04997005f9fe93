"""Every check of a whole project, given what mkdocs.yml says: shared by hook and CLI."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ipt_site.sources.bibliography import Bibliography, load_bibliography
from ipt_site.checks.evidence import EVIDENCE_FILE, check_evidence, load_evidence, page_citations
from ipt_site.checks.nav_links import LinkedPage, check_links, check_nav
from ipt_site.sources.pages import display_path, find_pages
from ipt_site.site_output.api_schema import schema_file_problems
from ipt_site.checks.pandoc_bib import start_pandoc_read
from ipt_site.problems import Problem
from ipt_site.checks.site_check import SiteCheck, check_site
from ipt_site.checks.toolchain import check_toolchain


@dataclass
class ProjectCheck:
    problems: list[Problem] = field(default_factory=list)
    bib: Bibliography | None = None
    site: SiteCheck | None = None

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def check_project(
    config_file: Path,
    markdown_extensions: Sequence[Any],
    bibtex_config: Mapping[str, Any] | None,
    docs_dir: Path,
) -> ProjectCheck:
    root = config_file.parent
    config_text = config_file.read_text(encoding="utf-8")
    result = ProjectCheck(check_toolchain(
        display_path(config_file, root), config_text, markdown_extensions, bibtex_config))
    if bibtex_config is None or not bibtex_config.get("bib_file"):
        return result
    bib_path = root / bibtex_config["bib_file"]
    result.bib = load_bibliography(bib_path, display_path(bib_path, root))
    if result.bib.data is None:
        # Alone and first: every citation would be "unknown" without it.
        result.problems = result.problems + result.bib.problems
        return result
    cache = None if os.environ.get("IPT_CITATION_CACHE", "").lower() == "off" else root / ".cache" / "ipt-pandoc-read"
    pandoc = start_pandoc_read(bib_path, result.bib.data, result.bib.path, cache)  # runs while the pages are checked
    found = find_pages(docs_dir, root)
    result.site = check_site(found.pages, result.bib)
    # pybtex's report of a syntax error or a non-UTF-8 byte comes first and alone: what pandoc
    # says about the same file then is mostly the same error again, or its follow-ons.
    late = pandoc.problems()
    if any(p.code in ("BIB001", "BIB006") for p in result.bib.problems):
        late = []
    for problem in found.problems:  # a page that is not UTF-8 shows it on the page too, while serving
        if problem.path in result.site.pages:
            result.site.pages[problem.path].problems.append(problem)
    site_links = _nav_and_link_problems(config_file, config_text, markdown_extensions, docs_dir, result.site)
    result.site.problems = sorted(result.site.problems + late + found.problems + site_links)
    result.problems = sorted(result.problems + result.site.problems + _evidence_problems(bib_path, root, result))
    result.problems = sorted(result.problems + schema_file_problems(docs_dir))  # API004, as the build's content API
    return result


def _nav_and_link_problems(
    config_file: Path, config_text: str, markdown_extensions: Sequence[Any], docs_dir: Path, site: SiteCheck
) -> list[Problem]:
    """A page missing from the menu, a menu entry or link to a missing page or anchor (MkDocs' validation:)."""
    root = config_file.parent
    prefix = display_path(docs_dir, root).rstrip("/") + "/"
    pages = {path.removeprefix(prefix): LinkedPage(path, page.body, page.line_offset, bool(page.blocks),
                                                        page.code_ranges)
             for path, page in site.pages.items()}
    files = set(pages) | {file.relative_to(docs_dir).as_posix() for file in docs_dir.rglob("*") if file.is_file()}
    problems = check_nav(display_path(config_file, root), config_text, files, pages)
    links = check_links(pages, markdown_extensions)
    for problem in links:  # on the page too, for its banner while serving
        site.pages[problem.path].problems.append(problem)
    return problems + links


def _evidence_problems(bib_path: Path, root: Path, result: ProjectCheck) -> list[Problem]:
    """The evidence record beside the bibliography, checked against what each page cites."""
    assert result.site is not None and result.bib is not None
    evidence_path = bib_path.parent / EVIDENCE_FILE
    record = load_evidence(evidence_path, display_path(evidence_path, root))
    cited = {
        path: page_citations(page.body, page.line_offset,
                             [(item.key, item.start) for block in page.blocks for item in block.items])
        for path, page in result.site.pages.items()
    }
    return check_evidence(record, cited, result.bib.entries)
