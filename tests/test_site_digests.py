"""No behaviour change by accident: the real site's build is byte-identical to the stored digest list.

The list (tests/fixtures/site-digests.txt) is regenerated only on purpose, with ``./dev digests``,
when a change is meant to change what readers get (a content edit, a new page, a theme update).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import site_digests

pytestmark = pytest.mark.skipif(os.environ.get("IPT_THEME") == "materialx",
                                reason="the digest list is of the Material build; MaterialX builds other bytes")


def test_the_build_is_byte_identical_to_the_stored_digest_list(site_dir: Path) -> None:
    expected = site_digests.parse_digests(site_digests.DIGESTS.read_text(encoding="utf-8"))
    differences = site_digests.compare(expected, site_digests.site_digests(site_dir))
    assert not differences, (
        "the built site differs from tests/fixtures/site-digests.txt:\n  " + "\n  ".join(differences)
        + "\nIf you meant to change the built site (a content edit, a new page), run ./dev digests"
          " and commit tests/fixtures/site-digests.txt with your change; if not, your change altered"
          " what readers get.")


def test_the_comparison_names_every_kind_of_difference(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b'<meta content="mkdocs-1.6.1" name=generator><p>x')
    (tmp_path / "b.txt").write_bytes(b"b")
    digests = site_digests.site_digests(tmp_path)
    assert list(digests) == ["a/index.html", "b.txt"]
    assert site_digests.parse_digests(site_digests.format_digests(digests)) == digests
    assert site_digests.compare(digests, digests) == []
    (tmp_path / "a" / "index.html").write_bytes(b'<meta content="mkdocs-ProperDocs 1.6.7" name=generator><p>x')
    assert site_digests.compare(digests, site_digests.site_digests(tmp_path)) == [], "the builder's name is not output"
    (tmp_path / "a" / "index.html").write_bytes(b'<meta content="mkdocs-1.6.1" name=generator><p>y')
    (tmp_path / "b.txt").unlink()
    (tmp_path / "c.txt").write_bytes(b"c")
    assert site_digests.compare(digests, site_digests.site_digests(tmp_path)) == [
        "missing from the build: b.txt", "new in the build: c.txt", "changed: a/index.html"]
