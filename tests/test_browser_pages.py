"""Every page of the built site, loaded in real Chromium from a local server.

Checks what a reader's browser actually does and shows: no request leaves the
site, no script or console error, no cookie, the help line, citations rendered
(never raw), a References list, and the reference tooltips.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from browser import PageVisit, built_pages, canonical_page, docs_dir, nav_pages, open_page, open_pages

pytestmark = pytest.mark.browser

NAV_PAGES = nav_pages()

# Citation or footnote syntax that should never reach a reader: it means a citation,
# footnote or bibliography marker was not rendered. `{.nocase}` is pandoc's markup
# leaking through mkdocs-bibtex.
RAW_SYNTAX = ("[@", "[-@", "[^", "\\full_bibliography", "///Footnotes", "{.nocase}")

# An APA author–date citation as the reader sees it, e.g. "(Churchill et al., 2001)".
AUTHOR_DATE = re.compile(r"\([A-Z][^()]*\d{4}[a-z]?[^()]*\)")

# Text nodes shown to the reader, outside code (the About page shows citation
# syntax in code on purpose, as examples for editors).
VISIBLE_TEXT_JS = """
() => {
  const skip = "code, pre, script, style, noscript, template, kbd, samp";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility({visibilityProperty: true})) continue;
    parts.push(node.data);
  }
  return parts.join("");
}
"""

# --- what the Markdown source cites (outside code), independent of the build ---------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_CITATION_GROUP = re.compile(r"\[([^\[\]]*@[^\[\]]*)\](?![(\[])")
_CITATION_KEY = re.compile(r"(?<![\w.@])-?@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")


def cited_keys(source: Path) -> set[str]:
    """Keys cited with pandoc syntax in ``source``, ignoring front matter, code and comments."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    kept: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        else:
            kept.append(_INLINE_CODE.sub("", line))
    keys: set[str] = set()
    for group in _CITATION_GROUP.finditer("\n".join(kept)):
        keys.update(_CITATION_KEY.findall(group.group(1)))
    return keys


def source_for(url_path: str, docs: Path) -> Path | None:
    """The Markdown file a built page came from, for pages outside the nav."""
    stem = url_path.rstrip("/")
    candidates = (
        [docs / "index.md", docs / "README.md"]
        if not stem
        else [docs / f"{stem}.md", docs / stem / "index.md", docs / stem / "README.md"]
    )
    return next((path for path in candidates if path.is_file()), None)


# --- the checks --------------------------------------------------------------------


def normalize(text: str) -> str:
    """Collapse whitespace (the help line uses non-breaking spaces) and drop back-link arrows."""
    return " ".join(text.replace("\u21a9", " ").replace("\ufe0e", "").split())


def check_help_line(page: Page, site_url: str) -> None:
    # At the top, in the same place on every page (embed copies repeat it at their end).
    help_line = page.locator(".md-banner .help-line")
    expect(help_line, "one help line at the top of every page (overrides/main.html)").to_have_count(1)
    expect(help_line).to_be_visible()
    text = normalize(help_line.inner_text())
    assert "13 11 14" in text, f"help line lacks Lifeline's number: {text!r}"
    assert "000" in text, f"help line lacks the emergency number: {text!r}"
    hrefs: list[str] = help_line.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert f"{site_url}/get-help-now/" in hrefs, f"help line does not link to get-help-now/: {hrefs}"
    # The numbers must be callable from a phone, not just printed.
    assert {"tel:000", "tel:131114"} <= set(hrefs), f"help line phone links: {hrefs}"


def check_no_raw_syntax(text: str, url: str) -> None:
    found: list[str] = []
    for token in RAW_SYNTAX:
        found.extend(f"{token!r} in …{text[max(0, match.start() - 40):match.end() + 40]!r}…"
                     for match in re.finditer(re.escape(token), text))
    assert not found, f"{url} shows raw citation/footnote syntax:\n  " + "\n  ".join(found)


def references_heading_and_list(page: Page) -> list[str]:
    """What follows each visible h2 "References" in the article (tag.class of the next element)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("article h2")]
              .filter(h => h.textContent.trim() === "References")
              .map(h => { const n = h.nextElementSibling;
                          return n ? `${n.tagName.toLowerCase()}.${n.className}` : "nothing"; })"""
    )
    return found


def tooltip_text(page: Page, marker: Locator) -> str:
    """Text of the tooltip Material opens for ``marker`` (content.footnote.tooltips)."""
    # Material links the marker to its tooltip (a role=dialog .md-tooltip2) via aria-controls.
    expect(marker, "no reference tooltip opened (is content.footnote.tooltips on?)").to_have_attribute(
        "aria-controls", re.compile(r"\S")
    )
    tooltip = page.locator(f"#{marker.get_attribute('aria-controls')}")
    expect(tooltip, "the reference tooltip is not shown").to_be_visible()
    expect(tooltip).to_have_class(re.compile(r"\bmd-tooltip2--active\b"))
    return normalize(tooltip.inner_text())


def dismiss_tooltip(page: Page) -> None:
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    expect(page.locator(".md-tooltip2--active")).to_have_count(0)


