"""axe-core's WCAG 2.2 A/AA rules, in real Chromium, on every page of the built site.

Every HTML file of the built site is checked (the full pages, the 404 page and
whatever embed/ copies exist at run time), in the light (``default``) and dark
(``slate``) palettes. The palette follows ``prefers-color-scheme`` (mkdocs.yml),
so each scheme is set by emulating that media feature, and the test checks that
``data-md-color-scheme`` really changed before it scans. The embed pages follow
the reader's device with ``?theme=auto`` (assets/embed/embed-page.js).

Hidden UI is where contrast bugs hide, so the search overlay (empty and with
results), the open "Embed this page" block and a citation's footnote tooltip
are scanned too.

Nothing is switched off: a rule that fails is fixed in the site's CSS
(docs/assets/stylesheets/a11y.css), not here.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page

from browser import ColorScheme, nav_pages
from built_html import read_built

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES: dict[ColorScheme, str] = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme
EMBED_PREFIX = "embed/"

# Waits until no finite CSS transition or animation is running: axe measures
# colours as painted, and a tooltip or overlay half-way through fading in
# would give a contrast figure that belongs to neither state.
_SETTLED = """() => document.getAnimations().every(
    (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""

_RUN_AXE = """async ([context, tags]) => {
    const results = await axe.run(context ?? document, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary || ''})),
    }));
}"""

# The contrast of an element's text (or of its ::placeholder) against the
# backgrounds of its ancestors, blended over the white canvas. For the two
# texts axe cannot measure, because they overlap the search box's own text
# (it reports them as "needs review", not as violations).
_TEXT_CONTRAST = """([selector, pseudo]) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const rgba = (css) => {
        const parts = css.match(/rgba?\\(([^)]*)\\)/)[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    };
    const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
    const layers = [];
    for (let node = el; node; node = node.parentElement) layers.unshift(rgba(getComputedStyle(node).backgroundColor));
    const background = layers.reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
    const text = over(rgba(getComputedStyle(el, pseudo).color), background);
    const luminance = (c) => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
            v /= 255;
            return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [high, low] = [luminance(text), luminance(background)].sort((a, b) => b - a);
    const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
    return {ratio: (high + 0.05) / (low + 0.05), text: hex(text), background: hex(background)};
}"""


def text_contrast_problem(page: Page, where: str, selector: str, pseudo: str | None = None) -> list[str]:
    """A failure line if ``selector``'s text (or ``pseudo``) is under 4.5:1 (WCAG 1.4.3)."""
    found = page.evaluate(_TEXT_CONTRAST, [selector, pseudo])
    assert found is not None, f"{where}: no element matches {selector}"
    if found["ratio"] >= 4.5:
        return []
    return [
        (f"{where}: text contrast of {selector}{pseudo or ''} is {found['ratio']:.2f}:1 "
         f"({found['text']} on {found['background']}), under 4.5:1")
    ]


# --- axe-core ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js as bundled by axe-playwright-python (the ``test`` extra)."""
    try:
        package = importlib.resources.files("axe_playwright_python")
    except ModuleNotFoundError:
        pytest.fail(
            "The accessibility tests need axe-core, from the `axe-playwright-python` "
            "package: pip install -e '.[test]'",
            pytrace=False,
        )
    return package.joinpath("axe.min.js").read_text(encoding="utf-8")


def inject_axe(page: Page | Frame, axe_source: str) -> None:
    page.evaluate(axe_source)
    # An axe-core too old for WCAG 2.2 would select no rule by this tag and pass silently.
    wcag22 = page.evaluate("axe.getRules(['wcag22aa']).map((r) => r.ruleId)")
    assert wcag22, f"axe-core {page.evaluate('axe.version')} has no wcag22aa rules: it is too old"


def run_axe(page: Page | Frame, context: object = None) -> list[dict[str, Any]]:
    """axe's violations of the WCAG tags, in ``context`` (an axe context; the whole document by default)."""
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, [context, WCAG_TAGS])
    return violations


def report(where: str, violations: list[dict[str, Any]]) -> list[str]:
    """One readable block per failing element: rule, impact, selector, HTML, reason."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            html = " ".join(node["html"].split())
            html = html if len(html) <= 160 else html[:157] + "..."
            reason = " ".join(node["summary"].splitlines()[1:2]).strip() or violation["help"]
            lines.append(
                f"{where}: {violation['id']} [{violation['impact']}] {' > '.join(map(str, node['target']))}\n"
                f"      {html}\n"
                f"      {reason[:240]}"
            )
    return lines


# --- the pages -----------------------------------------------------------------------


def html_pages(site_dir: Path) -> list[str]:
    """URL path of every HTML file of the built site: ``""``, ``theory/``, ``embed/theory/``, ``404.html``."""
    paths = []
    for path in site_dir.rglob("*.html"):
        relative = path.relative_to(site_dir).as_posix()
        if path.name == "index.html":
            relative = relative[: -len("index.html")]
        paths.append(relative)
    return sorted(paths)


def page_url(site_url: str, path: str) -> str:
    # The embed pages take their theme from the iframe's URL; "auto" follows the device.
    query = "?theme=auto" if path.startswith(EMBED_PREFIX) else ""
    return f"{site_url}/{path}{query}"


def wait_for_scheme(page: Page, scheme: ColorScheme) -> str:
    """Wait until the page shows Material's scheme for ``scheme``; a problem, or ``""``."""
    expected = SCHEMES[scheme]
    try:
        page.wait_for_function(
            "(expected) => document.body.getAttribute('data-md-color-scheme') === expected"
            " && !document.body.hasAttribute('data-md-color-switching')",
            arg=expected,
            timeout=15_000,  # a loaded 2-core CI machine can take seconds to start Material
        )
    except Exception:  # noqa: BLE001 - reported with what the page did set
        actual = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        return (
            f"prefers-color-scheme: {scheme} left data-md-color-scheme={actual!r}, "
            f"not {expected!r}: the palette does not follow the device"
        )
    page.wait_for_function(_SETTLED)
    return ""


def load(page: Page, url: str, scheme: ColorScheme) -> str:
    """Emulate ``prefers-color-scheme: scheme``, open ``url``; a problem, or ``""``."""
    page.emulate_media(color_scheme=scheme)
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        return f"HTTP {response.status if response else 'no response'}"
    return wait_for_scheme(page, scheme)


def open_in_scheme(browser: Browser, url: str, scheme: ColorScheme) -> tuple[BrowserContext, Page, str]:
    """Open ``url`` in a fresh context in ``scheme``: the context, the page and a problem (or ``""``)."""
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page, load(page, url, scheme)


def switch_scheme(page: Page, scheme: ColorScheme) -> tuple[str, bool]:
    """Emulate ``prefers-color-scheme: scheme`` on an open page: a problem (or ``""``), and whether it reloaded.

    The embed pages (``?theme=auto``) follow the change at once. Material picks
    the palette of a full page when it loads, and remembers it in localStorage,
    so a full page is reloaded with that memory cleared, as a first visit.
    """
    page.emulate_media(color_scheme=scheme)
    if page.locator("[data-md-component=palette]").count() == 0:
        return wait_for_scheme(page, scheme), False
    page.evaluate("() => localStorage.clear()")
    response = page.reload(wait_until="load")
    if response is None or response.status != 200:
        return f"HTTP {response.status if response else 'no response'} on reload", True
    return wait_for_scheme(page, scheme), True


def scan_page(browser: Browser, site_url: str, path: str, axe_source: str) -> tuple[list[str], list[ColorScheme]]:
    """Scan one page in the light scheme, then switched to dark: (failures, schemes scanned)."""
    failures: list[str] = []
    scanned: list[ColorScheme] = []
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        for scheme in SCHEMES:
            where = f"{scheme:5} /{path}"
            if not scanned:
                problem, fresh = load(page, page_url(site_url, path), scheme), True
            else:
                problem, fresh = switch_scheme(page, scheme)
            if problem:
                failures.append(f"{where}: {problem}")
                break
            if fresh:
                inject_axe(page, axe_source)
            failures += report(where, run_axe(page))
            scanned.append(scheme)
    finally:
        context.close()
    return failures, scanned


def test_every_page_has_no_axe_violations(
    browser: Browser, site_url: str, site_dir: Path, axe_source: str
) -> None:
    pages = html_pages(site_dir)
    missing = sorted(set(nav_pages()) - set(pages))
    assert not missing, f"nav pages missing from the built site: {missing}"

    failures: list[str] = []
    scanned: dict[str, list[ColorScheme]] = {}  # page -> the schemes it was scanned in
    for path in pages:
        page_failures, scanned[path] = scan_page(browser, site_url, path, axe_source)
        failures += page_failures

    assert not failures, (
        f"{len(failures)} accessibility problem(s) on {len(pages)} pages x {len(SCHEMES)} schemes "
        f"(axe-core, {', '.join(WCAG_TAGS)}):\n" + "\n".join(failures)
    )
    # Every page in the nav really was scanned, in both schemes.
    unscanned = sorted(path for path in nav_pages() if scanned.get(path) != list(SCHEMES))
    assert not unscanned, f"nav pages not scanned in both schemes: {unscanned}"


# --- hidden UI: search overlay, "Embed this page", footnote tooltip ---------------------


def page_with_citations(site_dir: Path) -> str:
    """The first nav page whose built HTML has a footnote reference (a citation)."""
    for path in nav_pages():
        html = site_dir / path / "index.html"
        if html.is_file() and re.search(r'class="[^"]*\bfootnote-ref\b', read_built(html)):
            return path
    pytest.fail("No page in the nav has a citation (footnote-ref): the tooltip cannot be checked")


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_hidden_ui_has_no_axe_violations(
    browser: Browser, site_url: str, site_dir: Path, axe_source: str, scheme: ColorScheme
) -> None:
    path = page_with_citations(site_dir)
    context, page, problem = open_in_scheme(browser, page_url(site_url, path), scheme)
    failures: list[str] = []
    try:
        assert not problem, f"/{path}: {problem}"
        inject_axe(page, axe_source)
        where = f"{scheme:5} /{path}"

        # "Embed this page", opened.
        embed_block = "details[data-ipt-embed-block]"
        block = page.locator(embed_block)
        assert block.count() == 1, f"/{path} has no 'Embed this page' block ({embed_block})"
        block.locator("> summary").click()
        page.wait_for_function(f"document.querySelector('{embed_block}').open")
        page.wait_for_function(_SETTLED)
        failures += report(f"{where} (Embed this page, open)", run_axe(page, {"include": [[embed_block]]}))
        block.locator("> summary").click()  # closed again, out of the way

        # A citation's tooltip, shown by focusing the citation (content.footnote.tooltips).
        page.locator("a.footnote-ref").first.focus()
        page.locator(".md-tooltip2--active").wait_for(state="visible")
        page.wait_for_function(_SETTLED)
        tooltip = {"include": [[".md-tooltip2--active"]]}
        failures += report(f"{where} (footnote tooltip)", run_axe(page, tooltip))
        page.evaluate("document.activeElement.blur()")

        # The search box's placeholder, on the header.
        failures += text_contrast_problem(page, f"{where} (search, closed)", ".md-search__input", "::placeholder")

        # The search overlay: empty, then with results and search.suggest's completion.
        search = {"include": [["[data-md-component=search]"]]}
        page.keyboard.press("/")
        page.wait_for_function("document.getElementById('__search').checked")
        page.wait_for_function(_SETTLED)
        failures += report(f"{where} (search, empty)", run_axe(page, search))
        page.keyboard.type("grie")
        page.locator(".md-search-result__item").first.wait_for(state="visible")
        page.wait_for_function(_SETTLED)
        failures += report(f"{where} (search, results)", run_axe(page, search))
        if page.locator(".md-search__suggest").inner_text().strip():
            failures += text_contrast_problem(page, f"{where} (search, suggestion)", ".md-search__suggest")
    finally:
        context.close()
    assert not failures, f"{len(failures)} accessibility problem(s) in hidden UI:\n" + "\n".join(failures)
