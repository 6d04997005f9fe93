"""Unit tests for the embed, sitemap and _headers logic (plain functions, no build)."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest
import yaml

from ipt_site.site_output.embed_pages import (
    embed_markdown,
    embed_snippet,
    embed_src_uri,
    frame_link,
    frame_links,
    is_embed_src,
    rebase_urls,
    relative_url,
    review_date,
)
from ipt_site.site_output.http_headers import (
    COMBINE,
    LAST_WINS,
    HeadersSyntaxError,
    blocked_inline_scripts,
    csp_hash,
    effective_sources,
    framing_by_any_site_allowed,
    headers_for,
    inline_scripts,
    inline_style_uses,
    parse_csp,
    parse_headers_file,
    pattern_regex,
    url_path_of,
)
from ipt_site.site_output.sitemap import drop_urls, gzip_like, under_path
from ipt_site.sources.front_matter import split_front_matter

SITE = "https://ipt-info.example.org/"


# --- embed pages ---------------------------------------------------------------------


def test_embed_paths() -> None:
    assert embed_src_uri("theory.md") == "embed/theory.md"
    assert embed_src_uri("index.md") == "embed/index.md"
    assert is_embed_src("embed/theory.md") and not is_embed_src("embedded.md")


def test_embed_markdown_keeps_front_matter_and_selects_the_template() -> None:
    source = (
        "---\ntitle: The theory behind IPT\nlast_reviewed: 2026-11-22\n"
        "template: other.html\nsearch:\n  boost: 2\n---\n\n# The theory\n\nText [@key].\n"
    )
    generated = split_front_matter(embed_markdown(source, "theory.md"))
    meta = yaml.safe_load(generated.front_matter or "")
    assert meta["title"] == "The theory behind IPT"
    assert meta["last_reviewed"] == dt.date(2026, 11, 22)
    assert meta["template"] == "embed.html"
    assert meta["search"] == {"boost": 2, "exclude": True}
    assert meta["embed_of"] == "theory.md"
    # The body is not rendered again: it is the full page's HTML (no citations to render twice).
    assert "[@key]" not in generated.body


def test_embed_markdown_without_front_matter() -> None:
    meta = yaml.safe_load(split_front_matter(embed_markdown("# Hi\n", "a/b.md")).front_matter or "")
    assert meta == {"template": "embed.html", "search": {"exclude": True}, "embed_of": "a/b.md"}


@pytest.mark.parametrize(
    ("target", "from_url", "expected"),
    [
        ("theory/", "embed/when-ipt-is-used/", "../../theory/"),
        ("", "embed/theory/", "../../"),
        ("", "embed/", "../"),
        ("theory/", "theory/", "./"),
        ("assets/x.png", "embed/theory/", "../../assets/x.png"),
        ("embed/", "", "embed/"),
    ],
)
def test_relative_url(target: str, from_url: str, expected: str) -> None:
    assert relative_url(target, from_url) == expected


def test_rebase_urls_moves_relative_links_to_the_embed_location() -> None:
    content = (
        '<p><a href="../when-ipt-is-used/#four">x</a> <a href="#fn:a">1</a> '
        '<a href="https://doi.org/10/x">doi</a> <a href="tel:000">000</a> '
        '<img alt="" src="../img/a.png" /> <a href="/abs/">abs</a></p>'
        "<pre><code>&lt;a href=\"../keep/\"&gt;</code></pre>"
    )
    out = rebase_urls(content, "theory/", "embed/theory/")
    assert 'href="../../when-ipt-is-used/#four"' in out
    assert 'href="#fn:a"' in out
    assert 'href="https://doi.org/10/x"' in out and 'href="tel:000"' in out
    assert 'src="../../img/a.png"' in out
    assert 'href="/abs/"' in out
    # Code shown on the page is text, not a link.
    assert '&lt;a href="../keep/"&gt;' in out


def test_rebase_urls_from_the_home_page() -> None:
    out = rebase_urls('<a href="theory/">t</a><a href="./">home</a>', "", "embed/")
    assert out == '<a href="../theory/">t</a><a href="../">home</a>'


@pytest.mark.parametrize(
    ("href", "page_url", "expected"),
    [
        # In-site links leave the frame, and never for another embed page.
        ("../../theory/", "embed/when-ipt-is-used/", ("../../theory/", {"target": "_top"})),
        ("../does-it-work/#x", "embed/theory/", ("../../does-it-work/#x", {"target": "_top"})),
        ("../", "embed/theory/", ("../../", {"target": "_top"})),
        ("theory/", "embed/", ("../theory/", {"target": "_top"})),
        (SITE + "embed/theory/", "embed/", (SITE + "theory/", {"target": "_top"})),
        (SITE + "theory/?a=1", "embed/", (SITE + "theory/?a=1", {"target": "_top"})),
        ("/theory/", "embed/", ("/theory/", {"target": "_top"})),
        # Other sites open in a new tab.
        ("https://doi.org/10.1/x", "embed/", ("https://doi.org/10.1/x", {"target": "_blank", "rel": "noopener"})),
        ("//example.com/", "embed/", ("//example.com/", {"target": "_blank", "rel": "noopener"})),
        # Fragments and phone numbers stay as they are.
        ("#fn:stuart2012", "embed/theory/", ("#fn:stuart2012", {})),
        ("tel:131114", "embed/theory/", ("tel:131114", {})),
        ("mailto:a@b.example", "embed/theory/", ("mailto:a@b.example", {})),
    ],
)
def test_frame_link(href: str, page_url: str, expected: tuple[str, dict[str, str]]) -> None:
    assert frame_link(href, page_url, SITE) == expected


def test_frame_links_rewrites_every_anchor_and_keeps_other_attributes() -> None:
    page = (
        '<a class="x" href="../../get-help-now/" target="_self">help</a>'
        '<a href="https://doi.org/1" rel="nofollow">doi</a>'
        '<a href="#fn:1" class="footnote-ref">1</a>'
        '<link rel="stylesheet" href="../../assets/x.css">'
        "<code>&lt;a href=\"x/\"&gt;</code>"
    )
    out = frame_links(page, "embed/theory/", SITE)
    assert '<a class="x" href="../../get-help-now/" target="_top">help</a>' in out
    assert '<a href="https://doi.org/1" rel="nofollow noopener" target="_blank">doi</a>' in out
    assert '<a href="#fn:1" class="footnote-ref">1</a>' in out
    assert '<link rel="stylesheet" href="../../assets/x.css">' in out
    assert "<code>&lt;a href=\"x/\"&gt;</code>" in out


def test_frame_links_changes_a_tags_only() -> None:
    """Tags named like a link (abbr, a custom a-b, area) and a link written inside an attribute."""
    page = ('<abbr href="x/">x</abbr><a-b href="y/">y</a-b><area href="z/">'
            '<div title="<a href=w/>">w</div><A HREF="v/">v</A><a>none</a><a/>'
            '<p><a\nhref="u/">u</a></p>')
    out = frame_links(page, "embed/theory/", SITE)
    assert out == ('<abbr href="x/">x</abbr><a-b href="y/">y</a-b><area href="z/">'
                   # (an unquoted value ending in "/" reads as a self-closing tag, as it always has)
                   '<div title="<a href="../../theory/w" target="_top"/>">w</div>'
                   '<A HREF="../../theory/v/" target="_top">v</A><a>none</a><a/>'
                   '<p><a href="../../theory/u/" target="_top">u</a></p>')


def test_rebase_urls_leaves_tags_without_urls_as_written() -> None:
    content = '<p  class="x">a</p><img  SRC="a.png"  alt=""><div data-hrefs="b/">b</div><a  href="c/" >c</a>'
    assert rebase_urls(content, "theory/", "embed/theory/") == (
        '<p  class="x">a</p><img SRC="../../theory/a.png" alt=""><div data-hrefs="b/">b</div>'
        '<a href="../../theory/c/">c</a>')


def test_frame_links_keeps_escaped_urls_escaped() -> None:
    out = frame_links('<a href="../a/?x=1&amp;y=2">a</a>', "embed/b/", SITE)
    assert out == '<a href="../../a/?x=1&amp;y=2" target="_top">a</a>'


def test_embed_snippet_is_the_documented_markup() -> None:
    assert embed_snippet(SITE, "theory/", 'The "theory" & IPT') == (
        '<iframe src="https://ipt-info.example.org/embed/theory/" '
        'title="The &quot;theory&quot; &amp; IPT \u2014 IPT information" loading="lazy" '
        'data-ipt-embed width="100%" height="800" style="border:0"></iframe>\n'
        '<script src="https://ipt-info.example.org/assets/embed/ipt-embed.js" defer></script>'
    )
    assert 'src="https://ipt-info.example.org/embed/"' in embed_snippet(SITE.rstrip("/"), "", "Home")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 2), ("2026-11-02", "2 November 2026")),
        (dt.datetime(2026, 1, 31, 9, 0), ("2026-01-31", "31 January 2026")),
        ("2026-11-22", ("2026-11-22", "22 November 2026")),
        ("next year", None),
        (None, None),
    ],
)
def test_review_date(value: object, expected: tuple[str, str] | None) -> None:
    assert review_date(value) == expected


# --- sitemap -------------------------------------------------------------------------

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url>
         <loc>https://ipt-info.example.org/</loc>
    </url>
    <url>
         <loc>https://ipt-info.example.org/embed/</loc>
    </url>
    <url>
         <loc>https://ipt-info.example.org/embedded-care/</loc>
    </url>
    <url>
         <loc>/embed/theory/</loc>
    </url>
</urlset>"""


