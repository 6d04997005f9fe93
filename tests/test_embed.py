"""Embeddable pages: the built HTML, and a clinic's page framing them in real Chromium.

The clinic page is served from a second origin on another site ("localhost"
while the IPT site is "127.0.0.1"), so the frame is cross-site as on the web.
It holds the snippet copied from the built page's "Embed this page" block, and
the IPT site is served with its own _headers (CSP, framing).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Frame, Page, Route

from browser import _config, on_console_error, origin, site_pages
from built_html import read_built, tags
from conftest import lunr_search, serve

SITE_URL = "https://ipt-info.example.org/"
NAV = site_pages()  # URL path -> Markdown source, for every page (in the menu or not)
# Pages a reader in distress comes to carry no embed block (mkdocs.yml: extra.ipt_no_embed_block).
NO_EMBED_BLOCK = {str(src) for src in (_config().get("extra") or {}).get("ipt_no_embed_block") or []}
CHROME = ("md-header", "md-tabs", "md-sidebar", "md-search", "md-footer", "md-nav")


def front_matter(source: Path) -> dict[str, Any]:
    text = source.read_text(encoding="utf-8")
    fields: dict[str, Any] = yaml.safe_load(text.split("---", 2)[1])
    return fields


def read(site_dir: Path, url_path: str) -> str:
    return read_built(site_dir / url_path / "index.html")


def snippet_of(page_html: str) -> str:
    """The text the "Embed this page" block shows (and its button copies)."""
    match = re.search(r"<code data-ipt-snippet>(.*?)</code>", page_html, re.S)
    assert match, "no embed snippet on the page"
    return html.unescape(match.group(1))


# --- the built HTML ------------------------------------------------------------------


@pytest.mark.parametrize("url_path", list(NAV), ids=[p.name for p in NAV.values()])
def test_every_full_page_has_the_snippet_for_its_embed_copy(site_dir: Path, url_path: str) -> None:
    title = front_matter(NAV[url_path])["title"]
    expected = (
        f'<iframe src="{SITE_URL}embed/{url_path}" title="{html.escape(title)} \u2014 IPT information" '
        'loading="lazy" data-ipt-embed width="100%" height="800" style="border:0"></iframe>\n'
        f'<script src="{SITE_URL}assets/embed/ipt-embed.js" defer></script>'
    )
    page = read(site_dir, url_path)
    if NAV[url_path].name in NO_EMBED_BLOCK:
        assert "data-ipt-embed-block" not in page and "data-ipt-snippet" not in page
        return
    assert snippet_of(page) == expected
    opening = re.findall(r"<details[^>]*data-ipt-embed-block[^>]*>", page)
    assert len(opening) == 1, "one <details> block"
    assert not re.search(r"\sopen[\s>=]", opening[0]), f"collapsed by default: {opening[0]}"
    block = page[page.index(opening[0]):]
    assert block.index("<summary>Embed this page</summary>") < block.index("</details>")
    # At the end of the content: nothing of the article follows it.
    assert "</details>" in block and "<p" not in block[block.index("</details>"):block.index("</article>")]
    assert "embed-block.js" in page


def embed_pages(site_dir: Path) -> dict[str, Path]:
    return {
        f.parent.relative_to(site_dir).as_posix() + "/": f for f in sorted((site_dir / "embed").rglob("index.html"))
    }


def test_every_page_has_an_embed_copy_and_nothing_else_is_under_embed(site_dir: Path) -> None:
    assert sorted(embed_pages(site_dir)) == sorted(f"embed/{p}" for p in NAV)


@pytest.mark.parametrize("url_path", list(NAV), ids=[p.name for p in NAV.values()])
def test_embed_page_has_content_help_line_attribution_and_no_site_chrome(site_dir: Path, url_path: str) -> None:
    page = read(site_dir, f"embed/{url_path}")
    full = read(site_dir, url_path)
    meta = front_matter(NAV[url_path])
    for name in CHROME:
        assert f'class="{name}' not in page and f" {name} " not in page, f"embed/{url_path} has {name}"
    assert "data-ipt-embed-block" not in page and "embed-block.js" not in page
    # Not Material's bundle (it uses localStorage), only ours.
    assert re.findall(r'<script src="([^"]+)"', page) == [
        "../" * (url_path.count("/") + 1) + "assets/embed/embed-page.js"
    ]
    assert 'class="help-line"' in page and 'href="tel:000"' in page and 'href="tel:131114"' in page
    # The content is the full page's, citations and reference list included.
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", full, re.S)
    assert h1 and h1.group(0) in page
    full_refs = re.findall(r'<li id="(fn:[^"]+)"', full)
    assert re.findall(r'<li id="(fn:[^"]+)"', page) == full_refs
    headings = re.findall(r"<h2[^>]*>References</h2>", full)
    assert re.findall(r"<h2[^>]*>References</h2>", page) == headings
    attribution = re.search(r'<footer class="ipt-embed-attribution">(.*?)</footer>', page, re.S)
    assert attribution, "no attribution line"
    text = " ".join(re.sub(r"<[^>]+>", "", attribution.group(1)).split())
    day = meta["last_reviewed"]
    assert "Interpersonal Psychotherapy (IPT) explained" in text
    assert f"Page last reviewed: {day.day} {day:%B %Y}" in text
    back = "../" * (url_path.count("/") + 1) + url_path
    assert f'<a href="{back}" target="_top">' in attribution.group(1)


@pytest.mark.parametrize("url_path", list(NAV), ids=[p.name for p in NAV.values()])
def test_embed_page_names_the_full_page_as_canonical(site_dir: Path, url_path: str) -> None:
    page = read(site_dir, f"embed/{url_path}")
    # A duplicate is marked by its canonical link alone (noindex beside it sends mixed signals).
    assert tags(page, "meta", name="robots") == []
    assert [link["href"] for link in tags(page, "link", rel="canonical")] == [SITE_URL + url_path]
    # The full page itself stays indexable, with its own canonical URL.
    full = read(site_dir, url_path)
    assert tags(full, "meta", name="robots") == []
    assert [link["href"] for link in tags(full, "link", rel="canonical")] == [SITE_URL + url_path]


def test_links_on_embed_pages_leave_the_frame_for_full_pages(site_dir: Path) -> None:
    checked = external = 0
    for url_path, file in embed_pages(site_dir).items():
        page = read_built(file)
        for tag in re.findall(r"<a\s[^>]*>", page):
            quoted = re.search(r'href="([^"]*)"', tag)
            assert quoted or "href=" not in tag, f"{url_path}: an href not in double quotes: {tag}"
            href = html.unescape(quoted.group(1)) if quoted else None
            if href is None or href.startswith(("#", "tel:", "mailto:")):
                continue
            checked += 1
            if re.match(r"https?://", href) and not href.startswith(SITE_URL):
                external += 1
                assert 'target="_blank"' in tag and re.search(r'rel="[^"]*\bnoopener\b', tag), (url_path, tag)
                continue
            assert 'target="_top"' in tag, (url_path, tag)
            # Resolved from the embed page's URL, the link is a full page, never an embed copy.
            resolved = (Path("/site") / url_path / href).resolve().as_posix()
            assert not resolved.startswith("/site/embed"), (url_path, href)
    assert checked > 20 and external >= 1, (checked, external)


def test_embed_pages_are_left_out_of_the_sitemap(site_dir: Path) -> None:
    import gzip

    for text in (
        (site_dir / "sitemap.xml").read_text(encoding="utf-8"),
        gzip.decompress((site_dir / "sitemap.xml.gz").read_bytes()).decode("utf-8"),
    ):
        locations = re.findall(r"<loc>(.*?)</loc>", text)
        assert sorted(locations) == sorted(SITE_URL + p for p in NAV), locations


@lunr_search
def test_embed_pages_are_left_out_of_the_search_index(site_dir: Path) -> None:
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert locations and not [loc for loc in locations if loc.startswith("embed")]
    assert "for-clinics/" in locations


# --- in Chromium: a clinic's page on another site ---------------------------------------

# Makes storage and cookies throw in the IPT site's frames, as a browser that
# blocks third-party storage does, and records any attempt to use them.
BLOCK_STORAGE = """
(() => {
  if (location.origin !== %(site)s) return;
  window.__storageUses = [];
  const blocked = (what) => () => {
    window.__storageUses.push(what);
    throw new DOMException("Access is denied for this document.", "SecurityError");
  };
  for (const name of ["localStorage", "sessionStorage", "indexedDB", "caches"]) {
    Object.defineProperty(window, name, { get: blocked(name), configurable: true });
  }
  Object.defineProperty(Document.prototype, "cookie", {
    get: blocked("document.cookie"), set: blocked("document.cookie"), configurable: true,
  });
})();
"""

# Records Content-Security-Policy violations in every frame.
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""

CLINIC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Example clinic</title></head>
<body style="margin:0 auto;max-width:900px;font-family:sans-serif">
<h1>Example clinic: about IPT</h1>
%s
<p id="after">Call us on 01 2345 6789.</p>
</body></html>
"""


