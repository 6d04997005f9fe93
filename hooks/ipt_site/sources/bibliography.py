"""Read references.bib the way mkdocs-bibtex does, and say exactly where it is wrong.

mkdocs-bibtex hands the file to pybtex in strict mode, so the first syntax
error, undefined @string, duplicate field or duplicate key (keys are
case-insensitive there) stops the build with a bare traceback.  Here the same pybtex
parser runs with its errors collected instead, every one becomes a located
Problem, and parsing carries on so one run reports the whole file.

pybtex keeps no positions, so a thin subclass of its scanner records where
each command and each field name starts.  For speed on big files, plain
entries are read in a few regex steps that yield exactly pybtex's tokens, and
fields and names are stored as pybtex's Parser stores them, without building
its Entry objects (tests/test_fast_paths.py compares both ways).  Everything
else is pybtex's code.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import digits
from typing import Any

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import (
    NAME_CHARS,
    LowLevelParser,
    Parser,
    SkipEntry,
    UndefinedMacro,
)
from pybtex.richtext import Text
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired
from pybtex.textutils import normalize_whitespace

from ipt_site.codes import Code
from ipt_site.problems import Problem, Severity, line_col, utf8_problem
from ipt_site.sources import bib_rules

__all__ = [
    "BibEntry",
    "Bibliography",
    "load_bibliography",
    "parse_bibliography",
    "unused_entry_problems",
]


@dataclass(frozen=True)
class BibEntry:
    key: str
    entry_type: str  # lower case, as written (``phdthesis`` stays ``phdthesis``)
    line: int  # line of the ``@``
    fields: Mapping[str, str]  # lower-case names; includes author/editor and crossref-inherited fields
    authors: tuple[str, ...]  # last names with von part ('van Oppen'), in order, without 'others'
    has_others: bool  # 'and others': the list is truncated, so "et al." is always right
    year: str | None


@dataclass
class Bibliography:
    path: str
    entries: dict[str, BibEntry]  # first definition of each key, in file order
    problems: list[Problem]
    data: bytes | None = None  # the file as read; None when it could not be read


# --- decoding -----------------------------------------------------------------

def _decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """UTF-8 text with newlines normalised; a BIB006 at the first bad byte if any."""
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a BOM is invisible in editors; dropping it keeps columns honest
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")  # carry on checking the rest
        problems.append(utf8_problem(
            path, data, error, Code.BIB006.name,
            f"re-save {path} as UTF-8 (pybtex and mkdocs-bibtex read it as UTF-8)"))
    # pybtex counts \r, \r\n and \n as line breaks; so do editors.  One form keeps
    # offsets, lines and columns in step.
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


# --- pybtex, with positions -----------------------------------------------------

# A command that starts a line: where parsing resumes after a syntax error.
_COMMAND_START_RE = re.compile(r"^[ \t]*@", re.MULTILINE)
_ENTRY_HEAD_RE = re.compile(r"@\s*[^\s{(]*\s*[{(]\s*")


@dataclass
class _Command:
    """One ``@...`` command as pybtex's scanner saw it, with offsets into the text."""

    start: int
    name: str
    key: str | None
    fields: list[tuple[str, list[str]]]
    field_starts: list[tuple[str, int]]
    errors: list[tuple[Exception, int]]
    broken: bool
    undefined_in: set[str]  # fields whose value used an undefined @string


