"""What citation rendering and the hooks add to `mkdocs build`: full vs plain configuration.

Generates sites of 10, 100 and 1,000 pages (20 citations each, one 5,000-entry
bibliography) with sitegen and, in one run, times ``python -m mkdocs build`` (a
subprocess; output captured, never ``-q``) with four configurations of the same pages:

    full         the project's mkdocs.yml: hooks/citations.py, hooks/embed.py, mkdocs-bibtex
    no-embed     full without hooks/embed.py (the citation hook and mkdocs-bibtex only)
    plain+embed  hooks/embed.py only: no citation hook, no mkdocs-bibtex
    plain+nav    hooks/nav_render.py only: plain, with the navigation rendered once per item
    plain        no hooks, no mkdocs-bibtex: citations stay raw "[@key]" text

hooks/embed.py writes an embed/X/ copy of every page, so the full build writes
twice the HTML pages of the plain one; "HTML" columns show it, and full vs
plain+embed (same pages, same HTML count) isolates what the citations cost.
Material renders the whole navigation into every page, which plain MkDocs does n x n
times and the project once per item (hooks/nav_render.py); full vs plain+nav is what
everything else the project does costs over the same navigation work.

"full warm" is the full build run again straight after, reading the rendered
citations the first run cached (.cache/ipt-citations.json; hooks/citations.py);
every other build starts without that cache.

Each time is the best of N runs, runs interleaved across configurations. "wall"
is what you wait for (Python start-up included); "CPU" is user+system time of
mkdocs and its pandoc children, less sensitive to other work on the machine.
Then the real site (this repository) is built into a temporary folder, full and plain.

Finally it profiles (cProfile, in a fresh process, on mkdocs.commands.build.build)
the full and the plain build of the largest site and prints where the extra time goes.

    python benchmarks/build_cost.py [--sizes 10 100 1000] [--citations 20]
        [--entries 5000] [--runs 3] [--large-runs 1] [--profile-pages 1000 | --profile-pages 0]
        [--profile-out full.prof]

Targets (printed with whether they are met): full build at most 1.5x plain at
1,000 pages, cold, in wall and CPU time (issue 16; 1.25x stays the aim); the real site's `mkdocs build` under 1.5 s.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen import make_site  # noqa: E402

EMBED_HOOK = "hooks/embed.py"
NAV_HOOK = "hooks/nav_render.py"


def _project_hooks() -> tuple[str, ...]:
    from mkdocs.utils.yaml import yaml_load

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        return tuple(yaml_load(f).get("hooks") or ())


ALL_HOOKS = _project_hooks()
VARIANTS: dict[str, tuple[tuple[str, ...], bool]] = {
    # name: (hooks, bibtex plugin on)
    "full": (ALL_HOOKS, True),
    "no-embed": (tuple(h for h in ALL_HOOKS if h != EMBED_HOOK), True),
    "plain+embed": ((EMBED_HOOK,), False),
    "plain+nav": ((NAV_HOOK,), False),
    "plain": ((), False),
}
# hooks/citations.py keeps rendered citations here between builds; each timed build
# gets its own file, deleted first ("cold"), except "full warm": the full build run
# again straight after, with the cache the cold one wrote, as on an editor's rebuild.
CACHE_SETTING = "IPT_CITATION_CACHE"
RATIO_TARGET = 1.5  # issue 16: within 1.5x of plain MkDocs, cold, embed copies on
RATIO_AIM = 1.25  # the aim (issue 6's target)
REAL_SITE_TARGET = 1.5
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# sitegen's home page has no review front matter, which the checks now require (FM003).
INDEX_PAGE = """---
title: Home
description: Synthetic site for benchmarks.
last_reviewed: 2026-11-22
next_review_due: 2027-11-22
reviewed_by: Benchmark
---

# Home

