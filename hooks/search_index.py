"""MkDocs glue: tune the built search index (logic and reasons in ipt_site.site_output.search_index)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger

from ipt_site.site_output.search_index import reference_list_start, tune_index

log = get_plugin_logger("search_index")


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Have Material's search plugin index each page without its reference list.

    The plugin indexes ``page.content`` in its ``on_page_context`` and the template
    then renders the same attribute, so a hook cannot hand it a shorter page without
    a second handler after it; instead its index (made anew in its ``on_config``,
    every build) reads the page with the list left out, and the page stays whole.
    """
    index = getattr(config.plugins.get("material/search") or config.plugins.get("search"), "search_index", None)
    add = getattr(index, "add_entry_from_context", None)
    if index is None or add is None or getattr(add, "_ipt_without_references", False):
        log.debug("search plugin not found as expected: it reads the reference lists too")
        return
    index.add_entry_from_context = _without_reference_list(add)


def _without_reference_list(add: Callable[[Any], None]) -> Callable[[Any], None]:
    def add_entry_from_context(page: Any) -> None:  # mkdocs.structure.pages.Page
        content = page.content
        start = reference_list_start(content) if isinstance(content, str) else None
        if start is None:
            add(page)
            return
        page.content = content[:start]
        try:
            add(page)
        finally:
            page.content = content

    add_entry_from_context._ipt_without_references = True  # type: ignore[attr-defined]
    return add_entry_from_context


@event_priority(-100)  # after the search plugin has written the index
def on_post_build(*, config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():  # search plugin off
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(tune_index(index), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
