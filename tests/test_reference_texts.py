"""Reference texts rendered once per build give the same bytes as Python-Markdown rendering them on each page.

The oracle is Python-Markdown itself: a page converted as it is (the footnotes
extension renders every definition's text) against the same page with its texts
stood in for, converted, and put back. The whole real site is compared too, by
tests/test_site_digests.py.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.footnotes import FootnoteExtension
from markdown.util import AtomicString

from ipt_site.citation_rendering.footnotes_linear import LinearFootnoteExtension
from ipt_site.citation_rendering.reference_texts import (
    STAND_IN_PREFIX,
    ReferenceTexts,
    markdown_converter,
    pages_render_alike,
    put_back,
    stand_in,
)

# As mkdocs.yml has them (footnotes first; MkDocs' own extensions only touch links, ids and titles).
OTHER_EXTENSIONS = ["smarty", "toc", "admonition", "attr_list", "md_in_html", "pymdownx.details",
                    "pymdownx.superfences"]


def page(texts: dict[str, str], cited: list[str] | None = None) -> str:
    """A page as mkdocs-bibtex leaves it: citations, the References heading, then one definition a line."""
    body = "\n\n".join(f"Paragraph {n} says a thing (Author, 2020)[^{key}]."
                       for n, key in enumerate(cited or list(texts)))
    notes = "\n".join(f"[^{key}]: {text}" for key, text in texts.items())
    return f"# Title\n\n{body}\n\n## References\n\n///Footnotes Go Here///\n\n{notes}"


def upstream(source: str, extension: type[FootnoteExtension] = FootnoteExtension) -> str:
    return markdown.Markdown(extensions=[extension(), *OTHER_EXTENSIONS]).convert(source)


def stood_in(source: str, texts: ReferenceTexts | None = None) -> tuple[str, int]:
    """The page through the stand-in path, and how many texts were stood in for."""
    texts = texts or ReferenceTexts(markdown_converter(["footnotes", *OTHER_EXTENSIONS], {}))
    stood = stand_in(source, texts)
    html, missing = put_back(upstream(stood.markdown, LinearFootnoteExtension), stood.html_of)
    assert missing == []
    return html, len(stood.html_of)


TRICKY = {
    "apa": "Stuart, S., & Robertson, M. (2012). *Interpersonal psychotherapy* (2nd ed.). CRC Press.",
    "doi": "Cuijpers, P. (2011). Title. *Journal*, *168*(6), 581--592. <https://doi.org/10.1176/appi.ajp.2010>",
    "quote_end": 'Weissman, M. M. (2007). "A closing quote"',
    "quote_open": '"Opening" quote and an apostrophe\'s end\'',
    "ellipsis": "Markowitz, J. C. (1998). Things... and more -- and --- dashes",
    "nocase": 'Lee, A. (1999). <span class="nocase">iPhone</span> therapy. *J*, 1.',
    "link": "Title, [a link](https://example.org/x) and `code` and **strong**",
    "entity": "A &amp; B &copy; 2001 <br> and a < sign",
}


def test_tricky_texts_give_the_same_bytes_and_are_stood_in_for() -> None:
    source = page(TRICKY)
    html, count = stood_in(source)
    assert html == upstream(source)
    assert count == len(TRICKY)
    assert STAND_IN_PREFIX not in html


def test_texts_that_are_not_one_plain_paragraph_keep_the_upstream_path() -> None:
    texts = {
        "list": "1999. Looks like a numbered list item",
        "heading": "# Looks like a heading",
        "relative": "See [the other page](other.md) for more",  # MkDocs would rewrite this link
        "plain": "Plain, A. (2001). A title.",
    }
    source = page(texts)
    html, count = stood_in(source)
    assert html == upstream(source)
    assert count == 1  # only "plain": the batch could not be split, so each was rendered alone


def test_a_work_cited_many_times_and_texts_shared_across_pages() -> None:
    shared = ReferenceTexts(markdown_converter(["footnotes", *OTHER_EXTENSIONS], {}))
    first = page({"a": "Alpha, A. (2001). *One*.", "b": "Beta, B. (2002). Two."}, ["a", "b", "a", "a"])
    second = page({"b": "Beta, B. (2002). Two.", "c": "Gamma, C. (2003). Three."}, ["c", "b"])
    for source in (first, second):
        assert stood_in(source, shared)[0] == upstream(source)
    assert len(shared.rendered) == 3  # "Beta" was rendered once, for both pages


def test_definitions_that_are_not_the_final_block_are_left_alone() -> None:
    in_code = "Some text[^a].\n\n```text\n[^x]: shown in a code example\n```\n\n[^a]: Alpha, A. (2001). One."
    html, count = stood_in(in_code)
    assert html == upstream(in_code)
    assert count == 1 and "shown in a code example" in html
    no_blank_line = "Some text[^a].\n[^a]: Alpha, A. (2001). One."
    assert stood_in(no_blank_line) == (upstream(no_blank_line), 0)


def test_a_page_quoting_the_stand_in_word_is_left_alone() -> None:
    source = page({"a": "Alpha."}) + f"\n\nThe word {STAND_IN_PREFIX}0x appears here."
    assert stood_in(source) == (upstream(source), 0)


def test_put_back_names_a_stand_in_it_cannot_find() -> None:
    html, missing = put_back("<p>nothing here</p>", {f"{STAND_IN_PREFIX}0x&#160;": "<em>A</em>&#160;"})
    assert html == "<p>nothing here</p>"
    assert missing == [f"{STAND_IN_PREFIX}0x&#160;"]


def test_stood_in_texts_skip_the_inline_rules() -> None:
    """The speed-up itself: the footnote paragraph holding a stand-in is atomic text, which no inline rule runs on."""

    class Keeping(LinearFootnoteExtension):
        texts: list[str | None]

        def makeFootnotesDiv(self, root: Element) -> Element | None:
            div = super().makeFootnotesDiv(root)
            # As the inline rules will see them (a later step unescapes every text into a plain str).
            self.texts = [paragraph.text for paragraph in div.findall("ol/li/p")] if div is not None else []
            return div

    texts = {"a": "Alpha, A. (2001). *One*.", "b": "See [the other page](other.md)."}  # b: a link MkDocs rewrites
    source = stand_in(page(texts), ReferenceTexts(markdown_converter(["footnotes"], {}))).markdown
    extension = Keeping()
    markdown.Markdown(extensions=[extension]).convert(source)
    stood, kept = extension.texts
    assert isinstance(stood, AtomicString)
    assert kept is not None and not isinstance(kept, AtomicString)  # on the upstream path, rendered as before


# Pieces a reference text is made of, Markdown-significant ones included.
PIECES = st.sampled_from([
    "Smith, J.", " & ", "(2001).", " *Title*", " **bold**", ' "quoted"', " 'single'", " it's", "--", "---",
    "...", " <https://doi.org/10.1/x>", " [link](https://example.org)", " `code`", " <em>raw</em>", " 5 < 6",
    " _under_", " \\*escaped\\*", " 1.", " #1", " >", " {: .x}", " A&B", " ~", "!",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(PIECES, min_size=1, max_size=8).map("".join), min_size=1, max_size=6))
def test_any_texts_give_the_same_bytes(texts: list[str]) -> None:
    source = page({f"k{n}": text for n, text in enumerate(texts)})
    assert stood_in(source)[0] == upstream(source)


def test_with_page_abbreviations_every_text_is_rendered_in_its_page() -> None:
    """abbr marks up a reference text by definitions elsewhere on its page: no shared rendering then."""
    assert pages_render_alike(["footnotes", "smarty", "toc"])
    assert not pages_render_alike(["footnotes", "abbr"])
    assert not pages_render_alike(["footnotes", "markdown.extensions.extra"])
    from markdown.extensions.abbr import AbbrExtension
    assert not pages_render_alike(["footnotes", AbbrExtension()])
