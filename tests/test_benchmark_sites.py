"""Every benchmark's generated site still builds with the project's current checks.

Benchmarks are run by hand, rarely; twice a new check (API004's schemas, EVD006's
evidence) made their generated sites fail to build, and nobody knew until the
figures were wanted. These build each benchmark's site at a tiny size, through the
benchmark's own code, and check the pages came out. Nothing here is timed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from bibliography_size import bibliography_site
from build_cost import Timing, build_once, generate, write_variants
from long_page import UPSTREAM_SETTING, long_page_site
from peer import peer_config


def _build(config: Path, out: Path) -> Path:
    """Build as the benchmarks do; a failed build ends the test with the build's first errors."""
    try:
        build_once(config, out, Timing(), out.parent / f"{out.name}-cache.json")
    except SystemExit as failed:  # build_once's way to stop a benchmark run
        pytest.fail(str(failed.code), pytrace=False)
    return out


def test_build_cost_sites_build_in_every_variant(tmp_path: Path) -> None:
    site = generate(tmp_path / "site", 3, 3, 40)
    for name, config in write_variants(site).items():
        out = _build(config, tmp_path / f"out-{name}")
        assert (out / "page0002" / "index.html").is_file(), name


def test_the_long_page_site_builds_with_both_footnote_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = long_page_site(tmp_path / "site", 30, 2)
    config = write_variants(site)["full"]
    ours = (_build(config, tmp_path / "ours") / "long" / "index.html").read_text(encoding="utf-8")
    assert ours.count("footnote-ref ipt-cite") == 30
    monkeypatch.setitem(os.environ, UPSTREAM_SETTING, "1")
    upstream = (_build(config, tmp_path / "upstream") / "long" / "index.html").read_text(encoding="utf-8")
    assert upstream.count("footnote-ref ipt-cite") == 30


def test_the_bibliography_size_site_lists_every_entry(tmp_path: Path) -> None:
    site = bibliography_site(tmp_path / "site", 2, 60)
    out = _build(write_variants(site)["full"], tmp_path / "out")
    assert (out / "references" / "index.html").read_text(encoding="utf-8").count("csl-entry") == 60


def test_the_peer_stack_builds_the_same_pages(tmp_path: Path) -> None:
    site = generate(tmp_path / "site", 2, 3, 40)
    out = _build(peer_config(site), tmp_path / "out")
    assert (out / "page0001" / "index.html").is_file()
