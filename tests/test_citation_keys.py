"""Citation keys against the bibliography: ipt_site.checks.page.citation_keys."""

from __future__ import annotations

from ipt_site.checks.page import citation_keys
from ipt_site.checks.page.citation_keys import KeyIndex
from ipt_site.problems import Problem, Severity
from page_rules import page_text, run_rule

KEYS = {"stuart2012", "robertson2008", "weissman2000", "doe:2020", "bowlby1969"}


def check(markdown: str, keys: set[str] = KEYS, line_offset: int = 0) -> list[Problem]:
    return run_rule(citation_keys.check, page_text(markdown, line_offset=line_offset), keys=KeyIndex.of(keys))


def codes(markdown: str, keys: set[str] = KEYS) -> list[str]:
    return [problem.code for problem in check(markdown, keys)]


def test_clean_page_has_no_problems() -> None:
    text = "IPT [@stuart2012; see @robertson2008, p. 3], as Stuart [-@stuart2012] says.\n`@stuart2012` in code."
    assert check(text) == []


# --- CIT001 unknown key ----------------------------------------------------------------


def test_unknown_key_with_suggestion_and_location() -> None:
    text = "Intro.\n\nIPT is brief [see @stuart2013, p. 4]."
    (problem,) = check(text, line_offset=3)
    assert problem == Problem(
        path="docs/page.md",
        line=6,  # line 3 of the Markdown, plus three lines of front matter
        column=text.splitlines()[2].index("@") + 1,
        code="CIT001",
        message="unknown citation key 'stuart2013' — did you mean 'stuart2012'?",
        hint="fix the key, or add the entry to references.bib",
        severity=Severity.ERROR,
    )


def test_unknown_key_with_two_suggestions() -> None:
    (problem,) = check("[@stuart2010]", {"stuart2012", "stuart2011", "robertson2008"})
    # closest first (difflib breaks ties in reverse alphabetical order)
    assert problem.message == "unknown citation key 'stuart2010' — did you mean 'stuart2012' or 'stuart2011'?"


def test_unknown_key_without_suggestion() -> None:
    (problem,) = check("[@zzz]")
    assert problem.message == "unknown citation key 'zzz'"
    assert (problem.line, problem.column) == (1, 2)


def test_every_occurrence_is_reported() -> None:
    problems = check("[@nope] and\n[@nope; @stuart2012]")
    assert [(p.code, p.line, p.column) for p in problems] == [("CIT001", 1, 2), ("CIT001", 2, 2)]


# --- CIT002 wrong case -----------------------------------------------------------------


def test_key_differing_only_in_case() -> None:
    (problem,) = check("As shown [@Stuart2012].")
    assert (problem.code, problem.line, problem.column) == ("CIT002", 1, 11)
    assert problem.message == "citation key 'Stuart2012' differs only in case from 'stuart2012'"
    assert problem.hint == "keys are case-sensitive: write 'stuart2012'"


# --- CIT003 keys mkdocs-bibtex cannot render -------------------------------------------


def test_key_with_punctuation_reported_even_when_known() -> None:
    (problem,) = check("[@doe:2020]")
    assert (problem.code, problem.column) == ("CIT003", 2)
    assert problem.message == "citation key 'doe:2020' contains ':', which mkdocs-bibtex drops"
    assert problem.hint == "rename the key in references.bib and here, using only letters, digits, '-' and '_'"


def test_key_with_punctuation_and_unknown() -> None:
    problems = check("[@doe.2020] [@a/b]")
    assert [(p.code, p.message) for p in problems] == [
        ("CIT001", "unknown citation key 'doe.2020' — did you mean 'doe:2020'?"),
        ("CIT003", "citation key 'doe.2020' contains '.', which mkdocs-bibtex drops"),
        ("CIT001", "unknown citation key 'a/b'"),
        ("CIT003", "citation key 'a/b' contains '/', which mkdocs-bibtex drops"),
    ]


