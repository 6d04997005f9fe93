"""The embeddable copy of every page: where it lives, what it says, where its links go.

Plain functions on strings (no MkDocs), used by ``hooks/embed.py``. Every page
``X/`` also exists at ``embed/X/``: the same content for a clinic's iframe, with
no site chrome, whose links leave the frame for the full pages.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import yaml

from ipt_site.sources.front_matter import split_front_matter

EMBED_DIR = "embed"
EMBED_TEMPLATE = "embed.html"
# Front matter key naming the full page's source, so the hook can find it again.
EMBED_OF_KEY = "embed_of"
# The message an embed page posts to its parent, and the one the parent may ask with.
HEIGHT_MESSAGE = "ipt-embed:height"
HEIGHT_REQUEST = "ipt-embed:request-height"
# What the snippet names the site by in the iframe's accessible title.
IFRAME_TITLE_SUFFIX = "IPT information"
DEFAULT_IFRAME_HEIGHT = 800
PARENT_SCRIPT = "assets/embed/ipt-embed.js"

# The body of a generated embed page. Its real content is the full page's
# rendered HTML (see rebase_urls), so the Markdown is never rendered twice and
# relative links keep resolving from the full page's own location.
PLACEHOLDER_BODY = "<!-- Embeddable copy: the content is taken from the full page at build time. -->\n"


def embed_src_uri(src_uri: str) -> str:
    """``theory.md`` -> ``embed/theory.md``."""
    return f"{EMBED_DIR}/{src_uri}"


def is_embed_src(src_uri: str) -> bool:
    return src_uri.startswith(EMBED_DIR + "/")


def embed_url(page_url: str) -> str:
    """The embed copy's URL (relative to the site root) of a full page's URL."""
    return f"{EMBED_DIR}/{page_url}"


def embed_front_matter(meta: Mapping[str, Any], src_uri: str) -> dict[str, Any]:
    """The full page's front matter plus what makes its copy an embed page."""
    result = dict(meta)
    result["template"] = EMBED_TEMPLATE
    # Material's search plugin leaves pages with this out of the index.
    result["search"] = {**(result.get("search") or {}), "exclude": True}
    result[EMBED_OF_KEY] = src_uri
    return result


# PyYAML's libyaml bindings where the wheel has them: ten times faster, which
# counts once per page on a big site (1,000 pages: about 0.5 s).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def embed_markdown(source_text: str, src_uri: str) -> str:
    """The generated Markdown of ``src_uri``'s embed copy: front matter and a placeholder."""
    split = split_front_matter(source_text)
    meta = yaml.load(split.front_matter or "", Loader=_YAML_LOADER) or {}
    if not isinstance(meta, dict):
        meta = {}
    front = yaml.dump(embed_front_matter(meta, src_uri), Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{PLACEHOLDER_BODY}"


# --- links -------------------------------------------------------------------------

# An opening tag in rendered HTML. Code shown on a page has its "<" escaped, so
# examples inside code blocks are never taken for tags.
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?)?(/?)>")
# The same, for <a> tags only: no match of _TAG holds a "<" after its first, so _LINK_TAG
# finds exactly the <a> tags _TAG does, without stopping at every other tag on the page.
_LINK_TAG = re.compile(r"<([aA])(\s[^<>]*?)?(/?)>")
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_URL_ATTRS = ("href", "src")


def _parse_attrs(text: str) -> list[tuple[str, str | None]]:
    attrs: list[tuple[str, str | None]] = []
    for match in _ATTR.finditer(text or ""):
        value = next((v for v in match.groups()[1:] if v is not None), None)
        attrs.append((match.group(1), value))
    return attrs


def _format_tag(name: str, attrs: list[tuple[str, str | None]], selfclose: str) -> str:
    parts = [name]
    for key, value in attrs:
        parts.append(key if value is None else f'{key}="{value}"')
    return "<" + " ".join(parts) + selfclose + ">"


def _resolve(base_url: str, path: str) -> str:
    """Site-root-relative path of ``path`` as seen from the page at ``base_url``."""
    base_dir = base_url if base_url.endswith("/") or not base_url else posixpath.dirname(base_url) + "/"
    joined = posixpath.normpath(posixpath.join(base_dir or ".", path))
    if joined == ".":
        joined = ""
    if path.endswith("/") and joined and not joined.endswith("/"):
        joined += "/"
    return joined


def relative_url(target: str, from_url: str) -> str:
    """Relative link from the page at ``from_url`` to ``target`` (both site-root-relative)."""
    from_dir = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(target or ".", from_dir or ".")
    if target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/"
    return rel


def _is_relative_path(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("/", "#", "?")) or not parts.path)


def _rebase(url: str, from_url: str, to_url: str) -> str:
    if not _is_relative_path(url):
        return url
    parts = urlsplit(url)
    target = _resolve(from_url, parts.path)
    new = relative_url(target, to_url)
    if parts.query:
        new += "?" + parts.query
    if parts.fragment:
        new += "#" + parts.fragment
    return new


