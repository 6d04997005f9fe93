"""MkDocs glue for the citation checks; the logic lives in ipt_site.

Runs before mkdocs-bibtex (higher event priority) so that a wrong citation or
broken BibTeX stops the build with located errors instead of being silently
dropped, mangled, or crashing the plugin with a traceback. What a build knows is on
its ipt_site.build_state.BuildState (``for_build(config)``), new for every build;
its settings come from ipt_site.settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ipt_site.build_state import BuildState, CitationState, current, for_build, start_session
from ipt_site.checks.project.pandoc_bib import CODE as PANDOC_CODE
from ipt_site.checks.project_check import check_project
from ipt_site.checks.site_check import PageCheck
from ipt_site.citation_rendering import bibtex_pandoc
from ipt_site.citation_rendering.bib_texts import read_bib_texts
from ipt_site.citation_rendering.bibliography_render import (
    FULL_BIBLIOGRAPHY_MARKER,
    apa_style_path,
    render_full_bibliography,
)
from ipt_site.citation_rendering.child_processes import install_signal_handlers
from ipt_site.citation_rendering.citation_cache import FULL_BIBLIOGRAPHY, CitationCache, site_cache
from ipt_site.citation_rendering.footnotes_linear import with_linear_footnotes
from ipt_site.citation_rendering.pandoc_run import PandocTimeout
from ipt_site.citation_rendering.pandoc_spans import strip_nocase_spans
from ipt_site.citation_rendering.prepare import REFERENCES_SECTION, prepare_for_plugin
from ipt_site.citation_rendering.registry_fill import fill_registry
from ipt_site.citation_rendering.render_batches import entry_families
from ipt_site.citation_rendering.shield import unshield
from ipt_site.live_preview import poll_faster, problem_banner, watched_inputs
from ipt_site.problems import Problem, format_report
from ipt_site.sources.pages import LINK_LOOP, NOT_UTF8, display_path

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
    if plugin is not None and result.bib is not None:
        # mkdocs-bibtex opens csl_file relative to the working directory; make it absolute.
        csl = Path(plugin.config.csl_file or apa_style_path())
        state.csl_path = str(csl if csl.is_absolute() else (state.root / csl).resolve())
        plugin.config.csl_file = state.csl_path
        state.bib_path = (state.root / plugin.config.bib_file).resolve()
        state.bib_verbatim = (None if any(p.is_error for p in result.bib.problems)
                              else state.bib_path.read_text(encoding="utf-8-sig"))
        state.known_keys = frozenset(result.bib.entries)
        state.families = {key: entry_families(entry) for key, entry in result.bib.entries.items()}
        if build.serving:
            # Let pybtex skip bad entries instead of raising inside mkdocs-bibtex (which parses
            # the bib in its own on_config, next); on_pre_build puts the mode back.
            import pybtex.errors

            state.pybtex_strict = pybtex.errors.strict
            pybtex.errors.set_strict_mode(False)
    state.site = result.site
    pages = result.site.pages if result.site else {}
    state.site_problems = [p for p in result.problems if p.path not in pages]
    state.watched = watched_inputs(state.root, plugin.config.bib_file if plugin is not None else None)
    if build.serving and plugin is not None and result.bib is not None and result.bib.data is None:
        # No readable bib: mkdocs-bibtex would crash on it and the server would stick.
        # Serve the pages with an empty one (and the BIB001 banner) until it is back.
        import tempfile

        empty = Path(tempfile.mkdtemp(prefix="ipt-serve-")) / "empty.bib"
        empty.write_text("", encoding="utf-8")
        plugin.config.bib_file = str(empty)
        state.bib_path = None
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


def _pybtex_strict_again(build: BuildState | None) -> None:
    """Put back the pybtex strict mode on_config relaxed for mkdocs-bibtex's parse."""
    if build is not None and build.citations.pybtex_strict is not None:
        import pybtex.errors

        pybtex.errors.set_strict_mode(build.citations.pybtex_strict)
        build.citations.pybtex_strict = None


