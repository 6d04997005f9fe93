"""Where citations are, and where code is: ipt_site.sources.citation_scan."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_site.sources.citation_scan import (
    CiteBlock,
    find_bad_brackets,
    find_bare_keys,
    find_citations,
    find_code_ranges,
    mask_code,
    scan_page,
)


def keys(markdown: str) -> list[str]:
    return [item.key for block in find_citations(markdown) for item in block.items]


def code_texts(markdown: str) -> list[str]:
    return [markdown[start:end] for start, end in find_code_ranges(markdown)]


# --- the citation syntax ---------------------------------------------------------------


def test_single_citation_offsets() -> None:
    text = "IPT works [@stuart2012]."
    (block,) = find_citations(text)
    assert (block.start, block.end) == (10, 23)
    assert block.raw == block.text == "[@stuart2012]"
    (item,) = block.items
    assert item.key == "stuart2012"
    assert text[item.start] == "@"
    assert text[item.start : item.end] == "@stuart2012"
    assert not item.suppress_author and not item.braced


def test_prefix_locator_suffix_and_suppress_author() -> None:
    text = "[see @weissman2000, pp. 33–35; also -@robertson2008, ch. 2]"
    (block,) = find_citations(text)
    first, second = block.items
    assert (first.key, first.prefix, first.suffix, first.suppress_author) == (
        "weissman2000",
        "see",
        ", pp. 33–35",
        False,
    )
    assert (second.key, second.prefix, second.suffix, second.suppress_author) == (
        "robertson2008",
        "also",
        ", ch. 2",
        True,
    )
    assert text[second.start] == "@"  # the '@', not the '-'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[@doe:2020]", ["doe:2020"]),
        ("[@doe.2020]", ["doe.2020"]),
        ("[@a/b]", ["a/b"]),
        ("[@a://b]", ["a://b"]),
        ("[@key.]", ["key"]),  # trailing punctuation is not part of the key
        ("[@a--b]", ["a"]),  # doubled punctuation ends it
        ("[@_x] [@1x]", ["_x", "1x"]),
        ("[@müller2020]", ["müller2020"]),
        ("[@a;@b]", ["a", "b"]),
        ("[ @a ]", ["a"]),
    ],
)
def test_keys_as_pandoc_reads_them(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_braced_keys() -> None:
    (block,) = find_citations("[@{https://doi.org/10.1/x}, p. 3]")
    (item,) = block.items
    assert (item.key, item.braced, item.suffix) == ("https://doi.org/10.1/x", True, ", p. 3")
    assert keys("[@{key with spaces}]") == []  # pandoc allows no spaces in braces


@pytest.mark.parametrize(
    "text",
    [
        "[@foo](https://example.com)",  # link text
        "[@foo][ref]",  # reference link
        "[@foo]{.class}",  # bracketed span
        "[me@example.com]",  # e-mail
        "[see@key]",  # '@' after a word
        "\\[@key]",  # escaped bracket
        "[\\@key]",  # escaped at sign
        "[@a; b]",  # each ';' needs a key after it
        "[see; @a]",  # no ';' in a prefix
        "[@a *b]",  # emphasis that never closes swallows the ']'
        "[@]",
        "[see\n\n@a]",  # brackets do not cross a blank line
    ],
)
def test_not_citations(text: str) -> None:
    assert keys(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[@a](oops", ["a"]),  # not a valid link destination, so still a citation
        ('[@a](x "oops)', ["a"]),
        ("[@a]: not a definition to pandoc", ["a"]),
        ("[@a] (https://example.com)", ["a"]),
        ("[@a][^1]", ["a"]),  # a footnote reference does not make it a link
        ("[see [@inner] here]", ["inner"]),
        ("[see [x] @outer]", ["outer"]),
        ("[x][@label](u)", ["label"]),  # pandoc reads a reference label on its own
        ("[*see* @a, *Title*]", ["a"]),
        ("[see `code]` @a]", ["a"]),  # a ']' in code does not end the bracket
    ],
)
def test_citations_in_odd_places(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_citation_over_a_line_break() -> None:
    text = "Wrapped [see\n  @wrapped2012, p. 3;\n  @other]."
    (block,) = find_citations(text)
    assert block.multiline
    assert block.keys == ("wrapped2012", "other")
    assert block.items[0].prefix == "see"
    assert text[block.start : block.end] == block.raw


def test_citation_over_a_line_break_in_a_quote() -> None:
    (block,) = find_citations("> A quote [see\n> @quoted, p. 3].")
    assert block.keys == ("quoted",)
    assert block.items[0].prefix == "see"  # the second '>' is not part of it


def test_textual_citation_with_locator_and_citations() -> None:
    text = "As @stuart2012 [p. 3; @robertson2008] says, and @weissman2000 [@bowlby1969]."
    assert keys(text) == ["robertson2008", "bowlby1969"]
    assert [key for key, _ in find_bare_keys(text)] == ["stuart2012", "weissman2000"]


# --- where citations do not count ------------------------------------------------------


def test_code_spans_fences_and_indented_code() -> None:
    text = (
        "Write `[@x]` and ``[@y `z` @w]``.\n\n"
        "```md\n[@fenced]\n```\n\n"
        "~~~\n[@tilde]\n~~~\n\n"
        "    [@indented]\n\n"
        "Real [@real]."
    )
    assert keys(text) == ["real"]
    assert code_texts(text) == [
        "`[@x]`",
        "``[@y `z` @w]``",
        "```md\n[@fenced]\n```",
        "~~~\n[@tilde]\n~~~",
        "    [@indented]",
    ]


def test_html_comments_and_tags() -> None:
    text = (
        "<!-- [@block_comment] -->\n\n"
        'Text <!-- [@inline] --> and <span title="[@attr]">x</span> [@real].\n\n'
        "<div>\nInside a div [@in_div].\n</div>\n\n"
        "<pre>\n[@in_pre]\n</pre>"
    )
    assert keys(text) == ["real", "in_div"]
    assert "<!-- [@inline] -->" in code_texts(text)
    assert '<span title="[@attr]">' in code_texts(text)


def test_unclosed_fence_and_comment_are_text() -> None:
    # pandoc and Python-Markdown read both as text; CommonMark alone would not.
    assert keys("```\n[@after_unclosed_fence]") == ["after_unclosed_fence"]
    assert keys("<!-- never closed\n[@after_unclosed_comment]") == ["after_unclosed_comment"]


def test_emails_autolinks_and_link_destinations() -> None:
    text = (
        "Mail me@example.com or <me@example.com>, see <https://x.org/@a> "
        "and [a profile](https://x.org/@b)."
    )
    assert keys(text) == []
    assert find_bare_keys(text) == []
    # an autolink is neither code nor citation: shield() must leave it alone
    assert code_texts(text) == []
    assert scan_page(text).autolinks


def test_admonition_bodies_are_text() -> None:
    text = (
        '!!! note "Title [@title]"\n'
        "    Body [@body] and `[@span]`.\n\n"
        "        indented code [@code]\n\n"
        "??? tip\n"
        "    Details [@details].\n\n"
        "???+ warning\n\n"
        "    Open [@open].\n\n"
        "    real code after all? no: still the body [@still_body]\n\n"
        "After [@after].\n\n"
        "    top-level code [@top_code]\n"
    )
    assert keys(text) == ["title", "body", "details", "open", "still_body", "after"]
    assert "        indented code [@code]" in code_texts(text)
    assert "    top-level code [@top_code]" in code_texts(text)


def test_admonition_inside_a_fence_is_code() -> None:
    text = "```md\n!!! note\n    [@in_fence]\n```\n\n!!! note\n    [@real]\n"
    assert keys(text) == ["real"]


def test_footnote_bodies_are_text() -> None:
    text = "Claim[^1].\n\n[^1]: First [@first].\n\n    Second paragraph [@second].\n\n        code [@code]\n"
    assert keys(text) == ["first", "second"]


def test_tables_split_cells_before_citations() -> None:
    text = "| a | b |\n|---|---|\n| [@cell] | `x|y` [@after_code] |\n| [see | @split] | x |\n"
    assert keys(text) == ["cell", "after_code"]


# --- bare keys and bad brackets --------------------------------------------------------


def test_bare_keys() -> None:
    text = "As @stuart2012 said, -@robertson2008 too; not me@example.com, `@code` or word.@x."
    found = find_bare_keys(text)
    assert found == [("stuart2012", text.index("@stuart2012")), ("robertson2008", text.index("@robertson2008"))]


def test_bad_brackets() -> None:
    text = "[@] [see @] [@a; b] [see [@inner] @outer] [me@example.com] [@fine]\n[@def]: x"
    found = {(bad.reason, bad.raw) for bad in find_bad_brackets(text)}
    assert found == {
        ("invalid", "[@]"),
        ("invalid", "[see @]"),
        ("invalid", "[@a; b]"),
        ("nested", "[@inner]"),
        ("definition", "[@def]"),
    }


# --- mask_code -------------------------------------------------------------------------


def test_mask_code_blanks_code_and_keeps_lines() -> None:
    text = "A `[@x]` b\n```\n[@y]\n```\n<!-- [@z] -->\nText [@real]."
    masked = mask_code(text)
    assert len(masked) == len(text)
    blank = " " * len("<!-- [@z] -->")
    assert masked.splitlines() == ["A        b", "   ", "    ", "   ", blank, "Text [@real]."]
    assert mask_code("no code here") == "no code here"


# --- robustness ------------------------------------------------------------------------

FRAGMENTS = [
    "[", "]", "(", ")", "{", "}", "@a", "@b2", "-@c", "[@d]", "[see @e, p. 3]", "[@f; -@g]", ";", ",",
    " ", " ", "\n", "\n\n", "\r\n", "\t", "x", "see", "`", "``", "```\n", "~~~\n", "*", "_", "**",
    "<", ">", "<span>", "</span>", "<!--", "-->", "\\", "me@x.com", "<me@x.com>", "<http://x/@y>",
    "> ", "- ", "1. ", "    ", "!!! note\n", "??? tip\n", "    [@adm]\n", "[^1]", "[^1]: ", "^[",
    "|", "|---|---|\n", "# ", "===\n", "{.c}", "@{br}", "@{", ".", "é", "\u00a0", "\x00", "\u2028",
]
markdownish = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=300), markdownish)


def _check_invariants(text: str) -> None:
    ranges = find_code_ranges(text)
    assert ranges == sorted(ranges)
    for (_, b), (c, _) in itertools.pairwise(ranges):
        assert b <= c
    assert all(0 <= a < b <= len(text) for a, b in ranges)

    masked = mask_code(text)
    assert len(masked) == len(text)
    assert [i for i, ch in enumerate(masked) if ch in "\r\n"] == [i for i, ch in enumerate(text) if ch in "\r\n"]

    for block in find_citations(text):
        assert isinstance(block, CiteBlock)
        assert text[block.start] == "[" and text[block.end - 1] == "]"
        assert block.raw == text[block.start : block.end]
        assert block.items
        for item in block.items:
            assert block.start < item.start < item.end <= block.end
            assert text[item.start] == "@"
            assert not any(a <= item.start < b for a, b in ranges)
    for _key, offset in find_bare_keys(text):
        assert text[offset] == "@"  # the key may be empty: "@{}"
    for bad in find_bad_brackets(text):
        assert 0 <= bad.start < bad.end <= len(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_never_raises_and_keeps_invariants(text: str) -> None:
    _check_invariants(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 3000 + "@a" + "]" * 3000,
        "*[" * 2000,
        "`" * 5000,
        "[@a " * 2000,
        "<!--" * 2000,
        "!!! note\n    " * 500,
        "- " * 1000 + "[@deep]",
        "> " * 500 + "[@quoted]",
    ],
)
def test_pathological_input_is_safe(text: str) -> None:
    _check_invariants(text)


# --- a big site (speed is measured by benchmarks/check_speed.py, not asserted) -------


def _page(rng: random.Random, number: int) -> str:
    words = "the therapy helps with grief role disputes transitions and depression in adults e.g.".split()
    parts = [f"# Page {number}\n", '!!! note "About"\n    A note with `code [@x]`.\n']
    for paragraph in range(10):  # 20 citations a page
        parts.append(
            " ".join(rng.choices(words, k=50))
            + f" [see @key{rng.randint(1, 60)}, p. {rng.randint(1, 99)}; @other{paragraph}].\n"
        )
        if paragraph % 4 == 0:
            parts.append("```python\ncite = '[@code]'\n```\n")
        if paragraph % 3 == 0:
            parts.append("- a [link](https://example.com/@x) and *emphasis*\n- an item\n")
    return "\n".join(parts)


def test_a_thousand_pages_give_every_citation() -> None:
    rng = random.Random(2024)
    pages = [_page(rng, n) for n in range(1000)]
    scan_page.cache_clear()
    assert sum(len(block.items) for page in pages for block in scan_page(page).blocks) == 20_000
