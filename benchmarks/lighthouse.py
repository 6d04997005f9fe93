"""Lighthouse (default mobile mode) on every page of the built site, served locally.

Builds the site into a temporary folder, serves it on 127.0.0.1 with a threaded
http.server (no compression unless --gzip; no _headers), runs the Lighthouse CLI once per page
against Debian's Chromium, and prints per page: the four category scores, First
Contentful Paint, Largest Contentful Paint and the bytes transferred; then the
targets (100 in all four categories, FCP at most 1.0 s) and which pages miss
them, with the audits that cost the points.

Lighthouse is installed at run time into a private folder (benchmarks/.node,
git-ignored) with ``npm install --no-save --prefix``; the repository's
package.json and lock file are never touched. Lighthouse 12.x is the newest line
that runs on Node 20 (13.x needs Node 22.19+).

    python benchmarks/lighthouse.py [--pages N] [--only about/ ...] [--no-embed] [--gzip]
        [--json-dir DIR] [--node-dir benchmarks/.node] [--site DIR]

Each page takes 15-30 s (a fresh Chromium per page); --pages N runs the first N.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from sitegen import build_site  # benchmarks/ is on the path when run as a script

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.8.2"
# Debian's chromium (Lighthouse's own browser download does not work offline); CHROME_PATH overrides.
CHROME_PATH = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SCORE_TARGET = 100
FCP_TARGET = 1.0


def ensure_lighthouse(node_dir: Path) -> Path:
    cli = node_dir / "node_modules" / "lighthouse" / "cli" / "index.js"
    version = LIGHTHOUSE.split("@", 1)[1]
    package = node_dir / "node_modules" / "lighthouse" / "package.json"
    if not cli.is_file() or json.loads(package.read_text())["version"] != version:
        if shutil.which("npm") is None:
            sys.exit("lighthouse.py needs Node.js 18.16+ with npm")
        node_dir.mkdir(parents=True, exist_ok=True)
        print(f"installing {LIGHTHOUSE} into {node_dir} ...", flush=True)
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
             "--prefix", str(node_dir), LIGHTHOUSE],
            check=True,
        )
    return cli


def page_paths(site: Path, embed: bool) -> list[str]:
    """Site-relative URLs of every HTML page: full pages first, then embed copies, 404 last."""
    paths = []
    for html in site.rglob("*.html"):
        rel = html.relative_to(site).as_posix()
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    if not embed:
        paths = [p for p in paths if not p.startswith("embed/")]

    def order(path: str) -> tuple[bool, bool, int, str]:
        return (path.startswith("embed/"), path == "404.html", path.count("/"), path)

    return sorted(paths, key=order)


class QuietHandler(SimpleHTTPRequestHandler):
    # Keep-alive, as every real host does; HTTP/1.0 would make Lighthouse's simulation
    # pay a new connection (one more round trip) for every file.
    protocol_version = "HTTP/1.1"
    gzip_text = False
    _COMPRESSIBLE: ClassVar[set[str]] = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass

    def do_GET(self) -> None:
        """With --gzip, text files go out gzip-compressed, as a real host would send them."""
        if not self.gzip_text or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                super().do_GET()  # the directory redirect
                return
            path = path / "index.html"
        if not path.is_file() or path.suffix not in self._COMPRESSIBLE:
            super().do_GET()
            return
        data = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve(site: Path, gzip_text: bool = False) -> tuple[ThreadingHTTPServer, str]:
    handler = type("Handler", (QuietHandler,), {"gzip_text": gzip_text})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_lighthouse(cli: Path, url: str, out: Path) -> dict[str, Any]:
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    proc = subprocess.run(
        ["node", str(cli), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--chrome-flags={CHROME_FLAGS}"],
        env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def summarise(lhr: dict[str, Any]) -> dict[str, Any]:
    audits = lhr["audits"]
    scores = {c: lhr["categories"][c]["score"] for c in CATEGORIES}
    lost: dict[str, list[str]] = {}
    for c in CATEGORIES:
        for ref in lhr["categories"][c]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                lost.setdefault(c, []).append(f"{ref['id']} ({audit['score']:.2f})")
    return {
        "scores": {c: None if s is None else round(s * 100) for c, s in scores.items()},
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "lost": lost,
        "runtime_error": (lhr.get("runtimeError") or {}).get("message"),
        "warnings": lhr.get("runWarnings", []),
        "benchmark_index": lhr.get("environment", {}).get("benchmarkIndex"),
    }


def misses(row: dict[str, Any]) -> list[str]:
    out = [f"{c} {s}" for c, s in row["scores"].items() if s is None or s < SCORE_TARGET]
    if row["fcp"] > FCP_TARGET:
        out.append(f"FCP {row['fcp']:.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, help="only the first N pages")
    parser.add_argument("--only", nargs="+", help="only these site-relative URLs, e.g. about/ embed/theory/")
    parser.add_argument("--no-embed", action="store_true", help="skip the embed/ copies")
    parser.add_argument("--json-dir", type=Path, help="keep every Lighthouse JSON report here")
    parser.add_argument("--gzip", action="store_true",
                        help="serve text files gzip-compressed (as a real host does); default: uncompressed")
    parser.add_argument("--node-dir", type=Path, default=Path(__file__).resolve().parent / ".node")
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    args = parser.parse_args()

    cli = ensure_lighthouse(args.node_dir)
    version = json.loads((cli.parent.parent / "package.json").read_text())["version"]
    chromium = subprocess.run([CHROME_PATH, "--version"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp_name:
        tmp = Path(tmp_name)
        site = args.site or tmp / "site"
        if not args.site:
            build_site(site)
        paths = args.only or page_paths(site, embed=not args.no_embed)
        if args.pages:
            paths = paths[: args.pages]
        server, base = serve(site, args.gzip)
        print(f"Lighthouse {version}, default mobile mode, {chromium}; {os.cpu_count()} cores; "
              f"{len(paths)} pages from {base} ({'gzip' if args.gzip else 'uncompressed'}); "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        rows: dict[str, dict[str, Any]] = {}
        start = time.perf_counter()
        try:
            for path in paths:
                out = (args.json_dir or tmp) / (path.strip("/").replace("/", "_").replace(".html", "") or "home")
                out = out.with_suffix(".json")
                out.parent.mkdir(parents=True, exist_ok=True)
                t0 = time.perf_counter()
                rows[path] = summarise(run_lighthouse(cli, base + path, out))
                print(f"  /{path}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        finally:
            server.shutdown()
        elapsed = time.perf_counter() - start

    print(f"\n{'page':34} {'Perf':>4} {'A11y':>4} {'BP':>4} {'SEO':>4} {'FCP s':>6} {'LCP s':>6} {'bytes':>8}")
    for path, row in rows.items():
        s = row["scores"]
        cells = " ".join(f"{'-' if s[c] is None else s[c]:>4}" for c in CATEGORIES)
        print(f"/{path:33} {cells} {row['fcp']:6.2f} {row['lcp']:6.2f} {row['bytes']:8.0f}")
    indices = [r["benchmark_index"] for r in rows.values() if r["benchmark_index"]]
    if indices:
        print(f"Lighthouse benchmarkIndex (CPU speed; higher is faster) median "
              f"{sorted(indices)[len(indices) // 2]:.0f}; {elapsed:.0f} s for {len(rows)} pages")

    print(f"\ntargets: {SCORE_TARGET} in all four categories, FCP <= {FCP_TARGET:.1f} s")
    missed = {path: misses(row) for path, row in rows.items() if misses(row)}
    if not missed:
        print("  every page meets them")
    for path, what in missed.items():
        print(f"  /{path}: misses {', '.join(what)}")
        for category, audits in rows[path]["lost"].items():
            print(f"      {category}: {', '.join(audits)}")
    for path, row in rows.items():
        if row["runtime_error"] or row["warnings"]:
            print(f"  /{path}: Lighthouse says: {row['runtime_error'] or ''} {' '.join(row['warnings'])}")


if __name__ == "__main__":
    main()
