"""Drop the rules of a style sheet that nothing in the built site can use.

Material's main.css (23 kB gzipped) styles every feature Material has; this
site uses a fraction. The whole file blocks the first paint, and at 23 kB it
takes two more round trips on a slow phone connection than at 14 kB, which is
what keeps Lighthouse's First Contentful Paint above 1.0 s (benchmarks/README.md).

The rule, PurgeCSS's: a selector is kept unless it names a class that appears
in no built page and in no script of the site (Material's scripts build parts
of the page, such as search results and tooltips, and name those classes in
their text). Classes inside :not(), :is(), :where() and :has() never drop a
selector, and attribute selectors and strings are ignored when looking for
classes. Then every custom property that nothing reads is dropped, repeatedly,
since dropping one can leave another unread. tinycss2 does the parsing.

purge_theme_css applies it to a built site (hooks/minify_site.py): two sheets, one
for the first paint and one with Material's scripts, each under a name with its
own content hash, so no browser or CDN can pair a cached copy with pages it does
not fit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
from tinycss2.ast import AtRule, Declaration, Node, QualifiedRule

_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_WORD = re.compile(r"[_a-zA-Z0-9-]+")
_CUSTOM_PROPERTY = re.compile(r"--[_a-zA-Z0-9-]+")
_VAR = re.compile(r"var\(\s*(--[_a-zA-Z0-9-]+)")
# What cannot drop a selector: attribute selectors, strings, and functional pseudo-classes.
_NEUTRAL = re.compile(r"\[[^\]]*\]|\"[^\"]*\"|'[^']*'|:(?:not|is|where|has|matches)\((?:[^()]|\([^()]*\))*\)")
_GROUPING_AT_RULES = {"media", "supports", "layer", "container", "document"}


# A class attribute's value, quoted or (minified) not; scanning for these alone is
# what keeps the purge cheap on a big site (a page's text has far more words).
# The literal comes first so the regex engine can skip ahead to it; the check that
# no name character comes before it follows (3 to 9 times faster than a leading lookbehind).
CLASS_ATTRIBUTE = re.compile(r"""class=(?<![\w-]class=)("[^"]*"|'[^']*'|[^\s>]+)""")


def class_names(attribute_values: Iterable[str]) -> set[str]:
    """The class names in raw class attribute values (as CLASS_ATTRIBUTE finds them)."""
    names: set[str] = set()
    for value in attribute_values:
        names.update(value.strip("\"'").split())
    return names


def words(texts: Iterable[str]) -> set[str]:
    """Every word that could be a class name, from pages, scripts and other style sheets."""
    found: set[str] = set()
    for text in texts:
        found.update(_WORD.findall(text))
    return found


def _selector_used(selector: str, used: set[str]) -> bool:
    return all(name in used for name in _CLASS.findall(_NEUTRAL.sub("", selector)))


