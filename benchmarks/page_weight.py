"""How many bytes a reader downloads: first visit and second page visit, gzip -9.

First visit of a page: its HTML plus everything it makes the browser fetch: style
sheets (and the fonts and images they reference), scripts, images, the favicon,
Material's search worker and the search index it loads. Second visit (another
page, assets cached): just that page's HTML. Each file is counted gzip -9
compressed (images too, for one consistent measure). Source maps are not counted:
browsers fetch them only with developer tools open.

    python benchmarks/page_weight.py [--site DIR] [--pages about/ theory/ ...] [--detail PAGE]

Without --site it builds the site into a temporary folder. Budgets: first visit
at most 40 kB, second visit at most 8 kB (kB = 1,000 bytes).

For tests: ``page_weight(site_dir, "theory/")`` returns a PageWeight.
"""

from __future__ import annotations

import argparse
import gzip
import json
import posixpath
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from sitegen import build_site  # benchmarks/ is on the path when run as a script
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
FIRST_VISIT_BUDGET = 40_000
SECOND_VISIT_BUDGET = 8_000
_ORIGIN = "http://site.invalid/"
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_FETCHED_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "manifest"}


@dataclass(frozen=True)
class Resource:
    url: str          # site-relative path, e.g. "assets/stylesheets/main.css"
    kind: str         # html, css, js, font, image, search index, other
    raw: int
    gz: int


@dataclass
class PageWeight:
    page: str
    resources: list[Resource] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)    # referenced, not in the site
    external: list[str] = field(default_factory=list)   # other hosts (should be none)

    @property
    def html_gz(self) -> int:
        return self.resources[0].gz

    @property
    def first_visit_gz(self) -> int:
        return sum(r.gz for r in self.resources)

    @property
    def second_visit_gz(self) -> int:
        return self.html_gz


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.config_json: str | None = None
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and set(a.get("rel", "").lower().split()) & _FETCHED_LINK_RELS and a.get("href"):
            self.urls.append(a["href"])
        elif tag == "script":
            if a.get("src"):
                self.urls.append(a["src"])
            elif a.get("id") == "__config":
                self._in_config = True
                self.config_json = ""
        elif tag in ("img", "source", "video", "audio", "iframe", "embed", "input"):
            for name in ("src", "poster"):
                if a.get(name):
                    self.urls.append(a[name])
            for candidate in a.get("srcset", "").split(","):
                if candidate.strip():
                    self.urls.append(candidate.split()[0])

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config_json += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_config = False


def _kind(path: str) -> str:
    ext = posixpath.splitext(path)[1].lower()
    if path.endswith("search_index.json"):
        return "search index"
    return {".html": "html", ".css": "css", ".js": "js", ".mjs": "js", ".woff2": "font", ".woff": "font",
            ".ttf": "font", ".otf": "font", ".png": "image", ".svg": "image", ".jpg": "image",
            ".jpeg": "image", ".gif": "image", ".webp": "image", ".avif": "image", ".ico": "image"}.get(ext, "other")


def _page_file(site_dir: Path, page: str) -> tuple[Path, str]:
    """The HTML file of ``page`` ("theory/", "404.html", "") and its site-relative path."""
    rel = page.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return site_dir / rel, rel


def _resolve(base_rel: str, url: str) -> str | None:
    """Site-relative path of ``url`` as referenced from the file at ``base_rel``; None if external."""
    if url.startswith(("data:", "#", "javascript:", "mailto:", "tel:")):
        return ""
    absolute = urljoin(_ORIGIN + base_rel, url)
    parts = urlsplit(absolute)
    if not absolute.startswith(_ORIGIN):
        return None
    path = parts.path[1:]
    return path + "index.html" if path == "" or path.endswith("/") else path


def _measure(site_dir: Path, rel: str) -> Resource | None:
    file = site_dir / rel
    if not file.is_file():
        return None
    data = file.read_bytes()
    return Resource(rel, _kind(rel), len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))


