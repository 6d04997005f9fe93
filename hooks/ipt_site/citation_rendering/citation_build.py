"""What the citation hook does at each step of a build, as plain functions of the build's state.

hooks/citations.py only calls these from MkDocs' events: the cache of rendered citations,
the References list (started beside the citations, read by its page), a pandoc failure
reported with its place (never a traceback), and pybtex's strict mode put back after
mkdocs-bibtex's lenient parse while serving.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from ipt_site.build_state import BuildState
from ipt_site.checks.project.pandoc_bib import CODE as PANDOC_CODE
from ipt_site.checks.project_check import ProjectCheck
from ipt_site.citation_rendering.bib_texts import BibTexts
from ipt_site.citation_rendering.bibliography_render import (
    FULL_BIBLIOGRAPHY_MARKER,
    apa_style_path,
    render_full_bibliography,
)
from ipt_site.citation_rendering.citation_cache import FULL_BIBLIOGRAPHY, CitationCache, site_cache
from ipt_site.citation_rendering.late_texts import (
    LateTexts,
    Substitutions,
    all_late_aware,
    finish_pages,
    take_texts,
)
from ipt_site.citation_rendering.pandoc_run import PandocTimeout, in_background
from ipt_site.citation_rendering.reference_texts import ReferenceTexts, markdown_converter, pages_render_alike
from ipt_site.citation_rendering.registry_fill import Plan, render_planned
from ipt_site.citation_rendering.render_batches import entry_families
from ipt_site.live_preview import watched_inputs
from ipt_site.problems import Problem

log = get_plugin_logger("citations")


def render_failed(build: BuildState, what: str, error: Exception) -> None:
    """pandoc failed: a located message, never a traceback (and the server carries on)."""
    message = f"{what} failed: {' '.join(str(error).split())[:500]}"
    hint = "run ./dev check: it names the line pandoc cannot read"
    if not build.serving:
        raise PluginError(f"{message}\n    help: {hint}") from None
    log.error(f"{message}\n    help: {hint}")
    state = build.citations
    state.site_problems = [*state.site_problems, Problem("references.bib", 0, 0, PANDOC_CODE, message, hint)]


def open_cache(build: BuildState) -> CitationCache | None:
    state = build.citations
    if build.settings.cache_off or state.bib_path is None or not state.csl_path:
        return None
    if state.bib_verbatim is None or any(p.code == PANDOC_CODE for p in state.site_problems):
        return None  # pandoc cannot read the bib (only while serving): every call must show it
    return site_cache(state.root / build.settings.citation_cache, Path(state.csl_path))  # absolute stays so


def render_full(build: BuildState, bib_path: Path) -> str:
    state = build.citations
    return render_full_bibliography(bib_path, state.csl_path, state.families,
                                    build.settings.bibliography_batch, build.settings.pandoc_time_limit)


def start_full_bibliography(build: BuildState, prepared_pages: Iterable[str]) -> None:
    """Start rendering the References list now, beside the citations, if a page lists it and
    the cache does not hold it (pandoc runs in its own process, so the two calls overlap)."""
    state = build.citations
    bib_path = state.bib_path
    if bib_path is None or not any(FULL_BIBLIOGRAPHY_MARKER in text for text in prepared_pages):
        return
    if state.cache and state.cache.get_text(FULL_BIBLIOGRAPHY, state.bib_verbatim or "") is not None:
        return
    state.full_bibliography = in_background(lambda: render_full(build, bib_path))


def full_bibliography(build: BuildState, bib_path: Path) -> str:
    state = build.citations
    if any(p.code == PANDOC_CODE for p in state.site_problems):
        return ""  # pandoc cannot read the file (shown in the banner): do not ask it again
    depends = state.bib_verbatim or ""  # it lists every entry
    text = state.cache.get_text(FULL_BIBLIOGRAPHY, depends) if state.cache else None
    if text is None:
        started, state.full_bibliography = state.full_bibliography, None
        try:
            text = started.result() if started is not None else render_full(build, bib_path)
        except PandocTimeout:
            raise  # over its time limit: on_page_markdown names the page
        except Exception as error:  # noqa: BLE001 - located, never a traceback: pandoc cannot read the file
            render_failed(build, "rendering the References list with pandoc", error)
            return ""
        if state.cache:
            state.cache.put_text(FULL_BIBLIOGRAPHY, text, depends)
    return text


def restore_pybtex(build: BuildState | None) -> None:
    """Put back the pybtex strict mode on_config relaxed for mkdocs-bibtex's parse."""
    if build is not None and build.citations.pybtex_strict is not None:
        import pybtex.errors

        pybtex.errors.set_strict_mode(build.citations.pybtex_strict)
        build.citations.pybtex_strict = None


