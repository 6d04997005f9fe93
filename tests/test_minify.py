"""Minified pages, CSS and JS (ipt_site.site_output.minify), and what the build publishes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUILD_FAILED, ROOT, mkdocs, real_site_problems
from ipt_site.site_output.background_minify import (
    POOL_FROM_PAGES,
    POOL_SETTING,
    BackgroundMinifier,
    MinifyFailure,
    pool_threshold,
)
from ipt_site.site_output.minify import (
    READABLE_SOURCES,
    KnownItems,
    minified_with_classes,
    minify_asset,
    minify_page,
    minify_page_with_items,
)


def test_pages_lose_whitespace_but_not_closing_tags_code_or_inline_scripts() -> None:
    # Kept as written (its CSP hash must match). minify-html would trim whitespace at the
    # very start or end of a script; Material's have none, and hooks/embed.py's _headers
    # check fails the build if a listed hash stops matching.
    script = "<script>var  a = 1;  // a comment\nvar b = 2;</script>"
    html = ("<!doctype html>\n<html>\n  <body>\n    <p>One  two</p>\n    <pre>a\n  b</pre>\n"
            f"    {script}\n  </body>\n</html>\n")
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


# --- minifying in a worker process (ipt_site.site_output.background_minify) ---------------------

PAGE = '<!doctype html>\n<html>\n  <body class="md-body">\n    <p class="lead">One  two</p>\n  </body>\n</html>\n'


def test_the_worker_minifies_each_page_once_it_is_written(tmp_path: Path) -> None:
    paths = [tmp_path / f"p{i}" / "index.html" for i in range(3)]
    skipped = tmp_path / "skipped" / "index.html"  # MkDocs skips a page whose output is empty
    background = BackgroundMinifier()
    for path in [*paths, skipped]:
        # MkDocs calls on_post_page before it writes: the hook says so first.
        background.page_rendered(str(path))
        if path != skipped:
            path.parent.mkdir()
            path.write_text(PAGE, encoding="utf-8")
    values = background.finish()
    for path in paths:
        assert path.read_text(encoding="utf-8") == minify_page(PAGE)
    assert not skipped.exists()
    assert sorted(values) == sorted(["md-body", "lead"] * 3)


def test_a_page_the_worker_cannot_read_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    background = BackgroundMinifier()
    background.page_rendered(str(bad))
    bad.write_bytes(b"<p>\xff</p>")
    with pytest.raises(MinifyFailure, match=r"bad\.html: minifying the page failed: .*utf-8"):
        background.finish()


def test_a_worker_process_that_dies_is_named_with_the_page_not_a_traceback(tmp_path: Path) -> None:
    """Killed (out of memory, say): the pages go on rendering and the build stops naming a page."""
    import concurrent.futures

    pages = [tmp_path / f"p{n}.html" for n in range(3)]
    background = BackgroundMinifier()
    background.page_rendered(str(pages[0]))
    pages[0].write_text(PAGE, encoding="utf-8")
    background.page_rendered(str(pages[1]))  # the first page goes to the worker now
    background._worker._kill()
    concurrent.futures.wait([job for _, job in background._jobs])  # the pool knows it is broken
    pages[1].write_text(PAGE, encoding="utf-8")
    background.page_rendered(str(pages[2]))  # was: BrokenProcessPool out of on_post_page, a traceback
    with pytest.raises(MinifyFailure, match=r"p0\.html: minifying the page failed: .*terminated abruptly"):
        background.finish()


def test_a_big_site_minified_in_the_background_is_byte_identical(site_dir: Path, tmp_path: Path) -> None:
    # The real site is below POOL_FROM_PAGES; the setting makes it use the worker, which a build
    # uses only without the navigation cache (with it, each item is minified once, in process).
    out = tmp_path / "site"
    result = mkdocs("build", "--strict", "--verbose", "--site-dir", str(out), check=True,
                    env={POOL_SETTING: "1", "IPT_NAV_CACHE": "0", "IPT_CITATION_CACHE": str(tmp_path / "cache.json")})
    assert "pages in a worker process" in result.stderr
    built = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert built == sorted(p.relative_to(site_dir) for p in site_dir.rglob("*") if p.is_file())
    differing = [str(p) for p in built if (out / p).read_bytes() != (site_dir / p).read_bytes()]
    assert not differing, differing


def test_the_worker_threshold_setting_is_a_page_count() -> None:
    assert pool_threshold(None) == pool_threshold("") == POOL_FROM_PAGES
    assert pool_threshold("1") == 1
    with pytest.raises(ValueError, match=r"IPT_MINIFY_POOL_FROM='many': expected a whole number of pages"):
        pool_threshold("many")


def test_a_bad_worker_threshold_stops_the_build_with_a_message(tmp_path: Path) -> None:
    if real_site_problems():  # this build of the real site would only repeat them
        pytest.skip(BUILD_FAILED)
    result = mkdocs("build", "--site-dir", str(tmp_path / "site"),
                    env={POOL_SETTING: "many", "IPT_CITATION_CACHE": "off"})
    assert result.returncode != 0
    assert "IPT_MINIFY_POOL_FROM='many': expected a whole number of pages" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_worker_runs_the_builds_own_code_at_a_lower_priority(tmp_path: Path) -> None:
    """A copy of the project built with another copy's virtual environment (whose ipt_site is
    installed): the worker ran the other copy's code. And MkDocs' thread has the core first."""
    import os
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "hooks"
    shutil.copytree(ROOT / "hooks", copy, ignore=shutil.ignore_patterns("__pycache__"))
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(copy)!r})\n"
        "from ipt_site.site_output.worker_process import WorkerProcess\n"
        f"sys.path.remove({str(copy)!r})\n"  # as MkDocs does once it has loaded the hooks
        "worker = WorkerProcess()\n"
        "print(worker.submit(eval, '__import__(\"ipt_site\").__file__').result())\n"
        "print(worker.submit(os.getpriority, os.PRIO_PROCESS, 0).result() - os.getpriority(os.PRIO_PROCESS, 0))\n"
        "worker.close()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": ""}, check=False)
    assert result.returncode == 0, result.stderr
    where, lower = result.stdout.split()
    assert where.startswith(str(copy)), where
    assert int(lower) > 0 or os.getpriority(os.PRIO_PROCESS, 0) == 19


# --- the navigation's items minified once each (ipt_site.site_output.minify) --------------------

ITEMS = ['\n  <li class="md-nav__item">\n    <a href="../a/" class="md-nav__link">  A  </a>\n  </li>\n',
         '\n  <li class="md-nav__item md-nav__item--active">\n    <a href="./" class="md-nav__link"> B </a>\n  </li>\n']
NAV_PAGE = ('<!doctype html>\n<html>\n  <body class="md-body">\n    <ul class="md-nav__list" data-md-scrollfix>'
            + "".join(ITEMS) + '    </ul>\n    <p class="lead">One  two</p>\n  </body>\n</html>\n')


def test_a_page_minified_item_by_item_is_the_page_minified_whole() -> None:
    known = KnownItems()
    whole = minified_with_classes(NAV_PAGE)
    first = minify_page_with_items(NAV_PAGE, ITEMS, known)
    assert first is not None and first.html == whole.html
    assert sorted(first.class_values) == sorted(whole.class_values)
    # The second time from what is known; the items' class values were given already (the
    # build keeps one set), the rest of the page's are given again.
    again = minify_page_with_items(NAV_PAGE, ITEMS, known)
    assert again is not None and again.html == whole.html
    assert sorted(again.class_values) == ["lead", "md-body", "md-nav__list"]
    assert set(first.class_values) | set(again.class_values) == set(whole.class_values)
    assert known.pages == 2 and len(known.items) == len(ITEMS) + 1  # the items and the stand-in
    # An item rendered for this page alone is minified, not kept, and its class values given each time.
    fresh = KnownItems()
    alone = minify_page_with_items(NAV_PAGE, ITEMS, fresh, fresh={1})
    again_alone = minify_page_with_items(NAV_PAGE, ITEMS, fresh, fresh={1})
    assert alone is not None and again_alone is not None and alone.html == again_alone.html == whole.html
    assert ITEMS[1] not in fresh.items and ITEMS[0] in fresh.items
    assert '"md-nav__item md-nav__item--active"' in again_alone.class_values
    # The first item also earlier on the page, without the others after it: found where all are.
    earlier = NAV_PAGE.replace("<body", "<ol>" + ITEMS[0] + "</ol><body", 1)
    found = minify_page_with_items(earlier, ITEMS, known, "".join(ITEMS))
    assert found is not None and found.html == minify_page(earlier)


def test_items_not_found_as_given_leave_the_page_to_be_minified_whole() -> None:
    known = KnownItems()
    assert minify_page_with_items(NAV_PAGE, list(reversed(ITEMS)), known) is None  # not in this order
    assert minify_page_with_items(NAV_PAGE, [], known) is None
    # A page that holds the stand-in itself (this page, say, quoted in a code block).
    quoting = NAV_PAGE.replace("One  two", '<li id="ipt-nav-items-q7v3k9"></li>')
    assert minify_page_with_items(quoting, ITEMS, known) is None
    # An item minify-html would not give back as a list's inside.
    assert minify_page_with_items(NAV_PAGE.replace(ITEMS[0], "</ul>"), ["</ul>"], known) is None
    assert known.pages == 0
