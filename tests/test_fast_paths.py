"""The checks' shortcuts give exactly what the slow, general code gives.

Each shortcut exists only for speed (see benchmarks/check_speed.py); these
tests run both ways on the same input and compare everything.
"""

from __future__ import annotations

import sys
from typing import Any

import pybtex.errors
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import Parser
from pybtex.richtext import Text

from ipt_checks import bibliography, page_markup
from ipt_checks.citation_scan import find_code_ranges, mask_code, mask_ranges
from ipt_checks.content_safety import check_content_safety

# --- BibTeX: plain entries read by regex, as pybtex's scanner reads them ------------

_WHITESPACE = st.sampled_from(["", " ", "  ", "\n", "\n  ", "\t", "\u00a0", "\u2003"])
# Values and keys pybtex reads, then ones it does not (which the shortcut must leave alone).
_GOOD_TEXT = ["Smith, A. and Jones, B.", "van Oppen, P. and others", "{APA} style", "a {b {c}} d",
              "{{{deep}}}", "", "  spaced  out ", "M{\\\"u}ller, J.", "2012", "a,b, c", "# hash", "@at"]
_BAD_TEXT = ["{{{{deeper}}}}", "x} y", "y {z", "quote\"inside", "100%"]
_GOOD_NUMBERS, _BAD_NUMBERS = ["2012", "0"], ["12a", "１２"]
_GOOD_MACROS, _BAD_MACROS = ["jan", "Jan", "foo"], ["undefinedmacro"]
_GOOD_KEYS = ["smith2012", "Smith2012", "a:b", "k{x", "k=1", "ké", "k\"q", "dup", "DUP"]
_FIELD_NAMES = ["author", "Author", "editor", "title", "year", "doi", "crossref", "a-b", "x.y", "f1"]
_GOOD_TYPES = ["article", "Article", "book", "misc", "x1"]


@st.composite
def _value(draw: Any, good: bool, depth: int = 0) -> str:
    def pick(usual: list[str], unusual: list[str]) -> str:
        return draw(st.sampled_from(usual if good else usual + unusual))

    kind = draw(st.sampled_from(["braced", "braced", "quoted", "number", "macro", "concat"]))
    if kind == "braced":
        return "{" + pick(_GOOD_TEXT, _BAD_TEXT) + "}"
    if kind == "quoted":
        return '"' + pick(_GOOD_TEXT, _BAD_TEXT) + '"'
    if kind == "number":
        return pick(_GOOD_NUMBERS, _BAD_NUMBERS)
    if kind == "macro" or depth > 1:
        return pick(_GOOD_MACROS, _BAD_MACROS)
    ws = draw(_WHITESPACE), draw(_WHITESPACE)
    return draw(_value(good, depth + 1)) + ws[0] + "#" + ws[1] + draw(_value(good, depth + 1))


@st.composite
def _entry(draw: Any) -> str:
    """A BibTeX command: often the plain shape, otherwise anything near it.

    The structure and the values are each plain or not, so an unusual value
    also turns up in an otherwise plain entry.
    """
    good, good_values = draw(st.booleans()), draw(st.booleans())

    def pick(usual: list[str], unusual: list[str]) -> str:
        return draw(st.sampled_from(usual if good else usual + unusual))

    ws = lambda: draw(_WHITESPACE)  # noqa: E731
    kind = pick(_GOOD_TYPES, ["string", "comment", "preamble", ""])
    opening, closing = ("{", "}") if good else draw(st.sampled_from([("{", "}"), ("(", ")")]))
    if kind == "string":
        return f"@string{opening}foo{ws()}={ws()}{draw(_value(good_values))}{closing}"
    body = ""
    for _ in range(draw(st.integers(0, 4))):
        comma = pick([","], [",,", ""])
        name = pick(_FIELD_NAMES, ["1x", "@x"])
        body += f"{ws()}{comma}{ws()}{name}{ws()}={ws()}{draw(_value(good_values))}"
    body += pick(["", ",", " ,"], [", ,"])
    return f"@{ws()}{kind}{ws()}{opening}{ws()}{pick(_GOOD_KEYS, [''])}{body}{ws()}{closing}"


