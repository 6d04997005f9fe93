"""What would crash the build is reported by the check first: pandoc's BibTeX syntax,
non-UTF-8 pages, linked folders, link loops, a missing bibliography."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project, mkdocs
from ipt_site.checks.project.pandoc_bib import start_pandoc_read
from ipt_site.checks.project_check import ProjectCheck, check_project
from ipt_site.cli.check import plugin_config, read_config
from ipt_site.sources.pages import find_pages

FRONT_MATTER = ("---\ntitle: T\ndescription: D.\nlast_reviewed: 2026-11-22\nnext_review_due: 2027-11-22\n"
                "reviewed_by: Team\n---\n\n")


def pandoc_problems(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    bib = tmp_path / "references.bib"
    bib.write_text(text, encoding="utf-8")
    return [(p.line, p.column, p.hint) for p in start_pandoc_read(bib, bib.read_bytes(), bib.name).problems()]


def test_pandoc_reads_a_good_bibliography(tmp_path: Path) -> None:
    assert pandoc_problems(tmp_path, "@misc{a,\n  title = {A},\n  year = {2020}\n}\n") == []


def test_entries_and_strings_in_parentheses_are_each_located_with_a_fix(tmp_path: Path) -> None:
    text = ("@misc{good, title = {G}, year = {2020}}\n\n"
            "@misc(paren2020,\n  title = {P},\n  year = {2020}\n)\n\n"
            "@string (foo = \"bar\")\n\n"
            "@book{fine, title = {F}, year = {2021}}\n")
    problems = pandoc_problems(tmp_path, text)
    assert [(line, column) for line, column, _ in problems] == [(3, 6), (8, 9)]
    assert "@misc{key, ...}" in problems[0][2]
    assert "@string{name = {value}}" in problems[1][2]


def check(project: Path) -> ProjectCheck:
    config = read_config(project / "mkdocs.yml")
    return check_project(project / "mkdocs.yml", config["markdown_extensions"], plugin_config(config, "bibtex"),
                         project / "docs")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_page_in_a_linked_folder_is_checked_under_its_docs_path(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "shared-pages"
    outside.mkdir()
    (outside / "extra.md").write_text(FRONT_MATTER + "# Extra\n\nText [@nokey2020].\n", encoding="utf-8")
    (project / "docs" / "linked").symlink_to(outside, target_is_directory=True)
    result = check(project)
    assert "docs/linked/extra.md:11:7: CIT001 unknown citation key 'nokey2020'" in [
        p.format().splitlines()[0] for p in result.problems]


def test_a_link_loop_is_reported_not_followed(project: Path) -> None:
    (project / "docs" / "more").mkdir()
    (project / "docs" / "more" / "back").symlink_to("..", target_is_directory=True)
    found = find_pages(project / "docs", project)
    assert [(p.path, p.code) for p in found.problems] == [("docs/more/back", "FILE002")]
    assert "links back to docs" in found.problems[0].message


def test_a_page_that_is_not_utf8_is_located_like_bib006(project: Path) -> None:
    page = project / "docs" / "about.md"
    text = page.read_bytes()
    at = text.index(b"# About")
    page.write_bytes(text[:at] + b"# Caf\xe9 " + text[at + 2:])
    [problem] = [p for p in check(project).problems if p.code == "FILE001"]
    line = text[:at].count(b"\n") + 1
    assert (problem.path, problem.line, problem.column) == ("docs/about.md", line, 6)
    assert "byte 0xE9" in problem.message and "UTF-8" in problem.hint


def test_a_missing_bibliography_is_reported_alone(project: Path) -> None:
    (project / "references.bib").unlink()
    result = check(project)
    assert [(p.path, p.code) for p in result.problems] == [("references.bib", "BIB001")]
    assert "cannot read the bibliography" in result.problems[0].message


def test_an_unreadable_bibliography_is_reported_alone(project: Path) -> None:
    bib = project / "references.bib"
    bib.unlink()
    bib.mkdir()  # unreadable even as root, unlike a file without read permission
    assert [p.code for p in check(project).problems] == ["BIB001"]


@pytest.mark.parametrize("breakage", ["loop", "latin1", "paren", "no-bib"])
def test_the_build_fails_cleanly_with_the_checks_first_line(project: Path, breakage: str) -> None:
    if breakage == "loop":
        (project / "docs" / "loop").symlink_to(".", target_is_directory=True)  # docs/loop is docs
        expected = "docs/loop: FILE002"
    elif breakage == "latin1":
        with (project / "docs" / "about.md").open("ab") as page:
            page.write(b"\nM\xfcller\n")
        expected = "docs/about.md:"
    elif breakage == "paren":
        with (project / "references.bib").open("a", encoding="utf-8") as bib:
            bib.write("\n@misc(paren2020,\n  title = {P},\n  year = {2020}\n)\n")
        expected = "BIB011 pandoc cannot read the bibliography here: unexpected '('"
    else:
        (project / "references.bib").unlink()
        expected = "references.bib: BIB001 cannot read the bibliography"
    result = mkdocs("build", "--strict", cwd=project, env={"IPT_CITATION_CACHE": "off"})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    assert expected in output, output
    if breakage == "no-bib":
        assert "CIT001" not in output  # no flood of follow-on errors


def test_a_bibliography_pandoc_read_before_is_not_read_again(tmp_path: Path) -> None:
    bib, known_good = tmp_path / "references.bib", tmp_path / ".cache" / "ipt-pandoc-read"
    bib.write_text("@misc{a, title = {A}, year = {2020}}\n", encoding="utf-8")
    first = start_pandoc_read(bib, bib.read_bytes(), "references.bib", known_good)
    assert first.process is not None and first.problems() == [] and known_good.is_file()
    again = start_pandoc_read(bib, bib.read_bytes(), "references.bib", known_good)
    assert again.read_before and again.process is None and again.problems() == []
    # Any change to the file is read by pandoc again, and its problems reported.
    bib.write_text("@misc(a, title = {A}, year = {2020})\n", encoding="utf-8")
    changed = start_pandoc_read(bib, bib.read_bytes(), "references.bib", known_good)
    assert changed.process is not None and [p.code for p in changed.problems()] == ["BIB011"]


def test_the_checks_reading_of_the_bibliography_is_the_content_apis(tmp_path: Path) -> None:
    """BIB011's pandoc reads references.bib as the content API does, which then uses its
    CSL-JSON instead of reading the whole file again (hooks/content_api.py)."""
    from conftest import ROOT
    from ipt_site.citation_rendering.pandoc_run import run_pandoc

    # A BibLaTeX field (location) that pandoc's BibTeX reader leaves out.
    biblatex = tmp_path / "biblatex.bib"
    biblatex.write_text("@book{a, author = {Ng, A}, title = {T}, location = {Sydney}, publisher = {P},"
                        " year = {2001}}\n", encoding="utf-8")
    for bib in (ROOT / "references.bib", biblatex):
        read = start_pandoc_read(bib, bib.read_bytes(), bib.name)
        assert read.problems() == [] and read.csl_json is not None
        assert read.csl_json == run_pandoc(bib.read_text(encoding="utf-8-sig"), "biblatex", "csljson", [], "API", 60)
    # Carriage returns: pandoc reads a file's lines otherwise than the content API's text, so the
    # API reads it itself (a lone one ends no line for pandoc: a % comment swallows the rest).
    carriage = tmp_path / "carriage.bib"
    carriage.write_bytes(b"% note\r@misc{a, title = {A}, year = {2020}}\r")
    read_cr = start_pandoc_read(carriage, carriage.read_bytes(), carriage.name)
    assert read_cr.problems() == [] and read_cr.csl_json is None
    # A file pandoc cannot read gives no CSL-JSON; one read before (.cache/) is not read at all.
    broken = tmp_path / "references.bib"
    broken.write_text("@misc(a, title = {A}, year = {2020})\n", encoding="utf-8")
    failed = start_pandoc_read(broken, broken.read_bytes(), "references.bib")
    assert failed.problems() and failed.csl_json is None
    known_good = tmp_path / ".cache" / "ipt-pandoc-read"
    start_pandoc_read(bib, bib.read_bytes(), "references.bib", known_good).problems()
    cached = start_pandoc_read(bib, bib.read_bytes(), "references.bib", known_good)
    assert cached.problems() == [] and cached.read_before and cached.csl_json is None
