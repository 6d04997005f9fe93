"""The menu and the links between pages: NAV001, NAV002, LNK001, LNK002 (ipt_site.checks.project.nav_links).

The unit tests run the check on text; the build tests break a scratch copy of the
project and check that ipt-check and ``mkdocs build --strict`` both fail, naming the line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs
from ipt_site.checks.project.nav_links import LinkedPage, check_links, check_nav, markdown_renderer, page_anchors
from ipt_site.checks.project_check import check_project
from ipt_site.cli.check import plugin_config, read_config

EXTENSIONS = ["footnotes", {"toc": {"permalink": False}}, "admonition", "attr_list", "md_in_html",
              "pymdownx.details", "pymdownx.superfences"]

CONFIG = """\
site_name: Test
nav:
  - Home: index.md
  - Section:
    - Guide: guide/start.md
    - Gone: guide/gone.md
  - Elsewhere: https://example.org/
not_in_nav: |
  /hidden.md
"""


def links(pages: dict[str, str], cites: frozenset[str] = frozenset()) -> list[tuple[str, int, int, str, str]]:
    linked = {path: LinkedPage(f"docs/{path}", body, 0, path in cites) for path, body in pages.items()}
    return [(p.path, p.line, p.column, p.code, p.message) for p in check_links(linked, EXTENSIONS)]


# --- nav ---------------------------------------------------------------------------


def test_a_page_in_no_menu_is_reported_at_the_nav_key() -> None:
    problems = check_nav("mkdocs.yml", CONFIG, {"index.md", "guide/start.md", "hidden.md", "stray.md"},
                         {"index.md", "guide/start.md", "hidden.md", "stray.md"})
    stray = [p for p in problems if p.code == "NAV001"]
    assert [(p.path, p.line, p.column) for p in stray] == [("mkdocs.yml", 2, 1)]
    assert "docs/stray.md" in stray[0].message and "not_in_nav" in stray[0].hint


def test_a_menu_entry_without_its_file_is_reported_where_it_is_written() -> None:
    problems = check_nav("mkdocs.yml", CONFIG, {"index.md", "guide/start.md", "hidden.md"},
                         {"index.md", "guide/start.md", "hidden.md"})
    assert [(p.line, p.column, p.code) for p in problems] == [(6, 13, "NAV002")]
    assert "guide/gone.md" in problems[0].message


def test_no_nav_means_every_page_is_in_it() -> None:
    assert check_nav("mkdocs.yml", "site_name: Test\n", {"a.md"}, {"a.md"}) == []


def test_excluded_and_dot_files_need_no_menu_entry() -> None:
    config = CONFIG + "exclude_docs: |\n  drafts/\n"
    pages = {"index.md", "guide/start.md", "guide/gone.md", "hidden.md", "drafts/x.md", "templates/t.md"}
    assert check_nav("mkdocs.yml", config, pages, pages) == []


# --- links -------------------------------------------------------------------------


def test_a_link_to_a_missing_page_is_located() -> None:
    pages = {"index.md": "# Home\n\nSee [the guide](guide/strat.md).\n", "guide/start.md": "# Start\n"}
    found = links(pages)
    assert [f[:4] for f in found] == [("docs/index.md", 3, 5, "LNK001")]
    assert "docs/guide/strat.md" in found[0][4]


def test_relative_links_resolve_from_the_page_folder() -> None:
    pages = {"guide/start.md": "# Start\n\n[Home](../index.md), [me](start.md), [also](./start.md#start)\n",
             "index.md": "# Home\n\n[Start](guide/start.md) [ext](https://example.org/x.md) [abs](/x.md)\n"}
    assert links(pages) == []


def test_links_inside_code_do_not_count() -> None:
    body = ("# Home\n\nWrite `[a link](missing.md)` like that.\n\n```markdown\n[x](gone.md#nope)\n```\n\n"
            "    [indented](gone.md)\n\n<!-- [comment](gone.md) -->\n")
    assert links({"index.md": body}) == []


def test_a_missing_anchor_is_located_on_this_page_and_on_another() -> None:
    pages = {"index.md": "# Home\n\n## Costs\n\n[a](#costs) [b](#cost)\n\n[c](other.md#costs)\n",
             "other.md": "# Other\n"}
    assert [f[:4] for f in links(pages)] == [("docs/index.md", 5, 13, "LNK002"), ("docs/index.md", 7, 1, "LNK002")]


def test_anchors_of_headings_with_punctuation_and_duplicates() -> None:
    target = ("# What is IPT?\n\n## Costs & Medicare: what's covered\n\n## Notes\n\n## Notes\n\n"
              "## The *real* `code` part\n\n## See [the guide](index.md) &amp; more\n")
    good = ("[a](t.md#what-is-ipt) [b](t.md#costs-medicare-whats-covered) [c](t.md#notes) [d](t.md#notes_1) "
            "[e](t.md#the-real-code-part) [f](t.md#see-the-guide-more)")
    assert links({"t.md": target, "index.md": good + "\n"}) == []
    bad = links({"t.md": target, "index.md": "[x](t.md#notes_2) [y](t.md#what-is-ipt?)\n"})
    assert [f[3] for f in bad] == ["LNK002", "LNK002"]


def test_anchors_from_attr_list_and_html_ids() -> None:
    target = ('# Page\n\n## Help now {#help}\n\n<div id="box" markdown>\n\n### Inside\n\n</div>\n\n'
              '<a name="old-name"></a>\n\nA paragraph.\n{: #para }\n')
    good = "[a](t.md#help) [b](t.md#box) [c](t.md#inside) [d](t.md#old-name) [e](t.md#para)\n"
    assert links({"t.md": target, "index.md": good}) == []
    assert [f[3] for f in links({"t.md": target, "index.md": "[x](t.md#help-now)\n"})] == ["LNK002"]


def test_the_references_heading_counts_only_on_a_page_that_cites() -> None:
    pages = {"index.md": "# Home\n\n[refs](#references)\n"}
    assert links(pages, cites=frozenset({"index.md"})) == []
    assert [f[3] for f in links(pages)] == ["LNK002"]


def test_reference_style_links_are_checked_where_defined() -> None:
    body = "# Home\n\nSee [the guide][g].\n\n[g]: guide.md\n"
    assert [f[:4] for f in links({"index.md": body})] == [("docs/index.md", 5, 6, "LNK001")]


# --- the real site, and real builds --------------------------------------------------


def ipt_check(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    return subprocess.run([sys.executable, "-m", "ipt_site.cli.check"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_real_site_has_no_menu_or_link_problems() -> None:
    report = ipt_check(ROOT).stdout
    assert not any(code in report for code in ("NAV001", "NAV002", "LNK001", "LNK002")), report


def _append(project: Path, page: str, text: str) -> int:
    """Append ``text`` to a page; the line number of its last line."""
    path = project / "docs" / page
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("kind", ["NAV001", "NAV002", "LNK001", "LNK002"])
def test_the_check_and_the_strict_build_both_fail(tmp_path: Path, kind: str) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if kind == "NAV001":
        (project / "docs" / "stray.md").write_text((project / "docs" / "about.md").read_text(encoding="utf-8"),
                                                   encoding="utf-8")
        where = f"mkdocs.yml:{text.splitlines().index('nav:') + 1}:1: NAV001 docs/stray.md"
    elif kind == "NAV002":
        entry = "  - About this information: about.md\n"
        config.write_text(text.replace(entry, entry + "  - Gone: gone.md\n"), encoding="utf-8")
        where = f"mkdocs.yml:{text[:text.index(entry)].count(chr(10)) + 2}:11: NAV002"
    elif kind == "LNK001":
        line = _append(project, "about.md", "\nSee [Theory](theroy.md).\n")
        where = f"docs/about.md:{line}:5: LNK001"
    else:
        line = _append(project, "about.md", "\nSee [Theory](theory.md#no-such-heading).\n")
        where = f"docs/about.md:{line}:5: LNK002"
    check = ipt_check(project)
    assert check.returncode == 1 and where in check.stdout, check.stdout
    build = mkdocs("build", "--strict", cwd=project)
    assert build.returncode != 0
    assert where in build.stdout + build.stderr, build.stdout + build.stderr


def test_every_anchor_the_check_accepts_on_the_real_pages_the_build_accepts(tmp_path: Path) -> None:
    """Link to every id the check finds on every real page: MkDocs' own anchor validation finds none missing."""
    project = copy_project(tmp_path)
    config = read_config(project / "mkdocs.yml")
    result = check_project(project / "mkdocs.yml", config["markdown_extensions"], plugin_config(config, "bibtex"),
                           project / "docs")
    assert result.site is not None
    renderer = markdown_renderer(config["markdown_extensions"])
    links = []
    for path, page in result.site.pages.items():
        target = path.removeprefix("docs/")
        ids = page_anchors(LinkedPage(path, page.body, page.line_offset, bool(page.blocks)), renderer)
        links += [f"[{anchor}]({target}#{anchor})" for anchor in sorted(ids) if not re.search(r"[\s()<>]", anchor)]
    assert len(links) > 50  # every page's headings, at least
    _append(project, "about.md", "\n" + "\n".join(links) + "\n")
    assert ipt_check(project).stdout.count("LNK002") == 0
    build = mkdocs("build", "--strict", cwd=project)
    output = build.stdout + build.stderr
    assert "does not contain an anchor" not in output and "no such anchor" not in output, output
    assert "Doc file 'about.md' contains a link" not in output, output
    assert "Building documentation" in output  # it got past the checks, to MkDocs' own validation
