"""The one shape of a page check, and the reporter that turns what it finds into Problems.

A page check is a function ``check(page: PageScan, site: SiteContext) -> Iterable[Finding]``.
It says what is wrong and where, as an offset into the page body; ``report`` resolves
offsets to the file's lines and columns and takes each code's severity from the code table,
so no check counts lines or picks a severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipt_site.codes import Code
from ipt_site.problems import Problem
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

__all__ = ["Finding", "PageRule", "report"]


@dataclass(frozen=True)
class Finding:
    """One thing wrong on a page.

    ``where`` is an offset into the page body, or ``(line, column)`` in the file for what the
    YAML reader locates itself (front matter): it counts lines its own way and can name
    column 0, so its positions are kept as it gives them.
    """

    code: Code
    where: int | tuple[int, int]
    message: str
    hint: str


PageRule = Callable[[PageScan, "SiteContext"], Iterable[Finding]]


def report(page: PageScan, findings: Iterable[Finding]) -> list[Problem]:
    """Each finding as a located Problem of ``page``, in the order found."""
    problems: list[Problem] = []
    for finding in findings:
        line, column = finding.where if isinstance(finding.where, tuple) else page.line_col(finding.where)
        problems.append(finding.code.problem(page.path, line, column, finding.message, finding.hint))
    return problems


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by place in the body, then code, message and hint (as ``sorted()`` orders Problems)."""
    return sorted(findings, key=lambda f: (f.where, f.code.name, f.message, f.hint))
