"""The content API as a clinic meets it: its HTTP headers, and the content API page's own examples run for real.

The Python example runs against the built site served with its own _headers;
the JavaScript example runs in real Chromium on a clinic page of another origin
(another port), so the browser enforces CORS: without the API's
Access-Control-Allow-Origin header, the same page fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from playwright.sync_api import Browser

from browser import on_console_error
from conftest import ROOT, serve
from headers_server import serve_with_headers
from ipt_site.site_output.http_headers import COMBINE, LAST_WINS, headers_for, parse_headers_file

CLINICS_PAGE = ROOT / "docs" / "for-clinics.md"  # the nginx and Apache snippets
API_PAGE = ROOT / "docs" / "content-api.md"      # the worked example and the consumers
PUBLIC_API = "https://ipt-info.example.org/api/v1/"
API_PATHS = ["/api/v1/pages.json", "/api/v1/pages/theory.json", "/api/v1/schema/page.schema.json"]
API_HEADERS = {
    "access-control-allow-origin": "*",
    "content-type": "application/json",
    "cache-control": "public, max-age=300",
}


def example(heading: str) -> str:
    """The first code block under ``heading`` on the content API page.

    The page marks its blocks ``text``: highlighting would take it over its page weight budget.
    """
    text = API_PAGE.read_text(encoding="utf-8")
    section = text[text.index(f"\n{heading}\n"):]
    match = re.search(r"^```text\n(.*?)^```$", section, re.DOTALL | re.MULTILINE)
    assert match, f"no code block under {heading!r}"
    return match.group(1)


# --- the headers -------------------------------------------------------------------------


def test_headers_file_gives_the_api_cors_json_and_a_cache_policy() -> None:
    rules = parse_headers_file((ROOT / "docs" / "_headers").read_text(encoding="utf-8"))
    for path in API_PATHS:
        for mode in (COMBINE, LAST_WINS):
            headers = headers_for(rules, path, mode)
            for name, value in API_HEADERS.items():
                assert headers.get(name) == value, (path, mode, name, headers.get(name))
            assert "set-cookie" not in headers
    for path in ("/", "/theory/", "/embed/theory/", "/search/search_index.json"):
        assert "access-control-allow-origin" not in headers_for(rules, path), path


def test_nginx_and_apache_examples_send_the_same_api_headers() -> None:
    """Both servers' own MIME tables already send .json files as application/json."""
    from test_host_snippets import apache_headers, nginx_headers

    wanted = {k: v for k, v in API_HEADERS.items() if k != "content-type"}
    for path in API_PATHS:
        for server, got in (("nginx", nginx_headers(path)), ("Apache", apache_headers(path))):
            assert {k: v for k, v in got.items() if k in wanted} == wanted, (server, path)
    for server, got in (("nginx", nginx_headers("/theory/")), ("Apache", apache_headers("/theory/"))):
        assert "access-control-allow-origin" not in got, server  # only the API is shared with other sites


def test_served_api_responses_carry_the_headers_and_no_cookie(headers_site_url: str) -> None:
    for path in API_PATHS:
        with urllib.request.urlopen(headers_site_url + path, timeout=30) as response:
            assert response.headers.get_all("Content-Type") == ["application/json"], path
            assert response.headers["Access-Control-Allow-Origin"] == "*"
            assert response.headers["Cache-Control"] == API_HEADERS["cache-control"]
            assert response.headers.get("Set-Cookie") is None
            json.load(response)


# --- the documented examples ------------------------------------------------------------------


