"""Phone numbers in pages must be ``tel:`` links whose digits match their text (TEL001, TEL002).

A reader in distress taps a number; a clinic prints it. As a ``tel:`` link a number
can be tapped, and the site's style sheet keeps every ``a[href^="tel:"]`` on one line
(assets/stylesheets/a11y.css), so "1300 659 467" never breaks into "1300 659 / 467".
Editors write ``[13 11 14](tel:131114)``; the build makes sure they did.

Australian formats are recognised: 000, 13 xx xx (and 131 450), 1300 / 1800 xxx xxx
(in any grouping, such as 1800 55 1800), (0x) xxxx xxxx and 0x xxxx xxxx, and mobiles
04xx xxx xxx. Years, page ranges, dates, ISBN-like strings, counts and thousands
(1,000 or 10 000) are not phone numbers. Code is exempt: it is shown, not dialled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipt_site.checks.rule import Finding, in_order
from ipt_site.codes import Code
from ipt_site.sources.citation_scan import mask_ranges
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

_SEP = "[ \u00a0]"  # a space or a no-break space between digit groups
_NOT_AFTER_NUMBER = r"(?<![\w\-–/.,$])(?<!\d[ \u00a0])"  # not the tail of a longer number, range or date
_NOT_BEFORE_NUMBER = r"(?![ \u00a0]?\d)(?![\-–/.,]\d)(?!\w)"  # nor its head

_PHONE = re.compile(
    _NOT_AFTER_NUMBER
    + "(?:"
    + r"000"                                              # emergency
    + rf"|1[38]00(?:{_SEP}?\d){{6}}"                        # 1300 / 1800, any grouping
    + rf"|13(?:{_SEP}?\d){{4}}"                             # 13 11 14, 131 450, 131114
    + rf"|\(0[2378]\){_SEP}?\d{{4}}{_SEP}?\d{{4}}"           # (02) 9999 9999
    + rf"|0[2378]{_SEP}\d{{4}}{_SEP}\d{{4}}"                 # 02 9999 9999 (spaced: unspaced could be an ISBN)
    + rf"|04\d\d{_SEP}\d{{3}}{_SEP}\d{{3}}"                  # 0412 345 678 (likewise)
    + ")"
    + _NOT_BEFORE_NUMBER
)
# "130 000" is a thousands figure written with a space, not the 13 number 130 000.
_THOUSANDS = re.compile(rf"13\d{_SEP}\d00")

# Links whose URL is tel:, in Markdown ([text](tel:…)) or raw HTML (<a href="tel:…">text</a>).
_MD_TEL_LINK = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\(\s*<?(?P<url>tel:[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_TEL_LINK = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*([\"']?)(?P<url>tel:[^\"'\s>]*)\1[^>]*>(?P<text>.*?)</a\s*>", re.I | re.S
)
# What is not read as page text: link URLs, bare web addresses, HTML tags, citations (page locators).
_NOT_TEXT = re.compile(
    r"\]\([^)\n]*\)"              # a Markdown link's (url "title")
    r"|\]:[ \t]*\S+.*"            # a reference definition's url and title
    r"|<[^>\n]*>"                 # tags and autolinks
    r"|\bhttps?://\S+"            # a bare web address
    r"|\[[^\[\]\n]*@[^\[\]\n]*\]"  # a citation, with its locator: [@key, pp. 1300-1310]
)

@dataclass(frozen=True)
class TelLink:
    text: str
    url: str
    start: int  # the whole link, in the page body
    end: int


def digits(text: str) -> str:
    """The digits of a number as dialled; +61 (Australia) becomes the leading 0."""
    found = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+61"):
        found = "0" + found[2:]
    return found


def tel_links(text: str) -> list[TelLink]:
    """Every tel: link in ``text`` (code already masked), in order."""
    links = [TelLink(m["text"], m["url"], m.start(), m.end()) for m in _MD_TEL_LINK.finditer(text)]
    links += [TelLink(re.sub(r"<[^>]*>", "", m["text"]), m["url"], m.start(), m.end())
              for m in _HTML_TEL_LINK.finditer(text)]
    return sorted(links, key=lambda link: link.start)


def bare_phone_numbers(text: str) -> list[re.Match[str]]:
    """Phone numbers in page text, outside links' URLs, tags and citations (mask tel: links first)."""
    readable = _NOT_TEXT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return [m for m in _PHONE.finditer(readable) if not _THOUSANDS.fullmatch(m.group())]


def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
    """TEL001 for each phone number that is not a tel: link, TEL002 for a tel: link that dials
    another number than its text shows (or shows none)."""
    yield from in_order(_findings(page.without_code))


def _findings(text: str) -> Iterator[Finding]:
    links = tel_links(text)
    for link in links:
        shown, dialled = digits(link.text), digits(link.url[len("tel:"):])
        if not shown:
            yield Finding(Code.TEL002, link.start, f"the link to {link.url} does not show the number",
                      "show the number as the link's text, like [13 11 14](tel:131114), so it can be read and printed")
        elif shown != dialled:
            yield Finding(Code.TEL002, link.start,
                      f"the link text '{link.text.strip()}' does not match the number it dials, {link.url}",
                      f"make the link dial what it shows: tel:{shown}, or correct the text")
    outside_links = mask_ranges(text, [(link.start, link.end) for link in links])
    for match in bare_phone_numbers(outside_links):
        number = match.group()
        hint = f"write it as [{number}](tel:{digits(number)}), so readers can tap it and it never breaks across lines"
        if number.startswith("13"):
            hint += " (if it is not a phone number, write thousands with a comma: 131,450)"
        yield Finding(Code.TEL001, match.start(), f"phone number '{number}' is not a tel: link", hint)
