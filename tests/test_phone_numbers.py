"""Phone numbers in pages: every one a tel: link whose digits match its text (TEL001, TEL002).

The rules on text (no MkDocs needed), the real build stopping with a located error, and the
real pages in Chromium at phone width: every tel: link on one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browser import site_pages
from conftest import copy_project, mkdocs
from ipt_site.checks.page import phone_numbers
from ipt_site.checks.page.phone_numbers import digits
from ipt_site.problems import Problem
from page_rules import page_text, run_rule


def check(body: str) -> list[Problem]:
    return run_rule(phone_numbers.check, body)


def located(body: str) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in check(body)]


# --- bare numbers: found, located, with the fix ---------------------------------------


@pytest.mark.parametrize("number", [
    "000", "13 11 14", "131114", "13\u00a011\u00a014", "131 450", "13 92 76",
    "1300 659 467", "1300 22 4636", "1800 55 1800", "1800 595 212", "1800595212",
    "(02) 9876 5432", "(03) 98765432", "08 9876 5432", "0412 345 678",
])
def test_a_bare_phone_number_is_an_error_with_its_link_as_the_fix(number: str) -> None:
    body = f"# Help\n\nCall us on {number} any time.\n"
    [problem] = check(body)
    assert (problem.code, problem.line, problem.column) == ("TEL001", 3, 12)
    assert problem.message == f"phone number '{number}' is not a tel: link"
    assert f"[{number}](tel:{digits(number)})" in problem.hint
    assert problem.is_error


def test_each_number_on_a_line_is_reported_where_it_is() -> None:
    assert located("Call 000 or Lifeline on 13 11 14.\n\n- Kids: 1800 55 1800\n") == [
        ("TEL001", 1, 6), ("TEL001", 1, 25), ("TEL001", 3, 9)]


def test_the_line_counts_from_the_file_top() -> None:
    [problem] = run_rule(phone_numbers.check, page_text("Call 000.\n", line_offset=7))
    assert problem.location() == "docs/page.md:8:6"


def test_the_format_an_editor_reads() -> None:
    [problem] = check("Lifeline: 13 11 14\n")
    assert problem.format() == (
        "docs/page.md:1:11: TEL001 phone number '13 11 14' is not a tel: link\n"
        "    help: write it as [13 11 14](tel:131114), so readers can tap it and it never breaks across lines"
        " (if it is not a phone number, write thousands with a comma: 131,450)"
    )


# --- tel: links ------------------------------------------------------------------------


@pytest.mark.parametrize("link", [
    "[000](tel:000)", "[13 11 14](tel:131114)", "[1300 659 467](tel:1300659467)",
    "[1800 55 1800](tel:1800551800)", "[(02) 9876 5432](tel:0298765432)", "[(02) 9876 5432](tel:+61298765432)",
    "[Lifeline on 13 11 14](tel:131114)", '<a href="tel:131114">13 11 14</a>', "[13 11 14](<tel:131114>)",
])
def test_a_tel_link_that_shows_what_it_dials_is_fine(link: str) -> None:
    assert check(f"Call {link} now.\n") == []


def test_a_tel_link_that_dials_another_number_is_an_error() -> None:
    [problem] = check("Lifeline: [13 11 14](tel:131144).\n")
    assert (problem.code, problem.line, problem.column) == ("TEL002", 1, 11)
    assert problem.message == "the link text '13 11 14' does not match the number it dials, tel:131144"
    assert "tel:131114" in problem.hint


def test_a_tel_link_without_the_number_in_view_is_an_error() -> None:
    [problem] = check("[Call Lifeline](tel:131114)\n")
    assert problem.code == "TEL002" and "show the number" in problem.hint


def test_a_raw_html_tel_link_is_checked_too() -> None:
    assert located('Text <a href="tel:131114">13 11 15</a>\n') == [("TEL002", 1, 6)]


def test_a_number_linked_elsewhere_than_tel_is_still_bare() -> None:
    assert located("[13 11 14](https://www.lifeline.org.au/)\n") == [("TEL001", 1, 2)]


# --- not phone numbers -----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "In 2013 and 1984, and from 1800 to 1900.",             # years
    "See pages 1300-1310 and pp. 13–14.",                     # page ranges
    "ISBN 978-0-19-530283-8 and ISBN 0-415-13000-1.",         # ISBNs
    "ISBN 0415130001 and 0298765432 as a plain number.",     # unspaced 10 digits
    "On 13/11/2014, 13-11-14 or 13 11 2014 we met.",          # dates
    "12 to 16 weekly sessions, 8 to 20 sessions, 13 sessions.",  # session counts
    "About 1,000 people, 10 000 people, $2,000 and 130 000 people.",  # thousands
    "Read it at https://example.org/131114/000 today.",       # a web address
    "A study [@stuart2012, p. 1300] found it.",               # a citation locator
    "Call `13 11 14` in the example.",                        # code
    "```\nLifeline 13 11 14\n```",                            # a code block
    "A ratio of 0.000 and version 1.000.",                     # decimals
    "The 13YARN line; a 2000 report; room 1000.",
])
def test_what_is_not_a_phone_number_is_left_alone(text: str) -> None:
    assert check(text + "\n") == []


def test_the_site_pages_pass() -> None:

    for path in site_pages().values():
        assert run_rule(phone_numbers.check, path.read_text(encoding="utf-8"), path=str(path)) == []


# --- the real build --------------------------------------------------------------------


def test_a_bare_number_stops_the_build_with_its_location(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    page = project / "docs" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("# About this information\n", "# About this information\n\nCall 1300 659 467.\n", 1),
                    encoding="utf-8")
    line = page.read_text(encoding="utf-8").splitlines().index("Call 1300 659 467.") + 1
    result = mkdocs("build", "--strict", cwd=project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"docs/about.md:{line}:6: TEL001 phone number '1300 659 467' is not a tel: link" in output
    assert "[1300 659 467](tel:1300659467)" in output
    assert "Traceback" not in output


# --- what a reader sees: every number on one line ------------------------------------------

PAGES = site_pages()


@pytest.mark.browser
@pytest.mark.parametrize("url_path", [*PAGES, *(f"embed/{p}" for p in PAGES)])
def test_every_phone_number_stays_on_one_line_at_phone_width(browser: Browser, site_url: str, url_path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{url_path}", wait_until="load")
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            links = page.locator('a[href^="tel:"]').evaluate_all(
                "els => els.filter(a => a.checkVisibility()).map(a => [a.textContent, a.getClientRects().length])")
            assert len(links) >= 2, f"{url_path}: the help line's numbers are missing: {links}"
            broken = [text for text, boxes in links if boxes != 1]
            assert not broken, f"{url_path} ({media}, 360 px): phone numbers broken across lines: {broken}"
    finally:
        context.close()