class _Scanner(LowLevelParser):
    """pybtex's BibTeX scanner, also recording offsets and resuming sensibly.

    After a syntax error pybtex resumes at the next ``@`` anywhere, which after
    an unclosed brace may lie many entries later (they vanish) or inside a URL
    (a cascade of bogus errors).  Resuming at the next line that starts with
    ``@`` loses neither.  Files without errors parse exactly as in pybtex.
    """

    text: str  # pybtex's Scanner declares it None at class level, then sets it in __init__
    command_start: int

    def __init__(self, text: str, macros: Any) -> None:
        super().__init__(text, macros=macros)
        self.field_starts: list[tuple[str, int]] = []
        self.errors: list[tuple[Exception, int]] = []
        self.broken = False
        self.undefined_in: set[str] = set()

    def handle_error(self, error: Exception) -> None:
        offset = self.pos
        if isinstance(error, PybtexSyntaxError):
            offset = error.error_context_info[-1]
        self.errors.append((error, offset))
        if isinstance(error, UndefinedMacro):
            # pybtex reads it as "", but the field is there: not "missing" too.
            self.undefined_in.add((self.current_field_name or "").lower())
        else:
            self.broken = True

    def parse_field(self) -> None:
        # pybtex's parse_field, plus noting where the field name starts.
        name = self.optional([self.NAME])
        if not name:
            return
        self.current_field_name = name.value
        self.field_starts.append((name.value, self.pos - len(name.value)))
        self.required([self.EQUALS])
        self.parse_value()

    def commands(self) -> Iterator[_Command]:
        # pybtex's parse_bibliography loop, yielding positions and errors too.
        while self.skip_to([self.AT]):
            self.command_start = self.pos - 1
            plain = self._plain_entry()
            if plain is not None:
                yield plain
                continue
            self.field_starts, self.errors, self.broken, self.undefined_in = [], [], False, set()
            result: tuple[Any, ...] | None = None
            try:
                result = tuple(self.parse_command())
            except PybtexSyntaxError as error:
                self.handle_error(error)
            except SkipEntry:
                pass  # @comment
            name, key, fields = "", None, []
            if result is not None:
                name = result[0]
                if name.lower() not in ("string", "preamble"):
                    key, fields = result[1]
            yield _Command(self.command_start, name, key, fields,
                           self.field_starts, self.errors, self.broken, self.undefined_in)
            if self.broken:
                self._resume_after(self.command_start)

    def _plain_entry(self) -> _Command | None:
        """The entry after the ``@`` at ``self.pos``, read in a few regex steps; None leaves it to pybtex.

        Hand-written because pybtex's scanner makes a Python object for every
        token, which is most of the time a big file takes.  Only the plain shape
        ``@type{key, name = part # part, ...}`` is read here, with parts in
        braces, in quotes, digits or a defined @string: the same tokens pybtex
        reads, giving the same fields (tests/test_fast_paths.py compares the
        two on generated entries).  Anything
        else, including every syntax error, goes to pybtex's scanner.
        """
        text = self.text
        head = _PLAIN_HEAD_RE.match(text, self.pos)
        if head is None or head["type"].lower() in ("string", "preamble", "comment"):
            return None
        fields: list[tuple[str, list[str]]] = []
        starts: list[tuple[str, int]] = []
        pos = head.end()
        while (found := _PLAIN_FIELD_RE.match(text, pos)) is not None:
            if found["more"] or found["name"] is not None:
                parts = self._plain_parts(found.start("value"), found.end())
                if parts is None:
                    return None  # an undefined @string: pybtex reports it
            else:  # one part, as written: the usual field
                parts = [_written_part(found)]
            fields.append((found["field"], parts))
            starts.append((found["field"], found.start("field")))
            pos = found.end()
        tail = _PLAIN_TAIL_RE.match(text, pos)
        if tail is None:
            return None
        self.update_lineno(text[self.pos:tail.end()])
        self.pos = tail.end()
        return _Command(self.command_start, head["type"], head["key"], fields, starts, [], False, set())

    def _plain_parts(self, pos: int, end: int) -> list[str] | None:
        """A value's parts as pybtex's parse_value gives them (braces and quotes off, @strings in)."""
        parts: list[str] = []
        while pos < end:
            part = _PLAIN_PART_RE.match(self.text, pos, end)
            assert part is not None  # _PLAIN_FIELD_RE matched these parts already
            if part["name"] is not None:
                if part["name"] not in self.macros:
                    return None
                parts.append(self.macros[part["name"]])
            else:
                parts.append(_written_part(part))
            pos = part.end()
        return parts

    def _resume_after(self, start: int) -> None:
        next_command = _COMMAND_START_RE.search(self.text, start + 1)
        self.pos = next_command.start() if next_command else self.end_pos


# The plain entry shape _Scanner._plain_entry reads, token for token as pybtex's
# LowLevelParser does: whitespace (\s, as pybtex) may surround every token, and
# possessive quantifiers make each token as long as pybtex's greedy match.
_NAME = f"[{re.escape(NAME_CHARS)}][{re.escape(NAME_CHARS + digits)}]*+"