@dataclass
class Clinic:
    page: Page
    context: BrowserContext
    site: str
    errors: list[str] = field(default_factory=list)

    def frame(self, index: int = 0) -> Frame:
        """The ``index``-th embed iframe's page, once it has loaded (they load lazily: scroll to it)."""
        iframe = self.page.locator("iframe").nth(index)
        iframe.scroll_into_view_if_needed()
        frame = iframe.element_handle().content_frame()
        assert frame is not None
        for _ in range(100):
            if frame.url.startswith(self.site):
                break
            self.page.wait_for_timeout(50)
        assert frame.url.startswith(self.site), f"iframe {index} did not load: {frame.url}"
        frame.wait_for_load_state("load")
        return frame

    def assert_clean(self) -> None:
        assert not self.errors, "errors on the clinic page or in its frames:\n  " + "\n  ".join(self.errors)
        for frame in self.page.frames:
            violations = frame.evaluate("window.__cspViolations || []")
            assert not violations, f"{frame.url}: CSP violations {violations}"
        assert not self.context.cookies(), self.context.cookies()


@pytest.fixture(scope="module")
def clinic_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    directory = tmp_path_factory.mktemp("clinic")
    server, url = serve(directory)
    # "localhost" is another site than "127.0.0.1": the frame is third-party.
    yield directory, url.replace("127.0.0.1", "localhost")
    server.shutdown()


