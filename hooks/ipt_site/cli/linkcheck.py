"""``./dev linkcheck``: fetch every external http(s) link in the pages.

Needs a network, so it is not part of the test suite or the build; run it
before a review and now and then on main. Prints problems like ``ipt-check``
and exits 1 when a link is broken, 2 when no site could be reached at all.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ipt_site.checks.page.content_safety import URL_ATTRIBUTES
from ipt_site.cli.check import open_config
from ipt_site.problems import Problem, format_report, line_col
from ipt_site.sources.front_matter import split_front_matter
from ipt_site.sources.page_markup import scan_markup
from ipt_site.sources.pages import collect_pages

USER_AGENT = "ipt-site-linkcheck/1.0 (checks the links of a health-information site)"
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class ExternalLink:
    url: str
    path: str
    line: int
    column: int


def external_links(path: str, text: str) -> list[ExternalLink]:
    """Every http(s) URL a page links to, in Markdown or in an allowed HTML attribute."""
    page = split_front_matter(text)
    scanned = scan_markup(page.body)
    found = [(link.url, link.offset) for link in scanned.links]
    found += [(attribute.value, attribute.offset)
              for item in scanned.markup for attribute in item.attributes
              if attribute.name in URL_ATTRIBUTES and attribute.value]
    links = []
    for url, offset in found:
        url = url.strip()
        if url.lower().startswith(("http://", "https://")):
            line, column = line_col(page.body, offset)
            links.append(ExternalLink(url, path, line + page.body_line_offset, column))
    return sorted(links, key=lambda link: (link.path, link.line, link.column))


def fetch_problem(url: str) -> tuple[str, bool] | None:
    """None if ``url`` answers; otherwise why not, and whether the server answered at all."""
    target = url.split("#", 1)[0]
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(target, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"HTTP {error.code} {error.reason}", True
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"could not connect: {reason}", False
    return None


def check_links(links: list[ExternalLink], workers: int = 8) -> tuple[list[Problem], bool]:
    """Problems for broken links, and whether any server could be reached."""
    urls = sorted({link.url.split("#", 1)[0] for link in links})
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(urls, pool.map(fetch_problem, urls), strict=True))
    reached = any(result is None or result[1] for result in results.values())
    problems = []
    for link in links:
        result = results[link.url.split("#", 1)[0]]
        if result is None:
            continue
        reason, answered = result
        code = "LINK001" if answered else "LINK002"
        problems.append(Problem(link.path, link.line, link.column, code,
                                f"external link {link.url} is broken: {reason}",
                                "find the page's new address, or link to another source"))
    return problems, reached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linkcheck", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    args = parser.parse_args(argv)
    config = open_config(args.config_file)
    if config is None:
        return 2
    root = args.config_file.parent
    links = [link for path, text in collect_pages(root / config.get("docs_dir", "docs"), root)
             for link in external_links(path, text)]
    if not links:
        print("no external links")
        return 0
    problems, reached = check_links(links)
    if not reached:
        print("linkcheck: could not reach any site; it needs a network connection.", file=sys.stderr)
        return 2
    print(format_report(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