def _balanced(depth: int) -> str:
    """Text with braces nested at most ``depth`` deep (a BibTeX value's inside)."""
    if depth == 0:
        return r"[^{}]*+"
    return rf"(?:[^{{}}]++|\{{{_balanced(depth - 1)}\}})*+"


def _part(named: bool) -> str:
    """One part of a value: {braced}, "quoted", digits or an @string name."""

    def group(name: str) -> str:
        return f"?P<{name}>" if named else "?:"

    return (rf"\{{({group('braced')}{_balanced(3)})\}}"
            rf"|\"({group('quoted')}(?:[^\"{{}}]++|\{{{_balanced(2)}\}})*+)\""
            rf"|({group('number')}[0-9]++)"
            rf"|({group('name')}{_NAME})")


_PLAIN_HEAD_RE = re.compile(rf"\s*+(?P<type>{_NAME})\s*+\{{\s*+(?P<key>[^\s,}}]++)")
_PLAIN_FIELD_RE = re.compile(
    rf"\s*+,\s*+(?P<field>{_NAME})\s*+=\s*+"
    rf"(?P<value>(?:{_part(True)})(?P<more>(?:\s*+\#\s*+(?:{_part(False)}))*+))"
)
_PLAIN_PART_RE = re.compile(rf"(?:\s*+\#\s*+)?(?:{_part(True)})")
_PLAIN_TAIL_RE = re.compile(r"\s*+,?\s*+\}")


def _written_part(part: re.Match[str]) -> str:
    """The text of a braced, quoted or numeric part matched by ``_part(True)``."""
    for group in ("braced", "quoted"):
        if part[group] is not None:
            return part[group]
    return part["number"]


# ``name =`` inside a field's value: the value ran on over the fields after it.
_FIELD_INSIDE_VALUE_RE = re.compile(r"[\n,]\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]")


def _swallowing_field(command: _Command) -> tuple[str, int] | None:
    starts = dict(command.field_starts)
    for name, parts in command.fields:
        if _FIELD_INSIDE_VALUE_RE.search("".join(parts)):
            return name, starts.get(name, command.start)
    return None


def _plain(latex: str) -> str:
    """A name part as it renders: LaTeX accents decoded, braces gone."""
    if latex.isalpha():
        return latex  # letters are themselves in LaTeX (a test checks every one): skip the slow reader
    try:
        return str(Text.from_latex(latex))
    except Exception:  # noqa: BLE001 - pybtex's LaTeX reader is strict; never let a name stop us
        return latex.replace("{", "").replace("}", "")


@dataclass(frozen=True)
class _Name:
    """What the checks read of a pybtex Person: its von and last names, and how it prints."""

    prelast_names: tuple[str, ...]
    last_names: tuple[str, ...]
    text: str  # str(Person): "von Last, Jr, First Middle"

    def __str__(self) -> str:
        return self.text

    @classmethod
    def of(cls, person: Person) -> _Name:
        return cls(tuple(person.prelast_names), tuple(person.last_names), str(person))


def _last_name(person: _Name) -> str:
    return " ".join(_plain(part) for part in person.prelast_names + person.last_names).strip()


# "von Last, First Middle" in plain words (no braces, escapes, ties or more
# commas): almost every name in a bibliography.
_NAME_WORD = r"[^\s,{}\\~]+"
_PLAIN_NAME_RE = re.compile(rf"({_NAME_WORD}(?: {_NAME_WORD})*), ({_NAME_WORD}(?: {_NAME_WORD})*)")


def _plain_name(name: str) -> _Name | None:
    """pybtex's reading of a plain "von Last, First Middle" name; None for any other shape.

    Hand-written because pybtex's Person takes longer than everything else
    per entry.  As in its Person._parse_string: the words before the comma
    are von and last names, the von part running up to the last word (but
    not the final one) that starts with a lower-case letter.  A word that
    starts with neither case makes pybtex look further: left to pybtex.
    tests/test_fast_paths.py compares the two.
    """
    match = _PLAIN_NAME_RE.fullmatch(name.strip())
    if match is None:
        return None
    words = match[1].split(" ")
    von_end = 0
    for index, word in enumerate(words[:-1]):
        if word[0].islower():
            von_end = index + 1
        elif not word[0].isupper():
            return None
    return _Name(tuple(words[:von_end]), tuple(words[von_end:]), f"{match[1]}, {match[2]}")


