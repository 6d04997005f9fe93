"""Front matter and content-safety checks run in the real build (hook) and in ipt-check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project, mkdocs


def broken_project(tmp_path: Path, old: str, new: str) -> Path:
    project = copy_project(tmp_path)
    page = project / "docs" / "about.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    return project


def ipt_check(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run([sys.executable, "-m", "ipt_site.cli.check", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def test_unsafe_html_stops_the_build_with_its_location(tmp_path: Path) -> None:
    project = broken_project(tmp_path, "# About this information\n",
                             "# About this information\n\n<script>alert(1)</script>\n")
    lines = (project / "docs" / "about.md").read_text(encoding="utf-8").splitlines()
    line = lines.index("<script>alert(1)</script>") + 1
    result = mkdocs("build", "--strict", cwd=project)
    assert result.returncode != 0
    assert f"docs/about.md:{line}:1: HTML001" in result.stdout + result.stderr
    assert f"docs/about.md:{line}:1: HTML001" in ipt_check(project).stdout


def test_overdue_page_fails_only_the_strict_build(tmp_path: Path) -> None:
    project = broken_project(tmp_path, "last_reviewed: 2026-11-22\nnext_review_due: 2027-11-22",
                             "last_reviewed: 2024-01-10\nnext_review_due: 2025-01-10")
    strict = mkdocs("build", "--strict", cwd=project)
    assert strict.returncode != 0
    assert "docs/about.md:5:18: FM009 (warning) page is overdue for review (next review was due 2025-01-10)" in (
        strict.stdout + strict.stderr)
    assert mkdocs("build", cwd=project).returncode == 0
    assert ipt_check(project, "--no-strict").returncode == 0
    assert ipt_check(project).returncode == 1  # as ./dev build (strict) fails


def test_bad_front_matter_stops_the_build(tmp_path: Path) -> None:
    project = broken_project(tmp_path, "last_reviewed: 2026-11-22", "last_reviewed: 2026-02-30")
    result = mkdocs("build", "--strict", cwd=project)
    assert result.returncode != 0
    assert "docs/about.md:4:16: FM005" in result.stdout + result.stderr