def on_pre_build(*, config: MkDocsConfig) -> None:
    _pybtex_strict_again(for_build(config))


def on_build_error(*, error: Exception) -> None:
    _pybtex_strict_again(current())


def _render_failed(build: BuildState, what: str, error: Exception) -> None:
    """pandoc failed: a located message, never a traceback (and the server carries on)."""
    message = f"{what} failed: {' '.join(str(error).split())[:500]}"
    hint = "run ./dev check: it names the line pandoc cannot read"
    if not build.serving:
        raise PluginError(f"{message}\n    help: {hint}") from None
    log.error(f"{message}\n    help: {hint}")
    state = build.citations
    state.site_problems = [*state.site_problems, Problem("references.bib", 0, 0, PANDOC_CODE, message, hint)]


def _open_cache(build: BuildState) -> CitationCache | None:
    state = build.citations
    if build.settings.cache_off or state.bib_path is None or not state.csl_path:
        return None
    if state.bib_verbatim is None or any(p.code == PANDOC_CODE for p in state.site_problems):
        return None  # pandoc cannot read the bib (only while serving): every call must show it
    return site_cache(state.root / build.settings.citation_cache, Path(state.csl_path))  # absolute stays so


@event_priority(100)  # before hooks/embed.py reads the pages
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Prepare every page once, and render all their citations in a few batched pandoc calls, not one per page."""
    build = for_build(config)
    state = build.citations
    state.prepared = {}
    if state.site is None:
        return files
    if build.serving:
        _readable_pages(state, files, config)
        _drop_link_loops(state, files, config)
    where: dict[str, str] = {}  # prepared text -> the first page that has it
    for path, page in state.site.pages.items():
        state.prepared[page.body] = prepare_for_plugin(
            page.body, state.known_keys, page.blocks, page.code_ranges)
        where.setdefault(state.prepared[page.body].text, path)
    state.cache = _open_cache(build)
    registry = getattr(config.plugins.get("bibtex"), "registry", None)
    if registry is not None and state.bib_verbatim is not None:
        # mkdocs-bibtex hands pandoc pybtex's re-written BibTeX, which escapes URLs ('&' as '\&',
        # '~' as '\textasciitilde'); pandoc keeps url fields verbatim, so links broke. Give it the file.
        registry.__dict__["bib_data_bibtex"] = state.bib_verbatim
    _start_full_bibliography(build, where)
    if registry is not None:
        texts = read_bib_texts(state.bib_verbatim or "", state.known_keys)
        try:
            fill_registry(registry, where, state.families, texts, state.cache,
                          build.settings.pandoc_batch, build.settings.pandoc_time_limit)
        except PandocTimeout as error:  # over its time limit: names the call and its pages
            raise PluginError(str(error)) from None
        except Exception as error:  # noqa: BLE001 - located, never a traceback: pandoc or pybtex inside mkdocs-bibtex
            _render_failed(build, "rendering the citations with pandoc", error)
    return files


def _readable_pages(state: CitationState, files: Files, config: MkDocsConfig) -> None:
    """While serving, a page that is not UTF-8 is built from its checked text (bad bytes shown as �).

    MkDocs would stop with UnicodeDecodeError and the server would stick; its
    FILE001 problem shows on the page instead, until the editor re-saves it.
    """
    for file in files.documentation_pages():
        checked = _checked(state, file, config)
        if checked is not None and file.abs_src_path and any(p.code == NOT_UTF8 for p in checked.problems):
            # (This also clears file.abs_src_path: _checked goes by src_uri.)
            file.content_string = Path(file.abs_src_path).read_bytes().decode("utf-8-sig", errors="replace")


def _drop_link_loops(state: CitationState, files: Files, config: MkDocsConfig) -> None:
    """While serving, skip what MkDocs found by going round a link loop (FILE002, on every page).

    Copying those files fails with OSError ("too many levels of symbolic links") and the
    server would stick; the build itself stops at the check, before MkDocs walks docs/.
    """
    loops = [p.path + "/" for p in state.site_problems if p.code == LINK_LOOP]
    if not loops:
        return
    for file in list(files):
        if display_path(Path(config.docs_dir) / file.src_uri, state.root).startswith(tuple(loops)):
            files.remove(file)


def _checked(state: CitationState, file: File, config: MkDocsConfig) -> PageCheck | None:
    """What the checks found on the page of ``file``; None for generated files."""
    if state.site is None or file.generated_by:
        return None
    return state.site.pages.get(display_path(Path(config.docs_dir) / file.src_uri, state.root))


@event_priority(100)  # before mkdocs-bibtex rewrites citations
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = for_build(config)
    state = build.citations
    prepared = state.prepared.get(markdown) or prepare_for_plugin(markdown, state.known_keys)
    text = prepared.text + REFERENCES_SECTION if prepared.has_citations else prepared.text
    if FULL_BIBLIOGRAPHY_MARKER in text and state.bib_path is not None:
        try:
            bibliography = _full_bibliography(build, state.bib_path)
        except PandocTimeout as error:
            source = page.file.abs_src_path
            where = display_path(Path(source), state.root) if source else page.file.src_uri
            raise PluginError(f"{where}: {error}") from None
        text = text.replace(FULL_BIBLIOGRAPHY_MARKER, bibliography)
    if build.serving:
        checked = _checked(state, page.file, config)
        problems = (checked.problems if checked else []) + state.site_problems
        if problems:
            text = problem_banner(problems) + text
    return text


def _render_full(build: BuildState, bib_path: Path) -> str:
    state = build.citations
    return render_full_bibliography(bib_path, state.csl_path, state.families,
                                    build.settings.bibliography_batch, build.settings.pandoc_time_limit)


def _start_full_bibliography(build: BuildState, prepared_pages: Iterable[str]) -> None:
    """Start rendering the References list now, beside the citations, if a page lists it and
    the cache does not hold it (pandoc runs in its own process, so the two calls overlap)."""
    state = build.citations
    bib_path = state.bib_path
    if bib_path is None or not any(FULL_BIBLIOGRAPHY_MARKER in text for text in prepared_pages):
        return
    if state.cache and state.cache.get_text(FULL_BIBLIOGRAPHY, state.bib_verbatim or "") is not None:
        return
    pool = ThreadPoolExecutor(max_workers=1)
    state.full_bibliography = pool.submit(_render_full, build, bib_path)
    pool.shutdown(wait=False)  # its one thread ends with the call


def _full_bibliography(build: BuildState, bib_path: Path) -> str:
    state = build.citations
    if any(p.code == PANDOC_CODE for p in state.site_problems):
        return ""  # pandoc cannot read the file (shown in the banner): do not ask it again
    depends = state.bib_verbatim or ""  # it lists every entry
    text = state.cache.get_text(FULL_BIBLIOGRAPHY, depends) if state.cache else None
    if text is None:
        started, state.full_bibliography = state.full_bibliography, None
        try:
            text = started.result() if started is not None else _render_full(build, bib_path)
        except PandocTimeout:
            raise  # over its time limit: on_page_markdown names the page
        except Exception as error:  # noqa: BLE001 - located, never a traceback: pandoc cannot read the file
            _render_failed(build, "rendering the References list with pandoc", error)
            return ""
        if state.cache:
            state.cache.put_text(FULL_BIBLIOGRAPHY, text, depends)
    return text


def on_post_build(*, config: MkDocsConfig) -> None:
    state = for_build(config).citations
    if state.cache:
        try:
            state.cache.save()
        except OSError as error:  # only the next build's speed depends on it
            log.info(f"rendered citations not cached ({error}); the next build renders them again")


@event_priority(-100)  # after everything else has rendered the page
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Headings feed the table of contents and the search index too.
    for item in _toc_items(page.toc):
        item.title = unshield(item.title)
    return strip_nocase_spans(unshield(html))


def _toc_items(items: Iterable[AnchorLink]) -> Iterator[AnchorLink]:
    for item in items:
        yield item
        yield from _toc_items(item.children)