# --- the checker ------------------------------------------------------------------

@dataclass
class _Raw:
    """An entry before crossref inheritance, with what is needed to locate its problems."""

    key: str
    entry_type: str
    start: int
    key_offset: int
    fields: dict[str, str]
    field_offsets: dict[str, int]
    persons: dict[str, list[_Name]]
    broken: bool
    undefined_in: set[str]


def _entry_fields(fields: list[tuple[str, list[str]]]) -> dict[str, str]:
    """The fields pybtex's Parser.process_entry stores for an entry, person fields included.

    The first of each name (case-insensitively; a repeat is BIB008), its
    parts joined and whitespace normalised, under the name as first written.
    Done here rather than by process_entry, which builds a pybtex Entry and
    BibliographyData per entry that nothing here reads (the tests compare the two).
    """
    stored: dict[str, str] = {}
    seen: set[str] = set()
    for name, parts in fields:
        lowered = name.lower()
        if lowered not in seen:
            seen.add(lowered)
            stored[name] = normalize_whitespace("".join(parts))
    return stored


# pybtex's person fields, split into names by the checker (see _Names).
_PERSON_FIELDS = tuple(role.lower() for role in Person.valid_roles)


class _Names:
    """Person fields split and parsed as pybtex's Parser does, each distinct name once.

    ``author`` and ``editor`` (whitespace-normalised text, see _entry_fields)
    are split with pybtex's own split_name_list and each name parsed by
    pybtex's Person (or _plain_name, for the plain shape), in field order, as
    its process_entry would.  The same people write many works, and a name's
    reading depends only on its string, so a repeated name reuses the first
    reading and reports its errors again.
    """

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[_Name, list[Exception]]] = {}

    def persons(self, fields: Mapping[str, str], captured: list[Exception]) -> dict[str, list[_Name]]:
        """Role (lower case) → people, for the person fields among ``fields``."""
        persons: dict[str, list[_Name]] = {}
        for name, value in fields.items():
            role = name.lower()
            if role in _PERSON_FIELDS:
                people = [self._person(one, captured) for one in split_name_list(value)]
                if people:
                    persons.setdefault(role, []).extend(people)
        return persons

    def _person(self, name: str, captured: list[Exception]) -> _Name:
        cached = self._parsed.get(name)
        if cached is None:
            plain = _plain_name(name)
            if plain is not None:
                cached = (plain, [])  # pybtex reports nothing for this shape
            else:
                before = len(captured)  # pybtex reports name errors into the capture list
                cached = (_Name.of(Person(name)), captured[before:])
            self._parsed[name] = cached
        else:
            captured.extend(cached[1])
        return cached[0]