def rebase_urls(content: str, from_url: str, to_url: str) -> str:
    """Make the relative ``href``/``src`` URLs in ``content`` work from ``to_url``.

    ``content`` was rendered for the page at ``from_url``; fragments, absolute
    and external URLs are left alone.
    """

    def fix(match: re.Match[str]) -> str:
        text = match.group(2)
        # Most tags have no URL attribute: not parsed (about 0.5 s at 1,000 pages).
        if not text or not any(name in text.lower() for name in _URL_ATTRS):
            return match.group(0)
        attrs = _parse_attrs(text)
        if not any(key.lower() in _URL_ATTRS for key, _ in attrs):
            return match.group(0)
        fixed = [
            (key, _rebase(html.unescape(value), from_url, to_url) if key.lower() in _URL_ATTRS and value else value)
            for key, value in attrs
        ]
        fixed = [(k, html.escape(v, quote=True) if k.lower() in _URL_ATTRS and v else v) for k, v in fixed]
        return _format_tag(match.group(1), fixed, match.group(3))

    return _TAG.sub(fix, content)


def _full_page_path(path: str) -> str:
    """``embed/theory/`` -> ``theory/``; anything else unchanged."""
    if path == EMBED_DIR or path == EMBED_DIR + "/":
        return ""
    if path.startswith(EMBED_DIR + "/"):
        return path[len(EMBED_DIR) + 1:]
    return path


def frame_link(href: str, page_url: str, site_url: str) -> tuple[str, dict[str, str]]:
    """Where a link on the embed page at ``page_url`` goes, and the attributes it needs.

    In-site links go to the full page, in the whole window (``target="_top"``),
    never inside the clinic's iframe; links to other sites open in a new tab.
    Fragments stay in the frame; ``tel:`` and ``mailto:`` are left alone.
    """
    parts = urlsplit(href)
    if not href or href.startswith("#") or parts.scheme in ("tel", "mailto", "sms", "javascript"):
        return href, {}
    site = urlsplit(site_url) if site_url else None
    in_site_absolute = bool(
        site and parts.scheme in ("http", "https") and parts.netloc == site.netloc
        and parts.path.startswith(site.path or "/")
    )
    if parts.scheme or parts.netloc:
        if not in_site_absolute:
            return href, {"target": "_blank", "rel": "noopener"}
        base = site.path or "/"  # type: ignore[union-attr]
        full = _full_page_path(parts.path[len(base):].lstrip("/") if base != "/" else parts.path.lstrip("/"))
        new = f"{parts.scheme}://{parts.netloc}{base.rstrip('/')}/{full}"
    elif href.startswith("/"):
        new = href  # root-absolute: cannot know the site's base here, leave the path
    else:
        target = _full_page_path(_resolve(page_url, parts.path))
        new = relative_url(target, page_url)
    if parts.query:
        new += "?" + parts.query
    if parts.fragment:
        new += "#" + parts.fragment
    return new, {"target": "_top"}


def frame_links(page_html: str, page_url: str, site_url: str) -> str:
    """Apply :func:`frame_link` to every ``<a href>`` of an embed page's HTML."""

    def fix(match: re.Match[str]) -> str:
        attrs = _parse_attrs(match.group(2) or "")
        href = next((v for k, v in attrs if k.lower() == "href"), None)
        if href is None:
            return match.group(0)
        new_href, extra = frame_link(html.unescape(href), page_url, site_url)
        out: list[tuple[str, str | None]] = []
        for key, value in attrs:
            low = key.lower()
            if low == "href":
                out.append((key, html.escape(new_href, quote=True)))
            elif low == "target" and "target" in extra:
                continue
            elif low == "rel" and "rel" in extra:
                words = (value or "").split()
                words += [w for w in extra["rel"].split() if w not in words]
                out.append((key, " ".join(words)))
            else:
                out.append((key, value))
        present = {k.lower() for k, _ in out}
        out += [(k, v) for k, v in extra.items() if k not in present]
        return _format_tag(match.group(1), out, match.group(3))

    return _LINK_TAG.sub(fix, page_html)


# --- what the pages show -------------------------------------------------------------


def embed_snippet(site_url: str, page_url: str, title: str) -> str:
    """The ready-to-paste HTML a clinic copies from a full page's "Embed this page" block."""
    base = site_url.rstrip("/") + "/"
    label = html.escape(f"{title} \u2014 {IFRAME_TITLE_SUFFIX}", quote=True)
    return (
        f'<iframe src="{base}{embed_url(page_url)}" title="{label}" loading="lazy" '
        f'data-ipt-embed width="100%" height="{DEFAULT_IFRAME_HEIGHT}" style="border:0"></iframe>\n'
        f'<script src="{base}{PARENT_SCRIPT}" defer></script>'
    )


def review_date(value: object) -> tuple[str, str] | None:
    """``(ISO date, "22 November 2026")`` from a front matter date, or None if it is not one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, dt.date):
        return None
    return value.isoformat(), f"{value.day} {value:%B %Y}"
