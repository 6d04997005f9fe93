"""The registry lists every check once, and the site check runs exactly what it lists, in order."""

from __future__ import annotations

import importlib

import pytest

from conftest import ROOT
from ipt_site.checks.registry import PAGE_CHECKS, PROJECT_CHECKS
from ipt_site.checks.rule import PageRule
from ipt_site.checks.site_check import check_page
from ipt_site.codes import Code
from ipt_site.sources.bibliography import Bibliography, load_bibliography
from page_rules import run_rule

PACKAGE = ROOT / "hooks" / "ipt_site"

# A page with something wrong for every page check: no front matter (FM, API), an unknown key
# (CIT), "et al." for a two-author work (NAR), a section without a citation (SEC), a script
# (HTML) and a phone number that is not a tel: link (TEL).
BAD_PAGE = """# A page

## Cited

IPT helps [@no_such_key]. Stuart et al. (2012) describe it.

## Not cited

IPT is brief. <script>alert(1)</script> Call 13 11 14.
"""
EXPECTED = {
    "citation_keys": "CIT", "narrative": "NAR", "review_dates": "FM", "content_safety": "HTML",
    "cited_sections": "SEC", "api_front_matter": "API", "phone_numbers": "TEL",
}


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    return load_bibliography(ROOT / "references.bib", "references.bib")


def modules(folder: str) -> set[str]:
    return {path.stem for path in (PACKAGE / "checks" / folder).glob("*.py") if path.stem != "__init__"}


def test_every_page_check_module_is_registered_once_under_its_name() -> None:
    names = [name for name, _ in PAGE_CHECKS]
    assert sorted(names) == sorted(set(names)) == sorted(modules("page"))
    for name, check in PAGE_CHECKS:
        assert check.__module__ == f"ipt_site.checks.page.{name}"


def test_every_project_check_module_with_a_check_is_registered() -> None:
    names = [name for name, _ in PROJECT_CHECKS]
    with_check = {name for name in modules("project")
                  if hasattr(importlib.import_module(f"ipt_site.checks.project.{name}"), "check")}
    assert sorted(names) == sorted(with_check)
    assert set(modules("project")) - with_check == {"pandoc_bib"}  # a reader: it runs beside the pages


@pytest.mark.parametrize(("name", "check"), PAGE_CHECKS, ids=[name for name, _ in PAGE_CHECKS])
def test_each_page_check_finds_its_own_codes_and_only_codes_in_the_table(
    name: str, check: PageRule, bib: Bibliography
) -> None:
    problems = run_rule(check, BAD_PAGE, bib=bib)
    assert problems, f"{name} found nothing on a page made to fail it"
    assert {p.code.rstrip("0123456789") for p in problems} == {EXPECTED[name]}
    for problem in problems:
        assert Code[problem.code].severity is problem.severity


def test_the_site_check_runs_the_registry_in_order(bib: Bibliography) -> None:
    each = [problem for _, check in PAGE_CHECKS for problem in run_rule(check, BAD_PAGE, bib=bib)]
    assert check_page("docs/page.md", BAD_PAGE, bib).problems == each


def test_the_site_check_runs_only_the_checks_it_is_given(bib: Bibliography) -> None:
    assert check_page("docs/page.md", BAD_PAGE, bib, checks=[]).problems == []
    only = [entry for entry in PAGE_CHECKS if entry[0] == "review_dates"]
    assert {p.code for p in check_page("docs/page.md", BAD_PAGE, bib, checks=only).problems} == {"FM001"}
