"""Smaller downloads: minify the built site, and cut Material's style sheet to what it uses.

Whitespace, quotes and comments are a large share of what a first visit
downloads; without them a first visit fits 40 kB and a second page 8 kB
(benchmarks/page_weight.py). The sources in docs/ keep their comments for editors.
minify-html, rcssmin and rjsmin are maintained minifiers; closing tags are kept so
simple HTML parsers see the same structure, and inline scripts are left byte for
byte, because docs/_headers allows them by hash. Material's main.css is purged
(ipt_checks/css_purge.py) into a first-paint sheet and a full one (see
purge_theme_css), each under a name with its own content hash, so no browser or
CDN can pair a cached copy with pages it does not fit.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import minify_html
import rcssmin
import rjsmin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from ipt_checks.css_purge import CLASS_ATTRIBUTE, PurgedSheet, class_names, words

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


class _State:
    class_values: set[str] = set()  # raw class attribute values of every page written


state = _State()


def purge_theme_css(site_dir: Path, class_values: set[str]) -> list[str]:
    """Replace Material's main.<hash>.min.css with two purged copies; returns their names.

    ``main.<hash>.purged.css`` has the rules for what the pages themselves contain, and
    is what blocks the first paint. ``main.<hash>.full.css`` adds the rules for what
    Material's scripts create (search results, tooltips, states): pages name it in
    ``data-ipt-full``, and assets/javascripts/on-demand.js loads it with those scripts.
    """
    sheets = sorted(site_dir.glob("assets/stylesheets/main.*.min.css"))
    if not sheets:
        return []
    scripts = "".join(path.read_text(encoding="utf-8") for path in site_dir.rglob("*.js"))
    others = "".join(path.read_text(encoding="utf-8") for path in site_dir.rglob("*.css") if path not in sheets)
    # "js": on-demand.js swaps Material's "no-js" class for it before Material runs.
    on_pages = class_names(class_values) | {"js"}
    written: list[str] = []
    replacements: list[tuple[re.Pattern[str], str]] = []
    for sheet in sheets:
        source = sheet.read_text(encoding="utf-8")
        # Custom properties may be named in a page too (none are today): the scripts
        # stand in for the pages' text, which would be slow to scan on a big site.
        names = {}
        parsed = PurgedSheet(source, others, scripts)  # parsed once for both
        for kind, used in (("full", on_pages | words([scripts])), ("purged", on_pages)):
            css = parsed.for_classes(used)
            names[kind] = f"main.{hashlib.sha256(css.encode()).hexdigest()[:8]}.{kind}.css"
            (sheet.parent / names[kind]).write_text(css, encoding="utf-8")
            written.append(names[kind])
        href = re.compile(r"""href=(["']?)([^"'\s>]*?)""" + re.escape(sheet.name) + r"\1")
        replacements.append((href, rf"href=\1\g<2>{names['purged']}\1 data-ipt-full=\1\g<2>{names['full']}\1"))
        sheet.unlink()
        sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = text
        for pattern, replacement in replacements:
            new = pattern.sub(replacement, new)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return written


def on_pre_build(config: MkDocsConfig) -> None:
    state.class_values = set()


def _written(html: str) -> str:
    html = minify_page(html)
    state.class_values.update(CLASS_ATTRIBUTE.findall(html))
    return html


@event_priority(-100)  # after every other hook has changed the page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _written(output)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _written(output_content) if template_name.endswith(".html") else output_content


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    minify_own_assets(Path(config.docs_dir), Path(config.site_dir))
    purge_theme_css(Path(config.site_dir), state.class_values)
