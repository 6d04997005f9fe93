"""A local static server that sends the site's own ``_headers``, as Netlify or Cloudflare Pages would.

The browser tests serve the built site through this, so the security policy
they check in Chromium is exactly the one in docs/_headers (copied to the site
root by MkDocs), combined as both hosts combine headers from several rules.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from ipt_site.site_output.http_headers import COMBINE, Rule, headers_for, parse_headers_file


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    rules: ClassVar[list[Rule]] = []
    mode: str = COMBINE
    prefix: str = "/"  # where the site lives, e.g. "/ipt-site/" for a project-path site_url

    def _site_path(self, path: str) -> str:
        """The path within the site (what _headers patterns match), or "" outside it."""
        return "/" + path[len(self.prefix):] if path.startswith(self.prefix) else ""

    def translate_path(self, path: str) -> str:
        inside = self._site_path(unquote(urlsplit(path).path))
        return super().translate_path(inside) if inside else str(Path(self.directory) / "\0outside")

    def _headers(self) -> dict[str, str]:
        path = self._site_path(unquote(urlsplit(self.path).path)) or "/"
        return headers_for(self.rules, path, self.mode)

    def send_header(self, keyword: str, value: str) -> None:
        # A header the file sets replaces the server's own (e.g. Content-Type), as on both hosts.
        if keyword.lower() not in self._headers():
            super().send_header(keyword, value)

    def end_headers(self) -> None:
        for name, value in self._headers().items():
            super().send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve_with_headers(
    site_dir: Path, mode: str = COMBINE, headers_text: str | None = None, prefix: str = "/"
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site_dir`` at ``prefix`` on a free loopback port with the headers its ``_headers`` file sets.

    ``headers_text`` stands in for the file (a test's variant of it).
    """
    if headers_text is None:
        headers_text = (site_dir / "_headers").read_text(encoding="utf-8")
    rules = parse_headers_file(headers_text)
    handler_class = type("Handler", (_HeadersHandler,), {"rules": rules, "mode": mode, "prefix": prefix})
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
