"""Run every citation check over a set of pages: one function for the hook and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from ipt_site.sources.bibliography import Bibliography, unused_entry_problems
from ipt_site.checks.citation_keys import KeyIndex, check_citation_keys
from ipt_site.sources.citation_scan import CiteBlock, mask_ranges, scan_page
from ipt_site.checks.cited_sections import check_cited_sections
from ipt_site.site_output.content_api import check_api_front_matter
from ipt_site.checks.content_safety import check_content_safety
from ipt_site.sources.front_matter import split_front_matter
from ipt_site.checks.narrative import check_narrative
from ipt_site.checks.phone_numbers import check_phone_numbers
from ipt_site.problems import Problem
from ipt_site.checks.review_dates import check_front_matter


@dataclass
class PageCheck:
    """What one page cites, where its code is, and what is wrong with it."""

    path: str
    body: str                      # the Markdown MkDocs renders (no front matter)
    line_offset: int
    blocks: list[CiteBlock]
    code_ranges: list[tuple[int, int]]
    problems: list[Problem] = field(default_factory=list)

    @property
    def cited_keys(self) -> set[str]:
        return {item.key for block in self.blocks for item in block.items}


def check_page(
    path: str, text: str, bib: Bibliography, today: date | None = None, keys: KeyIndex | None = None
) -> PageCheck:
    page = split_front_matter(text)
    body = page.body
    # Scan once and hand each check what it needs, rather than each check
    # asking scan_page (and its small cache) again.
    scan = scan_page(body)
    code_ranges = list(scan.code_ranges)
    blocks = list(scan.blocks)
    problems = check_citation_keys(path, body, blocks, keys or KeyIndex.of(bib.entries), page.body_line_offset,
                                   bare_keys=scan.bare_keys, bad_brackets=scan.bad_brackets)
    problems += check_narrative(path, mask_ranges(body, scan.code_ranges), bib, page.body_line_offset)
    problems += check_front_matter(path, text, today or date.today(), page)
    problems += check_content_safety(path, body, page.body_line_offset, code_ranges)
    problems += check_cited_sections(path, body, page.body_line_offset, blocks, code_ranges, page.front_matter)
    problems += check_api_front_matter(path, text)
    problems += check_phone_numbers(path, body, page.body_line_offset, code_ranges)
    return PageCheck(path, body, page.body_line_offset, blocks, code_ranges, problems)


@dataclass
class SiteCheck:
    pages: dict[str, PageCheck]
    problems: list[Problem]        # every problem, pages and bibliography, sorted

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def check_site(pages: Iterable[tuple[str, str]], bib: Bibliography) -> SiteCheck:
    """Check ``(display path, text)`` pages against ``bib``, plus the bib itself."""
    keys = KeyIndex.of(bib.entries)
    today = date.today()
    checked = {path: check_page(path, text, bib, today, keys) for path, text in pages}
    cited = set().union(*(page.cited_keys for page in checked.values()))
    problems = list(bib.problems) + unused_entry_problems(bib, cited)
    for page in checked.values():
        problems += page.problems
    return SiteCheck(checked, sorted(problems))
