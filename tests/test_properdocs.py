"""ProperDocs (the maintained MkDocs 1.x fork) builds the same site as MkDocs, byte for byte.

The site builds with ProperDocs (``./dev build``, CI, deploy; the session's
``site_dir`` fixture). While MkDocs 1.6.1 is still installed, this builds the
same pages with it and compares every file: the only difference allowed is the
generator meta tag. README, "After Material", says what to do when this fails.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from conftest import BUILDER, mkdocs

# e.g. <meta content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2" name=generator> (minified)
GENERATOR = re.compile(rb'<meta (?:content="([^"]*)" name="?generator"?|name="?generator"? content="([^"]*)")>')


def files(site: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":  # the gzip header holds a time stamp; compare what it holds
            data = gzip.decompress(data)
        found[path.relative_to(site).as_posix()] = GENERATOR.sub(b"<generator>", data)
    return found


def test_the_build_is_properdocs() -> None:
    assert BUILDER == "properdocs"


@pytest.mark.skipif(BUILDER != "properdocs", reason="compares ProperDocs' build (the site_dir fixture) with MkDocs'")
def test_properdocs_output_equals_mkdocs_output_apart_from_the_generator_tag(site_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("mkdocs.__main__", reason="MkDocs itself is no longer installed: nothing to compare")
    out = tmp_path / "site"
    mkdocs("build", "--strict", "--site-dir", str(out), check=True, builder="mkdocs",
           env={"IPT_CITATION_CACHE": str(tmp_path / "cache.json")})
    ours, theirs = files(site_dir), files(out)
    generator = GENERATOR.search((site_dir / "index.html").read_bytes())
    assert generator and b"ProperDocs" in (generator.group(1) or generator.group(2)), generator
    assert sorted(ours) == sorted(theirs)
    differ = [name for name in ours if ours[name] != theirs[name]]
    assert not differ, f"ProperDocs and MkDocs built these files differently: {differ[:10]}"
