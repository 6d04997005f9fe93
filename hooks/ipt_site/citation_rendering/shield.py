"""Hand mkdocs-bibtex Markdown it cannot mangle, and undo that in the HTML.

mkdocs-bibtex 4.4 takes every one-line ``[...]`` holding an ``@`` for a
citation and replaces its text everywhere on the page.  ``shield()`` changes
the page so that what the plugin captures is exactly the real citations:

- every ``@`` in code, HTML comments and raw HTML tags becomes
  ``PLACEHOLDER``, so code showing ``[@key]`` comes out as written;
- every ``@`` in a one-line ``[...]`` that is not a citation (link text,
  e-mail addresses in brackets) becomes ``PLACEHOLDER``; where that cannot
  work (an e-mail autolink inside the brackets, or a stray ``[`` in front of
  a real citation) the ``[`` becomes ``OPEN_PLACEHOLDER`` instead;
- inside a real citation, brackets and any ``@`` that is not one of its keys
  are replaced too, so the plugin's regex stops at the right ``]`` and reads
  only the real keys;
- a real citation written over several lines is joined onto one line.

``unshield()`` turns the placeholders back in the rendered HTML.  E-mail
autolinks (``<me@example.com>``) are never changed: Python-Markdown encodes
them character by character, and a placeholder there would break the link.

The placeholders are private-use characters no page uses; a page that did
would see them turned into '@', '[' and ']'.  ``shield()`` joins wrapped
citations onto one line, so line numbers after one shift by the lines joined.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from ipt_site.sources.citation_scan import AUTOLINK_EMAIL, CiteBlock

__all__ = [
    "CLOSE_PLACEHOLDER",
    "OPEN_PLACEHOLDER",
    "PLACEHOLDER",
    "plugin_citation_spans",
    "plugin_keys",
    "shield",
    "unshield",
]

PLACEHOLDER = "\uE040"  # private-use char standing in for '@' that must not reach mkdocs-bibtex
OPEN_PLACEHOLDER = "\uE041"  # stands in for '[' the plugin must not start a citation at
CLOSE_PLACEHOLDER = "\uE042"  # stands in for ']' inside a real citation

# mkdocs-bibtex 4.4's own patterns (mkdocs_bibtex/citation.py), copied so this
# module can predict what the plugin will capture without importing it; a
# test checks they still equal the installed plugin's.
PLUGIN_BLOCK_REGEX = re.compile(r"\[(.*?)\]")
PLUGIN_CITATION_REGEX = re.compile(r"(?:(?P<prefix>[^@;]*?)\s*)?@(?P<key>[\w-]+)(?:,\s*(?P<suffix>[^;]+))?")
PLUGIN_EMAIL_REGEX = re.compile(r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}")

# A line break inside a citation, with the indentation and blockquote markers
# of the next line: all of it becomes one space.
_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t>]*")
_RESTORE = str.maketrans({PLACEHOLDER: "@", OPEN_PLACEHOLDER: "[", CLOSE_PLACEHOLDER: "]"})
# The same characters as numeric character references, in case a renderer
# encoded them (Python-Markdown's e-mail obfuscation does this).
_RESTORE_ENTITY = re.compile(r"&#(?:0*(5740[89]|57410)|[xX]0*([eE]04[0-2]));")
_ENTITY_CHAR = {0xE040: "@", 0xE041: "[", 0xE042: "]"}


def plugin_keys(content: str) -> list[str]:
    """The keys mkdocs-bibtex reads from the text between one ``[`` and ``]``.

    Mirrors ``Citation.from_markdown``: split on ';', drop pieces that start
    like an e-mail address, take the first ``@key`` of each piece.
    """
    keys: list[str] = []
    for piece in content.split(";"):
        if PLUGIN_EMAIL_REGEX.match(piece):
            continue
        match = PLUGIN_CITATION_REGEX.match(piece)
        if match:
            keys.append(match.group("key"))
    return keys


def plugin_citation_spans(markdown: str) -> list[tuple[int, int, list[str]]]:
    """``(start, end, keys)`` of every block mkdocs-bibtex would take for a citation."""
    spans = []
    for match in PLUGIN_BLOCK_REGEX.finditer(markdown):
        keys = plugin_keys(match.group(1))
        if keys:
            spans.append((match.start(), match.end(), keys))
    return spans


def shield(markdown: str, blocks: Sequence[CiteBlock], code_ranges: Sequence[tuple[int, int]]) -> str:
    """The page as mkdocs-bibtex should see it: only real citations look like citations.

    ``blocks`` and ``code_ranges`` are ``find_citations(markdown)`` and
    ``find_code_ranges(markdown)``.  Offsets that do not fit the text are
    ignored rather than trusted.
    """
    size = len(markdown)
    chars = list(markdown)
    outer = _outermost(b for b in blocks if 0 <= b.start < b.end <= size and markdown[b.start] == "[")

    # (a) '@' in code, comments and raw HTML.
    for start, end in code_ranges:
        start, end = max(start, 0), min(end, size)
        at = markdown.find("@", start, end)
        while at >= 0:
            chars[at] = PLACEHOLDER
            at = markdown.find("@", at + 1, end)

    # Inside real citations: only their own keys and outer brackets stay.
    deleted: list[tuple[int, int]] = []  # (offset, how many characters removed after it)
    for block in outer:
        keys = {item.start for item in block.items}
        for pos in range(block.start + 1, block.end - 1):
            ch = markdown[pos]
            if ch == "@" and pos not in keys:
                chars[pos] = PLACEHOLDER
            elif ch == "[":
                chars[pos] = OPEN_PLACEHOLDER
            elif ch == "]":
                chars[pos] = CLOSE_PLACEHOLDER
        if block.multiline:
            # (c) one line, so the plugin's one-line regex sees it.
            for brk in _LINE_BREAK.finditer(markdown, block.start, block.end - 1):
                chars[brk.start()] = " "
                for pos in range(brk.start() + 1, brk.end()):
                    chars[pos] = ""
                deleted.append((brk.start(), brk.end() - brk.start() - 1))

    text = "".join(chars)
    moved = _offset_mapper(deleted)
    real = {(moved(b.start), moved(b.end - 1) + 1) for b in outer}
    return _fix_plugin_spans(text, real)


def unshield(html: str) -> str:
    """Turn the placeholders back into '@', '[' and ']' in rendered HTML."""
    if "&#" in html:
        html = _RESTORE_ENTITY.sub(_entity_char, html)
    return html.translate(_RESTORE)


def _entity_char(match: re.Match[str]) -> str:
    decimal, hexadecimal = match.groups()
    return _ENTITY_CHAR[int(decimal) if decimal else int(hexadecimal, 16)]


def _outermost(blocks: Iterable[CiteBlock]) -> list[CiteBlock]:
    """Blocks not inside another block (nested ones are reported elsewhere)."""
    result: list[CiteBlock] = []
    for block in sorted(blocks, key=lambda b: (b.start, -b.end)):
        if result and block.start < result[-1].end:
            continue
        result.append(block)
    return result


def _offset_mapper(deleted: list[tuple[int, int]]) -> Callable[[int], int]:
    """Maps an offset in the original text to the text after deletions."""
    deleted.sort()
    points = [at for at, _ in deleted]
    totals: list[int] = []
    running = 0
    for _, count in deleted:
        running += count
        totals.append(running)

    def moved(offset: int) -> int:
        index = bisect_right(points, offset - 1)
        return offset - (totals[index - 1] if index else 0)

    return moved


def _fix_plugin_spans(text: str, real: set[tuple[int, int]]) -> str:
    """Neutralise every span the plugin would capture that is not a real citation.

    (b) of the module docstring; the plugin's regex only looks at '[' and
    ']', so changing ``[`` at a span's start and re-searching from the next
    character simulates the plugin on the changed text exactly.
    """
    chars = list(text)
    real_starts = sorted(start for start, _ in real)
    pos = 0
    while True:
        match = PLUGIN_BLOCK_REGEX.search(text, pos)
        if match is None:
            break
        start, end = match.span()
        if (start, end) in real:
            pos = end
            continue
        index = bisect_right(real_starts, start)
        if index < len(real_starts) and real_starts[index] < end:
            # A stray '[' whose span would swallow a real citation's '['.
            chars[start] = OPEN_PLACEHOLDER
            pos = start + 1
            continue
        content = "".join(chars[start + 1 : end - 1])
        if plugin_keys(content):
            protected = {
                at
                for link in AUTOLINK_EMAIL.finditer(text, start, end)
                for at in range(link.start(), link.end())
                if text[at] == "@"
            }
            for at in range(start + 1, end - 1):
                if chars[at] == "@" and at not in protected:
                    chars[at] = PLACEHOLDER
            if plugin_keys("".join(chars[start + 1 : end - 1])):
                chars[start] = OPEN_PLACEHOLDER  # only the autolink's '@' is left
                pos = start + 1
                continue
        pos = end
    return "".join(chars)
