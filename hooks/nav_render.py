"""MkDocs glue: the theme's navigation items rendered once per build where they can be
(logic and reasons in ipt_site.site_output.nav_render)."""

from __future__ import annotations

from typing import Any

from jinja2 import BaseLoader, Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.utils.templates import url_filter

from ipt_site.build_state import for_build
from ipt_site.site_output.nav_render import GLOBAL_NAME, NAV_TEMPLATE, NavItemCache, patched_nav_source

log = get_plugin_logger("nav_render")


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    build = for_build(config)
    if not build.settings.nav_cache:
        return env
    # The kept HTML holds links made by MkDocs' own url filter; another one (a plugin's)
    # may make them otherwise, so the navigation is then rendered as usual.
    if env.filters.get("url") is not url_filter or env.loader is None:
        log.debug("url filter or template loader not MkDocs' own: navigation rendered per page")
        return env
    theme_loader = env.loader
    source, filename, uptodate = theme_loader.get_source(env, NAV_TEMPLATE)
    patched = patched_nav_source(source)
    if patched is None:
        log.debug(f"{NAV_TEMPLATE} has not the one loop over the top-level items expected: "
                  "navigation rendered per page")
        return env
    cache = build.nav = NavItemCache(patched.before, patched.after)
    env.globals[GLOBAL_NAME] = cache.render
    # The patched template first, under the theme's own file name (errors point there),
    # then every template as the theme finds it.
    env.loader = _FirstLoader(NAV_TEMPLATE, (patched.source, filename, uptodate), theme_loader)
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    cache = for_build(config).nav
    if cache is not None:  # what `mkdocs build --verbose` shows (and the tests read)
        log.debug(f"navigation items: {cache.kept} kept, {cache.rendered} rendered")


class _FirstLoader(BaseLoader):
    """One template given here, the rest from the theme's loader."""

    def __init__(self, name: str, found: tuple[str, str | None, Any], rest: BaseLoader) -> None:
        self._name, self._found, self._rest = name, found, rest

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        if template == self._name:
            return self._found
        return self._rest.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self._rest.list_templates()
