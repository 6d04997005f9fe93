"""Spelling (Australian English) and Markdown lint: `./dev lint`, run by `./dev test` too."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT


def _require_npm() -> None:
    # ./dev test installs Node and the lint tools first; fail loudly rather than skip.
    if shutil.which("npm") is None or not (ROOT / "node_modules" / ".bin" / "cspell").exists():
        pytest.fail("spelling and Markdown lint need Node.js and `npm ci`: run the tests with ./dev test")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=300)


def scratch_page(tmp_path: Path, extra: str) -> tuple[Path, int]:
    """A copy of a real page with ``extra`` appended as its own paragraph; its line number."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    (docs / "index.md").write_text(text + extra + "\n", encoding="utf-8")
    return docs / "index.md", line


def test_dev_lint_passes_on_the_project() -> None:
    _require_npm()
    result = run("./dev", "lint")
    assert result.returncode == 0, result.stdout + result.stderr


def spell_check(tmp_path: Path, extra: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """The spelling lint of a real page with ``extra`` appended; the line ``extra`` starts on."""
    _require_npm()
    _, line = scratch_page(tmp_path, extra)
    return run("npm", "run", "--silent", "lint:spelling", "--", "--root", str(tmp_path), "docs/index.md"), line


@pytest.mark.parametrize(("extra", "found"), [
    # (line after the page's last, column, word): a misspelling, and a US spelling
    # the Australian dictionary does not have
    ("You will recieve help.\nTheir behavior changed.", [(0, 10, "recieve"), (1, 7, "behavior")]),
    # short slips: 'teh' is on the flag list, 'tge' is a 3-letter word the dictionary lacks
    ("Read teh page.\nThe tge form.", [(0, 6, "teh"), (1, 5, "tge")]),
], ids=["long", "short"])
def test_misspellings_are_reported_with_file_and_line(
    tmp_path: Path, extra: str, found: list[tuple[int, int, str]]
) -> None:
    result, line = spell_check(tmp_path, extra)
    assert result.returncode != 0
    for below, column, word in found:
        assert f"docs/index.md:{line + below}:{column}" in result.stdout and f"({word})" in result.stdout, result.stdout


def test_australian_spelling_passes(tmp_path: Path) -> None:
    result, _ = spell_check(tmp_path, "Your behaviour, the colour of the centre, and how we organise counselling.")
    assert result.returncode == 0, result.stdout + result.stderr


def test_markdown_lint_reports_file_and_line(tmp_path: Path) -> None:
    _require_npm()
    _page, line = scratch_page(tmp_path, "#Heading without a space")
    shutil.copy2(ROOT / ".markdownlint-cli2.yaml", tmp_path / ".markdownlint-cli2.yaml")
    binary = ROOT / "node_modules" / ".bin" / "markdownlint-cli2"
    result = subprocess.run([str(binary), "docs/index.md"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f"docs/index.md:{line}" in result.stdout + result.stderr


def test_package_json_pins_exact_versions_and_has_the_scripts() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["private"] is True
    assert {"lint", "lint:spelling", "lint:markdown"} <= set(package["scripts"])
    for name, version in package["devDependencies"].items():
        assert version[0].isdigit(), f"{name} is not pinned to an exact version: {version}"


def test_lock_file_records_no_registry_addresses() -> None:
    lock = (ROOT / "package-lock.json").read_text(encoding="utf-8")
    assert '"resolved"' not in lock
    # No address of any kind (funding links were stripped too): nothing that looks like an index.
    assert "http://" not in lock and "https://" not in lock
    assert "omit-lockfile-registry-resolved=true" in (ROOT / ".npmrc").read_text(encoding="utf-8")


def test_dev_lint_reports_every_linter_before_failing(tmp_path: Path) -> None:
    _require_npm()
    # A project with a spelling mistake and a Markdown error: both must be reported.
    scratch_page(tmp_path, "You will recieve help.\n\n#Heading without a space")
    for name in ("package.json", "cspell.json", "project-words.txt", ".markdownlint-cli2.yaml",
                 "README.md", "CONTRIBUTING.md"):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    result = subprocess.run(["npm", "run", "--silent", "lint"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "(recieve)" in output, output
    assert "MD018" in output, output  # markdownlint ran after spelling failed
