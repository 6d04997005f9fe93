"""A reader's page, not an editor's, in real Chromium at phone width.

One marker per citation (the author–date text, a tap target of 24px or more, that
leads to the full reference at the end of the page); the References page readable
on a phone; clinic and editor furniture (the embed block, "For clinics", "Edit this
page") out of the reader's way but still reachable and working.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from browser import _config, docs_dir, nav_pages, site_pages

pytestmark = pytest.mark.browser

PAGES = site_pages()
ALL_PAGES = [*PAGES, *(f"embed/{p}" for p in PAGES)]
YEAR = re.compile(r"\b\d{4}[a-z]?\b|\bn\.d\.")  # APA: a year, or "n.d." for a work with no date


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


MARKERS_JS = """
els => els.filter(a => a.checkVisibility()).map(a => {
  const box = a.getBoundingClientRect();
  return {text: a.textContent.trim(), href: a.getAttribute("href"), width: box.width, height: box.height,
          number: a.closest("sup") !== null};
})
"""


@pytest.mark.parametrize("url_path", ALL_PAGES)
def test_one_citation_marker_per_work_a_target_that_leads_to_the_reference(
    phone: Page, site_url: str, url_path: str
) -> None:
    phone.goto(f"{site_url}/{url_path}", wait_until="load")
    markers = phone.locator("article a.footnote-ref").evaluate_all(MARKERS_JS)
    if not markers:
        assert phone.locator("div.footnote").count() == 0
        return
    numbers = [m for m in markers if m["number"] or not YEAR.search(m["text"])]
    assert not numbers, f"{url_path}: citations still carry a second marker (a footnote number): {numbers[:3]}"
    small = [m for m in markers if m["width"] < 24 or m["height"] < 24]
    assert not small, f"{url_path}: citation markers smaller than 24x24 px: {small[:3]}"
    # Each marker's parenthetical text is the marker: no "(Author, 2012)" left outside a link.
    outside = phone.evaluate("""() => {
      const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
      const found = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest("a, code, pre, .footnote, .csl-bib-body")) continue;
        const m = node.data.match(/\\([A-Z][^()]*\\d{4}[a-z]?\\)/g);
        if (m) found.push(...m);
      }
      return found;
    }""")
    assert not outside, f"{url_path}: author–date citations that are not the link to their reference: {outside[:3]}"

    # A tap on a marker shows its full reference, listed at the end of the page.
    first = phone.locator("article a.footnote-ref").first
    target = first.get_attribute("href")
    assert target, "a footnote marker without an href"
    first.tap()
    phone.wait_for_function("h => location.hash === h", arg=target)
    reference = phone.locator(f'[id="{target[1:]}"]')
    assert reference.is_visible() and len(reference.inner_text().strip()) > 20
    box = reference.bounding_box()
    assert box is not None and 0 <= box["y"] < 640, f"{url_path}: the reference is not on screen after the tap: {box}"


def test_references_page_is_readable_on_a_phone(phone: Page, site_url: str) -> None:
    phone.goto(f"{site_url}/references/", wait_until="load")
    entries = phone.locator(".csl-entry").evaluate_all("""els => els.map(el => {
      const box = el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = [...range.getClientRects()];
      return {top: box.top, bottom: box.bottom, first: lines[0].left,
              rest: Math.min(...lines.filter(r => r.top > lines[0].bottom - 1).map(r => r.left))};
    })""")
    assert len(entries) >= 3
    gaps = [later["top"] - earlier["bottom"] for earlier, later in itertools.pairwise(entries)]
    assert min(gaps) >= 10, f"references are not visibly separated: gaps {gaps} px"
    indents = [e["rest"] - e["first"] for e in entries]
    assert min(indents) >= 12, f"no hanging indent: later lines start {indents} px right of the first"
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the References page scrolls sideways by {overflow} px at 360 px"


# --- furniture out of the reader's way -------------------------------------------------


def test_no_embed_block_on_get_help_now(phone: Page, site_url: str) -> None:
    phone.goto(f"{site_url}/get-help-now/", wait_until="load")
    assert phone.locator("[data-ipt-embed-block]").count() == 0
    assert "Embed this page" not in phone.locator("body").inner_text()
    phone.goto(f"{site_url}/theory/", wait_until="load")
    assert phone.locator("[data-ipt-embed-block]").count() == 1, "other pages keep their embed block"


@pytest.mark.parametrize("url_path", list(PAGES))
def test_clinic_and_editor_links_are_in_the_footer_not_the_menu(phone: Page, site_url: str, url_path: str) -> None:
    phone.goto(f"{site_url}/{url_path}", wait_until="load")
    menu = phone.locator(".md-nav--primary a").evaluate_all("els => els.map(a => a.href)")
    assert menu and not [href for href in menu if href.endswith("/for-clinics/")], (
        f"{url_path}: For clinics is in the menu")
    assert phone.locator("article .md-content__button, article [rel=edit]").count() == 0, (
        f"{url_path}: an edit button in the page content")
    footer = phone.locator(".md-footer")
    clinics = footer.get_by_role("link", name="For clinics", exact=True)
    edit = footer.get_by_role("link", name="Edit this page", exact=True)
    assert clinics.is_visible() and edit.is_visible()
    source = PAGES[url_path].relative_to(docs_dir()).as_posix()
    assert edit.get_attribute("href") == f"{_config()['edit_uri']}{source}"


def test_the_for_clinics_page_opens_from_the_footer(phone: Page, site_url: str) -> None:
    assert "for-clinics/" not in nav_pages() and "for-clinics/" in PAGES
    phone.goto(f"{site_url}/theory/", wait_until="load")
    with phone.expect_navigation():
        phone.locator(".md-footer").get_by_role("link", name="For clinics", exact=True).tap()
    assert phone.url == f"{site_url}/for-clinics/"
    assert phone.locator("article h1").is_visible()
