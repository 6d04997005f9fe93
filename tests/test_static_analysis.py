"""ruff and mypy --strict find nothing in the project (the same runs as ``./dev lint python``).

The rules, the files and the reasons are in pyproject.toml; tools/static_analysis.py runs them.
A second test shows each tool failing on a file with a deliberate finding, so the first cannot
pass only because a tool did not run or did not look.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import static_analysis  # tools/ is not a package: imported by name from the path above


def test_ruff_and_mypy_find_nothing() -> None:
    results = static_analysis.run()
    assert [result.name for result in results] == ["ruff", "mypy", "mypy benchmarks"]
    failed = [result for result in results if result.returncode != 0]
    assert not failed, "static analysis found problems (fix them, or see pyproject.toml for the rules):\n" + "\n".join(
        f"--- {result.name} (exit {result.returncode})\n{result.output}" for result in failed)


def test_each_tool_reports_a_deliberate_finding(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch.py"
    scratch.write_text('import os\n\n\ndef half(number):\n    return number / 2\n\n\nCOUNT: int = "three"\n',
                       encoding="utf-8")
    ruff, mypy = static_analysis.run([str(scratch)])
    assert ruff.returncode == 1 and f"{scratch}:1:8: F401" in ruff.output, ruff.output  # `os` unused
    assert mypy.returncode == 1, mypy.output
    assert f"{scratch}:4: error: Function is missing a type annotation  [no-untyped-def]" in mypy.output, mypy.output
    assert f'{scratch}:8: error: Incompatible types in assignment (expression has type "str"' in mypy.output, (
        mypy.output)
