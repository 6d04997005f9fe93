"""Find a page's raw HTML and its links, outside code, with their offsets.

Shared by the content-safety check (is every tag, attribute and URL allowed?)
and the external link check (which URLs to fetch). Two real parsers do the
work: Python's ``html.parser`` for tags and attributes, and markdown-it-py for
Markdown links. The site is rendered by Python-Markdown, which neither parser
matches exactly, so where they differ this errs towards finding more:

* every tag-like thing outside code counts as HTML, as Python-Markdown passes
  it through, not only what CommonMark calls HTML;
* indented text is never code to markdown-it here (admonition bodies are
  indented); real code is blanked out first, from ``find_code_ranges``;
* HTML tags are blanked out before the Markdown pass, so links inside
  ``<div markdown>`` blocks are seen, as md_in_html renders them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, autolink, image, link
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE
from markdown_it.token import Token

from ipt_site.sources.citation_scan import find_code_ranges, mask_ranges

MarkupKind = Literal["tag", "comment", "declaration"]


@dataclass(frozen=True)
class Attribute:
    name: str            # lower case, as the browser sees it
    value: str | None    # entities decoded; None for a bare attribute
    offset: int          # where the name starts in the page body


@dataclass(frozen=True)
class Markup:
    """A start tag, comment, or ``<!…>``/``<?…>`` declaration in the page body."""

    kind: MarkupKind
    name: str            # tag name in lower case; "" for comments and declarations
    start: int
    end: int
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class Link:
    url: str             # as a browser would get it from the Markdown (entities decoded)
    offset: int          # where the link (or definition's URL) starts in the page body
    kind: str            # "link", "image", "autolink" or "reference definition"


@dataclass(frozen=True)
class PageMarkup:
    markup: list[Markup]
    links: list[Link]


def scan_markup(body: str, code_ranges: list[tuple[int, int]] | None = None) -> PageMarkup:
    """The raw HTML and Markdown links of a page body (front matter removed).

    ``code_ranges`` are ``find_code_ranges(body)``, when the caller has them already.
    """
    ranges = find_code_ranges(body) if code_ranges is None else code_ranges
    return markup_outside_code(mask_ranges(body, [r for r in ranges if is_code(body, r)]))


def markup_outside_code(text: str) -> PageMarkup:
    """The raw HTML and Markdown links of a page body whose code is blanked out already."""
    markup = find_markup(text)
    # Blank the tags (not what is between them) so Markdown inside <div markdown> is parsed.
    text = mask_ranges(text, [(m.start, m.end) for m in markup])
    return PageMarkup(markup, find_markdown_links(text) + find_reference_definitions(text))


def is_code(body: str, code_range: tuple[int, int]) -> bool:
    """Whether a range from ``find_code_ranges`` is code rather than raw HTML.

    ``find_code_ranges`` returns code spans, fenced and indented code, and also
    HTML tags, comments and raw HTML blocks (all opaque to citations). Only
    code is exempt here. Code starts with backticks, a fence or indentation;
    HTML starts with '<', perhaps after indentation or blockquote markers.
    """
    start, end = code_range
    text = body[start:end]
    lead = text.lstrip(" \t>")
    if not lead.startswith("<"):
        return True
    if len(lead) == len(text):
        return False  # a tag or comment in running text
    # Indentation, then '<': an indented code block, or an HTML block (which may
    # be indented inside an admonition). Ask the same scanner: without the '<',
    # is the line still code?
    at = start + len(text) - len(lead)
    probe = body[:at] + "x" + body[at + 1:]
    return any(lo <= at < hi for lo, hi in find_code_ranges(probe))




# --- HTML ---------------------------------------------------------------------


def find_markup(text: str) -> list[Markup]:
    """Every start tag, comment and declaration, including those inside comments.

    Comments are searched too because browsers end some comments earlier than
    Python's parser does (``<!-->``, ``--!>``), which could unhide a tag.
    End tags are left out: on their own they do nothing.
    """
    if "<" not in text:
        return []  # every tag, comment and declaration starts with '<'
    found = _parse_markup(text)
    for item in list(found):
        if item.kind == "comment":
            inner_start = item.start + 4  # after '<!--'
            inner = " " * inner_start + text[inner_start:item.end]
            found += [m for m in find_markup(inner) if m.start >= inner_start]
    return sorted(found, key=lambda m: m.start)


def _parse_markup(text: str) -> list[Markup]:
    fed = _hide_escaped_lt(text)
    given_up: list[Markup] = []
    while True:
        collector = _MarkupCollector(text)
        try:
            collector.feed(fed)
            collector.close()
            return collector.finish() + given_up
        except AssertionError:
            # html.parser gives up on some '<![' forms (a browser reads a bogus
            # comment). Report one as a declaration, hide it, and parse again.
            at = fed.rfind("<![", 0, collector.position() + 1)
            at = at if at >= 0 else fed.find("<")  # always hides one more '<', so this ends
            given_up.append(Markup("declaration", "", at, at + 1))
            fed = fed[:at] + " " + fed[at + 1:]


# A '<' after an odd number of backslashes is Markdown's escaped, literal '<'.
# Hidden from the HTML parser, which would otherwise read '\<script>' as a tag
# and treat the rest of the page as script.
_ESCAPED_LT = re.compile(r"\\+<")


def _hide_escaped_lt(text: str) -> str:
    def hide(match: re.Match[str]) -> str:
        backslashes = len(match.group()) - 1
        return match.group()[:-1] + " " if backslashes % 2 else match.group()

    return _ESCAPED_LT.sub(hide, text)


_LINE_FEED = re.compile("\n")


class _MarkupCollector(HTMLParser):
    """Records where each piece of markup starts; it ends where the next event starts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self._text = text
        self._line_starts = [0] + [match.end() for match in _LINE_FEED.finditer(text)]
        # (start, kind, name, raw start tag or None, attributes); kind None for data/end tags
        self._events: list[tuple[int, MarkupKind | None, str, str | None, list[tuple[str, str | None]]]] = []

    def position(self) -> int:
        """Where the parser is in the text."""
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._events.append((self.position(), "tag", tag, self.get_starttag_text(), attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self._events.append((self.position(), "comment", "", None, []))

    def handle_decl(self, decl: str) -> None:
        self._events.append((self.position(), "declaration", "", None, []))

    def handle_pi(self, data: str) -> None:
        self.handle_decl(data)

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)

    def handle_endtag(self, tag: str) -> None:
        self._events.append((self.position(), None, "", None, []))

    def handle_data(self, data: str) -> None:
        self._events.append((self.position(), None, "", None, []))

    def finish(self) -> list[Markup]:
        ends = [start for start, *_ in self._events[1:]] + [len(self._text)]
        found = []
        for (start, kind, name, raw, attrs), end in zip(self._events, ends, strict=True):
            if kind is None or _is_autolink(raw):
                continue
            if raw is not None:
                end = start + len(raw)
            found.append(Markup(kind, name, start, end, _locate_attributes(raw, start, attrs)))
        return found


def _is_autolink(raw: str | None) -> bool:
    """A Markdown autolink (``<https://…>``, ``<a@b.org>``): a link, not HTML."""
    return raw is not None and bool(AUTOLINK_RE.search(raw[1:-1]) or EMAIL_RE.search(raw[1:-1]))


_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def _locate_attributes(
    raw: str | None, start: int, attrs: list[tuple[str, str | None]]
) -> tuple[Attribute, ...]:
    """Offsets of the attributes html.parser found, in order, in the raw start tag.

    html.parser does not report attribute positions, so search the tag for each
    name in turn, with quoted values blanked so a value cannot match a name.
    """
    if raw is None:
        return ()
    searchable = _QUOTED.sub(lambda m: " " * len(m.group()), raw).lower()
    located, position = [], 1
    for name, value in attrs:
        match = re.compile(rf"(?<=[\s/\"']){re.escape(name)}(?=[\s=/>]|$)").search(searchable, position)
        if match is None:  # not expected; fall back to the tag's own position
            located.append(Attribute(name, value, start))
            continue
        located.append(Attribute(name, value, start + match.start()))
        position = match.end()
    return tuple(located)


# --- Markdown links -------------------------------------------------------------


def find_markdown_links(text: str) -> list[Link]:
    """Inline links, images and autolinks, found by markdown-it-py.

    Links written with a reference (``[text][ref]``) are left out: their URL is
    reported where it is defined, by ``find_reference_definitions``.
    """
    if not _may_link(text):
        return []
    env: dict[str, Any] = {"found": []}
    _LINK_PARSER.parse(text, env)
    lines = text.split("\n")
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)
    return [Link(url, _source_offset(lines, line_starts, owner, position), kind)
            for owner, position, url, kind in env["found"]]


