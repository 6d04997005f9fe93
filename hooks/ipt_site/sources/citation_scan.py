"""Find pandoc citations in a page's Markdown, and the code where they do not count.

mkdocs-bibtex finds citations with a one-line regex over the raw page, so it
rewrites citations inside code and misses ones that span a line break.  This
module finds the citations a reader actually sees, the way pandoc 3 reads
them, so the hooks can check their keys and shield everything else.

How it works:

1. Block structure comes from markdown-it-py (CommonMark).  Admonition
   (``!!! note``, ``??? note``) and footnote bodies are indented four spaces;
   CommonMark would read them as indented code, so they are dedented in a
   line-for-line "view" first.  From the tokens we take code lines (fences,
   indented code, raw HTML blocks) and the text regions (paragraphs,
   headings, table cells, other HTML blocks).
2. Inside text regions a small left-to-right scanner finds code spans, HTML
   comments and tags, autolinks and backslash escapes.  It is hand-written
   because markdown-it's inline tokens carry no source offsets.
3. The citation grammar itself is an emulation of pandoc's Markdown reader
   (``normalCite``, ``citeList``, ``prefix``, ``suffix``, ``citeKey``,
   ``textualCite``), run over a copy of the text in which code, HTML and
   escapes are blanked out.

Everything here takes text and returns data; nothing imports MkDocs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Iterable

from markdown_it import MarkdownIt

__all__ = [
    "BadBracket",
    "CiteBlock",
    "CiteItem",
    "CitationScan",
    "find_bad_brackets",
    "find_bare_keys",
    "find_citations",
    "find_code_ranges",
    "mask_code",
    "mask_ranges",
    "scan_page",
]

# Stands in for code, HTML and escaped characters in the copy of the text the
# citation parser reads: it is not a letter (so "`x`@key" still cites), not
# whitespace (so a line holding only code is not a blank line) and not
# Markdown punctuation.
_FILLER = "\x01"
# Nesting deeper than this is never meant; stop there so no input can exhaust
# the stack.
_MAX_DEPTH = 32


# --------------------------------------------------------------------------
# Public data
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CiteItem:
    """One ``@key`` inside a bracketed citation; offsets are into the page text."""

    key: str
    start: int  # offset of '@'
    end: int  # one past the key (past the '}' of a braced key)
    suppress_author: bool = False  # written -@key
    braced: bool = False  # written @{key}
    prefix: str = ""  # text before the key, whitespace collapsed ("see")
    suffix: str = ""  # text after the key, whitespace collapsed (", p. 12")


@dataclass(frozen=True)
class CiteBlock:
    """A bracketed citation ``[see @a, p. 3; @b]`` as pandoc reads it."""

    start: int  # offset of '['
    end: int  # one past ']'
    items: tuple[CiteItem, ...]
    raw: str  # the page text from '[' to ']' inclusive

    @property
    def text(self) -> str:
        return self.raw

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def multiline(self) -> bool:
        return "\n" in self.raw or "\r" in self.raw


@dataclass(frozen=True)
class BadBracket:
    """A bracket that looks like a citation but will not render as one.

    ``reason`` is ``"invalid"`` (pandoc does not read it as a citation, e.g.
    ``[@]`` or ``[@a; b]``), ``"nested"`` (a citation inside another
    citation's brackets, which mkdocs-bibtex's one-level regex splits) or
    ``"definition"`` (``[@key]:`` at the start of a line, which Python-Markdown
    takes for a link definition).
    """

    start: int
    end: int
    reason: str
    raw: str


@dataclass(frozen=True)
class CitationScan:
    """Everything one scan of a page finds."""

    code_ranges: tuple[tuple[int, int], ...]
    blocks: tuple[CiteBlock, ...]
    bare_keys: tuple[tuple[str, int], ...]
    bad_brackets: tuple[BadBracket, ...]
    autolinks: tuple[tuple[int, int], ...]


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


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
        pieces.append(_NOT_NEWLINE.sub(" ", markdown[start:end]))
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
    return _Scanner(markdown).run()


# --------------------------------------------------------------------------
# Block structure
# --------------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n|\r|\n")  # markdown-it normalises all three to \n
_NOT_NEWLINE = re.compile(r"[^\r\n]")

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


# --------------------------------------------------------------------------
# Citation grammar (pandoc 3's Markdown reader)
# --------------------------------------------------------------------------

# citeKey: a letter, digit, '_' (or '*', for nocite) first, then word
# characters, with single punctuation allowed only before a word character
# ("doe:2020", "a.b") and ':' or '/' before '/' ("https://...").
_KEY_PATTERN = r"(?:\w|\*)(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*"
_SIMPLE_KEY = re.compile(_KEY_PATTERN)
# Fast path for the usual shape, "[see @a, p. 3; -@b]" on one line: text free
# of anything that could start another construct, a prefix that ends in a
# space, and nothing after ']' that could make it a link.  Anything else goes
# through the full grammar below.
_PLAIN = r"[^\[\]@;*_\r\n{]"
_FAST_ITEM = rf"(?:{_PLAIN}*[ \t])?-?@{_KEY_PATTERN}{_PLAIN}*"
_FAST_CITE = re.compile(rf"\[[ \t]*{_FAST_ITEM}(?:;[ \t]*{_FAST_ITEM})*\](?![(\[{{])")
# One item of a citation _FAST_CITE matched: its key (from '-' or '@') and
# name, up to the ';' or ']' that ends it.
_FAST_ITEM_RE = re.compile(rf"[ \t]*(?:{_PLAIN}*[ \t])?(?P<key>-?@(?P<name>{_KEY_PATTERN})){_PLAIN}*")
_TOP_SPECIAL = re.compile(r"\[|-?@")
_INNER_SPECIAL = re.compile(r"[\[\];@*_]|-@")
_BRACKETS = re.compile(r"[\[\]]")
_SPACES = re.compile(r"[ \t\r\n]*")
_WHITESPACE_RUN = re.compile(r"\s+")
_ATTRIBUTES = re.compile(
    r"\{[ \t\r\n]*(?:(?:[#.][^\s{}#.=\"']+|=[A-Za-z0-9_-]+"
    r"|[A-Za-z_][\w:.-]*=(?:\"[^\"]*\"|'[^']*'|[^\s\"'{}]+))[ \t\r\n]*)*\}"
)


@dataclass
class _Key:
    key: str
    start: int  # of '-' when suppressed, else of '@'
    at: int  # of '@'
    end: int
    suppress: bool
    braced: bool


@dataclass
class _Found:
    """What a (possibly abandoned) parse attempt found; merged on success."""

    blocks: list[CiteBlock] = field(default_factory=list)
    bare: list[tuple[str, int]] = field(default_factory=list)
    bad: list[tuple[int, int, str]] = field(default_factory=list)

    def merge(self, other: "_Found") -> None:
        self.blocks.extend(other.blocks)
        self.bare.extend(other.bare)
        self.bad.extend(other.bad)


@dataclass
class _Bracket:
    kind: str  # "cite" or "group" (a link, span, note or plain brackets)
    end: int  # one past the last character consumed
    found: _Found


def _squash(text: str) -> str:
    if not text:
        return text  # most prefixes and suffixes
    return _WHITESPACE_RUN.sub(" ", text.replace(_FILLER, " ")).strip()


class _Scanner:
    def __init__(self, markdown: str) -> None:
        self.md = markdown
        if "\r" in markdown:
            breaks = [match.span() for match in _NEWLINE.finditer(markdown)]
            self.line_starts = [0] + [end for _, end in breaks]
            self.line_ends = [start for start, _ in breaks] + [len(markdown)]
            self.lines = [markdown[a:b] for a, b in zip(self.line_starts, self.line_ends)]
        else:  # the usual case: split, without a regex match per line
            self.lines = markdown.split("\n")
            self.line_starts = [0, *accumulate(len(line) + 1 for line in self.lines[:-1])]
            self.line_ends = [start + len(line) for start, line in zip(self.line_starts, self.lines)]
        self.code: list[tuple[int, int]] = []
        self.autolinks: list[tuple[int, int]] = []
        self.fillers: list[tuple[int, int]] = []  # blanked for the parser, not code
        self.quote_marks: list[tuple[int, int]] = []  # '>' markers inside text regions
        # (start, end, is_table_row) of text the citation parser reads
        self.regions: list[tuple[int, int, bool]] = []

    # -- block level -------------------------------------------------------

    def run(self) -> CitationScan:
        md = self.md
        if not md:
            return CitationScan((), (), (), (), ())
        self._blocks()
        self._inline_opaque()
        s, t = self._scan_texts()
        found = _Found()
        for start, end, is_table in self.regions:
            if s.find("@", start, end) < 0:
                continue  # no citation, bare key or bad bracket without an '@'
            for lo, hi in self._split_cells(s, start, end) if is_table else [(start, end)]:
                if lo < hi:
                    _CiteParser(md, s, t, lo, hi).parse(found)
        blocks = sorted({(b.start, b.end): b for b in found.blocks}.values(), key=lambda b: (b.start, b.end))
        bad = self._bad_brackets(found, blocks)
        code = _merge(self.code)
        return CitationScan(
            code_ranges=tuple(code),
            blocks=tuple(blocks),
            bare_keys=tuple(sorted(set(found.bare), key=lambda kv: kv[1])),
            bad_brackets=tuple(bad),
            autolinks=tuple(sorted(self.autolinks)),
        )

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
        blank = _merge(self.code + self.autolinks + self.fillers)
        return _overlay(t, blank, _FILLER), t

    def _split_cells(self, s: str, start: int, end: int) -> list[tuple[int, int]]:
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

    def _bad_brackets(self, found: _Found, blocks: list[CiteBlock]) -> list[BadBracket]:
        md = self.md
        bad = set(found.bad)
        reach = -1  # furthest end of the blocks that start before this one
        reach_start = -1
        for block in blocks:  # sorted by start
            if block.start > reach_start and block.end <= reach:
                bad.add((block.start, block.end, "nested"))
            if block.end > reach:
                reach, reach_start = block.end, block.start
        for block in blocks:
            line_start = max(md.rfind("\n", 0, block.start), md.rfind("\r", 0, block.start)) + 1
            indent = md[line_start : block.start]
            if md.startswith(":", block.end) and len(indent) < 4 and not indent.strip(" "):
                bad.add((block.start, block.end, "definition"))
        return [BadBracket(a, b, why, md[a:b]) for a, b, why in sorted(bad)]


def _fence_closed(token, view: list[str]) -> bool:
    first, last = token.map
    if last - first < 2 or last > len(view):
        return False
    closing = view[last - 1].lstrip(" \t>")
    char = token.markup[:1]
    run = len(closing) - len(closing.lstrip(char)) if char else 0
    return run >= len(token.markup) and not closing[run:].strip()


def _html_closed(token) -> bool:
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


def _verbatim_lines(tokens: Iterable) -> set[int]:
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


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
    for start, end in _merge(ranges):
        if start < last:
            start = last
        pieces.append(text[last:start])
        pieces.append(_NOT_NEWLINE.sub(char, text[start:end]))
        last = max(last, end)
    pieces.append(text[last:])
    return "".join(pieces)


# --------------------------------------------------------------------------
# The citation parser
# --------------------------------------------------------------------------


class _CiteParser:
    """pandoc's citation grammar over one text region of the blanked copy ``s``.

    Each method mirrors the pandoc parser of the same name.  Parse attempts
    that pandoc would backtrack out of return ``None`` and their findings are
    dropped; ``_bracket`` results are memoised so nested brackets cost one
    parse each.
    """

    def __init__(self, md: str, s: str, t: str, lo: int, hi: int) -> None:
        self.md = md  # the page, for raw text
        self.s = s  # code, HTML and escapes blanked: what the grammar reads
        self.t = t  # blockquote markers blanked: where prefixes and suffixes come from
        self.lo = lo
        self.hi = hi
        self.depth = 0
        self.memo: dict[tuple[int, int], _Bracket | None] = {}
        self.emphasis_memo: dict[tuple[int, int], tuple[int | None, _Found]] = {}
        self.bareloc_memo: dict[tuple[int, int], tuple[int, _Found] | None] = {}
        self._close_cache: dict[int, int] | None = None

    def parse(self, found: _Found) -> None:
        self._inlines(self.lo, self.hi, found)

    # -- helpers -----------------------------------------------------------

    @property
    def closes(self) -> dict[int, int]:
        """Balanced '['...']' pairs (pandoc's charsInBalancedBrackets), found once."""
        if self._close_cache is None:
            self._close_cache = self._match_brackets()
        return self._close_cache

    def _match_brackets(self) -> dict[int, int]:
        closes: dict[int, int] = {}
        stack: list[int] = []
        for match in _BRACKETS.finditer(self.s, self.lo, self.hi):
            if match.group() == "[":
                stack.append(match.start())
            elif stack:
                closes[stack.pop()] = match.start()
        return closes

    def _after_string(self, i: int) -> bool:
        """pandoc's notAfterString: '@' right after a word is an e-mail, not a key."""
        if i <= self.lo:
            return False
        before = self.s[i - 1]
        if before.isalnum():
            return True
        if before == ".":
            # "x.@key" and ".@key" continue a word; "...@key" is an ellipsis.
            dots = 0
            j = i - 1
            while j >= self.lo and self.s[j] == ".":
                dots += 1
                j -= 1
            return dots % 3 != 0
        return False

    def _spnl(self, i: int, end: int) -> int:
        match = _SPACES.match(self.s, i, end)
        return match.end() if match else i

    def _key_at(self, i: int, end: int) -> _Key | None:
        """citeKey: ``-@key``, ``@key`` or ``@{key}`` starting exactly at ``i``."""
        s = self.s
        if i >= end or self._after_string(i):
            return None
        j = i
        suppress = s[j] == "-"
        if suppress:
            j += 1
        if j >= end or s[j] != "@":
            return None
        at = j
        j += 1
        simple = _SIMPLE_KEY.match(s, j, end)
        if simple:
            return _Key(simple.group(), i, at, simple.end(), suppress, False)
        if j < end and s[j] == "{":
            depth = 0
            k = j
            while k < end:
                ch = s[k]
                if ch.isspace():
                    return None
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        return _Key(self.md[j + 1 : k], i, at, k + 1, suppress, True)
                k += 1
        return None

    def _link_suffix(self, i: int, end: int, consume_label: bool) -> int | None:
        """End of what makes ``[...]`` a link or span: ``(dest)``, ``[label]``, ``{attrs}``."""
        if i >= end:
            return None
        ch = self.s[i]
        if ch == "(":
            return self._destination(i, end)
        if ch == "[" and consume_label:
            if i + 1 < end and self.s[i + 1] == "^":
                return None
            close = self.closes.get(i)
            return close + 1 if close is not None and close < end else None
        if ch == "{":
            attrs = _ATTRIBUTES.match(self.s, i, end)
            return attrs.end() if attrs else None
        return None

    def _destination(self, i: int, end: int) -> int | None:
        """pandoc's link ``source``: ``(url "title")`` with balanced parentheses."""
        s = self.s
        k = self._spnl(i + 1, end)
        if k < end and s[k] == "<":
            close = s.find(">", k, end)
            if close < 0:
                return None
            k = self._spnl(close + 1, end)
        depth = 1
        while k < end:
            ch = s[k]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return k + 1
            elif ch in " \t\r\n":
                nxt = self._spnl(k, end)
                if nxt < end and s[nxt] in "\"'":
                    quote = s[nxt]
                    close = s.find(quote, nxt + 1, end)
                    if close < 0:
                        return None
                    after = self._spnl(close + 1, end)
                    return after + 1 if after < end and s[after] == ")" else None
                k = nxt
                continue
            k += 1
        return None

    # -- inline loops ------------------------------------------------------

    def _inlines(self, pos: int, end: int, found: _Found) -> None:
        """Top level (or link text): find brackets and in-text keys."""
        s = self.s
        while pos < end:
            match = _TOP_SPECIAL.search(s, pos, end)
            if match is None:
                return
            i = match.start()
            if s[i] == "[":
                pos = self._after_bracket(i, end, found)
            else:
                pos = self._textual(i, end, found)

    def _after_bracket(self, i: int, end: int, found: _Found) -> int:
        """Offset after the bracket at ``i``, its citations merged into ``found``; ``i + 1``
        if it is not a bracket pandoc would read."""
        result = self._bracket(i, end)
        if result is None:
            return i + 1
        found.merge(result.found)
        return result.end

    def _scan(self, pos: int, end: int, found: _Found, mode: str, closer: str = "") -> tuple[int, str]:
        """Inlines inside a citation, until what ends ``mode``.

        Returns ``(offset, why)``: why is ``"]"`` or ``";"`` (the character at
        offset), ``"key"`` (prefix mode: a citation key starts at offset),
        ``"close"`` (emphasis mode: its closer starts at offset) or ``"end"``.
        """
        s = self.s
        while pos < end:
            match = _INNER_SPECIAL.search(s, pos, end)
            if match is None:
                return end, "end"
            i = match.start()
            ch = s[i]
            if ch == "[":
                pos = self._after_bracket(i, end, found)
            elif ch == "]":
                if mode in ("prefix", "suffix"):
                    return i, "]"
                pos = i + 1
            elif ch == ";":
                if mode in ("prefix", "suffix"):
                    return i, ";"  # a ';' ends a suffix, and no prefix may hold one
                pos = i + 1
            elif ch in "*_":
                run_end = i
                while run_end < end and s[run_end] == ch:
                    run_end += 1
                if mode == "emph" and ch == closer[0] and self._can_close(i, run_end, end):
                    return i, "close"
                after = self._emphasis(i, run_end, end, found)
                if after is None:  # never closed: pandoc swallows the rest
                    return end, "end"
                pos = after
            else:  # '@' or '-@'
                if mode == "prefix":
                    key = self._key_at(i, end) or (self._key_at(i + 1, end) if ch == "-" else None)
                    if key is not None:
                        return key.start, "key"
                    pos = i + 1
                else:
                    pos = self._textual(i, end, found)
        return end, "end"

    def _can_close(self, i: int, run_end: int, end: int) -> bool:
        # '_' cannot close inside a word ("snake_case").
        if self.s[i] == "_" and run_end < end and self.s[run_end].isalnum():
            return False
        return True

    def _emphasis(self, i: int, run_end: int, end: int, found: _Found) -> int | None:
        """pandoc's ``enclosure``: where an emphasis opened at ``i`` ends.

        ``None`` when it never closes: pandoc then keeps the opener as text
        but has already consumed everything up to the end of the paragraph,
        including any ']' a citation needed.
        """
        s = self.s
        ch = s[i]
        length = run_end - i
        if ch == "_" and self._after_string(i):
            return run_end  # intraword underscore
        if run_end >= end or s[run_end] in " \t\r\n" or length > 3:
            return run_end  # followed by space: a literal '*'
        memo_key = (i, end)
        if memo_key not in self.emphasis_memo:
            if self.depth >= _MAX_DEPTH:
                return run_end
            self.depth += 1
            try:
                self.emphasis_memo[memo_key] = self._emphasis_uncached(i, run_end, end)
            finally:
                self.depth -= 1
        stop, inner = self.emphasis_memo[memo_key]
        if stop is not None:
            found.merge(inner)
        return stop

    def _emphasis_uncached(self, i: int, run_end: int, end: int) -> tuple[int | None, _Found]:
        s = self.s
        ch = s[i]
        length = run_end - i
        inner = _Found()
        pos = run_end
        while True:
            stop, why = self._scan(pos, end, inner, "emph", ch)
            if why != "close":
                return None, inner
            close_end = stop
            while close_end < end and s[close_end] == ch:
                close_end += 1
            run = close_end - stop
            if run == length or run >= 3 or length == 3:
                return stop + length, inner
            # "*a **b** c*" and "**a *b* c**": the other run length nests
            nested = self._emphasis(stop, close_end, end, inner)
            if nested is None:
                return None, inner
            pos = nested

    # -- citations ---------------------------------------------------------

    def _textual(self, i: int, end: int, found: _Found) -> int:
        """textualCite: ``@key``, optionally followed by ``[locator]`` or a citation."""
        key = self._key_at(i, end)
        if key is None:
            return i + 1
        found.bare.append((key.key, key.at))
        after = self._spnl(key.end, end)
        if after < end and self.s[after] == "[":
            result = self._bracket(after, end)
            if result is not None and result.kind == "cite":
                found.merge(result.found)
                return result.end
            located = self._bareloc(after, end)
            if located is not None:
                stop, inner = located
                found.merge(inner)
                return stop
        return key.end

    def _bareloc(self, i: int, end: int) -> tuple[int, _Found] | None:
        """``@key [p. 3; @other]``: a locator, then optionally more citations."""
        memo_key = (i, end)
        if memo_key not in self.bareloc_memo:
            if self.depth >= _MAX_DEPTH:
                self.bareloc_memo[memo_key] = None
            else:
                self.depth += 1
                try:
                    self.bareloc_memo[memo_key] = self._bareloc_uncached(i, end)
                finally:
                    self.depth -= 1
        return self.bareloc_memo[memo_key]

    def _bareloc_uncached(self, i: int, end: int) -> tuple[int, _Found] | None:
        s = self.s
        if i + 1 < end and s[i + 1] == "^":
            return None
        inner = _Found()
        pos, why = self._scan(i + 1, end, inner, "suffix")
        items: list[CiteItem] = []
        if why == ";":
            listed = self._cite_list(self._spnl(pos + 1, end), end)
            if listed is not None:
                pos, items, more = listed
                inner.merge(more)
        pos = self._spnl(pos, end)
        if pos >= end or s[pos] != "]":
            return None
        if pos + 1 < end and s[pos + 1] in "[(":
            return None
        if items:
            inner.blocks.append(CiteBlock(i, pos + 1, tuple(items), self.md[i : pos + 1]))
        return pos + 1, inner

    def _bracket(self, i: int, end: int) -> _Bracket | None:
        """What pandoc makes of a '[': a citation, a link/span/note, or a plain '['."""
        memo_key = (i, end)
        if memo_key in self.memo:
            return self.memo[memo_key]
        if self.depth >= _MAX_DEPTH:
            self.memo[memo_key] = None  # only absurd nesting gets here: read '[' as text
            return None
        self.depth += 1
        try:
            result = self._bracket_uncached(i, end)
        finally:
            self.depth -= 1
        self.memo[memo_key] = result
        return result

    def _bracket_uncached(self, i: int, end: int) -> _Bracket | None:
        s = self.s
        footnote = i + 1 < end and s[i + 1] == "^"
        inline_note = i > self.lo and s[i - 1] == "^"
        if not (footnote or inline_note):
            # Most brackets are plain citations: read those before pairing brackets.
            fast = self._fast_cite(i, end)
            if fast is not None:
                return fast
        close = self.closes.get(i)
        if close is not None and close >= end:
            close = None
        if footnote and close is not None:
            return _Bracket("group", close + 1, _Found())  # footnote reference
        if not inline_note:
            # A fast citation has its closing bracket, so a "[^" skipped above
            # without one could not have been one: only the grammar is left.
            cite = self._normal_cite(i, end)
            if cite is not None:
                return cite
        if close is None:
            start = self._spnl(i + 1, end)
            if not inline_note and (s.startswith("@", start) or s.startswith("-@", start)):
                # "[@key" never closed: the '[' is text, but say so.
                key = self._key_at(start, end)
                stop = key.end if key else start + 1
                return _Bracket("group", i + 1, _Found(bad=[(i, stop, "invalid")]))
            return None
        # A link, bracketed span or plain brackets: the text inside is read as
        # inlines, a destination after it is not text.
        inner = _Found()
        self._inlines(i + 1, close, inner)
        stop = close + 1
        after = self._link_suffix(stop, end, consume_label=False)
        label = self._link_suffix(stop, end, consume_label=True) if after is None else None
        is_link = after is not None or label is not None
        if after is not None:
            stop = after
        elif label is not None:
            # "[text][label]": pandoc reads the label on its own, blind to
            # what follows it ("[x][@key](u)" still cites @key).
            self._inlines(stop, label, inner)
            stop = label
        if not is_link and not inline_note and self._stray_at(i + 1, close, inner):
            inner.bad.append((i, close + 1, "invalid"))
        return _Bracket("group", stop, inner)

    def _stray_at(self, lo: int, hi: int, inner: _Found) -> bool:
        """Plain brackets holding an '@' that is neither an e-mail nor a citation's."""
        cited = [(b.start, b.end) for b in inner.blocks]
        pos = self.s.find("@", lo, hi)
        while pos >= 0:
            if not self._after_string(pos) and not any(a <= pos < b for a, b in cited):
                return True
            pos = self.s.find("@", pos + 1, hi)
        return False

    def _fast_cite(self, i: int, end: int) -> _Bracket | None:
        """The common one-line citation, read by regex; ``None`` means "use the grammar"."""
        match = _FAST_CITE.match(self.s, i, end)
        if match is None:
            return None
        s, t = self.s, self.t
        close = match.end() - 1
        items: list[CiteItem] = []
        start = i + 1
        while True:
            # A key here follows '[', ';' or a space, never a word, so it is
            # always a key (see _key_at); the name is as long as it can be.
            item = _FAST_ITEM_RE.match(s, start, close)
            if item is None or (item.end() < close and s[item.end()] != ";"):
                return None  # not expected, as _FAST_CITE matched: leave it to the grammar
            key_start, key_end = item.span("key")
            stop = item.end()
            items.append(CiteItem(
                key=item["name"], start=item.start("name") - 1, end=key_end,
                suppress_author=s[key_start] == "-",
                prefix=_squash(t[start:key_start]), suffix=_squash(t[key_end:stop]),
            ))
            if stop == close:
                break
            start = stop + 1
        block = CiteBlock(i, close + 1, tuple(items), self.md[i : close + 1])
        return _Bracket("cite", close + 1, _Found(blocks=[block]))

    def _normal_cite(self, i: int, end: int) -> _Bracket | None:
        """normalCite: ``[`` citeList ``]``, not followed by a link's ``(url)``/``[ref]``/``{attrs}``."""
        listed = self._cite_list(self._spnl(i + 1, end), end)
        if listed is None:
            return None
        pos, items, found = listed
        pos = self._spnl(pos, end)
        if pos >= end or self.s[pos] != "]":
            return None
        if self._link_suffix(pos + 1, end, consume_label=True) is not None:
            return None
        found.blocks.append(CiteBlock(i, pos + 1, tuple(items), self.md[i : pos + 1]))
        return _Bracket("cite", pos + 1, found)

    def _cite_list(self, pos: int, end: int) -> tuple[int, list[CiteItem], _Found] | None:
        """citeList: citations separated by ';' (each ';' must be followed by one)."""
        found = _Found()
        items: list[CiteItem] = []
        while True:
            cited = self._citation(pos, end, found)
            if cited is None:
                return None
            item, pos = cited
            items.append(item)
            if pos < end and self.s[pos] == ";":
                pos = self._spnl(pos + 1, end)
                continue
            return pos, items, found

    def _citation(self, pos: int, end: int, found: _Found) -> tuple[CiteItem, int] | None:
        """citation: prefix, key, suffix."""
        inner = _Found()
        stop, why = self._scan(pos, end, inner, "prefix")
        if why == "key":
            key = self._key_at(stop, end)
        elif why == "]":
            # pandoc's prefix also ends by consuming a ']': "[see]@key]"
            key = self._key_at(stop + 1, end)
        else:
            return None
        if key is None:
            return None
        prefix = _squash(self.t[pos : key.start]) if why == "key" else _squash(self.t[pos:stop])
        after, why = self._scan(key.end, end, inner, "suffix")
        if why not in (";", "]"):
            return None
        found.merge(inner)
        item = CiteItem(
            key=key.key,
            start=key.at,
            end=key.end,
            suppress_author=key.suppress,
            braced=key.braced,
            prefix=prefix,
            suffix=_squash(self.t[key.end : after]),
        )
        return item, after
