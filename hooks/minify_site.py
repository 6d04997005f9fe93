"""Smaller downloads: minified pages, CSS and JS, and Material's style sheet cut to what
the site uses. MkDocs glue; the logic is in ipt_site.site_output.minify, ipt_site.site_output.background_minify
and ipt_site.site_output.css_purge. What a build keeps is on its ipt_site.build_state.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ipt_site.build_state import BuildState, MinifyState, current, for_build
from ipt_site.site_output.background_minify import BackgroundMinifier, MinifyFailure
from ipt_site.site_output.css_purge import link_copies_pending, purge_theme_css
from ipt_site.site_output.minify import KnownItems, minified_with_classes, minify_own_assets, minify_page_with_items

log = get_plugin_logger("minify")


@event_priority(-100)  # after hooks/embed.py has added the embed copies
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    build = for_build(config)
    build.minify.pages = len(files.documentation_pages())
    # With the navigation cache (hooks/nav_render.py), each navigation item is minified once:
    # a page then costs less here than a worker's start and its second writing of the page.
    # Without it, the worker starts now, to be ready when the first page is written.
    if not build.settings.nav_cache:
        _start_worker(build)
    return files


# After hooks/nav_render.py's: the cache may be off in effect (the hook not listed, or
# another theme's nav.html). So a worker is there exactly when the build has no cache.
@event_priority(-100)
def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    build = for_build(config)
    if build.nav is None and build.minify.background is None:
        _start_worker(build)
    return env


def _start_worker(build: BuildState) -> None:
    pages = build.minify.pages
    if pages >= build.settings.minify_pool_from:
        log.debug(f"minifying {pages} pages in a worker process")
        build.minify.background = BackgroundMinifier()


def _written(state: MinifyState, html: str) -> str:
    minified = minified_with_classes(html)
    state.class_values.update(minified.class_values)
    return minified.html


def _with_known_items(build: BuildState, page: Page, html: str) -> str | None:
    """The page minified here, each navigation item minified once per build (hooks/nav_render.py
    hands them over): cheaper than the worker's whole page. None where that cannot be done."""
    rendered = build.nav.items_of(page) if build.nav is not None else None
    if rendered is None:
        return None
    state = build.minify
    if state.known_items is None:
        state.known_items = KnownItems()
    minified = minify_page_with_items(html, rendered.html, state.known_items, rendered.joined, rendered.fresh)
    if minified is None:
        return None
    state.class_values.update(minified.class_values)
    return minified.html


def _with_copies_linked(build: BuildState, page: Page, html: str) -> str:
    """The page as written, its link to Material's style sheet already to the purged copies
    but for their digits, which on_post_build writes in place instead of reading and writing
    every page again (ipt_site.site_output.css_purge)."""
    found = link_copies_pending(html)
    if found is None:
        return html
    written, pending = found
    if not (Path(build.config.site_dir) / "assets" / "stylesheets" / pending.sheet).is_file():
        return html  # not the theme's sheet that on_post_build purges
    build.minify.pending_links[page.file.dest_uri] = pending
    return written


@event_priority(-100)  # after every other hook has changed the page
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    build = for_build(config)
    state = build.minify
    if state.background is not None:  # only without the navigation cache (on_env)
        state.background.page_rendered(page.file.abs_dest_path)
        return output  # minified in the worker once written, and its link rewritten after the build
    html = _with_known_items(build, page, output)
    return _with_copies_linked(build, page, _written(state, output) if html is None else html)


@event_priority(-100)
def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    return _written(for_build(config).minify, output_content) if template_name.endswith(".html") else output_content


# First, so that hooks/embed.py checks the finished pages.
@event_priority(100)
def on_post_build(*, config: MkDocsConfig) -> None:
    state = for_build(config).minify
    if state.background is not None:
        background, state.background = state.background, None
        try:
            state.class_values.update(background.finish())
        except MinifyFailure as failure:
            raise PluginError(str(failure)) from None
    if state.known_items is not None:  # what `mkdocs build --verbose` shows (and the tests read)
        log.debug(f"navigation items minified once each: {len(state.known_items.items)} items, "
                  f"on {state.known_items.pages} pages")
    minify_own_assets(Path(config.docs_dir), Path(config.site_dir))
    purged = purge_theme_css(Path(config.site_dir), state.class_values, state.pending_links)
    log.debug(f"style sheet links: {purged.in_place} pages given the copies' names in place, "
              f"{purged.rewritten} rewritten")
    if purged.unlinked:  # a strict build fails on it: those pages would have no style sheet
        log.warning(f"{len(purged.unlinked)} page(s), e.g. {purged.unlinked[0]}, link a purged copy of Material's "
                    "style sheet that was not written (the sheet was gone after the build); "
                    "please report it as a bug in hooks/minify_site.py")


def on_build_error(*, error: Exception) -> None:
    build = current()
    if build is not None and build.minify.background is not None:
        build.minify.background.close()
        build.minify.background = None
