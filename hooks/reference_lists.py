"""MkDocs glue: each work's reference-list text rendered once per build, not once per page citing it.

The logic and the reasons are in ipt_site.citation_rendering.reference_texts.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ipt_site.build_state import for_build
from ipt_site.citation_rendering.late_texts import give_reference_tokens, late_aware
from ipt_site.citation_rendering.reference_texts import (
    ReferenceTexts,
    markdown_converter,
    pages_render_alike,
    put_back,
    stand_in,
)

log = get_plugin_logger("reference_lists")


@event_priority(-50)  # after mkdocs-bibtex (priority 0) has written the page's footnote definitions
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = for_build(config)
    state = build.reference_texts
    if not pages_render_alike(config.markdown_extensions):
        return markdown
    if state.texts is None:
        state.texts = ReferenceTexts(markdown_converter(config.markdown_extensions, config.mdx_configs))
        if build.citations.late is not None:  # handed out in on_files, before any page
            give_reference_tokens(build.citations.late, state.texts)
    stood = stand_in(markdown, state.texts)
    state.pages[page.file.src_uri] = stood.html_of
    return stood.markdown


@event_priority(100)  # before every other hook reads the page's HTML
# Puts back the texts it stood in for, tokens of late citation texts included; run again in
# on_env for such a page (hooks/citations.py), it finds nothing left to put back.
@late_aware
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    html, missing = put_back(html, for_build(config).reference_texts.pages.pop(page.file.src_uri, {}))
    if missing:  # a strict build fails on it
        log.warning(f"docs/{page.file.src_uri}: {len(missing)} reference-list text(s) could not be put back "
                    "in the rendered page; please report it, with the page, as a bug in hooks/reference_lists.py")
    return html
