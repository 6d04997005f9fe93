"""pandoc 3 is the oracle: the scanner must find the citations pandoc finds.

Every fixture in tests/fixtures/citations/ is read by pandoc (its Markdown
reader, as mkdocs-bibtex uses it) and by ``find_citations``; the sets of
bracketed keys, and of bare in-text keys, must be equal.

Admonitions are the one deliberate difference: pandoc reads ``!!! note``
followed by indented lines as a paragraph and an indented code block, while
the site (Python-Markdown) renders them as a box of text.  Those fixtures are
compared after turning each admonition into the text the site shows.

Known places where pandoc and the site's renderer read block structure
differently (and the scanner sides with the site) are listed at the end.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_site.citation_rendering.shield import shield, unshield
from ipt_site.sources.citation_scan import (
    find_bad_brackets,
    find_bare_keys,
    find_citations,
    find_code_ranges,
    mask_code,
)

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
ALL_FIXTURES = sorted(FIXTURES.glob("*.md"))
PLAIN_FIXTURES = [path for path in ALL_FIXTURES if not path.name.startswith("admonition")]
ADMONITION_FIXTURES = [path for path in ALL_FIXTURES if path.name.startswith("admonition")]


def pandoc_keys(markdown: str) -> tuple[set[str], set[str]]:
    """(bracketed keys, bare in-text keys) in pandoc's AST.

    A ``Cite`` whose text starts with '[' is bracketed.  Otherwise its first
    citation is the in-text one (``@key`` or ``-@key``), and any others came
    from a bracket after it (``@key [@other]``), so they are bracketed.
    """
    ast = json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))
    bracketed: set[str] = set()
    bare: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                citations, content = node["c"]
                text = "".join(part["c"] for part in content if part.get("t") == "Str")
                for index, citation in enumerate(citations):
                    mode = citation["citationMode"]["t"]
                    if mode == "AuthorInText" or (index == 0 and not text.startswith("[")):
                        bare.add(citation["citationId"])
                    else:
                        bracketed.add(citation["citationId"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast)
    return bracketed, bare


def our_keys(markdown: str) -> tuple[set[str], set[str]]:
    bracketed = {item.key for block in find_citations(markdown) for item in block.items}
    return bracketed, {key for key, _ in find_bare_keys(markdown)}


def test_corpus_is_big_enough() -> None:
    assert len(PLAIN_FIXTURES) >= 25
    assert ADMONITION_FIXTURES


@pytest.mark.parametrize("path", PLAIN_FIXTURES, ids=lambda p: p.name)
def test_bracketed_keys_match_pandoc(path: Path) -> None:
    markdown = path.read_text(encoding="utf-8")
    theirs, _ = pandoc_keys(markdown)
    ours, _ = our_keys(markdown)
    assert ours == theirs
    assert ours or path.name.startswith("20-"), "a fixture with no citation tests little"


@pytest.mark.parametrize("path", PLAIN_FIXTURES, ids=lambda p: p.name)
def test_bare_keys_match_pandoc(path: Path) -> None:
    markdown = path.read_text(encoding="utf-8")
    assert our_keys(markdown)[1] == pandoc_keys(markdown)[1]


# --- admonitions: compared as the site shows them ----------------------------------------

_HEADER = re.compile(r'(?P<indent> *)(?:!!!|\?\?\?\+?) ?[\w-]+(?: +[\w-]+)*(?: +"(?P<title>[^"]*)")? *$')
_FENCE = re.compile(r" *(```|~~~)")


def as_the_site_shows(markdown: str) -> str:
    """Each admonition as its title (a paragraph) and its body, dedented.

    Written independently of the scanner's own handling on purpose.
    """
    out: list[str] = []
    bodies: list[int] = []  # the indent each open admonition's body needs
    in_fence = False
    for line in markdown.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if line.strip():
            while bodies and indent < bodies[-1]:
                bodies.pop()
        shown = line[4 * len(bodies) :] if line.strip() else ""
        if _FENCE.match(shown):
            in_fence = not in_fence
        header = None if in_fence else _HEADER.match(shown)
        if header:
            bodies.append(indent + 4)
            out += [header.group("title") or "", ""]
            continue
        out.append(shown)
    return "\n".join(out)


@pytest.mark.parametrize("path", ADMONITION_FIXTURES, ids=lambda p: p.name)
def test_admonitions_match_pandoc_on_what_the_site_shows(path: Path) -> None:
    markdown = path.read_text(encoding="utf-8")
    assert our_keys(markdown)[0] == pandoc_keys(as_the_site_shows(markdown))[0]


def test_pandoc_reads_admonition_bodies_as_code() -> None:
    # Why admonitions are special: to pandoc this body is an indented code block.
    markdown = "!!! note\n\n    Inside [@body].\n"
    assert pandoc_keys(markdown)[0] == set()
    assert our_keys(markdown)[0] == {"body"}


# --- deliberate differences ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "site_keys", "pandoc_says"),
    [
        # A fence straight after a paragraph line: code to Python-Markdown and
        # CommonMark, a paragraph to pandoc (which needs a blank line first).
        ("Text\n~~~\n[@in_fence]\n~~~\n", set(), {"in_fence"}),
        # A blockquote or heading straight after a paragraph line starts a new
        # block on the site, so a bracket cannot run into it.
        ("Text [see\n> @quoted]\n", set(), {"quoted"}),
        ("Text [see\n# Heading @h]\n", set(), {"h"}),
        # pandoc reads \word[...] as raw LaTeX; the site shows the citation.
        ("\\see[@tex] here\n", {"tex"}, set()),
        # pandoc reads $...$ as TeX math; the site has no math extension.
        ("Costs $x [@math]$ here\n", {"math"}, set()),
    ],
)
def test_known_differences_follow_the_site(markdown: str, site_keys: set[str], pandoc_says: set[str]) -> None:
    assert our_keys(markdown)[0] == site_keys
    assert pandoc_keys(markdown)[0] == pandoc_says


# --- generated text: never a crash, and agreement on the common shapes ---------------------

PROSE_FRAGMENTS = [
    "Some text ", "see ", "[@smith2020]", "[see @doe2020, p. 3]", "[-@lee2019]", "[@a; @b]", "@bare ",
    "me@example.com ", "`[@code]` ", "*em* ", "**strong** ", "[link](http://x.org/@y) ", "[@l](u) ",
    "<me@x.org> ", "<!-- [@hidden] --> ", "\n", "\n\n", "\n\n```\n[@fenced]\n```\n\n", "[see\n@multi]",
    "[@x,\np. 2]", "\\[@esc] ", "(", ")", "[", "]", ";", ", ", "[@u.v] ", "e.g. ", "pp. 33–35 ",
    "\n- item [@li]\n", "[@{br}] ", "_u_ ", "[x][@lab] ",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PROSE_FRAGMENTS), min_size=1, max_size=14).map("".join))
def test_generated_prose_matches_pandoc(markdown: str) -> None:
    assert our_keys(markdown) == pandoc_keys(markdown)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(PROSE_FRAGMENTS)).map("".join)))
def test_nothing_raises(markdown: str) -> None:
    blocks = find_citations(markdown)
    code = find_code_ranges(markdown)
    masked = mask_code(markdown)
    assert len(masked) == len(markdown)
    find_bare_keys(markdown)
    find_bad_brackets(markdown)
    unshield(shield(markdown, blocks, code))