def _commands(text: str, plain: bool) -> list[tuple[Any, ...]]:
    """What the scanner yields, with or without the plain-entry shortcut."""
    scanner = bibliography._Scanner(text, macros=Parser().macros)
    if not plain:
        scanner._plain_entry = lambda: None  # type: ignore[method-assign]
    return [
        (c.start, c.name, c.key, c.fields, c.field_starts, c.broken, c.undefined_in,
         [(type(e), e.args, at) for e, at in c.errors], scanner.lineno, scanner.pos)
        for c in scanner.commands()
    ]


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_entry(), st.sampled_from(["", "\n", "\n\n", " % note\n", "junk "])),
                min_size=1, max_size=5))
def test_plain_entries_scan_as_pybtex_scans_them(entries: list[tuple[str, str]]) -> None:
    text = "".join(entry + between for entry, between in entries)
    assert _commands(text, plain=True) == _commands(text, plain=False)


def test_plain_entry_shortcut_reads_the_usual_shape() -> None:
    text = "@article{smith2012,\n  author = {Smith, A.},\n  title = \"A {B} c\",\n  year = 2012 # jan,\n}\n"
    scanner = bibliography._Scanner(text, macros=Parser().macros)
    scanner.skip_to([scanner.AT])
    scanner.command_start = 0
    command = scanner._plain_entry()
    assert command is not None
    assert command.fields == [("author", ["Smith, A."]), ("title", ["A {B} c"]), ("year", ["2012", "January"])]


# --- names: parsed once per distinct string, as pybtex's Parser parses them -----------

_NAMES = [
    "Smith, A. and Jones, B.", "van Oppen, Patricia and others", "Smith, Jr, John and Smith, Jr, John",
    "a, b, c, d", "{World Health Organization}", "Dixit, Avinash K.", "and", "Smith and and Jones",
    "M{\\\"u}ller, J. and O'Brien, M.", "", "   ", "Lee, A and Lee, A and Lee, B",
]


@pytest.mark.parametrize("names", _NAMES)
def test_names_are_parsed_as_pybtex_parses_them(names: str) -> None:
    def pybtex_persons() -> tuple[dict[str, list[str]], list[str]]:
        parser = Parser()
        with pybtex.errors.capture() as captured:
            parser.process_entry("article", "k", [("author", [names]), ("Editor", [names])])
        entry = next(iter(parser.data.entries.values()))
        return ({role.lower(): [str(p) for p in people] for role, people in entry.persons.items()},
                [str(e) for e in captured])

    def ours() -> tuple[dict[str, list[str]], list[str]]:
        parser = Parser(person_fields=())
        parsed = bibliography._Names()
        with pybtex.errors.capture() as captured:
            parser.process_entry("article", "k", [("author", [names]), ("Editor", [names])])
            entry = next(iter(parser.data.entries.values()))
            persons = parsed.persons(entry.fields, captured)
        return ({role: [str(p) for p in people] for role, people in persons.items()},
                [str(e) for e in captured])

    assert ours() == pybtex_persons()


_FIELDS = st.lists(st.tuples(
    st.sampled_from(["author", "Author", "AUTHOR", "editor", "Editor", "title", "Title", "year"]),
    st.lists(st.sampled_from(["Smith, A.", " and ", "Jones,  B.", "\n  ", "a, b, c, d", "{X and Y}", "", " x "]),
             min_size=1, max_size=3),
), max_size=6)


@settings(max_examples=300, deadline=None)
@given(_FIELDS)
def test_entry_fields_and_names_are_stored_as_pybtex_stores_them(fields: list[tuple[str, list[str]]]) -> None:
    parser = Parser()
    with pybtex.errors.capture() as pybtex_errors:
        parser.process_entry("article", "k", fields)
    entry = next(iter(parser.data.entries.values()))
    stored = bibliography._entry_fields(fields)
    with pybtex.errors.capture() as our_errors:
        persons = bibliography._Names().persons(stored, our_errors)
    plain = [(name, value) for name, value in stored.items() if name.lower() not in ("author", "editor")]
    assert plain == list(entry.fields.items())  # names as first written, in order
    assert [(role, [str(p) for p in people]) for role, people in persons.items()] == [
        (role.lower(), [str(p) for p in people]) for role, people in entry.persons.items()]
    assert [str(e) for e in our_errors] == [str(e) for e in pybtex_errors if "duplicate" not in str(e)]


