"""MkDocs glue for the citation checks; the logic lives in ipt_site.

Runs before mkdocs-bibtex (higher event priority) so that a wrong citation or
broken BibTeX stops the build with located errors instead of being silently
dropped, mangled, or crashing the plugin with a traceback. What a build knows is on
its ipt_site.build_state.BuildState (``for_build(config)``), new for every build;
its settings come from ipt_site.settings. In a build (not while serving) pandoc renders
the citations while MkDocs renders the pages, and on_env puts the texts in
(ipt_site.citation_rendering.late_texts).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment

# MkDocs' own "render this page" step (private, but mkdocs is pinned below 2 and 1.6.1 is the
# last 1.x): a page whose late citation texts cannot be put in is rendered again with it.
from mkdocs.commands.build import _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ipt_site.build_state import BuildState, current, for_build, start_session
from ipt_site.checks.project_check import check_project
from ipt_site.citation_rendering import bibtex_pandoc
from ipt_site.citation_rendering.bib_texts import read_bib_texts
from ipt_site.citation_rendering.bibliography_render import (
    FULL_BIBLIOGRAPHY_MARKER,
)
from ipt_site.citation_rendering.child_processes import install_signal_handlers
from ipt_site.citation_rendering.citation_build import (
    cancel_late_texts,
    finish_late_texts,
    full_bibliography,
    late_failure,
    late_texts_fit,
    open_cache,
    render_failed,
    restore_pybtex,
    start_full_bibliography,
    start_late_texts,
    take_check_result,
)
from ipt_site.citation_rendering.footnotes_linear import with_linear_footnotes
from ipt_site.citation_rendering.late_texts import late_aware, toc_items, waiting
from ipt_site.citation_rendering.pandoc_run import PandocTimeout
from ipt_site.citation_rendering.pandoc_spans import strip_nocase_spans
from ipt_site.citation_rendering.prepare import REFERENCES_SECTION, prepare_for_plugin
from ipt_site.citation_rendering.registry_fill import plan_registry, render_planned
from ipt_site.citation_rendering.shield import unshield
from ipt_site.live_preview import (
    checked_page,
    drop_link_loops,
    poll_faster,
    problem_banner,
    readable_pages,
)
from ipt_site.problems import Problem, format_report
from ipt_site.sources.pages import display_path

log = get_plugin_logger("citations")


def on_startup(*, command: str, dirty: bool) -> None:
    # While serving, errors are shown but never stop the server.
    start_session(command)
    # A stopped build stops its pandoc and worker processes too; mkdocs-bibtex's
    # pandoc calls get the same time limit and located errors as ours.
    install_signal_handlers()
    bibtex_pandoc.install()


def _report(build: BuildState, problems: list[Problem]) -> None:
    """Errors abort the build with every problem listed (only logged while serving).

    Warnings go to MkDocs' plugin logger, so ``--strict`` fails on them.
    """
    if any(p.is_error for p in problems) and not build.serving:
        raise PluginError(
            "the page checks failed (run ./dev check to see them without a build):\n" + format_report(problems))
    for problem in problems:
        (log.error if problem.is_error else log.warning)(problem.format())


@event_priority(100)  # before mkdocs-bibtex parses the BibTeX (it crashes on bad input)
def on_config(config: MkDocsConfig, /) -> MkDocsConfig:
    build = for_build(config)  # a new build: new state, settings read from this config
    state = build.citations
    config_file = Path(config.config_file_path)
    state.root = config_file.parent
    plugin = config.plugins.get("bibtex")
    result = check_project(
        config_file,
        # With their settings (a toc slugify changes the anchors the link check expects).
        [{name: config.mdx_configs.get(name) or {}} for name in config.markdown_extensions],
        plugin.config if plugin is not None else None,
        Path(config.docs_dir),
        cache_off=build.settings.cache_off,
    )
    take_check_result(build, result, plugin.config if plugin is not None else None)
    _report(build, result.problems)
    # Python-Markdown's footnotes are quadratic in references to one footnote (a page
    # citing one work 2,000 times); the project's subclass gives the same HTML linearly.
    if not build.settings.upstream_footnotes:  # benchmarks/long_page.py compares the two
        config.markdown_extensions = with_linear_footnotes(config.markdown_extensions, config.mdx_configs)
    return config


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
    for path in for_build(config).citations.watched:
        server.watch(str(path), recursive=False)
    if not poll_faster(server.observer):
        log.debug("file watcher left at MkDocs' polling interval")
    return server


def on_pre_build(*, config: MkDocsConfig) -> None:
    restore_pybtex(for_build(config))


def on_build_error(*, error: Exception) -> None:
    restore_pybtex(current())
    cancel_late_texts(current())


@event_priority(100)  # before hooks/embed.py reads the pages
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Prepare every page once, and render all their citations in a few batched pandoc calls, not one per page."""
    build = for_build(config)
    state = build.citations
    state.prepared = {}
    if state.site is None:
        return files
    if build.serving:
        readable_pages(state, files, config)
        drop_link_loops(state, files, config)
    where: dict[str, str] = {}  # prepared text -> the first page that has it
    for path, page in state.site.pages.items():
        state.prepared[page.body] = prepare_for_plugin(
            page.body, state.known_keys, page.blocks, page.code_ranges)
        where.setdefault(state.prepared[page.body].text, path)
    state.cache = open_cache(build)
    registry = getattr(config.plugins.get("bibtex"), "registry", None)
    if registry is not None and state.bib_verbatim is not None:
        # mkdocs-bibtex hands pandoc pybtex's re-written BibTeX, which escapes URLs ('&' as '\&',
        # '~' as '\textasciitilde'); pandoc keeps url fields verbatim, so links broke. Give it the file.
        registry.__dict__["bib_data_bibtex"] = state.bib_verbatim
    start_full_bibliography(build, where)
    if registry is not None:
        texts = read_bib_texts(state.bib_verbatim or "", state.known_keys)
        plan = plan_registry(registry, where, state.families, texts, state.cache)
        # pandoc renders while MkDocs renders the pages; on_env waits for it
        if late_texts_fit(build, plan, len(files.documentation_pages())):
            start_late_texts(build, registry, plan, texts)
            return files
        try:
            render_planned(registry, plan, texts, state.cache,
                           build.settings.pandoc_batch, build.settings.pandoc_time_limit)
        except PandocTimeout as error:  # over its time limit: names the call and its pages
            raise PluginError(str(error)) from None
        except Exception as error:  # noqa: BLE001 - located, never a traceback: pandoc or pybtex inside mkdocs-bibtex
            render_failed(build, "rendering the citations with pandoc", error)
    return files


