"""CONTRIBUTING.md's "Error codes" tables say what the code table (ipt_site.codes) says, and the
package prints no code the table does not hold."""

from __future__ import annotations

import re
from pathlib import Path

from ipt_site.codes import Code
from ipt_site.problems import Severity

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hooks" / "ipt_site"
CODE = r"[A-Z]{2,5}\d{3}"
ROW = re.compile(rf"^\| ({CODE}) \| (.*) \| (.*) \|$", re.MULTILINE)


def contributing() -> str:
    return (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def documented_rows() -> dict[str, tuple[str, str]]:
    """code -> (problem, how to fix it), as the tables in CONTRIBUTING.md give them."""
    rows: dict[str, tuple[str, str]] = {}
    for code, problem, fix in ROW.findall(contributing()):
        assert code not in rows, f"{code} has two rows in CONTRIBUTING.md"
        rows[code] = (problem, fix)
    return rows


def table_rows() -> dict[str, tuple[str, str]]:
    """The same rows from ipt_site.codes: a warning's problem starts "warning: " in CONTRIBUTING.md."""
    return {
        code.name: (("warning: " if code.severity is Severity.WARNING else "") + code.title, code.fix)
        for code in Code
    }


def code_literals(source: Path) -> set[str]:
    """Codes written as string literals, e.g. "CIT001"."""
    return set(re.findall(rf"[\"']({CODE})[\"']", source.read_text(encoding="utf-8")))


def test_contributing_has_one_row_per_code_with_its_severity_title_and_fix() -> None:
    documented, table = documented_rows(), table_rows()
    wanted = [f"| {code} | {problem} | {fix} |" for code, (problem, fix) in table.items()
              if documented.get(code) != (problem, fix)]
    assert wanted == [], "CONTRIBUTING.md's Error codes tables need these rows (from ipt_site/codes.py)"
    assert sorted(set(documented) - set(table)) == [], "rows for codes ipt_site/codes.py does not hold"


def test_contributing_mentions_no_code_the_table_lacks() -> None:
    mentioned = set(re.findall(rf"\b({CODE})\b", contributing()))
    assert sorted(mentioned - set(Code.__members__)) == []


def test_every_code_the_package_writes_out_is_in_the_table() -> None:
    written: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        if source.name != "codes.py":
            written |= code_literals(source)
    assert sorted(written - set(Code.__members__)) == []


def test_checks_and_readers_name_codes_only_through_the_table() -> None:
    """No bare "CIT001" in checks/ or sources/: Code.CIT001 fails at import when misspelt."""
    bare = {
        str(source.relative_to(PACKAGE)): sorted(code_literals(source))
        for folder in ("checks", "sources")
        for source in (PACKAGE / folder).rglob("*.py")
        if code_literals(source)
    }
    assert bare == {}


def test_the_table_knows_the_codes_editors_see_most() -> None:
    assert {"CIT001", "BIB001", "NAR001", "TOOL001", "FM001", "HTML001"} <= set(Code.__members__)
    assert Code.FM009.severity is Severity.WARNING and Code.CIT001.severity is Severity.ERROR
