"""The static content API for clinics: ``api/v1/pages.json`` and ``api/v1/pages/<slug>.json``.

Plain functions on strings (no MkDocs), used by ``hooks/content_api.py``. A
page's document is built from what the site itself renders: the page's HTML
(content, footnotes and reference list), the help line of its template, and its
front matter. The contract (``docs/api/v1/schema/``) and the version rules are
on the content API page (``docs/content-api.md``).

HTML goes through nh3 (the Python binding of Ammonia, a maintained allow-list
sanitiser): it parses as a browser does, so no script, style, event handler or
``javascript:`` URL survives however it is written, which hand-written filters
over HTML rarely manage.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html as html_lib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import nh3
from yaml.nodes import Node, ScalarNode

from ipt_site.problems import Problem
from ipt_site.sources.page_scan import read_page

API_VERSION = "1"
API_DIR = "api/v1"
SCHEMA_DIR = f"{API_DIR}/schema"
INDEX_SCHEMA = "pages.schema.json"
PAGE_SCHEMA = "page.schema.json"

PUBLISHER = "IPT Information"
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}

# Front matter: ``health_information: false`` keeps a page (About, For clinics,
# References) out of the API. Pages are health information unless they say not.
HEALTH_KEY = "health_information"
# What every page in the API must say about itself.
API_FIELDS = ("title", "description", "last_reviewed", "next_review_due", "reviewed_by")
_DATE_FIELDS = ("last_reviewed", "next_review_due")

# --- sanitising ------------------------------------------------------------------------

# What Markdown and the site's allowed raw HTML produce (CONTRIBUTING.md); anything
# else is dropped, its text kept. No class or style: a CMS styles the content itself.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "kbd", "li", "ol", "p", "pre",
    "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id"},  # headings' and footnotes' anchors
    "a": {"href", "title"},
    "abbr": {"title"},
    "details": {"open"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRIBUTES = {"href", "src"}
# Footnote back-links ("↩") only make sense beside the page's own markers.
_BACKREF = re.compile(r"""<a\b[^>]*\bclass=["']?footnote-backref\b[^>]*>.*?</a>""", re.DOTALL)


def sanitise(fragment: str, base_url: str) -> str:
    """``fragment`` with only allowed tags and attributes, its relative URLs made absolute."""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES and not value.startswith("#"):
            return urljoin(base_url, value)
        return value

    return nh3.clean(
        _BACKREF.sub("", fragment),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=absolute,
        link_rel=None,
        strip_comments=True,
    ).strip()


# --- plain text and sections ---------------------------------------------------------------

_BLOCKS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "dt", "dd", "figcaption",
    "summary", "details", "ol", "ul", "table", "hr", "figure",
}
_VOID = {"br", "hr", "img", "wbr", "col", "area", "base", "embed", "input", "link", "meta", "source", "track"}


