"""``mkdocs serve`` (what ``./dev serve`` runs) never gets stuck.

A real server on a free port, a project copy broken and fixed the way an
editor does it: each problem shows as located text in the terminal and as a
banner on the affected pages (a bibliography problem on every page), never a
traceback, and fixing the cause alone recovers on the next save. The banner a
reader of the preview sees is checked in real Chromium. Save-to-reload time is
measured by benchmarks/preview_reload.py, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from conftest import copy_project
from preview import Preview

BANNER = "Problems on this page"
PAGES = ["", "theory/", "what-to-expect/", "references/", "get-help-now/"]


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    server = Preview(copy_project(tmp_path / "project")).started()
    try:
        yield server
    finally:
        server.stop()
    assert "Traceback" not in server.log(), server.log()


def banner_text(html: str) -> str:
    """The text of the problem banner, or '' when the page has none."""
    if BANNER not in html:
        return ""
    start = html.index(BANNER)
    return re.sub(r"<[^>]+>", "", html[start:html.index("</pre>", start)])


BIB_BREAKAGES = {
    # name: (change to references.bib, the located line the banner and the terminal show)
    "unclosed brace": (("  publisher = {Arnold},", "  publisher = {Arnold,"), r"references\.bib:\d+:\d+: BIB001 "),
    "duplicate key": (("@book{stuart2012,", "@book{stuart2003,"), r"references\.bib:\d+:\d+: BIB002 duplicate key"),
    "parentheses": (("@book{stuart2012,", "@book(stuart2012,"), r"references\.bib:\d+:\d+: BIB0(01|11) "),
}


def test_bib_problems_show_on_every_page_and_fixing_the_bib_alone_recovers(preview: Preview) -> None:
    bib = (preview.project / "references.bib").read_text(encoding="utf-8")
    page = preview.project / "docs" / "about.md"
    for name, ((old, new), located) in BIB_BREAKAGES.items():
        assert old in bib, name
        preview.save("references.bib", bib.replace(old, new, 1))  # the bib alone triggers a rebuild
        assert re.search(located, preview.log()), f"{name}: not in the terminal\n{preview.log()}"
        for path in PAGES:
            assert re.search(located, banner_text(preview.page(path))), f"{name}: no banner on /{path}"
        # Saving a page while the bib is broken: still no traceback, still served.
        preview.save("docs/about.md", page.read_text(encoding="utf-8") + "\n")
        assert re.search(located, banner_text(preview.page("about/")))
        preview.save("references.bib", bib)  # fixing the bib alone recovers
        for path in PAGES:
            assert banner_text(preview.page(path)) == "", f"{name}: banner left on /{path}"


def test_a_missing_bibliography_shows_everywhere_until_it_is_back(preview: Preview) -> None:
    bib = preview.project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    before = preview.builds()
    bib.unlink()
    preview.wait_until(lambda: preview.builds() > before, "a rebuild after deleting references.bib")
    for path in PAGES:
        assert "references.bib: BIB001 cannot read the bibliography" in banner_text(preview.page(path))
    preview.save("references.bib", text)
    for path in PAGES:
        assert banner_text(preview.page(path)) == ""


def test_page_problems_show_on_that_page_only(preview: Preview) -> None:
    page = preview.project / "docs" / "theory.md"
    good = page.read_bytes()
    for broken, located in [
        (good.replace(b"[@stuart2012]", b"[@stuart2013]", 1), r"docs/theory\.md:\d+:\d+: CIT001 unknown citation key"),
        (good + b"\nM\xfcller\n", r"docs/theory\.md:\d+:2: FILE001 file is not valid UTF-8"),
    ]:
        preview.save("docs/theory.md", broken)
        assert re.search(located, banner_text(preview.page("theory/"))), preview.log()
        assert re.search(located, preview.log())
        assert banner_text(preview.page("about/")) == ""
        preview.save("docs/theory.md", good)
        assert banner_text(preview.page("theory/")) == ""


@pytest.mark.browser
def test_the_open_preview_reloads_into_a_visible_banner_and_out_of_it(preview: Preview, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone, as many editors check
    tab = context.new_page()
    try:
        tab.goto(preview.url + "what-to-expect/")
        bib = (preview.project / "references.bib").read_text(encoding="utf-8")
        preview.save("references.bib", bib.replace("  publisher = {Arnold},", "  publisher = {Arnold,", 1))
        # No navigation: the open tab reloads by itself (MkDocs' live reload) and shows the banner.
        banner = tab.locator(".admonition.failure")
        expect(banner).to_be_visible(timeout=60_000)
        expect(banner).to_contain_text(re.compile(r"references\.bib:\d+:\d+: BIB001"))
        box = banner.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
        tab.evaluate("window.scrollTo(0, 0)")
        top = tab.locator("article h1").first.bounding_box()
        assert top is not None and box["y"] < top["y"], "the banner is above the page's heading"
        preview.save("references.bib", bib)
        expect(banner).to_have_count(0, timeout=60_000)
        expect(tab.locator("article h1").first).to_be_visible()
    finally:
        context.close()


def test_a_link_loop_in_docs_shows_everywhere_until_it_is_removed(preview: Preview) -> None:
    link = preview.project / "docs" / "loop"
    before = preview.builds()
    link.symlink_to(".", target_is_directory=True)  # docs/loop is docs again
    preview.wait_until(lambda: preview.builds() > before, "a rebuild after adding a link loop")
    for path in PAGES:
        assert "docs/loop: FILE002 symbolic link loop" in banner_text(preview.page(path))
    before = preview.builds()
    link.unlink()
    preview.wait_until(lambda: preview.builds() > before, "a rebuild after removing the link")
    assert banner_text(preview.page("about/")) == ""
