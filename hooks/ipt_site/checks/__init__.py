"""The rules editors see: each reports problems with a stable code (CONTRIBUTING.md, "Error codes").

Layout::

    ipt_site/codes.py            every code once: severity, title, how to fix (CONTRIBUTING's tables)
    ipt_site/sources/page_scan.py  PageScan: a page read once (front matter, body, code and HTML, citations, links)
    checks/rule.py               Finding (code, offset, message, hint) and report(): offsets -> lines and columns
    checks/site_context.py       SiteContext: what a page check knows besides the page (bibliography, today)
    checks/registry.py           PAGE_CHECKS and PROJECT_CHECKS: every check, in the order it runs
    checks/page/                 one module per page check: check(page, site) -> Iterable[Finding]
    checks/project/              checks of what is not one page (mkdocs.yml, the bib as pandoc reads it,
                                 the menu and links between pages, evidence.yml)
    checks/site_check.py         runs PAGE_CHECKS on every page (the hook and ipt-check both call it)
    checks/project_check.py      runs everything for one mkdocs.yml

Adding a check, e.g. "every page links to Get help now" (HELP001), touches four places:

1. a check file, ``checks/page/get_help_link.py``::

       def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
           if page.path.endswith("get-help-now.md"):
               return  # the page itself
           if not any(link.url.startswith("get-help-now.md") for link in page.markup.links):
               yield Finding(Code.HELP001, 0, "page does not link to Get help now",
                             "add [Get help now](get-help-now.md)")

   Locate by offset into ``page.body`` (the reporter turns it into line and column); take what
   the page holds from ``page`` (``front_matter_yaml``, ``blocks``, ``prose``, ``markup``…),
   never by scanning the text again;
2. its entry in ``checks/registry.py``: import it, and one line in ``PAGE_CHECKS`` (two lines, one file);
3. its row in ``ipt_site/codes.py``: ``HELP001 = (Severity.ERROR, "what is wrong", "how to fix it")``,
   and the same row in CONTRIBUTING.md's "Error codes" (tests/test_contributing_codes.py fails until
   the two agree, and prints the row to paste);
4. a test file, ``tests/test_get_help_link.py``: ``run_rule(get_help_link.check, page_text)`` from
   tests/page_rules.py gives the Problems an editor would see.

tests/test_adding_a_check.py makes exactly these touches to a copy of the project and runs ipt-check.
"""