def take_check_result(build: BuildState, result: ProjectCheck, plugin_config: Any) -> None:  # mkdocs-bibtex's config
    """Keep what the checks found for the rest of the build, and point mkdocs-bibtex's options
    (``plugin_config``, None without the plugin) at what it can read safely."""
    state = build.citations
    if plugin_config is not None and result.bib is not None:
        # mkdocs-bibtex opens csl_file relative to the working directory; make it absolute.
        csl = Path(plugin_config.csl_file or apa_style_path())
        state.csl_path = str(csl if csl.is_absolute() else (state.root / csl).resolve())
        plugin_config.csl_file = state.csl_path
        state.bib_path = (state.root / plugin_config.bib_file).resolve()
        state.bib_verbatim = (None if any(p.is_error for p in result.bib.problems)
                              else state.bib_path.read_text(encoding="utf-8-sig"))
        state.bib_csl_json = result.bib_csl_json
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
    state.watched = watched_inputs(state.root, plugin_config.bib_file if plugin_config is not None else None)
    if build.serving and plugin_config is not None and result.bib is not None and result.bib.data is None:
        # No readable bib: mkdocs-bibtex would crash on it and the server would stick.
        # Serve the pages with an empty one (and the BIB001 banner) until it is back.
        import tempfile

        empty = Path(tempfile.mkdtemp(prefix="ipt-serve-")) / "empty.bib"
        empty.write_text("", encoding="utf-8")
        plugin_config.bib_file = str(empty)
        state.bib_path = None


def late_texts_fit(build: BuildState, plan: Plan, pages: int) -> bool:
    """Whether this build renders its ``pages`` before pandoc has finished (late_texts): a build,
    not the server, of at least ``late_texts_from`` pages (on a small site putting the texts in
    costs more than pandoc's wait: 0.08 s more on the real site's 27 pages, which waited
    0.25 s); pandoc has something to render; reference texts render alike on every page; and
    every on_page_content handler runs the same on a page given its texts later."""
    config = build.config
    return (not build.serving and pages >= build.settings.late_texts_from and bool(plan.to_render)
            and pages_render_alike(config.markdown_extensions)
            and all_late_aware(config.plugins.events["page_content"]))


def start_late_texts(build: BuildState, registry: Any, plan: Plan, texts: BibTexts) -> None:
    """Tokens into ``registry`` for what pandoc has yet to render, and pandoc started on a copy
    of it, on one core fewer than the machine has (MkDocs renders the pages on the other)."""
    state = build.citations
    late = LateTexts()
    rendered = copy.copy(registry)
    rendered.__dict__.update(_inline_cache={}, _reference_cache={})
    late.hand_out(registry, (block for lookup in plan.to_render for block in lookup.blocks),
                  (citation.key for lookup in plan.to_render for block in lookup.group
                   for citation in block.citations))
    settings = build.settings

    def render() -> Any:
        render_planned(rendered, plan, texts, state.cache, settings.pandoc_batch, settings.pandoc_time_limit,
                       threads=max(1, (os.cpu_count() or 1) - 1), before_each=late.check_cancelled)
        return rendered

    late.rendering = in_background(render)
    state.late = late


def late_failure(build: BuildState) -> None:
    """Wait for pandoc's citations and report their failure, if any: before another call's
    failure (the References list's), as when the pages waited for the citations. Otherwise a
    failure is reported in on_env, not from whichever page was rendering when it happened."""
    late = build.citations.late
    if late is not None and late.rendering is not None:
        _late_result(build, late)


def _late_result(build: BuildState, late: LateTexts) -> Any:
    assert late.rendering is not None
    try:
        return late.rendering.result()
    except PandocTimeout as error:  # over its time limit: names the call and its pages
        build.citations.late = None
        raise PluginError(str(error)) from None
    except Exception as error:
        build.citations.late = None
        render_failed(build, "rendering the citations with pandoc", error)
        raise  # render_failed raises in a build, the only place late texts are used


def finish_late_texts(build: BuildState, registry: Any, pages: Iterable[Any],
                      run_content_steps: Callable[[Any, str], str], repopulate: Callable[[Any], None]) -> None:
    """Wait for pandoc, then give every page holding tokens its texts (``late_texts``)."""
    late = build.citations.late
    if late is None:
        return
    rendered = _late_result(build, late)
    build.citations.late = None  # from here the pages' content steps run as usual
    take_texts(registry, rendered, late)
    config = build.config
    substitutions = Substitutions(
        inline=ReferenceTexts(markdown_converter(config.markdown_extensions, config.mdx_configs,
                                                 like_a_footnote=False), end="</p>"),
        references=ReferenceTexts(markdown_converter(config.markdown_extensions, config.mdx_configs)),
        registry=registry,
        late=late,
    )
    again = finish_pages(pages, substitutions.html_of, run_content_steps, repopulate)
    if again:
        log.debug(f"{again} page(s) rendered again with their citation texts")


def cancel_late_texts(build: BuildState | None) -> None:
    """A failed build starts no further pandoc call for texts it will not use."""
    if build is not None and build.citations.late is not None:
        build.citations.late.cancelled.set()
        build.citations.late = None

