"""Turn a page's Markdown into text mkdocs-bibtex can only render correctly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ipt_site.citation_rendering.shield import shield
from ipt_site.sources.bib_rules import is_renderable_key
from ipt_site.sources.citation_scan import CiteBlock, find_citations, find_code_ranges

# Appended to a page that cites: its footnotes go under this heading instead of the end of the page.
REFERENCES_SECTION = "\n\n## References\n\n///Footnotes Go Here///\n"


@dataclass(frozen=True)
class Prepared:
    text: str
    has_citations: bool


def prepare_for_plugin(
    markdown: str,
    known_keys: frozenset[str],
    blocks: Sequence[CiteBlock] | None = None,
    code_ranges: Sequence[tuple[int, int]] | None = None,
) -> Prepared:
    """Shield code and non-citations; pass on only citations of known, renderable keys.

    A citation with an unknown key is shielded too, so it stays visible as
    written (while serving) instead of mkdocs-bibtex deleting it. Pass
    ``blocks`` and ``code_ranges`` when the page was scanned already.
    """
    if blocks is None:
        blocks = find_citations(markdown)
    if code_ranges is None:
        code_ranges = find_code_ranges(markdown)
    renderable = [
        block for block in blocks
        if all(not item.braced and item.key in known_keys and is_renderable_key(item.key)
               for item in block.items)
    ]
    return Prepared(shield(markdown, renderable, code_ranges), bool(renderable))
