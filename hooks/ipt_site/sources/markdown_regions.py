"""Where a page's Markdown is text, and where it is code or HTML: the layer under the citation grammar.

1. Block structure comes from markdown-it-py (CommonMark).  Admonition
   (``!!! note``, ``??? note``) and footnote bodies are indented four spaces;
   CommonMark would read them as indented code, so they are dedented in a
   line-for-line "view" first.  From the tokens we take code lines (fences,
   indented code, raw HTML blocks) and the text regions (paragraphs,
   headings, table cells, other HTML blocks).
2. Inside text regions a small left-to-right scanner finds code spans, HTML
   comments and tags, autolinks and backslash escapes.  It is hand-written
   because markdown-it's inline tokens carry no source offsets.

The result is the text regions, the code and HTML ranges, and two copies of the
page for the citation grammar (citation_syntax.py): one with code, HTML and escapes
blanked, one with only blockquote markers blanked.  Nothing here imports MkDocs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["AUTOLINK_EMAIL", "FILLER", "NOT_NEWLINE", "Regions", "find_regions", "merge_ranges"]

# Stands in for code, HTML and escaped characters in the copy of the text the
# citation parser reads: it is not a letter (so "`x`@key" still cites), not
# whitespace (so a line holding only code is not a blank line) and not
# Markdown punctuation.
FILLER = "\x01"


@dataclass(frozen=True)
class Regions:
    """A page's layout: offsets are into the page."""

    code: list[tuple[int, int]]  # code, HTML tags, comments and raw HTML blocks: sorted, merged
    autolinks: list[tuple[int, int]]  # <https://…>, <me@example.com>: sorted
    text: list[tuple[int, int, bool]]  # (start, end, is_table_row) of text the citation grammar reads: sorted
    blanked: str  # the page with code, HTML, autolinks and escapes blanked to FILLER: what the grammar reads
    unquoted: str  # the page with only blockquote markers blanked: where prefixes and suffixes come from


def find_regions(markdown: str) -> Regions:
    """The layout of a (non-empty) page."""
    return _Layout(markdown).run()


_NEWLINE = re.compile(r"\r\n|\r|\n")  # markdown-it normalises all three to \n
NOT_NEWLINE = re.compile(r"[^\r\n]")

_BLOCK_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# Only block structure is needed from markdown-it; inline offsets are found by
# the scanner below, so skip its inline pass (it is most of the cost).
_BLOCK_PARSER.disable(["inline", "text_join"], ignoreInvalid=True)

# Python-Markdown's admonition and pymdownx.details headers.
_CONTAINER_HEADER = re.compile(
    r"(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]?[\w-]+(?:[ \t]+[\w-]+)*"
    r"(?:[ \t]+\"[^\r\n]*\")?[ \t]*$"
)
_FOOTNOTE_HEADER = re.compile(r"(?P<indent> {0,3})(?P<marker>\[\^[^\]\s]+\]:)")
_CONTAINER_HINT = re.compile(r"^[ \t]*(?:!!!|\?\?\?|\[\^)", re.MULTILINE)
_HEADER_START = re.compile(r"[ \t]*(?:!!!|\?\?\?|\[\^)")

# HTML blocks whose content is raw, by CommonMark's start conditions 1-5,
# with the text that ends each.
_RAW_HTML_BLOCKS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I),
        re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    ),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
)

_BLOCKQUOTE_MARKERS = re.compile(r"[ \t]*>(?:[ \t]*>)*[ \t]?")
_REFDEF_CITATION = re.compile(r" {0,3}\[@")


def _columns(whitespace: str) -> int:
    col = 0
    for ch in whitespace:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col


def _drop_columns(line: str, count: int) -> str:
    """``line`` with ``count`` columns of leading whitespace removed."""
    col = 0
    i = 0
    while i < len(line) and col < count and line[i] in " \t":
        col = col + 4 - col % 4 if line[i] == "\t" else col + 1
        i += 1
    return " " * max(col - count, 0) + line[i:]


