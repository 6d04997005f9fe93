"""How many bytes a reader downloads, measured in real Chromium, counted gzip -9.

For each page, Chromium (Debian's, through Playwright) opens it in a fresh profile,
and a local server records every file it asks for, the search worker's own
fetches included (those never reach Playwright's request events):

- first visit: everything fetched until the page is loaded and the network idle,
  before the reader does anything;
- after first interaction: that plus what a first mouse hover (or click, key,
  focus) loads: Material's JavaScript, its search worker and the search index
  (see docs/assets/javascripts/on-demand.js);
- second visit: the next page of the navigation opened in the same browser
  afterwards, counting only files not fetched before (the rest are cached).

Each file is counted as its gzip -9 size, as a CDN would send it (images too,
for one measure). Budgets: first visit at most 40 kB, second visit at most 8 kB
(kB = 1,000 bytes). tests/test_page_weight.py asserts them with ``measure``.

    python benchmarks/page_weight.py [--site DIR] [--pages about/ theory/ ...] [--detail PAGE]

Without --site it builds the site into a temporary folder.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import posixpath
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
FIRST_VISIT_BUDGET = 40_000
SECOND_VISIT_BUDGET = 8_000


@dataclass(frozen=True)
class Resource:
    path: str         # site-relative file, e.g. "assets/stylesheets/main.css"
    kind: str         # html, css, js, font, image, search index, other
    raw: int
    gz: int


@dataclass
class PageWeight:
    page: str
    first: list[Resource] = field(default_factory=list)
    interaction: list[Resource] = field(default_factory=list)   # added by the first interaction
    second_page: str = ""
    second: list[Resource] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)            # asked for, not in the site

    @property
    def first_visit_gz(self) -> int:
        return sum(r.gz for r in self.first)

    @property
    def after_interaction_gz(self) -> int:
        return self.first_visit_gz + sum(r.gz for r in self.interaction)

    @property
    def second_visit_gz(self) -> int:
        return sum(r.gz for r in self.second)


def kind(path: str) -> str:
    if path.endswith("search_index.json"):
        return "search index"
    ext = posixpath.splitext(path)[1].lower()
    return {".html": "html", ".css": "css", ".js": "js", ".mjs": "js", ".woff2": "font", ".woff": "font",
            ".ttf": "font", ".otf": "font", ".png": "image", ".svg": "image", ".jpg": "image",
            ".jpeg": "image", ".gif": "image", ".webp": "image", ".avif": "image", ".ico": "image"}.get(ext, "other")


def file_of(url_path: str) -> str:
    """Site-relative file a URL path is served from: "/theory/" -> "theory/index.html"."""
    path = unquote(urlsplit(url_path).path).lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def measure_file(site_dir: Path, rel: str) -> Resource | None:
    file = site_dir / rel
    if not file.is_file():
        return None
    data = file.read_bytes()
    return Resource(rel, kind(rel), len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    log: list[str]
    lock: threading.Lock

    def do_GET(self) -> None:
        with self.lock:
            self.log.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def recording_server(site_dir: Path) -> Iterator[tuple[str, list[str]]]:
    """Serve ``site_dir`` on loopback; yields the base URL and the live list of paths asked for."""
    log: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"log": log, "lock": threading.Lock()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


def _quiet(log: list[str], page: object, quiet_ms: int = 500, limit_s: float = 15.0) -> None:
    """Wait until the page has loaded and the server has seen no request for ``quiet_ms``.

    Playwright's own "networkidle" does not see a worker's fetches, the server does."""
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    deadline = time.monotonic() + limit_s
    seen, since = len(log), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if len(log) != seen:
            seen, since = len(log), time.monotonic()
        elif time.monotonic() - since >= quiet_ms / 1000:
            return


def _resources(site_dir: Path, paths: list[str], skip: set[str], result: PageWeight) -> list[Resource]:
    out = []
    for path in paths:
        rel = file_of(path)
        if rel in skip:
            continue
        skip.add(rel)
        resource = measure_file(site_dir, rel)
        if resource is None:
            result.missing.append(rel)
        else:
            out.append(resource)
    return out


def measure(browser: object, site_dir: Path, pages: list[str], second_pages: dict[str, str] | None = None,
            interact: bool = True) -> list[PageWeight]:
    """Weigh each page ("theory/", "" for the home page) of the built site in ``site_dir``.

    ``second_pages`` names the page opened after each one (default: the next of ``pages``
    of the same kind, full page or embed copy: a reader moves between pages of one kind)."""
    site_dir = Path(site_dir)
    second_pages = second_pages or next_pages(pages)
    results = []
    with recording_server(site_dir) as (base, log):
        for page_path in pages:
            result = PageWeight(page_path)
            context = browser.new_context(service_workers="block")  # type: ignore[attr-defined]
            try:
                page = context.new_page()
                fetched: set[str] = set()
                del log[:]
                page.goto(f"{base}/{page_path}")
                _quiet(log, page)
                result.first = _resources(site_dir, list(log), fetched, result)
                if interact:
                    del log[:]
                    page.mouse.move(5, 200)
                    page.mouse.move(60, 260)  # a first hover: Material's scripts load
                    _quiet(log, page, quiet_ms=1000)
                    result.interaction = _resources(site_dir, list(log), fetched, result)
                result.second_page = second_pages[page_path]
                del log[:]
                page.goto(f"{base}/{result.second_page}")
                _quiet(log, page)
                result.second = _resources(site_dir, list(log), fetched, result)
            finally:
                context.close()
            results.append(result)
    return results


def next_pages(pages: list[str]) -> dict[str, str]:
    """Each page -> the next page of the same kind in ``pages`` (wrapping round)."""
    out = {}
    for embed in (False, True):
        group = [p for p in pages if p.startswith("embed/") == embed]
        out.update({p: group[(i + 1) % len(group)] for i, p in enumerate(group)})
    return out


def all_pages(site_dir: Path) -> list[str]:
    pages = []
    for html in sorted(Path(site_dir).rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return sorted(pages, key=lambda p: (p.startswith("embed/"), p == "404.html", p))


def _kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def print_detail(weight: PageWeight) -> None:
    print(f"\n/{weight.page}, file by file (kB; gzip -9)")
    print(f"{'file':56} {'when':>12} {'kind':>12} {'raw':>7} {'gz':>6}")
    for when, resources in (("first visit", weight.first), ("interaction", weight.interaction),
                            (f"then /{weight.second_page}"[:12], weight.second)):
        for r in resources:
            print(f"{r.path[:56]:56} {when:>12} {r.kind:>12} {_kb(r.raw):>7} {_kb(r.gz):>6}")


def report(weights: list[PageWeight], detail: str | None) -> None:
    print(f"{'page':34} {'first visit':>12} {'+ interaction':>14} {'second visit':>13}  within budget")
    for w in weights:
        bad = [what for what, over in (("first", w.first_visit_gz > FIRST_VISIT_BUDGET),
                                       ("second", w.second_visit_gz > SECOND_VISIT_BUDGET)) if over]
        print(f"/{w.page:33} {_kb(w.first_visit_gz):>12} {_kb(w.after_interaction_gz):>14} "
              f"{_kb(w.second_visit_gz):>13}  {'NO: ' + ', '.join(bad) if bad else 'yes'}")
        if w.missing:
            print(f"  asked for but not in the site: {w.missing}")
    print("(kB, gzip -9. first visit: until loaded and idle, before any interaction; + interaction:"
          " after a first mouse hover; second visit: the next page, files not fetched before)")
    heaviest = max(weights, key=lambda w: w.first_visit_gz)
    print_detail(next((w for w in weights if w.page == detail), heaviest) if detail else heaviest)
    first = max(w.first_visit_gz for w in weights)
    second = max(w.second_visit_gz for w in weights)
    print(f"\nworst page: first visit {_kb(first)} kB of {_kb(FIRST_VISIT_BUDGET)} "
          f"({'met' if first <= FIRST_VISIT_BUDGET else 'NOT met'}); second visit {_kb(second)} kB of "
          f"{_kb(SECOND_VISIT_BUDGET)} ({'met' if second <= SECOND_VISIT_BUDGET else 'NOT met'})")


def run(site_dir: Path, pages: list[str] | None, detail: str | None) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM_ARGS  # the flags the browser tests launch Chromium with

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("page_weight.py needs Chromium (`chromium` on PATH); ./dev test installs it")
    pages = pages or all_pages(site_dir)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            report(measure(browser, site_dir, pages), detail)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--pages", nargs="+", help="site-relative URLs (default: every page)")
    parser.add_argument("--detail", help="page to break down file by file (default: the heaviest)")
    args = parser.parse_args()
    if args.site:
        run(args.site, args.pages, args.detail)
        return
    from sitegen import build_site  # benchmarks/ is on the path when run as a script

    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        build_site(Path(tmp) / "site")
        run(Path(tmp) / "site", args.pages, args.detail)


if __name__ == "__main__":
    main()
