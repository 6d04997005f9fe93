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


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the key `on` as True, so a workflow's keys are not all strings.
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


def test_pr_workflow_also_builds_on_materialx_and_can_be_called_by_the_deploy_workflows() -> None:
    workflow = load(".github/workflows/pr.yml")
    assert "workflow_call" in triggers(workflow)
    steps = workflow["jobs"]["materialx"]["steps"]
    assert "./dev materialx" in [str(step.get("run", "")).strip() for step in steps]


def test_deploy_workflow_tests_first_then_builds_strictly_and_publishes_where_headers_are_sent() -> None:
    workflow = load(".github/workflows/deploy.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/pr.yml"  # the whole suite and the MaterialX job
    assert jobs["deploy"]["needs"] == "test"
    assert "./dev build" in run_lines({"jobs": {"deploy": jobs["deploy"]}})
    assert "./dev build" in readme_commands()
    publish = [s for s in jobs["deploy"]["steps"] if str(s.get("uses", "")).startswith("cloudflare/wrangler-action@")]
    assert len(publish) == 1 and publish[0]["with"]["command"].startswith("pages deploy site ")
    # Cloudflare Pages sends site/_headers (from docs/_headers); its configuration is in the repository.
    wrangler = (ROOT / "wrangler.toml").read_text(encoding="utf-8")
    assert 'pages_build_output_dir = "site"' in wrangler
    assert (ROOT / "docs" / "_headers").is_file()


def test_github_pages_is_offered_by_hand_only_with_its_warning_and_tests_first() -> None:
    path = ROOT / ".github" / "workflows" / "github-pages.yml"
    workflow = load(".github/workflows/github-pages.yml")
    assert set(triggers(workflow)) == {"workflow_dispatch"}
    assert workflow["jobs"]["test"]["uses"] == "./.github/workflows/pr.yml"
    assert workflow["jobs"]["build"]["needs"] == "test"
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(workflow))
    assert "ignores docs/_headers" in path.read_text(encoding="utf-8")
    assert "ignores `_headers`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_dev_build_is_the_strict_properdocs_build() -> None:
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    build = re.search(r"^\s*build\)(.*)$", dev, re.MULTILINE)
    assert build and "properdocs\" build -f mkdocs.yml --strict" in build.group(1)
    serve = re.search(r"^\s*serve\)(.*)$", dev, re.MULTILINE)
    assert serve and "setup serve;" in serve.group(1) and "properdocs\" serve" in serve.group(1)


def test_dev_has_every_command_the_readme_lists() -> None:
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    for command in readme_commands():
        assert re.search(rf"^\s*{command.split()[1]}\)", dev, re.MULTILINE), command


def test_pre_commit_hooks_call_commands_that_exist() -> None:
    config = load(".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {hook["id"] for hook in hooks} >= {"ipt-check", "spelling", "markdown-lint", "ruff", "mypy"}
    scripts = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    for hook in hooks:
        words = shlex.split(hook["entry"])
        if words[0] == "./dev":
            assert (ROOT / "dev").is_file() and re.search(rf"^\s*{words[1]}\)", dev, re.MULTILINE), hook
        else:
            assert words[:2] == ["npm", "run"], hook
            assert next(w for w in words[2:] if not w.startswith("-")) in scripts, hook
        re.compile(hook.get("files", ""))


def test_pr_workflow_checks_with_line_annotations_before_anything_else() -> None:
    workflow = load(".github/workflows/pr.yml")
    steps = workflow["jobs"]["test"]["steps"]
    runs = [str(step["run"]).strip() for step in steps if "run" in step]
    assert runs[0] == "./dev check --format github"
    assert runs[1] == "./dev lint python"  # ruff and mypy, before the long test run


def test_a_weekly_scheduled_build_catches_overdue_reviews() -> None:
    workflow = load(".github/workflows/weekly.yml")
    [schedule] = triggers(workflow)["schedule"]
    _minute, _hour, day_of_month, month, day_of_week = schedule["cron"].split()
    assert (day_of_month, month) == ("*", "*") and day_of_week.isdigit()  # once a week
    assert run_lines(workflow) == ["./dev check --format github", "./dev build"]
    # The same action versions as the deployment's build job.
    # (The deploy job's own publishing action aside.)
    deploy = {step["uses"] for step in load(".github/workflows/deploy.yml")["jobs"]["deploy"]["steps"]
              if "uses" in step and "wrangler" not in step["uses"]}
    assert {step["uses"] for step in workflow["jobs"]["build"]["steps"] if "uses" in step} == deploy
