"""Python-Markdown's footnotes, without the quadratic cost of a footnote referenced many times.

mkdocs-bibtex turns every citation into a footnote reference, so a page that
cites the same work 2,000 times references one footnote 2,000 times. The n-th
reference gets the back-link id ``fnref{n}:key``, and upstream's ``unique_ref``
finds it by trying ``fnref:key``, ``fnref2:key``, ... each time: n steps for
the n-th reference, quadratic in all (80 % of a 0.25 MB page's build time).

``unique_ref`` here resumes from the last id it gave for that reference. It walks
the same chain of candidates and ``used_refs`` only grows between resets, so
every candidate before the last one given is still taken: the result is the same
id, found in one step. The upstream proposal is in benchmarks/README.md.

It also leaves alone the reference texts that hooks/reference_lists.py has stood in
for (``reference_texts``): a stand-in is one word no inline rule changes, put back
as HTML rendered once per build, so running the inline rules over it is wasted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element

from markdown.extensions.footnotes import RE_REF_ID, FootnoteExtension
from markdown.util import AtomicString

from ipt_site.citation_rendering.reference_texts import is_stand_in

FOOTNOTES_NAMES = ("footnotes", "markdown.extensions.footnotes")


class LinearFootnoteExtension(FootnoteExtension):
    def reset(self) -> None:
        super().reset()
        self._last_given: dict[str, str] = {}  # original reference -> the last id unique_ref gave for it

    def unique_ref(self, reference: str, found: bool = False) -> str:
        if not found:
            return reference
        original_ref = reference
        reference = self._last_given.get(original_ref, reference)
        separator = self.get_separator()
        while reference in self.used_refs:  # upstream's loop, from where it last stopped
            ref, rest = reference.split(separator, 1)
            m = RE_REF_ID.match(ref)
            reference = f"{m.group(1)}{int(m.group(2)) + 1}{separator}{rest}" if m else f"{ref}2{separator}{rest}"
        self.used_refs.add(reference)
        self._last_given[original_ref] = reference
        self.found_refs[original_ref] = self.found_refs.get(original_ref, 0) + 1
        return reference

    def makeFootnotesDiv(self, root: Element) -> Element | None:
        div = super().makeFootnotesDiv(root)
        for item in div.iter("li") if div is not None else ():
            paragraph = item[-1] if len(item) else None
            if paragraph is not None and paragraph.tag == "p" and is_stand_in(paragraph.text):
                # Atomic text is not run through the inline rules; the serialised bytes are the same.
                paragraph.text = AtomicString(paragraph.text)
                for backlink in paragraph:
                    backlink.text = AtomicString(backlink.text or "")
        return div


def with_linear_footnotes(extensions: Sequence[Any], configs: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    """``extensions`` (MkDocs' ``markdown_extensions``) with the footnotes extension, named
    by either of its names, replaced by an instance of ``LinearFootnoteExtension`` with its options.
    """
    return [
        LinearFootnoteExtension(**dict(configs.get(ext, {}) or {})) if isinstance(ext, str) and ext in FOOTNOTES_NAMES
        else ext
        for ext in extensions
    ]
