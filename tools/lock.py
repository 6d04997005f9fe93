"""Make the hashed locks in requirements/ from pyproject.toml (run by ``./dev lock``).

- ``serve.txt``: what building and serving need (``./dev serve``, ``./dev build``, deploy);
- ``test.txt``: that and the test tools (``./dev test``, CI);
- ``materialx.txt``: ``test.txt`` with MaterialX in Material's place (``./dev materialx``),
  compiled from ``materialx.in``, which this script writes from pyproject.toml.

Every pin carries its hashes (``pip install --require-hashes``), and no index or
find-links address is written: the files say what to install, never where from.
Needs pip-tools (``./dev lock`` installs it into ``.venv-lock/``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "requirements"
MATERIALX = "mkdocs-materialx>=10.2.2,<11"  # MaterialX 10.2 is a fork of Material 9.7 (README, "After Material")
COMMON = [
    "--generate-hashes", "--allow-unsafe", "--strip-extras", "--quiet",
    "--no-emit-index-url", "--no-emit-trusted-host", "--no-emit-find-links",
]


def materialx_in(pyproject: str) -> str:
    """The project's and its tests' dependencies, with MaterialX instead of Material."""
    project = tomllib.loads(pyproject)["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    kept = [d for d in wanted if not re.match(r"mkdocs-material\b(?!-)", d)]
    assert len(kept) == len(wanted) - 1, "pyproject.toml should name mkdocs-material once"
    lines = ["# Written by tools/lock.py from pyproject.toml: edit that, not this.", MATERIALX, *kept]
    # setuptools: the project is installed with --no-build-isolation, from the lock's own pin.
    lines.append(tomllib.loads(pyproject)["build-system"]["requires"][0])
    return "\n".join(lines) + "\n"


def problems(lock: str) -> list[str]:
    """Lines that would tell pip where to download from, or name this machine."""
    machine = r"https?:|file://|--(extra-)?index-url|--find-links|/(work|root|home|tmp|opt)/"
    return [line for line in lock.splitlines() if re.search(machine, line)]


def compile_lock(output: str, *sources_and_options: str) -> None:
    subprocess.run(["pip-compile", *COMMON, "--output-file", output, *sources_and_options], cwd=ROOT, check=True)
    bad = problems((ROOT / output).read_text(encoding="utf-8"))
    if bad:
        sys.exit(f"{output}: remove these lines (an address or a local path): {bad}")


def main() -> None:
    upgrade = ["--upgrade"] if "--upgrade" in sys.argv[1:] else []
    compile_lock("requirements/serve.txt", "--all-build-deps", *upgrade, "pyproject.toml")
    compile_lock("requirements/test.txt", "--all-build-deps", "--extra", "test", *upgrade, "pyproject.toml")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (HERE / "materialx.in").write_text(materialx_in(pyproject), encoding="utf-8")
    compile_lock("requirements/materialx.txt", *upgrade, "requirements/materialx.in")


if __name__ == "__main__":
    main()