Synthetic site.
"""


# --- configuration variants ---------------------------------------------------------

def _drop_top_level(text: str, key: str) -> str:
    """``text`` without the top-level ``key:`` block (its indented or ``- `` lines)."""
    lines = text.splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if re.match(rf"{re.escape(key)}\s*:", line):
            skipping = True
            continue
        if skipping and re.match(r"[^\s#-]", line):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


def _drop_plugin(text: str, name: str) -> str:
    """``text`` without the plugin list item ``- name`` and its options."""
    lines = text.splitlines(keepends=True)
    out, indent, done = [], None, False
    for line in lines:
        match = re.match(rf"(\s*)-\s*{re.escape(name)}\b", line)
        if match and indent is None:
            indent = len(match.group(1))
            continue
        if indent is not None and not done:
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or len(line) - len(line.lstrip()) > indent:
                continue
            done = True  # keep everything after the item
        out.append(line)
    return "".join(out)


def variant_config(text: str, hooks: tuple[str, ...], bibtex: bool) -> str:
    text = _drop_top_level(text, "hooks")
    if hooks:
        text = text.rstrip("\n") + "\n\nhooks:\n" + "".join(f"  - {h}\n" for h in hooks)
    if not bibtex:
        text = _drop_plugin(text, "bibtex")
    return text


def write_variants(site: Path) -> dict[str, Path]:
    """One mkdocs.<variant>.yml per variant next to sitegen's mkdocs.yml; checks each says what it should."""
    from mkdocs.utils.yaml import yaml_load

    base_text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    paths = {}
    for name, (hooks, bibtex) in VARIANTS.items():
        path = site / f"mkdocs.{name.replace('+', '-')}.yml"
        path.write_text(variant_config(base_text, hooks, bibtex), encoding="utf-8")
        with path.open(encoding="utf-8") as f:
            loaded = yaml_load(f)
        plugins = [p if isinstance(p, str) else next(iter(p)) for p in loaded.get("plugins", [])]
        assert tuple(loaded.get("hooks") or ()) == hooks, (name, loaded.get("hooks"))
        assert ("bibtex" in plugins) == bibtex, (name, plugins)
        paths[name] = path
    return paths


def generate(dest: Path, pages: int, citations: int, entries: int, real_bib: bool = False) -> Path:
    site = make_site(dest, pages, citations, entries, real_bib=real_bib)
    (site / "docs" / "index.md").write_text(INDEX_PAGE, encoding="utf-8")
    # The real site's assets and _headers, so print.css resolves and embed.py's
    # header check (which reads every built page) does its real work.
    if (ROOT / "docs" / "assets").is_dir():
        shutil.copytree(ROOT / "docs" / "assets", site / "docs" / "assets")
    if (ROOT / "docs" / "_headers").is_file():
        shutil.copy2(ROOT / "docs" / "_headers", site / "docs" / "_headers")
    return site


# --- timing ---------------------------------------------------------------------------

@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    reported: list[float] = field(default_factory=list)   # MkDocs' "Documentation built in"
    html_pages: int = 0
    warnings: int = 0


def build_errors(stderr: str) -> str:
    """What a failed build said from its first error on (generated sites log hundreds of warnings first)."""
    lines = stderr.splitlines()
    first = next((n for n, line in enumerate(lines) if line.startswith("ERROR")), max(len(lines) - 30, 0))
    return "\n".join(lines[first:first + 40])


def build_once(config: Path, out: Path, timing: Timing, cache: Path, timeout: float | None = None) -> None:
    if out.exists():
        shutil.rmtree(out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(out)],
        cwd=config.parent, env={**ENV, **os.environ, CACHE_SETTING: str(cache)}, capture_output=True, text=True,
        check=False, timeout=timeout,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"mkdocs build -f {config} failed:\n" + build_errors(proc.stderr))
    timing.wall.append(wall)
    timing.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    reported = re.search(r"Documentation built in ([\d.]+) seconds", proc.stderr)
    if reported:
        timing.reported.append(float(reported.group(1)))
    timing.html_pages = sum(1 for _ in out.rglob("*.html"))
    timing.warnings = sum(1 for line in proc.stderr.splitlines() if line.startswith("WARNING"))


def time_variants(configs: dict[str, Path], out: Path, runs: int) -> dict[str, Timing]:
    timings = {name: Timing() for name in [*configs, "full warm"]}
    for _ in range(runs):
        for name, config in configs.items():  # interleaved: load changes hit every variant alike
            cache = out / f"{name}-citations.json"
            cache.unlink(missing_ok=True)
            build_once(config, out / name, timings[name], cache)
            if name == "full":
                build_once(config, out / name, timings["full warm"], cache)
    for name in configs:
        shutil.rmtree(out / name, ignore_errors=True)
    return timings


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# --- profiling --------------------------------------------------------------------------

