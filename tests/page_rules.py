"""Run one page check (``ipt_site.checks.registry.PAGE_CHECKS``) on a page, as the site check does."""

from __future__ import annotations

from datetime import date

from ipt_site.checks.page.citation_keys import KeyIndex
from ipt_site.checks.page.narrative import NarrativeIndex
from ipt_site.checks.rule import PageRule
from ipt_site.checks.site_check import run_checks
from ipt_site.checks.site_context import SiteContext
from ipt_site.problems import Problem
from ipt_site.sources.bibliography import Bibliography, parse_bibliography
from ipt_site.sources.page_scan import read_page

EMPTY_BIB = parse_bibliography(b"", "references.bib")


def page_text(body: str, *, front: str | None = None, line_offset: int = 0) -> str:
    """A page file whose body is ``body``, starting ``line_offset`` lines down (under front matter)."""
    if front is None and not line_offset:
        return body
    front = front or ""
    blank = line_offset - 2 - front.count("\n")  # the two '---' lines and the fields
    assert blank >= 0 and (front or blank), f"front matter cannot fill {line_offset} lines"
    return f"---\n{front}{chr(10) * blank}---\n{body}"


def run_rule(
    rule: PageRule,
    text: str,
    *,
    path: str = "docs/page.md",
    bib: Bibliography = EMPTY_BIB,
    keys: KeyIndex | None = None,
    narrative: NarrativeIndex | None = None,
    today: date | None = None,
) -> list[Problem]:
    """The Problems ``rule`` finds in the page file ``text``, as the site check reports them."""
    site = SiteContext.of(bib, today, keys, narrative)
    return run_checks(read_page(path, text), site, [("rule", rule)])
