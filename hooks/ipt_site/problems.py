"""The one problem report shared by every check, printed like a linter does."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem: ``path:line:column: CODE message`` plus a hint.

    ``line`` and ``column`` are 1-based; 0 means "the whole file".
    Field order makes ``sorted()`` give file, then line, then column order.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        if self.column <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def format(self) -> str:
        """``docs/theory.md:12:5: CIT001 unknown citation key … `` and the hint."""
        tag = "" if self.is_error else " (warning)"
        text = f"{self.location()}: {self.code}{tag} {self.message}"
        if self.hint:
            text += f"\n    help: {self.hint}"
        return text


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (toolkit's escapeData): % first, then line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # Property values also escape ':' and ',' (toolkit's escapeProperty).
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command: the problem is annotated on its line in the pull request.

    ``::error file=docs/theory.md,line=12,col=5,title=CIT001::message%0Ahelp: hint``
    """
    properties = [f"file={_escape_property(problem.path)}"]
    if problem.line > 0:
        properties.append(f"line={problem.line}")
        if problem.column > 0:
            properties.append(f"col={problem.column}")
    properties.append(f"title={_escape_property(problem.code)}")
    message = problem.message + (f"\nhelp: {problem.hint}" if problem.hint else "")
    return f"::{problem.severity.value} {','.join(properties)}::{_escape_data(message)}"


def format_report(problems: Iterable[Problem]) -> str:
    """Every problem, sorted by file and line, then a one-line summary."""
    ordered = sorted(problems)
    errors = sum(p.is_error for p in ordered)
    warnings = len(ordered) - errors
    lines = [p.format() for p in ordered]
    lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(lines)


def byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset in UTF-8 ``data``.

    Lines end at \n, \r\n or \r, as editors (and pybtex) count them.
    """
    before = data[:offset]
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    return line, len(before[line_start:].decode("utf-8", errors="replace")) + 1


def utf8_problem(path: str, data: bytes, error: UnicodeDecodeError, code: str, hint: str) -> Problem:
    """A located problem at the first byte of ``data`` that is not UTF-8."""
    line, column = byte_line_col(data, error.start)
    bad = data[error.start]
    return Problem(path, line, column, code,
                   f"file is not valid UTF-8: byte 0x{bad:02X} here"
                   + (" (Latin-1 or Windows-1252 text?)" if bad >= 0x80 else ""), hint)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    starts = _line_starts(text)
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


@functools.lru_cache(maxsize=8)  # checks ask for many offsets in the same text in a row
def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in _NEWLINE.finditer(text)]


_NEWLINE = re.compile("\n")
