"""What the hooks know during one build, on one object made afresh for every build.

MkDocs loads each hook file once per process, so anything a hook keeps at module
level outlives the build: under ``mkdocs serve`` the next rebuild would start
from the last one's pages, problems and settings. Instead every hook event asks
``for_build(config)``: the first event of a build (MkDocs loads a new config for
each build, ``serve`` rebuilds included) makes a new ``BuildState`` with the
settings read from that config; later events of the same build get the same
object. ``Session`` is the one module-level holder: the command MkDocs was
started with, and the current build.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from ipt_site.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from ipt_site.checks.site_check import SiteCheck
    from ipt_site.citation_rendering.citation_cache import CitationCache
    from ipt_site.citation_rendering.late_texts import LateTexts
    from ipt_site.citation_rendering.prepare import Prepared
    from ipt_site.citation_rendering.reference_texts import ReferenceTexts
    from ipt_site.problems import Problem
    from ipt_site.site_output.background_api import BackgroundApi
    from ipt_site.site_output.background_minify import BackgroundMinifier
    from ipt_site.site_output.content_api import PageInput
    from ipt_site.site_output.css_purge import PendingLink
    from ipt_site.site_output.minify import KnownItems
    from ipt_site.site_output.nav_render import NavItemCache


@dataclass
class CitationState:
    """hooks/citations.py: the checks' results and what mkdocs-bibtex is given."""

    root: Path = Path()
    bib_path: Path | None = None
    csl_path: str = ""
    bib_verbatim: str | None = None  # references.bib as written, when it has no errors
    bib_csl_json: str | None = None  # bib_path as CSL-JSON, when the checks' pandoc read it (BIB011)
    site: SiteCheck | None = None
    known_keys: frozenset[str] = frozenset()
    prepared: dict[str, Prepared] = field(default_factory=dict)  # page Markdown -> what mkdocs-bibtex gets
    families: dict[str, list[str]] = field(default_factory=dict)  # key -> what can make it ambiguous
    cache: CitationCache | None = None  # rendered citations from earlier builds
    site_problems: list[Problem] = field(default_factory=list)  # not about one page: shown on every page
    watched: list[Path] = field(default_factory=list)  # what the build reads besides docs/ and mkdocs.yml
    pybtex_strict: bool | None = None  # pybtex's strict mode before this build relaxed it (serving)
    # The References list, rendered by pandoc while the pages' citations are (on_files), read
    # by the References page (on_page_markdown): a bib save waits for the longer call, not both.
    full_bibliography: Future[str] | None = None
    # Citation texts pandoc renders while MkDocs renders the pages (a build, not serving):
    # the tokens handed out, until on_env gives the pages their texts.
    late: LateTexts | None = None


@dataclass
class ReferenceTextState:
    """hooks/reference_lists.py: the texts rendered so far, and each page's stand-ins until its HTML is made."""

    texts: ReferenceTexts | None = None
    pages: dict[str, dict[str, str]] = field(default_factory=dict)  # src_uri -> stand-in -> HTML


@dataclass
class ContentApiState:
    """hooks/content_api.py: the pages recorded as they are written."""

    pages: list[PageInput] = field(default_factory=list)
    nav_order: dict[str, int] = field(default_factory=dict)  # src_uri -> position in the navigation
    problems: list[Problem] = field(default_factory=list)  # pages left out: their front matter cannot make one
    csl_json: Future[str] | None = None  # pandoc's CSL-JSON of the bib, started while the pages render
    in_worker: bool = False  # a site big enough to make the documents in a worker process
    background: BackgroundApi | None = None  # that worker, once the first page is rendered


@dataclass
class EmbedState:
    """hooks/embed.py: embed page URL -> its own canonical URL, while the full page's stands in."""

    canonical: dict[str, str | None] = field(default_factory=dict)


@dataclass
class MinifyState:
    """hooks/minify_site.py."""

    class_values: set[str] = field(default_factory=set)  # class attribute values of every page written
    background: BackgroundMinifier | None = None
    pages: int = 0  # documentation pages in the build (the worker's threshold)
    known_items: KnownItems | None = None  # the navigation's items minified, while the nav cache is on
    # pages written with their style sheet link's digits still to write (dest_uri -> where)
    pending_links: dict[str, PendingLink] = field(default_factory=dict)


@dataclass
class BuildState:
    config: MkDocsConfig  # the build this state belongs to
    settings: Settings
    serving: bool
    citations: CitationState = field(default_factory=CitationState)
    reference_texts: ReferenceTextState = field(default_factory=ReferenceTextState)
    content_api: ContentApiState = field(default_factory=ContentApiState)
    embed: EmbedState = field(default_factory=EmbedState)
    minify: MinifyState = field(default_factory=MinifyState)
    nav: NavItemCache | None = None  # hooks/nav_render.py, while the cache is on
    # hooks/headers_check.py: each page's inline scripts by URL path, as written
    inline_scripts: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Session:
    """The process: how MkDocs was started, and the build under way."""

    command: str = "build"
    build: BuildState | None = None


session = Session()


def start_session(command: str) -> None:
    """``on_startup``: ``serve`` shows problems without stopping the server."""
    session.command = command
    session.build = None


def for_build(config: MkDocsConfig, environ: Mapping[str, str] | None = None) -> BuildState:
    """The state of the build ``config`` belongs to: new for a new config.

    A setting it cannot take stops the build (PluginError: one clean message, no traceback);
    while serving it is logged and the build goes on with the defaults.
    """
    if session.build is None or session.build.config is not config:
        extra = config.extra  # MkDocs validates it as a mapping
        serving = session.command == "serve"
        try:
            settings = load_settings(extra, os.environ if environ is None else environ)
        except SettingsError as error:
            message = f"{error} (CONTRIBUTING.md, 'Build settings')"
            if not serving:
                raise PluginError(message) from None
            # A raise would print MkDocs' traceback and stick the server: build with the defaults.
            get_plugin_logger("settings").error(f"{message}; building with the default settings")
            settings = Settings()
        session.build = BuildState(config, settings, serving=serving)
    return session.build


def current() -> BuildState | None:
    """The build under way, for events MkDocs gives no config (``on_build_error``)."""
    return session.build
