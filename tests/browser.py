"""Helpers for the tests that drive real Chromium (Debian's, through Playwright).

Imported by conftest.py (pytest puts tests/ on sys.path for a conftest outside a
package) and by the browser test modules.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    Route,
)

ROOT = Path(__file__).resolve().parent.parent

# Playwright's own browser download cannot work here, so Debian's chromium is driven.
# The background-networking flags stop Chromium itself from calling Google's hosts,
# which would otherwise show up as (or hide among) the page's own requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Schemes that never reach the network, so they are not "requests to a host".
_LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension", "devtools"}

# prefers-color-scheme, as Playwright emulates it; Material follows it (mkdocs.yml).
ColorScheme = Literal["light", "dark"]


def chromium_path() -> str:
    """Debian's chromium; a missing browser fails the run (a skip would hide it)."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "The browser tests need Chromium, but `chromium` is not on PATH. "
            "Install it with `sudo apt-get install chromium` (Debian/Ubuntu), "
            "or run `./dev test`, which installs it when run as root.",
            pytrace=False,
        )
    return path


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_third_party(url: str, site_origin: str) -> bool:
    """True for any network request that does not go to the site's own host:port."""
    if urlsplit(url).scheme in _LOCAL_SCHEMES:
        return False
    return origin(url) != site_origin


@dataclass(repr=False)  # the default repr would flood failure reports
class PageVisit:
    """One page opened in a fresh context, with everything it did on the network and console."""

    page: Page
    context: BrowserContext
    site_origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    status: int | None = None  # of the page itself

    @property
    def third_party_requests(self) -> list[str]:
        return sorted({url for url in self.requests if is_third_party(url, self.site_origin)})

    def cookies(self) -> list[dict[str, object]]:
        return [dict(cookie) for cookie in self.context.cookies()]

    def assert_clean(self) -> None:
        """No third-party request, no JavaScript or console error, no failed local load, no cookie."""
        third_party = self.third_party_requests
        assert not third_party, (
            f"{self.page.url} made {len(third_party)} request(s) to other hosts "
            "(every asset must be served by the site itself):\n  " + "\n  ".join(third_party)
        )
        assert not self.page_errors, f"{self.page.url} threw JavaScript errors:\n  " + "\n  ".join(
            self.page_errors
        )
        assert not self.console_errors, f"{self.page.url} logged console errors:\n  " + "\n  ".join(
            self.console_errors
        )
        assert not self.bad_responses, f"{self.page.url} failed to load:\n  " + "\n  ".join(
            self.bad_responses
        )
        cookies = self.cookies()
        assert not cookies, f"{self.page.url} set cookies: {cookies}"


def start_visit(browser: Browser, url: str) -> PageVisit:
    """Start loading ``url`` in a fresh context, recording its requests, errors and cookies.

    Returns once the server has answered; ``settle`` waits for the rest of the load.
    """
    site_origin = origin(url)
    # Service workers are blocked so that no request can be hidden behind one.
    context = browser.new_context(service_workers="block")
    # Short timeouts: a missing element should fail in seconds, not half a minute.
    context.set_default_timeout(10_000)
    page = context.new_page()
    visit = PageVisit(page=page, context=context, site_origin=site_origin)

    def on_route(route: Route) -> None:
        # Recorded here as well as in the request event, and anything off-site is
        # aborted: the network is closed anyway, and a test must never leak to it.
        visit.requests.append(route.request.url)
        if is_third_party(route.request.url, site_origin):
            route.abort()
        else:
            route.continue_()

    def on_request(request: Request) -> None:
        visit.requests.append(request.url)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            visit.bad_responses.append(f"{response.status} {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            visit.console_errors.append(f"{message.text} ({where.get('url')}:{where.get('lineNumber')})")

    context.route("**/*", on_route)
    context.on("request", on_request)
    context.on("response", on_response)
    page.on("websocket", lambda ws: visit.requests.append(ws.url))
    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.page_errors.append(f"{error.name}: {error.message}"))
    try:
        response = page.goto(url, wait_until="commit")
    except BaseException:
        context.close()
        raise
    visit.status = response.status if response else None
    return visit


def settle(visit: PageVisit) -> PageVisit:
    """Wait for load and then network idle, so the search worker's index fetch and
    anything a script loads late are recorded too."""
    visit.page.wait_for_load_state("load")
    visit.page.wait_for_load_state("networkidle")
    return visit


@contextmanager
def open_page(browser: Browser, url: str) -> Iterator[PageVisit]:
    """``url`` fully loaded in a fresh context; the context is closed afterwards."""
    visit = start_visit(browser, url)
    try:
        yield settle(visit)
    finally:
        visit.context.close()


@contextmanager
def open_pages(browser: Browser, urls: list[str]) -> Iterator[list[PageVisit]]:
    """Like ``open_page`` for many pages, each in its own context, loaded side by side
    (their network-idle waits overlap instead of adding up)."""
    visits: list[PageVisit] = []
    try:
        for url in urls:
            visits.append(start_visit(browser, url))  # noqa: PERF401 (one at a time: finally closes those started)
        yield [settle(visit) for visit in visits]
    finally:
        for visit in visits:
            visit.context.close()


# --- the site's pages, from mkdocs.yml ----------------------------------------------


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may use tags such as !ENV; their values do not matter for the nav."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _nav_files(nav: object) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_files(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_files(value)


def page_url_path(doc: str) -> str:
    """``theory.md`` -> ``theory/``; ``index.md`` -> ``""`` (MkDocs' directory URLs)."""
    stem = re.sub(r"\.md$", "", doc)
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _config() -> dict[str, Any]:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}


def docs_dir() -> Path:
    return ROOT / str(_config().get("docs_dir") or "docs")


def nav_pages() -> dict[str, Path]:
    """URL path (relative to the site root) -> Markdown source, for every local page in the nav."""
    config, docs = _config(), docs_dir()
    return {
        page_url_path(doc): docs / doc
        for doc in _nav_files(config.get("nav") or [])
        if doc.endswith(".md") and "://" not in doc
    }


def canonical_page(page: Page) -> str | None:
    """The page's canonical URL as a path from the site root (as in ``nav_pages``), if any."""
    link = page.locator("link[rel=canonical]")
    href = link.first.get_attribute("href") if link.count() else None
    site_url = str(_config().get("site_url") or "")
    if not href or not site_url:
        return None
    base = urlsplit(site_url).path.rstrip("/") + "/"
    path = urlsplit(href).path
    return path[len(base):] if path.startswith(base) else None


def built_pages(site_dir: Path) -> list[str]:
    """URL path of every HTML page in the built site (each ``index.html``), except the 404 page."""
    return sorted(
        "" if path.parent == site_dir else path.parent.relative_to(site_dir).as_posix() + "/"
        for path in site_dir.rglob("index.html")
    )


def site_pages() -> dict[str, Path]:
    """URL path -> Markdown source for every page in docs/, in the nav or not (e.g. ``not_in_nav``)."""
    docs = docs_dir()
    return {
        page_url_path(path.relative_to(docs).as_posix()): path
        for path in sorted(docs.rglob("*.md"))
        if path.relative_to(docs).parts[0] != "embed"
    }


def on_console_error(page: Page, record: Callable[[ConsoleMessage], object]) -> None:
    """Call ``record`` with each message ``page`` logs as an error (console.error, a failed load)."""
    def listen(message: ConsoleMessage) -> None:
        if message.type == "error":
            record(message)

    page.on("console", listen)
