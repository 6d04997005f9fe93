"""Material's site navigation rendered once per item, not once per item per page.

Material puts the whole navigation into every page (the phone menu needs it), so a site
of n pages renders n × n navigation items: at 1,000 pages that is about 22 of plain
MkDocs' 31 s, and it grows with the square of the site (issue 16). An item that is not
on the current page's path (not ``active``) and does not hold the page renders the same
HTML on every page that sees its links the same way, so this module keeps that HTML and
hands it back.

When two pages see an item's links the same way: MkDocs writes each link relative to
the page (``mkdocs.utils.get_relative_url``): the page's folders and the link's path
share a first part or not, and when they do not, the link is ``..`` once per folder of
the page and then the path. So an item's HTML is kept per number of folders of the
page, and only for pages whose first folder is not the first part of any link in the
item; other pages render the item as before. ``tests/test_nav_render.py`` builds sites
with this on and off and compares every page.

Nothing here needs MkDocs or Jinja beyond the objects handed in; ``hooks/nav_render.py``
connects it to MkDocs' ``on_env``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

NAV_TEMPLATE = "partials/nav.html"
GLOBAL_NAME = "ipt_nav_items"
# Material's loop over the top-level items, each rendered with its children. What Jinja
# writes between the tags (no trim_blocks in MkDocs' environment) is kept, to write the same.
_ITEM_LOOP = re.compile(
    r'\{% for nav_item in nav\.items %\}(?P<before>\s*)\{% set path = "__nav_" ~ loop\.index %\}'
    r'(?P<between>\s*)\{\{ item\.render\(nav_item, path, 1\) \}\}(?P<after>\s*)\{% endfor %\}'
)
# The page is handed in, not read from the template's context: a function that asks for
# the context gets a new one made on every call in a loop (Jinja's Context.call).
_CACHED_LOOP = "{{ " + GLOBAL_NAME + "(item.render, nav.items, page) }}"


@dataclass(frozen=True)
class PatchedNav:
    source: str
    before: str  # written before each item's HTML
    after: str  # and after it


def patched_nav_source(source: str) -> PatchedNav | None:
    """Material's nav template with its loop over the top-level items made one call.

    None when the template does not have that loop exactly once (a theme that changed
    it): the navigation is then rendered as the theme does, only slower.
    """
    loops = list(_ITEM_LOOP.finditer(source))
    if len(loops) != 1:
        return None
    loop = loops[0]
    return PatchedNav(
        source=source[:loop.start()] + _CACHED_LOOP + source[loop.end():],
        before=loop["before"] + loop["between"],
        after=loop["after"],
    )


def url_parts(url: str) -> list[str]:
    """A URL path's parts as ``get_relative_url`` compares them (a copy of MkDocs'
    private ``_norm_parts``; the test compares the two functions' results)."""
    if not url.startswith("/"):
        url = "/" + url
    path = posixpath.normpath(url)[1:]
    return path.split("/") if path else []


def page_folders(page_url: str) -> list[str]:
    """The folders a link on the page at ``page_url`` is written relative to."""
    folder, _, name = page_url.rpartition("/")
    return url_parts(folder if "." in name else page_url)


def link_parts(url: str) -> list[str]:
    """A link's parts as ``normalize_url`` compares them: it reads a backslash as a slash first."""
    return url_parts(url.replace("\\", "/"))


def _walk(item: Any, urls: list[str], files: set[str]) -> bool:
    """Add the URLs the item's HTML links to and its pages' source files; False when it cannot be kept."""
    # Items of other kinds (a plugin's, e.g. the blog's views with .pages) may
    # read the current page; they are always rendered.
    if hasattr(item, "pages"):
        return False
    file = getattr(item, "file", None)
    if file is not None:
        files.add(str(getattr(file, "src_uri", file)))
    children = getattr(item, "children", None)
    if children:
        return all(_walk(child, urls, files) for child in children)
    url = getattr(item, "url", None)
    if not isinstance(url, str):
        return False
    urls.append(url)
    return True


@dataclass(frozen=True)
class RenderedItems:
    """The top-level items' HTML as one page has them."""

    html: list[str]  # in order
    joined: str
    fresh: frozenset[int]  # the indexes rendered for this page alone (not kept)


class NavItemCache:
    """The HTML of the top-level navigation items, for one build's template phase."""

    def __init__(self, before: str, after: str) -> None:
        self._before, self._after = before, after
        self._source: list[Any] | None = None  # the list of top-level items the tables below are for
        self._by_first_part: dict[str, list[int]] = {}  # item indexes by their links' first parts
        self._by_file: dict[str, list[int]] = {}  # item indexes by their pages' source files
        self._always: list[int] = []  # items of other kinds
        self._kept: dict[int, list[str | None]] = {}  # by the page's number of folders
        # The last page rendered: its items' HTML, joined, and which were rendered for it alone.
        self._last: tuple[Any, RenderedItems] | None = None
        self.kept = 0
        self.rendered = 0

    def _learn(self, items: list[Any]) -> None:
        self._source = items
        self._by_first_part, self._by_file, self._always, self._kept = {}, {}, [], {}
        for index, item in enumerate(items):
            urls: list[str] = []
            files: set[str] = set()
            if not _walk(item, urls, files):
                self._always.append(index)
                continue
            for part in {parts[0] for parts in map(link_parts, urls) if parts}:
                self._by_first_part.setdefault(part, []).append(index)
            for file in files:
                self._by_file.setdefault(file, []).append(index)

    def render(self, render: Callable[..., Any], items: list[Any], page: Any) -> Markup:
        """The HTML Material's loop writes for ``items`` on ``page`` (Jinja's Undefined
        on a page-less template such as 404.html, whose items are all rendered)."""
        if items is not self._source:  # every page hands in the same nav.items
            self._learn(items)
        page_url = getattr(page, "url", None)
        if not isinstance(page_url, str):
            self._last = None
            self.rendered += len(items)
            return Markup("".join(self._wrapped(render, item, index) for index, item in enumerate(items)))
        folders = page_folders(page_url)
        # Rendered on this page: the items on its path; the items that hold the page, which
        # Material shows as the current one (a page listed twice has the second section
        # only as its parent, so only that one is active); the items another page could see
        # otherwise (a link under the page's first folder); the items of other kinds.
        fresh = {index for index, item in enumerate(items) if getattr(item, "active", True)}
        page_file = getattr(getattr(page, "file", None), "src_uri", None)
        if isinstance(page_file, str):
            fresh.update(self._by_file.get(page_file, ()))
        fresh.update(self._always)
        if folders:
            fresh.update(self._by_first_part.get(folders[0], ()))
        kept = self._kept.setdefault(len(folders), [None] * len(items))
        parts: list[str] = []
        for index, item in enumerate(items):
            html = None if index in fresh else kept[index]
            if html is None:
                self.rendered += 1
                html = self._wrapped(render, item, index)
                if index not in fresh:
                    kept[index] = html
            else:
                self.kept += 1
            parts.append(html)
        joined = "".join(parts)
        self._last = (page, RenderedItems(parts, joined, frozenset(fresh)))
        # The macro's own HTML, joined: Markup so that an escaping environment leaves it.
        return Markup(joined)

    def items_of(self, page: Any) -> RenderedItems | None:
        """The top-level items as rendered for ``page``, if it is the last page rendered (what
        ipt_site.site_output.minify minifies once per item)."""
        if self._last is None or self._last[0] is not page:
            return None
        return self._last[1]

    def _wrapped(self, render: Callable[..., Any], item: Any, index: int) -> str:
        return self._before + str(render(item, f"__nav_{index + 1}", 1)) + self._after
