"""The citation hook in real MkDocs builds of a scratch copy of the project, broken on purpose."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, lunr_search, mkdocs, mkdocs_serve
from preview import fetch, free_port


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def location_of(path: Path, needle: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def assert_clean_failure(result: subprocess.CompletedProcess[str], site: Path) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert not (site / "theory" / "index.html").exists(), "pages were written before the error"
    return output


def test_unknown_key_stops_the_build_with_a_located_error(project: Path) -> None:
    page = project / "docs" / "theory.md"
    edit(page, "[@stuart2012]", "[@stuart2013]")
    line, col = location_of(page, "@stuart2013")
    site = project / "site"
    output = assert_clean_failure(mkdocs("build", cwd=project), site)  # without --strict too
    assert (f"docs/theory.md:{line}:{col}: CIT001 unknown citation key 'stuart2013' — "
            "did you mean 'stuart2012'") in output


def test_every_problem_is_reported_in_one_run_sorted(project: Path) -> None:
    edit(project / "docs" / "theory.md", "[@stuart2012]", "[@Stuart2012]")
    edit(project / "docs" / "does-it-work.md", "@cuijpers2016", "@cuipers2016")
    output = assert_clean_failure(mkdocs("build", "--strict", cwd=project), project / "site")
    codes = re.findall(r"^(docs/[\w-]+\.md):\d+:\d+: (CIT\d+)", output, re.MULTILINE)
    assert ("docs/theory.md", "CIT002") in codes and ("docs/does-it-work.md", "CIT001") in codes
    files = [f for f, _ in codes]
    assert files == sorted(files)


def test_broken_bibtex_stops_the_build_without_a_traceback(project: Path) -> None:
    bib = project / "references.bib"
    edit(bib, "  publisher = {Arnold},", "  publisher = {Arnold,")
    output = assert_clean_failure(mkdocs("build", cwd=project), project / "site")
    assert re.search(r"^references\.bib:\d+(:\d+)?: BIB001 ", output, re.MULTILINE), output


def test_uncited_entry_is_a_warning_that_fails_strict(project: Path) -> None:
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@book{spare2020,\n  author = {Spare, A.},\n  title = {Spare},\n"
                  "  publisher = {P},\n  year = {2020}\n}\n")
    relaxed = mkdocs("build", cwd=project)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "BIB009" in relaxed.stderr and "spare2020" in relaxed.stderr
    strict = mkdocs("build", "--strict", cwd=project)
    assert strict.returncode != 0 and "Traceback" not in strict.stderr


def test_missing_footnotes_extension_is_reported(project: Path) -> None:
    edit(project / "mkdocs.yml", "  - footnotes", "")
    output = assert_clean_failure(mkdocs("build", cwd=project), project / "site")
    assert re.search(r"^mkdocs\.yml:\d+: TOOL002 ", output, re.MULTILINE), output


def test_standalone_check_matches_the_build(project: Path) -> None:
    edit(project / "docs" / "theory.md", "[@stuart2012]", "[@stuart2013]")
    check = subprocess.run([sys.executable, "-m", "ipt_site.cli.check"], cwd=project,
                           capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "hooks")})
    build = mkdocs("build", cwd=project)
    assert check.returncode == 1
    line = next(text for text in check.stdout.splitlines() if "CIT001" in text)
    assert line in build.stdout + build.stderr


def test_serve_keeps_serving_and_shows_errors(project: Path) -> None:
    page = project / "docs" / "theory.md"
    edit(page, "[@stuart2012]", "[@stuart2013]")
    port = free_port()
    log = project / "serve.log"
    server = mkdocs_serve(project, port, log)
    try:
        url = f"http://127.0.0.1:{port}/theory/"
        html = ""
        for _ in range(120):
            try:
                html = fetch(url)
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.5)
        assert "CIT001" in log.read_text()
        assert "Problems on this page" in html and "stuart2013" in html
        # The editor fixes the page; the server rebuilds and the banner goes.
        edit(page, "[@stuart2013]", "[@stuart2012]")
        for _ in range(120):
            if "Problems on this page" not in fetch(url):
                break
            time.sleep(0.5)
        else:
            pytest.fail("the page was not rebuilt:\n" + log.read_text())
        assert server.poll() is None
        assert "Traceback" not in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)


@lunr_search
def test_citation_syntax_in_a_heading_code_span_survives_in_toc_and_search(project: Path) -> None:
    page = project / "docs" / "about.md"
    with page.open("a", encoding="utf-8") as out:
        out.write("\n## Writing `[@key]` in a page\n\nText.\n")
    site = project / "site"
    result = mkdocs("build", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for text in (html, index):
        assert "\ue040" not in text and "\\ue040" not in text.lower()
    assert "Writing <code>[@key]</code> in a page" in html


def test_citations_rendered_in_many_pandoc_batches_match_one_call(project: Path, site_dir: Path) -> None:
    """Batching pandoc calls (for big sites) must not change a single rendered citation, nor the References page."""
    batches_of_one = {"IPT_PANDOC_BATCH": "1", "IPT_BIBLIOGRAPHY_BATCH": "1", "IPT_CITATION_CACHE": "off"}
    result = mkdocs("build", "--strict", cwd=project, env=batches_of_one)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(site_dir) for p in site_dir.rglob("index.html"))
    assert len(pages) > 10
    for page in pages:
        expected = (site_dir / page).read_text(encoding="utf-8")
        got = (project / "site" / page).read_text(encoding="utf-8")
        assert article(got) == article(expected), page


def _mark_cached(cache: Path, name: str) -> None:
    """Mark the cached inline text naming ``name``, so a page shows whether it came from the cache."""
    data = json.loads(cache.read_text(encoding="utf-8"))
    marked = next(entry for entry in data["groups"].values()
                  if "inline" in entry and any(name in text for text in entry["inline"].values()))
    block, text = next((b, t) for b, t in marked["inline"].items() if name in t)
    marked["inline"][block] = text.replace(name, f"CACHED-{name}")
    cache.write_text(json.dumps(data), encoding="utf-8")


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def test_rebuild_takes_rendered_citations_from_the_cache_until_their_entries_change(
    project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "citations.json"
    env = {"IPT_CITATION_CACHE": str(cache)}
    page = project / "site" / "theory" / "index.html"
    references = project / "site" / "references" / "index.html"
    assert mkdocs("build", "--strict", cwd=project, env=env).returncode == 0
    _mark_cached(cache, "Stuart")
    assert mkdocs("build", "--strict", cwd=project, env=env).returncode == 0
    assert "CACHED-Stuart" in page.read_text(encoding="utf-8")  # no pandoc call for it

    # An edit to another entry cited on the same page renders only that entry's group again:
    # the page shows the new title (in its References section, and on the References page)
    # and still the marked Stuart citation.
    bib = project / "references.bib"
    edit(bib, "Mechanisms of change in interpersonal therapy", "Mechanisms of change in interpersonal therapy, edited")
    assert mkdocs("build", "--strict", cwd=project, env=env).returncode == 0
    for built in (page, references):
        assert "Mechanisms of change in interpersonal therapy, edited" in built.read_text(encoding="utf-8")
    assert "CACHED-Stuart" in page.read_text(encoding="utf-8")

    # Without the mark, a warm build after an edit is byte-identical to a cold one.
    cache.write_text(cache.read_text(encoding="utf-8").replace("CACHED-Stuart", "Stuart"), encoding="utf-8")
    edit(bib, "therapy, edited", "therapy, edited again")
    assert mkdocs("build", "--strict", cwd=project, env=env).returncode == 0
    warm = _files(project / "site")
    cold = tmp_path / "cold"
    assert mkdocs("build", "--strict", "--site-dir", str(cold), cwd=project,
                  env={"IPT_CITATION_CACHE": "off"}).returncode == 0
    assert "edited again" in warm["theory/index.html"].decode()
    assert warm == _files(cold)


@pytest.mark.parametrize(
    ("link", "complaint"),
    [("[more](no-such-page.md)", "LNK001"), ("[more](theory.md#no-such-heading)", "LNK002")],
)
def test_broken_internal_link_or_anchor_fails_strict_naming_the_page(project: Path, link: str, complaint: str) -> None:
    page = project / "docs" / "about.md"
    with page.open("a", encoding="utf-8") as out:
        out.write(f"\nRead {link}.\n")
    line = len(page.read_text(encoding="utf-8").splitlines())
    result = mkdocs("build", "--strict", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    # The hook's located error comes first (MkDocs' own warning names no line).
    first = next(text for text in output.splitlines() if "no-such" in text)
    assert f"docs/about.md:{line}:6: {complaint}" in first, output
