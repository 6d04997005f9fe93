"""The navigation rendered once per item (hooks/nav_render.py) gives the bytes Material gives.

Sites with nested sections, index pages, pages at several depths, a page whose folder is
shared with another section's links, a page listed in two sections, an external link and a
page left out of the nav are built with the cache on and off, under several theme features, and every file compared.
The rule the cache keeps HTML by (two pages see a link the same way) is checked against
MkDocs' own function; the real site's bytes are held by tests/test_site_digests.py.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.utils import _norm_parts, normalize_url

from conftest import ROOT, mkdocs
from ipt_site.site_output.nav_render import NavItemCache, link_parts, page_folders, patched_nav_source, url_parts

PAGE_URLS = ["", "index.html", "a/", "a/b/", "a/b/c/", "x/", "x/y/", "a.html", "a/b.html", "x/y.html",
             "a/b/c.html", "v1.2/", "a//b/", "a/./b/"]
LINK_URLS = ["", ".", "a/", "a/b/", "a/c/", "x/", "y/z/", "a.html", "x/y.html", "../up/", "../../a/b/",
             "https://example.org/p", "#top", "/abs/", "a/./b/", "q/../a/", "//host/x", "a\\c/", "x\\y.html"]


def test_url_parts_are_mkdocs_own() -> None:
    for url in PAGE_URLS + LINK_URLS:
        assert url_parts(url) == _norm_parts(url), url
    # A link: MkDocs reads its backslashes as slashes (and warns) before comparing.
    assert link_parts("a\\c/") == ["a", "c"]


def test_pages_the_cache_groups_see_every_link_alike() -> None:
    """Two pages with as many folders, neither's first folder a link's first part: one link."""
    compared = 0
    for first_url, second_url in itertools.combinations(PAGE_URLS, 2):
        first, second = page_folders(first_url), page_folders(second_url)
        if len(first) != len(second):
            continue
        for link in LINK_URLS:
            parts = link_parts(link)
            if any(folders and parts and folders[0] == parts[0] for folders in (first, second)):
                continue
            as_first = normalize_url(link, page=SimpleNamespace(url=first_url))  # type: ignore[arg-type]
            as_second = normalize_url(link, page=SimpleNamespace(url=second_url))  # type: ignore[arg-type]
            assert as_first == as_second, (link, first_url, second_url)
            compared += 1
    assert compared > 100


def test_the_template_patch_keeps_the_rest_of_the_template() -> None:
    source = (
        "<ul>\n    {% for nav_item in nav.items %}\n      {% set path = \"__nav_\" ~ loop.index %}\n"
        "      {{ item.render(nav_item, path, 1) }}\n    {% endfor %}\n  </ul>"
    )
    patched = patched_nav_source(source)
    assert patched is not None
    assert patched.source == "<ul>\n    {{ ipt_nav_items(item.render, nav.items, page) }}\n  </ul>"
    assert (patched.before, patched.after) == ("\n      \n      ", "\n    ")
    # A theme that renders its items otherwise keeps its own template.
    assert patched_nav_source(source.replace("loop.index", "loop.index0")) is None
    assert patched_nav_source(source + source) is None


def _item(url: str | None = None, children: list[SimpleNamespace] | None = None, **more: object) -> SimpleNamespace:
    return SimpleNamespace(url=url, children=children, active=False, **more)


def test_items_on_the_page_path_or_of_other_kinds_are_rendered_every_time() -> None:
    calls: list[str] = []

    def render(item: SimpleNamespace, path: str, level: int) -> str:
        calls.append(path)
        return f"<{path}>"

    home, section = _item(""), _item(children=[_item("a/"), _item("a/b/")])
    blog = _item(children=[_item("blog/p/")], pages=[])  # a plugin's view that may read the page
    items = [home, section, blog]
    cache = NavItemCache(before="[", after="]")
    page = SimpleNamespace(url="x/")
    assert cache.render(render, items, page) == "[<__nav_1>][<__nav_2>][<__nav_3>]"
    calls.clear()
    assert cache.render(render, items, SimpleNamespace(url="y/")) == "[<__nav_1>][<__nav_2>][<__nav_3>]"
    assert calls == ["__nav_3"]  # the others kept
    calls.clear()
    section.active = True  # the page is in the section, at the site's root
    cache.render(render, items, SimpleNamespace(url="about.html"))
    assert calls == ["__nav_1", "__nav_2", "__nav_3"]  # a first page with no folder, and the active section
    calls.clear()
    cache.render(render, items, SimpleNamespace(url="about.html"))
    assert calls == ["__nav_2", "__nav_3"]
    calls.clear()
    section.active = False
    cache.render(render, items, SimpleNamespace(url="a/"))  # a folder the section's links are under
    assert calls == ["__nav_2", "__nav_3"]
    assert (cache.kept, cache.rendered) == (4, 11)


DOCS = {
    "index.md": "# Home\n\nWelcome.\n\n## First part\n\nText.\n",
    "about.md": "---\nsubtitle: Who we are\n---\n\n# About\n\n## Team\n\nText.\n",
    "hidden.md": "# Hidden\n\nIn no menu.\n",
    "guide/index.md": "# Guide\n\nStart here.\n",
    "guide/setup.md": "---\nstatus: new\n---\n\n# Setup\n\n## Step one\n\nText.\n",
    "guide/advanced/index.md": "# Advanced\n\nMore.\n",
    "guide/advanced/tuning.md": "# Tuning\n\n## Knobs\n\nText.\n",
    # In the Misc section, under the Guide section's folder: the Guide section's links
    # are written from here unlike from any other page with as many folders.
    "guide/other.md": "# Another guide page\n\nText.\n",
    "misc/notes.md": "# Notes\n\n## Note one\n\nText.\n",
    "deep/a/b/page.md": "# Deep page\n\nText.\n",
    # Listed in two sections: MkDocs makes only the second its parent (and active), and
    # Material shows the page as the current one in both.
    "twice.md": "# Listed twice\n\n## Part\n\nText.\n",
}
NAV = [
    {"Home": "index.md"},
    # A section around a page with no folder of its own (about.html): only its being on
    # the page's path says that it must be rendered for that page.
    {"Project": [{"About": "about.md"}, {"Twice": "twice.md"}]},
    {"Guide": ["guide/index.md", {"Setup": "guide/setup.md"},
               {"Advanced": ["guide/advanced/index.md", {"Tuning": "guide/advanced/tuning.md"}]}]},
    {"Misc": [{"Notes": "misc/notes.md"}, {"Other guide page": "guide/other.md"}, {"Deep": "deep/a/b/page.md"},
              {"Twice again": "twice.md"}]},
    {"Elsewhere": "https://example.org/"},
]
THEMES = {
    "no-features": ([], True),
    "indexes-sections-prune": (["navigation.indexes", "navigation.sections", "navigation.prune"], True),
    "tabs-expand-file-urls": (["navigation.tabs", "navigation.sections", "navigation.expand"], False),
}
SUMMARY = re.compile(r"navigation items: (\d+) kept, (\d+) rendered")
MINIFIED = re.compile(r"navigation items minified once each: (\d+) items, on (\d+) pages")
LINKED = re.compile(r"style sheet links: (\d+) pages given the copies' names in place, (\d+) rewritten")


def _site(root: Path, features: list[str], directory_urls: bool, minified: bool) -> Path:
    for name, text in DOCS.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    config = {
        "site_name": "Navigation test",
        "use_directory_urls": directory_urls,
        "theme": {"name": "material", "features": features},
        "plugins": [],
        "nav": NAV,
        "not_in_nav": "/hidden.md\n",
        "markdown_extensions": ["toc"],
        # Minified, the cache's items are minified once each (ipt_site.site_output.minify).
        "hooks": [str(ROOT / "hooks" / name) for name in ("nav_render.py", "minify_site.py")[:1 + minified]],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("minified", [False, True], ids=["as-rendered", "minified"])
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_is_the_same_with_the_cache_on_and_off(tmp_path: Path, theme: str, minified: bool) -> None:
    features, directory_urls = THEMES[theme]
    project = _site(tmp_path, features, directory_urls, minified)
    built = {}
    for cache in ("on", "off"):
        # From the first page, a build without the cache minifies in the worker process.
        result = mkdocs("build", "--strict", "--verbose", "--site-dir", str(tmp_path / cache), cwd=project,
                        env={"IPT_NAV_CACHE": "1" if cache == "on" else "0", "IPT_MINIFY_POOL_FROM": "1"}, check=True)
        built[cache] = _files(tmp_path / cache)
        summary = SUMMARY.search(result.stdout + result.stderr)
        minified_once = MINIFIED.search(result.stdout + result.stderr)
        in_worker = "pages in a worker process" in result.stderr
        linked = LINKED.search(result.stderr)
        if minified:  # pages minified in this process get the purged sheet's name in place; 404.html is rewritten
            assert linked is not None, result.stderr
            assert (int(linked[1]), int(linked[2])) == ((len(DOCS), 1) if cache == "on" else (0, len(DOCS) + 1))
        if cache == "off":
            assert summary is None and minified_once is None and in_worker == minified
            continue
        assert not in_worker  # each item minified once, in the build's own process
        # The cache was used, and rendered fewer items than Material does on its own.
        assert summary is not None, result.stderr
        assert int(summary[1]) > 0
        # Minified, every page was minified item by item (the 404 page is not a page).
        assert (minified_once is not None and int(minified_once[2]) == len(DOCS)) == minified, result.stderr
    assert sorted(built["on"]) == sorted(built["off"])
    differing = [name for name in built["on"] if built["on"][name] != built["off"][name]]
    assert differing == []


def test_a_theme_whose_loop_the_cache_cannot_take_minifies_in_the_worker(tmp_path: Path) -> None:
    """overrides/partials/nav.html with another loop: no cache, so big sites get the minify worker
    (here from the first page), as without the cache."""
    import material

    project = _site(tmp_path, [], True, True)
    source = (Path(material.__file__).parent / "templates" / "partials" / "nav.html").read_text(encoding="utf-8")
    changed = source.replace('"__nav_" ~ loop.index', '"__nav_" ~ (loop.index + 0)')
    assert changed != source and patched_nav_source(changed) is None
    (project / "overrides" / "partials").mkdir(parents=True)
    (project / "overrides" / "partials" / "nav.html").write_text(changed, encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = mkdocs("build", "--strict", "--verbose", "--site-dir", str(tmp_path / "site"), cwd=project,
                    env={"IPT_NAV_CACHE": "1", "IPT_MINIFY_POOL_FROM": "1"}, check=True)
    assert SUMMARY.search(result.stderr) is None and MINIFIED.search(result.stderr) is None
    assert "pages in a worker process" in result.stderr
