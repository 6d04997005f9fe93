"""Undo pandoc Markdown that Python-Markdown cannot read, in mkdocs-bibtex's output.

pandoc writes names that CSL must not re-case (``and others``, braced names such
as ``{van Oppen}``) as bracketed spans, ``[Malhi et al.]{.nocase}``.
Python-Markdown has no bracketed spans, so the syntax would show on the page.
"""

from __future__ import annotations

import re

_NOCASE_SPAN = re.compile(r"\[([^\[\]\n]*)\]\{\.nocase\}")


def strip_nocase_spans(html: str) -> str:
    return _NOCASE_SPAN.sub(r"\1", html)
