"""What one long page costs a build: a page citing the same few works thousands of times.

Generates a site with one page of ``--citations`` paragraphs, each citing one of
``--works`` works (the same few, again and again), and times a cold ``mkdocs build``
with the project's full configuration, and the same page with Python-Markdown's own
footnotes extension (the quadratic ``unique_ref``) for comparison, where that ends
within ``--limit`` seconds.

    python benchmarks/long_page.py [--citations 500 2000 8000] [--works 5] [--limit 300]

Target: a page with 2,000 citations of the same few works builds in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_cost import Timing, build_once, generate, load, write_variants
from sitegen import write_evidence

TARGET_S = 5.0
# Set by this benchmark only: hooks/citations.py leaves the footnotes extension as it is.
UPSTREAM_SETTING = "IPT_UPSTREAM_FOOTNOTES"


def long_page(citations: int, keys: list[str]) -> str:
    lines = ["---", "title: Long page", "description: One long page.", "last_reviewed: 2026-11-22",
             "next_review_due: 2027-11-22", "reviewed_by: Benchmark", "---", "", "# Long page", ""]
    for n in range(citations):
        lines += [f"Paragraph {n} says something useful about relationships and mood [@{keys[n % len(keys)]}].", ""]
    return "\n".join(lines)


def long_page_site(dest: Path, citations: int, works: int) -> Path:
    """A generated site (the project's config and hooks) with one long page citing ``works`` works."""
    site = generate(dest, 0, 0, 200)
    keys = [line.split("{", 1)[1].rstrip(",") for line in
            (site / "references.bib").read_text(encoding="utf-8").splitlines() if line.startswith("@")]
    (site / "docs" / "long.md").write_text(long_page(citations, keys[:works]), encoding="utf-8")
    # The checks stop a build whose citations have no evidence recorded (EVD006).
    write_evidence(site / "evidence.yml", {"docs/long.md": set(keys[:works])})
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citations", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--works", type=int, default=5)
    parser.add_argument("--limit", type=float, default=300.0, help="seconds to let the upstream-footnotes build run")
    args = parser.parse_args()
    print(f"load average at start {load()}; one page, {args.works} distinct works; cold builds")
    rows = []
    with tempfile.TemporaryDirectory(prefix="long-page-") as tmp_name:
        tmp = Path(tmp_name)
        for citations in args.citations:
            site = long_page_site(tmp / f"site{citations}", citations, args.works)
            full = write_variants(site)["full"]
            ours = Timing()
            build_once(full, tmp / "out", ours, tmp / "cache.json")
            measured = Timing()
            upstream: Timing | None = measured  # None when it did not finish in time
            os.environ[UPSTREAM_SETTING] = "1"
            try:
                build_once(full, tmp / "out", measured, tmp / "cache2.json", timeout=args.limit)
            except subprocess.TimeoutExpired:
                upstream = None
            finally:
                del os.environ[UPSTREAM_SETTING]
            rows.append((citations, (site / "docs" / "long.md").stat().st_size / 1e6, ours, upstream))
            print(f"  {citations} citations done (load {load()})", flush=True)
    print(f"\n{'citations':>9} {'page MB':>8} {'build wall s':>12} {'CPU s':>7} | "
          f"{'upstream footnotes wall s':>25} {'CPU s':>7}")
    for citations, size, ours, upstream in rows:
        up = (f"{upstream.wall[0]:25.2f} {upstream.cpu[0]:7.2f}" if upstream
              else f"{'> ' + format(args.limit, 'g'):>25} {'-':>7}")
        print(f"{citations:9d} {size:8.2f} {ours.wall[0]:12.2f} {ours.cpu[0]:7.2f} | {up}")
    at = [r for r in rows if r[0] == 2000]
    if at:
        wall = at[0][2].wall[0]
        print(f"\ntarget: 2,000 citations of {args.works} works build in under {TARGET_S:g} s — "
              f"{'met' if wall < TARGET_S else 'NOT met'} ({wall:.2f} s wall, {at[0][2].cpu[0]:.2f} s CPU)")
    print(f"load average at end {load()}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
