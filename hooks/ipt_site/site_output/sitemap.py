"""Keep pages out of sitemap.xml: plain text in, text out (no MkDocs)."""

from __future__ import annotations

import gzip
import html
import io
import re
from collections.abc import Callable
from urllib.parse import urlsplit

_URL_ENTRY = re.compile(r"[ \t]*<url>.*?</url>[ \t]*\n?", re.DOTALL)
_LOC = re.compile(r"<loc>(.*?)</loc>", re.DOTALL)


def drop_urls(sitemap: str, drop: Callable[[str], bool]) -> str:
    """``sitemap`` without the ``<url>`` entries whose ``<loc>`` ``drop`` returns True for.

    The rest of the file is kept byte for byte, so the output stays what
    MkDocs' own template wrote.
    """

    def keep_or_drop(match: re.Match[str]) -> str:
        loc = _LOC.search(match.group(0))
        if loc and drop(html.unescape(loc.group(1).strip())):
            return ""
        return match.group(0)

    return _URL_ENTRY.sub(keep_or_drop, sitemap)


def under_path(prefix: str) -> Callable[[str], bool]:
    """A ``drop`` test for :func:`drop_urls`: the URL's path starts with ``prefix``.

    Works for absolute URLs and for the root-relative paths MkDocs writes when
    a page has no canonical URL.
    """
    prefix = "/" + prefix.lstrip("/")
    return lambda url: urlsplit(url).path.startswith(prefix)


def gzip_like(original_gz: bytes, text: str, filename: str) -> bytes:
    """``text`` gzipped with the same header timestamp as ``original_gz`` (reproducible builds)."""
    mtime = int.from_bytes(original_gz[4:8], "little") if len(original_gz) >= 8 else 0
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename=filename, mode="wb", mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()