def check_tooltips(page: Page, keys: set[str]) -> None:
    """Hovering each source's first marker shows that source's reference in a tooltip,
    and so does keyboard focus (checked on one source, to keep the suite fast)."""
    url = page.url
    for key in sorted(keys):
        marker = page.locator(f'a.footnote-ref[href="#fn:{key}"]').first
        reference = normalize(page.locator(f'div.footnote li[id="fn:{key}"]').inner_text())
        marker.hover()  # replaces the previous marker's tooltip
        shown = tooltip_text(page, marker)
        assert reference in shown, f"{url}: hovering the {key} marker shows {shown!r}, not {reference!r}"
    dismiss_tooltip(page)
    key = min(keys)
    marker = page.locator(f'a.footnote-ref[href="#fn:{key}"]').first
    reference = normalize(page.locator(f'div.footnote li[id="fn:{key}"]').inner_text())
    marker.focus()
    shown = tooltip_text(page, marker)
    assert reference in shown, f"{url}: focusing the {key} marker shows {shown!r}, not {reference!r}"
    dismiss_tooltip(page)


def check_citations(page: Page, keys: set[str], text: str, *, tooltips: bool) -> None:
    url = page.url
    citations = AUTHOR_DATE.findall(text)
    assert citations, f"{url} cites {sorted(keys)} but shows no author–date citation like (Author, 2001)"

    after = references_heading_and_list(page)
    assert after == ["div.footnote"], (
        f"{url}: expected one 'References' h2 directly followed by the footnote list, found "
        + (f"'References' h2s followed by {after}" if after else "no 'References' h2")
    )
    listed = page.locator("div.footnote > ol > li").evaluate_all("items => items.map(li => li.id)")
    listed_keys = {item.removeprefix("fn:") for item in listed}
    assert listed_keys == keys, (
        f"{url}: the References list does not match what the page cites\n"
        f"  cited but not listed: {sorted(keys - listed_keys)}\n"
        f"  listed but not cited: {sorted(listed_keys - keys)}"
    )
    for key in sorted(keys):
        reference = normalize(page.locator(f'div.footnote li[id="fn:{key}"]').inner_text())
        assert len(reference) > 20, f"{url}: the reference for {key} is nearly empty: {reference!r}"
    targets = set(page.locator("a.footnote-ref").evaluate_all("refs => refs.map(a => a.hash)"))
    dangling = {t for t in targets if t.removeprefix("#") not in listed}
    assert not dangling, f"{url}: citation markers point at no reference: {sorted(dangling)}"
    if tooltips:
        check_tooltips(page, keys)


def check_page(
    visit: PageVisit, site_url: str, url_path: str, source: Path | None, *, in_nav: bool
) -> None:
    page = visit.page
    url = f"{site_url}/{url_path}"
    assert visit.status == 200, f"{url} answered {visit.status}"
    visit.assert_clean()
    check_help_line(page, site_url)
    text = " ".join(page.evaluate(VISIBLE_TEXT_JS).split())
    check_no_raw_syntax(text, url)

    if source is None:
        # A generated copy of a page (e.g. embed/X/) names the page it copies as
        # canonical, and must cite what that page's source cites.
        copied = canonical_page(page)
        if copied is not None and copied != url_path:
            source = NAV_PAGES.get(copied) or source_for(copied, docs_dir())
    keys = cited_keys(source) if source is not None else None
    if keys:
        # Tooltips come from Material's bundle. Every nav page loads it; a page
        # outside the nav that leaves it out on purpose (the embeddable copies do:
        # it needs localStorage, which a third-party frame may not get) is exempt.
        material_js = page.locator("script#__config").count() > 0
        check_citations(page, keys, text, tooltips=in_nav or material_js)
    elif keys is not None:
        # Citation syntax shown in code must stay literal: no markers, no list.
        markers = page.locator("a.footnote-ref").count()
        after = references_heading_and_list(page)
        assert markers == 0 and not after, (
            f"{url} cites nothing outside code, yet shows {markers} citation marker(s) "
            f"and References headings followed by {after}"
        )
    # Hovering and focusing must not have caused errors, requests or cookies either.
    visit.assert_clean()


# --- tests -------------------------------------------------------------------------


def test_every_nav_page_is_built(site_dir: Path) -> None:
    built = set(built_pages(site_dir))
    missing = sorted(set(NAV_PAGES) - built)
    assert not missing, f"pages in the nav but not in the built site: {missing}"


@pytest.mark.parametrize("url_path", list(NAV_PAGES), ids=[p.name for p in NAV_PAGES.values()])
def test_nav_page_in_chromium(browser: Browser, site_url: str, url_path: str) -> None:
    with open_page(browser, f"{site_url}/{url_path}") as visit:
        check_page(visit, site_url, url_path, NAV_PAGES[url_path], in_nav=True)


def test_pages_outside_nav_in_chromium(browser: Browser, site_dir: Path, site_url: str) -> None:
    """Every other built page (generated ones such as embed/X/), all reported at once."""
    docs = docs_dir()
    others = [url_path for url_path in built_pages(site_dir) if url_path not in NAV_PAGES]
    failures: list[str] = []
    with open_pages(browser, [f"{site_url}/{url_path}" for url_path in others]) as visits:
        for url_path, visit in zip(others, visits, strict=True):
            try:
                check_page(visit, site_url, url_path, source_for(url_path, docs), in_nav=False)
            except AssertionError as error:
                failures.append(f"/{url_path}: {error}")
    assert not failures, f"{len(failures)} page(s) outside the nav failed:\n\n" + "\n\n".join(failures)
