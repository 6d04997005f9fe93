"""The content API's logic on strings: sanitising, sections, help line, hash, front matter, schema."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from conftest import ROOT
from ipt_site.site_output.api_schema import load_validators, schema_problems
from ipt_site.site_output.background_api import ApiFailure, BackgroundApi
from ipt_site.site_output.content_api import (
    PageInput,
    check_api_front_matter,
    cited_keys,
    content_hash,
    help_line,
    page_document,
    plain_text,
    reference_list,
    sanitise,
    split_sections,
)

BASE = "https://ipt-info.example.org/theory/"
SITE = "https://ipt-info.example.org/"


def test_sanitise_drops_everything_a_cms_would_strip() -> None:
    dirty = (
        '<p onclick="x()">Hi <script>alert(1)</script><style>p{}</style>'
        '<img src="a.png" onerror="alert(2)"><a href="javascript:alert(3)">j</a>'
        '<a href="JaVaScRiPt&#58;alert(4)">k</a><span style="color:red" class="x">s</span>'
        '<iframe src="https://evil.example/"></iframe><form><input></form></p>'
    )
    clean = sanitise(dirty, BASE)
    lowered = clean.lower()
    for bad in ("<script", "<style", "onclick", "onerror", "javascript", "style=", "class=", "<iframe", "<form",
                "<input", "alert(1)"):
        assert bad not in lowered, (bad, clean)
    assert "Hi " in clean and '<img src="https://ipt-info.example.org/theory/a.png">' in clean


def test_sanitise_makes_site_links_absolute_and_keeps_fragments_and_phone_links() -> None:
    clean = sanitise(
        '<a href="../get-help-now/">help</a> <a href="#fn:x">1</a> <a href="tel:131114">13 11 14</a> '
        '<a href="/about/">about</a> <a href="https://www.nhs.uk/">NHS</a>', BASE)
    assert '<a href="https://ipt-info.example.org/get-help-now/">help</a>' in clean
    assert '<a href="#fn:x">1</a>' in clean and '<a href="tel:131114">' in clean
    assert '<a href="https://ipt-info.example.org/about/">' in clean
    assert '<a href="https://www.nhs.uk/">' in clean


def test_sections_split_at_top_level_h1_and_h2_only() -> None:
    html = ('<h1 id="t">Title</h1><p>Intro</p><h2 id="a">A <em>part</em></h2><p>One</p><h3 id="a1">Sub</h3>'
            '<p>Two</p><div><h2 id="inner">Inner</h2></div><h2 id="b">B</h2><ul><li>x</li></ul>')
    sections, _ = split_sections(html)
    assert [(s.level, s.anchor, s.heading) for s in sections] == [(1, "t", "Title"), (2, "a", "A part"), (2, "b", "B")]
    assert sections[1].html == '<p>One</p><h3 id="a1">Sub</h3><p>Two</p><div><h2 id="inner">Inner</h2></div>'
    assert sections[2].text == "- x"
    assert split_sections("<p>No heading</p>")[0][0].text == "No heading"


def test_plain_text_has_one_line_per_block_and_no_footnote_markers() -> None:
    html = ('<p>IPT works (Cuijpers, 2011)<sup id="fnref:c"><a href="#fn:c">1</a></sup>.</p>'
            '<ol><li><p>first</p></li><li>second</li></ol>')
    assert plain_text(html) == "IPT works (Cuijpers, 2011).\n- first\n- second"


HELP = ('<header><p class="help-line">\n  <strong>Need help now?</strong>\n  In an emergency call '
        '<a href="tel:000">000</a>.\n  Lifeline: <a href="tel:131114">13&nbsp;11&nbsp;14</a> (24 hours).\n'
        '  <a href="../get-help-now/">More places to get help</a>\n</p></header>')


def test_help_line_gives_each_number_with_its_sentence() -> None:
    line = help_line(HELP, BASE)
    assert line is not None
    assert line["numbers"] == [
        {"number": "000", "dial": "000", "href": "tel:000", "context": "In an emergency call 000."},
        {"number": "13 11 14", "dial": "131114", "href": "tel:131114", "context": "Lifeline: 13 11 14 (24 hours)."},
    ]
    assert 'href="https://ipt-info.example.org/get-help-now/"' in line["html"]
    assert help_line("<p>no help line</p>", BASE) is None


def _page(content: str, **meta: object) -> PageInput:
    front = {"title": "The theory", "description": "About it.", "last_reviewed": dt.date(2026, 11, 22),
             "next_review_due": dt.date(2027, 11, 22), "reviewed_by": "Editorial team", **meta}
    return PageInput("theory.md", "docs/theory.md", BASE, front, content, HELP)


def test_content_hash_changes_with_the_content_only() -> None:
    first = page_document(_page('<h1 id="t">T</h1><p>Text</p>'), SITE, {})
    reviewed = page_document(_page('<h1 id="t">T</h1><p>Text</p>', last_reviewed=dt.date(2026, 12, 1)), SITE, {})
    edited = page_document(_page('<h1 id="t">T</h1><p>Text, changed</p>'), SITE, {})
    assert first["content_hash"] == reviewed["content_hash"] != edited["content_hash"]
    assert first["content_hash"] == content_hash(first["content"]["html"])
    assert reviewed["last_reviewed"] == "2026-12-01"


def test_generated_document_validates_and_a_broken_one_is_located() -> None:
    _, page_schema = load_validators(ROOT / "docs")
    document = page_document(_page('<h1 id="t">T</h1><p>Text</p>'), SITE, {})
    assert schema_problems(document, page_schema, "docs/theory.md", "pages/theory.json") == []
    broken = copy.deepcopy(document)
    broken["last_reviewed"] = "22/11/2026"
    del broken["help_line"]["numbers"][0]["dial"]
    problems = schema_problems(broken, page_schema, "docs/theory.md", "pages/theory.json")
    assert {(p.path, p.code) for p in problems} == {("docs/theory.md", "API003")}
    messages = " ".join(p.message for p in problems)
    assert "$.last_reviewed" in messages and "$.help_line.numbers[0]" in messages and "'dial'" in messages
    json.dumps(document)  # plain JSON types only


FRONT = """---
title: The theory
description: About it.
last_reviewed: 2026-11-22
next_review_due: 2027-11-22
reviewed_by: Editorial team
{extra}---

