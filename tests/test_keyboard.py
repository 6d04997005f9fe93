"""Keyboard-only use of the site, in real Chromium.

- The first Tab on every page in the nav lands on "Skip to content", and Enter
  on it takes the reader past the header and navigation to the content.
- Search opens from the keyboard ("/" or "s"), takes a query, and a result
  opens with the arrow keys and Enter, on the right page.
- Focus is always visible: each of the first focusable elements in tab order
  shows an outline (or a box-shadow), in the light and the dark palette, on
  a full page and on its embed/ copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser import ColorScheme, nav_pages

pytestmark = pytest.mark.browser

SCHEMES: dict[ColorScheme, str] = {"light": "default", "dark": "slate"}
SEARCH_QUERY = "grief"
SEARCH_TARGET = "when-ipt-is-used/"  # the page a search for grief must reach
FOCUS_PAGE = "when-ipt-is-used/"  # has citations, links in text and the "Embed this page" block
TABS = 30


@contextmanager
def keyboard_page(browser: Browser, url: str, scheme: ColorScheme = "light") -> Iterator[Page]:
    """``url`` in a fresh context, with ``prefers-color-scheme: scheme`` and nothing focused."""
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.emulate_media(color_scheme=scheme)
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
        page.wait_for_function(
            "(expected) => document.body.getAttribute('data-md-color-scheme') === expected",
            arg=SCHEMES[scheme],
        )
        yield page
    finally:
        context.close()


def describe_focus(page: Page) -> str:
    described: str = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return '<body>';
            const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
            return `<${el.tagName.toLowerCase()} class="${el.className}" `
                + `href="${el.getAttribute('href') || ''}"> ${text}`;
        }"""
    )
    return described


# The element that shows the focus, and whether it does: an outline of at least
# 1px that is not transparent, or a box-shadow. A visually hidden control (Material's
# palette radio buttons) shows its focus on the label next to it.
_FOCUS_INDICATOR = """async () => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // Material fades some controls in on focus (the skip link): measure once they are shown.
    const fading = ['opacity', 'transform', 'visibility'];
    await Promise.all(el.getAnimations()
        .filter((a) => !a.transitionProperty || fading.includes(a.transitionProperty))
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => null)));
    const visible = (node) => {
        if (!node) return false;
        const box = node.getBoundingClientRect();
        const style = getComputedStyle(node);
        return box.width >= 1 && box.height >= 1 && style.visibility !== 'hidden' && style.opacity !== '0';
    };
    const shown = visible(el) ? [el] : [el.nextElementSibling, ...(el.labels || [])].filter(
        (node) => node && node.tagName === 'LABEL' && visible(node));
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
    const what = `<${el.tagName.toLowerCase()} class="${el.className}"> ${text}`;
    if (!shown.length) return {what, ok: false, why: 'the focused element (and any label of it) is invisible'};
    const indicator = (node) => {
        const style = getComputedStyle(node);
        const width = parseFloat(style.outlineWidth) || 0;
        const transparent = /rgba\\([^)]*,\\s*0\\)$/.test(style.outlineColor) || style.outlineColor === 'transparent';
        const outline = style.outlineStyle !== 'none' && width >= 1 && !transparent;
        const shadow = !!style.boxShadow && style.boxShadow !== 'none';
        return {ok: outline || shadow,
                why: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; `
                     + `box-shadow: ${style.boxShadow}`};
    };
    const results = shown.map(indicator);
    return {what, ok: results.some((r) => r.ok), why: results.map((r) => r.why).join(' | ')};
}"""


# --- skip link -------------------------------------------------------------------------