def _split_selectors(prelude: str) -> list[str]:
    """Top-level commas only (a comma inside :is(...) or [...] does not split)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


@dataclass
class _Rule:
    selectors: list[str]
    declarations: list[tuple[str, str]]  # (name, "name:value;" as written)


@dataclass
class _Group:
    head: str           # "@media screen and (...)"
    items: list[_Item]


_Item = _Rule | _Group | str  # str: an at-rule kept as written (@font-face, @keyframes...)


def _tree(rules: list[Node]) -> list[_Item]:
    """The style sheet parsed once into rules, groups (@media...) and kept text."""
    out: list[_Item] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            declarations = [(d.name, tinycss2.serialize([d]))  # written with its own ";"
                            for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True,
                                                                     skip_comments=True)
                            if isinstance(d, Declaration)]
            out.append(_Rule(_split_selectors(tinycss2.serialize(rule.prelude)), declarations))
        elif isinstance(rule, AtRule):
            if rule.content is not None and rule.lower_at_keyword in _GROUPING_AT_RULES:
                inner = tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True)
                out.append(_Group(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}", _tree(inner)))
            else:
                out.append(tinycss2.serialize([rule]))
    return out


def _map_rules(items: list[_Item], change: Callable[[_Rule], _Rule | None]) -> list[_Item]:
    """``items`` with every rule changed (None drops it), and groups left empty dropped."""
    out: list[_Item] = []
    for item in items:
        if isinstance(item, _Rule):
            changed = change(item)
            if changed is not None:
                out.append(changed)
        elif isinstance(item, _Group):
            inner = _map_rules(item.items, change)
            if inner:
                out.append(_Group(item.head, inner))
        else:
            out.append(item)
    return out


def _keep_used(items: list[_Item], used: set[str]) -> list[_Item]:
    def keep(rule: _Rule) -> _Rule | None:
        selectors = [s for s in rule.selectors if _selector_used(s, used)]
        return _Rule(selectors, rule.declarations) if selectors else None

    return _map_rules(items, keep)


def _without(items: list[_Item], unread: set[str]) -> list[_Item]:
    def drop(rule: _Rule) -> _Rule | None:
        declarations = [d for d in rule.declarations if d[0] not in unread]
        return _Rule(rule.selectors, declarations) if declarations else None

    return _map_rules(items, drop)


def _declared_and_read(items: list[_Item]) -> tuple[set[str], set[str]]:
    declared: set[str] = set()
    read: set[str] = set()
    for item in items:
        if isinstance(item, _Rule):
            for name, text in item.declarations:
                if name.startswith("--"):
                    declared.add(name)
                read.update(_VAR.findall(text))
        elif isinstance(item, _Group):
            inner_declared, inner_read = _declared_and_read(item.items)
            declared |= inner_declared
            read |= inner_read
        else:
            read.update(_VAR.findall(item))  # @keyframes and the like may read them too
    return declared, read


def _write(items: list[_Item]) -> str:
    parts = []
    for item in items:
        if isinstance(item, _Rule):
            parts.append(",".join(item.selectors) + "{" + "".join(text for _, text in item.declarations) + "}")
        elif isinstance(item, _Group):
            parts.append(item.head + "{" + _write(item.items) + "}")
        else:
            parts.append(item)
    return "".join(parts)


class PurgedSheet:
    """A style sheet parsed once, to purge for one set of classes or several."""

    def __init__(self, css: str, style_sheets: str = "", scripts: str = "") -> None:
        self._items = _tree(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
        # Custom properties read from outside: through var() in the other style
        # sheets; anywhere at all in scripts and pages (they may set or read them).
        self._outside = set(_VAR.findall(style_sheets)) | set(_CUSTOM_PROPERTY.findall(scripts))

    def for_classes(self, used: set[str]) -> str:
        """The rules whose classes are all in ``used``, without custom properties nothing reads."""
        items = _keep_used(self._items, used)
        while True:
            declared, read = _declared_and_read(items)
            unread = declared - read - self._outside
            if not unread:
                return _write(items)
            items = _without(items, unread)


def purge_css(css: str, used: set[str], style_sheets: str = "", scripts: str = "") -> str:
    """``css`` without the rules whose classes are not in ``used``, and without custom
    properties that nothing reads: not ``css`` itself, nor the other ``style_sheets``
    (through var()), nor ``scripts`` or pages (which may name them anywhere)."""
    return PurgedSheet(css, style_sheets, scripts).for_classes(used)


# The 8 hex digits of the copies' names (main.<digits>.purged.css) before they are known:
# a page written with these in its link has them written over in place, at the offsets
# noted, without reading or writing the rest of the page (about 0.8 s at 2,000 pages).
DIGITS_PLACEHOLDER = "ipt0digi"
_PURGED = "main." + DIGITS_PLACEHOLDER + ".purged.css"
_FULL = "main." + DIGITS_PLACEHOLDER + ".full.css"
_THEME_SHEET_LINK = re.compile(r"""href=(["']?)([^"'\s>]*?)(main\.[0-9a-f]+\.min\.css)\1""")


@dataclass(frozen=True)
class PendingLink:
    """A written page's link to the copies of Material's sheet, their digits still to write."""

    sheet: str  # the theme's sheet the link was to (main.<hash>.min.css)
    offsets: tuple[int, int]  # where the purged and the full copy's digits start, in bytes


def link_copies_pending(page: str) -> tuple[str, PendingLink] | None:
    """``page`` with its one link to Material's sheet already as ``purge_theme_css`` writes it,
    the copies' digits a placeholder; None if it has no such link in its head, or more than
    one, or a sheet's name (``.min.css``) after its head, or a carriage return (then the page
    is rewritten whole after the build).

    Only the head is matched: the pattern tried at each of a big page's thousand navigation
    links cost more than the rewriting this saves.
    """
    head_end = page.find("</head>")
    # A carriage return: the rewriting after the build turns it into a newline, as it always has.
    if head_end < 0 or page.find(".min.css", head_end) >= 0 or DIGITS_PLACEHOLDER in page or "\r" in page:
        return None
    links = list(_THEME_SHEET_LINK.finditer(page, 0, head_end))
    if len(links) != 1:
        return None
    link = links[0]
    text = linked(link[1], link[2], _PURGED, _FULL)
    first = text.find(DIGITS_PLACEHOLDER)
    second = text.find(DIGITS_PLACEHOLDER, first + 1)

    def offset(at: int) -> int:  # in bytes as MkDocs writes a page (UTF-8, a character it cannot encode as a reference)
        return len((page[:link.start()] + text[:at]).encode("utf-8", errors="xmlcharrefreplace"))

    return page[:link.start()] + text + page[link.end():], PendingLink(link[3], (offset(first), offset(second)))


def linked(quote: str, folder: str, purged: str, full: str) -> str:
    """A page's link to a sheet's purged copy, naming the full one (``quote`` around each address)."""
    return f"href={quote}{folder}{purged}{quote} data-ipt-full={quote}{folder}{full}{quote}"


def _write_digits(file: Path, pending: PendingLink, digits: tuple[str, str]) -> bool:
    """Write the copies' digits over the placeholders; False (nothing written) if the file
    does not hold them where noted."""
    placeholder = DIGITS_PLACEHOLDER.encode()
    try:
        with file.open("r+b") as written:
            for offset in pending.offsets:
                written.seek(offset)
                if written.read(len(placeholder)) != placeholder:
                    return False
            for offset, value in zip(pending.offsets, digits, strict=True):
                written.seek(offset)
                written.write(value.encode())
    except OSError:
        return False
    return True


@dataclass
class Purged:
    names: list[str] = field(default_factory=list)  # the copies written
    in_place: int = 0  # pages given their copies' digits in place (``pending``)
    rewritten: int = 0  # pages read and written again
    unlinked: list[str] = field(default_factory=list)  # pending pages whose sheet was not purged


def purge_theme_css(site_dir: Path, class_values: set[str],
                    pending: dict[str, PendingLink] | None = None) -> Purged:
    """Replace Material's main.<hash>.min.css with two purged copies.

    ``main.<hash>.purged.css`` has the rules for what the pages themselves contain, and
    is what blocks the first paint. ``main.<hash>.full.css`` adds the rules for what
    Material's scripts create (search results, tooltips, states): pages name it in
    ``data-ipt-full``, and assets/javascripts/on-demand.js loads it with those scripts.
    ``pending``: pages (by path in the site, as ``a/index.html``) written with ``link_copies_pending``:
    only their digits are written.
    """
    sheets = sorted(site_dir.glob("assets/stylesheets/main.*.min.css"))
    result = Purged()
    present = {sheet.name for sheet in sheets}
    result.unlinked = sorted(page for page, noted in (pending or {}).items() if noted.sheet not in present)
    if not sheets:
        return result
    scripts = "".join(path.read_text(encoding="utf-8") for path in site_dir.rglob("*.js"))
    others = "".join(path.read_text(encoding="utf-8") for path in site_dir.rglob("*.css") if path not in sheets)
    # "js": on-demand.js swaps Material's "no-js" class for it before Material runs.
    on_pages = class_names(class_values) | {"js"}
    written = result.names
    links: list[SheetLink] = []
    digits: dict[str, tuple[str, str]] = {}  # sheet -> its purged and full copies' digits
    for sheet in sheets:
        source = sheet.read_text(encoding="utf-8")
        # Custom properties may be named in a page too (none are today): the scripts
        # stand in for the pages' text, which would be slow to scan on a big site.
        names = {}
        parsed = PurgedSheet(source, others, scripts)  # parsed once for both
        for kind, used in (("full", on_pages | words([scripts])), ("purged", on_pages)):
            css = parsed.for_classes(used)
            names[kind] = f"main.{hashlib.sha256(css.encode()).hexdigest()[:8]}.{kind}.css"
            (sheet.parent / names[kind]).write_text(css, encoding="utf-8")
            written.append(names[kind])
        links.append(SheetLink.to(sheet.name, names["purged"], names["full"]))
        digits[sheet.name] = (names["purged"][len("main."):][:8], names["full"][len("main."):][:8])
        sheet.unlink()
        sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)
    for page in site_dir.rglob("*.html"):
        noted = pending.get(page.relative_to(site_dir).as_posix()) if pending else None
        if noted is not None and noted.sheet in digits:
            purged, full = digits[noted.sheet]
            if _write_digits(page, noted, (purged, full)):
                result.in_place += 1
                continue
            data = page.read_bytes()  # not where noted: every placeholder of the page, written over
            new = (data.replace(_PURGED.encode(), _PURGED.replace(DIGITS_PLACEHOLDER, purged).encode())
                   .replace(_FULL.encode(), _FULL.replace(DIGITS_PLACEHOLDER, full).encode()))
        else:
            data = page.read_bytes()
            new = link_purged_sheets(data, links)
        if new is not data and new != data:
            if b"\r" in new:  # as text was read (universal newlines) and written before
                new = new.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            page.write_bytes(new)
            result.rewritten += 1
    return result


@dataclass(frozen=True)
class SheetLink:
    """A link to Material's style sheet, to point at its purged copy (naming the full one)."""

    name: bytes
    pattern: re.Pattern[bytes]
    replacement: bytes

    @classmethod
    def to(cls, name: str, purged: str, full: str) -> SheetLink:
        pattern = re.compile(rb"""href=(["']?)([^"'\s>]*?)""" + re.escape(name.encode()) + rb"\1")
        # ``linked``'s text, with the quote and folder as matched (\1 and \g<2>) and no backslash to escape.
        replacement = linked("\\1", "\\g<2>", purged, full).encode()
        return cls(name.encode(), pattern, replacement)


def link_purged_sheets(page: bytes, links: list[SheetLink]) -> bytes:
    """``page`` (UTF-8) with each link to a sheet pointing at its purged copy and naming the
    full one in ``data-ipt-full``; ``page`` itself if there is none.

    Bytes, and only up to the sheet's last mention (in the head): a big site's pages are
    mostly navigation, and reading them as text and trying the pattern at each of their
    thousand links cost more than writing them (about 0.5 s at 1,000 pages). Every match
    holds the name, so none ends after its last mention and its closing quote.
    """
    result = page
    for link in links:
        last = result.rfind(link.name)
        if last < 0:
            continue
        end = last + len(link.name) + 1
        head = link.pattern.sub(link.replacement, result[:end])
        if head != result[:end]:
            result = head + result[end:]
    return result
