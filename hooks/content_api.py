"""MkDocs glue for the clinics' content API (api/v1/): the logic is in ipt_site.site_output.content_api.

Each health-information page is recorded as it is written; after the build,
every document is made, checked against the published schema (a violation
stops the build, naming the page) and written as JSON.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ipt_site.build_state import BuildState, current, for_build, start_session
from ipt_site.citation_rendering.pandoc_run import PandocError, in_background, run_pandoc
from ipt_site.problems import Problem, format_report
from ipt_site.site_output.api_schema import SchemaFileError, load_validators, schema_problems
from ipt_site.site_output.background_api import ApiFailure, BackgroundApi, make_document
from ipt_site.site_output.content_api import (
    API_DIR,
    PageInput,
    check_api_front_matter,
    csl_items,
    dump,
    help_line_html,
    index_document,
    is_health_information,
)
from ipt_site.site_output.embed_pages import is_embed_src

log = get_plugin_logger("content_api")

def on_startup(*, command: str, dirty: bool) -> None:
    # While serving, problems are shown but never stop the server (as hooks/citations.py does).
    start_session(command)


def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    build = for_build(config)
    build.content_api.nav_order = {page.file.src_uri: n for n, page in enumerate(nav.pages)}
    build.content_api.in_worker = len(nav.pages) >= build.settings.api_pool_from
    _start_csl_json(build)  # beside the pages' rendering: on_post_build reads it
    return nav


@event_priority(50)  # before hooks/minify_site.py rewrites the page
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    build = for_build(config)
    state = build.content_api
    if is_embed_src(page.file.src_uri) or not is_health_information(page.meta) or page.content is None:
        return output
    source_path = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    # The page checks (hooks/citations.py) stop a build on these first; while serving they do not.
    problems = check_api_front_matter(source_path, page.file.content_string)
    if problems:
        state.problems.extend(problems)
        return output
    page_input = PageInput(
        src_uri=page.file.src_uri,
        source_path=source_path,
        url=page.canonical_url or (config.site_url or "") + page.url,
        meta=dict(page.meta),
        content_html=page.content,
        page_html=help_line_html(output),  # all a document reads of the whole page
        source_text=page.file.content_string,
    )
    state.pages.append(page_input)
    if state.in_worker and config.site_url:
        if state.background is None:
            state.background = _start_worker(build)
        if state.background is not None:
            state.background.add(page_input)
    return output


def _start_csl_json(build: BuildState) -> None:
    """Start pandoc on the bibliography now, so that on_post_build does not wait for it; or take
    what the checks' pandoc gave (BIB011 reads the same file the same way)."""
    bib = _bib_file(build)
    if bib is None:
        return
    checked = build.citations
    if checked.bib_csl_json is not None and checked.bib_path == bib.resolve():
        log.debug(f"content API: CSL-JSON from the checks' reading of {bib.name}")
        build.content_api.csl_json = Future()
        build.content_api.csl_json.set_result(checked.bib_csl_json)
        return
    build.content_api.csl_json = in_background(
        lambda: run_pandoc(bib.read_text(encoding="utf-8-sig"), "biblatex", "csljson", [],
                           f"making the content API's CSL-JSON from {bib.name}", build.settings.pandoc_time_limit))


def _start_worker(build: BuildState) -> BackgroundApi | None:
    """The worker, given what every document needs; None (documents made at the end, in this
    process, which reports the problem) when the schemas cannot be loaded."""
    config = build.config
    docs_dir = Path(config.docs_dir)
    try:
        load_validators(docs_dir)
    except SchemaFileError:
        build.content_api.in_worker = False
        return None
    log.debug("content API: documents made in a worker process")
    return BackgroundApi(docs_dir, config.site_url or "", csl_items(_bibliography_csl(build)))


def _bib_file(build: BuildState) -> Path | None:
    config = build.config
    plugin = config.plugins.get("bibtex")
    if plugin is None or not plugin.config.bib_file:
        return None
    return Path(config.config_file_path).parent / str(plugin.config.bib_file)


def _bibliography_csl(build: BuildState) -> str:
    """The bibliography as CSL-JSON, from pandoc (which also renders its references).

    pandoc runs as every other call of the build does (ipt_site.citation_rendering.pandoc_run: a time
    limit, stopped with the build). A bibliography pandoc cannot read was reported by the
    checks (BIB001, BIB011): while serving, the API goes without CSL-JSON until it is fixed.
    """
    bib, started = _bib_file(build), build.content_api.csl_json
    if bib is None or started is None:
        return "[]"
    try:
        return started.result()
    except (OSError, UnicodeDecodeError, PandocError) as error:
        message = f"content API: {bib.name}: {' '.join(str(error).split())[:500]}"
        if not build.serving:
            raise PluginError(
                message + "\n    help: run ./dev check: it names the problem in the bibliography") from None
        log.error(message)
        return "[]"


def _stop(build: BuildState, message: str, problems: list[Problem]) -> None:
    """Errors stop the build; while serving they are only logged, and no API is written."""
    report = f"{message}:\n{format_report(problems)}"
    if not build.serving:
        raise PluginError(report)
    log.error(report)


def on_post_build(*, config: MkDocsConfig) -> None:
    build = for_build(config)
    background, build.content_api.background = build.content_api.background, None
    try:
        _write_api(build, background)
    finally:  # whichever way the build ends here, the worker ends with it
        if background is not None:
            background.close()


def _write_api(build: BuildState, background: BackgroundApi | None) -> None:
    config, state = build.config, build.content_api
    if state.problems:  # while serving: the API without these pages
        _stop(build, "pages left out of the content API", state.problems)
    if not state.pages:
        return
    if not config.site_url:
        raise PluginError("content API: set site_url in mkdocs.yml; the API's links must be absolute")
    docs_dir, out = Path(config.docs_dir), Path(config.site_dir) / API_DIR
    try:
        index_schema, page_schema = load_validators(docs_dir)
    except SchemaFileError as error:  # the checks report it first (API004); this is the safety net
        _stop(build, "the content API schemas cannot be loaded", [error.problem])
        return
    order = state.nav_order
    ordered = sorted(state.pages, key=lambda page: (order.get(page.src_uri, len(order)), page.src_uri))
    if background is not None:
        try:
            made = background.finish()
        except ApiFailure as failure:  # a bug, not an editor's mistake: named, never a traceback
            if not build.serving:
                raise PluginError(f"content API: {failure}") from None
            log.error(f"content API: {failure}")
            return
    else:
        csl = csl_items(_bibliography_csl(build))
        made = {page.src_uri: make_document(page, config.site_url, csl, page_schema) for page in ordered}
    documents = [made[page.src_uri] for page in ordered]
    problems = [problem for document in documents for problem in document.problems]
    index = index_document(config.site_name, config.site_url, (document.listed for document in documents))
    problems += schema_problems(index, index_schema, "mkdocs.yml", "pages.json")
    if problems:
        _stop(build, "the content API documents do not match their schema", problems)
        return
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for document in documents:
        path = out / "pages" / f"{document.slug}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document.text, encoding="utf-8")
    (out / "pages.json").write_text(dump(index), encoding="utf-8")
    log.debug(f"content API: {len(documents)} pages written to {API_DIR}/")


def on_build_error(*, error: Exception) -> None:
    build = current()
    if build is not None and build.content_api.background is not None:
        build.content_api.background.close()
        build.content_api.background = None
