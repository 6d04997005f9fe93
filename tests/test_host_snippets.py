"""The nginx and Apache settings on the For clinics page send what docs/_headers sends.

docs/_headers is for Cloudflare Pages and Netlify; docs/for-clinics.md ("For web
hosts") gives the same headers, caching and compression for nginx and Apache. Each
snippet is read as its server would apply it, for every file of the built site.
(The Content-Security-Policy and framing lines are compared in test_headers.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from ipt_site.site_output.http_headers import LAST_WINS, headers_for, parse_headers_file, url_path_of

PAGE = (ROOT / "docs" / "for-clinics.md").read_text(encoding="utf-8")
RULES = parse_headers_file((ROOT / "docs" / "_headers").read_text(encoding="utf-8"))
HOST_DEFAULT_CACHE = "public, max-age=0, must-revalidate"  # what Cloudflare sends when _headers says nothing
LONG = "public, max-age=31536000, immutable"
# One Apache line 'Header always set NAME "VALUE"' (or unset NAME): its action, name and value.
_APACHE_HEADER = r'Header always (set|unset) ([\w-]+)(?: "([^"]*)")?'
# Content-Type: both servers send .json as application/json from their own MIME tables
# (tests/test_content_api_serve.py serves the API with it).
COMPARED_ELSEWHERE = {"content-security-policy", "x-frame-options", "content-type"}


def blocks(server: str) -> list[str]:
    """The code blocks after a paragraph naming the server ("nginx:", "Apache (with …):").

    Plain-text blocks: highlighted, the nginx and Apache settings would cost the page
    about 0.4 kB more gzipped, past its second-visit budget (tests/test_page_weight.py).
    """
    return re.findall(rf"^{server}\b[^\n]*:\n\n```text\n(.*?)```", PAGE, re.DOTALL | re.MULTILINE | re.IGNORECASE)


def nginx_headers(path: str) -> dict[str, str]:
    """Headers of the longest matching ``location`` prefix, with ``$variables`` from their ``map``.

    A header whose value comes out empty is not sent, as in nginx.
    """
    config = "\n".join(blocks("nginx"))
    locations = dict(re.findall(r"location (\S+) \{(.*?)\n\}", config, re.DOTALL))
    prefix = max((p for p in locations if path.startswith(p)), key=len)
    found = {}
    for name, value in re.findall(r'add_header ([\w-]+) ("[^"]*"|\$\w+) always;', locations[prefix]):
        value = nginx_map(value[1:], path) if value.startswith("$") else value.strip('"')
        if value:
            found[name.lower()] = value
    return found


def nginx_map(variable: str, path: str) -> str:
    """The value ``map $uri $variable { … }`` gives ``path`` (one line or several)."""
    body = re.search(rf"map \$uri \${variable} \{{(.*?)\}}", "\n".join(blocks("nginx")), re.DOTALL)
    assert body, f"the nginx map for ${variable} is missing"
    entries: list[tuple[str, str]] = re.findall(r'(\S+)\s+"([^"]*)";', body.group(1))
    for pattern, value in entries:  # nginx: the first matching regex wins
        if pattern.startswith("~") and re.search(pattern[1:], path):
            return value
    return dict(entries)["default"]


def apache_headers(path: str) -> dict[str, str]:
    """``Header always set/unset`` lines in file order; a ``LocationMatch`` applies when its regex matches."""
    found: dict[str, str] = {}
    for block in blocks("apache"):
        for match in re.finditer(r'<LocationMatch "([^"]+)">(.*?)</LocationMatch>|^' + _APACHE_HEADER,
                                 block, re.DOTALL | re.MULTILINE):
            if match.group(1) is not None:
                if re.search(match.group(1), path):
                    for action, name, value in re.findall(_APACHE_HEADER, match.group(2)):
                        _apply(found, action, name, value)
            else:
                _apply(found, match.group(3), match.group(4), match.group(5) or "")
    return found


def _apply(found: dict[str, str], action: str, name: str, value: str) -> None:
    if action == "set":
        found[name.lower()] = value
    else:
        found.pop(name.lower(), None)


def expected(path: str) -> dict[str, str]:
    headers = headers_for(RULES, path, LAST_WINS)
    headers.setdefault("cache-control", HOST_DEFAULT_CACHE)
    return headers


def built_paths(site_dir: Path) -> list[str]:
    return sorted(url_path_of(p.relative_to(site_dir).as_posix()) for p in site_dir.rglob("*") if p.is_file())


def test_both_snippets_send_the_same_headers_as_the_headers_file_for_every_built_file(site_dir: Path) -> None:
    paths = [*built_paths(site_dir), "/api/v1/pages.json", "/no-such-page/"]
    for path in paths:
        want = {k: v for k, v in expected(path).items() if k not in COMPARED_ELSEWHERE}
        for server, got in (("nginx", nginx_headers(path)), ("Apache", apache_headers(path))):
            got = {k: v for k, v in got.items() if k not in COMPARED_ELSEWHERE}
            assert got == want, f"{server} and docs/_headers differ for {path}:\n  {server}: {got}\n  _headers: {want}"


def test_long_caching_only_for_files_named_by_their_content(site_dir: Path) -> None:
    long_cached = [p for p in built_paths(site_dir) if expected(p)["cache-control"] == LONG]
    assert any("/bundle." in p for p in long_cached) and any("/main." in p for p in long_cached)
    for path in long_cached:
        name = path.rsplit("/", 1)[-1]
        assert re.search(r"\.[0-9a-f]{8}\.", name), f"{path} is cached for a year but its name has no content hash"
    for path in built_paths(site_dir):
        if path.endswith(("/", ".html", ".json", ".xml")) or "/embed/" in path:
            assert expected(path)["cache-control"] in (HOST_DEFAULT_CACHE, "public, max-age=300"), path


def test_no_path_gets_cache_control_from_two_rules() -> None:
    """Both hosts join repeated headers: two Cache-Control values would contradict each other."""
    for path in ["/", "/theory/", "/assets/javascripts/bundle.a5f9d56c.min.js", "/assets/stylesheets/main.1.purged.css",
                 "/assets/javascripts/workers/search.a7633da7.min.js", "/api/v1/pages.json"]:
        setting = [r.pattern for r in RULES
                   if r.matches(path) and any(n.lower() == "cache-control" for n, _ in r.headers)]
        assert len(setting) <= 1, (path, setting)


@pytest.mark.parametrize("language", ["nginx", "apache"])
def test_both_servers_compress_with_gzip_and_brotli(language: str) -> None:
    text = "\n".join(blocks(language))
    if language == "nginx":
        assert re.search(r"^gzip on;", text, re.MULTILINE) and re.search(r"^brotli on;", text, re.MULTILINE)
        types = re.findall(r"^(?:gzip|brotli)_types (.*);", text, re.MULTILINE)
    else:
        types = re.findall(r"^AddOutputFilterByType (?:DEFLATE|BROTLI_COMPRESS) (.*)$", text, re.MULTILINE)
    compressed = {"text/css", "application/javascript", "application/json"}
    assert len(types) == 2 and all(compressed <= set(t.split()) for t in types)
