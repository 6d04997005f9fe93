"""Minified pages, style sheets and scripts for the built site (hooks/minify_site.py).

Whitespace, quotes and comments are a large share of what a first visit
downloads; without them a first visit fits 40 kB and a second page 8 kB
(benchmarks/page_weight.py). The sources in docs/ keep their comments for editors.
minify-html, rcssmin and rjsmin are maintained minifiers; closing tags are kept so
simple HTML parsers see the same structure, and inline scripts keep their code,
because docs/_headers allows them by hash (minify-html trims only whitespace at a
script's very start and end; hooks/embed.py fails the build if a hash stops matching).
"""

from __future__ import annotations

from pathlib import Path

import minify_html
import rcssmin
import rjsmin

# Published for clinics to read and copy (docs/for-clinics.md links to it): kept as written.
READABLE_SOURCES = {"assets/embed/ipt-embed.js"}


def minify_page(html: str) -> str:
    return minify_html.minify(html, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


def minify_asset(text: str, suffix: str) -> str:
    """A style sheet or script without comments and spare whitespace (``/*!`` comments stay)."""
    if suffix == ".css":
        return rcssmin.cssmin(text, keep_bang_comments=True)
    if suffix == ".js":
        return rjsmin.jsmin(text, keep_bang_comments=True)
    return text


def minify_own_assets(docs_dir: Path, site_dir: Path) -> None:
    for source in sorted(docs_dir.rglob("*")):
        rel = source.relative_to(docs_dir).as_posix()
        built = site_dir / rel
        if source.suffix in (".css", ".js") and rel not in READABLE_SOURCES and built.is_file():
            built.write_text(minify_asset(built.read_text(encoding="utf-8"), source.suffix), encoding="utf-8")
