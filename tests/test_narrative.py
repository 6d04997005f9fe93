"""Author–year mentions in prose, checked against the real references.bib."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_site.checks.page import narrative
from ipt_site.checks.page.narrative import NarrativeIndex
from ipt_site.problems import Problem
from ipt_site.sources.bibliography import Bibliography, load_bibliography, parse_bibliography
from page_rules import page_text, run_rule

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    loaded = load_bibliography(ROOT / "references.bib", "references.bib")
    assert loaded.problems == []
    return loaded


@pytest.fixture(scope="module")
def index(bib: Bibliography) -> NarrativeIndex:
    return NarrativeIndex.build(bib)


def check_narrative(path: str, text: str, bib: Bibliography, line_offset: int = 0,
                    index: NarrativeIndex | None = None) -> list[Problem]:
    """The narrative check on a page whose body is ``text``, ``line_offset`` lines down."""
    return run_rule(narrative.check, page_text(text, line_offset=line_offset), path=path, bib=bib, narrative=index)


def check(text: str, bib: Bibliography) -> list[Problem]:
    return check_narrative("docs/page.md", text, bib)


CORRECT = [
    "Stuart and Robertson (2012) describe the first phase.",
    "As Stuart & Robertson, 2012 put it, the focus is interpersonal.",
    "IPT is well studied (Robertson et al., 2008).",
    "Robertson et al. (2008) give an overview.",
    "Churchill et al. 2001 reviewed brief treatments.",
    "Robertson, Rushton and Wurm (2008) give an overview.",
    "Robertson, Rushton, and Wurm (2008) give an overview.",
    "Cuijpers and colleagues (2016) pooled the trials.",
    "Stuart and Robertson's (2012) guide is practical.",
    "Robertson et al.'s (2008) overview is short.",
    "Two editions exist (Stuart & Robertson, 2003, 2012).",
    "It works (Stuart & Robertson, 2012; Cuijpers et al., 2011, 2016).",
    "The manual came first (see Klerman et al., 1984).",
    "Klerman, Weissman, Rounsaville and Chevron (1984) wrote the manual.",
    "Malhi et al. (2021) and Malhi, Bell and Bassett (2021) are the same guideline.",
    "National Institute for Health and Care Excellence (2022) recommends it.",
    "The guideline agrees (National Institute for Health and Care Excellence [NICE], 2022).",
    "In Australia, Stuart and Robertson (2012) is the usual text.",
    "However, Cuijpers et al. (2011) found moderate effects.",
    "Cuijpers, Geraedts, van Oppen et al. (2011) included 38 studies.",
    "Klerman (1984) is the founder's text.",
    "Stuart and Robertson\n(2012) wrap across lines.",
]


@pytest.mark.parametrize("sentence", CORRECT)
def test_correct_narrative_citations_pass(sentence: str, bib: Bibliography) -> None:
    assert check(sentence, bib) == []


ORDINARY = [
    "IPT has been offered in Australia since 2006.",
    "Since November 2006, psychologists can bill Medicare.",
    "Call Lifeline on 13 11 14 at any time.",
    "Lifeline 13 11 14 is free.",
    "Medicare Better Access (2006) funds up to ten sessions.",
    "In 2020, the plan was extended.",
    "From 1 November 2025 the plan changes again.",
    "Kids Helpline 1800 55 1800 is for young people.",
    "The 2020 guidelines recommend it.",
    "NICE guideline NG222 (2022) covers adults.",
    "Depression and Anxiety (2019) published the trial.",
    "Beyond Blue & Headspace 2020 campaigns ran nationally.",
    "The survey was run in Sydney (Australia, 2020).",
    "In Sydney, 2006 was the first year.",
    "Between 2006 and 2012, IPT training grew.",
    "The June (2022) update changed the wording.",
    "Version 2.0 (2020) of the form is online.",
    "Australian Bureau of Statistics (2021) figures are used.",
    "Health & Wellbeing Strategy 2020 is a state plan.",
    "See https://example.org/2020/guide or file-2020.pdf for details.",
    "Cite it as [@stuart2012] or [-@robertson2008, p. 3].",
    "Dr Scott Stuart visited Sydney in 2012.",
    "IPT was developed by Klerman and Weissman in the 1970s.",
    "On 29 June 2022 NICE published its guideline.",
    "The COVID-19 pandemic in 2020 changed how sessions run.",
    "Phone 02 9999 2012 between 9 and 5.",
    "Between 2019–2020 many sessions went online.",
    "Sessions cost $2012 in total (Medicare, 2020 rates).",
]


@pytest.mark.parametrize("sentence", ORDINARY)
def test_ordinary_numbers_and_dates_are_not_citations(sentence: str, bib: Bibliography) -> None:
    assert check(sentence, bib) == []


def test_nar001_misspelt_author_with_suggestion(bib: Bibliography) -> None:
    text = "Intro line.\nAs noted by Stuart and Roberston (2012), it helps."
    [problem] = check(text, bib)
    assert problem.code == "NAR001"
    assert (problem.line, problem.column) == (2, 13)
    assert problem.message == (
        "unknown author 'Roberston' in narrative citation — did you mean 'Robertson'?")
    assert problem.hint == "write 'Stuart and Robertson'"


def test_nar001_misspelt_single_author(bib: Bibliography) -> None:
    [problem] = check("Roberston et al. (2008) say so.", bib)
    assert problem.code == "NAR001"
    assert problem.hint == "write 'Robertson et al.'"


def test_nar001_author_not_in_bibliography(bib: Bibliography) -> None:
    # Not "Smith": since Malhi et al. (2018) the bibliography has a Singh, a close match.
    [problem] = check("Zhang et al. (2010) disagree.", bib)
    assert problem.code == "NAR001"
    assert problem.message == "unknown author 'Zhang' in narrative citation 'Zhang et al.'"
    assert "references.bib" in problem.hint


def test_nar002_wrong_year(bib: Bibliography) -> None:
    [problem] = check("Stuart and Robertson (2013) describe it.", bib)
    assert problem.code == "NAR002"
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == "no entry by Stuart and Robertson from 2013 — entries: 2003, 2012"


def test_nar002_one_wrong_year_in_a_list(bib: Bibliography) -> None:
    [problem] = check("(Cuijpers et al., 2011, 2015)", bib)
    assert problem.message == "no entry by Cuijpers et al. from 2015 — entries: 2011, 2016"
    assert (problem.line, problem.column) == (1, 2)


def test_nar002_authors_never_wrote_together(bib: Bibliography) -> None:
    [problem] = check("Stuart and Wurm (2008) disagree.", bib)
    assert problem.code == "NAR002"
    assert problem.message.startswith("no entry by Stuart and Wurm from 2008")


def test_nar003_et_al_for_two_authors(bib: Bibliography) -> None:
    [problem] = check("See Stuart et al. (2012) for details.", bib)
    assert problem.code == "NAR003"
    assert (problem.line, problem.column) == (1, 5)
    assert problem.message == "'Stuart et al.' but stuart2012 has 2 authors"
    assert problem.hint == "write 'Stuart and Robertson'"


def test_nar003_and_colleagues_for_two_authors(bib: Bibliography) -> None:
    [problem] = check("Stuart and colleagues (2003) wrote it.", bib)
    assert problem.message == "'Stuart and colleagues' but stuart2003 has 2 authors"


def test_nar003_not_raised_when_the_entry_says_and_others(bib: Bibliography) -> None:
    truncated = parse_bibliography(
        b"@article{lee2020, author={Lee, A. and others}, title={T}, journal={J}, year={2020}}",
        "r.bib")
    assert check_narrative("p.md", "Lee et al. (2020) agree.", truncated) == []
    two = parse_bibliography(
        b"@article{lee2020, author={Lee, A. and Kim, B.}, title={T}, journal={J}, year={2020}}",
        "r.bib")
    assert [p.code for p in check_narrative("p.md", "Lee et al. (2020) agree.", two)] == ["NAR003"]


def test_nar004_authors_in_wrong_order(bib: Bibliography) -> None:
    [problem] = check("As Wurm, Robertson and Rushton (2008) argue.", bib)
    assert problem.code == "NAR004"
    assert (problem.line, problem.column) == (1, 4)
    assert problem.message == ("author order: 'Wurm, Robertson and Rushton' but robertson2008 "
                               "lists Robertson, Rushton, Wurm")
    assert problem.hint == "write 'Robertson, Rushton and Wurm'"


def test_nar004_second_author_named_alone(bib: Bibliography) -> None:
    [problem] = check("Weissman (1984) wrote the manual.", bib)
    assert problem.code == "NAR004"
    assert problem.hint == "write 'Klerman et al.'"


def test_nar004_second_author_of_the_cited_year(bib: Bibliography) -> None:
    [problem] = check("Dr Michael Robertson (2012) explains it.", bib)
    assert problem.code == "NAR004"
    assert (problem.line, problem.column) == (1, 12)
    assert problem.message == "author order: 'Robertson' but stuart2012 lists Stuart, Robertson"


def test_a_work_missing_from_the_bibliography(bib: Bibliography) -> None:
    [problem] = check("Weissman, Markowitz and Klerman (2000) is a later guide.", bib)
    assert problem.code == "NAR002"
    assert problem.message == ("no entry by Weissman, Markowitz and Klerman from 2000 — "
                               "entries: none by these authors")


def test_line_offset_is_added(bib: Bibliography) -> None:
    [problem] = check_narrative("docs/page.md", "x\nStuart et al. (2012)", bib, line_offset=5)
    assert (problem.path, problem.line, problem.column) == ("docs/page.md", 7, 1)


def test_an_index_can_be_shared(bib: Bibliography, index: NarrativeIndex) -> None:
    assert check_narrative("p.md", "Stuart et al. (2012)", bib, index=index)[0].code == "NAR003"


def test_empty_bibliography_gives_no_problems_for_plain_prose() -> None:
    empty = parse_bibliography(b"", "r.bib")
    assert check_narrative("p.md", "Stuart and Robertson (2012) said so in 2006.", empty) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"SRCWaelt .,;&()'’\n0123456789[]",
    "Stuart", "Roberston", "Robertson", "et al.", " and ", "2012", "2013", "van ", "Oppen",
    "National Institute for Health and Care Excellence", "[NICE]", "colleagues", "'s"]),
    max_size=60).map("".join))
def test_random_text_never_raises(bib: Bibliography, text: str) -> None:
    for problem in check(text, bib):
        assert problem.line >= 1 and problem.column >= 1


HEAD_PIECES = [
    "Stuart", "Robertson", "Roberston", "van", "Oppen", "O'Brien", "Smith-Jones", "Müller",
    "Éric", "Mc", "de la", "van der", "et", "al.", "al.’s", "and", "&", ",", " ", "\n", "(",
    "(see", "e.g.,", ";", "'s", "’s", "’", "-", "colleagues", "co-workers", "the", "In", "x",
    "National Institute for Health and Care Excellence", "[NICE]",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(HEAD_PIECES), st.sampled_from(["", " ", ", "])),
                min_size=1, max_size=12),
       st.sampled_from([" (", ", ", " "]))
def test_backwards_grammar_finds_the_same_names_as_the_forward_one(
        index: NarrativeIndex, pieces: list[tuple[str, str]], separator: str) -> None:
    # The checker matches the head backwards for speed; it must agree with the
    # readable forward grammar on where the names start.
    text = "".join(word + gap for word, gap in pieces) + separator
    forward = index.head_re.search(text)
    backward = index.reversed_head_re.match(text[::-1])
    assert (forward.start("names") if forward else None) == (
        len(text) - backward.end("names") if backward else None)


def _pages(count: int) -> list[str]:
    rng = random.Random(1)
    sentences = [
        "Interpersonal psychotherapy is a time-limited treatment for depression. ",
        "The therapist and client agree on a focus such as grief or role transitions. ",
        "Sessions usually run weekly for twelve to sixteen weeks. ",
        "Stuart and Robertson (2012) describe the approach in detail. ",
        "Several trials support it (Cuijpers et al., 2011; Churchill et al., 2001). ",
        "Since November 2006, Medicare Better Access (2006) has funded sessions. ",
        "Call Lifeline on 13 11 14 or Kids Helpline on 1800 55 1800. ",
        "In 2020, the guidelines were updated. ",
    ]
    pages = []
    for _ in range(count):
        text = ""
        while len(text) < 3000:
            text += rng.choice(sentences) + ("\n\n" if rng.random() < 0.2 else "")
        pages.append(text)
    return pages


def test_a_thousand_ordinary_pages_give_no_false_alarms(bib: Bibliography) -> None:
    # Speed is measured by benchmarks/check_speed.py, not asserted here.
    for number, page in enumerate(_pages(1000)):
        assert check_narrative(f"p{number}.md", page, bib) == []


# --- NAR005: a mention that matches no entry at all ------------------------------------------

UNMATCHED = [
    ("Smith (2019) found that IPT helps.", "'Smith (2019)'", 1),
    ("As Jones (2020) showed, it helps.", "'Jones (2020)'", 4),
    ("In Smith (2019), the authors agree.", "'Smith (2019)'", 4),
    ("Therapy helps (Nguyen, 2021).", "'(Nguyen, 2021)'", 16),
    ("One study (see Smith, 2019) disagrees.", "'(Smith, 2019)'", 16),
]


@pytest.mark.parametrize(("sentence", "written", "column"), UNMATCHED)
def test_an_author_year_mention_with_no_entry_is_a_located_warning(
    sentence: str, written: str, column: int, bib: Bibliography
) -> None:
    [problem] = check(sentence, bib)
    assert (problem.code, problem.line, problem.column, problem.is_error) == ("NAR005", 1, column, False)
    assert problem.message.startswith(f"{written} reads as a citation, but references.bib has no work by")
    assert "[@key]" in problem.hint and "backslash" in problem.hint


@pytest.mark.parametrize("sentence", ["Smith \\(2019) is only a name here.", "A claim \\(Smith, 2019) in passing."])
def test_a_backslash_before_the_bracket_marks_a_mention_that_is_not_a_citation(
    sentence: str, bib: Bibliography
) -> None:
    assert check(sentence, bib) == []


@pytest.mark.parametrize("sentence", [
    "Beyond Blue (2020) runs a helpline.",
    "The Black Dog Institute (2021) has resources.",
    "Updated in March (2024), the page is current.",
])
def test_names_of_organisations_and_months_are_not_flagged(sentence: str, bib: Bibliography) -> None:
    assert check(sentence, bib) == []


def test_an_unmatched_mention_fails_the_strict_check_and_build(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import copy_project, mkdocs

    project = copy_project(tmp_path / "project")
    page = project / "docs" / "about.md"
    with page.open("a", encoding="utf-8") as out:
        out.write("\nSmith (2019) found that it helps.\n")
    line = page.read_text(encoding="utf-8").count("\n")
    expected = f"docs/about.md:{line}:1: NAR005 (warning) 'Smith (2019)' reads as a citation"
    check = subprocess.run([sys.executable, "-m", "ipt_site.cli.check"], cwd=project, capture_output=True, text=True,
                           env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert check.returncode == 1 and expected in check.stdout
    build = mkdocs("build", "--strict", cwd=project, env={"IPT_CITATION_CACHE": "off"})
    assert build.returncode != 0 and expected in build.stdout + build.stderr
    assert "Traceback" not in build.stdout + build.stderr
