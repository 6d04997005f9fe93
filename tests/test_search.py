"""The site's own search (Material's built worker and the built index), in real Chromium.

A reader types a query into the search box; the first result must be the page
that answers it. Search-term highlighting must stay off, because it puts the
terms into result URLs (``?h=...``), which then end up in histories and logs.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from browser import PageVisit, open_page

pytestmark = pytest.mark.browser

# A reader's question -> what must come first: a page ("theory/") or a section of it
# ("what-to-expect/#how-many-sessions"), as a URL path from the site root. Real questions,
# in readers' words, not the site's (see ipt_site/site_output/search_index.py for the readers' words).
FIRST_RESULT = {
    "grief": "when-ipt-is-used/",
    "Medicare": "getting-ipt-in-australia/",
    "attachment": "theory/",
    "maintenance": "what-to-expect/",
    "antidepressants": "does-it-work/",
    "how many sessions": "what-to-expect/#how-many-sessions",
    "how much does IPT cost": "getting-ipt-in-australia/#what-it-costs",
    "cost": "getting-ipt-in-australia/#what-it-costs",
    "fees": "getting-ipt-in-australia/#what-it-costs",
    "is it evidence based": "does-it-work/",
    "does IPT work": "does-it-work/",
    "research": "does-it-work/",
    "teenager": "young-people-new-parents-and-groups/#young-people-and-teenagers",
    "IPT for my teenage son": "young-people-new-parents-and-groups/#young-people-and-teenagers",
    "pregnant": "young-people-new-parents-and-groups/#pregnancy-and-after-birth",
    "postnatal depression": "young-people-new-parents-and-groups/#pregnancy-and-after-birth",
    "group therapy": "young-people-new-parents-and-groups/#group-ipt",
    "online therapy": "getting-ipt-in-australia/#sessions-by-video-or-phone",
    "find a therapist near me": "finding-an-ipt-therapist/",
    "certified IPT therapist": "finding-an-ipt-therapist/#what-ipt-certification-means",
    "why is IPT hard to find": "finding-an-ipt-therapist/#ipt-is-not-widely-available",
    "questions to ask my GP": "finding-an-ipt-therapist/#questions-to-ask-your-gp",
    "interpreter": "get-help-now/#if-you-need-an-interpreter",
    "I feel suicidal": "get-help-now/",
    "Lifeline": "get-help-now/",
    "my partner and I keep arguing": "when-ipt-is-used/#relationship-conflicts",
    "retirement": "when-ipt-is-used/#major-life-changes",
    "free mental health service": "getting-ipt-in-australia/#medicare-mental-health-centres",
    "referral": "getting-ipt-in-australia/#who-can-refer-you",
    "when is IPT not suitable": "when-ipt-is-used/#when-another-treatment-may-come-first",
    "private health insurance": "getting-ipt-in-australia/#private-health-insurance",
}

SEARCH_BOX = "input[data-md-component='search-query']"
RESULT_META = ".md-search-result__meta"
RESULT_ITEM = ".md-search-result__item"


@pytest.fixture(scope="module")
def search_visit(browser: Browser, site_url: str) -> Iterator[PageVisit]:
    """The home page with search open, shared by the queries (one page keeps this fast)."""
    with open_page(browser, f"{site_url}/") as visit:
        # "/" is Material's keyboard shortcut for search; it focuses the search box.
        visit.page.keyboard.press("/")
        expect(visit.page.locator(SEARCH_BOX)).to_be_focused()
        yield visit


def run_query(page: Page, query: str) -> list[str]:
    """Type ``query`` and return the result links (absolute URLs) in the order shown."""
    box = page.locator(SEARCH_BOX)
    # Material reads the box on keyup. Clear it first and wait for the empty state, so
    # the next results shown can only be for this query (not a previous one).
    box.fill("")
    box.press("End")
    expect(page.locator(RESULT_ITEM)).to_have_count(0)
    empty_meta = page.locator(RESULT_META).inner_text()
    # Fill, then one keyup: a single query with the whole term, as a paste would give.
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        "([selector, before]) => document.querySelector(selector).innerText !== before",
        arg=[RESULT_META, empty_meta],
    )
    hrefs: list[str] = page.locator(f"{RESULT_ITEM} a[href]").evaluate_all("links => links.map(a => a.href)")
    return hrefs


def without_query(link: str) -> str:
    parts = urlsplit(link)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", parts.fragment))


def first_matches(links: list[str], expected: str) -> bool:
    """The first result is ``expected``: its page, and for a section, the first section shown of it.

    Material groups results by page: the page itself comes first, then its matching
    sections, best first.
    """
    if page_of(links[0]) != page_of(expected):
        return False
    if "#" not in expected:
        return True
    sections = [without_query(link) for link in links if page_of(link) == page_of(expected) and "#" in link]
    return bool(sections) and sections[0] == expected


def page_of(link: str) -> str:
    """A result link without its query or section anchor: the page it opens."""
    parts = urlsplit(link)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def test_search_runs_the_built_worker_on_the_built_index(search_visit: PageVisit, site_url: str) -> None:
    # The index and the worker come from the site itself, not from anywhere else.
    requested = set(search_visit.requests)
    assert f"{site_url}/search/search_index.json" in requested, sorted(requested)
    workers = [url for url in requested if "/assets/javascripts/workers/search" in url]
    assert workers and all(url.startswith(site_url) for url in workers), sorted(requested)


@pytest.mark.parametrize("query", list(FIRST_RESULT))
def test_first_search_result(search_visit: PageVisit, site_url: str, query: str) -> None:
    page = search_visit.page
    links = run_query(page, query)
    meta = page.locator(RESULT_META).inner_text()
    assert links, f"search for {query!r} found nothing ({meta!r})"

    expected = f"{site_url}/{FIRST_RESULT[query]}"
    ranked = list(dict.fromkeys(page_of(link) for link in links))
    assert first_matches(links, expected), (
        f"search for {query!r}: first result is {links[0]}, expected {expected}\n"
        f"  pages in the order shown: {ranked}"
    )

    # The readers' words added for matching (ipt_site/site_output/search_index.py) are not shown.
    shown_tags = page.locator(".md-search-result .md-tag").evaluate_all(
        "tags => tags.filter(t => t.getClientRects().length > 0).map(t => t.textContent)")
    assert shown_tags == [], f"search for {query!r} shows matching words as tags: {shown_tags}"

    # search.highlight is off: no result link carries the search terms (?h=...).
    highlighted = [link for link in links if "h" in parse_qs(urlsplit(link).query)]
    assert not highlighted, f"search highlighting is on; result links carry ?h=: {highlighted}"

    # Searching must not have reached other hosts, set cookies or logged errors.
    search_visit.assert_clean()
