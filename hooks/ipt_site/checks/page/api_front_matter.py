"""API001/API002: a health-information page gives the content API what it needs.

Front matter that is missing or is not YAML is left to the FM checks (review_dates.py).
The hook that writes the API runs the same rule (``content_api.check_api_front_matter``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from yaml.nodes import ScalarNode

from ipt_site.checks.rule import Finding
from ipt_site.codes import Code
from ipt_site.site_output.content_api import _DATE_FIELDS, API_FIELDS, HEALTH_KEY
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_FIRST_YAML_LINE = 2  # front matter starts below the opening '---'


def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
    return api_findings(page)


def api_findings(page: PageScan) -> Iterator[Finding]:
    """The rule itself, which needs nothing but the page."""
    fields = page.front_matter_yaml.fields()
    if HEALTH_KEY in fields:
        node = fields[HEALTH_KEY][1]
        if not (isinstance(node, ScalarNode) and node.tag == _BOOL_TAG):
            line, column = node.start_mark.line + _FIRST_YAML_LINE, node.start_mark.column + 1
            yield Finding(
                Code.API002, (line, column), f"'{HEALTH_KEY}' must be true or false, not {node.value!r}",
                f"write '{HEALTH_KEY}: false' for a page that is not health information (it then stays out of "
                f"the content API), or remove the line")
            return
        if node.value.lower() in ("false", "no", "off"):
            return
    for name in API_FIELDS:
        wanted_tag = _TIMESTAMP_TAG if name in _DATE_FIELDS else _STR_TAG
        value = fields[name][1] if name in fields else None
        if isinstance(value, ScalarNode) and value.tag == wanted_tag and value.value.strip():
            continue
        where = value.start_mark if value is not None else None
        line, column = (where.line + _FIRST_YAML_LINE, where.column + 1) if where else (1, 1)
        kind = "a date (YYYY-MM-DD)" if name in _DATE_FIELDS else "text"
        yield Finding(
            Code.API001, (line, column),
            f"the content API needs '{name}' as {kind} on every health-information page"
            + ("" if value is None else f", not {value.value!r}"),
            f"add '{name}: …' to the front matter (see CONTRIBUTING.md, 'Review front matter'), or mark a page "
            f"that is not health information with '{HEALTH_KEY}: false'")
