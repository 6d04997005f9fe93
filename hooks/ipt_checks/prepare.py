"""Turn a page's Markdown into text mkdocs-bibtex can only render correctly."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .citation_scan import find_citations, find_code_ranges
from .shield import shield

# What mkdocs-bibtex's key pattern ([\w-]+) reads whole; other keys it truncates.
_RENDERABLE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Prepared:
    text: str
    has_citations: bool


@functools.lru_cache(maxsize=4096)  # each page is prepared for the batch render and again when built
def prepare_for_plugin(markdown: str, known_keys: frozenset[str]) -> Prepared:
    """Shield code and non-citations; pass on only citations of known, renderable keys.

    A citation with an unknown key is shielded too, so it stays visible as
    written (while serving) instead of mkdocs-bibtex deleting it.
    """
    blocks = [
        block for block in find_citations(markdown)
        if all(not item.braced and item.key in known_keys and _RENDERABLE_KEY.fullmatch(item.key)
               for item in block.items)
    ]
    return Prepared(shield(markdown, blocks, find_code_ranges(markdown)), bool(blocks))
