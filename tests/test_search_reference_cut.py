"""The search plugin reads each page without its reference list, and indexes the same.

hooks/search_index.py hands Material's search index the page cut where
``reference_list_start`` says; the built index (after ``tune_index`` drops the
References sections) must be what it was. The digest test checks the real site's
index; these check the cut on pages shaped otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from material.plugins.search.plugin import SearchIndex

from ipt_site.site_output.search_index import reference_list_start, tune_index

REFERENCES = ('<h2 id="references">References</h2>\n<div class="footnote">\n<hr />\n<ol>\n'
              '<li id="fn:a"><p>Brown, A. (1992). <em>Title</em>.&#160;<a class="footnote-backref" '
              'href="#fnref:a">&#8617;</a></p></li>\n</ol>\n</div>')
BODY = ('<h1 id="what-is-ipt">What is IPT?</h1>\n<p>IPT is a talking therapy '
        '<a class="footnote-ref ipt-cite" href="#fn:a" id="fnref:a">(Brown, 1992)</a>.</p>\n'
        '<h2 id="how-long">How long</h2>\n<p>About 12 to 16 sessions.</p>\n')


@dataclass
class _Page:
    content: str
    url: str = "what-is-ipt/"
    title: str = "What is IPT?"
    meta: dict[str, Any] = field(default_factory=dict)
    toc: list[Any] = field(default_factory=list)


def _index(content: str, cut: bool) -> dict[str, Any]:
    index = SearchIndex()  # type: ignore[no-untyped-call]  # Material's own, unannotated
    page = _Page(content)
    start = reference_list_start(content) if cut else None
    if start is not None:
        page.content = content[:start]
    index.add_entry_from_context(page)  # type: ignore[no-untyped-call]  # Material's own, unannotated
    return tune_index({"docs": index.entries})


@pytest.mark.parametrize("content", [
    BODY + REFERENCES,
    BODY + REFERENCES + "\n",
    BODY.replace("About", "About <strong>twelve</strong>") + REFERENCES,
    REFERENCES,  # a page that is only its list
    "<p>No heading before it.</p>\n" + REFERENCES,
    '<h2 class="x">A heading without an id</h2>\n<p>Text.</p>\n' + REFERENCES,
    BODY,  # no list
    BODY + REFERENCES + '\n<h2 id="more">More</h2>\n<p>After the list.</p>',  # not last
    BODY + REFERENCES.replace("<ol>", '<ol data-search-exclude="">'),  # read by the plugin
])
def test_the_index_is_the_same_with_the_list_cut(content: str) -> None:
    assert _index(content, cut=True) == _index(content, cut=False)


def test_only_a_closing_list_is_cut() -> None:
    assert reference_list_start(BODY + REFERENCES) == len(BODY)
    assert reference_list_start(BODY) is None
    assert reference_list_start(REFERENCES) is None
    assert reference_list_start(BODY + REFERENCES + '<h3 id="x">X</h3>') is None
    assert reference_list_start(BODY + REFERENCES + "<H2>X</H2>") is None
    assert reference_list_start(BODY + REFERENCES.replace("<ol>", '<ol data-search-exclude="">')) is None
    # Two lists (a page with its own References heading first): only the last one is cut.
    twice = BODY + REFERENCES.replace('id="references"', 'id="references_1"') + REFERENCES
    assert reference_list_start(twice) == len(twice) - len(REFERENCES)


def test_a_cut_that_takes_a_section_with_it_changes_the_index() -> None:
    """The control: the comparison above sees a section lost from the index."""
    content = BODY + REFERENCES
    wrong = content[: content.index('<h2 id="how-long">')]
    assert _index(wrong, cut=False) != _index(content, cut=False)


def test_the_hook_reaches_the_search_plugin_of_the_real_config() -> None:
    """Were the plugin renamed or its index moved, the cut would stop silently (only a debug line)."""
    from mkdocs.config import load_config

    from conftest import ROOT

    config = load_config(str(ROOT / "mkdocs.yml"))
    search: Any = config.plugins["material/search"]  # Material's SearchPlugin, unannotated
    search.on_config(config)
    config.plugins["hooks/search_index.py"].on_pre_build(config=config)
    assert getattr(search.search_index.add_entry_from_context, "_ipt_without_references", False)
