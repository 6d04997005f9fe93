"""Every problem code the checks can print, once: its severity, what it means and how to fix it.

CONTRIBUTING.md's "Error codes" tables show this table to editors; tests/test_contributing_codes.py
fails when the two disagree (a row missing, or another severity, title or fix). A rule names its
code as ``Code.CIT001``, so a misspelt code fails at import, not in front of an editor; the severity
of what a page rule reports comes from here.

It lives beside ``problems.py``, not in ``checks/``, because readers in ``sources/`` (the
bibliography, the files in docs/) and ``site_output/`` (the content API) report problems too.
"""

from __future__ import annotations

from enum import Enum

from ipt_site.problems import Problem, Severity


class Code(Enum):
    """One row of the table: ``Code.CIT001.name`` is the code printed, ``.value`` its row."""

    severity: Severity
    title: str  # what is wrong (CONTRIBUTING's "problem" column, without "warning: ")
    fix: str  # CONTRIBUTING's "how to fix it" column

    def __init__(self, severity: Severity, title: str, fix: str) -> None:
        self.severity = severity
        self.title = title
        self.fix = fix

    def problem(self, path: str, line: int, column: int, message: str, hint: str = "") -> Problem:
        """A Problem with this code and its severity."""
        return Problem(path, line, column, self.name, message, hint, self.severity)

    # Citations (CIT)
    CIT001 = (
        Severity.ERROR,
        "unknown citation key; the message suggests close matches (\"did you mean\")",
        "correct the key, or add the source to `references.bib`",
    )
    CIT002 = (
        Severity.ERROR,
        "the key differs from a bibliography key only in upper or lower case",
        "write the key exactly as in `references.bib`",
    )
    CIT003 = (
        Severity.ERROR,
        (
            "a key the site cannot show: it contains `.`, `:`, `/` or another character that is not a letter, digit, "
            "`-` or `_`, is written in braces, or runs straight into other text"
        ),
        (
            "rename the entry in `references.bib` and on every page, using only letters, digits, `-` and `_`; put a "
            "comma or space after a key"
        ),
    )
    CIT004 = (
        Severity.ERROR,
        "a bare `@key` without brackets, which is not shown as a citation",
        "write `[@key]`, or `[-@key]` after the authors' names",
    )
    CIT005 = (
        Severity.ERROR,
        (
            "something that looks like a citation but is not valid, for example `[@key; see]`, a citation inside "
            "another citation, or a line starting `[@key]:`"
        ),
        "use the forms in [Citing sources](#citing-sources)",
    )

    # Bibliography (BIB)
    BIB001 = (
        Severity.ERROR,
        (
            "BibTeX syntax error: unbalanced braces, a missing comma, an entry that is not closed, or the file cannot "
            "be read"
        ),
        "fix the syntax at the line shown",
    )
    BIB002 = (
        Severity.ERROR,
        "two entries have the same key (also when they differ only in case)",
        "give one a different key",
    )
    BIB003 = (
        Severity.ERROR,
        "an entry is missing a field its type requires (biblatex's data model)",
        "add the field; see the table in [Adding a reference](#adding-a-reference)",
    )
    BIB004 = (
        Severity.ERROR,
        "malformed `year` (not 4 digits) or `date` (not `YYYY-MM-DD`)",
        "write `year = {2012}` or `date = {2022-06-29}`",
    )
    BIB005 = (
        Severity.ERROR,
        "malformed DOI, or a DOI written as a link",
        "write only the DOI, like `10.1176/appi.ajp.2010.10101411`",
    )
    BIB006 = (
        Severity.ERROR,
        "the file is not UTF-8",
        "save `references.bib` as UTF-8",
    )
    BIB007 = (
        Severity.ERROR,
        "an undefined `@string` macro is used",
        "define it with `@string` before the entry, or put the value in braces",
    )
    BIB008 = (
        Severity.ERROR,
        "the same field appears twice in an entry",
        "delete one of them",
    )
    BIB009 = (
        Severity.WARNING,
        "an entry is cited on no page",
        "cite it, or remove it",
    )
    BIB010 = (
        Severity.ERROR,
        "an entry key the site cannot cite: it contains characters other than letters, digits, `-` and `_`",
        "rename the key and update the pages that cite it",
    )
    BIB011 = (
        Severity.ERROR,
        (
            "pandoc, which renders the References page, cannot read the file here, for example `@misc(key, ...)` or "
            "`@string (...)` written with parentheses (pybtex accepts them, pandoc does not)"
        ),
        "write every entry and `@string` with braces: `@misc{key, ...}`, `@string{name = {value}}`",
    )

    # Authors named in the text (NAR)
    NAR001 = (
        Severity.ERROR,
        "an author's name in a citation like \"Stuart and Robertson (2012)\" is unknown or misspelt",
        "correct the spelling as suggested, or cite the work with `[@key]`",
    )
    NAR002 = (
        Severity.ERROR,
        "no entry by those authors from that year",
        "check the year and names against `references.bib`",
    )
    NAR003 = (
        Severity.ERROR,
        "\"et al.\" is used for a work with only one or two authors",
        "name both authors, as suggested",
    )
    NAR004 = (
        Severity.ERROR,
        "the authors are named in the wrong order",
        "name them in the order the source lists them",
    )
    NAR005 = (
        Severity.WARNING,
        (
            "a name and a year in brackets, \"Smith (2019)\" or \"(Smith, 2019)\", read as a citation but no one "
            "of that name is in `references.bib`"
        ),
        "add the work and cite it with `[@key]`; if it is not a citation, write `Smith \\(2019)`",
    )

    # Site configuration (TOOL)
    TOOL001 = (
        Severity.ERROR,
        "the `bibtex` plugin (mkdocs-bibtex) is not enabled in `mkdocs.yml`",
        "add it under `plugins:`",
    )
    TOOL002 = (
        Severity.ERROR,
        "the `footnotes` Markdown extension is not enabled",
        "add `- footnotes` under `markdown_extensions:`",
    )
    TOOL003 = (
        Severity.ERROR,
        "mkdocs-bibtex's inline citations are on, so any `@word` would be rewritten",
        "set `enable_inline_citations: false` for the bibtex plugin",
    )

    # Review front matter (FM)
    FM001 = (
        Severity.ERROR,
        "the page has no front matter, or it is not closed with `---`",
        "start the page with the block in [Review front matter](#review-front-matter)",
    )
    FM002 = (
        Severity.ERROR,
        "the front matter is not valid YAML, is not a list of `field: value` lines, or gives a field twice",
        "fix the line shown; put quotes around a value that contains a colon followed by a space",
    )
    FM003 = (
        Severity.ERROR,
        "a required field is missing",
        "add it",
    )
    FM004 = (
        Severity.ERROR,
        "an unknown field, usually a misspelling (the message suggests the right one)",
        "correct its name, or remove it",
    )
    FM005 = (
        Severity.ERROR,
        "a date that does not exist, like `2026-02-30`",
        "correct the day or month",
    )
    FM006 = (
        Severity.ERROR,
        (
            "a field has the wrong type: a date that is not `YYYY-MM-DD`, a quoted date, or text that is empty, a list "
            "or a number"
        ),
        "write dates as `2026-11-22` without quotes, and text as plain text",
    )
    FM007 = (
        Severity.ERROR,
        "`description` is longer than 160 characters, or `title` or `description` contains `\"`, `<` or `>`",
        "shorten it; use curly quotes",
    )
    FM008 = (
        Severity.ERROR,
        (
            "the review dates do not make sense: `last_reviewed` is in the future, `next_review_due` is not after "
            "`last_reviewed`, or is more than 3 years after it"
        ),
        "correct the dates",
    )
    FM009 = (
        Severity.WARNING,
        "the page is overdue for review",
        "have the page reviewed, then update both dates",
    )

    # HTML and links (HTML)
    HTML001 = (
        Severity.ERROR,
        (
            "a tag that runs code, loads other content or takes input, such as `script`, `style`, `iframe`, `object`, "
            "`embed`, `form` or `img`"
        ),
        "remove it; use Markdown for images",
    )
    HTML002 = (
        Severity.ERROR,
        "another tag that is not on the allowed list, or markup such as `<!DOCTYPE>`",
        "use Markdown instead",
    )
    HTML003 = (
        Severity.ERROR,
        "an attribute that is not allowed on that tag, such as `style` or `id`",
        "remove it",
    )
    HTML004 = (
        Severity.ERROR,
        "an event handler attribute, such as `onclick`",
        "remove it",
    )
    HTML005 = (
        Severity.ERROR,
        (
            "a link, image or HTML attribute whose URL starts `javascript:`, `vbscript:` or `data:`, including "
            "disguised forms"
        ),
        "link to a web page, a page of this site, or a `tel:` or `mailto:` address",
    )

    # Phone numbers (TEL)
    TEL001 = (
        Severity.ERROR,
        (
            "a phone number (000, 13 xx xx, 1300 or 1800 numbers, (0x) xxxx xxxx, 04xx xxx xxx) in the page text that "
            "is not a `tel:` link"
        ),
        (
            "write it as a link, like `[13 11 14](tel:131114)`: readers can tap it, and the site keeps it on one line; "
            "write thousands with a comma (130,000)"
        ),
    )
    TEL002 = (
        Severity.ERROR,
        "a `tel:` link that dials another number than its text shows, or does not show the number",
        "make the digits after `tel:` those of the text, like `[1300 659 467](tel:1300659467)`",
    )

    # External links (LINK, from `./dev linkcheck` only)
    LINK001 = (
        Severity.ERROR,
        "the site answered with an error, such as 404 Not Found",
        "find the page's new address, or link to another source",
    )
    LINK002 = (
        Severity.ERROR,
        "the site could not be reached",
        "check the address; if the site is gone, link to another source",
    )

    # Evidence record (EVD)
    EVD001 = (
        Severity.ERROR,
        "there is no `evidence.yml` beside `references.bib`",
        "create it (see [The evidence record](#the-evidence-record))",
    )
    EVD002 = (
        Severity.ERROR,
        "`evidence.yml` is not valid YAML, is not a list of `key:` entries, or gives a key twice",
        "fix the line shown: indent with spaces; put text containing a colon and a space in quotes",
    )
    EVD003 = (
        Severity.ERROR,
        (
            "a statement lacks `page`, `says`, `where` or `status`, has an unknown field, or a status other than "
            "`checked`, `secondary` or `unchecked`"
        ),
        "add or correct the field",
    )
    EVD004 = (
        Severity.ERROR,
        "a key in `evidence.yml` is not in `references.bib`",
        "correct the key, or remove the entry",
    )
    EVD005 = (
        Severity.ERROR,
        "a statement names a page that does not exist, or that does not cite that source",
        "correct the page path, or remove the statement",
    )
    EVD006 = (
        Severity.ERROR,
        "a page cites a source with no statement recorded for that page",
        "add a statement under the key with `page:` set to that page",
    )
    EVD007 = (
        Severity.ERROR,
        "a page cites a source whose statements for that page are all `unchecked`",
        "check the fact in the source and update `status`, or remove the sentence and its citation",
    )

    # Cited sections (SEC)
    SEC001 = (
        Severity.ERROR,
        "a section of a health-information page says something but cites no source",
        (
            "cite the source of its facts; if it states no facts, add `<!-- no citation needed: why -->` under its "
            "heading"
        ),
    )
    SEC003 = (
        Severity.ERROR,
        "a `no citation needed` comment gives no reason",
        "say why after a colon",
    )

    # Content API for clinics (API)
    API001 = (
        Severity.ERROR,
        (
            "a health-information page lacks a field the content API needs (`title`, `description`, `last_reviewed`, "
            "`next_review_due`, `reviewed_by`), or gives it in the wrong form"
        ),
        (
            "add the field as in [Review front matter](#review-front-matter); if the page is not health information, "
            "add `health_information: false`"
        ),
    )
    API002 = (
        Severity.ERROR,
        "`health_information` is not `true` or `false`",
        "write `health_information: false`, or remove the line",
    )
    API003 = (
        Severity.ERROR,
        (
            "a page's content API document (`api/v1/pages/<slug>.json`) does not match the published schema in "
            "`docs/api/v1/schema/`; the message gives the place in the document"
        ),
        (
            "fix the page; change the schema only as the version rules on the content API page (`docs/content-api.md`) "
            "allow"
        ),
    )
    API004 = (
        Severity.ERROR,
        (
            "a content API schema in `docs/api/v1/schema/` is missing, unreadable, not JSON, or not a valid JSON Schema"
            " (the build could not check the API's documents against it)"
        ),
        (
            "restore the file from git (`git checkout -- docs/api/v1/schema/<name>`); change a schema only as the "
            "version rules on the content API page (`docs/content-api.md`) allow"
        ),
    )

    # Files in `docs/` (FILE)
    FILE001 = (
        Severity.ERROR,
        (
            "the page is not valid UTF-8 (often Latin-1 or Windows-1252 text pasted in); the line and column are those "
            "of the first bad byte"
        ),
        "re-save the page as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
    )
    FILE002 = (
        Severity.ERROR,
        "a symbolic link in `docs/` points back to a folder that contains it, so MkDocs would follow it forever",
        "remove the link, or point it outside `docs/`",
    )
    FILE003 = (
        Severity.ERROR,
        "a page or folder cannot be read, for example a link whose target is missing",
        "fix or remove it",
    )

    # Menu and links between pages (NAV, LNK)
    NAV001 = (
        Severity.ERROR,
        (
            "a page in `docs/` is neither in the menu (`nav:` in `mkdocs.yml`) nor under `not_in_nav:`; the problem is "
            "located at `nav:` and names the page"
        ),
        "add it under `nav:`, or add `/its-file.md` to `not_in_nav:` if readers reach it by a link",
    )
    NAV002 = (
        Severity.ERROR,
        "a `nav:` entry names a file that is not in `docs/`; located at the entry",
        "correct the file name (relative to `docs/`), or remove the entry",
    )
    LNK001 = (
        Severity.ERROR,
        "a link to a `.md` page that does not exist (links are relative to the page's own folder)",
        "correct the file name; the hint names a page of that name in another folder, if there is one",
    )
    LNK002 = (
        Severity.ERROR,
        "a link to `page.md#part` or `#part` where that page has no heading or id `part`",
        (
            "use the heading's anchor (lower case, spaces as `-`, punctuation left out; a second heading of the same "
            "text gets `_1`), or give the heading an id: `## Costs {#costs}`; the hint lists the anchors the page has"
        ),
    )
    # A new code goes in its group above (CONTRIBUTING.md's table of that group shows it too).