def page_weight(site_dir: Path, page: str) -> PageWeight:
    """First- and second-visit weight of ``page`` (site-relative URL) in the built site ``site_dir``."""
    site_dir = Path(site_dir)
    html_file, html_rel = _page_file(site_dir, page)
    html = html_file.read_text(encoding="utf-8")
    result = PageWeight(page)
    result.resources.append(_measure(site_dir, html_rel))

    refs = _Refs()
    refs.feed(html)
    pending = [(html_rel, url) for url in refs.urls]
    if refs.config_json:
        config = json.loads(refs.config_json)
        if config.get("search"):
            pending.append((html_rel, config["search"]))
            # The worker fetches the index from <base>/search/search_index.json at start-up.
            base = config.get("base", ".").rstrip("/")
            pending.append((html_rel, f"{base}/search/search_index.json"))

    seen = {html_rel}
    while pending:
        base_rel, url = pending.pop(0)
        rel = _resolve(base_rel, url)
        if rel == "":
            continue
        if rel is None:
            result.external.append(url)
            continue
        if rel in seen:
            continue
        seen.add(rel)
        resource = _measure(site_dir, rel)
        if resource is None:
            result.missing.append(rel)
            continue
        result.resources.append(resource)
        if resource.kind == "css":
            text = (site_dir / rel).read_text(encoding="utf-8", errors="replace")
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)  # comments, incl. sourceMappingURL
            for match in _CSS_URL.finditer(text):
                pending.append((rel, match.group(2) or match.group(4)))
    # favicon.ico is requested by browsers when the page names no icon
    if not any(r.url.endswith(("favicon.png", "favicon.ico", ".svg")) and r.kind == "image" for r in result.resources):
        ico = _measure(site_dir, "favicon.ico")
        if ico:
            result.resources.append(ico)
    return result


def all_pages(site_dir: Path) -> list[str]:
    pages = []
    for html in sorted(Path(site_dir).rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return sorted(pages, key=lambda p: (p.startswith("embed/"), p == "404.html", p))


def _kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def print_detail(weight: PageWeight) -> None:
    print(f"\nfirst visit of /{weight.page}, file by file (kB; gzip -9)")
    print(f"{'file':58} {'kind':>12} {'raw':>7} {'gz':>6}")
    for r in weight.resources:
        print(f"{r.url[:58]:58} {r.kind:>12} {_kb(r.raw):>7} {_kb(r.gz):>6}")
    print(f"{'total':58} {'':>12} {_kb(sum(r.raw for r in weight.resources)):>7} {_kb(weight.first_visit_gz):>6}")
    by_kind: dict[str, int] = {}
    for r in weight.resources:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + r.gz
    print("by kind (gz kB): " + ", ".join(f"{k} {_kb(v)}" for k, v in sorted(by_kind.items(), key=lambda x: -x[1])))


def report(site_dir: Path, pages: list[str] | None, detail: str | None) -> bool:
    pages = pages or all_pages(site_dir)
    weights = [page_weight(site_dir, p) for p in pages]
    print(f"{'page':36} {'HTML gz':>8} {'first visit':>12} {'second visit':>13}  within budget")
    ok_all = True
    for w in weights:
        ok = w.first_visit_gz <= FIRST_VISIT_BUDGET and w.second_visit_gz <= SECOND_VISIT_BUDGET
        ok_all &= ok
        note = "yes" if ok else "NO: " + ", ".join(
            what for what, bad in (("first", w.first_visit_gz > FIRST_VISIT_BUDGET),
                                   ("second", w.second_visit_gz > SECOND_VISIT_BUDGET)) if bad)
        print(f"/{w.page:35} {_kb(w.html_gz):>8} {_kb(w.first_visit_gz):>12} {_kb(w.second_visit_gz):>13}  {note}")
    print("(kB, gzip -9; first visit = HTML + every asset it fetches; second visit = HTML only)")
    for w in weights:
        if w.missing or w.external:
            print(f"  /{w.page}: missing {w.missing} external {w.external}")
    heaviest = max(weights, key=lambda w: w.first_visit_gz)
    print_detail(next((w for w in weights if w.page == detail), heaviest) if detail else heaviest)
    full = [w for w in weights if not w.page.startswith("embed/") and w.page != "404.html"]
    if full:
        first = max(w.first_visit_gz for w in full)
        second = max(w.second_visit_gz for w in full)
        print(f"\nbudget, worst article page: first visit {_kb(first)} kB of {_kb(FIRST_VISIT_BUDGET)} — "
              f"{'met' if first <= FIRST_VISIT_BUDGET else 'NOT met'}; second visit {_kb(second)} kB of "
              f"{_kb(SECOND_VISIT_BUDGET)} — {'met' if second <= SECOND_VISIT_BUDGET else 'NOT met'}")
    return ok_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--pages", nargs="+", help="site-relative URLs (default: every page)")
    parser.add_argument("--detail", help="page to break down file by file (default: the heaviest)")
    args = parser.parse_args()
    if args.site:
        report(args.site, args.pages, args.detail)
        return
    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        build_site(Path(tmp) / "site")
        report(Path(tmp) / "site", args.pages, args.detail)


if __name__ == "__main__":
    main()
