"""`./dev linkcheck` needs a network, so only its link extraction is tested offline."""

from __future__ import annotations

from ipt_site.cli.linkcheck import ExternalLink, external_links

PAGE = """\
---
title: Links
---

# Links

See [Lifeline](https://www.lifeline.org.au/get-help/#top) and <http://example.org/a>.
Not these: [a page](theory.md), [call](tel:000), <help@example.org>, `https://in.code/`.

!!! note

    [In an admonition](https://example.com/note "Title")

<a href="https://example.net/html" title="x">HTML link</a>

[ref]: https://example.edu/reference

```text
https://in.a.fence/
```
"""


def test_external_links_are_found_with_their_positions() -> None:
    assert external_links("docs/links.md", PAGE) == [
        ExternalLink("https://www.lifeline.org.au/get-help/#top", "docs/links.md", 7, 5),
        ExternalLink("http://example.org/a", "docs/links.md", 7, 63),
        ExternalLink("https://example.com/note", "docs/links.md", 12, 5),
        ExternalLink("https://example.net/html", "docs/links.md", 14, 4),
        ExternalLink("https://example.edu/reference", "docs/links.md", 16, 8),
    ]


def test_a_page_without_external_links() -> None:
    assert external_links("docs/x.md", "# Title\n\n[Home](index.md)\n") == []