# The theory
"""


def test_front_matter_for_the_api_is_checked_with_locations() -> None:
    assert check_api_front_matter("docs/a.md", FRONT.format(extra="")) == []
    bad = check_api_front_matter("docs/a.md", FRONT.format(extra="health_information: maybe\n"))
    assert [(p.code, p.line, p.column) for p in bad] == [("API002", 7, 21)]
    missing = FRONT.format(extra="").replace("last_reviewed: 2026-11-22\n", "")
    assert [(p.code, p.line, p.message.split("'")[1]) for p in check_api_front_matter("docs/a.md", missing)] == [
        ("API001", 1, "last_reviewed")]
    quoted = FRONT.format(extra="").replace("reviewed_by: Editorial team", "reviewed_by: 2026")
    assert [(p.code, p.line, p.column) for p in check_api_front_matter("docs/a.md", quoted)] == [("API001", 6, 14)]
    # A page that is not health information needs none of it.
    assert check_api_front_matter("docs/a.md", missing.replace("---\n\n", "health_information: false\n---\n\n")) == []


def test_cited_keys_read_merged_citation_links_too() -> None:
    # reader_page turns "(A, 2001)<sup id=fnref:a>1</sup>" into one link carrying the marker's id.
    from ipt_site.citation_rendering.citation_markers import merge_citation_markers
    page = ('<p>One (A, 2001)<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup>'
            ' two (B, 2002)<sup id="fnref:b"><a class="footnote-ref" href="#fn:b">2</a></sup>.</p>')
    merged = merge_citation_markers(page)
    assert "<sup" not in merged
    assert cited_keys(merged) == cited_keys(page) == ["a", "b"]


def test_a_reference_cited_on_many_pages_keeps_each_page_s_own_links() -> None:
    """References are cleaned once for all the pages citing them, except where a link depends on the page."""
    def footnotes(number: int, body: str) -> str:
        return (f'<div class="footnote"><ol><li id="fn:a"><p>{body}&#160;<a class="footnote-backref" '
                f'href="#fnref:a" title="Jump back to footnote {number} in the text">&#8617;</a></p></li></ol></div>')

    doi = 'Alpha, A. (2001). <em>One</em>. <a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>'
    first = reference_list(footnotes(1, doi), BASE, {})
    again = reference_list(footnotes(7, doi), SITE + "other/", {})  # another page, another number
    assert first == again
    assert first[0]["html"] == doi and first[0]["text"] == "Alpha, A. (2001). One. https://doi.org/10.1/x"
    relative = 'See <a href="../evidence/">our evidence page</a>.'
    here, there = (reference_list(footnotes(1, relative), base, {})[0]["html"] for base in (BASE, SITE + "a/b/"))
    assert here == 'See <a href="https://ipt-info.example.org/evidence/">our evidence page</a>.'
    assert there == 'See <a href="https://ipt-info.example.org/a/evidence/">our evidence page</a>.'


def test_a_document_the_worker_cannot_make_is_named() -> None:
    """A failure inside the worker process comes back as one line naming the page, not a traceback."""
    page = _page('<h1 id="t">T</h1><p>Text</p>')
    broken = PageInput(page.src_uri, page.source_path, page.url, {}, page.content_html, page.page_html)  # no title
    background = BackgroundApi(ROOT / "docs", SITE, {})
    try:
        background.add(broken)
        with pytest.raises(ApiFailure, match=r"^docs/theory\.md: making the content API document failed: 'title'$"):
            background.finish()
    finally:
        background.close()
