"""Cutting Material's style sheet to what the site uses (ipt_site.site_output.css_purge), and the built result."""

from __future__ import annotations

import itertools
from pathlib import Path

import tinycss2
from tinycss2.ast import AtRule, QualifiedRule

from built_html import tags
from ipt_site.site_output.css_purge import (
    CLASS_ATTRIBUTE,
    DIGITS_PLACEHOLDER,
    Purged,
    SheetLink,
    class_names,
    link_copies_pending,
    link_purged_sheets,
    purge_css,
    purge_theme_css,
    words,
)


def selectors(css: str) -> list[str]:
    out: list[str] = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if isinstance(rule, QualifiedRule):
            out.append(tinycss2.serialize(rule.prelude).strip())
        elif isinstance(rule, AtRule) and rule.content is not None and rule.lower_at_keyword == "media":
            out.extend(selectors(tinycss2.serialize(rule.content)))
    return out


def test_rules_for_classes_nothing_uses_go_and_the_rest_stay() -> None:
    css = ".used{color:red}.unused{color:blue}.used .unused{top:0}p{margin:0}.used,.unused{left:0}"
    assert selectors(purge_css(css, {"used"})) == [".used", "p", ".used"]


def test_classes_named_by_scripts_count_as_used() -> None:
    script = 'h("div",{class:"md-search-result__meta"})'
    css = ".md-search-result__meta{color:red}.md-tabs{color:blue}"
    assert selectors(purge_css(css, words([script]))) == [".md-search-result__meta"]


def test_what_cannot_tell_whether_an_element_exists_never_drops_a_selector() -> None:
    css = (".a:not(.gone){x:1}"            # :not(.gone) matches when .gone is absent
           "a[href$=\".pdf\"]{x:2}"         # .pdf is part of a string, not a class
           ".a:is(.gone,.a){x:3}"
           "[data-md-color-scheme=slate]{x:4}")
    assert len(selectors(purge_css(css, {"a"}))) == 4


def test_media_queries_are_purged_inside_and_dropped_when_empty_other_at_rules_kept() -> None:
    css = ("@media screen{.gone{x:1}}@media print{.a{x:2}.gone{x:3}}"
           "@keyframes spin{from{opacity:0}to{opacity:1}}@font-face{font-family:f}")
    out = purge_css(css, {"a"})
    assert "@media screen" not in out and "@media print{.a{x:2;}}" in out
    assert "@keyframes spin" in out and "@font-face" in out


def test_custom_properties_nothing_reads_go_including_those_only_read_by_dropped_ones() -> None:
    css = (":root{--keep:1;--chain:2;--via-chain:var(--chain);--orphan:var(--deep);--deep:3;--set-by-script:4}"
           ".a{width:var(--keep)}.b{height:var(--via-chain)}.gone{top:var(--orphan)}")
    out = purge_css(css, {"a", "b"}, scripts="el.style.setProperty('--set-by-script', 5)")
    for kept in ("--keep", "--chain", "--via-chain", "--set-by-script"):
        assert kept + ":" in out
    assert "--orphan" not in out and "--deep" not in out
    assert ";;" not in out


def test_properties_read_by_another_style_sheet_stay() -> None:
    out = purge_css(":root{--md-x:1}", set(), style_sheets=".ours{color:var(--md-x)}")
    assert "--md-x:1" in out


# --- the built site -----------------------------------------------------------------