def clinic_snippet(site_dir: Path, url_path: str, site: str, theme: str = "") -> str:
    if NAV[url_path].name in NO_EMBED_BLOCK:
        # The page shows no block; its copy is embedded with the same snippet as any other page.
        from ipt_site.site_output.embed_pages import embed_snippet

        snippet = embed_snippet(SITE_URL, url_path, front_matter(NAV[url_path])["title"])
    else:
        snippet = snippet_of(read(site_dir, url_path))
    snippet = snippet.replace(SITE_URL, site + "/")
    if theme:
        snippet = snippet.replace('/" title=', f'/?theme={theme}" title=', 1)
    return snippet


@contextmanager
def open_clinic(
    browser: Browser, clinic_server: tuple[Path, str], site: str, body: str,
    *, block_storage: bool = False, width: int = 1000, name: str = "index",
) -> Iterator[Clinic]:
    directory, clinic_url = clinic_server
    (directory / f"{name}.html").write_text(CLINIC_PAGE % body, encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 800}, service_workers="block")
    allowed = {origin(site), origin(clinic_url)}

    def only_local(route: Route) -> None:
        if origin(route.request.url) in allowed or route.request.url.startswith(("data:", "about:")):
            route.continue_()
        elif route.request.resource_type == "document":
            # A page of another site, opened from a link: a stand-in, never the network.
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>elsewhere</title>")
        else:
            route.abort()

    context.route("**/*", only_local)
    context.add_init_script(RECORD_CSP)
    if block_storage:
        context.add_init_script(BLOCK_STORAGE % {"site": json.dumps(origin(site))})
    page = context.new_page()
    clinic = Clinic(page, context, site)
    on_console_error(page, lambda m: clinic.errors.append(f"console: {m.text} {m.location}"))
    page.on("pageerror", lambda e: clinic.errors.append(f"pageerror: {e}"))
    try:
        page.goto(f"{clinic_url}/{name}.html", wait_until="load")
        yield clinic
    finally:
        context.close()


