"""What page checks know besides the page: the bibliography, indexed once per build, and today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ipt_site.checks.page.citation_keys import KeyIndex
from ipt_site.checks.page.narrative import NarrativeIndex, index_for
from ipt_site.sources.bibliography import Bibliography


@dataclass(frozen=True)
class SiteContext:
    bib: Bibliography
    keys: KeyIndex  # its keys, for citation lookups and "did you mean"
    narrative: NarrativeIndex  # its authors, for "Stuart and Robertson (2012)" in prose
    today: date  # reviews are due or overdue relative to it

    @classmethod
    def of(cls, bib: Bibliography, today: date | None = None, keys: KeyIndex | None = None,
           narrative: NarrativeIndex | None = None) -> SiteContext:
        return cls(bib, keys or KeyIndex.of(bib.entries), narrative or index_for(bib), today or date.today())
