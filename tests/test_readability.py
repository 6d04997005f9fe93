"""Every reader page reads at Flesch–Kincaid grade 8 or below (plain English, about Year 7)."""

from __future__ import annotations

from pathlib import Path

from readability import measure, page_prose, syllables

MAX_GRADE = 8.0
# Not reader pages: For clinics is for clinics' web staff (code and security headers);
# References is a list of titles.
NOT_READER_PAGES = {"for-clinics", "references"}


def reader_pages(site_dir: Path) -> list[Path]:
    pages = [p for p in site_dir.glob("*/index.html") if p.parent.name not in NOT_READER_PAGES
             and p.parent.name not in {"embed", "search", "assets"}]
    return sorted([*pages, site_dir / "index.html"])


def test_the_formula_on_known_text() -> None:
    assert syllables("cat") == 1 and syllables("therapy") == 3
    easy = measure(["The cat sat on the mat. It was a good day."])
    hard = measure([("Interpersonal psychotherapy demonstrates considerable effectiveness "
                     "notwithstanding methodological heterogeneity.")])
    assert easy.grade < 2 < 12 < hard.grade


def test_prose_leaves_out_code_citations_and_references() -> None:
    units = page_prose("<html><body><article><p>Short words here.<sup>1</sup></p><pre><code>x = y</code></pre>"
                       "<ul><li>One<ul><li>Two</li></ul></li></ul>"
                       "<div class='footnote'><p>Stuart, S. (2012). Interpersonal psychotherapy.</p></div>"
                       "</article></body></html>")
    assert units == ["Short words here.", "One", "Two"]


def test_every_reader_page_is_grade_8_or_below(site_dir: Path) -> None:
    grades = {}
    for page in reader_pages(site_dir):
        result = measure(page_prose(page.read_text(encoding="utf-8")))
        assert result.words > 30, f"{page}: too little prose found ({result.words} words)"
        grades[str(page.relative_to(site_dir))] = round(result.grade, 1)
    assert len(grades) >= 10
    too_hard = {page: grade for page, grade in grades.items() if grade > MAX_GRADE}
    assert not too_hard, f"pages above grade {MAX_GRADE}: {too_hard} (all: {grades})"