def frame_fit(clinic: Clinic, index: int = 0) -> dict[str, float]:
    """Sizes seen in the parent and inside the frame."""
    frame = clinic.frame(index)
    iframe = clinic.page.locator("iframe").nth(index)
    inside = frame.evaluate(
        """() => ({
          inner: window.innerHeight,
          scroll: document.scrollingElement.scrollHeight,
          end: document.querySelector(".ipt-embed-attribution").getBoundingClientRect().bottom + window.scrollY,
        })"""
    )
    return {"iframe": iframe.evaluate("f => f.getBoundingClientRect().height"), **inside}


def wait_until_fitted(clinic: Clinic, index: int = 0, *, not_height: float | None = None) -> dict[str, float]:
    """Waits for the iframe to show all its content, with no more than a margin below it."""
    clinic.frame(index)
    iframe = clinic.page.locator("iframe").nth(index)
    clinic.page.wait_for_function(
        """([frame, notHeight]) => frame.style.height && parseFloat(frame.style.height) !== notHeight""",
        arg=[iframe.element_handle(), not_height if not_height is not None else -1],
        timeout=5000,
    )
    fit = frame_fit(clinic, index)
    # No scrolling inside the frame: the frame is as tall as its content...
    assert fit["scroll"] <= fit["inner"] + 1, fit
    # ...and not taller than the content plus the article's bottom margin.
    assert 0 <= fit["inner"] - fit["end"] <= 40, fit
    assert abs(fit["iframe"] - fit["inner"]) <= 1, fit
    return fit


@pytest.mark.browser
@pytest.mark.parametrize("storage", ["allowed", "blocked"])
def test_iframe_fits_its_content_and_refits(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str], storage: str
) -> None:
    body = clinic_snippet(site_dir, "theory/", headers_site_url) + clinic_snippet(
        site_dir, "get-help-now/", headers_site_url, theme="dark"
    ).split("\n")[0]
    with open_clinic(browser, clinic_server, headers_site_url, body, block_storage=storage == "blocked") as clinic:
        long_page = wait_until_fitted(clinic, 0)
        short_page = wait_until_fitted(clinic, 1)
        assert long_page["iframe"] > short_page["iframe"] > 800, (long_page, short_page)

        # A narrower window makes the text wrap: the frame grows to fit again.
        clinic.page.set_viewport_size({"width": 400, "height": 800})
        narrow = wait_until_fitted(clinic, 0, not_height=long_page["iframe"])
        assert narrow["iframe"] > long_page["iframe"] + 100, (narrow, long_page)

        # Content that changes later (ResizeObserver) refits too: shorter than the
        # default 800 pixels, then exactly 500 pixels taller.
        clinic.frame(0).evaluate(
            """() => document.querySelectorAll("article > :not(h1, .ipt-embed-attribution)")
                       .forEach(el => el.remove())"""
        )
        short = wait_until_fitted(clinic, 0, not_height=narrow["iframe"])
        assert 100 < short["iframe"] < 800, short
        clinic.frame(0).evaluate(
            """() => { const p = document.createElement("div"); p.style.height = "500px";
                       document.querySelector(".ipt-embed-attribution").prepend(p); }"""
        )
        taller = wait_until_fitted(clinic, 0, not_height=short["iframe"])
        assert abs(taller["iframe"] - short["iframe"] - 500) <= 2, (taller, short)

        # ?theme=dark on the src gives Material's dark scheme; the default is light.
        schemes = [clinic.frame(i).evaluate("document.body.dataset.mdColorScheme") for i in (0, 1)]
        assert schemes == ["default", "slate"]
        clinic.assert_clean()
        if storage == "blocked":
            for index in (0, 1):
                assert clinic.frame(index).evaluate("window.__storageUses") == []


