"""Adding a page check takes the four touches hooks/ipt_site/checks/__init__.py describes, and no more.

The example, "every page links to Get help now" (HELP001), is made in a scratch copy of the
project only: it is not a rule of the real site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_project

EXAMPLE_CHECK = '''"""HELP001: every page links to Get help now, so a reader in distress is one tap from help."""

from __future__ import annotations

from collections.abc import Iterator

from ipt_site.checks.rule import Finding
from ipt_site.checks.site_context import SiteContext
from ipt_site.codes import Code
from ipt_site.sources.page_scan import PageScan


def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
    if page.path.endswith("get-help-now.md"):
        return
    if not any(link.url.startswith("get-help-now.md") for link in page.markup.links):
        yield Finding(Code.HELP001, 0, "page does not link to Get help now", "add [Get help now](get-help-now.md)")
'''

REGISTRY_IMPORT = "    citation_keys,\n"
REGISTRY_LINE = '    ("phone_numbers", phone_numbers.check),  # TEL: phone numbers are tel: links\n'
CODE_TABLE_END = "\n    # A new code goes in its group above"
CODE_ROW = ('    HELP001 = (Severity.ERROR, "a page does not link to Get help now", '
            '"add a link: [Get help now](get-help-now.md)")\n')


def touch(path: Path, after: str, insert: str) -> None:
    """Insert ``insert`` after the one occurrence of ``after`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(after) == 1, f"{path.name} no longer holds {after!r}: update this test and the docstring"
    path.write_text(text.replace(after, after + insert), encoding="utf-8")


def ipt_check(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "hooks")}
    return subprocess.run([sys.executable, "-m", "ipt_site.cli.check", "-f", str(project / "mkdocs.yml")],
                          capture_output=True, text=True, env=env, cwd=project, check=False, timeout=300)


def test_a_new_page_check_is_one_file_one_registry_entry_one_code_row(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    package = project / "hooks" / "ipt_site"
    (project / "docs" / "theory.md").write_text(
        (project / "docs" / "theory.md").read_text(encoding="utf-8") + "\nSee [Get help now](get-help-now.md).\n",
        encoding="utf-8")
    before = ipt_check(project)
    assert before.returncode == 0, before.stdout + before.stderr

    (package / "checks" / "page" / "get_help_link.py").write_text(EXAMPLE_CHECK, encoding="utf-8")  # 1
    touch(package / "checks" / "registry.py", REGISTRY_IMPORT, "    get_help_link,\n")  # 2
    touch(package / "checks" / "registry.py", REGISTRY_LINE, '    ("get_help_link", get_help_link.check),\n')
    codes = package / "codes.py"  # 3: the row goes at the end of the Code table
    text = codes.read_text(encoding="utf-8")
    assert text.count(CODE_TABLE_END) == 1
    codes.write_text(text.replace(CODE_TABLE_END, "\n" + CODE_ROW + CODE_TABLE_END), encoding="utf-8")

    after = ipt_check(project)
    assert after.returncode == 1, after.stdout + after.stderr
    found = [line for line in after.stdout.splitlines() if " HELP001 " in line]
    # Located at the body's first line (offset 0), below each page's front matter.
    assert "docs/what-to-expect.md:9:1: HELP001 page does not link to Get help now" in found, after.stdout
    linked = ("docs/theory.md:", "docs/index.md:", "docs/get-help-now.md:")  # (the last is exempt)
    assert not any(line.startswith(linked) for line in found), found
    assert "    help: add [Get help now](get-help-now.md)" in after.stdout
    assert all("HELP001" in line or line.startswith("    help:") for line in after.stdout.splitlines()[:-1])
