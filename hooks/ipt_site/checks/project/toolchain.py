"""Check that mkdocs.yml sets up mkdocs-bibtex the way the citation checks assume."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ipt_site.codes import Code
from ipt_site.problems import Problem

if TYPE_CHECKING:
    from ipt_site.checks.site_context import Project


def _line_of(config_text: str, key: str) -> int:
    match = re.search(rf"^\s*-?\s*{re.escape(key)}\s*:", config_text, re.MULTILINE)
    return config_text.count("\n", 0, match.start()) + 1 if match else 0


def extension_names(markdown_extensions: Sequence[Any]) -> set[str]:
    """Names from mkdocs.yml's ``markdown_extensions`` (strings or one-key mappings)."""
    names: set[str] = set()
    for item in markdown_extensions:
        if isinstance(item, str):
            names.add(item)
        elif isinstance(item, Mapping):
            names.update(str(k) for k in item)
    return names


def check_toolchain(
    config_path: str,
    config_text: str,
    markdown_extensions: Sequence[Any],
    bibtex_config: Mapping[str, Any] | None,
) -> list[Problem]:
    problems: list[Problem] = []
    if bibtex_config is None:
        problems.append(Problem(
            config_path, _line_of(config_text, "plugins"), 0, Code.TOOL001.name,
            "the 'bibtex' plugin (mkdocs-bibtex) is not enabled, so citations would print as raw text",
            "add '- bibtex: {bib_file: references.bib}' under 'plugins:'"))
        return problems
    names = extension_names(markdown_extensions)
    if not names & {"footnotes", "markdown.extensions.footnotes"}:
        problems.append(Problem(
            config_path, _line_of(config_text, "markdown_extensions"), 0, Code.TOOL002.name,
            "the 'footnotes' Markdown extension is not enabled: mkdocs-bibtex would print raw [^key] markers",
            "add '- footnotes' under 'markdown_extensions:'"))
    if bibtex_config.get("enable_inline_citations", True):
        problems.append(Problem(
            config_path, _line_of(config_text, "bibtex"), 0, Code.TOOL003.name,
            "mkdocs-bibtex's inline citations are on: it would rewrite any '@word' in the text",
            "set 'enable_inline_citations: false' under the bibtex plugin"))
    return problems


def check(project: Project) -> list[Problem]:
    """TOOL problems with mkdocs.yml (the project check in registry.PROJECT_CHECKS)."""
    return check_toolchain(project.shown(project.config_file), project.config_text, project.markdown_extensions,
                           project.bibtex_config)
