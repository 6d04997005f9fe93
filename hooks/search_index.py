"""MkDocs glue: tune the built search index (logic and reasons in ipt_site.site_output.search_index)."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from ipt_site.site_output.search_index import tune_index


@event_priority(-100)  # after the search plugin has written the index
def on_post_build(*, config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():  # search plugin off
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(tune_index(index), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
