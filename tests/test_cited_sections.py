"""Every section of a health-information page that states facts carries a citation (SEC codes)."""

from __future__ import annotations

from ipt_site.checks.page import cited_sections
from page_rules import page_text, run_rule

FRONT = "title: T\n"


def check(body: str, front: str = FRONT) -> list[tuple[str, int]]:
    problems = run_rule(cited_sections.check, page_text(body, front=front, line_offset=7), path="docs/p.md")
    return [(p.code, p.line) for p in problems]


def test_a_section_without_a_citation_is_located_at_its_heading() -> None:
    body = "# Title\n\nIntro.\n\n## Cited\n\nIPT helps [@a].\n\n## Uncited\n\nIPT cures everything.\n"
    assert check(body) == [("SEC001", 9 + 7)]


def test_h3_sections_count_and_deeper_headings_belong_to_their_section() -> None:
    body = ("## A\n\nFact [@a].\n\n#### Detail\n\nMore.\n\n### B\n\nAnother fact.\n\n## C\n\n### D\n\nFact [@b].\n")
    assert check(body) == [("SEC001", 9 + 7)]   # C has no prose of its own; D is cited


def test_code_headings_and_link_targets_are_not_facts() -> None:
    body = "## A\n\n```text\n## Not a heading\n```\n\n## B\n\n<!-- only a comment -->\n"
    assert check(body) == []
    assert check("## Links\n\n[](other.md)\n") == []


def test_marked_sections_and_non_health_pages_are_exempt() -> None:
    body = "## On this site\n\n<!-- no citation needed: links to other pages -->\n\n- [Theory](theory.md): the ideas.\n"
    assert check(body) == []
    assert check("## About us\n\nWe are volunteers.\n", "title: T\nhealth_information: false\n") == []


def test_a_field_that_is_not_true_or_false_counts_as_health_information() -> None:
    # API002 reports the value, located; here the page still needs its citations.
    assert check("## A\n\nFact [@a].\n", "title: T\nhealth_information: nope\n") == []
    assert check("## A\n\nFact.\n", "title: T\nhealth_information: nope\n") == [("SEC001", 1 + 7)]
    assert check("## A\n\nFact.\n", "title: T\nhealth_information: no\n") == []


def test_sec003_exemption_without_a_reason() -> None:
    assert check("## A\n\n<!-- no citation needed -->\n\nWords.\n") == [("SEC003", 1 + 7)]


def test_a_bad_date_elsewhere_in_the_front_matter_is_not_our_problem() -> None:
    # FM005 reports it; reading health_information must not raise on it.
    assert check("## A\n\nWords.\n", "title: T\nlast_reviewed: 2026-02-30\nhealth_information: false\n") == []
