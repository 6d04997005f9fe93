"""Minified pages, style sheets and scripts for the built site (hooks/minify_site.py).

Whitespace, quotes and comments are a large share of what a first visit
downloads; without them a first visit fits 40 kB and a second page 8 kB
(benchmarks/page_weight.py). The sources in docs/ keep their comments for editors.
minify-html, rcssmin and rjsmin are maintained minifiers; closing tags are kept so
simple HTML parsers see the same structure, and inline scripts keep their code,
because docs/_headers allows them by hash (minify-html trims only whitespace at a
script's very start and end; hooks/embed.py fails the build if a hash stops matching).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import minify_html
import rcssmin
import rjsmin

from ipt_site.site_output.css_purge import CLASS_ATTRIBUTE

# Published for clinics to read and copy (docs/for-clinics.md links to it): kept as written.
READABLE_SOURCES = {"assets/embed/ipt-embed.js"}


def minify_page(html: str) -> str:
    return minify_html.minify(html, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


# Where the navigation's top-level items were while the rest of the page is minified: an
# element like them, so that the rules around it see what they saw.
_ITEMS_STAND_IN = '<li id="ipt-nav-items-q7v3k9"></li>'
_WRAP_START, _WRAP_END = "<ul>", "</ul>"


@dataclass(frozen=True)
class Minified:
    html: str
    class_values: list[str]  # its class attributes' values (what the style sheet purge keeps)


def minified_with_classes(html: str) -> Minified:
    html = minify_page(html)
    return Minified(html, CLASS_ATTRIBUTE.findall(html))


@dataclass
class _Item:
    minified: Minified
    reported: bool = False  # its class values given to the build already


@dataclass
class KnownItems:
    """Minified navigation items, each minified once per build: Material writes the whole
    navigation into every page (at 1,000 pages, 90 % of what is minified), and most items
    are the same HTML on page after page (ipt_site.site_output.nav_render)."""

    items: dict[str, _Item | None] = field(default_factory=dict)
    pages: int = 0  # pages minified with them

    def item(self, html: str, keep: bool = True) -> _Item | None:
        """One top-level item (a ``<li>`` and the whitespace around it) as minify-html writes it in
        Material's ``<ul>``; None if it does not come back as a list item inside that list.
        ``keep=False``: an item rendered for one page (it holds that page's table of contents),
        minified without being kept, so the build's memory does not grow with it."""
        if html in self.items:
            return self.items[html]
        wrapped = minify_page(_WRAP_START + html + _WRAP_END)
        inside = wrapped[len(_WRAP_START):-len(_WRAP_END)]
        whole = wrapped.startswith(_WRAP_START + "<li") and wrapped.endswith("</li>" + _WRAP_END)
        item = _Item(Minified(inside, CLASS_ATTRIBUTE.findall(inside))) if whole else None
        if keep:
            self.items[html] = item
        return item


def minify_page_with_items(html: str, items: Sequence[str], known: KnownItems,
                           joined: str | None = None, fresh: Collection[int] = ()) -> Minified | None:
    """``minified_with_classes(html)``, where ``html`` holds the navigation's top-level ``items``
    one after another (as Material's loop writes them; ``joined``, if given, is their join;
    ``fresh``: the indexes of items rendered for this page alone, not kept in ``known``);
    None where that cannot be done this way. Its class values leave out those of items whose
    values ``known`` has given before: the build keeps the values of every page as one set
    (what the style sheet purge keeps), and adding each item's values on every page made the
    minifying grow with the square of the site.

    minify-html treats each element by its own name and whitespace by its parent's: between
    the ``<li>`` of a ``<ul>`` it keeps none. So the page minified with one empty ``<li>``
    where the items were, and each item minified alone inside a ``<ul>``, joined, are the
    same bytes (tests/test_nav_render.py builds sites both ways and compares every file),
    at a tenth of the cost.
    """
    if not items or _ITEMS_STAND_IN in html:
        return None
    if joined is None:
        joined = "".join(items)
    start = _first(html, joined, items[0])
    if start < 0:
        return None
    found: list[_Item] = []
    known_items = known.items
    for index, item_html in enumerate(items):
        item = known_items.get(item_html) or known.item(item_html, keep=index not in fresh)  # a new one
        if item is None:
            return None
        found.append(item)
    rest = minified_with_classes(html[:start] + _ITEMS_STAND_IN + html[start + len(joined):])
    stand_in = known.item(_ITEMS_STAND_IN)
    if stand_in is None or rest.html.count(stand_in.minified.html) != 1:
        return None
    at = rest.html.find(stand_in.minified.html)
    known.pages += 1
    class_values = rest.class_values
    for item in found:
        if not item.reported:
            class_values += item.minified.class_values
            item.reported = True
    page = (rest.html[:at] + "".join([item.minified.html for item in found])
            + rest.html[at + len(stand_in.minified.html):])
    return Minified(page, class_values)


def _first(html: str, joined: str, first_item: str) -> int:
    """``html.find(joined)``, found by its first item (a short string) and compared from there:
    a long string is slow to look for (at 1,000 items, 0.1 ms a page)."""
    at = html.find(first_item)
    while at >= 0 and not html.startswith(joined, at):
        at = html.find(first_item, at + 1)
    return at


def minify_asset(text: str, suffix: str) -> str:
    """A style sheet or script without comments and spare whitespace (``/*!`` comments stay)."""
    if suffix == ".css":
        return rcssmin.cssmin(text, keep_bang_comments=True)
    if suffix == ".js":
        return rjsmin.jsmin(text, keep_bang_comments=True)
    return text


def minify_own_assets(docs_dir: Path, site_dir: Path) -> None:
    for source in sorted(docs_dir.rglob("*")):
        rel = source.relative_to(docs_dir).as_posix()
        built = site_dir / rel
        if source.suffix in (".css", ".js") and rel not in READABLE_SOURCES and built.is_file():
            built.write_text(minify_asset(built.read_text(encoding="utf-8"), source.suffix), encoding="utf-8")
