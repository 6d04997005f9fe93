"""Keep pages to safe, allowlisted HTML and links that cannot run code.

Python-Markdown copies raw HTML and link URLs into the site as written, so a
page could otherwise run script in every reader's browser. Code (spans,
fenced and indented blocks) is exempt: it is shown, not run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ipt_site.checks.rule import Finding
from ipt_site.codes import Code
from ipt_site.sources.page_markup import Attribute, Link, Markup
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

# The raw HTML a page may use, and each tag's attributes. Everything else has
# Markdown syntax, or has no place on a public health-information page.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "abbr": frozenset({"title"}),
    "br": frozenset(),
    "details": frozenset({"class", "open"}),
    "div": frozenset({"class"}),
    "em": frozenset(),
    "figcaption": frozenset(),
    "figure": frozenset({"class"}),
    "kbd": frozenset(),
    "p": frozenset(),
    "span": frozenset({"class"}),
    "strong": frozenset(),
    "sub": frozenset(),
    "summary": frozenset(),
    "sup": frozenset(),
    "time": frozenset({"datetime"}),
}
# Allowed on every allowed tag: lang marks a passage in another language
# (WCAG 3.1.2); markdown asks md_in_html to render Markdown inside the tag.
ALLOWED_EVERYWHERE = frozenset({"lang", "markdown"})

# Tags that run code, load or embed other content, or take input.
ACTIVE_TAGS = frozenset({
    "applet", "audio", "base", "button", "embed", "fencedframe", "form", "frame", "frameset",
    "iframe", "img", "input", "link", "math", "meta", "noscript", "object", "portal", "script",
    "select", "source", "style", "svg", "template", "textarea", "track", "video",
})

# Attributes whose value a browser loads or follows as a URL.
URL_ATTRIBUTES = frozenset({
    "action", "background", "cite", "codebase", "data", "formaction", "href", "longdesc",
    "manifest", "ping", "poster", "src", "srcset", "xlink:href",
})
BLOCKED_SCHEMES = ("javascript", "vbscript", "data")

# Browsers drop tabs and newlines anywhere in a URL and ignore leading control
# characters and spaces (WHATWG URL standard); drop every one of them, to be safe.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")

URL_HINT = "link only to web pages (https://…), other pages of this site, tel: or mailto:"

def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
    """Problems with the raw HTML and link URLs of one page body."""
    for item in page.markup.markup:
        yield from _check_markup(item)
    for link in page.markup.links:
        scheme = blocked_scheme(link.url)
        if scheme:
            yield Finding(Code.HTML005, link.offset, f"{_describe_link(link)} uses a '{scheme}:' URL", URL_HINT)


def blocked_scheme(url: str) -> str | None:
    """'javascript', 'vbscript' or 'data' if a browser would read ``url`` with that scheme.

    Entities are decoded first (``jav&#x61;script:``), as the browser does.
    """
    squeezed = _IGNORED_IN_URL.sub("", html.unescape(url)).lower()
    scheme, colon, _ = squeezed.partition(":")
    return scheme if colon and scheme in BLOCKED_SCHEMES else None


def _check_markup(item: Markup) -> Iterator[Finding]:
    if item.kind == "comment":
        return  # allowed: comments hold editors' notes and lint directives
    if item.kind == "declaration":
        yield Finding(Code.HTML002, item.start, "markup that is not an HTML tag ('<!…>' or '<?…>')",
                      "remove it: pages are Markdown with a few allowed HTML tags")
        return
    allowed = ALLOWED_TAGS.get(item.name)
    if item.name in ACTIVE_TAGS:
        hint = ("use Markdown for images: ![what the image shows](image.png)" if item.name == "img"
                       else "remove it: pages may not run code, embed other content or collect input")
        yield Finding(Code.HTML001, item.start,
                             f"<{item.name}> is not allowed: it runs code, loads other content or takes input", hint)
    elif allowed is None:
        yield Finding(Code.HTML002, item.start, f"<{item.name}> is not on the list of allowed HTML tags",
                      "use Markdown instead; the allowed tags are listed in CONTRIBUTING.md")
    for attribute in item.attributes:
        yield from _check_attribute(item, attribute, allowed)


def _check_attribute(item: Markup, attribute: Attribute, allowed: frozenset[str] | None) -> Iterator[Finding]:
    if attribute.name.startswith("on"):
        yield Finding(Code.HTML004, attribute.offset, f"inline event handler '{attribute.name}' on <{item.name}>",
                      "remove it: pages may not run code")
    elif allowed is not None and attribute.name not in allowed | ALLOWED_EVERYWHERE:
        permitted = ", ".join(sorted(allowed | ALLOWED_EVERYWHERE))
        yield Finding(Code.HTML003, attribute.offset, f"attribute '{attribute.name}' is not allowed on <{item.name}>",
                      f"allowed on <{item.name}>: {permitted}")
    if attribute.name in URL_ATTRIBUTES and attribute.value is not None:
        scheme = blocked_scheme(attribute.value)
        if scheme:
            yield Finding(Code.HTML005, attribute.offset, f"<{item.name} {attribute.name}> uses a '{scheme}:' URL",
                          URL_HINT)


def _describe_link(link: Link) -> str:
    return {
        "link": "Markdown link",
        "image": "Markdown image",
        "autolink": "link <…>",
        "reference definition": "link reference definition",
    }.get(link.kind, "link")
