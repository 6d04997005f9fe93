"""Each work's reference-list text rendered to HTML once per build, not once per page that cites it.

mkdocs-bibtex ends every page with one footnote definition per cited work
(``[^key]: Brown, A. (1992). Title. *Journal*, *3*, 63--71.``), and
Python-Markdown's inline processors then parse that text again on every page
that cites the work: about 70 % of a typical page's Markdown time, and the
largest part of what citations add to a large site's build.

Here each definition's text is swapped, before Markdown runs, for a stand-in word
that no inline rule touches; the footnotes extension still numbers the
footnotes, links them both ways and builds the list exactly as before. After
Markdown, each stand-in is swapped back for the text's HTML, rendered once per
build for all the pages that cite the work. The HTML is the same bytes
Python-Markdown writes in place (tests/test_reference_texts.py compares them,
and the digest test compares the whole site): the text is rendered as the
footnotes extension renders it, a paragraph of its own with the same
non-breaking-space placeholder after it, so rules that look at what follows
(smarty's quotes) see the same thing. A text that does not come out as one
plain paragraph, or whose links MkDocs would rewrite, keeps the upstream path.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER
from markdown.treeprocessors import Treeprocessor

# A footnote definition as mkdocs-bibtex writes it: one line, "[^key]: text".
# The text starts where the footnotes extension's does (after the spaces), so it parses the same.
_DEFINITION = re.compile(r"\[\^([^\]\n]+)\]:[ ]*([^\n]*\S)[ \t]*")
# Letters and digits only: no inline rule (emphasis, smarty, links, HTML) matches it.
STAND_IN_PREFIX = "iptreferencetextq7v3k9n"
_NBSP_HTML = "&#160;"  # what the footnotes extension's placeholder becomes
_END = _NBSP_HTML + "</p>"  # how each text's paragraph ends
# A link or image MkDocs' own tree processor would rewrite (anything not absolute):
# not seen by the separate renderer, so such a text keeps the upstream path.
_RELATIVE_URL = re.compile(r"""\s(?:href|src)=["'](?![a-zA-Z][a-zA-Z0-9+.-]*:)""")

# Markdown source -> HTML, with the site's own extensions and options.
Convert = Callable[[str], str]


_STAND_IN = re.compile(STAND_IN_PREFIX + r"[0-9]+x" + re.escape(NBSP_PLACEHOLDER))


def is_stand_in(text: str | None) -> bool:
    """Whether a footnote's paragraph text (as the footnotes extension leaves it) is only a stand-in."""
    return text is not None and _STAND_IN.fullmatch(text) is not None


def _one_paragraph(html: str, end: str = _END) -> str | None:
    """The inside of ``<p>TEXT&#160;</p>`` (keeping the ``&#160;``; ``end`` is how the paragraph
    ends), or None if ``html`` is anything else."""
    if not (html.startswith("<p>") and html.endswith(end)):
        return None
    inner = html[3:-4]
    if "<p>" in inner or "</p>" in inner or _RELATIVE_URL.search(inner):
        return None
    return inner


@dataclass
class ReferenceTexts:
    """The build's rendered texts: text -> its HTML, or None where only the upstream path is exact.

    ``end``: how each text's paragraph ends; late_texts renders its author-date texts here too,
    as plain paragraphs (``"</p>"``, with a converter made with ``like_a_footnote=False``).
    """

    convert: Convert
    rendered: dict[str, str | None] = field(default_factory=dict)
    end: str = _END

    def render(self, texts: Iterable[str]) -> None:
        """Render the texts not seen yet: one Markdown call for all of them, one each if that cannot be split."""
        new = list(dict.fromkeys(text for text in texts if text not in self.rendered))
        if not new:
            return
        html = self.convert("\n\n".join(new))
        pieces = html.split(self.end + "\n<p>")  # between two of the texts
        if len(pieces) == len(new):
            last = len(pieces) - 1
            whole = [_one_paragraph(("<p>" if n else "") + piece + (self.end if n < last else ""), self.end)
                     for n, piece in enumerate(pieces)]
            if all(piece is not None for piece in whole):
                self.rendered.update(zip(new, whole, strict=True))
                return
        # A text that opened a list or a block would change how its neighbours parse.
        for text in new:
            self.rendered[text] = _one_paragraph(self.convert(text), self.end)


@dataclass(frozen=True)
class StoodIn:
    markdown: str  # the page's Markdown, texts replaced by stand-ins
    html_of: dict[str, str]  # stand-in + "&#160;" -> the text's HTML (its "&#160;" included)