def _container_view(lines: list[str], skip: set[int]) -> tuple[list[str], list[int], list[int]]:
    """Lines with admonition and footnote bodies dedented, for the block parser.

    Returns the view (same number of lines), the admonition header lines and
    the footnote header lines.  Python-Markdown reads a body as every
    following line that is blank or indented four more columns than its
    header.
    """
    view: list[str] = []
    headers: list[int] = []
    footnotes: list[int] = []
    body_indents: list[int] = []  # columns a body line needs, per open container
    for number, line in enumerate(lines):
        if not body_indents and not _HEADER_START.match(line):
            view.append(line)  # outside every container: as it is
            continue
        stripped = line.lstrip(" \t")
        if not stripped:
            view.append("")
            continue
        indent = _columns(line[: len(line) - len(stripped)])
        while body_indents and indent < body_indents[-1]:
            body_indents.pop()
        shown = _drop_columns(line, 4 * len(body_indents))
        if number not in skip:
            header = _CONTAINER_HEADER.match(shown)
            if header:
                headers.append(number)
                body_indents.append(indent + 4)
                view.append("")  # the header is its own block, like Python-Markdown's
                continue
            footnote = _FOOTNOTE_HEADER.match(shown)
            if footnote:
                footnotes.append(number)
                body_indents.append(indent + 4)
                # Keep the first line as paragraph text, but hide the marker so
                # CommonMark cannot take "[^1]: text" for a link definition.
                start, end = footnote.span("marker")
                shown = shown[:start] + "x" * (end - start) + shown[end:]
        view.append(shown)
    return view, headers, footnotes



# --------------------------------------------------------------------------
# Inline scanning: code spans, HTML, autolinks, escapes
# --------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"\\|`+|<")
_BACKTICKS = re.compile(r"`+")
_AUTOLINK_URI = re.compile(r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>")
AUTOLINK_EMAIL = re.compile(  # shared with shield.py
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_ATTRIBUTE = (
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*"
    r"(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)"
)
_HTML_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9-]*" + _ATTRIBUTE + r"*\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<\?.*?\?>"
    r"|<![A-Za-z][^>]*>"
    r"|<!\[CDATA\[.*?\]\]>",
    re.S,
)
_COMMENT_END = re.compile(r"-->")



