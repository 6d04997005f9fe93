"""Content safety: only allowlisted HTML, no event handlers, no script URLs; code is exempt."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_site.checks.page import content_safety
from ipt_site.checks.page.content_safety import ALLOWED_TAGS, blocked_scheme
from ipt_site.problems import Problem
from page_rules import page_text, run_rule

ROOT = Path(__file__).resolve().parent.parent


def check(body: str, line_offset: int = 0) -> list[Problem]:
    return run_rule(content_safety.check, page_text(body, line_offset=line_offset))


def located(body: str) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in check(body)]


# --- what is rejected, and where ------------------------------------------------

@pytest.mark.parametrize("tag", ["script", "iframe", "object", "embed", "form", "style", "img", "svg", "input"])
def test_active_tags(tag: str) -> None:
    body = f"# Title\n\nSome text <{tag}>x</{tag}> more.\n"
    assert located(body) == [("HTML001", 3, 11)]


@pytest.mark.parametrize("tag", ["SCRIPT", "ScRiPt"])
def test_tag_names_in_any_case(tag: str) -> None:
    assert located(f"<{tag} src='x.js'></{tag}>\n") == [("HTML001", 1, 1)]


def test_script_block_on_its_own_lines() -> None:
    assert located("Text.\n\n<script>\nalert(1)\n</script>\n") == [("HTML001", 3, 1)]


@pytest.mark.parametrize("tag", ["table", "h1", "marquee", "b", "font"])
def test_other_tags_not_on_the_allowlist(tag: str) -> None:
    assert located(f"Text\n\n  <{tag}>x</{tag}>\n") == [("HTML002", 3, 3)]


def test_declarations_and_processing_instructions() -> None:
    assert located("<!DOCTYPE html>\n\n<?php echo 1; ?>\n") == [("HTML002", 1, 1), ("HTML002", 3, 1)]


@pytest.mark.parametrize(
    ("html", "column"),
    [('<span style="color:red">x</span>', 7), ('<div class="a" id="b">x</div>', 16),
     ('<a href="/x" target="_blank">x</a>', 14)],
)
def test_attributes_not_on_the_allowlist(html: str, column: int) -> None:
    assert located(html + "\n") == [("HTML003", 1, column)]


@pytest.mark.parametrize(
    ("html", "column"),
    [
        ('<span onclick="alert(1)">x</span>', 7),
        ('<details ontoggle=alert(1) open>x</details>', 10),
        ('<a href="x"onmouseover="alert(1)">x</a>', 12),   # no space before it: browsers still read it
        ('<p\nONLOAD="alert(1)">x</p>', 1),               # upper case, on the next line
        ('<img src=x onerror=alert(1)>', 12),
    ],
)
def test_inline_event_handlers(html: str, column: int) -> None:
    problems = [p for p in check(html + "\n") if p.code == "HTML004"]
    assert len(problems) == 1
    line = 2 if "\n" in html else 1
    assert (problems[0].line, problems[0].column) == (line, column)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "jav&#x61;script:alert(1)",
        "jav&#97;script:alert(1)",
        "java&Tab;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "  javascript:alert(1)",
        "javascript&colon;alert(1)",
    ],
)
def test_script_urls_in_html_attributes(url: str) -> None:
    assert located(f'Text <a href="{url}">x</a>\n') == [("HTML005", 1, 9)]


def test_script_url_split_over_lines_in_an_attribute() -> None:
    assert located('<a href="java\nscript:alert(1)">x</a>\n') == [("HTML005", 1, 4)]


@pytest.mark.parametrize(
    ("markdown", "column"),
    [
        ("[click](javascript:alert(1))", 1),
        ("[click](JAVASCRIPT:alert(1))", 1),
        ("[click](jav&#x61;script:alert(1))", 1),
        ("[click](<javascript:alert(1)>)", 1),
        ('[click](javascript:alert(1) "title")', 1),
        ("[click](vbscript:msgbox)", 1),
        ("[click](data:text/html,hi)", 1),
        ("See ![a picture](data:image/png;base64,AAAA)", 5),
        ("Go to <javascript:alert(1)>", 7),
        ("Text *and [click](javascript:x)*", 11),
    ],
)
def test_script_urls_in_markdown_links(markdown: str, column: int) -> None:
    assert located(f"# Title\n\n{markdown}\n") == [("HTML005", 3, column)]


def test_script_url_in_a_reference_definition() -> None:
    body = "Read [this][ref].\n\n[ref]: javascript:alert(1)\n"
    assert located(body) == [("HTML005", 3, 8)]


def test_script_url_in_an_indented_reference_definition() -> None:
    body = '!!! note\n\n    Read [this][ref].\n\n    [ref]:\n      jav&#x61;script:alert(1) "t"\n'
    assert located(body) == [("HTML005", 6, 7)]


def test_links_inside_admonitions_lists_tables_and_quotes() -> None:
    body = (
        "!!! warning \"Careful\"\n\n    A [link](javascript:a) here.\n\n"
        "- item\n    - [nested](javascript:b)\n\n"
        "| a | b |\n|---|---|\n| x | [cell](javascript:c) |\n\n"
        "> quoted [link](javascript:d)\n"
    )
    assert located(body) == [("HTML005", 3, 7), ("HTML005", 6, 7), ("HTML005", 10, 7), ("HTML005", 12, 10)]


def test_links_inside_markdown_html_blocks() -> None:
    # md_in_html renders Markdown inside <div markdown>, even with no blank line.
    body = '<div class="note" markdown>\n[x](javascript:alert(1))\n</div>\n'
    assert located(body) == [("HTML005", 2, 1)]


def test_comments_do_not_hide_tags_from_browsers() -> None:
    # Browsers end '<!-->' at once; Python's parser would read to the next '-->'.
    body = "<!--> <script>alert(1)</script> -->\n"
    assert located(body) == [("HTML001", 1, 7)]


def test_line_offset_is_added() -> None:
    assert located_with_offset("<script></script>\n", 7) == [("HTML001", 8, 1)]


def located_with_offset(body: str, offset: int) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in check(body, offset)]


def test_problem_names_the_file() -> None:
    problem = check("<iframe src='https://example.org'></iframe>\n")[0]
    assert problem.path == "docs/page.md" and problem.is_error
    assert problem.format().startswith("docs/page.md:1:1: HTML001 ")


# --- what is allowed --------------------------------------------------------------

ORDINARY = """\
# What to expect

