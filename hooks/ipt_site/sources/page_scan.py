"""One page, read once: the value every page check is a function of.

``read_page(path, text)`` splits the front matter from the body (as MkDocs does) and keeps
both; everything else is worked out the first time a check asks for it, then kept: the
front matter's YAML (or why it is not YAML), the body's code and HTML ranges (kept apart),
its citations, bare keys and bad brackets, its raw HTML and links, and the body with code
blanked out. Offsets into the body become page lines and columns in ``line_col``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from ipt_site.sources.citation_scan import (
    BadBracket,
    CitationScan,
    CiteBlock,
    mask_ranges,
    scan_page,
)
from ipt_site.sources.front_matter import SplitPage, split_front_matter
from ipt_site.sources.page_markup import PageMarkup, is_code, markup_outside_code

__all__ = ["FrontMatterYaml", "PageScan", "read_page"]

# libyaml when present: the pure-Python composer is the slowest part of a big check.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FrontMatterYaml:
    """The front matter composed by YAML (``root``), or the error that stopped it."""

    root: Node | None
    error: yaml.YAMLError | None

    def fields(self) -> dict[str, tuple[ScalarNode, Node]]:
        """Field name -> (key node, value node), the last one of a name given twice; {} if not a mapping."""
        if not isinstance(self.root, MappingNode):
            return {}
        return {key.value: (key, value) for key, value in self.root.value if isinstance(key, ScalarNode)}


@dataclass(frozen=True)
class PageScan:
    """A page as the checks see it. Offsets are into ``body`` unless a name says otherwise."""

    path: str  # as shown to editors: docs/theory.md
    text: str  # the whole file
    split: SplitPage

    @property
    def body(self) -> str:
        """What MkDocs renders: the text below the front matter."""
        return self.split.body

    @property
    def front_matter(self) -> str | None:
        """The YAML between the '---' lines, or None when the page has none (or it is not closed)."""
        return self.split.front_matter

    @property
    def body_line_offset(self) -> int:
        """Lines of the file above the body."""
        return self.split.body_line_offset

    @cached_property
    def front_matter_yaml(self) -> FrontMatterYaml:
        try:
            return FrontMatterYaml(yaml.compose(self.front_matter or "", Loader=_LOADER), None)
        except yaml.YAMLError as error:
            return FrontMatterYaml(None, error)

    @cached_property
    def citations(self) -> CitationScan:
        return scan_page(self.body)

    @property
    def opaque_ranges(self) -> tuple[tuple[int, int], ...]:
        """Code and HTML together: where a citation does not count (sorted, not overlapping)."""
        return self.citations.code_ranges

    @cached_property
    def code_ranges(self) -> list[tuple[int, int]]:
        """Code only (spans, fenced and indented blocks): shown to readers, never run or dialled."""
        return [r for r in self.opaque_ranges if is_code(self.body, r)]

    @cached_property
    def html_ranges(self) -> list[tuple[int, int]]:
        """Raw HTML tags, comments and blocks."""
        code = set(self.code_ranges)
        return [r for r in self.opaque_ranges if r not in code]

    @property
    def blocks(self) -> tuple[CiteBlock, ...]:
        return self.citations.blocks

    @property
    def bare_keys(self) -> tuple[tuple[str, int], ...]:
        return self.citations.bare_keys

    @property
    def bad_brackets(self) -> tuple[BadBracket, ...]:
        return self.citations.bad_brackets

    @cached_property
    def prose(self) -> str:
        """The body with code and HTML blanked (same length and lines): what a reader reads."""
        return mask_ranges(self.body, self.opaque_ranges)

    @cached_property
    def without_code(self) -> str:
        """The body with code blanked, HTML kept (same length and lines)."""
        return mask_ranges(self.body, self.code_ranges)

    @cached_property
    def markup(self) -> PageMarkup:
        """Raw HTML and Markdown links outside code."""
        return markup_outside_code(self.without_code)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        at = self.body.find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = self.body.find("\n", at + 1)
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column in the file of an offset into the body."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1 + self.body_line_offset, offset - self._line_starts[index] + 1


def read_page(path: str, text: str) -> PageScan:
    """``text`` (a whole page file) as the checks see it, shown to editors as ``path``."""
    return PageScan(path, text, split_front_matter(text))
