"""Printed handouts, in real Chromium: what is on paper, what is not, and whether it can be read.

Checked three ways: in the DOM with print media emulated (what is shown, and the
colour of every help number and of the page's address against what is behind it),
in the text of an A4 PDF that Chromium prints, and in the pixels of that PDF
rasterised (pdftotext and pdftoppm, from poppler-utils), with and without
"background graphics".
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

from browser import nav_pages, site_pages
from rendered import EFFECTIVE_COLOURS_JS, GreyImage, Word, contrast, ink_contrast, pdf_words, rasterise

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
    "reference back links": ".footnote-backref",
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
    visible: list[bool] = page.locator(selector).evaluate_all("els => els.map(el => el.checkVisibility())")
    return visible


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
        pytest.fail("pdftotext is not installed (Debian: apt-get install poppler-utils); "
                    "./dev test installs it as root")
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


# --- legible on paper: what a person sees, not what the markup says ----------------------

PAGES = site_pages()
# Every page and its embed copy (clinics print those too).
PRINTED_PAGES = [*PAGES, *(f"embed/{p}" for p in PAGES)]
# The help numbers (and "More places to get help"), every phone number, the page's address.
MUST_BE_LEGIBLE = '.help-line a, a[href^="tel:"], .ipt-print-address'


@pytest.mark.parametrize("url_path", PRINTED_PAGES)
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_help_numbers_and_address_print_dark_on_light(
    page: Page, headers_site_url: str, url_path: str, scheme: str
) -> None:
    """With print media, each help link and the address is visible and has 4.5:1 against what is
    behind it: the first opaque background up (background graphics on), and white paper (off)."""
    page.goto(f"{headers_site_url}/{url_path}", wait_until="load")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.emulate_media(media="print")
    # Material's links fade between colours: read them once the change to print has finished.
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")
    elements = page.locator(MUST_BE_LEGIBLE)
    labels = [" ".join(text.split()) for text in elements.evaluate_all("els => els.map(el => el.textContent)")]
    assert any(label == "000" for label in labels) and any("13 11 14" in label for label in labels), labels
    assert page.locator(".ipt-print-address").count() == 1, f"{url_path}: no printed address"
    for backgrounds in (True, False):
        paper = "with" if backgrounds else "without"
        for seen in elements.evaluate_all(EFFECTIVE_COLOURS_JS, backgrounds):
            where = f"{url_path} ({scheme} scheme, printed {paper} background graphics): {seen['label']!r}"
            assert seen["visible"] and seen["width"] > 0, f"{where} is not printed"
            ratio = contrast(seen["text"], seen["background"])
            assert ratio >= 4.5, (
                f"{where} prints rgb{tuple(round(c) for c in seen['text'])} on "
                f"rgb{tuple(round(c) for c in seen['background'])}: contrast {ratio:.2f}:1, needs 4.5:1"
            )


def help_and_address_words(pages: list[list[Word]]) -> dict[str, tuple[int, Word]]:
    """The printed help numbers (in "call 000. Lifeline: 13 11 14") and the address, with their page."""
    found: dict[str, tuple[int, Word]] = {}
    for number, words in enumerate(pages, start=1):
        texts = [w.text for w in words]
        for i, text in enumerate(texts[:-1]):
            if text == "call" and texts[i + 1].startswith("000") and "000" not in found:
                found["000"] = (number, words[i + 1])
            if text == "Lifeline:" and texts[i + 1:i + 4] == ["13", "11", "14"] and "13" not in found:
                for j, digits in enumerate(("13", "11", "14"), start=1):
                    found[digits] = (number, words[i + j])
            if text == "online:" and texts[i + 1].startswith(SITE_URL):
                found["address"] = (number, words[i + 1])
    return found


@pytest.mark.parametrize("url_path", PRINTED_PAGES)
@pytest.mark.parametrize("backgrounds", [True, False], ids=["background-graphics", "no-background-graphics"])
def test_printed_pdf_pixels_show_dark_help_numbers_on_light(
    page: Page, headers_site_url: str, url_path: str, backgrounds: bool, tmp_path: Path
) -> None:
    """The A4 PDF Chromium prints, rasterised: under each help number and the address, the darkest
    ink against the lightest paper around it is at least 4.5:1, and the ink is dark."""
    page.goto(f"{headers_site_url}/{url_path}", wait_until="load")
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=backgrounds))
    words = help_and_address_words(pdf_words(pdf))
    assert sorted(words) == sorted(["000", "13", "11", "14", "address"]), (
        f"{url_path}: not all of the help numbers and the address are on paper: found {sorted(words)}"
    )
    images: dict[int, GreyImage] = {}
    for name, (number, word) in words.items():
        image = images.get(number) or images.setdefault(number, rasterise(pdf, number))
        ratio, ink, paper_grey = ink_contrast(image, word)
        assert ratio >= 4.5 and ink < 100, (
            f"{url_path}: {name!r} prints as grey {ink} on grey {paper_grey} (0 black, 255 white) "
            f"on page {number}: {ratio:.2f}:1, needs dark ink at 4.5:1"
        )
