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
from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

from ipt_site.sources.bib_rules import is_renderable_key
from ipt_site.sources.citation_scan import BadBracket, CiteBlock, CiteItem, find_bad_brackets, find_bare_keys
from ipt_site.problems import Problem, Severity, line_col

__all__ = ["KeyIndex", "check_citation_keys"]

_NOT_RENDERABLE = re.compile(r"[^A-Za-z0-9_-]")
_PLUGIN_KEY = re.compile(r"[\w-]+")  # how mkdocs-bibtex reads the text after '@'

_BAD_BRACKET_TEXT = {
    "invalid": (
        "'{raw}' looks like a citation but is not valid citation syntax",
        "write [@key], [@key, p. 12] or [@key1; @key2]: each ';' must be followed "
        "by a key, and '*' or '_' must be closed inside the brackets",
    ),
    "nested": (
        "citation '{raw}' is inside another citation's brackets",
        "put the citations side by side in one bracket: [see @key1; @key2]",
    ),
    "definition": (
        "citation '{raw}' starts a line and is followed by ':', which the site "
        "reads as a link definition",
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


def check_citation_keys(
    path: str,
    markdown: str,
    blocks: Sequence[CiteBlock],
    keys: Collection[str] | KeyIndex,
    line_offset: int = 0,
    *,
    bare_keys: Sequence[tuple[str, int]] | None = None,
    bad_brackets: Sequence[BadBracket] | None = None,
) -> list[Problem]:
    """Problems with the citations of one page.

    ``blocks`` is ``find_citations(markdown)``; ``keys`` the bibliography's
    keys.  ``line_offset`` is the number of front-matter lines removed above
    ``markdown``.  ``bare_keys`` and ``bad_brackets`` default to a scan of
    ``markdown``; pass them when already at hand.
    """
    index = keys if isinstance(keys, KeyIndex) else KeyIndex.of(keys)
    known, by_lower = index.known, index.by_lower
    if bare_keys is None:
        bare_keys = find_bare_keys(markdown)
    if bad_brackets is None:
        bad_brackets = find_bad_brackets(markdown)

    def at(offset: int) -> tuple[int, int]:
        line, column = line_col(markdown, offset)
        return line + line_offset, column

    problems: list[Problem] = []
    for block in blocks:
        for item in block.items:
            line, column = at(item.start)
            problems.extend(_key_problems(path, line, column, item.key, item.braced, known, by_lower))
            problems.extend(_plugin_reads_more(path, line, column, markdown, item))

    invalid_spans = [(b.start, b.end) for b in bad_brackets if b.reason == "invalid"]
    for bad in bad_brackets:
        message, hint = _BAD_BRACKET_TEXT.get(bad.reason, _BAD_BRACKET_TEXT["invalid"])
        raw = _one_line(bad.raw)
        line, column = at(_first_at(markdown, bad))
        problems.append(Problem(path, line, column, "CIT005", message.format(raw=raw), hint.format(raw=raw)))

    for key, offset in bare_keys:
        if key.lower() not in by_lower:
            continue  # "@handle" and the like: not a reference, not our business
        if any(start <= offset < end for start, end in invalid_spans):
            continue  # already reported as CIT005
        line, column = at(offset)
        written = key if key in known else by_lower[key.lower()][0]
        problems.append(
            Problem(
                path,
                line,
                column,
                "CIT004",
                f"bare citation '@{key}' is not rendered on this site",
                f"write [@{written}], or [-@{written}] after the authors' names",
                Severity.ERROR,
            )
        )
    return sorted(problems)


def _key_problems(
    path: str,
    line: int,
    column: int,
    key: str,
    braced: bool,
    known: frozenset[str],
    by_lower: dict[str, list[str]],
) -> list[Problem]:
    problems: list[Problem] = []
    rename = "rename the key in references.bib and here, using only letters, digits, '-' and '_'"
    if braced:
        problems.append(
            Problem(
                path,
                line,
                column,
                "CIT003",
                f"citation key '{key}' is written in braces (@{{...}}), which mkdocs-bibtex cannot read",
                rename,
            )
        )
    elif not is_renderable_key(key):
        bad = _NOT_RENDERABLE.search(key)
        char = bad.group() if bad else key[:1]
        if char.isalnum():
            message = f"citation key '{key}' contains '{char}', which is not an ASCII letter or digit"
        else:
            message = f"citation key '{key}' contains '{char}', which mkdocs-bibtex drops"
        problems.append(Problem(path, line, column, "CIT003", message, rename))

    if key in known:
        return problems
    same_but_case = by_lower.get(key.lower())
    if same_but_case:
        right = same_but_case[0]
        problems.append(
            Problem(
                path,
                line,
                column,
                "CIT002",
                f"citation key '{key}' differs only in case from '{right}'",
                f"keys are case-sensitive: write '{right}'",
            )
        )
        return problems
    problems.append(
        Problem(
            path,
            line,
            column,
            "CIT001",
            _unknown_message(key, known),
            "fix the key, or add the entry to references.bib",
        )
    )
    return problems


def _plugin_reads_more(path: str, line: int, column: int, markdown: str, item: CiteItem) -> list[Problem]:
    """"[@key-]" is 'key' to pandoc but 'key-' to mkdocs-bibtex, which then drops it."""
    if item.braced or not is_renderable_key(item.key):
        return []  # already reported as unrenderable
    read = _PLUGIN_KEY.match(markdown, item.start + 1)
    if read is None or read.group() == item.key:
        return []
    extra = read.group()[len(item.key) :]
    return [
        Problem(
            path,
            line,
            column,
            "CIT003",
            f"citation key '{item.key}' is followed by '{extra}', which mkdocs-bibtex reads as part of the key",
            f"put a comma or a space after the key: [@{item.key}, ...]",
        )
    ]


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
