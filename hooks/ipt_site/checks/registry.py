"""Every check, in the order it runs: the one list the hook, ``ipt-check`` and the tests go through.

A page check is ``check(page: PageScan, site: SiteContext) -> Iterable[Finding]`` (see rule.py);
``site_check.check_page`` runs each of ``PAGE_CHECKS`` on every page. The project checks read
other files (mkdocs.yml, references.bib, evidence.yml, the docs/ folder) and report Problems
themselves: ``check(project: Project) -> list[Problem]``; ``project_check.check_project`` runs
each of ``PROJECT_CHECKS`` after reading the bibliography and checking every page.
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
from ipt_site.checks.project import api_schema, evidence, nav_links, toolchain
from ipt_site.checks.rule import PageRule
from ipt_site.checks.site_context import ProjectRule

PAGE_CHECKS: list[tuple[str, PageRule]] = [
    ("citation_keys", citation_keys.check),  # CIT: keys against references.bib, citation syntax
    ("narrative", narrative.check),  # NAR: "Stuart and Robertson (2012)" written in prose
    ("review_dates", review_dates.check),  # FM: the review front matter
    ("content_safety", content_safety.check),  # HTML: allowed tags, attributes and URLs
    ("cited_sections", cited_sections.check),  # SEC: every section that states facts cites
    ("api_front_matter", api_front_matter.check),  # API: what the content API needs
    ("phone_numbers", phone_numbers.check),  # TEL: phone numbers are tel: links
]

# Each reads the Project once references.bib (BIB; BIB011 through checks/project/pandoc_bib.py) and
# the files in docs/ (FILE) are read and every page checked: check(project) -> list[Problem].
PROJECT_CHECKS: list[tuple[str, ProjectRule]] = [
    ("toolchain", toolchain.check),  # TOOL: mkdocs.yml enables mkdocs-bibtex and footnotes
    ("nav_links", nav_links.check),  # NAV, LNK: the menu and links between pages
    ("evidence", evidence.check),  # EVD: evidence.yml against what each page cites
    ("api_schema", api_schema.check),  # API004: the content API's schemas load
]
