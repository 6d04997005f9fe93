"""Cutting Material's style sheet to what the site uses (ipt_site.site_output.css_purge), and the built result."""

from __future__ import annotations

import itertools
from pathlib import Path

import tinycss2
from tinycss2.ast import AtRule, QualifiedRule

from built_html import tags
from ipt_site.site_output.css_purge import (
    CLASS_ATTRIBUTE,
    SheetLink,
    class_names,
    link_purged_sheets,
    purge_css,
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