def test_key_the_plugin_reads_longer_than_pandoc() -> None:
    (problem,) = check("[@stuart2012-] and [@stuart2012--b]")[:1]
    assert (problem.code, problem.column) == ("CIT003", 2)
    assert problem.message == ("citation key 'stuart2012' is followed by '-', "
                               "which mkdocs-bibtex reads as part of the key")
    assert problem.hint == "put a comma or a space after the key: [@stuart2012, ...]"
    assert [p.message.split("followed by ")[1][:5] for p in check("[@stuart2012--b]")] == ["'--b'"]


def test_braced_and_non_ascii_keys() -> None:
    keys = {"weird key", "müller2020", "https://doi.org/10.1/x"}
    problems = check("[@{https://doi.org/10.1/x}] [@müller2020]", keys)
    assert [(p.code, p.message) for p in problems] == [
        (
            "CIT003",
            "citation key 'https://doi.org/10.1/x' is written in braces (@{...}), which mkdocs-bibtex cannot read",
        ),
        ("CIT003", "citation key 'müller2020' contains 'ü', which is not an ASCII letter or digit"),
    ]


# --- CIT004 bare keys ------------------------------------------------------------------


def test_bare_key_of_a_bibliography_entry() -> None:
    text = "As\n@stuart2012 showed, and -@robertson2008 too."
    first, second = check(text)
    assert first == Problem(
        "docs/page.md",
        2,
        1,
        "CIT004",
        "bare citation '@stuart2012' is not rendered on this site",
        "write [@stuart2012], or [-@stuart2012] after the authors' names",
        Severity.ERROR,
    )
    column = text.splitlines()[1].index("@robertson2008") + 1  # the '@', not the '-'
    assert (second.code, second.line, second.column) == ("CIT004", 2, column)
    assert second.message == "bare citation '@robertson2008' is not rendered on this site"


def test_bare_key_matches_case_insensitively() -> None:
    (problem,) = check("Per @Stuart2012.")
    assert problem.message == "bare citation '@Stuart2012' is not rendered on this site"
    assert problem.hint == "write [@stuart2012], or [-@stuart2012] after the authors' names"


def test_bare_text_that_is_not_a_key_is_left_alone() -> None:
    text = "Follow @ipt_group, mail stuart2012@example.com, see `@stuart2012` or <!-- @stuart2012 -->."
    assert check(text) == []


# --- CIT005 brackets that will not render ----------------------------------------------


def test_empty_and_malformed_brackets() -> None:
    text = "Empty [@] and [see @], a stray semicolon [@stuart2012; p. 4]."
    problems = check(text)
    assert [(p.code, p.column, p.message) for p in problems] == [
        ("CIT005", 8, "'[@]' looks like a citation but is not valid citation syntax"),
        ("CIT005", 20, "'[see @]' looks like a citation but is not valid citation syntax"),
        ("CIT005", 43, "'[@stuart2012; p. 4]' looks like a citation but is not valid citation syntax"),
    ]
    assert problems[0].hint.startswith("write [@key]")
    # the key inside the broken bracket is not also reported as a bare citation
    assert "CIT004" not in codes(text)


def test_nested_citation_and_definition_lookalike() -> None:
    text = "[see [@bowlby1969] @stuart2012]\n[@weissman2000]: reads as a link definition"
    problems = check(text)
    assert [(p.code, p.line, p.column) for p in problems] == [("CIT005", 1, 7), ("CIT005", 2, 2)]
    assert problems[0].message == "citation '[@bowlby1969]' is inside another citation's brackets"
    assert problems[1].message == (
        "citation '[@weissman2000]' starts a line and is followed by ':', which the site reads as a link definition"
    )


def test_problems_are_sorted() -> None:
    problems = check("[@zzz2]\n[@zzz1] [@Stuart2012]")
    assert problems == sorted(problems)
    assert [p.code for p in problems] == ["CIT001", "CIT001", "CIT002"]