@dataclass
class _Checker:
    path: str
    text: str
    problems: list[Problem] = field(default_factory=list)
    names: _Names = field(default_factory=_Names)

    def report(self, offset: int, code: str, message: str, hint: str,
               severity: Severity = Severity.ERROR) -> None:
        line, column = line_col(self.text, max(0, min(offset, len(self.text))))
        self.problems.append(Problem(self.path, line, column, code, message, hint, severity))

    def syntax_error(self, command: _Command, error: Exception, offset: int) -> None:
        where = f" in entry '{command.key}'" if command.key else ""
        if isinstance(error, UndefinedMacro):
            name = str(error.args[0])
            self.report(offset - len(name), Code.BIB007.name,
                        f"undefined @string macro '{name}'{where}",
                        f"define it with @string{{{name} = {{...}}}} before this entry, "
                        "or put the value in braces")
            return
        line_start = self.text.rfind("\n", 0, command.start) + 1
        if "%" in self.text[line_start:command.start] and not command.key:
            # BibTeX has no comments: text outside entries is skipped, but not an '@'.
            self.report(command.start, Code.BIB001.name,
                        "'@' in a %-comment starts a BibTeX command, which then fails",
                        "remove the '@' from the comment (pybtex reads every '@' outside entries)")
            return
        # Where the next entry starts: an error past it means this entry swallowed it.
        following = _COMMAND_START_RE.search(self.text, command.start + 1)
        boundary = following.end() - 1 if following else len(self.text)
        expected = str(error.args[0]) if isinstance(error, TokenRequired) else ""
        if isinstance(error, PrematureEOF) or (expected and offset >= boundary):
            self.unclosed(command, error, offset, boundary)
            return
        if isinstance(error, TokenRequired):
            hint = "fix the BibTeX syntax here; pybtex skips the rest of this entry"
            if expected.startswith(("'}'", "')'")) and self.text[offset:offset + 1].isalpha():
                hint = "a comma is probably missing at the end of the previous field"
            elif expected == "entry key expected":
                hint = "give the entry a key: @type{key, ..."
            self.report(offset, Code.BIB001.name, f"BibTeX syntax error{where}: {expected}", hint)
        elif isinstance(error, PybtexSyntaxError):
            message = str(error.args[0])
            at = offset - 1 if message == "unbalanced braces" else offset
            self.report(at, Code.BIB001.name, f"BibTeX syntax error{where}: {message}",
                        "balance the braces and quotes in this field")
        else:  # anything else pybtex objects to
            self.report(command.start, Code.BIB001.name, f"BibTeX error{where}: {error}",
                        "fix this entry so pybtex can read it")

    def unclosed(self, command: _Command, error: Exception, offset: int, boundary: int) -> None:
        """An error at the end of the text or past the next entry: something never closed."""
        where = f" in entry '{command.key}'" if command.key else ""
        premature = isinstance(error, PrematureEOF)
        expected = "" if premature else str(error.args[0])
        swallower = _swallowing_field(command)
        if swallower:
            name, at = swallower
            self.report(at, Code.BIB001.name,
                        f"unbalanced braces{where}: field '{name}' is never closed, "
                        "so it swallows the fields after it",
                        f"close the '{{' (or '\"') that opens the value of '{name}'")
            return
        before = [(n, at) for n, at in command.field_starts if at < boundary]
        if premature and offset < len(self.text) and before:
            # pybtex was inside a value when the text ran out.
            name, at = before[-1]
            self.report(at, Code.BIB001.name,
                        f"unbalanced braces{where}: a '{{' or '\"' in field '{name}' is never closed",
                        "close every '{' and '\"' in this entry")
        elif premature or (offset == boundary and expected in ("'}' expected", "')' expected")):
            # The entry's own closing brace is missing: point after its last text.
            self.report(len(self.text[:min(offset, boundary)].rstrip()), Code.BIB001.name,
                        f"BibTeX syntax error{where}: the entry is not closed",
                        "end the entry with '}' before the next one starts")
        elif offset > boundary and before:
            name, at = before[-1]
            self.report(at, Code.BIB001.name,
                        f"unbalanced braces{where}: a '{{' or '\"' in field '{name}' is never "
                        "closed and runs on into the next entry",
                        "close every '{' and '\"' in this entry and end it with '}'")
        else:  # whatever went wrong, it went wrong in this command, not the next one
            self.report(command.start, Code.BIB001.name,
                        f"BibTeX syntax error{where}: {expected or error} (this '@' does not start "
                        "a complete entry)",
                        "write entries as @type{key, field = {value}, ...}")

    def build(self, command: _Command) -> _Raw | None:
        """The entry pybtex's Parser makes of the command (names split as mkdocs-bibtex will)."""
        if command.key is None:
            return None
        head = _ENTRY_HEAD_RE.match(self.text, command.start)
        key_offset = head.end() if head else command.start
        field_offsets: dict[str, int] = {}
        for name, offset in command.field_starts:
            lowered = name.lower()
            if lowered in field_offsets:
                first_line = line_col(self.text, field_offsets[lowered])[0]
                self.report(offset, Code.BIB008.name,
                            f"duplicate field '{lowered}' in entry '{command.key}' "
                            f"(first at line {first_line})",
                            "delete one of them (pybtex stops on a repeated field)")
            else:
                field_offsets[lowered] = offset
        written = _entry_fields(command.fields)
        persons: dict[str, list[_Name]] | None = None
        with pybtex.errors.capture() as captured:
            try:
                persons = self.names.persons(written, captured)
            except Exception as error:  # noqa: BLE001 - pybtex is not meant to raise here; never let it stop us
                captured.append(error)
        for complaint in captured:
            at = field_offsets.get("author", command.start)
            self.report(at, Code.BIB001.name, f"entry '{command.key}': {complaint}",
                        "fix the names: 'Last, First and Last, First'")
        if persons is None:
            return None
        fields = {name.lower(): value for name, value in written.items()
                  if name.lower() not in _PERSON_FIELDS}
        for role, people in persons.items():
            fields.setdefault(role, " and ".join(str(p) for p in people))
        return _Raw(command.key, command.name.lower(), command.start, key_offset, fields,
                    field_offsets, persons, command.broken, command.undefined_in)

    def check_entry(self, raw: _Raw, fields: Mapping[str, str], parent_missing: str | None) -> None:
        if not bib_rules.is_renderable_key(raw.key):
            suggestion = bib_rules.renderable_key_like(raw.key)
            self.report(raw.key_offset, Code.BIB010.name,
                        f"entry key '{raw.key}' cannot be cited: mkdocs-bibtex keys may only "
                        "contain letters, digits, '-' and '_'",
                        f"rename it, e.g. '{suggestion}', and update the pages that cite it")
        if raw.broken:
            return  # its syntax error is reported; the fields are whatever pybtex salvaged
        # A field set from an undefined @string is reported as BIB007, not as missing.
        written = dict(fields)
        for name in raw.undefined_in:
            written[name] = written.get(name, "").strip() or "?"
        missing = bib_rules.missing_fields(raw.entry_type, written)
        if missing:
            names = ", ".join(missing)
            plural = "s" if len(missing) > 1 else ""
            note = f" (its crossref '{parent_missing}' is not defined)" if parent_missing else ""
            self.report(raw.start, Code.BIB003.name,
                        f"@{raw.entry_type} '{raw.key}' is missing required field{plural}: {names}{note}",
                        f"add {names} (biblatex's data model requires {'them' if plural else 'it'} "
                        f"for @{bib_rules.canonical_type(raw.entry_type)})")
        if "year" in raw.fields and not bib_rules.is_valid_year(raw.fields["year"]):
            self.report(raw.field_offsets.get("year", raw.start), Code.BIB004.name,
                        f"malformed year '{raw.fields['year']}' in entry '{raw.key}': not 4 digits",
                        "write the year as 4 digits, e.g. year = {2012}")
        if "date" in raw.fields and not bib_rules.is_valid_date(raw.fields["date"]):
            self.report(raw.field_offsets.get("date", raw.start), Code.BIB004.name,
                        f"malformed date '{raw.fields['date']}' in entry '{raw.key}': not ISO 8601",
                        "write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. date = {2022-06-29}")
        if "doi" in raw.fields:
            problem = bib_rules.doi_problem(raw.fields["doi"])
            if problem:
                self.report(raw.field_offsets.get("doi", raw.start), Code.BIB005.name,
                            f"{problem[0]} in entry '{raw.key}'", problem[1])