@event_priority(100)  # before mkdocs-bibtex rewrites citations
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = for_build(config)
    state = build.citations
    prepared = state.prepared.get(markdown) or prepare_for_plugin(markdown, state.known_keys)
    text = prepared.text + REFERENCES_SECTION if prepared.has_citations else prepared.text
    if FULL_BIBLIOGRAPHY_MARKER in text and state.bib_path is not None:
        try:
            bibliography = full_bibliography(build, state.bib_path)
        except PandocTimeout as error:
            late_failure(build)  # the citations' calls started first: their failure first
            source = page.file.abs_src_path
            where = display_path(Path(source), state.root) if source else page.file.src_uri
            raise PluginError(f"{where}: {error}") from None
        text = text.replace(FULL_BIBLIOGRAPHY_MARKER, bibliography)
    if build.serving:
        checked = checked_page(state, page.file, config)
        problems = (checked.problems if checked else []) + state.site_problems
        if problems:
            text = problem_banner(problems) + text
    return text


def on_post_build(*, config: MkDocsConfig) -> None:
    state = for_build(config).citations
    if state.cache:
        try:
            state.cache.save()
        except OSError as error:  # only the next build's speed depends on it
            log.info(f"rendered citations not cached ({error}); the next build renders them again")


@event_priority(100)  # before hooks/embed.py copies each page's HTML into its embed copy
def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    """Every page's Markdown is rendered: give the pages that hold tokens their citation texts."""
    build = for_build(config)
    if build.citations.late is not None:
        def content_steps(page: Page, html: str) -> str:
            return config.plugins.on_page_content(html, page=page, config=config, files=files)

        finish_late_texts(build, getattr(config.plugins.get("bibtex"), "registry", None),
                          [file.page for file in files.documentation_pages() if file.page is not None],
                          content_steps, lambda page: _populate_page(page, config, files))
    return env


@event_priority(-100)  # after everything else has rendered the page
@late_aware  # a page still waiting for its citation texts is finished in on_env
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if waiting(for_build(config).citations.late, html):
        return html
    # Headings feed the table of contents and the search index too.
    for item in toc_items(page.toc):
        item.title = unshield(item.title)
    return strip_nocase_spans(unshield(html))