def _definitions_at_end(markdown: str) -> tuple[int, list[re.Match[str]]]:
    """Where the block of one-line definitions that ends the page starts, and its lines.

    mkdocs-bibtex appends its definitions there, after a blank line; a definition
    anywhere else (in a code example, say) is the page's own and is left alone.
    """
    body = markdown.rstrip("\n")
    lines: list[re.Match[str]] = []
    end = len(body)
    while end > 0:
        start = body.rfind("\n", 0, end) + 1
        match = _DEFINITION.fullmatch(body, start, end)
        if match is None:
            break
        lines.append(match)
        end = start - 1
    if not lines or not body[:max(end, 0)].endswith("\n"):  # must follow a blank line
        return len(markdown), []
    return lines[-1].start(), lines[::-1]


def stand_in(markdown: str, texts: ReferenceTexts) -> StoodIn:
    """``markdown`` with each reference text in its final footnote definitions replaced by a stand-in."""
    if STAND_IN_PREFIX in markdown:  # a page quoting the stand-in itself: leave it alone
        return StoodIn(markdown, {})
    start, found = _definitions_at_end(markdown)
    texts.render(match.group(2) for match in found)
    html_of: dict[str, str] = {}
    parts = [markdown[:start]]
    last = start
    for match in found:
        html = texts.rendered.get(match.group(2))
        if html is None:
            continue
        word = f"{STAND_IN_PREFIX}{len(html_of)}x"
        html_of[word + _NBSP_HTML] = html
        parts += [markdown[last:match.start(2)], word]
        last = match.end(2)
    if not html_of:
        return StoodIn(markdown, {})
    parts.append(markdown[last:])
    return StoodIn("".join(parts), html_of)


def put_back(html: str, html_of: dict[str, str]) -> tuple[str, list[str]]:
    """``html`` with each stand-in replaced by its text's HTML; the stand-ins not found exactly once."""
    if not html_of:
        return html, []
    pattern = re.compile("|".join(re.escape(word) for word in html_of))
    seen = Counter(match.group(0) for match in pattern.finditer(html))  # one pass, however many works
    missing = [word for word in html_of if seen[word] != 1]
    return pattern.sub(lambda match: html_of[match.group(0)], html), missing


class _FollowedLikeAFootnote(Treeprocessor):
    """Ends each top-level paragraph with the placeholder the footnotes extension puts after a
    footnote's text (before the inline rules run, as it does), so those rules see the same text."""

    def run(self, root: Element) -> None:
        for paragraph in root:
            if paragraph.tag == "p":
                paragraph.text = (paragraph.text or "") + NBSP_PLACEHOLDER


# Extensions that change a paragraph by what else is on its page (abbr: the page's own
# abbreviation definitions): with one of them, every text is rendered in its page, as upstream.
PAGE_DEPENDENT_EXTENSIONS = frozenset({"abbr", "markdown.extensions.abbr", "extra", "markdown.extensions.extra"})


def pages_render_alike(extensions: Sequence[str | Extension]) -> bool:
    """Whether a reference text renders the same on every page with these extensions."""
    names = {ext if isinstance(ext, str) else type(ext).__module__ for ext in extensions}
    return not names & PAGE_DEPENDENT_EXTENSIONS


def markdown_converter(extensions: Sequence[str | Extension], configs: Mapping[str, Mapping[str, Any]],
                       like_a_footnote: bool = True) -> Convert:
    """A converter with the site's extensions and options, for reference texts. MkDocs' own (links,
    anchors, titles) are left out: a text with a link MkDocs would rewrite is not pre-rendered.

    Extensions given as objects are copied: an object keeps the last Markdown instance that
    used it, and every page's Markdown uses the configured ones. ``like_a_footnote=False``:
    paragraphs as anywhere else on a page (late_texts' author-date texts).
    """
    import markdown

    own: list[str | Extension] = [
        type(ext)(**ext.getConfigs()) if isinstance(ext, Extension) else ext for ext in extensions
    ]
    md = markdown.Markdown(extensions=own, extension_configs={k: dict(v) for k, v in configs.items()})
    # Where the footnotes extension adds it: after block parsing, before the inline rules (20).
    if like_a_footnote:
        md.treeprocessors.register(_FollowedLikeAFootnote(md), "ipt_followed_like_a_footnote", 50)

    def convert(source: str) -> str:
        md.reset()
        return md.convert(source)

    return convert