def _people(raw: _Raw, fields: Mapping[str, str]) -> tuple[tuple[str, ...], bool]:
    """Author last names (editors when there is no author, as APA does), and 'and others'."""
    people: list[_Name | None] = list(raw.persons.get("author") or raw.persons.get("editor") or [])
    if not people and (fields.get("author") or fields.get("editor")):
        # Inherited through crossref: only the string came across.
        text = fields.get("author") or fields.get("editor") or ""
        people = [_safe_person(name) for name in _safe_split(text)]
    names = [_last_name(p) for p in people if p is not None]
    has_others = any(n.lower() == "others" for n in names)
    return tuple(n for n in names if n and n.lower() != "others"), has_others


def _safe_split(names: str) -> list[str]:
    try:
        return list(split_name_list(names))
    except Exception:  # noqa: BLE001 - pybtex's splitter on odd braces; never let it stop us
        return [names]


def _safe_person(name: str) -> _Name | None:
    with pybtex.errors.capture():
        try:
            return _Name.of(Person(name))
        except Exception:  # noqa: BLE001 - as pybtex: an unreadable name is no name
            return None


def _year(fields: Mapping[str, str]) -> str | None:
    year = fields.get("year", "").strip()
    if year:
        return year
    match = re.match(r"\s*(\d{4})", fields.get("date", ""))
    return match.group(1) if match else None


