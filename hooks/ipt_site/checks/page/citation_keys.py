"""Check a page's citation keys against the bibliography, as located Problems.

Codes:

- CIT001 unknown key (with up to two close suggestions)
- CIT002 key differs only in case from a bibliography key (pandoc's citeproc
  is case-sensitive even though mkdocs-bibtex's lookup is not)
- CIT003 key mkdocs-bibtex cannot render: a character outside letters,
  digits, '-' and '_', or a braced ``@{key}``
- CIT004 bare ``@key`` naming a bibliography entry: pandoc reads it as an
  in-text citation, but this site does not render those
- CIT005 a bracket that looks like a citation but will not render as one
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipt_site.checks.rule import Finding, in_order
from ipt_site.codes import Code
from ipt_site.sources.bib_rules import is_renderable_key
from ipt_site.sources.citation_scan import BadBracket, CiteBlock, CiteItem
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

__all__ = ["KeyIndex", "check"]

_NOT_RENDERABLE = re.compile(r"[^A-Za-z0-9_-]")
_PLUGIN_KEY = re.compile(r"[\w-]+")  # how mkdocs-bibtex reads the text after '@'

_BAD_BRACKET_TEXT = {
    "invalid": (
        "'{raw}' looks like a citation but is not valid citation syntax",
        ("write [@key], [@key, p. 12] or [@key1; @key2]: each ';' must be followed "
         "by a key, and '*' or '_' must be closed inside the brackets"),
    ),
    "nested": (
        "citation '{raw}' is inside another citation's brackets",
        "put the citations side by side in one bracket: [see @key1; @key2]",
    ),
    "definition": (
        ("citation '{raw}' starts a line and is followed by ':', which the site "
         "reads as a link definition"),
        "reword so the line does not start with '{raw}:'",
    ),
}


@dataclass(frozen=True)
class KeyIndex:
    """The bibliography's keys, indexed once per build rather than once per page."""

    known: frozenset[str]
    by_lower: Mapping[str, list[str]]

    @classmethod
    def of(cls, keys: Collection[str]) -> KeyIndex:
        by_lower: dict[str, list[str]] = {}
        for key in sorted(keys):
            by_lower.setdefault(key.lower(), []).append(key)
        return cls(frozenset(keys), by_lower)


def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
    """Problems with the citations of one page, in page order."""
    yield from in_order(_findings(page.body, page.blocks, page.bare_keys, page.bad_brackets, site.keys))


def _findings(
    markdown: str,
    blocks: Sequence[CiteBlock],
    bare_keys: Sequence[tuple[str, int]],
    bad_brackets: Sequence[BadBracket],
    index: KeyIndex,
) -> Iterator[Finding]:
    known, by_lower = index.known, index.by_lower
    for block in blocks:
        for item in block.items:
            yield from _key_findings(item.start, item.key, item.braced, known, by_lower)
            yield from _plugin_reads_more(markdown, item)

    invalid_spans = [(b.start, b.end) for b in bad_brackets if b.reason == "invalid"]
    for bad in bad_brackets:
        message, hint = _BAD_BRACKET_TEXT.get(bad.reason, _BAD_BRACKET_TEXT["invalid"])
        raw = _one_line(bad.raw)
        yield Finding(Code.CIT005, _first_at(markdown, bad), message.format(raw=raw), hint.format(raw=raw))

    for key, offset in bare_keys:
        if key.lower() not in by_lower:
            continue  # "@handle" and the like: not a reference, not our business
        if any(start <= offset < end for start, end in invalid_spans):
            continue  # already reported as CIT005
        written = key if key in known else by_lower[key.lower()][0]
        yield Finding(Code.CIT004, offset, f"bare citation '@{key}' is not rendered on this site",
                      f"write [@{written}], or [-@{written}] after the authors' names")


def _key_findings(
    offset: int, key: str, braced: bool, known: frozenset[str], by_lower: Mapping[str, list[str]]
) -> Iterator[Finding]:
    rename = "rename the key in references.bib and here, using only letters, digits, '-' and '_'"
    if braced:
        yield Finding(Code.CIT003, offset,
                      f"citation key '{key}' is written in braces (@{{...}}), which mkdocs-bibtex cannot read",
                      rename)
    elif not is_renderable_key(key):
        bad = _NOT_RENDERABLE.search(key)
        char = bad.group() if bad else key[:1]
        if char.isalnum():
            message = f"citation key '{key}' contains '{char}', which is not an ASCII letter or digit"
        else:
            message = f"citation key '{key}' contains '{char}', which mkdocs-bibtex drops"
        yield Finding(Code.CIT003, offset, message, rename)

    if key in known:
        return
    same_but_case = by_lower.get(key.lower())
    if same_but_case:
        right = same_but_case[0]
        yield Finding(Code.CIT002, offset, f"citation key '{key}' differs only in case from '{right}'",
                      f"keys are case-sensitive: write '{right}'")
        return
    yield Finding(Code.CIT001, offset, _unknown_message(key, known), "fix the key, or add the entry to references.bib")


def _plugin_reads_more(markdown: str, item: CiteItem) -> Iterator[Finding]:
    """"[@key-]" is 'key' to pandoc but 'key-' to mkdocs-bibtex, which then drops it."""
    if item.braced or not is_renderable_key(item.key):
        return  # already reported as unrenderable
    read = _PLUGIN_KEY.match(markdown, item.start + 1)
    if read is None or read.group() == item.key:
        return
    extra = read.group()[len(item.key) :]
    yield Finding(Code.CIT003, item.start,
                  f"citation key '{item.key}' is followed by '{extra}', which mkdocs-bibtex reads as part of the key",
                  f"put a comma or a space after the key: [@{item.key}, ...]")


def _unknown_message(key: str, known: frozenset[str]) -> str:
    lowered = {k.lower(): k for k in sorted(known)}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=2, cutoff=0.6)
    message = f"unknown citation key '{key}'"
    if close:
        names = " or ".join(f"'{lowered[c]}'" for c in close)
        message += f" — did you mean {names}?"
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _first_at(markdown: str, bad: BadBracket) -> int:
    """Where to point: the bracket's first '@' (or its '[' when it has none)."""
    at = markdown.find("@", bad.start, bad.end)
    return at if at >= 0 else bad.start