class _Layout:
    def __init__(self, markdown: str) -> None:
        self.md = markdown
        if "\r" in markdown:
            breaks = [match.span() for match in _NEWLINE.finditer(markdown)]
            self.line_starts = [0] + [end for _, end in breaks]
            self.line_ends = [start for start, _ in breaks] + [len(markdown)]
            self.lines = [markdown[a:b] for a, b in zip(self.line_starts, self.line_ends, strict=True)]
        else:  # the usual case: split, without a regex match per line
            self.lines = markdown.split("\n")
            self.line_starts = [0, *accumulate(len(line) + 1 for line in self.lines[:-1])]
            self.line_ends = [start + len(line) for start, line in zip(self.line_starts, self.lines, strict=True)]
        self.code: list[tuple[int, int]] = []
        self.autolinks: list[tuple[int, int]] = []
        self.fillers: list[tuple[int, int]] = []  # blanked for the parser, not code
        self.quote_marks: list[tuple[int, int]] = []  # '>' markers inside text regions
        # (start, end, is_table_row) of text the citation parser reads
        self.regions: list[tuple[int, int, bool]] = []

    # -- block level -------------------------------------------------------

    def run(self) -> Regions:
        self._blocks()
        self._inline_opaque()
        blanked, unquoted = self._scan_texts()
        return Regions(merge_ranges(self.code), sorted(self.autolinks), self.regions, blanked, unquoted)

    def _offset(self, line: int) -> int:
        return self.line_starts[min(line, len(self.line_starts) - 1)]

    def _line_end(self, line: int) -> int:
        return self.line_ends[min(line, len(self.line_ends) - 1)]

    def _blocks(self) -> None:
        md = self.md
        lines = self.lines
        # Read the page, then again while the reading needs correcting (a
        # few rounds settle any realistic page):
        # - a "header" inside a fence is just code;
        # - a fence that is never closed is text to pandoc and Python-Markdown,
        #   while CommonMark would make the rest of the page code (the same
        #   goes for an HTML comment or <pre> that is never closed).
        has_containers = bool(_CONTAINER_HINT.search(md))
        skip: set[int] = set()
        broken: dict[int, str] = {}  # opening line -> "fence" or "html_block"
        headers: list[int] = []
        tokens: list[Token] = []
        for _ in range(6):
            if has_containers:
                view, headers, footnotes = _container_view(lines, skip)
            else:
                view, headers, footnotes = list(lines), [], []
            for number, kind in broken.items():
                view[number] = _break_opening(view[number], kind)
            tokens = _BLOCK_PARSER.parse("\n".join(view))
            verbatim = _verbatim_lines(tokens)
            wrong = {h for h in headers + footnotes if h in verbatim}
            unclosed = {
                token.map[0]: token.type
                for token in tokens
                if token.map
                and token.map[0] not in broken
                and (
                    (token.type == "fence" and not _fence_closed(token, view))
                    or (token.type == "html_block" and not _html_closed(token))
                )
            }
            if not wrong and not unclosed:
                break
            skip |= wrong
            broken.update(unclosed)
        header_lines = {h for h in headers if h not in skip}

        covered: set[int] = set(header_lines)
        quote_depth = 0
        tail: tuple[int, int, int] | None = None  # text after "-->": (start, end, next line)
        for token in tokens:
            if token.type == "blockquote_open":
                quote_depth += 1
            elif token.type == "blockquote_close":
                quote_depth -= 1
            if token.map is None or token.nesting == -1:
                continue
            first, last = token.map
            kind = token.type
            if tail is not None:
                if kind == "paragraph_open" and first == tail[2]:
                    # "<!-- c --> text" and the lines under it: one paragraph
                    # to Python-Markdown and pandoc alike
                    covered.update(range(first, last))
                    self._add_region(tail[0], self._line_end(last - 1), False, quote_depth > 0)
                    tail = None
                    continue
                self._add_region(tail[0], tail[1], False, False)
                tail = None
            if kind in ("fence", "code_block"):
                covered.update(range(first, last))
                self._code_lines(first, last)
            elif kind == "html_block":
                covered.update(range(first, last))
                rest = self._html_block(first, last, token.content)
                if rest is not None:
                    tail = (rest, self._line_end(last - 1), last)
            elif kind in ("paragraph_open", "heading_open"):
                covered.update(range(first, last))
                self._text_lines(first, last, quote_depth > 0)
            elif kind == "tr_open":
                covered.update(range(first, last))
                for number in range(first, last):
                    self._add_region(self._offset(number), self._line_end(number), True, quote_depth > 0)
            elif kind in ("hr", "table_open"):
                covered.update(range(first, last))
        if tail is not None:
            self._add_region(tail[0], tail[1], False, False)

        for number in sorted(header_lines):
            # '!!! note "Title"': the title is text a reader sees.
            self._add_region(self._offset(number), self._line_end(number), False, False)
        # Lines no block claims are link definitions.  pandoc never reads
        # "[@key]: ..." as one (it is a citation), so those stay text.
        for number, line in enumerate(lines):
            if number not in covered and line.strip() and _REFDEF_CITATION.match(line):
                self._text_lines(number, number + 1, False)

    def _code_lines(self, first: int, last: int) -> None:
        start, end = self._offset(first), self._line_end(last - 1)
        if start < end:
            self.code.append((start, end))

    def _html_block(self, first: int, last: int, content: str) -> int | None:
        """Record an HTML block; returns where text after a raw block's end starts, if any."""
        start, end = self._offset(first), self._line_end(last - 1)
        opening = content.lstrip()
        for begins, ends in _RAW_HTML_BLOCKS:
            if begins.match(opening):
                where = self.md.find("<", start, end)
                where = start if where < 0 else where
                closing = ends.search(self.md, where + 2, end)
                stop = closing.end() if closing else end
                self.code.append((start, stop))
                # "<!-- note --> [@key]": the rest of the line is text
                return stop if self.md[stop:end].strip() else None
        # <div>, <p>, <table>...: pandoc reads the text between the tags.
        self._add_region(start, end, False, False)
        return None

    def _text_lines(self, first: int, last: int, in_quote: bool) -> None:
        self._add_region(self._offset(first), self._line_end(last - 1), False, in_quote)

    def _add_region(self, start: int, end: int, is_table: bool, in_quote: bool) -> None:
        if start >= end:
            return
        self.regions.append((start, end, is_table))
        if in_quote:
            # "> [see\n> @key]": the second '>' is a container marker, not text.
            for line_start in self.line_starts[bisect_left(self.line_starts, start) :]:
                if line_start >= end:
                    break
                marks = _BLOCKQUOTE_MARKERS.match(self.md, line_start, end)
                if marks and marks.end() > line_start:
                    self.quote_marks.append((line_start, marks.end()))

    # -- inline level ------------------------------------------------------

    def _inline_opaque(self) -> None:
        """Code spans, HTML, autolinks and escapes inside the text regions."""
        md = self.md
        self.regions.sort()
        resume = 0  # an HTML comment may run past its region (pandoc allows it)
        for start, end, _ in self.regions:
            pos = max(start, resume)
            closers: dict[int, list[int]] | None = None
            while pos < end:
                match = _INLINE_SPECIAL.search(md, pos, end)
                if match is None:
                    break
                at = match.start()
                lead = md[at]
                if lead == "\\":
                    nxt = md[at + 1] if at + 1 < end else ""
                    if nxt and not nxt.isalnum() and nxt not in "\r\n":
                        self.fillers.append((at, at + 2))
                        pos = at + 2
                    else:
                        pos = at + 1
                elif lead == "`":
                    if closers is None:
                        closers = _backtick_runs(md, start, end)
                    length = match.end() - at
                    close = _next_run(closers, length, match.end())
                    if close is None:
                        # pandoc (unlike CommonMark) then reads one '`' as text
                        # and tries the rest of the run as a shorter opener.
                        pos = at + 1
                    else:
                        self.code.append((at, close + length))
                        pos = close + length
                else:
                    pos = self._angle(at, end)
                    resume = max(resume, pos)

    def _angle(self, at: int, end: int) -> int:
        md = self.md
        for pattern in (_AUTOLINK_URI, AUTOLINK_EMAIL):
            link = pattern.match(md, at, end)
            if link:
                self.autolinks.append((at, link.end()))
                return link.end()
        if md.startswith("<!--", at):
            if md.startswith("<!-->", at):
                self.code.append((at, at + 5))
                return at + 5
            if md.startswith("<!--->", at):
                self.code.append((at, at + 6))
                return at + 6
            closing = _COMMENT_END.search(md, at + 4)
            if closing:
                self.code.append((at, closing.end()))
                return closing.end()
            return at + 1
        tag = _HTML_TAG.match(md, at, end)
        if tag:
            self.code.append((at, tag.end()))
            return tag.end()
        return at + 1

    def _scan_texts(self) -> tuple[str, str]:
        """The parser's copy (code and escapes blanked) and the prefix/suffix copy."""
        quote = sorted(self.quote_marks)
        t = _overlay(self.md, quote, " ")
        blank = merge_ranges(self.code + self.autolinks + self.fillers)
        return _overlay(t, blank, FILLER), t