def parse_bibliography(data: bytes, path: str) -> Bibliography:
    """Every entry pybtex can read from ``data``, and every problem, located.

    ``path`` is only used in the reports (e.g. ``references.bib``).  Never raises.
    """
    text, problems = _decode(data, path)
    checker = _Checker(path, text, problems)
    scanner = _Scanner(text, macros=Parser().macros)  # @string macros persist, as in pybtex
    raws: list[_Raw] = []
    try:
        for command in scanner.commands():
            for error, offset in command.errors:
                checker.syntax_error(command, error, offset)
            if command.key is None or not command.name:
                continue
            raw = checker.build(command)
            if raw is not None:
                raws.append(raw)
    except Exception as error:  # noqa: BLE001 - a pybtex bug must not hide the problems found so far
        checker.report(scanner.pos, Code.BIB001.name, f"pybtex stopped reading the file here: {error!r}",
                       "fix the BibTeX syntax near this line")

    first: dict[str, _Raw] = {}
    for raw in raws:
        folded = raw.key.casefold()
        if folded in first:
            original = first[folded]
            line = line_col(text, original.start)[0]
            also = f" as '{original.key}'; keys are case-insensitive" if original.key != raw.key else ""
            checker.report(raw.key_offset, Code.BIB002.name,
                           f"duplicate key '{raw.key}' (first defined at line {line}{also})",
                           "give one of them a different key (pybtex compares keys case-insensitively)")
        else:
            first[folded] = raw

    entries: dict[str, BibEntry] = {}
    for raw in first.values():
        fields: Mapping[str, str] = raw.fields
        parent_missing = None
        parent_key = raw.fields.get("crossref", "").strip()
        if parent_key:
            parent = first.get(parent_key.casefold())
            if parent is None:
                parent_missing = parent_key
            else:  # biber fills in the parent's fields before validating
                fields = bib_rules.inherited_fields(parent.entry_type, raw.entry_type,
                                                    parent.fields, raw.fields)
        checker.check_entry(raw, fields, parent_missing)
        authors, has_others = _people(raw, fields)
        entries[raw.key] = BibEntry(raw.key, raw.entry_type, line_col(text, raw.start)[0],
                                    fields, authors, has_others, _year(fields))
    return Bibliography(path, entries, sorted(checker.problems))


def load_bibliography(file: Path, display_path: str) -> Bibliography:
    """Read and check ``file``; an unreadable file is one problem, not a traceback."""
    try:
        data = file.read_bytes()
    except OSError as error:
        return Bibliography(display_path, {}, [Problem(
            display_path, 0, 0, Code.BIB001.name, f"cannot read the bibliography: {error.strerror or error}",
            "check the bib_file setting in mkdocs.yml and that the file exists (this comes first: "
            "no citation can be checked without it)")])
    bib = parse_bibliography(data, display_path)
    bib.data = data
    return bib


def unused_entry_problems(bib: Bibliography, cited_keys: Collection[str]) -> list[Problem]:
    """BIB009 warnings for entries no page cites (keys compared case-insensitively, like pybtex).

    A parent reached through a cited child's crossref counts as cited.
    """
    cited = {key.casefold() for key in cited_keys}
    for entry in bib.entries.values():
        if entry.key.casefold() in cited and entry.fields.get("crossref"):
            cited.add(entry.fields["crossref"].strip().casefold())
    return [
        Problem(bib.path, entry.line, 1, Code.BIB009.name,
                f"entry '{entry.key}' is not cited on any page",
                "cite it, or remove it from references.bib", Severity.WARNING)
        for entry in bib.entries.values()
        if entry.key.casefold() not in cited
    ]
