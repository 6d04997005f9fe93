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
from typing import Iterable

import yaml

from ipt_site.sources.citation_scan import CiteBlock, mask_ranges
from ipt_site.problems import Problem, line_col

FIELD = "health_information"
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_EXEMPT = re.compile(r"<!--\s*no citation needed\s*:?(.*?)-->", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_FALSE = {"false", "no", "off"}
_BASE_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_WORD = re.compile(r"[^\W\d_]{2,}")


def is_health_information(front_matter: str | None) -> bool:
    """Whether the page is health information: unless its front matter says ``health_information: false``.

    A value that is not true or false is reported once, located, by API002
    (``content_api.check_api_front_matter``); here it counts as health information.
    """
    try:
        # BaseLoader: every value as text, so a bad date elsewhere (FM005's) cannot raise here;
        # on libyaml, as the other front-matter readers (the pure-Python one took 0.2 s at 1,000 pages).
        data = yaml.load(front_matter or "", Loader=_BASE_LOADER)
    except yaml.YAMLError:
        return True  # FM002 reports it
    value = data.get(FIELD, "true") if isinstance(data, dict) else "true"
    # The words YAML reads as false, as the content API (which reads real YAML) does.
    return not (isinstance(value, str) and value.lower() in _FALSE)


def check_cited_sections(
    path: str,
    body: str,
    line_offset: int,
    blocks: Iterable[CiteBlock],
    code_ranges: Iterable[tuple[int, int]],
    front_matter: str | None,
) -> list[Problem]:
    problems: list[Problem] = []
    if not is_health_information(front_matter):
        return problems
    text = mask_ranges(body, code_ranges)   # a '#' line inside code is not a heading
    starts = [block.start for block in blocks]
    headings = [(m.start(), len(m.group(1)), m.group(2)) for m in _HEADING.finditer(text)]
    for index, (start, level, title) in enumerate(headings):
        if level not in (2, 3):
            continue
        end = next((s for s, lvl, _ in headings[index + 1:] if lvl <= 3), len(text))
        newline = text.find("\n", start, end)
        content = text[newline + 1:end] if newline >= 0 else ""
        line, column = line_col(body, start)
        exempt = _EXEMPT.search(body, newline + 1, end) if newline >= 0 else None  # comments are masked in text
        if exempt:
            if not exempt.group(1).strip():
                problems.append(Problem(path, line + line_offset, 1, "SEC003",
                                        f"section '{title}' is marked 'no citation needed' without a reason",
                                        "say why after a colon, e.g. <!-- no citation needed: links to other pages -->"))
            continue
        if any(start < s < end for s in starts):
            continue
        if _states_something(content):
            problems.append(Problem(
                path, line + line_offset, column, "SEC001",
                f"section '{title}' states facts but cites no source",
                "cite the source of its facts, e.g. [@stuart2012]; if it states no facts (only links or advice), "
                "add <!-- no citation needed: why --> under the heading"))
    return problems


def _states_something(content: str) -> bool:
    prose = _LINK_TARGET.sub("]", _COMMENT.sub(" ", content))
    return _WORD.search(prose) is not None
