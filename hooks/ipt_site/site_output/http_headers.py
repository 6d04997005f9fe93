"""Read the site's ``_headers`` file (Netlify / Cloudflare Pages format) and check pages against it.

Plain functions (no MkDocs): used by the hook to check the built site, by the
tests, and by the tests' local server, which sends the same headers a host would.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

# Both hosts join a header set by several matching rules with ", ". For
# Content-Security-Policy that makes several policies, all enforced, so the
# file must never set it from two rules that match one path.
COMBINE = "combine"
LAST_WINS = "last-wins"  # what `netlify dev` does; the file must work either way


@dataclass
class Rule:
    pattern: str
    line: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    detach: list[str] = field(default_factory=list)  # Cloudflare's "! Name"

    def matches(self, path: str) -> bool:
        return pattern_regex(self.pattern).fullmatch(path) is not None


class HeadersSyntaxError(ValueError):
    pass


def parse_headers_file(text: str) -> list[Rule]:
    """The rules of a ``_headers`` file, in file order; raises :class:`HeadersSyntaxError`."""
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace():
            if not stripped.startswith(("/", "https://")):
                raise HeadersSyntaxError(f"line {number}: a rule must start with '/' or 'https://': {stripped!r}")
            rules.append(Rule(stripped, number))
            continue
        if not rules:
            raise HeadersSyntaxError(f"line {number}: header before any path: {stripped!r}")
        if stripped.startswith("!"):
            rules[-1].detach.append(stripped[1:].strip())
            continue
        name, sep, value = stripped.partition(":")
        if not sep or not name.strip() or not re.fullmatch(r"[A-Za-z0-9-]+", name.strip()):
            raise HeadersSyntaxError(f"line {number}: expected 'Name: value', got {stripped!r}")
        if not value.strip():
            raise HeadersSyntaxError(f"line {number}: header {name.strip()!r} has no value")
        rules[-1].headers.append((name.strip(), value.strip()))
    return rules


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """``/embed/*`` style pattern as a regex over a URL path.

    ``*`` matches anything (slashes too), ``:name`` one path segment; a final
    ``/*`` also matches the bare folder (``/embed``), as on both hosts.
    """
    path = re.sub(r"^https://[^/]+", "", pattern) or "/"
    out = ""
    for token in re.split(r"(\*|:[A-Za-z_][A-Za-z0-9_]*)", path):
        if token == "*":
            out += ".*"
        elif token.startswith(":") and len(token) > 1:
            out += "[^/]+"
        else:
            out += re.escape(token)
    if out.endswith("/.*"):
        out = out[: -len("/.*")] + "(?:/.*)?"
    return re.compile(out)


def headers_for(rules: list[Rule], path: str, mode: str = COMBINE) -> dict[str, str]:
    """The headers a host sends for ``path`` (header names lower-cased)."""
    result: dict[str, str] = {}
    for rule in rules:
        if not rule.matches(path):
            continue
        for name in rule.detach:
            result.pop(name.lower(), None)
        for name, value in rule.headers:
            key = name.lower()
            if key in result and mode == COMBINE:
                result[key] = f"{result[key]}, {value}"
            else:
                result[key] = value
    return result


def rules_setting(rules: list[Rule], path: str, header: str) -> list[Rule]:
    """Every rule matching ``path`` that sets ``header``."""
    return [r for r in rules if r.matches(path) and any(n.lower() == header.lower() for n, _ in r.headers)]


# --- Content-Security-Policy ---------------------------------------------------------


def parse_csp(value: str) -> list[dict[str, list[str]]]:
    """Policies (a header may hold several, comma-separated), each ``directive -> sources``."""
    policies = []
    for policy in value.split(","):
        directives: dict[str, list[str]] = {}
        for part in policy.split(";"):
            words = part.split()
            if words and words[0].lower() not in directives:  # the first one counts
                directives[words[0].lower()] = words[1:]
        if directives:
            policies.append(directives)
    return policies


def effective_sources(policy: dict[str, list[str]], directive: str) -> list[str] | None:
    """Sources a directive allows, falling back to ``default-src`` as browsers do (None: no limit)."""
    fallbacks = {
        "script-src-elem": ["script-src", "default-src"],
        "style-src-elem": ["style-src", "default-src"],
        "worker-src": ["child-src", "script-src", "default-src"],
        "frame-src": ["child-src", "default-src"],
    }
    for name in [directive, *fallbacks.get(directive, ["default-src"])]:
        if name in policy:
            return policy[name]
    return None


def framing_by_any_site_allowed(headers: dict[str, str]) -> bool:
    """Whether any other website may show the page in a frame, as browsers decide it.

    Every CSP policy with ``frame-ancestors`` must allow any site; if none has
    one, ``X-Frame-Options`` decides (the HTML standard ignores it when a CSP
    has ``frame-ancestors``). ``headers`` has lower-case names.
    """
    policies = [p for p in parse_csp(headers.get("content-security-policy", "")) if "frame-ancestors" in p]
    if policies:
        return all(any(s in ("*", "https:", "http:") for s in p["frame-ancestors"]) for p in policies)
    options = {v.strip().lower() for v in headers.get("x-frame-options", "").split(",")}
    return not options & {"deny", "sameorigin"}


# --- inline code in built pages --------------------------------------------------------

_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
_EVENT_ATTR = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_NON_JS_TYPE = re.compile(r"""\stype\s*=\s*["']?(?!text/javascript|module|application/javascript)[\w/+.-]+""", re.I)


def csp_hash(code: str) -> str:
    """The ``'sha256-…'`` source that allows exactly this inline script or style."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_scripts(page_html: str) -> list[str]:
    """The code of every inline script the browser runs (not ``src=`` ones, not JSON data)."""
    found = []
    for match in _SCRIPT.finditer(page_html):
        attrs = match.group(1) or ""
        if re.search(r"\ssrc\s*=", attrs, re.I) or _NON_JS_TYPE.search(attrs):
            continue
        found.append(match.group(2))
    return found


def inline_style_uses(page_html: str) -> list[str]:
    """Inline ``<style>`` elements, ``style=`` attributes and ``on…=`` handlers in real tags."""
    uses = [m.group(0) for m in _STYLE_ELEMENT.finditer(page_html)]
    uses.extend(tag.group(0)[:120] for tag in _TAG.finditer(page_html)
                if _STYLE_ATTR.search(tag.group(0)) or _EVENT_ATTR.search(tag.group(0)))
    return uses


def url_path_of(relative_file: str) -> str:
    """The URL path a host serves a built file at: ``theory/index.html`` -> ``/theory/``."""
    return "/" + (relative_file[: -len("index.html")] if relative_file.endswith("index.html") else relative_file)


def blocked_inline_scripts(rules: list[Rule], pages: dict[str, str]) -> dict[str, set[str]]:
    """``hash -> URL paths`` of inline scripts that the CSP for their page would block.

    ``pages`` maps URL path to HTML. A page with no CSP, or one allowing
    'unsafe-inline', blocks nothing.
    """
    return blocked_scripts(rules, {path: inline_scripts(page_html) for path, page_html in pages.items()})


def blocked_scripts(rules: list[Rule], scripts: dict[str, list[str]]) -> dict[str, set[str]]:
    """``blocked_inline_scripts`` given each page's inline scripts (``inline_scripts``) by URL path."""
    blocked: dict[str, set[str]] = {}
    for path, codes in scripts.items():
        for policy in parse_csp(headers_for(rules, path).get("content-security-policy", "")):
            sources = effective_sources(policy, "script-src-elem")
            if sources is None or "'unsafe-inline'" in sources:
                continue
            for code in codes:
                digest = csp_hash(code)
                if digest not in sources:
                    blocked.setdefault(digest, set()).add(path)
    return blocked