Some *emphasis*, **strong**, `code`, and a [link to another page](theory.md#heading).
An external link to [Lifeline](https://www.lifeline.org.au/) and <https://www.healthdirect.gov.au/>.
Call [000](tel:000) or [13 11 14](tel:131114), or email <help@example.org> or [us](mailto:help@example.org).

- a list item
    - a nested item
1. numbered

| Column | Other |
|---|---|
| cell | [a link](https://example.org/a?b=c&d=e) |

!!! note "Good to know"

    An admonition with a [link](what-to-expect.md).

??? question "More"

    A collapsible block.

<details class="note" open markdown>
<summary>Read more</summary>

Markdown *inside* details, <abbr title="Interpersonal Psychotherapy">IPT</abbr>,
<kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup><br>, <time datetime="2026-11-22">22 November</time>,
<span lang="mi" class="word">Kia ora</span>, <strong>bold</strong> and <em>em</em>.

</details>

<div class="grid" markdown>
<p>A paragraph.</p>
<figure class="chart"><figcaption>Caption</figcaption></figure>
<a href="https://example.org" title="Example">An HTML link</a>
</div>

<!-- An editor's note: cspell:ignore Kia -->

A less-than sign: 1 < 2, an arrow ->, a heart <3, and an escaped \\<script> tag.
Talking about `<script>` in code, or javascript: in prose, is fine.
A citation [@stuart2012, p. 12] and an image ![A diagram](images/diagram.png "Diagram").

```html
<script>alert("code is shown, not run")</script>
<a href="javascript:alert(1)">x</a>
```

    <iframe src="indented code"></iframe>
    [x](javascript:in_code)

~~~
<form></form>
~~~
"""


def test_ordinary_markdown_passes() -> None:
    assert check(ORDINARY) == []


@pytest.mark.parametrize("path", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_every_site_page_passes(path: Path) -> None:
    assert run_rule(content_safety.check, path.read_text(encoding="utf-8"), path=path.name) == []


@pytest.mark.parametrize(
    "url",
    ["https://example.org", "/theory/", "theory.md", "tel:000", "mailto:a@b.org", "#top",
     "data-sharing.md", "./javascript/notes.md", "?q=javascript:"],
)
def test_ordinary_urls_are_not_blocked(url: str) -> None:
    assert blocked_scheme(url) is None


def test_the_markdown_linter_allows_the_same_tags() -> None:
    config = yaml.safe_load((ROOT / ".markdownlint-cli2.yaml").read_text(encoding="utf-8"))
    assert sorted(config["config"]["MD033"]["allowed_elements"]) == sorted(ALLOWED_TAGS)


# --- never raises -------------------------------------------------------------------

_PIECES = st.sampled_from([
    "<", ">", "</", "<!", "<![", "<!--", "-->", "<?", "?>", "`", "```\n", "~~~\n", "    ", "\n", "\n\n",
    "[", "]", "(", ")", "![", "](", "]:", "\\", "&", "&#x61;", "&#", ";", '"', "'", "=", "on", "a",
    "script", "javascript:", "data:", "href=", "<a ", "<div markdown>", "!!! note\n", "- ", "> ",
    "| a |", "|---|", "@key", "[@", " ", "\t", "\r", "\x00", "é",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=300))
def test_never_raises_and_locations_are_in_the_page(body: str) -> None:
    problems = check(body)
    lines = body.split("\n")
    for problem in problems:
        assert 1 <= problem.line <= len(lines) + 1
        assert problem.column >= 1
