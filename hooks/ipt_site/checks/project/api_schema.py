"""The content API's JSON Schemas load (API004): the build checks every API document against them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipt_site.problems import Problem
from ipt_site.site_output.api_schema import schema_file_problems

if TYPE_CHECKING:
    from ipt_site.checks.site_context import Project


def check(project: Project) -> list[Problem]:
    # As the build: it loads the schemas once the pages were read (a readable bibliography).
    return [] if project.site is None else schema_file_problems(project.docs_dir)
