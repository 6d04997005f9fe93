"""Material's JavaScript loads on the reader's first interaction (docs/assets/javascripts/on-demand.js).

Checked in real Chromium against the built site, with a server that records every
file asked for (the search worker's fetches never reach Playwright's events):
nothing of Material's scripts or search is fetched while a reader only reads; the
first hover, click or key press loads them; and what Material does is not lost on
the way: the first click on the colour toggle, the first "/" for search, and the
colours chosen from the reader's system setting before any interaction.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from page_weight import recording_server

pytestmark = pytest.mark.browser

PAGE = "theory/"
MATERIAL = ("/assets/javascripts/bundle.", "/assets/javascripts/workers/search.", "/search/search_index.json")
TOGGLE = "[data-md-component=palette] label:not([hidden])"
SEARCH_BOX = "input[data-md-component='search-query']"


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[tuple[str, list[str]]]:
    with recording_server(site_dir) as served:
        yield served


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def material_fetched(log: list[str]) -> list[str]:
    return [path for path in log if path.startswith(MATERIAL)]


def wait_for(log: list[str], suffix: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(suffix in path for path in log):
            return
        time.sleep(0.05)
    pytest.fail(f"{suffix} was never fetched; fetched: {log}")


def open_quietly(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def fresh_visit(context: BrowserContext, server: tuple[str, list[str]]) -> tuple[Page, list[str]]:
    """The test page opened and quiet, with the server's log holding only its requests."""
    base, log = server
    del log[:]
    return open_quietly(context, f"{base}/{PAGE}"), log


def scheme(page: Page) -> str | None:
    shown: str | None = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return shown


def test_reading_fetches_none_of_material_scripts_and_a_hover_fetches_them(
    context: BrowserContext, server: tuple[str, list[str]]
) -> None:
    page, log = fresh_visit(context, server)
    page.mouse.wheel(0, 600)  # scrolling is reading, not an interaction
    time.sleep(0.5)
    assert material_fetched(log) == [], "Material's scripts or search loaded before any interaction"
    # The colour toggle is shown although Material has not run.
    expect(page.locator(TOGGLE)).to_have_count(1)
    page.mouse.move(40, 300)
    page.mouse.move(80, 320)
    wait_for(log, "/search/search_index.json")  # the bundle started the worker, which fetched the index
    assert any(p.startswith(MATERIAL[0]) for p in log)


def test_the_full_style_sheet_comes_with_material_and_keeps_the_cascade_order(
    context: BrowserContext, server: tuple[str, list[str]]
) -> None:
    page, log = fresh_visit(context, server)
    assert not [p for p in log if p.endswith(".full.css")], "the full style sheet loaded before any interaction"
    page.mouse.move(40, 300)
    wait_for(log, ".full.css")
    # Material has started once its search worker fetches the index; a key pressed
    # before that (and after the first interaction) would be Material's to miss.
    wait_for(log, "/search/search_index.json")
    # Inserted right after the first-paint sheet: Material's rules stay before the
    # palette's and ours (a11y.css), as in the theme.
    order = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet]')]
        .filter(l => l.media !== 'print').map(l => l.getAttribute('href').split('/').pop())""")
    assert order[0].endswith(".purged.css") and order[1].endswith(".full.css"), order
    assert order.index("a11y.css") > 1, order
    # Search results, built by Material's scripts, are styled: the result list has
    # Material's layout rather than a bare list.
    page.keyboard.press("/")
    expect(page.locator(SEARCH_BOX)).to_be_focused()
    page.keyboard.type("grief")
    item = page.locator(".md-search-result__item").first
    expect(item).to_be_visible()
    assert item.evaluate("el => getComputedStyle(el).listStyleType") == "none"


def test_first_click_on_the_colour_toggle_switches_and_the_second_switches_back(
    context: BrowserContext, server: tuple[str, list[str]]
) -> None:
    page, log = fresh_visit(context, server)
    assert scheme(page) == "default"
    assert material_fetched(log) == []
    # dispatch_event: a click with no mouse movement first, so the click itself is the
    # interaction that starts Material (a hover would load it beforehand).
    page.locator(TOGGLE).dispatch_event("click")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.locator(TOGGLE)).to_have_attribute("title", "Switch to light mode")
    page.locator(TOGGLE).click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    # Material remembers the choice, as it always does.
    page.locator(TOGGLE).click()
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_system_dark_setting_is_followed_before_any_interaction(
    browser: Browser, server: tuple[str, list[str]]
) -> None:
    base, log = server
    context = browser.new_context(color_scheme="dark", service_workers="block")
    try:
        del log[:]
        page = open_quietly(context, f"{base}/{PAGE}")
        assert scheme(page) == "slate"
        expect(page.locator(TOGGLE)).to_have_attribute("title", "Switch to light mode")
        assert material_fetched(log) == []
    finally:
        context.close()


def test_first_slash_opens_search(context: BrowserContext, server: tuple[str, list[str]]) -> None:
    base, _log = server
    page = open_quietly(context, f"{base}/{PAGE}")
    page.keyboard.press("/")  # the key press that loads Material must still open search
    expect(page.locator(SEARCH_BOX)).to_be_focused()
    page.keyboard.type("grief")
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def test_query_typed_before_material_has_loaded_is_searched(
    context: BrowserContext, server: tuple[str, list[str]]
) -> None:
    base, _ = server
    page = open_quietly(context, f"{base}/{PAGE}")
    box = page.locator(SEARCH_BOX)
    box.focus()  # a focus is the first interaction; the query follows at once
    box.type("Medicare")
    first = page.locator(".md-search-result__item a[href]").first
    expect(first).to_have_attribute("href", re.compile(r"getting-ipt-in-australia/$"))
