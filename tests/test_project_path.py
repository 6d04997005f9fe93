"""The site under a path (site_url: https://example.org/ipt-site/) builds strictly and works.

The 404 page, which any missing address shows, carries absolute addresses, so Material
wrote site_url's path into its first inline script and the script's CSP hash changed
with the address: the strict build failed. mkdocs.yml's ``extra.scope: /`` makes that
script the same everywhere. Here the site is built at a project path, served under
/ipt-site/ with its own headers, and opened in Chromium.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser

from browser import open_page
from conftest import copy_project, mkdocs
from headers_server import serve_with_headers

PREFIX = "/ipt-site/"
_ADDRESS_ATTRIBUTES = {"href", "src", "data-src", "data-ipt-full"}


class _Addresses(html.parser.HTMLParser):
    """The addresses in real elements' attributes (not the text of code samples that show some)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in _ADDRESS_ATTRIBUTES and value]


def local_refs(text: str) -> list[str]:
    parser = _Addresses()
    parser.feed(text)
    return parser.found


@pytest.fixture(scope="module")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("project-path"))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"^site_url: .*$", "site_url: https://example.org/ipt-site/", text, count=1, flags=re.M),
                      encoding="utf-8")
    result = mkdocs("build", "--strict", cwd=project, env={"IPT_CITATION_CACHE": "off"})
    assert result.returncode == 0, f"the strict build at a project path failed:\n{result.stderr[-3000:]}"
    return project / "site"


@pytest.fixture(scope="module")
def served(project_site: Path) -> Iterator[str]:
    server, url = serve_with_headers(project_site, prefix=PREFIX)
    yield url
    server.shutdown()


def test_every_local_address_in_every_page_resolves_under_the_path(project_site: Path) -> None:
    missing = []
    for page in sorted(project_site.rglob("*.html")):
        rel = page.relative_to(project_site).as_posix()
        page_url = "https://example.org" + PREFIX + rel
        for ref in local_refs(page.read_text(encoding="utf-8")):
            target = urlsplit(urljoin(page_url, ref))
            if target.netloc != "example.org" or ref.startswith(("#", "tel:", "mailto:")):
                continue
            assert target.path.startswith(PREFIX), f"{rel}: {ref} leaves the site's path"
            inside = project_site / target.path[len(PREFIX):]
            if not (inside.is_file() or (inside / "index.html").is_file()):
                missing.append(f"{rel}: {ref}")
    assert not missing, "addresses that lead nowhere under " + PREFIX + ":\n  " + "\n  ".join(missing[:20])


@pytest.mark.browser
@pytest.mark.parametrize("page", ["", "theory/", "404.html", "embed/theory/"])
def test_pages_under_the_path_load_cleanly_with_the_site_headers(browser: Browser, served: str, page: str) -> None:
    with open_page(browser, f"{served}{PREFIX}{page}") as visit:
        assert visit.status == 200
        visit.assert_clean()  # a script blocked by the CSP is a console error
        if page.startswith("embed/"):
            return  # embed copies carry none of Material's scripts (overrides/embed.html)
        # Material's scripts still load on the first interaction, from under the path.
        visit.page.mouse.move(40, 300)
        visit.page.mouse.move(80, 320)
        visit.page.wait_for_function("() => typeof document$ !== 'undefined'", timeout=15_000)  # Material runs
        visit.page.wait_for_load_state("networkidle")
        visit.assert_clean()
        bundle = [u for u in visit.requests if "/assets/javascripts/bundle." in u]
        assert bundle and all(urlsplit(u).path.startswith(PREFIX) for u in bundle), bundle
