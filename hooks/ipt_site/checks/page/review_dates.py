"""Check each page's review front matter: the fields every page must declare.

Every content page says who last reviewed it, when, and when it is next due::

    ---
    title: What is IPT?
    description: One or two sentences, at most 160 characters.
    last_reviewed: 2026-11-22
    next_review_due: 2027-11-22
    reviewed_by: IPT Information editorial team
    ---

MkDocs itself is no help here: it silently renders a page whose front matter is
invalid YAML (or holds an impossible date) as if the front matter were body
text, and Material puts ``title`` and ``description`` into the page's HTML
unescaped. So these are errors, located at the field's line.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import TYPE_CHECKING

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ipt_site.checks.rule import Finding
from ipt_site.codes import Code
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

TEXT_FIELDS = ("title", "description", "reviewed_by")
DATE_FIELDS = ("last_reviewed", "next_review_due")
REQUIRED_FIELDS = ("title", "description", "last_reviewed", "next_review_due", "reviewed_by")

# Keys MkDocs or Material read from front matter that a page may need:
#   template  a different page template (e.g. a landing page)
#   hide      hide the navigation, table of contents or footer on one page
#   search    {exclude: true} keeps a page out of the search index, or boost
#   health_information  false on a page that gives no health information
#             (About, For clinics): its sections need no citations
#             (cited_sections.py) and it stays out of the content API
#             (content_api.py)
# Anything else is most likely a misspelt field, so it is an error.
OPTIONAL_FIELDS = ("template", "hide", "search", "health_information")
KNOWN_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

DESCRIPTION_MAX = 160   # search engines cut meta descriptions at about this length
MAX_REVIEW_YEARS = 3    # the longest a health page may go between reviews

# MkDocs' theme templates are not autoescaped, so these would break the page head.
UNSAFE_TEXT = re.compile(r'[<>"]')
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

FIRST_YAML_LINE = 2     # front matter starts below the opening '---'


def check(page: PageScan, site: SiteContext) -> list[Finding]:
    """Problems with the review front matter of one page."""
    today = site.today
    if page.front_matter is None:
        return [_missing_front_matter(page.text)]
    root, error = page.front_matter_yaml.root, page.front_matter_yaml.error
    if error is not None:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, column = _position(mark) if mark else (1, 0)
        reason = getattr(error, "problem", None) or str(error)
        return [Finding(Code.FM002, (line, column), f"front matter is not valid YAML: {reason}",
                        "fix the YAML: one 'field: value' per line; quote values that contain ': '")]
    if root is None:  # an empty block
        root = MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, MappingNode):
        line, column = _position(root.start_mark)
        return [Finding(Code.FM002, (line, column), "front matter is not a list of 'field: value' lines",
                        "write one 'field: value' per line between the '---' lines")]
    return _check_fields(root, today)


def _check_fields(root: MappingNode, today: date) -> list[Finding]:
    problems: list[Finding] = []
    fields: dict[str, tuple[ScalarNode, Node]] = {}
    for key, value in root.value:
        name = key.value if isinstance(key, ScalarNode) else str(key.value)
        line, column = _position(key.start_mark)
        if name in fields:
            problems.append(Finding(Code.FM002, (line, column), f"field '{name}' is given twice",
                                    "keep one of them: YAML uses only the last"))
            continue
        fields[name] = (key, value)
        if name not in KNOWN_FIELDS:
            problems.append(_unknown_field(line, column, name))

    problems.extend(
        Finding(Code.FM003, (1, 1), f"front matter has no '{name}' field",
                f"add '{name}: …' between the '---' lines (see CONTRIBUTING.md, 'Review front matter')")
        for name in REQUIRED_FIELDS if name not in fields)

    for name in TEXT_FIELDS:
        if name in fields:
            problems += _check_text(name, fields[name][1])
    dates: dict[str, date] = {}
    for name in DATE_FIELDS:
        if name in fields:
            value, date_problems = _read_date(name, fields[name][1])
            problems += date_problems
            if value is not None:
                dates[name] = value
    problems += _check_schedule(fields, dates, today)
    return problems


def _check_text(name: str, node: Node) -> list[Finding]:
    line, column = _position(node.start_mark)
    if not (isinstance(node, ScalarNode) and node.tag == _STR_TAG and node.value.strip()):
        return [Finding(Code.FM006, (line, column), f"'{name}' must be plain text, not {_describe(node)}",
                        f"write '{name}: ' followed by the text (quote it if YAML reads it as a number or yes/no)")]
    problems = []
    if UNSAFE_TEXT.search(node.value) and name != "reviewed_by":
        problems.append(Finding(Code.FM007, (line, column), f"'{name}' contains <, > or a straight double quote",
            "the theme copies this field into the page's HTML unescaped: reword, or use curly quotes “ ”"))
    if name == "description" and len(node.value) > DESCRIPTION_MAX:
        problems.append(Finding(
            Code.FM007, (line, column),
            f"'description' is {len(node.value)} characters long (at most {DESCRIPTION_MAX})",
            "shorten it to one or two sentences: it is the summary shown by search engines"))
    return problems


def _read_date(name: str, node: Node) -> tuple[date | None, list[Finding]]:
    line, column = _position(node.start_mark)
    looks_like_date = isinstance(node, ScalarNode) and ISO_DATE.fullmatch(node.value) is not None
    if looks_like_date and node.tag == _TIMESTAMP_TAG:
        try:
            return date.fromisoformat(node.value), []
        except ValueError:
            return None, [Finding(Code.FM005, (line, column), f"'{name}' is not a real date: {node.value}",
                                  "check the day and month (YYYY-MM-DD)")]
    if looks_like_date:  # quoted: MkDocs would hand the theme a string, not a date
        hint = f"remove the quotes: {name}: {node.value}"
    else:
        hint = f"write the date as YYYY-MM-DD, e.g. {name}: 2026-11-22"
    return None, [Finding(Code.FM006, (line, column), f"'{name}' must be a date, not {_describe(node)}", hint)]


def _check_schedule(
    fields: dict[str, tuple[ScalarNode, Node]], dates: dict[str, date], today: date
) -> list[Finding]:
    """The review dates must be in order, within the review interval, and not overdue."""
    problems = []
    last, due = dates.get("last_reviewed"), dates.get("next_review_due")
    if last is not None and last > today:
        line, column = _position(fields["last_reviewed"][1].start_mark)
        problems.append(Finding(Code.FM008, (line, column), f"'last_reviewed' ({last}) is in the future",
            "set it to the date the reviewer signed the page off"))
    if last is not None and due is not None:
        line, column = _position(fields["next_review_due"][1].start_mark)
        if due <= last:
            problems.append(Finding(
                Code.FM008, (line, column), f"'next_review_due' ({due}) is not after 'last_reviewed' ({last})",
                "set the next review date after the last review, usually one year later"))
        elif due > _add_years(last, MAX_REVIEW_YEARS):
            problems.append(Finding(
                Code.FM008, (line, column),
                f"'next_review_due' ({due}) is more than {MAX_REVIEW_YEARS} years after 'last_reviewed' ({last})",
                f"health information must be reviewed at least every {MAX_REVIEW_YEARS} years"))
    if due is not None and due < today and not problems:  # overdue only matters once the dates make sense
        line, column = _position(fields["next_review_due"][1].start_mark)
        problems.append(Finding(Code.FM009, (line, column), f"page is overdue for review (next review was due {due})",
            "have the page reviewed, then update 'last_reviewed' and 'next_review_due'"))
    return problems


def _missing_front_matter(text: str) -> Finding:
    if text.startswith("---"):
        return Finding(Code.FM001, (1, 1), "front matter is not closed",
                       "end the front matter with a line holding only '---'")
    return Finding(Code.FM001, (1, 1), "page has no front matter",
                   "start the page with the review fields between '---' lines (see CONTRIBUTING.md)")


def _unknown_field(line: int, column: int, name: str) -> Finding:
    close = difflib.get_close_matches(name, KNOWN_FIELDS, n=1, cutoff=0.6)
    message = f"unknown front matter field '{name}'"
    if close:
        message += f" — did you mean '{close[0]}'?"
    return Finding(Code.FM004, (line, column), message,
                   "allowed fields: " + ", ".join(KNOWN_FIELDS))


def _position(mark: yaml.Mark) -> tuple[int, int]:
    """1-based line and column in the page of a position inside the front matter."""
    return mark.line + FIRST_YAML_LINE, mark.column + 1


def _describe(node: Node) -> str:
    if isinstance(node, ScalarNode):
        if node.tag == _STR_TAG:
            return "empty text" if not node.value.strip() else f"the text '{node.value}'"
        kind = node.tag.rsplit(":", 1)[-1]
        return "nothing" if kind == "null" else f"the {kind} {node.value}"
    return "a list" if isinstance(node, SequenceNode) else "a group of fields"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)