@pytest.mark.browser
def test_without_the_script_the_iframe_keeps_its_height_and_scrolls(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    iframe_only = clinic_snippet(site_dir, "theory/", headers_site_url).split("\n")[0]
    with open_clinic(browser, clinic_server, headers_site_url, iframe_only, name="no-script") as clinic:
        frame = clinic.frame(0)
        clinic.page.wait_for_timeout(300)  # time for a (wrong) resize to happen
        assert clinic.page.locator("iframe").evaluate("f => f.getBoundingClientRect().height") == 800
        assert frame.evaluate("document.scrollingElement.scrollHeight > window.innerHeight + 100")
        clinic.assert_clean()


@pytest.mark.browser
def test_links_to_other_sites_open_a_new_tab(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    body = clinic_snippet(site_dir, "for-clinics/", headers_site_url)
    with open_clinic(browser, clinic_server, headers_site_url, body, name="links-out") as clinic:
        wait_until_fitted(clinic, 0)
        frame = clinic.frame(0)
        licence = frame.locator('a[href^="https://creativecommons.org/"]').first
        with clinic.context.expect_page() as new_tab:
            licence.click()
        new_tab.value.wait_for_load_state("load")
        assert new_tab.value.url.startswith("https://creativecommons.org/")
        assert new_tab.value.evaluate("window.opener === null"), "external links open with rel=noopener"
        assert frame.url == f"{headers_site_url}/embed/for-clinics/", "the frame stays where it is"


@pytest.mark.browser
@pytest.mark.parametrize(("embedded", "link", "destination"), [
    ("theory/", 'article a[href$="when-ipt-is-used/"]', "when-ipt-is-used/"),  # in the content
    ("", '.help-line a:has-text("More places to get help")', "get-help-now/"),  # in the help line
])
def test_links_within_the_site_replace_the_clinic_page(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str],
    embedded: str, link: str, destination: str,
) -> None:
    # A fresh clinic page of its own: a tab opened by an earlier click would leave
    # this one in the background (CI once timed out here when both were one test).
    body = clinic_snippet(site_dir, embedded, headers_site_url)
    with open_clinic(browser, clinic_server, headers_site_url, body, name="links-in") as clinic:
        wait_until_fitted(clinic, 0)
        with clinic.page.expect_navigation(url=f"{headers_site_url}/{destination}"):
            clinic.frame(0).locator(link).first.click()
        assert clinic.page.url == f"{headers_site_url}/{destination}"
        assert clinic.page.frames == [clinic.page.main_frame], "the whole window, not the frame"
        assert clinic.page.locator(".md-header").count() == 1, "the full page, with the site's header"


@pytest.mark.browser
def test_only_embed_pages_can_be_framed_by_another_site(
    browser: Browser, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    body = (
        f'<iframe id="embed" src="{headers_site_url}/embed/theory/" title="embed"></iframe>'
        f'<iframe id="full" src="{headers_site_url}/theory/" title="full"></iframe>'
    )
    with open_clinic(browser, clinic_server, headers_site_url, body, name="framing") as clinic:
        clinic.page.wait_for_load_state("load")
        embed = clinic.frame(0)
        assert embed.locator("h1").inner_text() == "The theory behind IPT"
        full_frame = clinic.page.locator("#full").element_handle().content_frame()
        assert full_frame is not None
        full_frame.wait_for_load_state("load")
        # Chromium replaces a refused frame with its own error page.
        assert not full_frame.url.startswith(headers_site_url), full_frame.url
        assert any("X-Frame-Options" in e or "frame-ancestors" in e for e in clinic.errors), clinic.errors


@pytest.mark.browser
def test_copy_button_copies_exactly_the_snippet(browser: Browser, site_dir: Path, headers_site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        on_console_error(page, lambda m: errors.append(m.text))
        page.goto(f"{headers_site_url}/what-to-expect/", wait_until="load")
        block = page.locator("details[data-ipt-embed-block]")
        assert block.get_attribute("open") is None, "collapsed by default"
        block.locator("summary").click()
        block.locator("button[data-ipt-copy]").click()
        page.wait_for_function("document.querySelector('.ipt-copy-status').textContent.startsWith('Copied')")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == snippet_of(read(site_dir, "what-to-expect/"))
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
def test_every_page_meets_its_own_security_policy(browser: Browser, site_dir: Path, headers_site_url: str) -> None:
    """Full and embed pages load under the CSP from _headers with no violation or error."""
    context = browser.new_context(service_workers="block")
    context.add_init_script(RECORD_CSP)
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
        on_console_error(page, lambda m: problems.append(f"{page.url}: {m.text}"))
        for url_path in [*NAV, *(f"embed/{p}" for p in NAV)]:
            response = page.goto(f"{headers_site_url}/{url_path}", wait_until="load")
            assert response and response.ok and "content-security-policy" in response.headers, url_path
            violations = page.evaluate("window.__cspViolations")
            assert not violations, f"{url_path}: {violations}"
        # The search (a worker fetching the index) works under the policy too.
        page.goto(f"{headers_site_url}/", wait_until="networkidle")
        page.keyboard.press("/")  # Material's shortcut: focuses the search box
        box = page.locator("input[data-md-component='search-query']")
        box.fill("grief")
        box.press("End")  # Material reads the box on keyup
        page.locator(".md-search-result__item").first.wait_for(timeout=5000)
        assert not page.evaluate("window.__cspViolations")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.browser
def test_parent_script_accepts_heights_only_from_the_iframe_and_its_origin(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    """Forged messages (synthetic events, so origin and source can be anything) never resize."""
    body = clinic_snippet(site_dir, "theory/", headers_site_url) + (
        '<iframe id="other" srcdoc="<p>another frame</p>" title="other"></iframe>'
    )
    with open_clinic(browser, clinic_server, headers_site_url, body, name="forged") as clinic:
        fitted = wait_until_fitted(clinic, 0)["iframe"]
        results = clinic.page.evaluate(
            """([site]) => {
              const frame = document.querySelector("iframe[data-ipt-embed]");
              const other = document.getElementById("other").contentWindow;
              const heightAfter = (init) => {
                window.dispatchEvent(new MessageEvent("message", init));
                return frame.getBoundingClientRect().height;
              };
              const data = { type: "ipt-embed:height", height: 321 };
              return {
                wrongOrigin: heightAfter({ data, origin: "https://evil.example", source: frame.contentWindow }),
                wrongSource: heightAfter({ data, origin: site, source: other }),
                noSource: heightAfter({ data, origin: site, source: null }),
                badHeight: heightAfter({ data: { type: "ipt-embed:height", height: "1e9" }, origin: site,
                                         source: frame.contentWindow }),
                otherType: heightAfter({ data: { type: "resize", height: 321 }, origin: site,
                                         source: frame.contentWindow }),
                genuine: heightAfter({ data, origin: site, source: frame.contentWindow }),
              };
            }""",
            [origin(headers_site_url)],
        )
        assert results == {
            "wrongOrigin": fitted, "wrongSource": fitted, "noSource": fitted,
            "badHeight": fitted, "otherType": fitted, "genuine": 321,
        }, results


@pytest.mark.browser
def test_a_reader_at_the_end_of_a_framed_page_finds_help(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    """In a clinic's frame (as tall as the page) the help line at the top scrolls away with the
    clinic's page: at the end of the framed page, on a phone, the help numbers are there again."""
    body = clinic_snippet(site_dir, "theory/", headers_site_url)
    with open_clinic(browser, clinic_server, headers_site_url, body, width=360) as clinic:
        fit = wait_until_fitted(clinic, 0)
        assert fit["iframe"] > 2 * 800, fit  # a long page, several screens in the frame
        frame = clinic.frame(0)
        clinic.page.evaluate(
            "f => window.scrollTo(0, f.getBoundingClientRect().bottom + window.scrollY - window.innerHeight)",
            clinic.page.locator("iframe").first.element_handle(),
        )
        on_screen = []
        for href in ("tel:000", "tel:131114"):
            for link in frame.locator(f'a[href="{href}"]').all():
                box = link.bounding_box()  # in the clinic page's window
                if box and box["y"] >= 0 and box["y"] + box["height"] <= 800:
                    on_screen.append(href)
        assert sorted(set(on_screen)) == ["tel:000", "tel:131114"], (
            f"at the end of the framed page no help number is on screen: {on_screen}")
        clinic.assert_clean()
