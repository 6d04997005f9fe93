"""Page-weight budgets, measured in real Chromium on the built site.

benchmarks/page_weight.py records every file Chromium fetches (through a local
server, so the search worker's fetches count too) and counts each gzip -9:
a first visit to any page at most 40 kB, a second page visit at most 8 kB.
The benchmark prints the same figures with the files behind them.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browser import nav_pages

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from page_weight import (
    FIRST_VISIT_BUDGET,
    SECOND_VISIT_BUDGET,
    PageWeight,
    Resource,
    measure,
)

pytestmark = pytest.mark.browser

PAGES = list(nav_pages()) + [f"embed/{page}" for page in nav_pages()] + ["404.html"]


@pytest.fixture(scope="module")
def weights(browser: Browser, site_dir: Path) -> dict[str, PageWeight]:
    return {w.page: w for w in measure(browser, site_dir, PAGES, interact=False)}


def _files(resources: list[Resource]) -> str:
    return "\n  ".join(f"{r.path}: {r.gz / 1000:.1f} kB" for r in sorted(resources, key=lambda r: -r.gz))


@pytest.mark.parametrize("page", PAGES)
def test_first_visit_within_budget(weights: dict[str, PageWeight], page: str) -> None:
    weight = weights[page]
    assert not weight.missing, f"/{page} asked for files the site does not have: {weight.missing}"
    assert weight.first_visit_gz <= FIRST_VISIT_BUDGET, (
        f"first visit to /{page} downloads {weight.first_visit_gz / 1000:.1f} kB (gzip -9), budget "
        f"{FIRST_VISIT_BUDGET / 1000:.0f} kB:\n  {_files(weight.first)}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_second_visit_within_budget(weights: dict[str, PageWeight], page: str) -> None:
    weight = weights[page]
    assert weight.second, f"opening /{weight.second_page} after /{page} fetched nothing"
    assert weight.second_visit_gz <= SECOND_VISIT_BUDGET, (
        f"/{weight.second_page} after /{page} downloads {weight.second_visit_gz / 1000:.1f} kB more, "
        f"budget {SECOND_VISIT_BUDGET / 1000:.0f} kB:\n  {_files(weight.second)}"
    )


# --- the measure itself: a page over budget must show as over budget -----------------


def test_measure_counts_what_is_fetched_and_not_what_is_inert(browser: Browser, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "other").mkdir(parents=True)
    noise = random.Random(0).randbytes(50_000).hex()  # about 55 kB even gzipped
    (site / "heavy.css").write_text(f"/*{noise}*/")
    (site / "later.js").write_text("var x = 1;\n" * 5000)
    (site / "index.html").write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="heavy.css"></head><body>'
        '<script type="text/plain" data-src="later.js"></script><p>Home</p></body></html>'
    )
    (site / "other" / "index.html").write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="../heavy.css"></head><body><p>Other</p></body></html>'
    )
    home, other = measure(browser, site, ["", "other/"], interact=False)
    assert {r.path for r in home.first} == {"index.html", "heavy.css"}
    assert set(home.missing) <= {"favicon.ico"}  # Chromium's guess when a page names no icon
    assert home.first_visit_gz > FIRST_VISIT_BUDGET  # over budget is reported as such
    assert "later.js" not in [r.path for r in home.first]  # inert scripts are not downloaded
    assert [r.path for r in home.second] == ["other/index.html"]  # the cached style sheet is not counted
    assert other.second_page == ""
