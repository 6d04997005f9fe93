"""Printed handouts, in real Chromium: what is on paper and what is not.

Checked twice: in the DOM with print media emulated (always), and in the text
of an A4 PDF that Chromium prints (needs pdftotext, from poppler-utils).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from browser import nav_pages

pytestmark = pytest.mark.browser

SITE_URL = "https://ipt-info.example.org/"
NAV = nav_pages()

# On paper: the content and its sources, the help numbers, review dates, the address.
PRINTED = {
    "help line": ".help-line",
    "heading": "article h1",
    "review dates": ".review-dates",
    "address": ".ipt-print-meta",
}
# Not on paper: site navigation, search, buttons, the embed block, footer navigation.
NOT_PRINTED = {
    "header": ".md-header",
    "navigation": ".md-sidebar--primary",
    "table of contents": ".md-sidebar--secondary",
    "search": ".md-search",
    "footer": ".md-footer",
    "embed block": "details.ipt-embed-block",
    "edit button": ".md-content__button",
    "buttons": "button",
}


def review_date(url_path: str) -> str:
    meta = yaml.safe_load(NAV[url_path].read_text(encoding="utf-8").split("---", 2)[1])
    day = meta["last_reviewed"]
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def shown(page: Page, selector: str) -> list[bool]:
    return page.locator(selector).evaluate_all("els => els.map(el => el.checkVisibility())")


@pytest.mark.parametrize("url_path", ["theory/", "for-clinics/", ""])
def test_print_media_shows_the_handout_and_hides_the_site(page: Page, headers_site_url: str, url_path: str) -> None:
    page.goto(f"{headers_site_url}/{url_path}", wait_until="load")
    # On screen: the embed block is there, the address line is not.
    assert shown(page, "details.ipt-embed-block") == [True]
    assert shown(page, ".ipt-print-meta") == [False]

    page.emulate_media(media="print")
    for name, selector in PRINTED.items():
        visible = shown(page, selector)
        assert visible and all(visible), f"{url_path}: {name} ({selector}) is not printed: {visible}"
    for name, selector in NOT_PRINTED.items():
        assert not any(shown(page, selector)), f"{url_path}: {name} ({selector}) is printed"
    if page.locator("a.footnote-ref").count():
        assert all(shown(page, "div.footnote li")), f"{url_path}: the reference list is not printed"
    address = page.locator(".ipt-print-meta").inner_text()
    assert f"{SITE_URL}{url_path}" in address.split(), address


def test_dark_scheme_prints_dark_text_on_white(page: Page, headers_site_url: str) -> None:
    page.goto(f"{headers_site_url}/theory/", wait_until="load")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.emulate_media(media="print")
    color = page.locator("article p").first.evaluate("p => getComputedStyle(p).color")
    channels = [float(c) for c in re.findall(r"[\d.]+", color)[:3]]
    assert max(channels) < 80, f"printed text colour {color} is not dark"
    help_color = page.locator(".help-line").evaluate("p => getComputedStyle(p).color")
    assert max(float(c) for c in re.findall(r"[\d.]+", help_color)[:3]) < 80, help_color


def pdf_text(page: Page, tmp_path: Path) -> tuple[str, str]:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is not installed (Debian: apt-get install poppler-utils); ./dev test installs it as root")
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split()), info


@pytest.mark.parametrize("url_path", ["theory/", "get-help-now/"])
def test_a4_pdf_has_the_handout_and_nothing_else(
    page: Page, headers_site_url: str, url_path: str, tmp_path: Path
) -> None:
    page.goto(f"{headers_site_url}/{url_path}", wait_until="load")
    title = page.locator("article h1").inner_text()
    text, info = pdf_text(page, tmp_path)
    assert re.search(r"Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)", info), info

    for expected in (
        title,
        "Need help now?",
        "13 11 14",
        "call 000",
        f"Page last reviewed: {review_date(url_path)}",
        f"{SITE_URL}{url_path}",
        "CC BY 4.0",
    ):
        assert expected in text, f"{url_path}: {expected!r} is not on paper:\n{text[:3000]}"
    if url_path == "theory/":
        assert "References" in text and "Stuart, S., & Robertson, M. (2012)" in text, text
    for unexpected in (
        "Embed this page",
        "Copy code",
        "<iframe",
        "Edit this page",
        "Skip to content",
        "About this information",  # a navigation label
        "Previous",  # footer navigation
        "Made with",
    ):
        assert unexpected not in text, f"{url_path}: {unexpected!r} is on paper:\n{text[:3000]}"
