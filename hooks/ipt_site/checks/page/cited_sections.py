"""Every section of a health-information page that states something carries a citation.

A section is an ``##`` or ``###`` heading and what follows it, up to the next
heading of level 1 to 3 (deeper headings belong to their section). A section
states something when it has any text outside code, HTML comments and link
targets. Such a section needs at least one citation.

Two ways out, both visible to the reviewer:

- a page that is not health information (About, For clinics, References) says
  so in its front matter: ``health_information: false``;
- a section that states no facts (only links to other pages, or advice such as
  "talk to your GP") carries an HTML comment with the reason:
  ``<!-- no citation needed: links to other pages -->``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from yaml.nodes import ScalarNode

from ipt_site.checks.rule import Finding
from ipt_site.codes import Code
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

FIELD = "health_information"
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_EXEMPT = re.compile(r"<!--\s*no citation needed\s*:?(.*?)-->", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_FALSE = {"false", "no", "off"}
_WORD = re.compile(r"[^\W\d_]{2,}")


def is_health_information(page: PageScan) -> bool:
    """Whether the page is health information: unless its front matter says ``health_information: false``.

    A value that is not true or false is reported once, located, by API002
    (``api_front_matter``); here it counts as health information, as does front matter
    that is not YAML (FM002 reports it).
    """
    field = page.front_matter_yaml.fields().get(FIELD)
    value = field[1] if field else None
    # The words YAML reads as false, as the content API (which reads real YAML) does.
    return not (isinstance(value, ScalarNode) and value.value.lower() in _FALSE)


def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
    if not is_health_information(page):
        return
    body, text = page.body, page.prose  # a '#' line inside code is not a heading
    starts = [block.start for block in page.blocks]
    headings = [(m.start(), len(m.group(1)), m.group(2)) for m in _HEADING.finditer(text)]
    for index, (start, level, title) in enumerate(headings):
        if level not in (2, 3):
            continue
        end = next((s for s, lvl, _ in headings[index + 1:] if lvl <= 3), len(text))
        newline = text.find("\n", start, end)
        content = text[newline + 1:end] if newline >= 0 else ""
        exempt = _EXEMPT.search(body, newline + 1, end) if newline >= 0 else None  # comments are masked in text
        if exempt:
            if not exempt.group(1).strip():
                yield Finding(Code.SEC003, start,
                              f"section '{title}' is marked 'no citation needed' without a reason",
                              "say why after a colon, e.g. <!-- no citation needed: links to other pages -->")
            continue
        if any(start < s < end for s in starts):
            continue
        if _states_something(content):
            yield Finding(
                Code.SEC001, start, f"section '{title}' states facts but cites no source",
                "cite the source of its facts, e.g. [@stuart2012]; if it states no facts (only links or advice), "
                "add <!-- no citation needed: why --> under the heading")


def _states_something(content: str) -> bool:
    prose = _LINK_TARGET.sub("]", _COMMENT.sub(" ", content))
    return _WORD.search(prose) is not None