def test_drop_urls_removes_only_embed_entries() -> None:
    out = drop_urls(SITEMAP, under_path("/embed/"))
    assert "<loc>https://ipt-info.example.org/</loc>" in out
    assert "embedded-care" in out
    assert "/embed/" not in out
    assert out.count("<url>") == out.count("</url>") == 2
    assert out.startswith('<?xml version="1.0"') and out.rstrip().endswith("</urlset>")


def test_gzip_like_keeps_the_timestamp() -> None:
    original = gzip.compress(b"old", mtime=1_700_000_000)
    new = gzip_like(original, "new text", "sitemap.xml.gz")
    assert gzip.decompress(new) == b"new text"
    assert new[4:8] == original[4:8]


# --- _headers ------------------------------------------------------------------------

HEADERS = """# comment
/*
  X-Frame-Options: SAMEORIGIN
  Content-Security-Policy: default-src 'self'

/embed/*
  Content-Security-Policy: default-src 'self'; frame-ancestors *
  ! X-Frame-Options
"""


def test_parse_headers_file() -> None:
    rules = parse_headers_file(HEADERS)
    assert [r.pattern for r in rules] == ["/*", "/embed/*"]
    assert rules[0].headers == [("X-Frame-Options", "SAMEORIGIN"), ("Content-Security-Policy", "default-src 'self'")]
    assert rules[1].detach == ["X-Frame-Options"]


