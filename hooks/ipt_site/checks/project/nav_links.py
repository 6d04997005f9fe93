"""The menu and the links between pages agree with the files in docs/.

MkDocs warns (and ``--strict`` fails) when a page is in neither ``nav:`` nor
``not_in_nav:``, when ``nav:`` names a file that is not there, when a page links
to a ``.md`` page that does not exist, or to an anchor its target page does not
have (mkdocs.yml's ``validation:``). Its warnings name no line; these problems do.

Anchors are found by rendering the target page with Python-Markdown and the
site's own extensions, and reading every ``id`` (and ``<a name>``) of the HTML,
as MkDocs collects them. Re-implementing the toc extension's slugs would miss
what changes them: inline markup and entities in a heading, its suffix after an
``attr_list`` id or raw HTML id of the same name, headings in admonitions and
``md_in_html`` blocks. Only pages that some link points into are rendered.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urlsplit

import markdown
import pathspec
import yaml

from ipt_site.citation_rendering.prepare import REFERENCES_SECTION
from ipt_site.codes import Code
from ipt_site.problems import Problem, line_col
from ipt_site.sources.page_markup import scan_markup

if TYPE_CHECKING:
    from ipt_site.checks.site_context import Project

NOT_IN_NAV = Code.NAV001.name
NAV_FILE_MISSING = Code.NAV002.name
PAGE_MISSING = Code.LNK001.name
ANCHOR_MISSING = Code.LNK002.name

# Extensions MkDocs always loads, before the configured ones.
MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")
# MkDocs' default exclude_docs: such files are not built, so never missing from the nav.
DEFAULT_EXCLUDE = (".*", "/templates/")


# --- nav -------------------------------------------------------------------------


def check_nav(config_path: str, config_text: str, docs_files: Iterable[str], pages: Iterable[str]) -> list[Problem]:
    """NAV001 for a page in no menu, NAV002 for a menu entry whose file is missing.

    ``docs_files`` are every file in docs/ and ``pages`` its Markdown pages, relative to docs/.
    """
    try:
        root = yaml.compose(config_text, Loader=yaml.SafeLoader)  # nodes keep their lines; tags are not built
    except yaml.YAMLError:
        return []  # MkDocs reports a broken mkdocs.yml itself, before any page
    settings = _top_level(root)
    nav = settings.get("nav")
    if nav is None:
        return []  # no nav: MkDocs puts every page in it
    files = set(docs_files)
    problems: list[Problem] = []
    in_nav: set[str] = set()
    for node in _nav_entries(nav):
        target = str(node.value)
        scheme, netloc, *_ = urlsplit(target)
        if scheme or netloc or target.startswith("/"):
            continue  # an external link or an absolute path: not a file in docs/
        path = posixpath.normpath(target)
        if path in files:
            in_nav.add(path)
            continue
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        problems.append(Problem(
            config_path, line, column, NAV_FILE_MISSING,
            f"the menu (nav:) names '{target}', but there is no docs/{path}",
            "correct the file name (it is relative to docs/), or remove the entry"))
    spec = _spec(DEFAULT_EXCLUDE) + _spec(_lines(settings.get("exclude_docs")))
    not_in_nav = _spec(_lines(settings.get("not_in_nav")))
    key = settings.get("nav_key")
    line, column = (key.start_mark.line + 1, key.start_mark.column + 1) if key is not None else (0, 0)
    for page in sorted(pages):
        if page in in_nav or spec.match_file(page) or not_in_nav.match_file(page):
            continue
        problems.append(Problem(
            config_path, line, column, NOT_IN_NAV,
            f"docs/{page} is in neither the menu (nav:) nor not_in_nav:",
            f"add it under 'nav:' (e.g. '  - Its title: {page}'), or add '/{page}' to 'not_in_nav:' "
            "if readers reach it by a link"))
    return problems


def _top_level(root: yaml.Node | None) -> dict[str, Any]:
    """mkdocs.yml's top-level values as nodes, plain text for the path lists, and the 'nav' key node."""
    found: dict[str, Any] = {}
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        name = str(key.value)
        if name == "nav":
            found["nav"], found["nav_key"] = value, key
        elif name in ("not_in_nav", "exclude_docs") and isinstance(value, yaml.ScalarNode):
            found[name] = str(value.value)
    return found


