"""docs/_headers against the real built site: parses, covers every page, allows what pages need.

Pure Python. The browser tests (test_embed.py, test_print.py) serve the site
with these same headers (tests/headers_server.py), so what is checked here is
what Chromium enforces there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from built_html import read_built
from conftest import ROOT
from ipt_site.site_output.http_headers import (
    COMBINE,
    LAST_WINS,
    csp_hash,
    effective_sources,
    framing_by_any_site_allowed,
    headers_for,
    inline_scripts,
    inline_style_uses,
    parse_csp,
    parse_headers_file,
    rules_setting,
)

HEADERS_SOURCE = ROOT / "docs" / "_headers"
# Where scripts, styles, images and fonts may come from: this site only (plus
# the hashes of Material's inline scripts, and data: images inside its CSS).
ALLOWED = {
    "script-src-elem": re.compile(r"'self'|'sha256-[A-Za-z0-9+/]+=*'"),
    "style-src-elem": re.compile(r"'self'"),
    "img-src": re.compile(r"'self'|data:"),
    "font-src": re.compile(r"'self'"),
    "connect-src": re.compile(r"'self'"),
    "worker-src": re.compile(r"'self'"),
    "frame-src": re.compile(r"'self'"),
    "object-src": re.compile(r"'none'"),
}


def url_path(site_dir: Path, html_file: Path) -> str:
    rel = html_file.relative_to(site_dir).as_posix()
    return "/" + rel.removesuffix("index.html")


def html_pages(site_dir: Path) -> dict[str, Path]:
    return {url_path(site_dir, f): f for f in sorted(site_dir.rglob("*.html"))}


@pytest.fixture(scope="module")
def rules(site_dir: Path):  # type: ignore[no-untyped-def]
    return parse_headers_file((site_dir / "_headers").read_text(encoding="utf-8"))


def test_headers_file_is_copied_to_the_site_root_unchanged(site_dir: Path) -> None:
    assert (site_dir / "_headers").read_bytes() == HEADERS_SOURCE.read_bytes()


def test_headers_file_parses() -> None:
    rules = parse_headers_file(HEADERS_SOURCE.read_text(encoding="utf-8"))
    assert rules and all(rule.headers for rule in rules)


def test_every_embed_page_of_the_build_is_covered_and_frameable(site_dir: Path, rules) -> None:  # type: ignore[no-untyped-def]
    embed = [p for p in html_pages(site_dir) if p.startswith("/embed/")]
    full = [p for p in html_pages(site_dir) if p.endswith("/") and not p.startswith("/embed/")]
    assert len(embed) == len(full) >= 10, f"an embed copy per page expected: {embed} / {full}"
    for path in embed:
        for candidate in (path, path + "index.html"):
            # The same result whether the host joins repeated headers or keeps the last.
            for mode in (COMBINE, LAST_WINS):
                headers = headers_for(rules, candidate, mode)
                assert "content-security-policy" in headers, f"{candidate} ({mode}) has no CSP"
                assert framing_by_any_site_allowed(headers), f"{candidate} ({mode}) cannot be framed: {headers}"
                for policy in parse_csp(headers["content-security-policy"]):
                    if "frame-ancestors" in policy:
                        assert policy["frame-ancestors"] == ["*"], (candidate, policy)


def test_every_other_page_can_only_be_framed_by_the_site(site_dir: Path, rules) -> None:  # type: ignore[no-untyped-def]
    others = [p for p in html_pages(site_dir) if not p.startswith("/embed/")]
    assert "/" in others and "/404.html" in others and "/theory/" in others
    for path in [*others, "/no-such-page/"]:
        for mode in (COMBINE, LAST_WINS):
            headers = headers_for(rules, path, mode)
            assert not framing_by_any_site_allowed(headers), f"{path} ({mode}) may be framed by any site: {headers}"
            assert headers.get("x-frame-options", "").upper() == "SAMEORIGIN", (path, headers)
            for policy in parse_csp(headers.get("content-security-policy", "")):
                assert policy.get("frame-ancestors", ["'self'"]) == ["'self'"], (path, policy)


def test_no_path_gets_a_frame_ancestors_policy_from_two_rules(site_dir: Path, rules) -> None:  # type: ignore[no-untyped-def]
    """Two CSP rules on one path become two enforced policies on both hosts."""
    for path in html_pages(site_dir):
        setting = rules_setting(rules, path, "Content-Security-Policy")
        with_frame_ancestors = [
            r for r in setting for n, v in r.headers
            if n.lower() == "content-security-policy" and "frame-ancestors" in v
        ]
        assert len(with_frame_ancestors) <= 1, f"{path}: {[r.pattern for r in with_frame_ancestors]}"


def test_every_response_gets_the_basic_security_headers(site_dir: Path, rules) -> None:  # type: ignore[no-untyped-def]
    for path in [*html_pages(site_dir), "/assets/embed/ipt-embed.js", "/search/search_index.json"]:
        headers = headers_for(rules, path)
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") in ("strict-origin-when-cross-origin", "no-referrer"), path


def test_policy_loads_only_from_the_site_and_never_allows_unsafe_inline(site_dir: Path, rules) -> None:  # type: ignore[no-untyped-def]
    for path in html_pages(site_dir):
        headers = headers_for(rules, path)
        policies = parse_csp(headers["content-security-policy"])
        assert policies, path
        for policy in policies:
            assert policy.get("default-src") == ["'self'"], (path, policy)
            assert policy.get("base-uri") == ["'self'"], (path, policy)
            for directive, allowed in ALLOWED.items():
                sources = effective_sources(policy, directive)
                assert sources, f"{path}: {directive} is not limited"
                bad = [s for s in sources if not allowed.fullmatch(s)]
                assert not bad, f"{path}: {directive} allows {bad}"
            joined = " ".join(w for v in policy.values() for w in v)
            assert "'unsafe-inline'" not in joined and "'unsafe-eval'" not in joined, (path, policy)


def test_every_inline_script_of_the_build_is_allowed_by_hash(site_dir: Path, rules) -> None:  # type: ignore[no-untyped-def]
    missing: dict[str, list[str]] = {}
    for path, html_file in html_pages(site_dir).items():
        page = read_built(html_file)
        policies = parse_csp(headers_for(rules, path)["content-security-policy"])
        for code in inline_scripts(page):
            digest = csp_hash(code)
            for policy in policies:
                if digest not in (effective_sources(policy, "script-src-elem") or ["*"]):
                    missing.setdefault(digest, []).append(path)
        # style-src has no 'unsafe-inline': no inline style or event handler may be written.
        assert not inline_style_uses(page), f"{path}: {inline_style_uses(page)[:3]}"
    assert not missing, "add these to script-src in docs/_headers:\n" + "\n".join(
        f"  {d} (e.g. {p[0]})" for d, p in missing.items()
    )


def _documented(pattern: str) -> list[str]:
    text = (ROOT / "docs" / "for-clinics.md").read_text(encoding="utf-8")
    return re.findall(pattern, text)


def test_nginx_and_apache_examples_match_the_headers_file(rules) -> None:  # type: ignore[no-untyped-def]
    """The For clinics page shows the same policy for other servers, with frame-ancestors said directly."""
    full = headers_for(rules, "/theory/")["content-security-policy"]
    embed = headers_for(rules, "/embed/theory/", LAST_WINS)["content-security-policy"]
    assert embed == full + "; frame-ancestors *"
    nginx = _documented(r'add_header Content-Security-Policy "([^"]+)" always;')
    apache = _documented(r'Header always set Content-Security-Policy "([^"]+)"')
    for examples in (nginx, apache):
        assert examples == [full + "; frame-ancestors 'self'", embed], examples
    assert _documented(r'add_header X-Content-Type-Options "(\w+)"') == ["nosniff", "nosniff"]
    assert _documented(r'Header always set Referrer-Policy "([\w-]+)"') == [
        headers_for(rules, "/")["referrer-policy"]
    ]


@pytest.mark.parametrize("where", ["as-written", "minify-worker"])
def test_a_policy_that_would_block_a_pages_own_script_fails_the_strict_build(tmp_path: Path, where: str) -> None:
    """hooks/headers_check.py reads each page's scripts as it is written, or from the site when the
    minify worker rewrites the pages afterwards (only without the navigation cache)."""
    from conftest import copy_project, mkdocs

    project = copy_project(tmp_path / "project")
    headers = project / "docs" / "_headers"
    text = headers.read_text(encoding="utf-8")
    dropped = re.findall(r"'sha256-[^']+'", text)[0]
    headers.write_text(text.replace(" " + dropped, ""), encoding="utf-8")
    env = {"IPT_CITATION_CACHE": str(tmp_path / "cache.json")}
    if where == "minify-worker":
        env.update(IPT_NAV_CACHE="0", IPT_MINIFY_POOL_FROM="1")
    result = mkdocs("build", "--strict", "--verbose", "--site-dir", str(tmp_path / "site"), cwd=project, env=env)
    assert result.returncode != 0
    # Every page that runs the script is counted: those written as they are minified (their scripts
    # read then) and those read from the site (the 404 page, the worker's pages).
    site = tmp_path / "site"
    pages = [f for f in site.rglob("*.html") if dropped in map(csp_hash, inline_scripts(read_built(f)))]
    assert len(pages) > 2 and (site / "404.html") in pages
    assert f"blocks an inline script on {len(pages)} page(s)" in result.stderr, result.stderr[-2000:]
    assert f"add {dropped} to script-src" in result.stderr
    assert ("pages in a worker process" in result.stderr) == (where == "minify-worker")
    assert "Traceback" not in result.stderr
