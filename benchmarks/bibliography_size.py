"""What the bibliography's size costs a build: the References page at 1k/5k/20k entries.

Generates a site of ``--pages`` pages (20 citations each) plus a References page
(``\\full_bibliography``, every entry) over a bibliography shaped like a real one
(sitegen.write_real_bib: shared family names, a/b years, editors, organisations),
and times a cold ``mkdocs build`` (no citation cache) with the project's full
configuration. Also times pandoc alone rendering the whole list in one call (what
the References page did before batching) where that finishes within ``--single-limit``.

    python benchmarks/bibliography_size.py [--entries 1000 5000 20000] [--pages 10]
        [--single-limit 120]

Target: a 20,000-entry bibliography builds in under 60 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_cost import Timing, build_once, generate, load, write_variants

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
TARGET_S = 60.0
REFERENCES_PAGE = """---
title: References
description: Every work in the bibliography.
last_reviewed: 2026-11-22
next_review_due: 2027-11-22
reviewed_by: Benchmark
---

# References

\\full_bibliography
"""


def single_call(bib: Path, limit: float) -> tuple[float, float] | None:
    """(wall, CPU) seconds of one pandoc call over the whole list, or None past ``limit``."""
    import resource

    from ipt_site.citation_rendering.bibliography_render import DOCUMENT, apa_style_path
    from ipt_site.citation_rendering.pandoc_run import pandoc_path

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        subprocess.run([pandoc_path(), "--from=markdown", "--to=html", "--citeproc", "--bibliography", str(bib),
                        "--csl", apa_style_path(), "--wrap=none"], input=DOCUMENT, text=True,
                       capture_output=True, check=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def bibliography_site(dest: Path, pages: int, entries: int) -> Path:
    """A generated site with ``pages`` pages, a real-shaped bibliography of ``entries`` works, and a References page."""
    site = generate(dest, pages, 20, entries, real_bib=True)
    (site / "docs" / "references.md").write_text(REFERENCES_PAGE, encoding="utf-8")
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--single-limit", type=float, default=120.0,
                        help="seconds to let the one-call rendering run (0: skip it)")
    args = parser.parse_args()
    print(f"load average at start {load()}; {args.pages} pages + References; cold builds (no citation cache)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bib-size-") as tmp_name:
        tmp = Path(tmp_name)
        for entries in args.entries:
            site = bibliography_site(tmp / f"site{entries}", args.pages, entries)
            full = write_variants(site)["full"]
            timing = Timing()
            build_once(full, tmp / "out", timing, tmp / "cache.json")
            html = (tmp / "out" / "references" / "index.html").read_text(encoding="utf-8")
            listed = html.count("csl-entry")
            single = single_call(site / "references.bib", args.single_limit) if args.single_limit else None
            rows.append((entries, timing, listed, single))
            print(f"  {entries} entries done (load {load()})", flush=True)
    print(f"\n{'entries':>8} {'listed':>7} {'build wall s':>12} {'build CPU s':>11} | "
          f"{'one pandoc call (before) wall s':>31} {'CPU s':>7}")
    for entries, timing, listed, single in rows:
        if single:
            before = f"{single[0]:31.2f} {single[1]:7.2f}"
        else:
            before = f"{('> ' + format(args.single_limit, 'g')) if args.single_limit else 'not run':>31} {'-':>7}"
        print(f"{entries:8d} {listed:7d} {timing.wall[0]:12.2f} {timing.cpu[0]:11.2f} | {before}")
    largest = max(rows, key=lambda r: r[0])
    print(f"\ntarget: {largest[0]} entries build in under {TARGET_S:g} s — "
          f"{'met' if largest[1].wall[0] < TARGET_S else 'NOT met'} ({largest[1].wall[0]:.2f} s wall, "
          f"{largest[1].cpu[0]:.2f} s CPU); load average at end {load()}")


if __name__ == "__main__":
    main()
