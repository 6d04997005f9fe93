"""MkDocs glue for what a reader sees of citations: one marker per citation.

The logic is in ipt_site.citation_rendering.citation_markers. Runs after hooks/citations.py has
finished each page's HTML (its on_page_content runs at priority -100).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ipt_site.build_state import for_build
from ipt_site.citation_rendering.citation_markers import merge_citation_markers
from ipt_site.citation_rendering.late_texts import late_aware, waiting


@event_priority(-110)
@late_aware  # a page still waiting for its citation texts is finished in on_env (hooks/citations.py)
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if waiting(for_build(config).citations.late, html):
        return html
    return merge_citation_markers(html)
