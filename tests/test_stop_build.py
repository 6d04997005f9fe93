"""A stopped build leaves no pandoc or worker process behind; a slow pandoc call is named.

The build runs as a real ``mkdocs build`` subprocess over a copy of the project
with a 3,000-entry bibliography rendered in one batch: a pandoc call of a minute
or more, surely running when the signal arrives. The minify worker starts from
the first page (IPT_MINIFY_POOL_FROM=1, and IPT_NAV_CACHE=0: with the navigation cache
pages are minified in the build's own process). Without the clean-up, SIGTERM leaves that
pandoc running and SIGINT makes the build wait for it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs
from ipt_site.citation_rendering.citation_cache import FULL_BIBLIOGRAPHY
from ipt_site.citation_rendering.pandoc_run import PandocError, PandocTimeout, run_pandoc, time_limit

sys.path.insert(0, str(ROOT / "benchmarks"))
from sitegen import write_evidence, write_real_bib


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every live process (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z":
            found[int(entry.name)] = (int(fields[1]), cmdline)
    return found


def _descendants(root: int) -> dict[int, str]:
    processes = _processes()
    out: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, cmdline) in processes.items():
            if ppid == parent and pid not in out:
                out[pid] = cmdline
                frontier.append(pid)
    return out


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    keys = write_real_bib(project / "references.bib", 3000)
    cited: dict[str, set[str]] = {}
    for page in (project / "docs").glob("*.md"):  # cite only what the new bib has
        text = page.read_text(encoding="utf-8")
        if "[@" in text:
            head, _, _ = text.partition("\n# ")
            title = text.split("\n# ", 1)[1].split("\n", 1)[0]
            page.write_text(f"{head}\n# {title}\n\nA claim [@{keys[0]}]. Another [@{keys[1]}].\n", encoding="utf-8")
            cited[f"docs/{page.name}"] = {keys[0], keys[1]}
    write_evidence(project / "evidence.yml", cited)  # the build requires evidence for what pages cite
    return project


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("late_texts_from", ["100000", "1"], ids=["waiting", "late-texts"])
def test_a_stopped_build_leaves_no_child_behind(big_project: Path, signum: int, late_texts_from: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "IPT_CITATION_CACHE": "off",
           "IPT_BIBLIOGRAPHY_BATCH": "3000", "IPT_MINIFY_POOL_FROM": "1", "IPT_NAV_CACHE": "0",
           "IPT_LATE_TEXTS_FROM": late_texts_from}
    log = (big_project / "build.log").open("w")  # a file: 3,000 "not cited" warnings would fill a pipe
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-d", str(big_project / "site")],
                             cwd=big_project, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    seen: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 240  # the machine is shared: rendering may start late
        while time.monotonic() < deadline and build.poll() is None:
            children = _descendants(build.pid)
            seen.update(children)
            # The References list renders beside the pages (from on_files): wait for the worker too.
            if (any("batch" in cmdline and "pandoc" in cmdline for cmdline in children.values())
                    and any("multiprocessing" in cmdline for cmdline in seen.values())):
                break
            time.sleep(0.05)
        assert build.poll() is None, "the build ended before its References batches were seen:\n" + (
            big_project / "build.log").read_text()[-3000:]
        pandoc = [pid for pid, cmdline in seen.items() if "pandoc" in cmdline]
        worker = [pid for pid, cmdline in seen.items() if "multiprocessing" in cmdline]
        assert pandoc and worker, seen  # mid-render, with the worker running
        build.send_signal(signum)
        started_after = set()  # pandoc calls begun after the signal (queued batches must not start)
        deadline = time.monotonic() + 60  # the pandoc call alone would take longer
        while build.poll() is None and time.monotonic() < deadline:
            started_after |= {pid for pid, cmdline in _descendants(build.pid).items()
                              if "pandoc" in cmdline and pid not in seen}
            time.sleep(0.02)
        assert build.poll() is not None, "the build did not stop"
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        log.close()
    assert build.returncode != 0
    # At most the calls already starting in each thread as the signal came.
    assert len(started_after) <= (os.cpu_count() or 1), started_after
    time.sleep(0.5)  # a killed child's exit is immediate; give /proc a moment
    left = {pid: cmdline for pid, (_, cmdline) in _processes().items()
            if pid in seen or str(big_project) in cmdline}
    assert not left, f"left running after {signal.Signals(signum).name}: {left}"


def test_a_pandoc_call_over_its_time_limit_is_stopped_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPT_PANDOC_TIME_LIMIT", "0.001")
    start = time.monotonic()
    with pytest.raises(PandocTimeout, match=re.escape("longer than 0.001 s rendering the test page")):
        run_pandoc("---\nnocite: '@*'\n---\n", "markdown", "html",
                   ["--citeproc", "--bibliography", str(ROOT / "references.bib")], "rendering the test page")
    assert time.monotonic() - start < 30


@pytest.mark.parametrize("setting", ["0", "-3", "soon"])
def test_a_bad_time_limit_is_explained(setting: str) -> None:
    with pytest.raises(PandocError, match="IPT_PANDOC_TIME_LIMIT"):
        time_limit(setting)


def test_the_time_limit_setting() -> None:
    assert time_limit("") == 300
    assert time_limit("2.5") == 2.5


# Late texts (late_texts_from pages and more): pandoc's failure surfaces while the pages render.
@pytest.mark.parametrize("late_texts_from", ["100000", "1"], ids=["waiting", "late-texts"])
def test_the_build_names_the_slow_call_and_its_pages(tmp_path: Path, late_texts_from: str) -> None:
    project = copy_project(tmp_path / "project")
    result = mkdocs("build", cwd=project, env={"IPT_PANDOC_TIME_LIMIT": "0.001", "IPT_CITATION_CACHE": "off",
                                               "IPT_LATE_TEXTS_FROM": late_texts_from})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "pandoc took longer than 0.001 s rendering" in result.stderr
    assert "citations of docs/" in result.stderr and "IPT_PANDOC_TIME_LIMIT" in result.stderr


def test_the_build_names_the_references_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "citations.json"
    assert mkdocs("build", cwd=project, env={"IPT_CITATION_CACHE": str(cache)}).returncode == 0
    # The pages' citations stay cached; the References page is rendered again, and is too slow.
    data = json.loads(cache.read_text(encoding="utf-8"))
    del data["groups"][FULL_BIBLIOGRAPHY]
    cache.write_text(json.dumps(data), encoding="utf-8")
    result = mkdocs("build", cwd=project, env={"IPT_CITATION_CACHE": str(cache), "IPT_PANDOC_TIME_LIMIT": "0.001"})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/references.md: pandoc took longer than 0.001 s rendering the References page" in result.stderr
