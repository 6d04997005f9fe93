"""Citation texts put in after the pages' Markdown (late_texts) give the bytes waiting for pandoc gave.

Here a copy of the project (every real page, and a page citing in every awkward place) is
built both ways, late texts forced on and off (the real site is smaller than the setting's
200 pages), and the rules that decide between putting a text in and rendering the page
again are checked one by one.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

import site_digests
from conftest import copy_project, mkdocs
from ipt_site.citation_rendering.late_texts import (
    INLINE_PREFIX,
    LateTexts,
    Substitutions,
    give_reference_tokens,
    inline_token,
    reference_token,
    substitute,
    take_texts,
)
from ipt_site.citation_rendering.reference_texts import ReferenceTexts, markdown_converter

FRONT = ("---\ntitle: Awkward citations\ndescription: Citations in every awkward place.\n"
         "last_reviewed: 2026-11-22\nnext_review_due: 2027-11-22\nreviewed_by: Test\n---\n\n")
# Texts that can be put in: stuart2003 "&"; ohara2000 an apostrophe and "et al.";
# klerman1984 a plain one; lipsitz2013 two authors. Only these here, so this page is put
# together from tokens (a text with markup anywhere sends the whole page back).
AWKWARD = FRONT + """# Awkward citations

A plain claim [@klerman1984]. Two works [@stuart2003; @ohara2000]. Same again [@stuart2003].

With a locator [see @lipsitz2013, p. 3] and a suppressed author [-@klerman1984].

*Emphasis round the citation [@ohara2000] and on.* **Strong [@lipsitz2013]**.

An unclosed star *before [@stuart2003] here.

Straight after a word[@stuart2003], and "in quotes [@lipsitz2013]", and 'single [@ohara2000]'.

- A list item [@klerman1984]
- Another [@stuart2003; @lipsitz2013]

> A quotation [@stuart2003].

| What | Source |
|---|---|
| A cell | [@klerman1984] |

!!! note "A note"
    Inside an admonition [@ohara2000].

<div class="note">
Raw HTML, which Python-Markdown copies as written: "As shown [@stuart2003]" stays Markdown text.
</div>

<figure>
<figcaption>A caption [@ohara2000] -- with a dash</figcaption>
</figure>

Last words [@klerman1984].
"""
# Texts that cannot: cuijpers2011 a nocase span; mbs_item80140 an emphasised title (no author).
# Such a page is rendered again with its texts.
UNSAFE = FRONT.replace("Awkward citations", "Texts with markup") + """# Texts with markup

*A star before a title that has stars [@mbs_item80140] and after*. **Strong [@cuijpers2011]**.

An unclosed star *before [@mbs_item80140] here, and a safe one [@stuart2003].
"""
# A citation in a heading (the table of contents holds it) sends its whole page back to be
# rendered again: kept on a page of its own.
HEADING = FRONT.replace("Awkward citations", "A heading that cites") + """# A heading that cites

## Stuart and Robertson [@stuart2003]

