"""MkDocs glue for what a reader sees of citations: one marker per citation.

The logic is in ipt_site.citation_rendering.citation_markers. Runs after hooks/citations.py has
finished each page's HTML (its on_page_content runs at priority -100).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ipt_site.citation_rendering.citation_markers import merge_citation_markers


@event_priority(-110)
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return merge_citation_markers(html)