# Python-Markdown's own pattern for a reference definition (its ReferenceProcessor),
# at any indentation because admonition bodies and list items are indented.
_REFERENCE_DEFINITION = re.compile(r"^[ \t]*\[[^\[\]\n]+\]:[ \t]*\n?[ \t]*(\S+)", re.MULTILINE)


def find_reference_definitions(text: str) -> list[Link]:
    """``[label]: url`` lines. Hand-written: markdown-it ignores indented ones, Python-Markdown does not."""
    return [Link(match.group(1).strip("<>"), match.start(1), "reference definition")
            for match in _REFERENCE_DEFINITION.finditer(text)]


InlineRule = Callable[[StateInline, bool], bool]


def _recording(rule: InlineRule, kind: str) -> InlineRule:
    """Wrap an inline rule to note where each link it makes starts."""

    def rule_with_positions(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            written = state.src[start:state.pos]
            if kind != "autolink" and not written.endswith(")"):
                return matched  # [text][ref]: reported at the definition
            token = next((t for t in state.tokens[count:] if t.type in ("link_open", "image")), None)
            if token is None:
                return matched
            url = token.attrGet("href") if token.type == "link_open" else token.attrGet("src")
            state.env["found"].append((state.env["owner"], start, str(url or ""), kind))
        return matched

    return rule_with_positions


def _may_link(text: str) -> bool:
    """Whether markdown-it could find an inline link, image or autolink in ``text``.

    An inline link or image needs ']' straight before '(' (CommonMark allows
    nothing between them), and an autolink starts with '<'.  Without either,
    the inline parse can only find what is not recorded, so it is skipped:
    that is most of the cost of a page with no links.
    """
    return "](" in text or "<" in text


def _inline_with_owner(state: StateCore) -> None:
    """markdown-it's core 'inline' rule, noting which block each inline parse is for.

    Blocks that cannot hold a link are not parsed (see ``_may_link``).
    """
    for token in state.tokens:
        if token.type == "inline" and _may_link(token.content):
            state.env["owner"] = token
            token.children = token.children or []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _link_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")  # MkDocs always has tables
    md.disable("code")                 # code is blanked already; indented text is not code here
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # keep javascript: links
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]  # URL as written, not %-encoded
    md.core.ruler.at("inline", _inline_with_owner)
    md.inline.ruler.at("link", _recording(link, "link"))
    md.inline.ruler.at("image", _recording(image, "image"))
    md.inline.ruler.at("autolink", _recording(autolink, "autolink"))
    return md


_LINK_PARSER = _link_parser()


def _source_offset(lines: list[str], line_starts: list[int], owner: Token, position: int) -> int:
    """Offset in the page of ``position`` in an inline block's content.

    markdown-it strips each line's indentation (and container markers) from the
    content it parses, so find the content's line in the source line.
    """
    content = owner.content
    line_index = content.count("\n", 0, position)
    line_start = content.rfind("\n", 0, position) + 1
    content_line = content[line_start:].split("\n", 1)[0]
    source_index = (owner.map[0] if owner.map else 0) + line_index
    source_line = lines[source_index] if source_index < len(lines) else ""
    if source_line.endswith(content_line):
        base = len(source_line) - len(content_line)
    else:  # trailing spaces stripped, or a table cell
        base = max(source_line.find(content_line), 0)
    return line_starts[min(source_index, len(lines))] + base + position - line_start