def profile_child(config: str, site_dir: str, out: str) -> None:
    """Run in a fresh process (cwd = the site): one in-process build under cProfile."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.basicConfig(level=logging.ERROR)
    cfg = load_config(config_file=config, site_dir=site_dir)
    cfg.plugins.on_startup(command="build", dirty=False)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        build(cfg)
    finally:
        profiler.disable()
        cfg.plugins.on_shutdown()
    profiler.dump_stats(out)


def run_profile(config: Path, site_dir: Path, out: Path) -> pstats.Stats:
    subprocess.run(
        [sys.executable, __file__, "--_profile", str(config), str(site_dir), str(out)],
        cwd=config.parent, env=ENV, check=True, capture_output=True,
    )
    return pstats.Stats(str(out))


def _short(path: str) -> str:
    for marker in ("/site-packages/", "/hooks/", "/lib/python3"):
        if marker in path:
            return ("hooks/" if marker == "/hooks/" else "") + path.split(marker, 1)[1]
    return path


def _rows(stats: pstats.Stats) -> Iterator[tuple[tuple[str, int, str], float, float]]:
    # Stats.stats, the raw table (file, line, function) -> timings, is not in typeshed's stub.
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        yield (file, line, func), tt, ct


def _total(stats: pstats.Stats) -> float:
    return max(ct for _, _, ct in _rows(stats))


def _cum(stats: pstats.Stats, file_part: str, func: str) -> float:
    return sum(ct for (file, _l, f), _tt, ct in _rows(stats) if file.endswith(file_part) and f == func)


def report_profile(full: pstats.Stats, plain: pstats.Stats, pages: int) -> None:
    full_total, plain_total = _total(full), _total(plain)
    print(f"\nprofile at {pages} pages (cProfile, in-process build(); cProfile inflates Python-heavy code)")
    print(f"  full build {full_total:.2f} s, plain build {plain_total:.2f} s, "
          f"extra {full_total - plain_total:.2f} s ({full_total / plain_total:.2f}x)")

    print("\n  where the full build's time goes, by event handler (cumulative s)")
    print(f"  {'handler':58} {'seconds':>8} {'share of extra':>15}")
    extra = max(full_total - plain_total, 1e-9)
    handlers = sorted(
        ((ct, file, func) for (file, _l, func), _tt, ct in _rows(full)
         if func.startswith("on_") and ("/hooks/" in file or "mkdocs_bibtex/plugin.py" in file)),
        reverse=True,
    )
    for ct, file, func in handlers:
        if ct >= 0.005:
            print(f"  {_short(file) + ':' + func:58} {ct:8.2f} {ct / extra:14.0%}")

    print("\n  inside those: the expensive leaves (cumulative s)")
    leaves = [
        ("pandoc: mkdocs-bibtex's batch (PandocRegistry._process_with_pandoc)",
         _cum(full, "mkdocs_bibtex/registry.py", "_process_with_pandoc")),
        ("  of which pybtex writes the .bib back out (bib_data_bibtex)",
         _cum(full, "mkdocs_bibtex/registry.py", "bib_data_bibtex")),
        ("pandoc: every convert_text call, incl. 2 format probes each",
         _cum(full, "pypandoc/__init__.py", "_convert_input")),
        ("  of which the format probes (get_pandoc_formats)",
         _cum(full, "pypandoc/__init__.py", "get_pandoc_formats")),
        ("pybtex parse of the .bib: mkdocs-bibtex (registry __init__)",
         _cum(full, "mkdocs_bibtex/registry.py", "__init__")),
        ("our checks, on_config (check_project)", _cum(full, "ipt_site/checks/project_check.py", "check_project")),
        ("  load_bibliography (pybtex parse + rules)",
         _cum(full, "ipt_site/sources/bibliography.py", "load_bibliography")),
        ("  check_site (every page)", _cum(full, "ipt_site/checks/site_check.py", "check_site")),
        ("prepare_for_plugin (shield; lru-cached)",
         _cum(full, "ipt_site/citation_rendering/prepare.py", "prepare_for_plugin")),
        ("CitationBlock.from_markdown (mkdocs-bibtex regex)", _cum(full, "mkdocs_bibtex/citation.py", "from_markdown")),
        ("unshield + strip_nocase_spans (on_page_content)", _cum(full, "hooks/citations.py", "on_page_content")),
        ("embed: rebase_urls (on_env)", _cum(full, "ipt_site/site_output/embed_pages.py", "rebase_urls")),
        ("embed: frame_links (on_post_page)", _cum(full, "ipt_site/site_output/embed_pages.py", "frame_links")),
        ("_headers check (hooks/headers_check.py)", _cum(full, "hooks/headers_check.py", "on_post_build")),
    ]
    for label, seconds in leaves:
        print(f"  {label:66} {seconds:6.2f}")

    print("\n  MkDocs phases, full vs plain (cumulative s)")
    print(f"  {'phase':46} {'full':>7} {'plain':>7} {'extra':>7}")
    phases = [
        ("Markdown -> HTML (_populate_page)", "mkdocs/commands/build.py", "_populate_page"),
        ("  of which markdown.convert", "markdown/core.py", "convert"),
        ("templates + page events (_build_page)", "mkdocs/commands/build.py", "_build_page"),
        ("  of which Jinja render", "jinja2/environment.py", "render"),
        ("search index (search plugin on_page_context)", "search/plugin.py", "on_page_context"),
        ("config events (plugins.on_config)", "mkdocs/plugins.py", "on_config"),
        ("files events (plugins.on_files)", "mkdocs/plugins.py", "on_files"),
        ("env events (plugins.on_env)", "mkdocs/plugins.py", "on_env"),
        ("post-build events (plugins.on_post_build)", "mkdocs/plugins.py", "on_post_build"),
    ]
    for label, file, func in phases:
        f, p = _cum(full, file, func), _cum(plain, file, func)
        print(f"  {label:46} {f:7.2f} {p:7.2f} {f - p:7.2f}")

    print("\n  functions whose own time grew most, full vs plain (tottime s)")
    plain_tt: dict[tuple[str, str], float] = {}
    for (file, _l, func), tt, _ct in _rows(plain):
        plain_tt[(file, func)] = plain_tt.get((file, func), 0.0) + tt
    full_tt: dict[tuple[str, str], float] = {}
    for (file, _l, func), tt, _ct in _rows(full):
        full_tt[(file, func)] = full_tt.get((file, func), 0.0) + tt
    grown = sorted(((tt - plain_tt.get(k, 0.0), tt, k) for k, tt in full_tt.items()), reverse=True)[:15]
    print(f"  {'function':70} {'full':>6} {'extra':>6}")
    for diff, tt, (file, func) in grown:
        print(f"  {(_short(file) + ':' + func)[:70]:70} {tt:6.2f} {diff:6.2f}")

    print("\n  our code (hooks/, hooks/ipt_site/) by cumulative time, top 12")
    ours = sorted(
        ((ct, file, func) for (file, _l, func), _tt, ct in _rows(full) if "/hooks/" in file),
        reverse=True,
    )[:12]
    for ct, file, func in ours:
        print(f"  {_short(file) + ':' + func:70} {ct:6.2f}")


# --- main -----------------------------------------------------------------------------

def print_table(title: str, rows: list[tuple[int, dict[str, Timing]]], metric: str) -> None:
    def best(t: Timing) -> float:
        values: list[float] = getattr(t, metric)  # "wall" or "cpu"
        return min(values)

    print(f"\n{title}")
    print(f"{'pages':>6} {'HTML full':>9} {'HTML plain':>10} {'full s':>8} {'plain s':>8} {'ratio':>6}"
          f" | {'warm s':>7} {'ratio':>6} | {'no-embed s':>10} {'/plain':>6} | {'plain+embed s':>13} {'full/it':>7}"
          f" | {'plain+nav s':>11} {'full/it':>7}")
    for pages, t in rows:
        full, warm, plain, noemb, pemb, pnav = (
            best(t[n]) for n in ("full", "full warm", "plain", "no-embed", "plain+embed", "plain+nav"))
        print(f"{pages:6d} {t['full'].html_pages:9d} {t['plain'].html_pages:10d} {full:8.2f} {plain:8.2f}"
              f" {full / plain:6.2f} | {warm:7.2f} {warm / plain:6.2f} | {noemb:10.2f} {noemb / plain:6.2f}"
              f" | {pemb:13.2f} {full / pemb:7.2f} | {pnav:11.2f} {full / pnav:7.2f}")


def real_site(runs: int, tmp: Path) -> dict[str, Timing]:
    """The real site built from this repository (full), and plain from a temporary config."""
    base = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Plain: a config in a temporary folder that points back at the project's files.
    plain_dir = tmp / "real-plain"
    plain_dir.mkdir()
    text = variant_config(base, (), False)
    text = re.sub(r"(?m)^(\s*custom_dir:\s*)(\S+)", lambda m: m.group(1) + str(ROOT / m.group(2)), text)
    text += f"\ndocs_dir: {ROOT / 'docs'}\n"
    (plain_dir / "mkdocs.yml").write_text(text, encoding="utf-8")
    configs = {"full": ROOT / "mkdocs.yml", "plain": plain_dir / "mkdocs.yml"}
    return time_variants(configs, tmp / "real-out", runs)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--_profile":
        profile_child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--citations", type=int, default=20)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs for sites of 1,000+ pages (a full build there takes minutes)")
    parser.add_argument("--profile-pages", type=int, default=1000, help="0: no profile")
    parser.add_argument("--profile-out", type=Path, help="keep the full build's .prof here")
    parser.add_argument("--skip-real", action="store_true", help="do not time the real site")
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} cores; load average at start {load()}")
    print(f"sites: {args.citations} citations per page, {args.entries} bibliography entries; "
          f"best of {args.runs} runs ({args.large_runs} at 1,000+ pages), interleaved")
    rows = []
    with tempfile.TemporaryDirectory(prefix="build-cost-") as tmp_name:
        tmp = Path(tmp_name)
        for pages in args.sizes:
            site = generate(tmp / f"site{pages}", pages, args.citations, args.entries)
            configs = write_variants(site)
            runs = args.large_runs if pages >= 1000 else args.runs
            rows.append((pages, time_variants(configs, tmp / "out", runs)))
            t = rows[-1][1]
            print(f"  {pages} pages done (full best {min(t['full'].wall):.2f} s, "
                  f"plain best {min(t['plain'].wall):.2f} s; load {load()})", flush=True)
        real = {} if args.skip_real else real_site(args.runs, tmp)

        print_table("wall-clock seconds, best of runs (ratio = full / plain)", rows, "wall")
        print_table("CPU seconds (mkdocs + pandoc), best of runs", rows, "cpu")
        print("  'no-embed' = citation hook + mkdocs-bibtex, no embed copies; 'plain+embed' = embed hook only;")
        print("  'full/it' = full / plain+embed: the citations' cost with the same pages on both sides;")
        print("  full / plain+nav: the project's cost over plain MkDocs doing the same navigation work.")

        largest = max(rows, key=lambda r: r[0])
        ratio = min(largest[1]["full"].wall) / min(largest[1]["plain"].wall)
        ratio_cpu = min(largest[1]["full"].cpu) / min(largest[1]["plain"].cpu)
        warm = min(largest[1]["full warm"].wall) / min(largest[1]["plain"].wall)
        like = min(largest[1]["full"].wall) / min(largest[1]["plain+embed"].wall)
        print(f"\ntarget: full build <= {RATIO_TARGET}x plain at {largest[0]} pages, cold (aim {RATIO_AIM}x) — "
              f"{'met' if max(ratio, ratio_cpu) <= RATIO_TARGET else 'NOT met'} (wall {ratio:.2f}x, CPU "
              f"{ratio_cpu:.2f}x; citations alone, same pages: {like:.2f}x)")
        print(f"        rebuilt with the citation cache warm: "
              f"{'met' if warm <= RATIO_TARGET else 'NOT met'} (wall {warm:.2f}x)")

        if not args.skip_real:
            print("\nreal site (this repository), best of runs")
            print(f"{'config':8} {'HTML':>5} {'wall s':>7} {'CPU s':>7} {'MkDocs says s':>14}")
            for name, timing in real.items():
                said = f"{min(timing.reported):14.2f}" if timing.reported else f"{'-':>14}"
                print(f"{name:8} {timing.html_pages:5d} {min(timing.wall):7.2f} {min(timing.cpu):7.2f} {said}")
            best, warm_best = min(real["full"].wall), min(real["full warm"].wall)
            print(f"target: real site's `mkdocs build` under {REAL_SITE_TARGET} s — "
                  f"{'met' if best < REAL_SITE_TARGET else 'NOT met'} ({best:.2f} s wall; "
                  f"{warm_best:.2f} s rebuilt with the citation cache warm)")
        print(f"load average at end {load()}")

        if args.profile_pages:
            site = generate(tmp / "profile", args.profile_pages, args.citations, args.entries)
            configs = write_variants(site)
            full = run_profile(configs["full"], tmp / "prof-out", tmp / "full.prof")
            plain = run_profile(configs["plain"], tmp / "prof-out", tmp / "plain.prof")
            if args.profile_out:
                shutil.copy2(tmp / "full.prof", args.profile_out)
            report_profile(full, plain, args.profile_pages)


if __name__ == "__main__":
    main()