class _Walk(HTMLParser):
    """One pass over sanitised HTML: its readable text, and where its top-level headings are.

    Text has one line per block, list items start "- ", footnote markers are
    left out. Each line is kept with the section it is in; a section starts at
    each top-level ``<h1>`` or ``<h2>`` (``<h3>`` and below, and headings inside
    other elements, stay in their section).
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: list[tuple[int, str]] = []     # (section index, line)
        self.headings: list[dict[str, Any]] = []  # start, end, level, anchor, text
        self.current: list[str] = []
        self.depth = 0
        self.skip = 0  # inside a footnote marker (<sup id="fnref…">)
        self.heading: dict[str, Any] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def _break(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line == "-":  # a list item's first block (<li><p>…): keep the dash for its text
            return
        self.current = []
        if not line:
            return
        if self.heading is not None:
            self.heading["text"] = line
        else:
            self.lines.append((len(self.headings) - 1, line))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            self.skip += tag not in _VOID
            return
        if tag == "sup" and (dict(attrs).get("id") or "").startswith("fnref"):
            self.skip = 1
            return
        if tag in _BLOCKS or tag == "br":
            self._break()
        if self.depth == 0 and tag in ("h1", "h2"):
            self.heading = {"start": self._offset(), "level": int(tag[1]), "anchor": dict(attrs).get("id") or "",
                            "text": ""}
        if tag == "li":
            self.current.append("- ")
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        self.depth -= 1
        if tag in _BLOCKS:
            self._break()
        if self.depth == 0 and self.heading is not None and tag == f"h{self.heading['level']}":
            self.heading["end"] = self._offset() + len(f"</{tag}>")
            self.lines.append((len(self.headings), self.heading["text"]))
            self.headings.append(self.heading)
            self.heading = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)


def _walk(fragment: str) -> _Walk:
    walk = _Walk(fragment)
    walk.feed(fragment)
    walk.close()
    walk._break()
    return walk


def plain_text(fragment: str) -> str:
    return "\n".join(line for _, line in _walk(fragment).lines)


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str
    level: int
    html: str  # the section's content, without its heading
    text: str


def split_sections(fragment: str) -> tuple[list[Section], str]:
    """The page's sections, and its whole text: the introduction (under the ``<h1>``), then one per ``<h2>``.

    ``fragment`` is sanitised HTML (well formed). Content before the first
    heading is a section with no heading.
    """
    walk = _walk(fragment)
    headings = walk.headings
    text_of: dict[int, list[str]] = {}
    for index, line in walk.lines:
        text_of.setdefault(index, []).append(line)
    sections: list[Section] = []
    first = headings[0]["start"] if headings else len(fragment)
    if fragment[:first].strip():
        body = fragment[:first].strip()
        sections.append(Section("", "", 1, body, "\n".join(text_of.get(-1, []))))
    for index, heading in enumerate(headings):
        end = headings[index + 1]["start"] if index + 1 < len(headings) else len(fragment)
        body = fragment[heading["end"]:end].strip()
        # The heading's own line opens its section's lines in the whole text; the section's text leaves it out.
        sections.append(Section(heading["text"], heading["anchor"], heading["level"], body,
                                "\n".join(text_of.get(index, [])[1:])))
    return sections, "\n".join(line for _, line in walk.lines)


# --- footnotes: the page's citations and reference list ----------------------------------------

_FOOTNOTE = re.compile(r"""<li\b[^>]*\bid=["']?fn:([^"'\s>]+)["']?[^>]*>(.*?)</li>""", re.DOTALL)
# A footnote number (<sup id="fnref:key">) or, once reader_page has merged it into the
# author-date text, the citation link itself (<a class="footnote-ref ipt-cite" id="fnref:key">).
_CITE_MARK = re.compile(r"""<(?:sup|a)\b[^>]*\bid=["']?fnref\d*:([^"'\s>]+)""")


def cited_keys(content_html: str) -> list[str]:
    """Keys cited on the page, in order of first citation (from the footnote markers)."""
    return list(dict.fromkeys(_CITE_MARK.findall(content_html)))


def reference_list(content_html: str, base_url: str, csl: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each footnote of the page: its number, key, formatted reference and CSL-JSON item."""
    references = []
    for number, (key, body) in enumerate(_FOOTNOTE.findall(content_html), start=1):
        # The back-links (which carry the page's footnote number) go first, so one work's
        # reference is the same text on every page that cites it, and is cleaned once.
        body = _BACKREF.sub("", body)
        inner, text = _reference(body, base_url if _RELATIVE_URL.search(body) else "")
        entry: dict[str, Any] = {"number": number, "key": key, "html": inner, "text": text}
        if key in csl:
            entry["csl"] = dict(csl[key])
        references.append(entry)
    return references


# A link or image address sanitise() makes absolute: only then does the result depend on the page.
_RELATIVE_URL = re.compile(r"""\s(?:href|src)\s*=\s*["']?(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)""")


@functools.lru_cache(maxsize=8192)  # a pure function of its arguments; a large site cites each work ~4 times
def _reference(body: str, base_url: str) -> tuple[str, str]:
    """A footnote's reference as sanitised HTML (without its paragraph and trailing space) and as text."""
    inner = sanitise(body, base_url)
    inner = re.sub(r"^<p>(.*)</p>$", r"\1", inner, flags=re.DOTALL)
    inner = re.sub(r"(?:\s|&nbsp;)+$", "", inner)  # the space the back-links stood after
    return inner, plain_text(inner)


def csl_items(csl_json: str) -> dict[str, dict[str, Any]]:
    """CSL-JSON items (pandoc's ``-t csljson`` of the bibliography) by key."""
    return {item["id"]: item for item in json.loads(csl_json) if isinstance(item, dict) and "id" in item}


# --- the help line ------------------------------------------------------------------------------

_HELP_LINE = re.compile(r"""<p\b[^>]*\bclass=["']?help-line\b[^>]*>(.*?)</p>""", re.DOTALL)
_TEL = re.compile(r"""<a\b[^>]*\bhref=["']?tel:([0-9+]+)["']?[^>]*>(.*?)</a>""", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def help_line_html(page_html: str) -> str:
    """The help line's paragraph of a rendered page, or '': all ``help_line`` reads of it."""
    match = _HELP_LINE.search(page_html)
    return match.group(0) if match else ""


def help_line(page_html: str, base_url: str) -> dict[str, Any] | None:
    """The help line of a rendered page (``p.help-line``, overrides/main.html), or None.

    Each number is the ``tel:`` link's text and digits, with the sentence of the
    help line it is in (e.g. "Lifeline: 13 11 14 (24 hours).").
    """
    match = _HELP_LINE.search(page_html)
    if not match:
        return None
    inner = re.sub(r"\s+", " ", sanitise(match.group(1), base_url))
    text = plain_text(inner).replace("\n", " ")
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    numbers = []
    for dial, label in _TEL.findall(inner):
        shown = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", label))).strip()
        context = next((s for s in sentences if shown in s), shown)
        numbers.append({"number": shown, "dial": dial, "href": f"tel:{dial}", "context": context})
    return {"html": inner, "text": text, "numbers": numbers}


# --- documents -----------------------------------------------------------------------------------


def slug_of(src_uri: str) -> str:
    """``theory.md`` -> ``theory``; ``guides/index.md`` -> ``guides``; ``index.md`` -> ``index``."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem


def content_hash(content_html: str) -> str:
    """``sha256:`` and the hex digest of the UTF-8 bytes of ``content.html``.

    The same page content always gives the same hash (the documents hold no
    build time); any change to what a clinic would show of the page changes it.
    A consumer checks it with any SHA-256 function (the For clinics page shows how).
    """
    return "sha256:" + hashlib.sha256(content_html.encode("utf-8")).hexdigest()


def _iso(value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass(frozen=True)
class PageInput:
    """What the build knows of one page when it writes the page's document."""

    src_uri: str            # theory.md
    source_path: str        # docs/theory.md, for error messages
    url: str                # the page's canonical (absolute) URL
    meta: Mapping[str, Any]
    content_html: str       # the page's rendered content (page.content)
    page_html: str          # the rendered page's help line (help_line_html), or the whole page
    source_text: str = ""   # the page's Markdown with its front matter, to locate problems


def attribution(title: str, url: str) -> dict[str, str]:
    """The credit a clinic must show beside our content (as on the For clinics page)."""
    text = f'Source: {PUBLISHER}, "{title}", {url} ({LICENCE["name"]})'
    e = html_lib.escape
    markup = (f'Source: {e(PUBLISHER)}, "<a href="{e(url)}">{e(title)}</a>", {e(url)} '
              f'(<a href="{e(LICENCE["url"])}">{e(LICENCE["name"])}</a>)')
    return {"text": text, "html": markup}


def page_document(page: PageInput, site_url: str, csl: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The page's own document, ``api/v1/pages/<slug>.json``."""
    slug = slug_of(page.src_uri)
    content = sanitise(page.content_html, page.url)
    sections, text = split_sections(content)
    title = str(page.meta["title"])
    return {
        "api_version": API_VERSION,
        "slug": slug,
        "title": title,
        "description": str(page.meta["description"]),
        "url": page.url,
        "document_url": document_url(site_url, slug),
        "embed_url": urljoin(site_url, "embed/" + page.url[len(site_url):]) if page.url.startswith(site_url)
        else page.url,
        "last_reviewed": _iso(page.meta["last_reviewed"]),
        "next_review_due": _iso(page.meta["next_review_due"]),
        "reviewed_by": str(page.meta["reviewed_by"]),
        "licence": dict(LICENCE),
        "attribution": attribution(title, page.url),
        "help_line": help_line(page.page_html, page.url),
        "content": {
            "html": content,
            "text": text,
            "sections": [
                {"heading": s.heading, "anchor": s.anchor, "level": s.level, "html": s.html, "text": s.text}
                for s in sections
            ],
        },
        "citations": cited_keys(page.content_html),
        "references": reference_list(page.content_html, page.url, csl),
        "content_hash": content_hash(content),
    }


def document_url(site_url: str, slug: str) -> str:
    return urljoin(_base(site_url), f"{API_DIR}/pages/{slug}.json")


def _base(site_url: str) -> str:
    return site_url if site_url.endswith("/") else site_url + "/"


INDEX_FIELDS = ("slug", "title", "description", "url", "document_url", "last_reviewed", "next_review_due",
                "content_hash")


def index_document(site_name: str, site_url: str, documents: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """``api/v1/pages.json``: every page in the API, in navigation order."""
    base = _base(site_url)
    return {
        "api_version": API_VERSION,
        "site": {"name": site_name, "publisher": PUBLISHER, "url": base},
        "licence": dict(LICENCE),
        "schema": {
            "index": urljoin(base, f"{SCHEMA_DIR}/{INDEX_SCHEMA}"),
            "page": urljoin(base, f"{SCHEMA_DIR}/{PAGE_SCHEMA}"),
        },
        "pages": [{name: doc[name] for name in INDEX_FIELDS} for doc in documents],
    }


def dump(document: Mapping[str, Any]) -> str:
    """The document as written: UTF-8 JSON, keys in a fixed order, one trailing newline."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# --- which pages, and whether their front matter says enough -------------------------------------


def is_health_information(meta: Mapping[str, Any]) -> bool:
    """Pages are in the API unless their front matter says ``health_information: false``."""
    return meta.get(HEALTH_KEY, True) is not False


_FIRST_YAML_LINE = 2


def _front_matter_fields(text: str) -> dict[str, tuple[ScalarNode, Node]]:
    """Front matter field name -> (key node, value node); empty when there is none or it is not YAML."""
    return read_page("", text).front_matter_yaml.fields()


def front_matter_lines(text: str) -> dict[str, int]:
    """The page line of each front matter field, to locate problems with what it says."""
    return {name: key.start_mark.line + _FIRST_YAML_LINE for name, (key, _) in _front_matter_fields(text).items()}


def check_api_front_matter(path: str, text: str) -> list[Problem]:
    """API001/API002 for one page (``checks/page/api_front_matter.py``), for the hook that builds the API."""
    from ipt_site.checks.page.api_front_matter import api_findings
    from ipt_site.checks.rule import report

    page = read_page(path, text)
    return report(page, api_findings(page))
