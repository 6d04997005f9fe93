"""Every check, in the order it runs: the one list the hook, ``ipt-check`` and the tests go through.

A page check is ``check(page: PageScan, site: SiteContext) -> Iterable[Finding]`` (see rule.py);
``site_check.check_page`` runs each of ``PAGE_CHECKS`` on every page. The project checks read
other files (mkdocs.yml, references.bib, evidence.yml, the docs/ folder) and report Problems
themselves; ``project_check.check_project`` runs them in the order listed in ``PROJECT_CHECKS``.
"""

from __future__ import annotations

from ipt_site.checks.page import (
    api_front_matter,
    citation_keys,
    cited_sections,
    content_safety,
    narrative,
    phone_numbers,
    review_dates,
)
from ipt_site.checks.rule import PageRule

PAGE_CHECKS: list[tuple[str, PageRule]] = [
    ("citation_keys", citation_keys.check),  # CIT: keys against references.bib, citation syntax
    ("narrative", narrative.check),  # NAR: "Stuart and Robertson (2012)" written in prose
    ("review_dates", review_dates.check),  # FM: the review front matter
    ("content_safety", content_safety.check),  # HTML: allowed tags, attributes and URLs
    ("cited_sections", cited_sections.check),  # SEC: every section that states facts cites
    ("api_front_matter", api_front_matter.check),  # API: what the content API needs
    ("phone_numbers", phone_numbers.check),  # TEL: phone numbers are tel: links
]

# The project checks and the codes they report, in the order check_project runs them.
PROJECT_CHECKS: list[tuple[str, str]] = [
    ("toolchain", "TOOL: mkdocs.yml enables mkdocs-bibtex and footnotes (checks/toolchain.py)"),
    ("bibliography", "BIB: references.bib as pybtex reads it (sources/bibliography.py)"),
    ("pandoc_bib", "BIB011: references.bib as pandoc reads it (checks/pandoc_bib.py)"),
    ("pages", "FILE: the files in docs/ (sources/pages.py), then PAGE_CHECKS on each page"),
    ("unused_entries", "BIB009: entries no page cites (sources/bibliography.py)"),
    ("nav_links", "NAV, LNK: the menu and links between pages (checks/nav_links.py)"),
    ("evidence", "EVD: evidence.yml against what each page cites (checks/evidence.py)"),
]