def test_first_tab_is_a_skip_link_that_moves_to_the_content(browser: Browser, site_url: str) -> None:
    pages = nav_pages()
    assert pages, "mkdocs.yml has no nav pages"
    with keyboard_page(browser, f"{site_url}/") as page:
        for path in pages:
            page.goto(f"{site_url}/{path}", wait_until="load")
            where = f"/{path}"
            page.keyboard.press("Tab")
            skip = page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const box = el.getBoundingClientRect();
                    return {
                        text: el.textContent.trim(),
                        href: el.getAttribute('href') || '',
                        inViewport: box.width > 0 && box.height > 0 && box.bottom > 0
                            && box.top < window.innerHeight,
                    };
                }"""
            )
            assert skip["text"] == "Skip to content", (
                f"{where}: the first Tab focused {describe_focus(page)}, not a 'Skip to content' link"
            )
            assert skip["inViewport"], f"{where}: the focused skip link is not shown on screen"
            assert skip["href"].startswith("#") and len(skip["href"]) > 1, (
                f"{where}: the skip link points to {skip['href']!r}, not to an element of the page"
            )
            target_id = skip["href"][1:]

            page.keyboard.press("Enter")
            page.wait_for_function("(id) => location.hash === '#' + id", arg=target_id)
            landed = page.evaluate(
                """(id) => {
                    const target = document.getElementById(id);
                    if (!target) return null;
                    const box = target.getBoundingClientRect();
                    return {
                        inContent: !!target.closest('main .md-content'),
                        inViewport: box.bottom > 0 && box.top < window.innerHeight,
                    };
                }""",
                target_id,
            )
            assert landed is not None, f"{where}: the skip link's target #{target_id} does not exist"
            assert landed["inContent"], f"{where}: #{target_id} is not in the page's main content"
            assert landed["inViewport"], f"{where}: Enter on the skip link did not scroll to #{target_id}"

            # Focus moved with it: the next Tab continues in the content, past the header and nav.
            page.keyboard.press("Tab")
            in_content = page.evaluate("() => !!document.activeElement.closest('main .md-content')")
            assert in_content, (
                f"{where}: after the skip link, Tab went to {describe_focus(page)}, not into the content"
            )


# --- search --------------------------------------------------------------------------

# True once the result list has not changed for 300 ms and links to ``target``:
# Material re-renders the list as each typed letter is searched, which would
# take the focus away from a result that the arrow keys had reached.
_RESULTS_SETTLED = """(target) => {
    const list = document.querySelector('.md-search-result__list');
    if (!list) return false;
    const state = window.__iptResults || (window.__iptResults = {html: null, since: 0});
    const now = performance.now();
    if (list.innerHTML !== state.html) {
        state.html = list.innerHTML;
        state.since = now;
        return false;
    }
    return now - state.since >= 300 && [...list.querySelectorAll('a[href]')]
        .some((a) => new URL(a.href).pathname.endsWith('/' + target));
}"""


@pytest.mark.parametrize("key", ["/", "s"])
def test_search_works_from_the_keyboard(browser: Browser, site_url: str, key: str) -> None:
    with keyboard_page(browser, f"{site_url}/") as page:
        page.keyboard.press(key)
        # The first key press also loads Material's scripts (assets/javascripts/on-demand.js),
        # which then act on it: the focus arrives a moment later.
        try:
            page.wait_for_function(
                "() => document.activeElement.matches('[data-md-component=search-query]')", timeout=10_000
            )
        except PlaywrightTimeoutError:
            pytest.fail(f"pressing {key!r} focused {describe_focus(page)}, not the search box")
        # Material opens the overlay (its __search toggle) in response to that focus.
        page.wait_for_function("() => document.getElementById('__search').checked", timeout=5_000)

        page.keyboard.type(SEARCH_QUERY)
        page.wait_for_function(_RESULTS_SETTLED, arg=SEARCH_TARGET, polling=100)

        # Down the results with the arrow keys until the target page's result has focus.
        seen = []
        for _ in range(40):
            page.keyboard.press("ArrowDown")
            href = page.evaluate("() => document.activeElement.closest('a[href]')?.href || ''")
            seen.append(href or describe_focus(page))
            if href and urlsplit(href).path.endswith("/" + SEARCH_TARGET):
                break
        else:
            pytest.fail(
                f"the arrow keys never reached a result for /{SEARCH_TARGET}; focus went to:\n  "
                + "\n  ".join(seen)
            )
        indicator = page.evaluate(_FOCUS_INDICATOR)
        assert indicator["ok"], f"the focused search result shows no focus: {indicator['why']}"

        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert urlsplit(page.url).path == "/" + SEARCH_TARGET, f"Enter on the result opened {page.url}"
        assert page.locator("main h1").count() >= 1


# --- visible focus -------------------------------------------------------------------


def focus_problems(page: Page, where: str) -> list[str]:
    """Tab through the first TABS focusable elements; the ones without a visible indicator."""
    problems, seen = [], 0
    for _ in range(TABS):
        page.keyboard.press("Tab")
        result = page.evaluate(_FOCUS_INDICATOR)
        if result is None:
            break  # focus left the page: fewer focusable elements than TABS
        seen += 1
        if not result["ok"]:
            problems.append(f"{where}: {result['what']}: {result['why']}")
    if seen < min(TABS, 5):
        problems.append(f"{where}: only {seen} element(s) took the focus from Tab")
    return problems


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_focus_is_always_visible(browser: Browser, site_url: str, site_dir: Path, scheme: ColorScheme) -> None:
    assert FOCUS_PAGE in nav_pages(), f"{FOCUS_PAGE} is no longer in the nav: pick another page here"
    urls = [f"{site_url}/{FOCUS_PAGE}"]
    # Its embed copy, if the build made one (embed pages take the theme from ?theme=).
    if (site_dir / "embed" / FOCUS_PAGE / "index.html").is_file():
        urls.append(f"{site_url}/embed/{FOCUS_PAGE}?theme=auto")
    problems = []
    for url in urls:
        with keyboard_page(browser, url, scheme) as page:
            problems += focus_problems(page, f"{scheme} {urlsplit(url).path}")
    assert not problems, "focus not visible:\n" + "\n".join(problems)
