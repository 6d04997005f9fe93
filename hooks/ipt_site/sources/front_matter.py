"""Split a page into its YAML front matter and the Markdown body MkDocs renders."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The same pattern MkDocs uses (mkdocs.utils.meta), so our offsets match the
# Markdown that reaches on_page_markdown.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class SplitPage:
    front_matter: str | None  # the YAML text between the fences, or None
    body: str                 # what MkDocs passes to on_page_markdown
    body_line_offset: int     # lines above the body: add to body line numbers


def split_front_matter(text: str) -> SplitPage:
    match = YAML_RE.match(text)
    if not match:
        return SplitPage(None, text, 0)
    # MkDocs strips the blank lines after the closing fence too.
    body = text[match.end():].lstrip("\n")
    offset = text.count("\n", 0, len(text) - len(body))
    return SplitPage(match.group(1), body, offset)
