"""Review dates against the real clock: every command agrees, whatever day the suite runs.

A page reviewed today and due again in 11 months passes ``ipt-check``, the
strict build and the suite's test of the real site (tests/test_real_site.py); an overdue page fails all three
with the same located FM009 line.  The project copy's dates are computed from
``date.today()``, so this test is as true next year as today.
"""

from __future__ import annotations

import calendar
import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs

PAGE = "docs/about.md"
DATES = re.compile(r"^last_reviewed: .*\nnext_review_due: .*$", re.MULTILINE)


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), the month's last day when it has none."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def dated_project(tmp_path: Path, last: date, due: date) -> Path:
    project = copy_project(tmp_path / "project")
    page = project / PAGE
    text, count = DATES.subn(f"last_reviewed: {last.isoformat()}\nnext_review_due: {due.isoformat()}",
                             page.read_text(encoding="utf-8"), count=1)
    assert count == 1, "the page's review dates were not found"
    page.write_text(text, encoding="utf-8")
    # The test suite's own test of the real pages, run in the copy.
    (project / "tests").mkdir()
    for helper in [*(ROOT / "tests").glob("[!t]*.py"), ROOT / "tests" / "test_real_site.py"]:
        shutil.copy2(helper, project / "tests")  # conftest.py and the modules it imports
    (project / "tools").mkdir()
    shutil.copy2(ROOT / "tools" / "site_digests.py", project / "tools")  # conftest.py imports it too
    return project


def run_every_command(project: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    check = subprocess.run([sys.executable, "-m", "ipt_site.cli.check"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    build = mkdocs("build", "--strict", cwd=project, env={"IPT_CITATION_CACHE": "off"})
    test = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(project),
         "tests/test_real_site.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300)
    return {"check": check, "build": build, "test": test}


@pytest.mark.parametrize("months", [0, 11], ids=["due-tomorrow", "due-in-11-months"])
def test_a_page_reviewed_today_passes_every_command(tmp_path: Path, months: int) -> None:
    today = date.today()
    due = months_later(today, months) if months else today + timedelta(days=1)
    results = run_every_command(dated_project(tmp_path, today, due))
    for name, result in results.items():
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{name} failed:\n{output}"
        assert "FM008" not in output and "FM009" not in output and "Traceback" not in output


def test_an_overdue_page_fails_every_command_with_the_same_fm009(tmp_path: Path) -> None:
    due = date.today() - timedelta(days=1)
    project = dated_project(tmp_path, months_later(due, -12), due)
    text = (project / PAGE).read_text(encoding="utf-8")
    line = text[:text.index("next_review_due:")].count("\n") + 1
    expected = (f"{PAGE}:{line}:18: FM009 (warning) page is overdue for review "
                f"(next review was due {due.isoformat()})")
    for name, result in run_every_command(project).items():
        output = result.stdout + result.stderr
        assert result.returncode != 0, f"{name} passed an overdue page:\n{output}"
        assert expected in output, f"{name}:\n{output}"
        assert "Traceback" not in output
