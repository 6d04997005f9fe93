"""references.bib checks: one fixture per problem code, plus messy and random input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_site.problems import Problem, Severity
from ipt_site.sources import bib_rules
from ipt_site.sources.bibliography import (
    Bibliography,
    load_bibliography,
    parse_bibliography,
    unused_entry_problems,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "bib"


def line_of(path: Path, start: str) -> int:
    """1-based line of the first line starting with ``start`` (so edits to the file do not break tests)."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(start))


def load(name: str) -> Bibliography:
    return load_bibliography(FIXTURES / name, name)


def only(bib: Bibliography, code: str) -> list[Problem]:
    return [p for p in bib.problems if p.code == code]


def where(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.column


# --- the real bibliography ----------------------------------------------------

def test_real_bibliography_has_no_problems() -> None:
    bib = load_bibliography(ROOT / "references.bib", "references.bib")
    assert bib.problems == []
    assert set(bib.entries) >= {
        "stuart2003", "stuart2012", "robertson2008", "churchill2001", "cuijpers2011",
        "cuijpers2016", "klerman1984", "malhi2021", "nice2022",
    }


def test_real_bibliography_entries_carry_names_years_and_lines() -> None:
    bib = load_bibliography(ROOT / "references.bib", "references.bib")
    robertson = bib.entries["robertson2008"]
    assert robertson.authors == ("Robertson", "Rushton", "Wurm")
    assert (robertson.entry_type, robertson.year) == ("article", "2008")
    assert robertson.line == line_of(ROOT / "references.bib", "@article{robertson2008,")
    assert robertson.fields["journal"] == "Psychotherapy in Australia"
    assert bib.entries["cuijpers2011"].authors[2] == "van Oppen"  # von part kept
    assert bib.entries["malhi2021"].authors == ("Malhi", "Bell", "Bassett")
    assert bib.entries["malhi2021"].has_others
    assert bib.entries["nice2022"].authors == ("National Institute for Health and Care Excellence",)
    assert len(bib.entries["churchill2001"].authors) == 7


# --- one fixture per code -------------------------------------------------------

def test_bib001_missing_comma_is_located_and_the_next_entry_still_read() -> None:
    bib = load("bib001_missing_comma.bib")
    [problem] = bib.problems
    assert problem.code == "BIB001"
    assert where(problem) == (5, 3)  # at 'publisher', the field after the missing comma
    assert problem.message == "BibTeX syntax error in entry 'stuart2012': '}' expected"
    assert "comma" in problem.hint
    assert list(bib.entries) == ["stuart2012", "klerman1984"]


def test_bib001_unclosed_brace_does_not_swallow_later_entries() -> None:
    bib = load("bib001_unbalanced.bib")
    [problem] = bib.problems
    assert problem.code == "BIB001"
    assert where(problem) == (4, 3)  # the 'title' whose brace never closes
    assert "field 'title' is never closed" in problem.message
    assert list(bib.entries) == ["stuart2012", "klerman1984", "stuart2003"]
    assert bib.entries["stuart2003"].year == "2003"


def test_bib002_duplicate_key_differing_only_in_case() -> None:
    bib = load("bib002_duplicate_key.bib")
    [problem] = bib.problems
    assert problem.code == "BIB002"
    assert where(problem) == (8, 7)
    assert problem.message.startswith("duplicate key 'Stuart2012' (first defined at line 2")
    assert "case-insensitive" in problem.message
    assert list(bib.entries) == ["stuart2012"]  # the first one wins, as in pybtex


def test_bib002_message_for_an_exact_duplicate() -> None:
    entry = b"@book{stuart2012, author={Stuart, S.}, title={T}, year={2012}}\n"
    bib = parse_bibliography(entry + b"\n" + entry, "references.bib")
    [problem] = bib.problems
    assert problem.message == "duplicate key 'stuart2012' (first defined at line 1)"
    assert where(problem) == (3, 7)


def test_bib003_missing_required_fields() -> None:
    bib = load("bib003_missing_fields.bib")
    problems = only(bib, "BIB003")
    assert [(p.line, p.message) for p in problems] == [
        (2, "@article 'robertson2008' is missing required field: journaltitle"),
        (8, "@report 'nice2022' is missing required field: type"),
    ]
    assert problems[0].hint.startswith("add journaltitle")
    # crossref child inherits editor, booktitle (from the parent's title) and year;
    # @phdthesis implies type and 'school' counts as institution.
    assert bib.problems == problems
    assert bib.entries["markowitz2009"].fields["booktitle"] == "Textbook of Psychotherapeutic Treatments"
    assert bib.entries["markowitz2009"].year == "2009"


def test_bib003_undefined_crossref_is_named() -> None:
    bib = parse_bibliography(
        b"@incollection{a2000, author={A, B}, title={T}, crossref={nowhere}}\n", "r.bib")
    [problem] = only(bib, "BIB003")
    assert problem.message == (
        "@incollection 'a2000' is missing required fields: editor, booktitle, date/year "
        "(its crossref 'nowhere' is not defined)")


def test_bib004_malformed_year_and_date() -> None:
    bib = load("bib004_year.bib")
    problems = only(bib, "BIB004")
    assert [(where(p), p.message) for p in problems] == [
        ((5, 3), "malformed year '12' in entry 'stuart2012': not 4 digits"),
        ((13, 3), "malformed date '2022-06-31' in entry 'nice2022': not ISO 8601"),
    ]
    assert bib.problems == problems  # date = {2024-03} is fine


def test_bib005_doi_written_as_link_or_malformed() -> None:
    bib = load("bib005_doi.bib")
    link, broken = bib.problems
    assert (link.code, where(link)) == ("BIB005", (7, 3))
    assert link.message == ("DOI 'https://doi.org/10.3310/hta5350' is written as a link "
                            "or with a label in entry 'churchill2001'")
    assert link.hint == "write only the DOI: 10.3310/hta5350"
    assert (broken.code, where(broken)) == ("BIB005", (15, 3))
    assert broken.message.startswith("malformed DOI '10.1176 appi.ajp'")


def test_bib006_latin1_byte_is_located_and_checking_carries_on() -> None:
    bib = load("bib006_latin1.bib")
    [problem] = bib.problems
    assert problem.code == "BIB006"
    assert where(problem) == (3, 14)  # the ü of Müller
    assert problem.message.startswith("file is not valid UTF-8: byte 0xFC")
    assert bib.entries["mueller2019"].year == "2019"


def test_bib007_undefined_macro_but_defined_one_is_fine() -> None:
    bib = load("bib007_macro.bib")
    [problem] = bib.problems  # no BIB003 for the journal on top
    assert problem.code == "BIB007"
    assert where(problem) == (14, 13)
    assert problem.message == "undefined @string macro 'HTA' in entry 'churchill2001'"
    assert bib.entries["cuijpers2016"].fields["journal"] == "American Journal of Psychiatry"


def test_bib008_duplicate_field_names_both_lines() -> None:
    bib = load("bib008_duplicate_field.bib")
    [problem] = bib.problems
    assert problem.code == "BIB008"
    assert where(problem) == (7, 3)
    assert problem.message == "duplicate field 'year' in entry 'klerman1984' (first at line 5)"
    assert bib.entries["klerman1984"].year == "1984"  # pybtex keeps the first


def test_bib009_unused_entries_are_warnings_at_the_entry() -> None:
    bib = load_bibliography(ROOT / "references.bib", "references.bib")
    cited = set(bib.entries) - {"klerman1984"}
    [problem] = unused_entry_problems(bib, {key.upper() for key in cited})
    line = line_of(ROOT / "references.bib", "@book{klerman1984,")
    assert problem == Problem(
        "references.bib", line, 1, "BIB009", "entry 'klerman1984' is not cited on any page",
        "cite it, or remove it from references.bib", Severity.WARNING)


def test_bib009_crossref_parent_of_a_cited_entry_counts_as_cited() -> None:
    bib = load("bib003_missing_fields.bib")
    unused = {p.message for p in unused_entry_problems(bib, ["markowitz2009"])}
    assert "entry 'gabbard2009' is not cited on any page" not in unused
    assert "entry 'smith2010' is not cited on any page" in unused


def test_bib010_keys_mkdocs_bibtex_cannot_cite() -> None:
    bib = load("bib010_key.bib")
    assert [(p.code, where(p)) for p in bib.problems] == [("BIB010", (2, 7)), ("BIB010", (8, 7))]
    assert bib.problems[0].message.startswith("entry key 'stuart:2012' cannot be cited")
    assert bib.problems[0].hint.startswith("rename it, e.g. 'stuart2012'")


def test_at_sign_in_a_percent_comment_is_explained() -> None:
    bib = parse_bibliography(b"% mail me@example.org\n@misc{a, title={T}, year={2000}}\n", "r.bib")
    [problem] = bib.problems
    assert (problem.code, where(problem)) == ("BIB001", (1, 10))
    assert "%-comment" in problem.message
    assert list(bib.entries) == ["a"]


# --- messy and random input -----------------------------------------------------

MESSY = (
    b"\xef\xbb\xbf% exported by some tool\r\n"
    b"@preamble{\"\\newcommand{\\noop}[1]{}\"}\r\n"
    b"@comment{ jabref-meta: databaseType:bibtex; }\r\n"
    b"@string{APA = {American Psychological Association}}\r\n"
    b"@book{good2000,\r\n  author = {M\xfcller, H. and others},\r\n  title = {T},\r\n"
    b"  publisher = APA,\r\n  year = 2000\r\n}\r\n"
    b"random garbage between entries ### }}} {{\r\n"
    b"@book{open2001,\r\n  author = {X, Y},\r\n  title = {Never closed,\r\n  year = {2001}\r\n}\r\n\r\n"
    b"@article{nocomma2002,\r\n  author = {Z, Q},\r\n  title = {T}\r\n  journal = JNL,\r\n"
    b"  year = {2002}\r\n}\r\n"
    b"@book{, title = {No key}, year = 2003}\r\n"
    b"@book{dupfield2004, author={A, B}, title={T}, year={2004}, year={2005}}\r\n"
    b"@incollection{child2005, author={A, B}, title={T}, crossref={parent2005}}\r\n"
    b"@collection{parent2005, editor={E, F}, title={Big book}, publisher=UNDEFINED, year={2005}}\r\n"
    b"@misc{last2020, title={T}, year={2020}\r\n"
)


def test_messy_real_world_bibtex_never_crashes_and_locates_everything() -> None:
    bib = parse_bibliography(MESSY, "messy.bib")
    assert all(p.line > 0 and p.column > 0 for p in bib.problems)
    assert {p.code for p in bib.problems} == {"BIB001", "BIB006", "BIB007", "BIB008"}
    assert list(bib.entries) == [
        "good2000", "open2001", "nocomma2002", "dupfield2004", "child2005", "parent2005", "last2020"]
    lines = {(p.code, p.line) for p in bib.problems}
    assert ("BIB006", 6) in lines  # the Latin-1 ü, counted in CRLF lines
    assert ("BIB001", 14) in lines  # 'title = {Never closed,'
    assert ("BIB001", 21) in lines  # missing comma before 'journal'
    assert ("BIB001", 24) in lines  # entry without key
    assert ("BIB008", 25) in lines
    assert ("BIB007", 27) in lines
    assert ("BIB001", 28) in lines  # last entry never closed
    assert len(bib.problems) == 7
    good = bib.entries["good2000"]
    assert good.has_others and good.fields["publisher"] == "American Psychological Association"
    assert bib.entries["child2005"].fields["booktitle"] == "Big book"


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf", b"@", b"@@@", b"}", b"{"])
def test_degenerate_files(data: bytes) -> None:
    bib = parse_bibliography(data, "r.bib")
    assert bib.entries == {}
    assert all(p.line > 0 for p in bib.problems)


def test_load_bibliography_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    bib = load_bibliography(tmp_path / "nope.bib", "nope.bib")
    [problem] = bib.problems
    assert problem.code == "BIB001" and problem.path == "nope.bib"


BIBTEXISH = st.lists(st.sampled_from([
    "@book{", "@article(", "@string{", "@comment{", "@preamble{", "}", "{", ")", '"', ",", "=",
    "#", "\n", "\r\n", "\r", " ", "author", " and ", "others", "title", "year", "date", "doi",
    "crossref", "k1", "K1", "2000", "2022-02-30", "10.1/x", "\\\"u", "{\\v", "\\", "@", "%",
    "\xe9", "\ufeff", "x",
]), max_size=60).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(BIBTEXISH)
def test_bibtex_like_text_never_raises(text: str) -> None:
    bib = parse_bibliography(text.encode("utf-8", "surrogatepass"), "r.bib")
    assert all(p.line > 0 and p.code.startswith("BIB") for p in bib.problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    bib = parse_bibliography(data, "r.bib")
    assert all(p.line > 0 for p in bib.problems)


# --- the rules on their own ------------------------------------------------------

@pytest.mark.parametrize("value", ["2022", "2022-06", "2022-06-29", "2020/2022", "2020/",
                                   "../2022", "2022?", "2024-02-29", "2022-06-29T10:00:00Z"])
def test_valid_dates(value: str) -> None:
    assert bib_rules.is_valid_date(value)


@pytest.mark.parametrize("value", ["22", "2022-6-29", "29/06/2022", "2022-13", "2023-02-29",
                                   "June 2022", "2022-06-29/2022-07-01/x", "/", ""])
def test_invalid_dates(value: str) -> None:
    assert not bib_rules.is_valid_date(value)


def test_bibtex_aliases_satisfy_the_data_model() -> None:
    assert bib_rules.missing_fields("article", {"author": "A", "title": "T", "journal": "J",
                                                "year": "2000"}) == []
    assert bib_rules.missing_fields("mastersthesis", {"author": "A", "title": "T",
                                                      "school": "S", "date": "2000"}) == []
    assert bib_rules.missing_fields("online", {"title": "T"}) == ["url"]  # undated pages: APA "n.d."
    assert bib_rules.missing_fields("booklet", {"title": "T", "year": "2000"}) == ["author/editor"]
    assert bib_rules.missing_fields("whatever", {"year": "2000"}) == ["title"]  # biber: misc


def test_doi_rules() -> None:
    assert bib_rules.doi_problem("10.1176/appi.ajp.2010.10101411") is None
    assert bib_rules.doi_problem("doi:10.1176/x") == (
        "DOI 'doi:10.1176/x' is written as a link or with a label", "write only the DOI: 10.1176/x")
    assert bib_rules.doi_problem("http://dx.doi.org/10.1176/x") is not None
    assert bib_rules.doi_problem("10.11/x") is not None  # registrant code too short


def test_a_non_ascii_key_is_not_renderable_in_the_bib_as_on_the_pages() -> None:
    # One rule for references.bib (BIB010) and the pages (CIT003): ASCII letters, digits, '-', '_'.
    data = "@book{müller2001,\n  author = {Müller, A.},\n  title = {T},\n  publisher = {P},\n  year = {2001}\n}\n"
    bib = parse_bibliography(data.encode("utf-8"), "references.bib")
    assert [(p.code, p.line) for p in bib.problems] == [("BIB010", 1)]
    assert bib.problems[0].hint.startswith("rename it, e.g. 'muller2001'")  # not the same bad key
