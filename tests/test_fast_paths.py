"""The checks' shortcuts give exactly what the slow, general code gives.

Each shortcut exists only for speed (see benchmarks/check_speed.py); these
tests run both ways on the same input and compare everything.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pybtex.errors
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import Parser
from pybtex.richtext import Text

from conftest import ROOT
from ipt_site.checks.page import content_safety
from ipt_site.checks.project import evidence
from ipt_site.sources import bibliography, page_markup
from ipt_site.sources.citation_scan import find_code_ranges, mask_code, mask_ranges
from page_rules import run_rule

sys.path.insert(0, str(ROOT / "benchmarks"))
from sitegen import write_evidence

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
def _value(draw: st.DrawFn, good: bool, depth: int = 0) -> str:
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
def _entry(draw: st.DrawFn) -> str:
    """A BibTeX command: often the plain shape, otherwise anything near it.

    The structure and the values are each plain or not, so an unusual value
    also turns up in an otherwise plain entry.
    """
    good, good_values = draw(st.booleans()), draw(st.booleans())

    def pick(usual: list[str], unusual: list[str]) -> str:
        return draw(st.sampled_from(usual if good else usual + unusual))

    def ws() -> str:
        return draw(_WHITESPACE)

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
    scanner.skip_to([scanner.AT])  # type: ignore[no-untyped-call]  # pybtex's own, unannotated
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
            assert bibliography._last_name(bibliography._Name.of(person)) == slow


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
        slow_problems = run_rule(content_safety.check, text, path="p.md")
    finally:
        page_markup._may_link = original
    assert fast == slow
    assert run_rule(content_safety.check, text, path="p.md") == slow_problems


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


# --- the evidence record: the plain layout read line by line, as YAML reads it ---------

# Values YAML reads as text, then ones it does not, or not on one line, or not the same way.
_GOOD_VALUES = ["docs/theory.md", "docs/index.md", "checked", "secondary", "unchecked", "something useful",
                "p. 12, 'Theory'", '"quoted: with a colon"', "'it''s quoted'", "a - b (c) [d] {e}", "ünïcödé ✓",
                "x#y", "50% of people", "Yesterday", "online"]
_BAD_VALUES = ["", "  ", "x: ", "on", "yes", "No", "12", "1.5", "2012-01-01", "~", "null", "a: b", "a #note", "#c",
               "x:",
               "-x", "- x", "&a x", "*a", "!!str x", "!t x", "|", ">", "[a, b]", "{a: b}", "? x", "@x", "`x`",
               '"bad \\" escape"', '"tab\\t"', '"back\\\\slash"', '"a\\"', "'open", '"open', "'a'b'", "tab\there",
               "nel\x85here", "cr\rhere", "\ufeffbom",
               "'  '", '""', "=", "<<", ".inf", "0x1F", "maybe", '"x" y']
_EVIDENCE_FIELDS = ["page", "says", "where", "status", "note"]
_STATUSES = ["checked", "secondary", "unchecked"]


@st.composite
def _evidence_record(draw: st.DrawFn) -> tuple[str, bool]:
    """A small evidence record, and whether every choice was the plain layout with good values.

    Each record is plain, or has a few unusual choices (one in 20, or one in 5), so that
    one unusual line also turns up in an otherwise plain record.
    """
    plain = True
    unusual_in = draw(st.sampled_from([0, 20, 5]))

    def pick(usual: list[str], unusual: list[str]) -> str:
        nonlocal plain
        if unusual_in and draw(st.integers(1, unusual_in)) == 1:
            choice = draw(st.sampled_from(unusual))
            plain = False
        else:
            choice = draw(st.sampled_from(usual))
        return choice

    def value() -> str:
        return pick(_GOOD_VALUES, _BAD_VALUES)

    lines: list[str] = []
    keys: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        key = pick(["stuart2012", "nice2022", "klerman1984", "a_b.c-2"],
                   ["stuart2012 ", "'quoted'", "a b", "- x", "?", "yes", "1", "---", "...", "a:b"])
        plain = plain and key.strip() not in keys
        keys.add(key.strip())
        lines.append(pick([f"{key}:"], [f"{key}: x", f" {key}:", f"{key}:  # c", f"{key}: {{}}"]))
        if draw(st.booleans()):
            lines.append(pick([f"  source: {value()}"], [f"   source: {value()}", "  source:", "  sources: x"]))
        lines.append(pick(["  statements:"], ["  statements: []", "   statements:", "  statements: x", "",
                                              "  statement:"]))
        for _ in range(draw(st.integers(1, 3)) if pick(["items"], ["none"]) == "items" else 0):
            names = draw(st.permutations(_EVIDENCE_FIELDS[:4])) + (["note"] if draw(st.booleans()) else [])
            change = pick(["none"], ["drop", "twice", "unknown"])
            if change == "drop":
                names.pop(draw(st.integers(0, len(names) - 1)))
            elif change != "none":
                names.insert(draw(st.integers(0, len(names))),
                             draw(st.sampled_from(_EVIDENCE_FIELDS)) if change == "twice" else "say")
            for n, name in enumerate(names):
                text = pick(_STATUSES, _BAD_VALUES) if name == "status" else value()
                indent = pick(["    - " if n == 0 else "      "], ["  - ", "     ", "        ", "    -  ", "\t"])
                lines.append(f"{indent}{name}: {text}")
                if draw(st.integers(0, 5)) == 0:
                    lines.append(pick(["", "# a comment", "  "], ["      # indented", "---", "        more text",
                                                                 "  note: x", "    - page: docs/x.md"]))
        if draw(st.integers(0, 4)) == 0:
            lines.append(pick(["  note: reviewed", ""], ["  note:", "  source: x", "  - x"]))
    ending = pick(["\n", ""], ["\r\n", "\n...\n", "\n---\n"])
    return "\n".join(lines) + ending, plain




@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_evidence_record())
def test_plain_evidence_reads_as_composed_yaml_reads_it(drawn: tuple[str, bool]) -> None:
    text, plain = drawn
    event("plain layout" if plain else "not plain")
    fast = evidence.parse_evidence(text, "evidence.yml")
    assert fast == evidence.compose_evidence(text, "evidence.yml")  # statements, lines, columns, problems
    if plain:  # the usual layout with good values: the shortcut reads it (or the test proves nothing)
        assert evidence._plain_record(text, "evidence.yml") is not None


_ONE_LINE = ("stuart2012:\n  source: {source}\n  statements:\n    - page: {page}\n      says: {says}\n"
             "      where: p. 1\n      status: checked\n      note: {note}\n")
_VALUE_CHARACTERS = st.sampled_from(list(" :#-'\"\\ab1.{}[],&*!|>%@`~?=<\t\r\x85\u2028é✓"))


@settings(max_examples=2000, deadline=None)
@given(st.text(_VALUE_CHARACTERS, max_size=7) | st.sampled_from(_GOOD_VALUES + _BAD_VALUES),
       st.sampled_from(["source", "page", "says", "note"]))
def test_any_one_line_value_reads_as_composed_yaml_reads_it(value: str, where: str) -> None:
    fields = {"source": "a book", "page": "docs/theory.md", "says": "something", "note": "n", where: value}
    text = _ONE_LINE.format(**fields)
    assert evidence.parse_evidence(text, "evidence.yml") == evidence.compose_evidence(text, "evidence.yml")


@pytest.mark.parametrize("value", _GOOD_VALUES)
def test_good_values_take_the_shortcut(value: str) -> None:
    text = _ONE_LINE.format(source=value, page=value, says=value, note=value)
    assert evidence._plain_record(text, "evidence.yml") == evidence.compose_evidence(text, "evidence.yml")


def test_plain_evidence_shortcut_reads_the_real_and_the_benchmark_records(tmp_path: Path) -> None:
    real = (ROOT / "evidence.yml").read_text(encoding="utf-8")
    write_evidence(tmp_path / "evidence.yml", {f"docs/p{n}.md": {f"k{n}", f"k{n + 1}", "k0"} for n in range(50)})
    generated = (tmp_path / "evidence.yml").read_text(encoding="utf-8")
    for text in (real, generated):
        record = evidence._plain_record(text, "evidence.yml")
        assert record is not None and record.statements
        assert record == evidence.compose_evidence(text, "evidence.yml")
    # A problem is never decided by the shortcut: the composed YAML locates it.
    broken = generated.replace("status: checked", "status: chekced", 1)
    assert evidence._plain_record(broken, "evidence.yml") is None
    assert [p.code for p in evidence.parse_evidence(broken, "evidence.yml").problems] == ["EVD003"]