def test_the_worked_example_on_the_clinics_page_follows_the_schema() -> None:
    schema = json.loads((ROOT / "docs" / "api" / "v1" / "schema" / "page.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        json.loads(example("## What a page file has")))


def run_python_example(api: str) -> subprocess.CompletedProcess[str]:
    code = example("## Example: Python")
    assert PUBLIC_API in code
    return subprocess.run([sys.executable, "-c", code.replace(PUBLIC_API, api)],
                          capture_output=True, text=True, timeout=120)


def test_python_example_lists_fetches_checks_and_shows_a_page(headers_site_url: str, site_dir: Path) -> None:
    result = run_python_example(headers_site_url + "/api/v1/")
    assert result.returncode == 0, result.stderr
    index = json.loads((site_dir / "api" / "v1" / "pages.json").read_text(encoding="utf-8"))
    first = json.loads((site_dir / "api" / "v1" / "pages" / f"{index['pages'][0]['slug']}.json").read_text("utf-8"))
    for entry in index["pages"]:
        assert f"{entry['slug']} | {entry['title']} | reviewed {entry['last_reviewed']}" in result.stdout
    for shown in (first["help_line"]["text"], first["attribution"]["text"], first["content"]["text"],
                  f"Last reviewed: {first['last_reviewed']}"):
        assert shown in result.stdout


def test_python_example_refuses_a_page_whose_content_does_not_match_its_hash(site_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(site_dir / "api", tmp_path / "api")
    index = json.loads((tmp_path / "api" / "v1" / "pages.json").read_text(encoding="utf-8"))
    page_file = tmp_path / "api" / "v1" / "pages" / f"{index['pages'][0]['slug']}.json"
    page = json.loads(page_file.read_text(encoding="utf-8"))
    page["content"]["html"] = page["content"]["html"].replace("IPT", "XYZ", 1)
    page_file.write_text(json.dumps(page), encoding="utf-8")
    server, url = serve(tmp_path)
    try:
        result = run_python_example(url + "/api/v1/")
    finally:
        server.shutdown()
    assert result.returncode != 0 and "the page did not arrive whole" in result.stderr


CLINIC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Example clinic</title></head>
<body><h1>Example clinic</h1>
%s
</body></html>
"""


def show_in_clinic_page(browser: Browser, tmp_path: Path, api_origin: str) -> tuple[dict[str, Any], list[str]]:
    """Open a clinic page (another origin) running the JavaScript example against ``api_origin``."""
    snippet = example("## Example: JavaScript in a web page")
    assert PUBLIC_API in snippet
    (tmp_path / "clinic.html").write_text(CLINIC_PAGE % snippet.replace(PUBLIC_API, api_origin + "/api/v1/"), "utf-8")
    server, clinic = serve(tmp_path)
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        on_console_error(page, lambda m: errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        assert clinic.split(":")[-1] != api_origin.split(":")[-1]  # another port: another origin
        page.goto(clinic + "/clinic.html", wait_until="load")
        page.wait_for_function("document.getElementById('ipt-page').textContent !== 'Loading…'", timeout=15000)
        shown = page.evaluate("""() => {
          const box = document.getElementById('ipt-page');
          const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
          return {
            text: box.innerText,
            h1: box.querySelector('h1') && box.querySelector('h1').textContent,
            tel: Array.from(box.querySelectorAll('.help a[href^="tel:"]')).filter(visible)
              .map(a => a.getAttribute('href')),
            credit: box.querySelector('.credit') ? box.querySelector('.credit').innerText : '',
            listed: box.querySelectorAll('ul li a').length,
            scripts: box.querySelectorAll('script').length,
          };
        }""")
        assert not context.cookies()
    finally:
        context.close()
        server.shutdown()
    return shown, errors


@pytest.mark.browser
def test_javascript_example_shows_a_page_on_another_origin(browser: Browser, headers_site_url: str, site_dir: Path,
                                                            tmp_path: Path) -> None:
    index = json.loads((site_dir / "api" / "v1" / "pages.json").read_text(encoding="utf-8"))
    first = json.loads((site_dir / "api" / "v1" / "pages" / f"{index['pages'][0]['slug']}.json").read_text("utf-8"))
    shown, errors = show_in_clinic_page(browser, tmp_path, headers_site_url)
    assert not errors, errors
    assert "could not be loaded" not in str(shown["text"])
    assert shown["h1"] == first["title"]
    assert shown["tel"] == [n["href"] for n in first["help_line"]["numbers"]]
    assert shown["credit"] == first["attribution"]["text"]
    assert f"Last reviewed: {first['last_reviewed']}" in str(shown["text"])
    assert shown["listed"] >= len(index["pages"]) and shown["scripts"] == 0


@pytest.mark.browser
def test_without_the_cors_header_the_javascript_example_cannot_read_the_api(
    browser: Browser, site_dir: Path, tmp_path: Path
) -> None:
    """The same page, served without Access-Control-Allow-Origin: the browser blocks the read."""
    headers = (site_dir / "_headers").read_text(encoding="utf-8")
    without = re.sub(r"^  Access-Control-Allow-Origin: \*\n", "", headers, flags=re.MULTILINE)
    assert without != headers
    server, url = serve_with_headers(site_dir, headers_text=without)
    try:
        shown, errors = show_in_clinic_page(browser, tmp_path, url)
    finally:
        server.shutdown()
    assert "Our information could not be loaded." in str(shown["text"])
    assert any("CORS" in e or "Access-Control-Allow-Origin" in e for e in errors), errors
