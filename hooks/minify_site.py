"""Minify the built site: every HTML page, and our own style sheets and scripts.

Whitespace, quotes and comments are a large share of what a first visit
downloads; without them a first visit fits 40 kB and a second page 8 kB
(benchmarks/page_weight.py). The sources in docs/ keep their comments for editors.
minify-html, rcssmin and rjsmin are maintained minifiers; closing tags are kept so
simple HTML parsers see the same structure, and inline scripts are left byte for
byte, because docs/_headers allows them by hash.
"""

from __future__ import annotations

from pathlib import Path

import minify_html
import rcssmin
import rjsmin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

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


@event_priority(-100)  # after every other hook has changed the page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return minify_page(output)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return minify_page(output_content) if template_name.endswith(".html") else output_content


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    minify_own_assets(Path(config.docs_dir), Path(config.site_dir))
