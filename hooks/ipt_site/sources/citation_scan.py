"""Find pandoc citations in a page's Markdown, and the code where they do not count.

mkdocs-bibtex finds citations with a one-line regex over the raw page, so it
rewrites citations inside code and misses ones that span a line break.  This
module finds the citations a reader actually sees, the way pandoc 3 reads
them, so the hooks can check their keys and shield everything else.

Three layers, one module each:

1. markdown_regions.py: where the page is text and where it is code or HTML
   (markdown-it-py's block tokens, then a small inline scanner);
2. citation_syntax.py: pandoc's citation grammar over the text regions;
3. this module: one scan of a page through both, and the questions the
   checks and the hooks ask of it.

Everything here takes text and returns data; nothing imports MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ipt_site.sources.citation_syntax import (
    BadBracket,
    CiteBlock,
    CiteItem,
    Found,
    bad_brackets,
    parse_region,
)
from ipt_site.sources.markdown_regions import AUTOLINK_EMAIL, NOT_NEWLINE, find_regions

__all__ = [
    "AUTOLINK_EMAIL",
    "BadBracket",
    "CitationScan",
    "CiteBlock",
    "CiteItem",
    "find_bad_brackets",
    "find_bare_keys",
    "find_citations",
    "find_code_ranges",
    "mask_code",
    "mask_ranges",
    "scan_page",
]


@dataclass(frozen=True)
class CitationScan:
    """Everything one scan of a page finds."""

    code_ranges: tuple[tuple[int, int], ...]
    blocks: tuple[CiteBlock, ...]
    bare_keys: tuple[tuple[str, int], ...]
    bad_brackets: tuple[BadBracket, ...]
    autolinks: tuple[tuple[int, int], ...]


def find_code_ranges(markdown: str) -> list[tuple[int, int]]:
    """Code spans, fenced and indented code, HTML comments and raw HTML tags.

    Sorted, non-overlapping ``(start, end)`` offsets.  Admonition bodies are
    text, not code.  Autolinks (``<me@example.com>``) are not included: they
    must reach Python-Markdown untouched.
    """
    return list(scan_page(markdown).code_ranges)


def find_citations(markdown: str) -> list[CiteBlock]:
    """Every bracketed citation pandoc 3 would read, in page order."""
    return list(scan_page(markdown).blocks)


def find_bare_keys(markdown: str) -> list[tuple[str, int]]:
    """``@key`` that pandoc would read as an in-text citation: ``(key, offset of '@')``.

    Outside code, HTML, link destinations and bracketed citations; e-mail
    addresses (``me@example.com``) do not count.  The site does not render
    these, so the checks warn about the ones that name a bibliography entry.
    """
    return list(scan_page(markdown).bare_keys)


def find_bad_brackets(markdown: str) -> list[BadBracket]:
    """Brackets that look like citations but will not render as one."""
    return list(scan_page(markdown).bad_brackets)


def mask_code(markdown: str) -> str:
    """The page with every code range blanked to spaces (newlines kept).

    Same length and same line breaks, so offsets and line numbers found in the
    result are valid in the page.
    """
    return mask_ranges(markdown, scan_page(markdown).code_ranges)


def mask_ranges(markdown: str, ranges: Iterable[tuple[int, int]]) -> str:
    """``markdown`` with each range blanked to spaces, line breaks kept, so offsets still match.

    Ranges may come unsorted, overlap (markup inside a comment) or run past
    the end. ``mask_code`` for a page whose code ranges are at hand already.
    """
    pieces: list[str] = []
    last = 0
    for start, end in sorted(ranges):
        start, end = max(start, last), min(end, len(markdown))
        if start >= end:
            continue
        pieces.append(markdown[last:start])
        pieces.append(NOT_NEWLINE.sub(" ", markdown[start:end]))
        last = end
    if not pieces:
        return markdown
    pieces.append(markdown[last:])
    return "".join(pieces)


@lru_cache(maxsize=16)
def scan_page(markdown: str) -> CitationScan:
    """Scan a page once; the ``find_*`` functions read from this (cached) result."""
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be str, not {type(markdown).__name__}")
    return _scan(markdown)


def _scan(md: str) -> CitationScan:
    if not md:
        return CitationScan((), (), (), (), ())
    regions = find_regions(md)
    s, t = regions.blanked, regions.unquoted
    found = Found()
    for start, end, is_table in regions.text:
        if s.find("@", start, end) < 0:
            continue  # no citation, bare key or bad bracket without an '@'
        for lo, hi in _split_cells(s, start, end) if is_table else [(start, end)]:
            if lo < hi:
                parse_region(md, s, t, lo, hi, found)
    blocks = sorted({(b.start, b.end): b for b in found.blocks}.values(), key=lambda b: (b.start, b.end))
    return CitationScan(
        code_ranges=tuple(regions.code),
        blocks=tuple(blocks),
        bare_keys=tuple(sorted(set(found.bare), key=lambda kv: kv[1])),
        bad_brackets=tuple(bad_brackets(md, found, blocks)),
        autolinks=tuple(regions.autolinks),
    )


def _split_cells(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """A table row's cells: pandoc splits on '|' before reading citations."""
    cells: list[tuple[int, int]] = []
    last = start
    pipe = s.find("|", start, end)
    while pipe >= 0:
        cells.append((last, pipe))
        last = pipe + 1
        pipe = s.find("|", last, end)
    cells.append((last, end))
    return cells
