"""Supply chain: hashed locks without addresses, SHA-pinned actions, Dependabot, and ./dev's upgrades."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("serve", "test", "materialx")
sys.path.insert(0, str(ROOT / "tools"))
import lock as lock_tool  # noqa: E402  (tools/lock.py)


def pins(name: str) -> dict[str, str]:
    """``package -> version`` of requirements/NAME.txt."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    # Names as pip-compile writes them (normalised: "types-pyyaml" for pyproject's "types-PyYAML").
    return {canonicalize_name(name): version
            for name, version in re.findall(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", text, re.MULTILINE)}


def pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", LOCKS)
def test_lock_pins_every_package_with_hashes_and_names_no_address(name: str) -> None:
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    assert "http" not in text and "file://" not in text, f"requirements/{name}.txt names an address"
    assert not lock_tool.problems(text)
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    requirements = [e for e in entries if re.match(r"[A-Za-z0-9]", e)]
    assert len(requirements) == len(pins(name)) >= 40
    for entry in requirements:
        assert re.match(r"[A-Za-z0-9._-]+==\S+ \\", entry), f"not pinned with ==: {entry.splitlines()[0]}"
        assert "--hash=sha256:" in entry, f"no hash: {entry.splitlines()[0]}"


def test_locks_satisfy_pyproject_ranges_and_pin_material_9_8() -> None:
    project = pyproject()["project"]
    serve, test, materialx = (pins(n) for n in LOCKS)
    for lock, dependencies in ((serve, project["dependencies"]), (test, project["optional-dependencies"]["test"])):
        for dependency in dependencies:
            req = Requirement(dependency)
            pinned = lock[canonicalize_name(req.name)]
            assert req.specifier.contains(pinned, prereleases=True), (dependency, pinned)
    material = Version(serve["mkdocs-material"])
    assert material >= Version("9.8.2") and material.release[:2] == (9, 8), material  # 9.7.7 fixed a search XSS
    assert "properdocs" in serve and "setuptools" in serve  # the build tool, and the project's build backend
    assert "mkdocs-material" not in materialx and "mkdocs-materialx" in materialx


def test_serve_lock_has_no_test_tools_and_agrees_with_the_test_lock() -> None:
    serve, test = pins("serve"), pins("test")
    assert not {"pytest", "playwright", "hypothesis", "axe-playwright-python"} & set(serve)
    assert {name: test.get(name) for name in serve} == serve


def test_materialx_input_is_made_from_pyproject() -> None:
    made = lock_tool.materialx_in((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (ROOT / "requirements" / "materialx.in").read_text(encoding="utf-8") == made, "run ./dev lock"


# --- workflows -----------------------------------------------------------------------

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
TAG_COMMENT = re.compile(r"\s+# v\d+(\.\d+)*\s*$")


def workflow_files() -> list[Path]:
    return sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def test_every_action_is_pinned_by_full_commit_sha_with_its_tag() -> None:
    found = 0
    for path in workflow_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = USES.match(line)
            if not match:
                continue
            found += 1
            target, rest = match.groups()
            where = f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            if target.startswith("./"):  # a workflow of this repository, at the same commit
                assert (ROOT / target).is_file(), where
                continue
            assert PINNED.fullmatch(target), f"{where}\n  pin it by full commit SHA: owner/repo@<40 hex> # vX.Y.Z"
            assert TAG_COMMENT.fullmatch(rest), f"{where}\n  say which tag the SHA is, in a comment: # vX.Y.Z"
    assert found >= 8


def test_the_pin_check_catches_a_tag() -> None:
    assert not PINNED.fullmatch("actions/checkout@v4")
    assert not PINNED.fullmatch("actions/checkout@11d5960a")


def test_dependabot_updates_pip_npm_and_actions() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert {u["package-ecosystem"] for u in config["updates"]} == {"pip", "npm", "github-actions"}


def test_ci_and_dev_install_with_hash_checking() -> None:
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert re.search(r"pip install .*--require-hashes -r \"\$lock\"", dev)
    assert re.search(r"pip install .*--no-deps --no-build-isolation -e \.", dev)
    assert "NO_MKDOCS_2_WARNING=1" in dev and "DISABLE_MKDOCS_2_WARNING=true" in dev
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci


# --- ./dev's set-up, run for real with a stand-in .venv --------------------------------


@pytest.fixture()
def dev_copy(tmp_path: Path) -> Path:
    """``dev``, pyproject.toml and the locks, with a .venv whose python and tools only log their calls."""
    for name in ("dev", "pyproject.toml"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / "dev").chmod(0o755)
    (tmp_path / "requirements").mkdir()
    for name in LOCKS:
        (tmp_path / "requirements" / f"{name}.txt").write_bytes((ROOT / "requirements" / f"{name}.txt").read_bytes())
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ("python", "ipt-check", "properdocs"):
        (bin_dir / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >>"$(dirname "$0")/../calls.log"\n', encoding="utf-8")
        (bin_dir / tool).chmod(0o755)
    return tmp_path


def run_dev(project: Path, *args: str) -> list[str]:
    log = project / ".venv" / "calls.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "PYTHON": sys.executable}
    result = subprocess.run([str(project / "dev"), *args], cwd=project, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def installs(calls: list[str]) -> list[str]:
    return [c for c in calls if " pip install " in f" {c} "]


def test_dev_installs_the_serve_lock_with_hashes_then_only_when_something_changed(dev_copy: Path) -> None:
    first = run_dev(dev_copy, "check")
    assert installs(first) == [
        "python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/serve.txt",
        "python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .",
    ]
    assert first[-1] == "ipt-check "
    assert installs(run_dev(dev_copy, "check")) == []  # nothing changed: no reinstall
    # A pull that raises a floor in pyproject.toml, or a new lock, upgrades the old .venv,
    # whatever the files' times say.
    pyproject = dev_copy / "pyproject.toml"
    stat = pyproject.stat()
    newer = pyproject.read_text(encoding="utf-8").replace("mkdocs>=1.6.1", "mkdocs>=1.6.2")
    pyproject.write_text(newer, encoding="utf-8")
    os.utime(pyproject, (stat.st_atime - 3600, stat.st_mtime - 3600))  # older than the stamp
    assert len(installs(run_dev(dev_copy, "check"))) == 2
    lock = dev_copy / "requirements" / "serve.txt"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(lock, (0, 0))
    assert len(installs(run_dev(dev_copy, "build"))) == 2
    assert run_dev(dev_copy, "build")[-1] == "properdocs build -f mkdocs.yml --strict"


def test_dev_serve_installs_only_what_serving_needs_and_reuses_a_test_setup(dev_copy: Path) -> None:
    calls = run_dev(dev_copy, "serve")
    assert "-r requirements/serve.txt" in installs(calls)[0]
    assert calls[-1] == "properdocs serve -f mkdocs.yml"
    # After a test set-up (the test lock holds every serve pin), serving installs nothing more.
    (dev_copy / ".venv" / ".installed").write_text(
        subprocess.run(["sh", "-c", "cat pyproject.toml requirements/test.txt | sha256sum | cut -d' ' -f1"],
                       cwd=dev_copy, capture_output=True, text=True, check=True).stdout, encoding="utf-8")
    assert installs(run_dev(dev_copy, "serve")) == []
