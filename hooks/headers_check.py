"""MkDocs glue: warn (so --strict fails) when docs/_headers would block the built pages' own
inline scripts. The logic is in ipt_site.site_output.http_headers.

Material writes a few inline scripts that the policy allows by hash: a Material upgrade
that changes them must update docs/_headers too. Each page's scripts are read as the page
is written (after minifying), so the check does not read every page of the site again
(about 0.7 s at 2,000 pages); pages written some other way (the 404 page, or pages the
minify worker rewrites) are read from the site.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

from ipt_site.build_state import for_build
from ipt_site.site_output.http_headers import (
    HeadersSyntaxError,
    blocked_scripts,
    inline_scripts,
    parse_headers_file,
    url_path_of,
)

log = get_plugin_logger("headers_check")


@event_priority(-200)  # after hooks/minify_site.py (-100): the page as MkDocs writes it
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    build = for_build(config)
    # Not if a worker rewrites the page after this, or the style sheet purge will (it turns a
    # carriage return into a newline): then the page is read from the site.
    if build.minify.background is None and "\r" not in output:
        build.inline_scripts[url_path_of(page.file.dest_uri)] = inline_scripts(output)
    return output


def on_post_build(*, config: MkDocsConfig) -> None:  # after hooks/minify_site.py's (priority 100)
    site_dir = Path(config.site_dir)
    headers_file = site_dir / "_headers"
    if not headers_file.is_file():
        log.warning("docs/_headers was not copied to the site: the security headers are missing")
        return
    try:
        rules = parse_headers_file(headers_file.read_text(encoding="utf-8"))
    except HeadersSyntaxError as error:
        log.warning(f"docs/_headers: {error}")
        return
    recorded = for_build(config).inline_scripts
    scripts: dict[str, list[str]] = {}
    for file in sorted(site_dir.rglob("*.html")):
        path = url_path_of(file.relative_to(site_dir).as_posix())
        found = recorded.get(path)
        scripts[path] = found if found is not None else inline_scripts(file.read_text(encoding="utf-8"))
    for digest, paths in sorted(blocked_scripts(rules, scripts).items()):
        log.warning(
            f"docs/_headers: its Content-Security-Policy blocks an inline script on {len(paths)} page(s), "
            f"e.g. {sorted(paths)[0]}: add {digest} to script-src (did Material's inline scripts change?)"
        )
