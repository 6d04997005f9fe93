"""docs/_headers scored with Mozilla HTTP Observatory's published rules: A+ on every page.

The scorer (hooks/ipt_site/site_output/observatory.py) implements the Observatory's rules for
the headers the site sends; the redirection to HTTPS is a host setting (Cloudflare
Pages does it) and is assumed, and the site loads no script from another origin
(tests/test_site_build.py::test_no_third_party_resources_in_pages).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from ipt_site.site_output.http_headers import COMBINE, LAST_WINS, headers_for, parse_headers_file
from ipt_site.site_output.observatory import grade_for, score_headers

RULES = parse_headers_file((ROOT / "docs" / "_headers").read_text(encoding="utf-8"))
CSP = "default-src 'self'; script-src 'self'; object-src 'none'"


@pytest.mark.parametrize("mode", [COMBINE, LAST_WINS])
@pytest.mark.parametrize("path", ["/", "/theory/", "/404.html", "/no-such-page/", "/embed/theory/"])
def test_every_page_scores_a_plus(path: str, mode: str) -> None:
    result = score_headers(headers_for(RULES, path, mode))
    assert result.grade == "A+", f"{path} ({mode}): {result.explain()}"


def test_the_home_page_score_and_what_makes_it() -> None:
    result = score_headers(headers_for(RULES, "/"))
    assert result.score == 110, result.explain()
    assert result.results["strict-transport-security"] == "hsts-implemented-max-age-at-least-six-months"
    assert result.results["content-security-policy"] == "csp-implemented-with-no-unsafe"
    assert result.results["referrer-policy"] == "referrer-policy-private"


def test_hsts_and_the_other_new_headers_are_sent_once_on_every_path() -> None:
    """Both hosts join a header set by two rules with ", ": HSTS is then invalid."""
    for path in ["/", "/theory/", "/embed/theory/", "/assets/javascripts/bundle.a5f9d56c.min.js", "/api/v1/pages.json"]:
        headers = headers_for(RULES, path)
        assert headers["strict-transport-security"] == "max-age=63072000", path
        assert headers["cross-origin-opener-policy"] == "same-origin", path
        policy = headers["permissions-policy"]
        assert "camera=()" in policy and "," not in policy.replace("), ", ")|"), path


# --- the scorer itself, on cases worked out by hand from the published rules ---------


def test_no_headers_at_all_is_a_d() -> None:
    result = score_headers({})
    # CSP -25, HSTS -20, X-Content-Type-Options -5, X-Frame-Options -20: 30, no bonuses below 90.
    assert (result.score, result.grade) == (30, "D"), result.explain()


@pytest.mark.parametrize(("headers", "result_name", "score"), [
    ({"content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"},
     "csp-implemented-with-unsafe-inline", 80),
    ({"content-security-policy": "default-src 'self'; script-src 'self' 'sha256-x=' 'unsafe-inline'"},
     "csp-implemented-with-no-unsafe", 105),
    ({"content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-eval'"},
     "csp-implemented-with-unsafe-eval", 90),
    ({"content-security-policy": "default-src 'self'; object-src https:"}, "csp-implemented-with-unsafe-inline", 80),
    ({"content-security-policy": "default-src 'self'; img-src http://x.example"},
     "csp-implemented-with-insecure-scheme-in-passive-content-only", 90),
    ({"content-security-policy": "default-src 'none'"}, "csp-implemented-with-no-unsafe-default-src-none", 110),
    # MaterialX's Pagefind needs 'wasm-unsafe-eval': not 'unsafe-eval' to the Observatory.
    ({"content-security-policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'"},
     "csp-implemented-with-no-unsafe", 105),
])
def test_csp_rules(headers: dict[str, str], result_name: str, score: int) -> None:
    base = {"strict-transport-security": "max-age=31536000", "x-content-type-options": "nosniff",
            "x-frame-options": "DENY"}
    result = score_headers({**base, **headers})
    assert result.results["content-security-policy"] == result_name
    assert result.score == score, result.explain()


@pytest.mark.parametrize(("value", "expected"), [
    ("max-age=15552000", "hsts-implemented-max-age-at-least-six-months"),
    ("max-age=15551999; includeSubDomains", "hsts-implemented-max-age-less-than-six-months"),
    ("max-age=63072000, max-age=63072000", "hsts-header-invalid"),
    ("includeSubDomains", "hsts-header-invalid"),
])
def test_hsts_rules(value: str, expected: str) -> None:
    assert score_headers({"strict-transport-security": value}).results["strict-transport-security"] == expected


def test_frame_ancestors_counts_as_x_frame_options_and_referrer_and_corp_rules() -> None:
    good = {"content-security-policy": CSP + "; frame-ancestors 'self'",
            "strict-transport-security": "max-age=63072000",
            "x-content-type-options": "nosniff"}
    result = score_headers(good)
    assert result.results["x-frame-options"] == "x-frame-options-implemented-via-csp"
    assert result.score == 110, result.explain()
    assert score_headers({**good, "referrer-policy": "unsafe-url"}).score == 100 - 5 + 10
    assert score_headers({**good, "cross-origin-resource-policy": "same-origin"}).score == 120
    credentials_to_all = {"access-control-allow-origin": "*", "access-control-allow-credentials": "true"}
    assert score_headers({**good, **credentials_to_all}).grade == "C"


@pytest.mark.parametrize(("score", "grade"), [(135, "A+"), (100, "A+"), (99, "A"), (90, "A"), (89, "A-"), (84, "B+"),
                                              (79, "B"), (69, "B-"), (64, "C+"), (59, "C"), (49, "C-"), (44, "D+"),
                                              (34, "D"), (29, "D-"), (24, "F"), (-10, "F")])
def test_grade_chart(score: int, grade: str) -> None:
    assert grade_for(score) == grade


def test_the_headers_before_this_change_were_not_a_plus(tmp_path: Path) -> None:
    """The same file without HSTS: what GitHub-Pages-era headers scored (80, B+)."""
    headers_file = (ROOT / "docs" / "_headers").read_text(encoding="utf-8")
    rules = parse_headers_file("\n".join(line for line in headers_file.splitlines()
                                         if "Strict-Transport-Security" not in line))
    assert score_headers(headers_for(rules, "/")).grade == "B+"
