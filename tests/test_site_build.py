"""The real site, built with --strict: what a reader gets in the HTML."""

from __future__ import annotations

import itertools
import re
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from built_html import read_built, start_tags, tags
from conftest import ROOT

BIB_KEYS = re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "references.bib").read_text(), re.MULTILINE)


def nav_pages() -> list[str]:
    """Source files named in mkdocs.yml's nav."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    found: list[str] = []

    def walk(item: object) -> None:
        if isinstance(item, str) and item.endswith(".md"):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(config["nav"])
    return found


def html_of(site_dir: Path, src: str) -> str:
    dest = "index.html" if src == "index.md" else src.removesuffix(".md") + "/index.html"
    return read_built(site_dir / dest)


class _Text(HTMLParser):
    """Visible text of the article, without scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def article(html: str) -> str:
    start = html.index("<article")
    return html[start:html.index("</article>", start)]


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_strict_build_has_no_warnings(site_build: subprocess.CompletedProcess[str]) -> None:
    output = site_build.stdout + site_build.stderr
    assert "WARNING" not in output, output
    assert "ERROR" not in output, output


@pytest.mark.parametrize("src", nav_pages())
def test_every_nav_page_is_built(site_dir: Path, src: str) -> None:
    html = html_of(site_dir, src)
    assert "<h1" in article(html)


@pytest.mark.parametrize("src", nav_pages())
def test_no_raw_citation_syntax_remains(site_dir: Path, src: str) -> None:
    text = text_of(article(html_of(site_dir, src)))
    # Citation syntax shown on purpose sits in <code>; take code out first.
    prose = text_of(re.sub(r"<code[^>]*>.*?</code>", " ", article(html_of(site_dir, src)), flags=re.S))
    for raw in ("[@", "[-@", "[^", "\\full_bibliography", "\\bibliography", "///Footnotes"):
        assert raw not in prose, f"{src}: raw '{raw}' in the page text"
    assert "\ue040" not in text, f"{src}: a shield placeholder leaked into the page"


def test_citations_render_author_date_with_a_reference_list(site_dir: Path) -> None:
    html = article(html_of(site_dir, "does-it-work.md"))
    text = text_of(html)
    assert re.search(r"\(Cuijpers et al\., 2011[;)]", text), text[:2000]
    assert "(Churchill et al., 2001)" in text
    # The reference list sits at the end under a "References" heading.
    heading = re.search(r'<h2 id="references">References', html)
    assert heading, "no References heading"
    refs = html[heading.end():]
    assert 'class="footnote"' in refs
    assert "https://doi.org/10.3310/hta5350" in refs
    assert "1–173" in text_of(refs) or "1&ndash;173" in refs


def test_suppress_author_and_locators_render(site_dir: Path) -> None:
    text = text_of(article(html_of(site_dir, "theory.md")))
    # "Stuart and Robertson [-@stuart2012]" → "Stuart and Robertson (2012)"
    assert "Stuart and Robertson (2012)" in text
    # "[see @lipsitz2013]" → "(see Lipsitz & Markowitz, 2013)"
    assert "(see Lipsitz & Markowitz, 2013)" in text


def test_references_page_lists_every_entry_in_apa_order(site_dir: Path) -> None:
    html = article(html_of(site_dir, "references.md"))
    ids = re.findall(r'id="ref-([^"]+)"', html)
    assert sorted(ids) == sorted(BIB_KEYS)
    text = text_of(html)
    assert "Robertson, M., Rushton, P., & Wurm, C. (2008)" in text
    surnames = [text_of(m) for m in re.findall(r'class="csl-entry"[^>]*>(.*?),', html, re.S)]
    assert surnames == sorted(surnames, key=str.casefold)


def test_citations_in_code_are_left_exactly_as_written(site_dir: Path) -> None:
    html = article(html_of(site_dir, "about.md"))
    codes = [text_of(c) for c in re.findall(r"<code[^>]*>(.*?)</code>", html, re.S)]
    assert any("[@stuart2012]" in c for c in codes), codes


def test_every_page_has_the_help_line(site_dir: Path) -> None:
    pages = list(site_dir.rglob("index.html"))
    assert pages
    for page in pages:
        html = read_built(page)
        assert 'class="help-line"' in html, page
        line = html[html.index('class="help-line"'):]
        line = line[:line.index("</p>")]
        assert "13\xa011\xa014" in unescape(line) and 'href="tel:000"' in line, page
        href = re.findall(r'href="([^"]+)"', line)[-1]
        target = (page.parent / href).resolve()
        assert target == (site_dir / "get-help-now").resolve(), f"{page}: help link goes to {href}"


def test_no_third_party_resources_in_pages(site_dir: Path) -> None:
    """Static side of the privacy rule (no fonts, CDNs, analytics); the browser test checks real requests."""
    remote = re.compile(r"(?:https?:)?//")
    for page in site_dir.rglob("*.html"):
        external = [
            (tag, attrs) for tag, attrs in start_tags(page.read_text(encoding="utf-8"))
            if (tag in ("script", "img", "iframe", "source") and remote.match(attrs.get("src", "")))
            or (tag == "link" and remote.match(attrs.get("href", "")) and attrs.get("rel") != "canonical")
        ]
        assert not external, f"{page}: {external}"


@pytest.mark.parametrize("src", nav_pages())
def test_no_pandoc_markup_leaks_into_pages(site_dir: Path, src: str) -> None:
    text = text_of(article(html_of(site_dir, src)))
    assert "{.nocase}" not in text and "{.csl" not in text and ":::" not in text, src
    assert "\\ " not in text and "\\&" not in text, f"{src}: a pandoc escape shows in the text"


@pytest.mark.parametrize("src", nav_pages())
def test_page_head_and_headings_are_right(site_dir: Path, src: str) -> None:
    """lang, a unique title, the front matter's description, and headings that never skip a level."""
    html = html_of(site_dir, src)
    front = yaml.safe_load((ROOT / "docs" / src).read_text(encoding="utf-8").split("---")[1])
    assert re.search(r'<html[^>]*\slang="en"', html)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and front["title"] in text_of(title.group(1)), src
    descriptions = [meta["content"] for meta in tags(html, "meta", name="description")]
    assert descriptions == [front["description"]], src
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", article(html))]
    assert levels.count(1) == 1 and levels[0] == 1, f"{src}: {levels}"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{src}: heading h{after} follows h{before}"


def test_page_titles_are_unique(site_dir: Path) -> None:
    titles = []
    for src in nav_pages():
        title = re.search(r"<title>(.*?)</title>", html_of(site_dir, src), re.S)
        assert title, f"{src}: no <title>"
        titles.append(title.group(1))
    assert len(set(titles)) == len(titles), titles


@pytest.mark.parametrize("src", [*nav_pages(), "404.html"])
def test_search_dialog_has_an_accessible_name(site_dir: Path, src: str) -> None:
    html = read_built(site_dir / src) if src == "404.html" else html_of(site_dir, src)
    dialogs = tags(html, "div", role="dialog")
    searches = [d for d in dialogs if "md-search" in d.get("class", "").split()]
    assert len(searches) == 1, f"{src}: Material's search dialog markup changed: {dialogs}"
    assert searches[0].get("aria-label") == "Search this site", searches[0]
