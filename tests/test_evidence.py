"""The evidence record (evidence.yml): each EVD code, as plain functions (no MkDocs)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from ipt_site.checks.project.evidence import Citation, check_evidence, load_evidence, parse_evidence
from ipt_site.problems import Problem

RECORD = """\
stuart2012:
  source: Stuart & Robertson (2012)
  statements:
    - page: docs/theory.md
      says: Three theoretical foundations.
      where: content-sources.md, 'Theory'
      status: checked
nice2022:
  statements:
    - page: docs/does-it-work.md
      says: IPT is an option for less severe depression.
      where: NG222, recommendation 1.5
      status: secondary
"""
BIB = {"stuart2012", "nice2022", "klerman1984"}


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def run(record: str, cited: dict[str, list[Citation]]) -> list[Problem]:
    return check_evidence(parse_evidence(record, "evidence.yml"), cited, BIB)


def test_a_page_citing_recorded_sources_passes() -> None:
    cited = {"docs/theory.md": [Citation("stuart2012", 12, 5)], "docs/does-it-work.md": [Citation("nice2022", 3, 1)]}
    assert run(RECORD, cited) == []


def test_evd001_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    record = load_evidence(tmp_path / "evidence.yml", "evidence.yml")
    problems = check_evidence(record, {"docs/theory.md": [Citation("stuart2012", 3, 1)]}, BIB)
    assert codes(problems) == ["EVD001"]
    assert "evidence.yml" in problems[0].format() and "create" in problems[0].hint


def test_evd002_invalid_yaml_is_located_not_a_traceback() -> None:
    problems = run("stuart2012:\n  statements:\n    - page: docs/theory.md\n      says: \"unclosed\n", {})
    assert codes(problems) == ["EVD002"]
    assert problems[0].path == "evidence.yml" and problems[0].line >= 4


def test_evd002_wrong_shape_and_duplicate_key() -> None:
    assert codes(run("- stuart2012\n", {})) == ["EVD002"]
    problems = run(RECORD + "stuart2012:\n  statements: []\n", {"docs/theory.md": [Citation("stuart2012", 1, 1)],
                                                               "docs/does-it-work.md": [Citation("nice2022", 1, 1)]})
    assert [(p.code, p.line) for p in problems] == [("EVD002", 14)]


def test_evd003_missing_unknown_and_bad_fields_are_located() -> None:
    record = ("klerman1984:\n  statements:\n    - page: docs/theory.md\n      say: typo\n"
              "      where: p. 1\n      status: maybe\n")
    problems = run(record, {"docs/theory.md": [Citation("klerman1984", 1, 1)]})
    found = {(p.code, p.line) for p in problems}
    assert ("EVD003", 4) in found                                 # unknown field 'say'
    assert any("did you mean 'says'" in p.message for p in problems)
    assert ("EVD003", 3) in found                                 # no 'says'
    assert ("EVD003", 6) in found                                 # bad status
    assert codes(run("klerman1984:\n  source: x\n", {})) == ["EVD003"]   # no statements


def test_evd004_recorded_key_not_in_bibliography() -> None:
    record = RECORD.replace("nice2022:", "nice2023:")
    problems = run(record, {"docs/theory.md": [Citation("stuart2012", 1, 1)], "docs/does-it-work.md": []})
    assert [(p.code, p.line) for p in problems] == [("EVD004", 8)]  # its statements are not reported again
    assert "did you mean 'nice2022'" in problems[0].message


def test_evd005_statement_for_a_page_that_does_not_cite_the_key_or_does_not_exist() -> None:
    problems = run(RECORD, {"docs/theory.md": [], "docs/does-it-work.md": [Citation("nice2022", 1, 1)]})
    assert [(p.code, p.line, p.path) for p in problems] == [("EVD005", 4, "evidence.yml")]
    assert "does not cite 'stuart2012'" in problems[0].message
    problems = run(RECORD.replace("docs/theory.md", "docs/theroy.md"),
                   {"docs/theory.md": [], "docs/does-it-work.md": [Citation("nice2022", 1, 1)]})
    assert codes(problems) == ["EVD005"] and "did you mean 'docs/theory.md'" in problems[0].message


def test_evd006_cited_key_with_no_evidence_for_that_page_points_at_the_citation() -> None:
    cited = {"docs/theory.md": [Citation("stuart2012", 1, 1), Citation("klerman1984", 20, 7),
                                Citation("klerman1984", 30, 2)],
             "docs/does-it-work.md": [Citation("nice2022", 1, 1)]}
    problems = run(RECORD, cited)
    assert [p.format().splitlines()[0] for p in problems] == [
        "docs/theory.md:20:7: EVD006 no evidence recorded for 'klerman1984' on this page"]
    assert "page: docs/theory.md" in problems[0].hint


def test_evd007_page_citing_a_source_recorded_only_as_unchecked() -> None:
    cited = {"docs/theory.md": [Citation("stuart2012", 1, 1)], "docs/does-it-work.md": [Citation("nice2022", 9, 3)]}
    problems = run(RECORD.replace("status: secondary", "status: unchecked"), cited)
    assert [(p.path, p.line, p.code) for p in problems] == [("docs/does-it-work.md", 9, "EVD007")]


def test_the_real_record_parses_cleanly() -> None:
    record = load_evidence(ROOT / "evidence.yml", "evidence.yml")
    assert record.found and record.problems == [] and record.statements


def test_broken_yaml_is_the_only_problem_reported() -> None:
    # Not one more EVD006 for every citation on the site.
    problems = run("stuart2012:\n  statements: [\n", {"docs/theory.md": [Citation("stuart2012", 1, 1)]})
    assert codes(problems) == ["EVD002"]


def test_a_record_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    file = tmp_path / "evidence.yml"
    file.write_bytes("stuart2012:\n  note: caf\u00e9\n".encode("latin-1"))
    record = load_evidence(file, "evidence.yml")
    assert [(p.code, p.path) for p in record.problems] == [("EVD002", "evidence.yml")]
    assert "UTF-8" in record.problems[0].hint
    assert codes(check_evidence(record, {"docs/theory.md": [Citation("stuart2012", 1, 1)]}, BIB)) == ["EVD002"]
