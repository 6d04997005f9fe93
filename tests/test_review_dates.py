"""Review front matter: every field present, well-typed, and the dates make sense."""

from __future__ import annotations

from datetime import date

import pytest

from ipt_site.checks.page import review_dates
from ipt_site.problems import Problem, Severity
from page_rules import run_rule

# The unit tests' injected clock: every test below passes it (or another date) in,
# so none depends on the day it runs. The real pages are checked against today's
# date, as `./dev check` and `./dev build` check them, by tests/test_real_site.py.
TODAY = date(2026, 11, 22)

GOOD_FIELDS = {
    "title": "What is IPT?",
    "description": "A short summary of the page.",
    "last_reviewed": "2026-11-22",
    "next_review_due": "2027-11-22",
    "reviewed_by": "IPT Information editorial team",
}


def page(**changes: str | None) -> str:
    """A page whose front matter is GOOD_FIELDS with ``changes`` (None removes a field)."""
    fields = {**GOOD_FIELDS, **changes}
    lines = [f"{name}: {value}" for name, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n# Heading\n\nText.\n"


def check(text: str, today: date = TODAY) -> list[Problem]:
    return run_rule(review_dates.check, text, today=today)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_a_good_page_passes() -> None:
    assert check(page()) == []


def test_missing_front_matter() -> None:
    problem = only(check("# Heading\n\nText.\n"))
    assert (problem.code, problem.path, problem.line, problem.column) == ("FM001", "docs/page.md", 1, 1)
    assert problem.is_error


def test_unclosed_front_matter() -> None:
    problem = only(check("---\ntitle: x\n\n# Heading\n"))
    assert problem.code == "FM001" and "not closed" in problem.message


def test_invalid_yaml_names_its_line() -> None:
    text = page().replace("reviewed_by: IPT", "reviewed_by: [IPT")
    problem = only(check(text))
    assert problem.code == "FM002" and problem.line >= 6


def test_yaml_that_is_not_fields() -> None:
    problem = only(check("---\n- a list\n---\n\nText.\n"))
    assert (problem.code, problem.line) == ("FM002", 2)


def test_field_given_twice() -> None:
    text = page().replace("reviewed_by:", "title: Again\nreviewed_by:")
    problem = only(check(text))
    assert (problem.code, problem.line, problem.column) == ("FM002", 6, 1)
    assert "'title'" in problem.message


@pytest.mark.parametrize("field", list(GOOD_FIELDS))
def test_missing_field(field: str) -> None:
    problem = only(check(page(**{field: None})))
    assert (problem.code, problem.line) == ("FM003", 1)
    assert f"'{field}'" in problem.message


def test_unknown_field_suggests_the_right_one() -> None:
    text = page().replace("reviewed_by:", "last_reviwed: 2026-11-22\nreviewed_by:")
    problem = only(check(text))
    assert (problem.code, problem.line, problem.column) == ("FM004", 6, 1)
    assert "did you mean 'last_reviewed'?" in problem.message


@pytest.mark.parametrize("extra", ["template: home.html", "hide:\n  - toc", "search:\n  exclude: true"])
def test_mkdocs_and_material_keys_are_allowed(extra: str) -> None:
    assert check(page().replace("---\n\n#", extra + "\n---\n\n#")) == []


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2025-02-29"])
def test_impossible_date(value: str) -> None:
    problem = only(check(page(last_reviewed=value, next_review_due="2027-06-01")))
    assert (problem.code, problem.line, problem.column) == ("FM005", 4, 16)
    assert value in problem.message


@pytest.mark.parametrize(
    ("field", "value", "column"),
    [
        ("last_reviewed", "'2026-11-22'", 16),      # quoted: a string, not a date
        ("last_reviewed", "22/11/2026", 16),
        ("next_review_due", "2027", 18),
        ("next_review_due", "2027-11-22 10:00:00", 18),
        ("title", "[What, is, IPT]", 8),
        ("title", "yes", 8),
        ("reviewed_by", "''", 14),
        ("description", "", 13),
    ],
)
def test_wrong_type(field: str, value: str, column: int) -> None:
    problem = only(check(page(**{field: value})))
    line = 2 + list(GOOD_FIELDS).index(field)
    assert (problem.code, problem.line, problem.column) == ("FM006", line, column)


def test_description_longer_than_160_characters() -> None:
    problem = only(check(page(description="x" * 161)))
    assert (problem.code, problem.line) == ("FM007", 3)
    assert "161 characters" in problem.message
    assert check(page(description="x" * 160)) == []


@pytest.mark.parametrize("field", ["title", "description"])
def test_text_the_theme_would_not_escape(field: str) -> None:
    problem = only(check(page(**{field: "'Say \"hello\" <b>now</b>'"})))
    assert problem.code == "FM007"


def test_next_review_before_last_review() -> None:
    problem = only(check(page(next_review_due="2026-11-01")))
    assert (problem.code, problem.line, problem.column) == ("FM008", 5, 18)
    assert "not after" in problem.message


def test_next_review_more_than_three_years_after_last() -> None:
    problem = only(check(page(next_review_due="2029-11-23")))
    assert (problem.code, problem.line) == ("FM008", 5)
    assert "more than 3 years" in problem.message
    assert check(page(next_review_due="2029-11-22")) == []


def test_three_years_from_29_february() -> None:
    text = page(last_reviewed="2024-02-29", next_review_due="2027-03-01")
    assert only(check(text, today=date(2024, 3, 1))).code == "FM008"
    assert check(page(last_reviewed="2024-02-29", next_review_due="2027-02-28"), today=date(2024, 3, 1)) == []


def test_last_reviewed_in_the_future() -> None:
    problem = only(check(page(last_reviewed="2026-11-23", next_review_due="2027-11-22")))
    assert (problem.code, problem.line, problem.column) == ("FM008", 4, 16)
    assert "in the future" in problem.message


def test_overdue_page_is_a_warning() -> None:
    text = page(last_reviewed="2025-01-01", next_review_due="2026-01-01")
    problem = only(check(text))
    assert (problem.code, problem.line, problem.severity) == ("FM009", 5, Severity.WARNING)
    assert problem.message == "page is overdue for review (next review was due 2026-01-01)"
    assert check(text, today=date(2026, 1, 1)) == []  # due today is not yet overdue


def test_site_check_runs_it_with_an_injectable_today() -> None:
    # The hook and ipt-check both go through check_page.
    from ipt_site.checks.site_check import check_page
    from ipt_site.sources.bibliography import parse_bibliography

    bib = parse_bibliography(b"", "references.bib")
    text = page(last_reviewed="2025-01-01", next_review_due="2026-01-01")
    assert [p.code for p in check_page("docs/page.md", text, bib, today=date(2026, 1, 2)).problems] == ["FM009"]
    assert check_page("docs/page.md", text, bib, today=date(2025, 6, 1)).problems == []


def test_problems_format_with_file_and_line() -> None:
    problem = only(check(page(last_reviewed="2026-02-30", next_review_due="2027-01-01")))
    assert problem.format().startswith("docs/page.md:4:16: FM005 ")
