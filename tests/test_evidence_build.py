"""The evidence record in a real MkDocs build: a page citing a source with no evidence recorded fails."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project, mkdocs


def test_page_citing_a_key_with_no_evidence_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "theory.md"
    text = page.read_text(encoding="utf-8")
    # churchill2001 is in references.bib and cited elsewhere, but nothing is recorded for theory.md.
    marker = "# The theory behind IPT\n"
    assert marker in text
    page.write_text(text.replace(marker, marker + "\nTalking therapies were reviewed in 2001 [@churchill2001].\n", 1),
                    encoding="utf-8")
    line = page.read_text(encoding="utf-8").splitlines().index(
        "Talking therapies were reviewed in 2001 [@churchill2001].") + 1
    result = mkdocs("build", cwd=project)       # not --strict: an error on its own
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    assert f"docs/theory.md:{line}:42: EVD006 no evidence recorded for 'churchill2001' on this page" in output
    assert not (project / "site" / "theory" / "index.html").exists()


def test_an_uncited_section_on_a_health_page_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "theory.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.rstrip("\n") + "\n\n## A new idea\n\nIPT works best on Tuesdays.\n", encoding="utf-8")
    line = len(page.read_text(encoding="utf-8").splitlines()) - 2
    result = mkdocs("build", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert f"docs/theory.md:{line}:1: SEC001 section 'A new idea' states facts but cites no source" in output