@pytest.mark.parametrize(
    "text",
    ["  X-A: b\n", "/x\n  no colon here\n", "/x\n  X-A:\n", "x\n  X-A: b\n", "/x\n  Bad Name: b\n"],
)
def test_parse_headers_file_rejects_bad_syntax(text: str) -> None:
    with pytest.raises(HeadersSyntaxError):
        parse_headers_file(text)


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/*", "/", True),
        ("/*", "/embed/theory/", True),
        ("/embed/*", "/embed/", True),
        ("/embed/*", "/embed", True),
        ("/embed/*", "/embed/theory/index.html", True),
        ("/embed/*", "/embedded/", False),
        ("/embed/*", "/theory/", False),
        ("/:page/", "/theory/", True),
        ("/:page/", "/embed/theory/", False),
        ("/", "/", True),
        ("/", "/theory/", False),
        ("https://ipt-info.example.org/embed/*", "/embed/x/", True),
    ],
)
def test_pattern_matching(pattern: str, path: str, matches: bool) -> None:
    assert (pattern_regex(pattern).fullmatch(path) is not None) is matches


def test_headers_for_combines_or_lets_the_last_win() -> None:
    rules = parse_headers_file(HEADERS.replace("  ! X-Frame-Options\n", ""))
    combined = headers_for(rules, "/embed/theory/", COMBINE)
    assert combined["content-security-policy"] == "default-src 'self', default-src 'self'; frame-ancestors *"
    assert headers_for(rules, "/embed/theory/", LAST_WINS)["content-security-policy"].endswith("frame-ancestors *")
    assert headers_for(rules, "/theory/")["x-frame-options"] == "SAMEORIGIN"
    # Cloudflare's "! Name" removes what earlier rules set.
    assert "x-frame-options" not in headers_for(parse_headers_file(HEADERS), "/embed/")


def test_parse_csp_and_fallbacks() -> None:
    policies = parse_csp("default-src 'self'; img-src 'self' data:; script-src a; script-src b, frame-ancestors *")
    assert policies == [
        {"default-src": ["'self'"], "img-src": ["'self'", "data:"], "script-src": ["a"]},
        {"frame-ancestors": ["*"]},
    ]
    assert effective_sources(policies[0], "font-src") == ["'self'"]
    assert effective_sources(policies[0], "worker-src") == ["a"]
    assert effective_sources(policies[1], "font-src") is None


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),
        ({"x-frame-options": "SAMEORIGIN"}, False),
        ({"x-frame-options": "DENY"}, False),
        # frame-ancestors wins over X-Frame-Options, in every policy sent.
        ({"x-frame-options": "SAMEORIGIN", "content-security-policy": "default-src 'self'; frame-ancestors *"}, True),
        ({"content-security-policy": "frame-ancestors 'self'"}, False),
        ({"content-security-policy": "default-src 'self', frame-ancestors *"}, True),
        ({"content-security-policy": "frame-ancestors 'self', frame-ancestors *"}, False),
        ({"content-security-policy": "frame-ancestors https://clinic.example"}, False),
    ],
)
def test_framing_by_any_site_allowed(headers: dict[str, str], allowed: bool) -> None:
    assert framing_by_any_site_allowed(headers) is allowed


def test_csp_hash_matches_the_standard_example() -> None:
    assert csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def test_inline_scripts_and_styles() -> None:
    page = (
        '<script>a()</script><script src="x.js"></script>'
        '<script type="application/ld+json">{"a": 1}</script>'
        '<script type="module">b()</script><script id="__config" type="application/json">{}</script>'
        '<p style="color:red">x</p><button onclick="y()">b</button><style>p{}</style>'
        "<code>&lt;p style=\"x\"&gt;</code>"
    )
    assert inline_scripts(page) == ["a()", "b()"]
    uses = inline_style_uses(page)
    assert len(uses) == 3 and any("onclick" in u for u in uses)


def test_url_path_of() -> None:
    assert url_path_of("index.html") == "/"
    assert url_path_of("embed/theory/index.html") == "/embed/theory/"
    assert url_path_of("404.html") == "/404.html"


def test_blocked_inline_scripts() -> None:
    allowed = csp_hash("ok()")
    rules = parse_headers_file(
        f"/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' {allowed}\n"
        "/open/*\n  Content-Security-Policy: script-src 'self' 'unsafe-inline'\n"
    )
    pages = {
        "/a/": "<script>ok()</script><script>bad()</script>",
        "/b/": "<script>bad()</script><script src='x.js'></script>",
        "/open/c/": "<script>bad()</script>",
    }
    # /open/c/ gets both policies, and the /* one still blocks the script.
    assert blocked_inline_scripts(rules, pages) == {csp_hash("bad()"): {"/a/", "/b/", "/open/c/"}}
    only_open = parse_headers_file("/open/*\n  Content-Security-Policy: script-src 'self' 'unsafe-inline'\n")
    assert blocked_inline_scripts(only_open, pages) == {}
    assert blocked_inline_scripts(parse_headers_file("/*\n  X-A: b\n"), pages) == {}