_NAME_WORDS = st.sampled_from([
    "Smith", "van", "von", "de", "la", "Oppen", "A.", "B", "O'Brien", "Smith-Jones", "ǅemal", "ß", "Ödön",
    "élan", "1st", "-x", "'t", "d'Alembert", "Jr", "jr.", "の", "x", "Ŀ", "ǈ", ".", "McD", "É.",
])
_NAME_SEPARATORS = st.sampled_from([" ", " ", " ", "  ", ", ", ", ", ",", " , ", "~", "\\ ", "\t", " and "])


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(_NAME_WORDS, _NAME_SEPARATORS), min_size=1, max_size=6), _NAME_WORDS,
       st.sampled_from(["", " ", "{", "}"]))
def test_plain_names_read_as_pybtex_reads_them(words: list[tuple[str, str]], last: str, edge: str) -> None:
    name = "".join(word + separator for word, separator in words) + last + edge
    plain = bibliography._plain_name(name)
    if plain is not None:
        with pybtex.errors.capture() as errors:
            person = Person(name)
        assert plain == bibliography._Name.of(person)
        assert errors == []


def test_plain_name_shortcut_reads_the_usual_shapes() -> None:
    for name in ("Smith, A.", "van Oppen, Patricia", "de la Fontaine, Jean", "Müller-Lüdenscheidt, K. J."):
        assert bibliography._plain_name(name) == bibliography._Name.of(Person(name))
    for name in ("Donald E. Knuth", "Smith, Jr, John", "{World Health Organization}", "Ni{\\~n}o, A."):
        assert bibliography._plain_name(name) is None


def test_letters_read_as_themselves_in_latex() -> None:
    """``_plain`` skips pybtex's LaTeX reader for letters: every letter must read as itself."""
    letters = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha()]
    for start in range(0, len(letters), 500):
        chunk = "".join(letters[start:start + 500])
        assert str(Text.from_latex(chunk)) == chunk
    for word in ("Smith", "Müller", "Łukasz", "Nguyễn", "Ödön"):
        assert bibliography._plain(word) == str(Text.from_latex(word)) == word
    assert bibliography._plain("M{\\\"u}ller") == "Müller"


def test_person_names_parse_the_same_through_the_shortcut() -> None:
    for names in _NAMES:
        for name in split_name_list(names):
            with pybtex.errors.capture():
                person = Person(name)
            slow = " ".join(str(Text.from_latex(p)) for p in person.prelast_names + person.last_names).strip()
            assert bibliography._last_name(person) == slow


# --- page markup: pages without links skip the link parser ----------------------------

_MARKUP_PIECES = st.sampled_from([
    "text ", "[a](https://x.org)", "[a] (b)", "](", "]\n(", "![i](javascript:x)", "<https://a.b>",
    "<b>", "<a href='javascript:x'>", "`code`", "```\n", "\n", "\n\n", "    ", "> ", "|", "[r]: u\n",
    "[x][y]", "\\<", "&lt;", "<!--", "-->", "!!! note\n", "[", "]", "(", ")", "<", ">",
])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MARKUP_PIECES, max_size=25).map("".join))
def test_link_shortcut_finds_every_link(text: str) -> None:
    fast = page_markup.scan_markup(text)
    original = page_markup._may_link
    page_markup._may_link = lambda _: True  # type: ignore[assignment]
    try:
        slow = page_markup.scan_markup(text)
        slow_problems = check_content_safety("p.md", text)
    finally:
        page_markup._may_link = original  # type: ignore[assignment]
    assert fast == slow
    assert check_content_safety("p.md", text) == slow_problems


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP_PIECES, max_size=25).map("".join),
       st.lists(st.tuples(st.integers(-2, 60), st.integers(0, 70)), max_size=6))
def test_mask_ranges_matches_a_character_by_character_blank(text: str, ranges: list[tuple[int, int]]) -> None:
    ranges = [(max(a, 0), b) for a, b in ranges]
    chars = list(text)
    for start, end in ranges:
        for i in range(start, min(end, len(chars))):
            if chars[i] not in "\r\n":
                chars[i] = " "
    assert mask_ranges(text, ranges) == "".join(chars)


def test_mask_ranges_is_mask_code_for_a_scanned_page() -> None:
    page = "Text `code [@a]` and\n\n```\n[@b]\n```\n\n    indented [@c]\n\nlast [@d]\n"
    assert mask_ranges(page, find_code_ranges(page)) == mask_code(page)
    assert mask_ranges(page, []) == page