def _nav_entries(node: yaml.Node) -> Iterable[yaml.ScalarNode]:
    """Every file or URL in the nav, as MkDocs walks it: lists, titles mapped to paths, sections."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nav_entries(item)
    elif isinstance(node, yaml.MappingNode):
        for _title, value in node.value:
            yield from _nav_entries(value)
    elif isinstance(node, yaml.ScalarNode) and node.value:
        yield node


def _lines(value: Any) -> list[str]:
    return [line for line in str(value or "").splitlines() if line.strip()]


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    # The same gitignore-style matcher MkDocs uses for not_in_nav and exclude_docs.
    return pathspec.GitIgnoreSpec.from_lines(lines)


# --- links between pages -----------------------------------------------------------


class LinkedPage(NamedTuple):
    shown: str          # the path problems name, e.g. docs/theory.md
    body: str           # the Markdown without front matter
    line_offset: int    # the body's first line number, less one
    cites: bool         # hooks/citations.py appends a "References" heading (an anchor too)
    code_ranges: Sequence[tuple[int, int]] | None = None  # the page's find_code_ranges, if at hand


def check_links(
    pages: Mapping[str, LinkedPage],
    markdown_extensions: Sequence[Any] = (),
) -> list[Problem]:
    """LNK001 for a link to a missing ``.md`` page, LNK002 for a link to a missing anchor.

    ``pages`` maps each page's path relative to docs/ (as links name it) to the page.
    """
    anchors = _AnchorFinder(markdown_extensions, pages)
    problems: list[Problem] = []
    for source, (shown, body, line_offset, _cites, code_ranges) in pages.items():
        if "](" not in body and "]:" not in body:
            continue  # no inline link and no reference definition: nothing to parse
        for link in scan_markup(body, None if code_ranges is None else list(code_ranges)).links:
            if link.kind not in ("link", "reference definition"):
                continue  # images and autolinks never name a page
            scheme, netloc, path, _query, anchor = urlsplit(link.url.strip())
            if scheme or netloc or link.url.startswith(("/", "\\")):
                continue  # external, or absolute (MkDocs' absolute_links)
            path = unquote(path)
            if path and not path.endswith(".md"):
                continue  # folders and other files: not pages
            target = _target(source, path) if path else source
            line, column = line_col(body, link.offset)
            where = (shown, line + line_offset, column)
            if target not in pages:
                problems.append(Problem(
                    *where, PAGE_MISSING,
                    f"link to '{link.url}', but there is no page docs/{target}",
                    _suggest(target, pages) or "correct the file name: links are relative to this page's folder"))
            elif anchor and not anchors.has(target, anchor):
                on = "this page" if target == source else f"docs/{target}"
                problems.append(Problem(
                    *where, ANCHOR_MISSING,
                    f"link to '{link.url}', but {on} has no heading or id '#{anchor}'",
                    anchors.hint(target, anchor)))
    return problems


def _target(source: str, path: str) -> str:
    """The page a relative link leads to, relative to docs/ (MkDocs' _target_uri)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), path).lstrip("/"))


def _suggest(target: str, pages: Iterable[str]) -> str:
    name = posixpath.basename(target)
    same = sorted(page for page in pages if posixpath.basename(page) == name)
    return f"did you mean docs/{same[0]}? Links are relative to this page's folder" if same else ""


class _AnchorFinder:
    """The ids of each page's HTML, rendered on first use and kept."""

    def __init__(self, markdown_extensions: Sequence[Any], pages: Mapping[str, LinkedPage]) -> None:
        self._pages = pages
        self._extensions = markdown_extensions
        self._renderer: markdown.Markdown | None = None
        self._ids: dict[str, set[str] | None] = {}

    def has(self, page: str, anchor: str) -> bool:
        ids = self.ids(page)
        return ids is None or anchor in ids  # a page that cannot be rendered here: the build will say

    def ids(self, page: str) -> set[str] | None:
        if page not in self._ids:
            self._ids[page] = self._render_ids(self._pages[page])
        return self._ids[page]

    def hint(self, page: str, anchor: str) -> str:
        ids = sorted(self.ids(page) or ())
        close = [i for i in ids if anchor.lower().replace("_", "-") in i or i in anchor.lower()]
        known = ", ".join(f"#{i}" for i in (close or ids)[:6])
        return ("a heading's anchor is its text in lower case, spaces as '-', punctuation dropped; "
                f"that page has: {known}" if known else "that page has no headings or ids to link to")

    def _render_ids(self, page: LinkedPage) -> set[str] | None:
        try:
            if self._renderer is None:
                self._renderer = markdown_renderer(self._extensions)
            return page_anchors(page, self._renderer)
        except Exception:  # noqa: BLE001 - an extension that does not load here: the build itself reports it
            return None


def page_anchors(page: LinkedPage, renderer: markdown.Markdown) -> set[str]:
    """Every anchor a link may name on ``page``, as the built page has them."""
    html = renderer.reset().convert(page.body + (REFERENCES_SECTION if page.cites else ""))
    collector = _IdCollector()
    collector.feed(html)
    collector.close()
    return collector.ids


def markdown_renderer(markdown_extensions: Sequence[Any]) -> markdown.Markdown:
    """Python-Markdown with MkDocs' built-in extensions and mkdocs.yml's (names, or one-key mappings)."""
    names: list[str] = list(MKDOCS_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    for item in markdown_extensions:
        entries = item.items() if isinstance(item, Mapping) else [(item, None)]
        for name, config in entries:
            if str(name) not in names:
                names.append(str(name))
            if isinstance(config, Mapping):
                configs[str(name)] = {k: v for k, v in config.items() if v is not None}
    return markdown.Markdown(extensions=names, extension_configs=configs)


class _IdCollector(HTMLParser):
    """Every ``id`` and ``<a name>`` in the HTML: what MkDocs accepts as an anchor."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


def check(project: Project) -> list[Problem]:
    """A page missing from the menu, a menu entry or link to a missing page or anchor (MkDocs' validation:).

    Link problems are added to their pages' problems too, for the banner while serving.
    """
    if project.site is None:
        return []
    docs_dir = project.docs_dir
    prefix = project.shown(docs_dir).rstrip("/") + "/"
    pages = {path.removeprefix(prefix): LinkedPage(path, page.body, page.line_offset, bool(page.blocks),
                                                        page.code_ranges)
             for path, page in project.site.pages.items()}
    files = set(pages) | {file.relative_to(docs_dir).as_posix() for file in docs_dir.rglob("*") if file.is_file()}
    problems = check_nav(project.shown(project.config_file), project.config_text, files, pages)
    links = check_links(pages, project.markdown_extensions)
    for problem in links:
        project.site.pages[problem.path].problems.append(problem)
    return problems + links