A link round a citation: [the guide [@klerman1984]](https://example.org/guide).
"""
PAGES = {"awkward.md": AWKWARD, "unsafe.md": UNSAFE, "heading.md": HEADING}
CITED = {"awkward.md": ("klerman1984", "stuart2003", "ohara2000", "lipsitz2013"),
         "unsafe.md": ("mbs_item80140", "cuijpers2011", "stuart2003"),
         "heading.md": ("stuart2003", "klerman1984")}


def _awkward_project(dest: Path) -> Path:
    project = copy_project(dest)
    for name, text in PAGES.items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    config = project / "mkdocs.yml"
    listed = "".join(f"  /{name}\n" for name in PAGES)
    config.write_text(config.read_text(encoding="utf-8").replace("not_in_nav: |\n", "not_in_nav: |\n" + listed, 1),
                      encoding="utf-8")
    evidence_path = project / "evidence.yml"
    evidence = yaml.safe_load(evidence_path.read_text(encoding="utf-8"))
    for name, keys in CITED.items():  # the build requires evidence for what a page cites (EVD006)
        for key in keys:
            evidence[key]["statements"].append(
                {"page": f"docs/{name}", "says": "a test claim", "where": "the abstract", "status": "checked"})
    evidence_path.write_text(yaml.safe_dump(evidence, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return project


def test_late_texts_build_the_same_bytes_as_waiting_for_pandoc(tmp_path: Path) -> None:
    project = _awkward_project(tmp_path / "project")
    sites = {}
    for late, pages_from in (("true", "1"), ("false", "100000")):
        sites[late] = tmp_path / f"site-{late}"
        result = mkdocs("build", "-d", str(sites[late]), cwd=project,
                        env={"IPT_LATE_TEXTS_FROM": pages_from, "IPT_CITATION_CACHE": "off"})
        assert result.returncode == 0, result.stderr[-3000:]
    page = (sites["true"] / "awkward" / "index.html").read_text(encoding="utf-8")
    assert "(Stuart & Robertson, 2003" in page and INLINE_PREFIX not in page
    assert site_digests.compare(site_digests.site_digests(sites["false"]),
                                site_digests.site_digests(sites["true"])) == []


# --- the rules, one by one -----------------------------------------------------------------

def _substitutions(inline: dict[str, str], references: dict[str, str]) -> Substitutions:
    import markdown  # noqa: F401 - the converters below use it

    late = LateTexts()
    registry = SimpleNamespace(_inline_cache={}, _reference_cache={})
    late.hand_out(registry, list(inline), list(references))
    rendered = SimpleNamespace(_inline_cache=dict(inline), _reference_cache=dict(references))
    take_texts(registry, rendered, late)
    extensions: list[Any] = ["footnotes", "smarty", "attr_list"]
    return Substitutions(ReferenceTexts(markdown_converter(extensions, {}, like_a_footnote=False), end="</p>"),
                         ReferenceTexts(markdown_converter(extensions, {})), registry, late)


@pytest.mark.parametrize(("text", "html"), [
    ("(Stuart & Robertson, 2012)", "(Stuart &amp; Robertson, 2012)"),
    ("(O'Hara et al., 2000, p. 3)", "(O&rsquo;Hara et al., 2000, p. 3)"),
    ("(Müller, 2019; van der Berg, 2018a)", "(Müller, 2019; van der Berg, 2018a)"),
    ("(*A Title*, n.d.)", None),  # emphasis could pair with a star on the page
    ("([Cuijpers et al.]{.nocase}, 2011)", None),  # a bracketed span
    ("Stuart (2012)", None),  # not in its own brackets: its neighbours would differ
    ("(see <b>this</b>, 2012)", None),
])
def test_which_author_date_texts_are_put_in(text: str, html: str | None) -> None:
    substitutions = _substitutions({"[@a]": text}, {})
    assert substitutions.html_of(inline_token(0)) == html


def test_a_reference_text_is_put_in_as_the_footnote_renders_it() -> None:
    substitutions = _substitutions({}, {"a": "Brown, A. (1992). *Title*. Journal, 3, 63--71."})
    assert substitutions.html_of(reference_token(0) + "&#160;") == (
        "Brown, A. (1992). <em>Title</em>. Journal, 3, 63&ndash;71.&#160;")


def test_a_text_pandoc_did_not_give_sends_the_page_back() -> None:
    late = LateTexts()
    registry = SimpleNamespace(_inline_cache={}, _reference_cache={})
    late.hand_out(registry, ["[@a]", "[@b]"], ["a", "b"])
    take_texts(registry, SimpleNamespace(_inline_cache={"[@a]": "(A, 2001)"}, _reference_cache={"a": "A."}), late)
    # Taken out of the registry: mkdocs-bibtex does what it does without a text.
    assert registry._inline_cache == {"[@a]": "(A, 2001)"} and registry._reference_cache == {"a": "A."}
    substitutions = Substitutions(ReferenceTexts(str, end="</p>"), ReferenceTexts(str), registry, late)
    assert substitutions.html_of(inline_token(1)) is None


def test_tokens_are_letters_and_never_repeat() -> None:
    tokens = [inline_token(n) for n in range(2000)]
    assert len(set(tokens)) == 2000
    assert not any(character.isdigit() for token in tokens for character in token)
    assert inline_token(0) == f"({INLINE_PREFIX}aq)" and inline_token(26) == f"({INLINE_PREFIX}baq)"


def test_substitute_puts_in_every_token_or_none() -> None:
    token = inline_token(0)
    texts = {token: "(A, 2001)"}
    marker = '<sup id="fnref:a">'
    assert substitute(f"<p>x {token}{marker}1</sup> and {token}{marker}</p>", texts.get) == (
        f"<p>x (A, 2001){marker}1</sup> and (A, 2001){marker}</p>")
    assert substitute(f"<div>x {token}[^a]</div>", texts.get) is None  # raw HTML: Markdown as written
    assert substitute(f'<p><img alt="{token}"></p>', texts.get) is None  # in a tag
    assert substitute(f"<p>{inline_token(1)}{marker}</p>", texts.get) is None  # no text for it
    assert substitute(f"<p>{INLINE_PREFIX} quoted</p>", texts.get) is None  # a token's name left over
    assert substitute("<p>no tokens</p>", texts.get) == "<p>no tokens</p>"


def test_author_date_texts_are_rendered_together_unless_one_would_not_stay_a_paragraph() -> None:
    convert = markdown_converter(["smarty"], {}, like_a_footnote=False)
    together = ReferenceTexts(convert, end="</p>")
    together.render(["(A & B, 2001)", "(O'Hara, 2000)"])
    assert together.rendered == {"(A & B, 2001)": "(A &amp; B, 2001)", "(O'Hara, 2000)": "(O&rsquo;Hara, 2000)"}
    # A list item would change how the texts split: each is rendered alone, and the list is not put in.
    apart = ReferenceTexts(convert, end="</p>")
    apart.render(["(A, 2001)", "- (B, 2002)", "(C, 2003)"])
    assert apart.rendered == {"(A, 2001)": "(A, 2001)", "- (B, 2002)": None, "(C, 2003)": "(C, 2003)"}


def test_reference_tokens_are_given_their_html_without_a_markdown_pass_each() -> None:
    late = LateTexts()
    late.hand_out(SimpleNamespace(_inline_cache={}, _reference_cache={}), [], [f"k{n}" for n in range(30)])
    tokens = [reference_token(n) for n in range(30)]
    calls: list[str] = []
    convert = markdown_converter(["smarty", "footnotes", "toc", "attr_list"], {})

    def counted(source: str) -> str:
        calls.append(source)
        return convert(source)

    given = ReferenceTexts(counted)
    give_reference_tokens(late, given)
    assert calls == [tokens[0]]  # one token rendered, to see that it comes back as itself
    rendered = ReferenceTexts(convert)
    rendered.render(tokens)
    assert given.rendered == rendered.rendered  # each as the footnotes extension renders it
    # An extension that changes a token: every token is rendered as any text is.
    changed = ReferenceTexts(lambda source: convert(source).upper())
    give_reference_tokens(late, changed)
    assert list(changed.rendered) == [tokens[0]]