def _fence_closed(token: Token, view: list[str]) -> bool:
    first, last = token.map or (0, 0)
    if last - first < 2 or last > len(view):
        return False
    closing = view[last - 1].lstrip(" \t>")
    char = token.markup[:1]
    run = len(closing) - len(closing.lstrip(char)) if char else 0
    return run >= len(token.markup) and not closing[run:].strip()


def _html_closed(token: Token) -> bool:
    opening = token.content.lstrip()
    for begins, ends in _RAW_HTML_BLOCKS:
        if begins.match(opening):
            return ends.search(opening, 2) is not None
    return True  # other HTML blocks end at a blank line


def _break_opening(line: str, kind: str) -> str:
    """The opening line of an unclosed fence or raw HTML block, escaped so it opens nothing."""
    if kind == "fence":
        found = [at for at in (line.find("```"), line.find("~~~")) if at >= 0]
        at = min(found) if found else -1
    else:
        at = line.find("<")
    return line[:at] + "\\" + line[at + 1 :] if at >= 0 else line


def _verbatim_lines(tokens: Iterable[Token]) -> set[int]:
    lines: set[int] = set()
    for token in tokens:
        if token.type in ("fence", "code_block", "html_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _backtick_runs(md: str, start: int, end: int) -> dict[int, list[int]]:
    runs: dict[int, list[int]] = {}
    for run in _BACKTICKS.finditer(md, start, end):
        runs.setdefault(run.end() - run.start(), []).append(run.start())
    return runs


def _next_run(runs: dict[int, list[int]], length: int, after: int) -> int | None:
    """Start of the first backtick run of exactly ``length`` at or after ``after``."""
    starts = runs.get(length)
    if not starts:
        return None
    index = bisect_right(starts, after - 1)
    return starts[index] if index < len(starts) else None


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _overlay(text: str, ranges: list[tuple[int, int]], char: str) -> str:
    """``text`` with each range's characters (newlines excepted) replaced by ``char``."""
    if not ranges:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in merge_ranges(ranges):
        if start < last:
            start = last
        pieces.append(text[last:start])
        pieces.append(NOT_NEWLINE.sub(char, text[start:end]))
        last = max(last, end)
    pieces.append(text[last:])
    return "".join(pieces)
