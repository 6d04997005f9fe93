"""What ties this site to Material for MkDocs' internals: each test names the tie it guards.

Material reaches end of life on 5 May 2027 (README, "After Material"). Until then,
and on any fork (MaterialX: ``./dev materialx``), a theme upgrade that breaks
one of these ties fails here with the tie's name, the file of ours that depends
on it and what to do. The other guards are listed in the README's table.
"""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from built_html import read_built
from conftest import ROOT
from ipt_site.site_output.nav_render import patched_nav_source

THEME = Path(material.__file__).parent / "templates"
BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")
# Material's class names (md-…), data attributes (data-md-…) and storage helpers
# (__md_…) named in our style sheets, scripts, hooks and templates.
THEME_NAME = re.compile(r"(?<![\w-])(?:data-)?md-[a-z0-9_-]*[a-z0-9]|__md_[a-z]+")
OURS = [
    *sorted((ROOT / "docs" / "assets").rglob("*.css")),
    *sorted((ROOT / "docs" / "assets").rglob("*.js")),
    *sorted((ROOT / "hooks").rglob("*.py")),
    *sorted((ROOT / "overrides").rglob("*.html")),
]


def theme_text() -> str:
    """Every template, style sheet and script the installed theme ships."""
    parts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(THEME.rglob("*"))
             if p.suffix in (".html", ".css", ".js") and p.is_file()]
    return "\n".join(parts)


def test_tie_template_blocks_overridden_in_overrides_exist_in_the_theme() -> None:
    """Tie 1: the Jinja blocks overrides/*.html replace (announce, extrahead, content, scripts, …)."""
    theirs = set(BLOCK.findall("\n".join(p.read_text(encoding="utf-8") for p in THEME.rglob("*.html"))))
    for template in sorted((ROOT / "overrides").glob("*.html")):
        for block in BLOCK.findall(template.read_text(encoding="utf-8")):
            assert block in theirs, (
                f"{template.relative_to(ROOT)} overrides block '{block}', which the installed theme "
                f"({THEME}) no longer has: find where that content moved and override that block instead"
            )


def test_tie_the_script_rewrite_in_overrides_main_html_still_matches_materials_scripts_block() -> None:
    """Tie 2: overrides/main.html turns Material's ``<script src=`` tags into inert text (on-demand.js)."""
    base = (THEME / "base.html").read_text(encoding="utf-8")
    block = re.search(r"{%\s*block scripts\s*%}(.*?){%\s*endblock\s*%}", base, re.DOTALL)
    assert block, "Material's base.html has no scripts block: the script rewrite in overrides/main.html is lost"
    assert '<script src="' in block.group(1), (
        "Material's scripts block no longer writes '<script src=': overrides/main.html's "
        "replace('<script src=', …) does nothing and Material's bundle loads before the reader interacts"
    )
    assert "replace('<script src=', '<script type=\"text/plain\" data-src=')" in (
        ROOT / "overrides" / "main.html").read_text(encoding="utf-8")


def test_tie_the_built_pages_hold_materials_bundle_as_inert_text(site_dir: Path) -> None:
    """Tie 2, as built: no page runs Material's bundle until on-demand.js asks for it."""
    for page in ("index.html", "theory/index.html", "404.html"):
        html = read_built(site_dir / page)
        inert = re.findall(r'<script data-src="([^"]*bundle\.[0-9a-f]+\.min\.js)" type="text/plain">', html)
        assert len(inert) == 1, (
            f"{page}: Material's bundle is not held back by the script rewrite (overrides/main.html)")
        assert not re.search(r'<script[^>]* src="[^"]*bundle\.', html), f"{page}: Material's bundle loads at once"
        target = site_dir / inert[0].lstrip("/") if inert[0].startswith("/") else (site_dir / page).parent / inert[0]
        assert target.resolve().is_file(), f"{page}: {inert[0]} is missing"


def test_tie_material_class_names_and_attributes_we_use_still_exist() -> None:
    """Tie 4: class names (md-…), data attributes and helpers our CSS, JS, hooks and purge rely on."""
    theirs = theme_text()
    missing: dict[str, list[str]] = {}
    for path in OURS:
        for name in set(THEME_NAME.findall(path.read_text(encoding="utf-8"))):
            if name not in theirs:
                missing.setdefault(name, []).append(path.relative_to(ROOT).as_posix())
    assert not missing, "the installed theme no longer has these names, which our files use:\n" + "\n".join(
        f"  {name}: {', '.join(sorted(files))}" for name, files in sorted(missing.items())
    )


def test_the_name_check_finds_what_our_files_use() -> None:
    found = {n for p in OURS for n in THEME_NAME.findall(p.read_text(encoding="utf-8"))}
    assert {"md-search", "md-typeset", "data-md-component", "__md_get"} <= found
    assert "md-no-such-class" not in theme_text()


@pytest.mark.parametrize("name", ["assets/stylesheets/main.*.min.css"])
def test_tie_the_purged_style_sheet_is_materials_main_css(name: str) -> None:
    """Tie 4: hooks/ipt_site/site_output/css_purge.py purges the sheet Material ships under this name."""
    assert sorted(THEME.glob(name)), f"Material ships no {name}: the CSS purge (css_purge.py) would do nothing"


def test_tie_the_navigation_loop_and_what_its_items_read_of_the_page() -> None:
    """Tie 5: hooks/nav_render.py makes Material's loop over the top-level items one call,
    and keeps an item's HTML for other pages on the grounds that an item off the page's
    path reads nothing of the page but these lines (and links relative to it)."""
    nav = (THEME / "partials" / "nav.html").read_text(encoding="utf-8")
    assert patched_nav_source(nav) is not None, (
        "Material's partials/nav.html no longer has the loop over nav.items that "
        "ipt_site/site_output/nav_render.py replaces: the navigation is rendered per page again (slower); "
        "update _ITEM_LOOP there to the new loop")
    for name in ("nav.html", "nav-item.html"):
        assert not (ROOT / "overrides" / "partials" / name).exists(), (
            f"overrides/partials/{name} replaces Material's: check that an item off the page's path still "
            "renders alike on every page (ipt_site/site_output/nav_render.py), then read this test's list from it")
    item = (THEME / "partials" / "nav-item.html").read_text(encoding="utf-8")
    reads = [line.strip() for line in item.splitlines() if re.search(r"\bpage\b", line)]
    assert reads == [
        "{% if page in nav_item.pages %}",
        "{% set nav_item = page %}",
        '{% set class = "md-nav__link--active" if index == page %}',
        "{% elif nav_item == page %}",
        "{% set toc = page.toc %}",
    ], (
        "Material's partials/nav-item.html reads the current page in other places now: check that an "
        "item off the page's path still renders alike on every page (ipt_site/site_output/nav_render.py, "
        f"NavItemCache), then update this list: {reads}")
