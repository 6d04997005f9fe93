"""One marker per citation: the author–date text itself links to its reference.

pandoc renders ``[@stuart2012]`` as "(Stuart & Robertson, 2012)" followed by
Python-Markdown's footnote number, so each citation showed twice, and the number
was a 6x11 px target. Here the parenthetical's text becomes the footnote link
(class ``footnote-ref``, so Material's footnote tooltips still show the reference)
and the number goes. The rendering of citations is untouched: this rewrites the
finished HTML of a page.
"""

from __future__ import annotations

import html
import re

# "(Stuart & Robertson, 2012)" or "(2011)" right before one or more footnote markers.
_SUP = r'<sup id="(?P<id>fnref\d*:[^"]+)"><a class="footnote-ref" href="(?P<href>#fn:[^"]+)">\d+</a></sup>'
_ANY_SUP = _SUP.replace("?P<id>", "?:").replace("?P<href>", "?:")
# A year as APA writes it: "2012", "2012a", or "n.d." / "n.d.-a" for a work with no date (web pages).
_YEAR = r"(?:\d{4}[a-z]?|n\.d\.(?:-[a-z])?)"
# Text, or the <em> pandoc puts round the title of a work cited without an author.
_TEXT = r"(?:[^()<>]|</?em>)"
_CITATION = re.compile(
    r"\((?P<inner>" + _TEXT + r"*?" + _YEAR + _TEXT + r"*)\)(?P<sups>" + _ANY_SUP + r"(?:\s*" + _ANY_SUP + ")*)"
)
_ONE_SUP = re.compile(_SUP)
# One work's part of a citation; "Stuart & Robertson, 2003, 2012" is two works by the same authors.
_MORE_YEARS = re.compile(r"(?:(?<=\d)|(?<=\d[a-z])|(?<=n\.d\.)|(?<=n\.d\.-[a-z])), (?=" + _YEAR + r"(?:,|$))")


def _works(inner: str) -> list[tuple[str, str]]:
    """The HTML of each cited work in a citation, with what separates it from the one before."""
    works: list[tuple[str, str]] = []
    # Split the text, not the HTML: "Stuart &amp; Robertson" holds a "; " of its own.
    # (<em> round a title is kept aside as control characters while the text is split.)
    text = html.unescape(inner.replace("<em>", "\x01").replace("</em>", "\x02"))
    for part in text.split("; "):
        for index, piece in enumerate(_MORE_YEARS.split(part)):
            markup = html.escape(piece, quote=False).replace("\x01", "<em>").replace("\x02", "</em>")
            works.append((markup, "" if not works else ("; " if index == 0 else ", ")))
    return works


def merge_citation_markers(html: str) -> str:
    """Each author–date citation followed by its footnote markers, as links in place of the markers.

    "(A, 2011; B, 2016)" with two markers gives two links, one per work, and so does
    "(A, 2003, 2012)". When works and markers cannot be paired one to one, the
    citation is left as it was.
    """
    def merged(match: re.Match[str]) -> str:
        sups = list(_ONE_SUP.finditer(match["sups"]))
        works = _works(match["inner"])
        if len(works) != len(sups):
            return match.group()
        # The brackets go inside the first and last links, so a line never starts with ")".
        works[0] = ("(" + works[0][0], works[0][1])
        works[-1] = (works[-1][0] + ")", works[-1][1])
        return "".join(
            f'{separator}<a class="footnote-ref ipt-cite" id="{sup["id"]}" href="{sup["href"]}">{text}</a>'
            for (text, separator), sup in zip(works, sups, strict=True)  # paired one to one (above)
        )

    return _CITATION.sub(merged, html)
