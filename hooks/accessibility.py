"""Give Material's search dialog an accessible name.

Material renders ``<div class="md-search" … role="dialog">`` without one, which
Lighthouse and axe report (aria-dialog-name). Adding the attribute to the built
HTML avoids copying Material's whole search partial into overrides/; if a
Material release changes that markup, tests/test_site_build.py says so.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

_UNNAMED_SEARCH_DIALOG = re.compile(r'(<div class="md-search"[^>]*\brole="dialog")(?![^>]*\baria-label)')


def name_search_dialog(html: str, name: str = "Search this site") -> str:
    return _UNNAMED_SEARCH_DIALOG.sub(rf'\1 aria-label="{name}"', html, count=1)


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return name_search_dialog(output)


def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    # The 404 page is a theme template, not a page: it has the same search dialog.
    return name_search_dialog(output_content) if template_name.endswith(".html") else output_content
