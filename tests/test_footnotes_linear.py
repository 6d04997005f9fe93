"""The project's footnotes extension writes exactly what Python-Markdown's own does."""

from __future__ import annotations

from typing import Any

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.footnotes import FootnoteExtension

from ipt_site.citation_rendering.footnotes_linear import LinearFootnoteExtension, with_linear_footnotes

OTHER_EXTENSIONS = ["smarty", "toc", "admonition", "attr_list", "md_in_html"]  # as mkdocs.yml has them


def render(extension: type[FootnoteExtension], texts: list[str], **config: Any) -> list[str]:
    """Each text converted by one Markdown instance (reset between, as one per build would be)."""
    md = markdown.Markdown(extensions=[extension(**config), *OTHER_EXTENSIONS])
    out = []
    for text in texts:
        md.reset()
        out.append(md.convert(text))
    return out


def page(references: list[str], defined: list[str]) -> str:
    body = "\n\n".join(f"Paragraph {n} says a thing[^{ref}]." for n, ref in enumerate(references))
    notes = "\n".join(f"[^{name}]: The reference for {name}." for name in defined)
    return f"# Title\n\n{body}\n\n## References\n\n///Footnotes Go Here///\n\n{notes}\n"


def test_a_work_cited_many_times() -> None:
    text = page(["stuart2012", "cuijpers2011", "stuart2012"] * 40, ["stuart2012", "cuijpers2011"])
    ours, theirs = render(LinearFootnoteExtension, [text]), render(FootnoteExtension, [text])
    assert ours == theirs
    assert 'href="#fnref40:stuart2012"' in ours[0]


IDS = st.sampled_from(["a", "b", "2", "fnref", "x-1", "key:part", "stuart2012"])


@settings(max_examples=60, deadline=None)
@given(
    pages=st.lists(st.lists(IDS, max_size=25), min_size=1, max_size=3),
    config=st.fixed_dictionaries({}, optional={
        "UNIQUE_IDS": st.booleans(),
        "SEPARATOR": st.sampled_from([":", "-", "_"]),
        "USE_DEFINITION_ORDER": st.booleans(),
    }),
)
def test_same_html_as_upstream(pages: list[list[str]], config: dict[str, Any]) -> None:
    texts = [page(refs, [*sorted(set(refs)), "unused"]) for refs in pages]
    assert render(LinearFootnoteExtension, texts, **config) == render(FootnoteExtension, texts, **config)


def test_the_configured_extension_is_swapped_with_its_options() -> None:
    configs = {"footnotes": {"SEPARATOR": "-"}}
    swapped = with_linear_footnotes(["toc", "footnotes", {"admonition": {}}], configs)
    assert swapped[0] == "toc" and swapped[2] == {"admonition": {}}
    assert isinstance(swapped[1], LinearFootnoteExtension)
    assert swapped[1].getConfig("SEPARATOR") == "-"
    assert with_linear_footnotes(["markdown.extensions.footnotes"], {})[0].__class__ is LinearFootnoteExtension
