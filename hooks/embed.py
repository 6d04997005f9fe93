"""MkDocs glue for the embeddable pages and the "Embed this page" block (the headers check
is hooks/headers_check.py).

The logic lives in ipt_site.site_output.embed_pages and ipt_site.site_output.sitemap;
this file only connects it to MkDocs' events.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ipt_site.build_state import for_build
from ipt_site.site_output.embed_pages import (
    EMBED_DIR,
    EMBED_OF_KEY,
    embed_markdown,
    embed_snippet,
    embed_src_uri,
    frame_links,
    is_embed_src,
    rebase_urls,
    relative_url,
    review_date,
)
from ipt_site.site_output.sitemap import drop_urls, gzip_like, under_path

log = get_plugin_logger("embed")

def _is_embed(page: Page) -> bool:
    return is_embed_src(page.file.src_uri) and EMBED_OF_KEY in page.meta


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Add ``embed/X.md`` for every page ``X.md`` (generated, never written to docs/)."""
    for file in list(files.documentation_pages()):
        if is_embed_src(file.src_uri):
            log.warning(f"docs/{file.src_uri}: docs/{EMBED_DIR}/ is kept for the embeddable copies; move this page")
            continue
        files.append(
            File.generated(
                config,
                embed_src_uri(file.src_uri),
                content=embed_markdown(file.content_string, file.src_uri),
                # Reachable only through the snippet, on purpose: not a nav omission.
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _is_embed(page):
        # The copy has no source file of its own to edit.
        page.edit_url = None
    return markdown


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    """Give each embed page its full page's rendered content (every page is rendered by now)."""
    for file in files.documentation_pages():
        page = file.page
        if page is None or not _is_embed(page):
            continue
        original = files.get_file_from_path(page.meta[EMBED_OF_KEY])
        if original is None or original.page is None or original.page.content is None:
            log.warning(f"embed page {file.src_uri}: no rendered page {page.meta[EMBED_OF_KEY]!r} to copy")
            continue
        # The HTML was rendered for the full page's URL (citations, reference
        # list and all); rebasing its relative links keeps their targets.
        page.content = rebase_urls(original.page.content, original.page.url, page.url)
    return env


def on_page_context(context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    """What overrides/embed.html and overrides/partials/ipt-page-extras.html show."""
    site_url = config.site_url or ""
    if _is_embed(page):
        full_url = page.url[len(EMBED_DIR) + 1:]
        context["ipt_embed"] = {
            "full_href": relative_url(full_url, page.url),
            "reviewed": review_date(page.meta.get("last_reviewed")),
            # Printed on handouts of the copy (overrides/embed.html), as on the full page.
            "address": site_url.rstrip("/") + "/" + full_url if site_url else None,
        }
        if site_url:
            # While this page's template renders, its canonical URL (the
            # <link rel="canonical"> and anything else that reads it) is the
            # full page's; on_post_page puts the embed URL back for sitemap.xml,
            # which on_post_build then drops it from.
            for_build(config).embed.canonical[page.url] = page.canonical_url
            page.canonical_url = site_url.rstrip("/") + "/" + full_url
    else:
        title = str(page.meta.get("title") or page.title or config.site_name)
        context["ipt_page"] = {
            "address": page.canonical_url or page.abs_url,
            "snippet": embed_snippet(site_url or "/", page.url, title),
        }
    return context


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    if not _is_embed(page):
        return output
    canonical = for_build(config).embed.canonical
    if page.url in canonical:
        page.canonical_url = canonical.pop(page.url)
    # Every link on the page (content, help line, attribution) leaves the frame.
    return frame_links(output, page.url, site_url=config.site_url or "")


def on_post_build(*, config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    _drop_embed_pages_from_sitemap(site_dir, config)


def _drop_embed_pages_from_sitemap(site_dir: Path, config: MkDocsConfig) -> None:
    """Embed copies are duplicates: search engines get the full pages only."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    base = urlsplit(config.site_url or "/").path or "/"
    text = drop_urls(sitemap.read_text(encoding="utf-8"), under_path(f"{base.rstrip('/')}/{EMBED_DIR}/"))
    sitemap.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.is_file():
        gz.write_bytes(gzip_like(gz.read_bytes(), text, str(gz)))

