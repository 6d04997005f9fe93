"""How long the citation checks take on a big site: 1,000 pages, 20 citations each, 5,000 entries.

Prints the standalone check (``ipt-check``: in-process, and as a command with
Python start-up) and the hook's own work during a build (the checks in
on_config plus preparing every page for mkdocs-bibtex). Target: the
standalone check under 1 second on one core.

The machine's load average is printed too: other work on the same cores
slows every figure, so compare runs made at a similar load.  ``--profile N``
also prints the N functions the check spends most time in (cProfile).

    .venv/bin/python benchmarks/check_speed.py [--pages 1000] [--citations 20] [--entries 5000] [--profile 30]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ipt_site.checks.project_check import check_project
from ipt_site.citation_rendering.prepare import prepare_for_plugin
from sitegen import make_site


def best_of(runs: int, action: Callable[[], object]) -> tuple[float, float]:
    """Best wall-clock seconds, and best CPU seconds (this process and its finished children)."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return min(walls), min(cpus)


def _cpu() -> float:
    # On a shared machine wall time depends on the load; CPU time much less.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--citations", type=int, default=20)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N functions with the most own time in one check")
    args = parser.parse_args()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        site = make_site(Path(tmp) / "site", args.pages, args.citations, args.entries)
        config = site / "mkdocs.yml"
        bibtex = {"bib_file": "references.bib", "enable_inline_citations": False}

        def check() -> None:
            result = check_project(config, ["footnotes"], bibtex, site / "docs")
            assert not result.has_errors, result.problems[:3]

        check_time = best_of(args.runs, check)
        result = check_project(config, ["footnotes"], bibtex, site / "docs")
        assert result.bib is not None and result.site is not None, result.problems[:3]
        keys = frozenset(result.bib.entries)
        pages = list(result.site.pages.values())

        def prepare() -> None:
            for page in pages:
                prepare_for_plugin(page.body, keys, page.blocks, page.code_ranges)

        prepare_time = best_of(args.runs, prepare)

        def command() -> None:
            subprocess.run([sys.executable, "-m", "ipt_site.cli.check", "-f", str(config)],
                           check=False, capture_output=True,
                           env={"PYTHONPATH": str(Path(__file__).resolve().parent.parent / "hooks")})

        command_time = best_of(args.runs, command)
        profiler = None
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(check)
    cites = args.pages * args.citations
    print(f"site: {args.pages} pages, {cites} citations, {args.entries} bibliography entries (best of {args.runs})")
    print(f"{'what':48} {'seconds':>8} {'CPU s':>8}")
    print(f"{'standalone check, in process':48} {check_time[0]:8.3f} {check_time[1]:8.3f}")
    print(f"{'standalone check, as a command (with start-up)':48} {command_time[0]:8.3f} {command_time[1]:8.3f}")
    print(f"{'hook: checks (on_config)':48} {check_time[0]:8.3f} {check_time[1]:8.3f}")
    print(f"{'hook: prepare pages for mkdocs-bibtex':48} {prepare_time[0]:8.3f} {prepare_time[1]:8.3f}")
    print(f"{'hook: total':48} {check_time[0] + prepare_time[0]:8.3f} {check_time[1] + prepare_time[1]:8.3f}")
    print(f"target: standalone check under 1 s — {'met' if check_time[0] < 1 else 'NOT met'}")
    print(f"load average (1, 5, 15 min): {load_before} before, {load_average()} after")
    if profiler is not None:
        print()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
