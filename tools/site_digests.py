"""The digest list of the real site's build: proof that a refactor changed no byte a reader gets.

``python tools/site_digests.py`` builds the site and rewrites ``tests/fixtures/site-digests.txt``;
run it (``./dev digests``) only when you mean to change the built site, such as after a content
edit, and commit the list with the change. ``tests/test_site_digests.py`` compares every test
session's build against it.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = ROOT / "tests" / "fixtures" / "site-digests.txt"
# sitemap.xml's <lastmod> is the build date: fixed, so that the list does not change every day.
BUILD_EPOCH = "1764547200"  # 2025-12-01 UTC
# The generator tag names the build tool (ProperDocs or MkDocs), which build the same site.
_GENERATOR = re.compile(rb'<meta content="[^"]*" name=generator>|<meta name="generator" content="[^"]*">')


def file_digest(data: bytes) -> str:
    return hashlib.sha256(_GENERATOR.sub(b"<meta name=generator>", data)).hexdigest()


def site_digests(site_dir: Path) -> dict[str, str]:
    """Every built file, by its path under ``site_dir`` (with ``/``), to its SHA-256."""
    return {
        path.relative_to(site_dir).as_posix(): file_digest(path.read_bytes())
        for path in sorted(site_dir.rglob("*")) if path.is_file()
    }


def format_digests(digests: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items()))


def parse_digests(text: str) -> dict[str, str]:
    return {name: digest for digest, name in (line.split("  ", 1) for line in text.splitlines() if line)}


def compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """What differs, one line per file; empty when the builds are byte-identical."""
    lines = [f"missing from the build: {name}" for name in sorted(expected.keys() - actual.keys())]
    lines += [f"new in the build: {name}" for name in sorted(actual.keys() - expected.keys())]
    lines += [f"changed: {name}" for name in sorted(expected.keys() & actual.keys())
              if expected[name] != actual[name]]
    return lines


def build_env() -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": BUILD_EPOCH, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def main() -> int:
    builder = os.environ.get("IPT_BUILDER", "properdocs")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, **build_env(), "IPT_CITATION_CACHE": str(Path(tmp) / "citations.json")}
        result = subprocess.run([sys.executable, "-m", builder, "build", "--strict", "--site-dir", str(site)],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            print("site_digests: the site does not build; fix that first (./dev check).", file=sys.stderr)
            return 1
        digests = site_digests(site)
    DIGESTS.write_text(format_digests(digests), encoding="utf-8")
    print(f"site_digests: wrote {len(digests)} digests to {DIGESTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
