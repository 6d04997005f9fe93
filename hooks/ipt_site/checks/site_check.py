"""Run every page check over a set of pages: one function for the hook and the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ipt_site.checks.page.citation_keys import KeyIndex
from ipt_site.checks.registry import PAGE_CHECKS
from ipt_site.checks.rule import PageRule, report
from ipt_site.checks.site_context import SiteContext
from ipt_site.problems import Problem
from ipt_site.sources.bibliography import Bibliography, unused_entry_problems
from ipt_site.sources.citation_scan import CiteBlock
from ipt_site.sources.page_scan import PageScan, read_page


@dataclass
class PageCheck:
    """What one page cites, where its code is, and what is wrong with it."""

    path: str
    body: str                      # the Markdown MkDocs renders (no front matter)
    line_offset: int
    blocks: list[CiteBlock]
    code_ranges: list[tuple[int, int]]  # code and HTML: where citations do not count
    problems: list[Problem] = field(default_factory=list)

    @property
    def cited_keys(self) -> set[str]:
        return {item.key for block in self.blocks for item in block.items}


def run_checks(page: PageScan, site: SiteContext,
               checks: Sequence[tuple[str, PageRule]] = PAGE_CHECKS) -> list[Problem]:
    """What ``checks`` find on ``page``, as Problems: check by check, each in its own order."""
    return [problem for _, check in checks for problem in report(page, check(page, site))]


def check_page(
    path: str, text: str, bib: Bibliography, today: date | None = None, keys: KeyIndex | None = None,
    *, site: SiteContext | None = None, checks: Sequence[tuple[str, PageRule]] = PAGE_CHECKS,
) -> PageCheck:
    page = read_page(path, text)
    problems = run_checks(page, site or SiteContext.of(bib, today, keys), checks)
    return PageCheck(path, page.body, page.body_line_offset, list(page.blocks), list(page.opaque_ranges), problems)


@dataclass
class SiteCheck:
    pages: dict[str, PageCheck]
    problems: list[Problem]        # every problem, pages and bibliography, sorted

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def check_site(pages: Iterable[tuple[str, str]], bib: Bibliography) -> SiteCheck:
    """Check ``(display path, text)`` pages against ``bib``, plus the bib itself."""
    site = SiteContext.of(bib)
    checked = {path: check_page(path, text, bib, site=site) for path, text in pages}
    cited = set().union(*(page.cited_keys for page in checked.values()))
    problems = list(bib.problems) + unused_entry_problems(bib, cited)
    for page in checked.values():
        problems += page.problems
    return SiteCheck(checked, sorted(problems))
