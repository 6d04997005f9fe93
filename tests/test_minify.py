"""Minified pages, CSS and JS (ipt_checks.minify), and what the build publishes."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from ipt_checks.minify import READABLE_SOURCES, minify_asset, minify_page


def test_pages_lose_whitespace_but_not_closing_tags_code_or_inline_scripts() -> None:
    # Kept as written (its CSP hash must match). minify-html would trim whitespace at the
    # very start or end of a script; Material's have none, and hooks/embed.py's _headers
    # check fails the build if a listed hash stops matching.
    script = "<script>var  a = 1;  // a comment\nvar b = 2;</script>"
    html = f"<!doctype html>\n<html>\n  <body>\n    <p>One  two</p>\n    <pre>a\n  b</pre>\n    {script}\n  </body>\n</html>\n"
    out = minify_page(html)
    assert len(out) < len(html)
    assert "</p>" in out and "<pre>a\n  b</pre>" in out and script in out


def test_style_sheets_and_scripts_lose_comments_but_keep_licence_comments() -> None:
    css = "/* why */\n.a {\n  color: red;\n}\n/*! licence */\n"
    assert minify_asset(css, ".css") == ".a{color:red}/*! licence */"
    js = "// why\nvar a = 1;\n/*! licence */\n"
    out = minify_asset(js, ".js")
    assert "why" not in out and "/*! licence */" in out and "var a=1" in out
    assert minify_asset("<p>", ".svg") == "<p>"


def test_the_built_site_has_our_assets_minified_except_the_one_clinics_read(site_dir: Path) -> None:
    docs = ROOT / "docs"
    for source in ("assets/stylesheets/a11y.css", "assets/javascripts/on-demand.js"):
        built = (site_dir / source).read_text(encoding="utf-8")
        assert len(built) < 0.7 * len((docs / source).read_text(encoding="utf-8")), source
        assert "\n  " not in built, source
    for source in READABLE_SOURCES:
        assert (site_dir / source).read_text(encoding="utf-8") == (docs / source).read_text(encoding="utf-8")
