"""What checks know: a page check, the bibliography (indexed once per build) and today; a project check, the project."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipt_site.checks.page.citation_keys import KeyIndex
from ipt_site.checks.page.narrative import NarrativeIndex
from ipt_site.problems import Problem
from ipt_site.sources.bibliography import Bibliography
from ipt_site.sources.pages import display_path

if TYPE_CHECKING:
    from ipt_site.checks.site_check import SiteCheck


@dataclass(frozen=True)
class SiteContext:
    bib: Bibliography
    keys: KeyIndex  # its keys, for citation lookups and "did you mean"
    narrative: NarrativeIndex  # its authors, for "Stuart and Robertson (2012)" in prose
    today: date  # reviews are due or overdue relative to it

    @classmethod
    def of(cls, bib: Bibliography, today: date | None = None, keys: KeyIndex | None = None,
           narrative: NarrativeIndex | None = None) -> SiteContext:
        return cls(bib, keys or KeyIndex.of(bib.entries), narrative or NarrativeIndex.build(bib), today or date.today())


@dataclass
class Project:
    """What the project checks read: mkdocs.yml's settings, and the bibliography and pages once read."""

    config_file: Path
    config_text: str
    markdown_extensions: Sequence[Any]
    bibtex_config: Mapping[str, Any] | None
    docs_dir: Path
    bib: Bibliography | None = None  # None: no bibliography configured
    site: SiteCheck | None = None  # None: no readable bibliography, so no page was checked

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def bib_path(self) -> Path | None:
        if self.bibtex_config is None or not self.bibtex_config.get("bib_file"):
            return None
        return self.root / str(self.bibtex_config["bib_file"])

    def shown(self, path: Path) -> str:
        """``path`` as problems name it: relative to the project."""
        return display_path(path, self.root)


ProjectRule = Callable[[Project], list[Problem]]
