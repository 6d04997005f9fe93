"""``ipt-check --format github``: each problem as a workflow command GitHub shows on its line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project
from ipt_site.problems import Problem, Severity, format_github


def test_an_error_with_its_file_line_column_and_code() -> None:
    problem = Problem("docs/theory.md", 12, 5, "CIT001", "unknown citation key 'stuart2013'",
                      "fix the key, or add the entry to references.bib")
    assert format_github(problem) == (
        "::error file=docs/theory.md,line=12,col=5,title=CIT001::unknown citation key 'stuart2013'"
        "%0Ahelp: fix the key, or add the entry to references.bib")


def test_a_warning_for_a_whole_file() -> None:
    problem = Problem("references.bib", 0, 0, "BIB009", "not cited", "", Severity.WARNING)
    assert format_github(problem) == "::warning file=references.bib,title=BIB009::not cited"


def test_github_escaping_of_data_and_properties() -> None:
    # %, CR and LF everywhere; ':' and ',' in properties too (GitHub's toolkit rules).
    problem = Problem("docs/a,b:c%.md", 1, 2, "X001", "100% sure:\r\nyes, really", "")
    assert format_github(problem) == (
        "::error file=docs/a%2Cb%3Ac%25.md,line=1,col=2,title=X001::100%25 sure:%0D%0Ayes, really")


def test_the_command_prints_one_annotation_per_problem(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "theory.md"
    text = page.read_text(encoding="utf-8")
    at = text.index("[@stuart2012]") + 1  # the problem is located at the '@'
    page.write_text(text[:at] + "@stuart2013" + text[at + len("@stuart2012"):], encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    result = subprocess.run([sys.executable, "-m", "ipt_site.cli.check", "--format", "github"], cwd=project,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    [command] = commands
    assert command.startswith(f"::error file=docs/theory.md,line={line},col={column},title=CIT001::"
                              "unknown citation key 'stuart2013' — did you mean 'stuart2012'")
    assert command.endswith("%0Ahelp: fix the key, or add the entry to references.bib")
