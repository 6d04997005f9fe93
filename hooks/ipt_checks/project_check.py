"""Every check of a whole project, given what mkdocs.yml says: shared by hook and CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .bibliography import Bibliography, load_bibliography
from .evidence import EVIDENCE_FILE, check_evidence, load_evidence, page_citations
from .pages import collect_pages, display_path
from .problems import Problem
from .site_check import SiteCheck, check_site
from .toolchain import check_toolchain


@dataclass
class ProjectCheck:
    problems: list[Problem] = field(default_factory=list)
    bib: Bibliography | None = None
    site: SiteCheck | None = None

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def check_project(
    config_file: Path,
    markdown_extensions: Sequence[Any],
    bibtex_config: Mapping[str, Any] | None,
    docs_dir: Path,
) -> ProjectCheck:
    root = config_file.parent
    config_text = config_file.read_text(encoding="utf-8")
    result = ProjectCheck(check_toolchain(
        display_path(config_file, root), config_text, markdown_extensions, bibtex_config))
    if bibtex_config is None or not bibtex_config.get("bib_file"):
        return result
    bib_path = (root / bibtex_config["bib_file"]).resolve()
    result.bib = load_bibliography(bib_path, display_path(bib_path, root))
    result.site = check_site(collect_pages(docs_dir, root), result.bib)
    result.problems = sorted(result.problems + result.site.problems + _evidence_problems(bib_path, root, result))
    return result


def _evidence_problems(bib_path: Path, root: Path, result: ProjectCheck) -> list[Problem]:
    """The evidence record beside the bibliography, checked against what each page cites."""
    assert result.site is not None and result.bib is not None
    evidence_path = bib_path.parent / EVIDENCE_FILE
    record = load_evidence(evidence_path, display_path(evidence_path, root))
    cited = {
        path: page_citations(page.body, page.line_offset,
                             [(item.key, item.start) for block in page.blocks for item in block.items])
        for path, page in result.site.pages.items()
    }
    return check_evidence(record, cited, result.bib.entries)
