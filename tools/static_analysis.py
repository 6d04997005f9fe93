"""Static analysis: ruff, then mypy --strict, every finding of each reported before any fails.

Run by ``./dev lint python`` (and by ``./dev lint``, with the spelling and Markdown lint), by the
pre-commit hook, and by tests/test_static_analysis.py, so CI fails on any finding. The rules, the
files and the reasons are in pyproject.toml (``[tool.ruff]``, ``[tool.mypy]``).

mypy runs twice: once over pyproject's ``files`` (hooks/, tools/, tests/) and once over
benchmarks/, whose content_api.py and hooks/content_api.py are both the top-level module
``content_api``, which one mypy run cannot hold.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"


@dataclass(frozen=True)
class Result:
    name: str
    returncode: int
    output: str


def commands(paths: Sequence[str] = ()) -> list[tuple[str, list[str]]]:
    """The runs: the configured files, or only ``paths`` (one mypy run) when given."""
    python = [sys.executable, "-m"]
    ruff = [*python, "ruff", "check", "--config", str(CONFIG), *(paths or ["."])]
    mypy = [*python, "mypy", "--config-file", str(CONFIG)]
    if paths:
        # Not from mypy's cache: it keys a module by name, so a same-named file elsewhere
        # (a scratch file, say) would be reported under the path it was first seen at.
        return [("ruff", ruff), ("mypy", [*mypy, "--no-incremental", *paths])]
    return [("ruff", ruff), ("mypy", mypy), ("mypy benchmarks", [*mypy, "benchmarks"])]


def run(paths: Sequence[str] = (), tool: str = "") -> list[Result]:
    """Every run's exit status and output (each goes on whatever the one before found); ``tool``
    ("ruff" or "mypy") keeps only that tool's runs.
    """
    results = []
    for name, command in commands(paths):
        if tool and name.split()[0] != tool:
            continue
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
        results.append(Result(name, done.returncode, done.stdout + done.stderr))
    return results


def main(argv: Sequence[str]) -> int:
    """``static_analysis.py [ruff|mypy] [PATH...]``: both tools on the configured files by default."""
    tool = argv[0] if argv and argv[0] in ("ruff", "mypy") else ""
    results = run(argv[1:] if tool else argv, tool)
    for result in results:
        print(result.output, end="" if result.output.endswith("\n") else "\n", flush=True)
    failed = [result.name for result in results if result.returncode != 0]
    if failed:
        print(f"static analysis: findings from {', '.join(failed)} (rules and reasons: pyproject.toml)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
