"""Shared fixtures: the real site, built once per test session, and served locally."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import site_digests  # tools/ is not a package: imported by name from the path above

ROOT = Path(__file__).resolve().parent.parent


# The site builds with ProperDocs, as ./dev build does (IPT_BUILDER=mkdocs: MkDocs itself);
# IPT_THEME=materialx (read by mkdocs.yml) builds it on MaterialX (./dev materialx).
BUILDER = os.environ.get("IPT_BUILDER", "properdocs")
# Tests of Material's own search index; MaterialX searches with Pagefind instead.
lunr_search = pytest.mark.skipif(
    os.environ.get("IPT_THEME") == "materialx",
    reason="MaterialX searches with Pagefind: there is no search/search_index.json (README, 'After Material')",
)


def mkdocs(*args: str, cwd: Path = ROOT, check: bool = False,
           env: dict[str, str] | None = None, builder: str = BUILDER) -> subprocess.CompletedProcess[str]:
    """Run the real build tool of this environment; never with -q (it hides warnings)."""
    # A fixed build date (sitemap.xml's <lastmod>), as tools/site_digests.py builds, so that any two
    # builds of the same pages are byte-identical (tests/test_site_digests.py compares the bytes).
    env = {**os.environ, **site_digests.build_env(), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", builder, *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )
    if check and result.returncode != 0:
        pytest.fail(f"mkdocs {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def mkdocs_serve(project: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``mkdocs serve`` of ``project`` on ``port``, its output in ``log``; the caller terminates it."""
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", BUILDER, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT,
            env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
                 **{k: v for k, v in os.environ.items() if k == "IPT_THEME"}},
        )


# The real site is built once per session. When it does not build (say, one wrong
# citation key), that is one failure, reported once with the check's located lines by
# tests/test_real_site.py; every test that needs the built site is skipped, rather
# than each erroring with the same output.
BUILD_FAILED = "the real site does not build: its problems are reported once, by tests/test_real_site.py"
_real_site: dict[str, tuple[subprocess.CompletedProcess[str], Path]] = {}  # the build, and its site directory


def real_site_build(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the real site, once per session (passed or failed)."""
    if "build" not in _real_site:
        site_dir = tmp_path_factory.mktemp("site")
        # A cache of its own: the tests see pandoc render every citation, as CI does.
        cache = tmp_path_factory.mktemp("citation-cache") / "citations.json"
        result = mkdocs("build", "--strict", "--site-dir", str(site_dir), env={"IPT_CITATION_CACHE": str(cache)})
        _real_site["build"] = (result, site_dir)
    return _real_site["build"][0]


@functools.cache
def real_site_problems() -> str:
    """``ipt-check``'s report on the real project when it fails (strict, as the build), else ''."""
    result = subprocess.run([sys.executable, "-m", "ipt_site.cli.check"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")}, timeout=300)
    return "" if result.returncode == 0 else result.stdout + result.stderr


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    result = real_site_build(tmp_path_factory)
    if result.returncode != 0:
        pytest.skip(BUILD_FAILED)
    return result


@pytest.fixture(scope="session")
def site_dir(site_build: subprocess.CompletedProcess[str]) -> Path:
    return _real_site["build"][1]  # site_build has built it


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A static server for ``directory`` on a free loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    server, url = serve(site_dir)
    yield url
    server.shutdown()


def copy_project(dest: Path) -> Path:
    """A scratch copy of the project (pages, bib, config, hooks) to break on purpose.

    Skips the calling test when the real project fails its check: the copy's
    results would only repeat that one problem (reported by tests/test_real_site.py).
    """
    if real_site_problems():
        pytest.skip(BUILD_FAILED)
    return copy_project_files(dest)


# --- real Chromium (see tests/browser.py) -------------------------------------------
# tests/ is not a package: pytest (default "prepend" import mode) puts this conftest's
# directory on sys.path, so the helper module imports by its bare name. Added here too,
# for runs with --import-mode=importlib, which does not.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))
from playwright.sync_api import Browser, Playwright, sync_playwright  # noqa: E402

from browser import launch_chromium  # noqa: E402
from preview import copy_project_files  # noqa: E402


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the whole session; each test opens its own context."""
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


# --- the built site with its own HTTP headers (see tests/headers_server.py) ----------


@pytest.fixture(scope="session")
def headers_site_url(site_dir: Path) -> Iterator[str]:
    """The built site served with the headers its ``_headers`` file sets (CSP, framing)."""
    from headers_server import serve_with_headers

    server, url = serve_with_headers(site_dir)
    yield url
    server.shutdown()
