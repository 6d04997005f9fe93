"""Score response headers with Mozilla HTTP Observatory's published rules (a small subset).

The rules and modifiers are those of mdn/mdn-http-observatory (src/grader/charts.js
and src/analyzer/tests/*.js): every site starts at 100, penalties are taken off,
and bonuses are added only if the result is still 90 or more; 100 and over is A+.

Implemented from headers alone: Content-Security-Policy, Strict-Transport-Security,
Referrer-Policy, X-Content-Type-Options, X-Frame-Options, Cross-Origin-Resource-Policy,
CORS (Access-Control-Allow-Origin/-Credentials) and cookies (Set-Cookie present or not).
Not implemented, passed in by the caller instead: the HTTP-to-HTTPS redirection (a host
setting) and Subresource Integrity (read from the page: scripts from other origins).
Not implemented at all: HSTS preloading (a list lookup). With several CSP policies,
each is scored and the worst result counts (the Observatory merges them first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipt_site.site_output.http_headers import parse_csp

MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-not-implemented": -25,
    "cookies-not-found": 0,
    "cookies-found-not-scored": 0,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-to-https": 0,
    "redirection-missing": -20,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}
GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
          (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
SIX_MONTHS = 15_552_000  # the Observatory's own figure ("a white lie" below 15768000)
_BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
_UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
_PRIVATE_REFERRERS = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
_UNSAFE_REFERRERS = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}


@dataclass
class Score:
    score: int
    grade: str
    results: dict[str, str] = field(default_factory=dict)  # test -> result

    def explain(self) -> str:
        return f"{self.score} ({self.grade}): " + ", ".join(
            f"{result} {MODIFIERS[result]:+d}" for result in self.results.values())


def _csp_result(policy: dict[str, list[str]]) -> str:
    def sources(name: str) -> set[str]:
        return set(policy.get(name, policy.get("default-src", ["*"])))

    script, style, objects = sources("script-src"), sources("style-src"), sources("object-src")
    for source_list in (script, style):  # a hash or nonce makes browsers ignore 'unsafe-inline'
        if any(s.startswith(("'sha256-", "'sha384-", "'sha512-", "'nonce-")) for s in source_list):
            source_list.discard("'unsafe-inline'")
    active = [s for name, values in policy.items() if name not in ("img-src", "media-src", "script-src")
              for s in values] + sorted(script)
    passive = [s for name in ("img-src", "media-src") for s in policy.get(name, policy.get("default-src", []))]
    if script & (_BROAD | _UNSAFE_INLINE) or objects & _BROAD:
        return "csp-implemented-with-unsafe-inline"
    if any(s.startswith(("http:", "ftp:")) for s in active):
        return "csp-implemented-with-insecure-scheme"
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval"
    if any(s.startswith(("http:", "ftp:")) for s in passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only"
    if style & (_BROAD | _UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only"
    if policy.get("default-src") == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none"
    return "csp-implemented-with-no-unsafe"


def _csp(headers: dict[str, str]) -> str:
    policies = parse_csp(headers.get("content-security-policy", ""))
    if not policies:
        return "csp-not-implemented"
    return min((_csp_result(p) for p in policies), key=lambda result: MODIFIERS[result])


def _hsts(value: str | None) -> str:
    if value is None:
        return "hsts-not-implemented"
    if "," in value:
        return "hsts-header-invalid"  # set twice
    ages = [p.strip()[len("max-age="):] for p in value.lower().split(";") if p.strip().startswith("max-age=")]
    if not ages or not ages[0].strip().isdigit():
        return "hsts-header-invalid"
    return ("hsts-implemented-max-age-less-than-six-months" if int(ages[0]) < SIX_MONTHS
            else "hsts-implemented-max-age-at-least-six-months")


def _referrer(value: str | None) -> str:
    if value is None:
        return "referrer-policy-not-implemented"
    known = [v.strip().lower() for v in value.split(",") if v.strip().lower() in _PRIVATE_REFERRERS | _UNSAFE_REFERRERS]
    if not known:
        return "referrer-policy-header-invalid"
    return "referrer-policy-private" if known[-1] in _PRIVATE_REFERRERS else "referrer-policy-unsafe"


def _frame_options(headers: dict[str, str]) -> str:
    if any("frame-ancestors" in p for p in parse_csp(headers.get("content-security-policy", ""))):
        return "x-frame-options-implemented-via-csp"
    value = headers.get("x-frame-options")
    if value is None:
        return "x-frame-options-not-implemented"
    value = value.strip().lower()
    if value in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny"
    return "x-frame-options-allow-from-origin" if value.startswith("allow-from") else "x-frame-options-header-invalid"


def _corp(value: str | None) -> str:
    if value is None:
        return "corp-not-implemented"
    return {"same-origin": "corp-implemented-with-same-origin", "same-site": "corp-implemented-with-same-site",
            "cross-origin": "corp-implemented-with-cross-origin"}.get(value.strip().lower(), "corp-header-invalid")


def _cors(headers: dict[str, str]) -> str:
    origin = headers.get("access-control-allow-origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented"
    if headers.get("access-control-allow-credentials", "").strip().lower() == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return ("cross-origin-resource-sharing-implemented-with-public-access" if origin.strip() == "*"
            else "cross-origin-resource-sharing-implemented-with-restricted-access")


def grade_for(score: int) -> str:
    return next(grade for floor, grade in GRADES if max(score, 0) >= floor)


def score_headers(headers: dict[str, str], *, redirects_to_https: bool = True,
                  external_scripts: bool = False) -> Score:
    """The Observatory's score for a page served with ``headers`` (lower-case names)."""
    results = {
        "content-security-policy": _csp(headers),
        "cookies": "cookies-found-not-scored" if "set-cookie" in headers else "cookies-not-found",
        "cross-origin-resource-sharing": _cors(headers),
        "redirection": "redirection-to-https" if redirects_to_https else "redirection-missing",
        "referrer-policy": _referrer(headers.get("referrer-policy")),
        "strict-transport-security": _hsts(headers.get("strict-transport-security")),
        "subresource-integrity": ("sri-not-implemented-but-external-scripts-loaded-securely" if external_scripts
                                  else "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"),
        "x-content-type-options": (
            "x-content-type-options-nosniff"
            if headers.get("x-content-type-options", "").strip().lower() == "nosniff"
            else "x-content-type-options-not-implemented" if "x-content-type-options" not in headers
            else "x-content-type-options-header-invalid"),
        "x-frame-options": _frame_options(headers),
        "cross-origin-resource-policy": _corp(headers.get("cross-origin-resource-policy")),
    }
    modifiers = [MODIFIERS[r] for r in results.values()]
    score = 100 + sum(m for m in modifiers if m < 0)
    if score >= MINIMUM_SCORE_FOR_EXTRA_CREDIT:
        score += sum(m for m in modifiers if m > 0)
    score = max(score, 0)
    return Score(score, grade_for(score), results)
