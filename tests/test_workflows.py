"""CI, deployment and pre-commit run the same commands as the README."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load(relative: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))
    assert isinstance(data, dict), relative
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the key `on` as True.
    found = workflow.get("on", workflow.get(True))
    return found if isinstance(found, dict) else {name: None for name in [found] if name}


def run_lines(workflow: dict[str, Any]) -> list[str]:
    return [line.strip() for job in workflow["jobs"].values() for step in job.get("steps", [])
            for line in str(step.get("run", "")).splitlines()]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [str(step.get("uses", "")).split("@")[0]
            for job in workflow["jobs"].values() for step in job.get("steps", [])]


def readme_commands() -> set[str]:
    return set(re.findall(r"\./dev [a-z]+", (ROOT / "README.md").read_text(encoding="utf-8")))


def test_pr_workflow_runs_the_readme_test_command() -> None:
    workflow = load(".github/workflows/pr.yml")
    assert "pull_request" in triggers(workflow)
    assert "./dev test" in run_lines(workflow)
    assert "./dev test" in readme_commands()


def test_deploy_workflow_builds_strictly_and_publishes_to_pages() -> None:
    workflow = load(".github/workflows/deploy.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert "./dev build" in run_lines(workflow)
    assert "./dev build" in readme_commands()
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(workflow))


def test_dev_build_is_the_strict_build() -> None:
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    build = re.search(r"^\s*build\)(.*)$", dev, re.MULTILINE)
    assert build and "mkdocs\" build --strict" in build.group(1)


def test_dev_has_every_command_the_readme_lists() -> None:
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    for command in readme_commands():
        assert re.search(rf"^\s*{command.split()[1]}\)", dev, re.MULTILINE), command


def test_pre_commit_hooks_call_commands_that_exist() -> None:
    config = load(".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {hook["id"] for hook in hooks} >= {"ipt-check", "spelling", "markdown-lint"}
    scripts = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    for hook in hooks:
        words = shlex.split(hook["entry"])
        if words[0] == "./dev":
            assert (ROOT / "dev").is_file() and re.search(rf"^\s*{words[1]}\)", dev, re.MULTILINE), hook
        else:
            assert words[:2] == ["npm", "run"], hook
            assert [w for w in words[2:] if not w.startswith("-")][0] in scripts, hook
        re.compile(hook.get("files", ""))


def test_pr_workflow_checks_with_line_annotations_before_anything_else() -> None:
    workflow = load(".github/workflows/pr.yml")
    steps = workflow["jobs"]["test"]["steps"]
    runs = [str(step["run"]).strip() for step in steps if "run" in step]
    assert runs[0] == "./dev check --format github"


def test_a_weekly_scheduled_build_catches_overdue_reviews() -> None:
    workflow = load(".github/workflows/weekly.yml")
    [schedule] = triggers(workflow)["schedule"]
    minute, hour, day_of_month, month, day_of_week = schedule["cron"].split()
    assert (day_of_month, month) == ("*", "*") and day_of_week.isdigit()  # once a week
    assert run_lines(workflow) == ["./dev check --format github", "./dev build"]
    # The same action versions as the deployment's build job.
    deploy = {step["uses"] for step in load(".github/workflows/deploy.yml")["jobs"]["build"]["steps"]
              if "uses" in step and "pages" not in step["uses"]}
    assert {step["uses"] for step in workflow["jobs"]["build"]["steps"] if "uses" in step} == deploy
