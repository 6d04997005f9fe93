"""Smaller downloads: minified pages, CSS and JS, and Material's style sheet cut to what
the site uses. MkDocs glue; the logic is in ipt_checks.minify and ipt_checks.css_purge.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from ipt_checks.css_purge import CLASS_ATTRIBUTE, purge_theme_css
from ipt_checks.minify import minify_own_assets, minify_page


class _State:
    class_values: set[str] = set()  # raw class attribute values of every page written


state = _State()


def on_pre_build(config: MkDocsConfig) -> None:
    state.class_values = set()


def _written(html: str) -> str:
    html = minify_page(html)
    state.class_values.update(CLASS_ATTRIBUTE.findall(html))
    return html


@event_priority(-100)  # after every other hook has changed the page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _written(output)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _written(output_content) if template_name.endswith(".html") else output_content


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    minify_own_assets(Path(config.docs_dir), Path(config.site_dir))
    purge_theme_css(Path(config.site_dir), state.class_values)
