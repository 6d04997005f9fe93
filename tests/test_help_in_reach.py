"""Help in reach on every screen, in real Chromium: what a reader on a phone can tap.

On every page and every embed copy (opened on its own, as a phone opens it), at phone
widths and on a desktop, at the top, the middle and the bottom of the page: at least one
working help link (000, Lifeline, or the "Get help now" page) is inside the window, not
covered by anything, and the help links of the help line and the header are targets of
44x44 CSS px at least (WCAG 2.2, 2.5.8 asks for 24x24).

In a clinic's frame, embed-page.js makes the frame as tall as the copy, so the clinic's
page scrolls, not the copy: there the help line sits at the top of the frame (tested in
tests/test_embed.py); what is tested here is the copy read on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext

from browser import site_pages

pytestmark = pytest.mark.browser

PAGES = site_pages()
ALL_PAGES = [*PAGES, *(f"embed/{p}" for p in PAGES)]
VIEWPORTS = {"phone-360": (360, 640), "phone-414": (414, 736), "desktop": (1280, 800)}
MIN_TARGET = 44

# Help links: a call to 000 or Lifeline, or the page listing every place to get help.
HELP_LINKS_JS = """
() => [...document.querySelectorAll("a[href]")].filter(a => {
  const href = a.getAttribute("href");
  return href === "tel:000" || href === "tel:131114" ||
    /\\/get-help-now\\/(index\\.html)?$/.test(new URL(a.href).pathname);
})
"""

# Each help link that is on screen now: fully inside the window, visible, and what a tap
# at its centre would hit (not covered by the header or anything else).
REACHABLE_JS = f"""
() => ({HELP_LINKS_JS})().filter(a => {{
  if (!a.checkVisibility({{visibilityProperty: true, opacityProperty: true}})) return false;
  const box = a.getBoundingClientRect();
  if (box.width === 0 || box.top < 0 || box.left < 0 ||
      box.bottom > innerHeight || box.right > document.documentElement.clientWidth) return false;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return hit !== null && (hit === a || a.contains(hit));
}}).map(a => a.textContent.trim() + " -> " + a.getAttribute("href"))
"""

TARGETS_JS = f"""
() => ({HELP_LINKS_JS})()
  .filter(a => a.closest(".help-line, .md-header") && a.checkVisibility({{visibilityProperty: true}}))
  .map(a => {{
    const box = a.getBoundingClientRect();
    return {{label: a.textContent.trim(), width: box.width, height: box.height}};
  }})
"""


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, BrowserContext]]:
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600,
                                  has_touch=width < 600)
    context.set_default_timeout(15_000)
    try:
        yield request.param, context
    finally:
        context.close()


@pytest.mark.parametrize("url_path", ALL_PAGES)
def test_a_help_link_is_in_reach_at_top_middle_and_bottom(
    sized: tuple[str, BrowserContext], site_url: str, url_path: str
) -> None:
    name, context = sized
    page = context.new_page()
    try:
        page.goto(f"{site_url}/{url_path}", wait_until="load")
        scrollable = page.evaluate("document.documentElement.scrollHeight - innerHeight")
        for where, y in (("top", 0), ("middle", scrollable // 2), ("bottom", scrollable)):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            reachable = page.evaluate(REACHABLE_JS)
            assert reachable, (
                f"{url_path} at {name}, scrolled to the {where} (y={y} of {scrollable}): "
                "no help link (000, Lifeline or Get help now) on screen"
            )

        targets = page.evaluate(TARGETS_JS)
        labels = {" ".join(t["label"].split()) for t in targets}
        assert {"000", "13 11 14"} <= labels, f"{url_path} at {name}: help line links missing: {labels}"
        if not url_path.startswith("embed/"):
            assert "Get help now" in labels, f"{url_path} at {name}: no Get help now button in the header"
        small = [t for t in targets if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET]
        assert not small, f"{url_path} at {name}: help links smaller than {MIN_TARGET}x{MIN_TARGET} px: {small}"
    finally:
        page.close()