def test_built_pages_link_a_first_paint_sheet_and_name_the_full_one(site_dir: Path) -> None:
    import material

    theme = next((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css"))
    built = {p.suffixes[-2]: p for p in (site_dir / "assets" / "stylesheets").glob("main.*")}
    assert sorted(built) == [".full", ".purged"], built
    first, full = built[".purged"].stat().st_size, built[".full"].stat().st_size
    assert first < full < theme.stat().st_size * 0.8, (first, full)
    for page in ("index.html", "theory/index.html", "embed/theory/index.html", "404.html"):
        links = [link for link in tags((site_dir / page).read_text(encoding="utf-8"), "link", rel="stylesheet")
                 if "/main." in link["href"]]
        assert len(links) == 1, (page, links)
        assert links[0]["href"].endswith("assets/stylesheets/" + built[".purged"].name), (page, links)
        assert links[0]["data-ipt-full"].endswith("assets/stylesheets/" + built[".full"].name), (page, links)


def test_a_property_that_cannot_be_dropped_does_not_stop_the_purge() -> None:
    # Declarations inside @keyframes are kept as written; a selector such as
    # ".x--bottom:hover" looks like a declaration to a quick scan. Neither may loop.
    css = "@keyframes k{from{--inside:1}}.x--bottom:hover{color:red}"
    out = purge_css(css, {"x--bottom"})
    assert "@keyframes k" in out and ".x--bottom:hover" in out


def test_class_names_from_minified_and_quoted_attributes() -> None:
    html = '<p class=lead><span class="a b"></span><i class=\'c\'></i><b data-class=x myclass=y></b></p>'
    assert class_names(CLASS_ATTRIBUTE.findall(html)) == {"lead", "a", "b", "c"}


def test_links_to_the_sheet_point_at_its_purged_copy_wherever_the_name_is_last() -> None:
    links = [SheetLink.to("main.abc.min.css", "main.1.purged.css", "main.2.full.css")]
    nav = "".join(f'<li><a href="../p{n}/">P{n}</a></li>' for n in range(50))
    for quote, named in itertools.product(('"', "'", ""), ("", "<p>main.abc.min.css named in text</p>")):
        page = (f"<head><link rel=stylesheet href={quote}../assets/main.abc.min.css{quote}></head>"
                f"<body><ul>{nav}</ul>{named}</body>")
        expected = page.replace(f"href={quote}../assets/main.abc.min.css{quote}",
                                f"href={quote}../assets/main.1.purged.css{quote} "
                                f"data-ipt-full={quote}../assets/main.2.full.css{quote}")
        assert link_purged_sheets(page.encode(), links) == expected.encode()
    # A page that does not link the sheet is left as it is (not written again).
    plain = b"<head></head><body>main.abc.min.css</body>"
    assert link_purged_sheets(plain, links) is plain


def _purge_site(root: Path, pages: dict[str, str], pending_too: bool) -> tuple[dict[str, bytes], Purged]:
    """A built site of ``pages``, purged; pages written as hooks/minify_site.py writes them
    (their link already to the copies, digits pending) when ``pending_too``."""
    sheets = root / "assets" / "stylesheets"
    sheets.mkdir(parents=True)
    (sheets / "main.abc123.min.css").write_text(".used{color:red}.unused{color:blue}", encoding="utf-8")
    pending = {}
    for name, html in pages.items():
        found = link_copies_pending(html) if pending_too and name != "404.html" else None
        if found is not None:
            html, pending[name] = found
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))
    purged = purge_theme_css(root, {"used"}, pending)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}, purged


def test_pages_given_the_copies_names_in_place_are_the_pages_rewritten(tmp_path: Path) -> None:
    """Written with the link's digits pending and given them in place after the build, a page is
    the page read and rewritten; a page the noted offsets do not fit is rewritten whole."""
    head = ('<html><head><title>Caf\u00e9 \ud800 ☕</title>'
            '<link rel=stylesheet href={q}{up}assets/stylesheets/main.abc123.min.css{q}>')
    pages = {
        "index.html": head.format(q='"', up="") + "</head><body class=used>é</body></html>",
        "a/b/index.html": head.format(q="", up="../../") + "</head><body>x</body></html>",
        "404.html": head.format(q="'", up="/") + "</head><body>lost</body></html>",
        "two/index.html": (head + head).format(q='"', up="../") + "</head></html>",  # two links: left as before
        # The name after the head too: rewritten whole, as before.
        "named/index.html": head.format(q='"', up="../") + "</head><body>see main.abc123.min.css</body>",
        # A carriage return (minify-html writes &#13; in <pre> as one): the rewriting makes it a newline.
        "cr/index.html": head.format(q='"', up="../") + "</head><body><pre>a\rb</pre></body>",
    }
    rewritten, before = _purge_site(tmp_path / "rewritten", pages, pending_too=False)
    in_place, after = _purge_site(tmp_path / "in-place", pages, pending_too=True)
    assert in_place == rewritten
    assert (before.in_place, before.rewritten) == (0, 6) and (after.in_place, after.rewritten) == (2, 4)
    assert b"a\nb" in in_place["cr/index.html"]
    assert b"main.abc123.min.css" not in rewritten["index.html"]
    assert DIGITS_PLACEHOLDER.encode() not in in_place["index.html"]
    # A page changed after it was noted (its link moved): every placeholder is written over.
    moved = tmp_path / "moved"
    written, pending = link_copies_pending(pages["index.html"])  # type: ignore[misc]
    (moved / "assets" / "stylesheets").mkdir(parents=True)
    (moved / "assets" / "stylesheets" / "main.abc123.min.css").write_text(".used{}", encoding="utf-8")
    (moved / "index.html").write_bytes(("<!-- moved -->" + written).encode("utf-8", errors="xmlcharrefreplace"))
    result = purge_theme_css(moved, {"used"}, {"index.html": pending})
    assert (result.in_place, result.rewritten) == (0, 1)
    assert DIGITS_PLACEHOLDER not in (moved / "index.html").read_text(encoding="utf-8")


def test_a_page_left_linking_a_copy_that_was_not_written_is_named(tmp_path: Path) -> None:
    """The theme's sheet gone by the end of the build: the pages noted are reported (the hook warns)."""
    written, pending = link_copies_pending(  # type: ignore[misc]
        '<html><head><link href="assets/stylesheets/main.abc123.min.css"></head><body></body></html>')
    (tmp_path / "index.html").write_text(written, encoding="utf-8")
    assert purge_theme_css(tmp_path, set(), {"index.html": pending}).unlinked == ["index.html"]
