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
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import tinycss2
from tinycss2.ast import AtRule, Declaration, QualifiedRule

_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_WORD = re.compile(r"[_a-zA-Z0-9-]+")
_CUSTOM_PROPERTY = re.compile(r"--[_a-zA-Z0-9-]+")
_VAR = re.compile(r"var\(\s*(--[_a-zA-Z0-9-]+)")
# What cannot drop a selector: attribute selectors, strings, and functional pseudo-classes.
_NEUTRAL = re.compile(r"\[[^\]]*\]|\"[^\"]*\"|'[^']*'|:(?:not|is|where|has|matches)\((?:[^()]|\([^()]*\))*\)")
_GROUPING_AT_RULES = {"media", "supports", "layer", "container", "document"}


# A class attribute's value, quoted or (minified) not; scanning for these alone is
# what keeps the purge cheap on a big site (a page's text has far more words).
CLASS_ATTRIBUTE = re.compile(r"""(?<![\w-])class=("[^"]*"|'[^']*'|[^\s>]+)""")


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


def _purge_rules(rules: list, used: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            selectors = [s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if _selector_used(s, used)]
            if selectors:
                out.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
        elif isinstance(rule, AtRule):
            if rule.content is not None and rule.lower_at_keyword in _GROUPING_AT_RULES:
                inner = _purge_rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                              skip_comments=True), used)
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
            else:  # @font-face, @keyframes, @page, @charset...: kept as they are
                out.append(tinycss2.serialize([rule]))
    return out


def _drop_properties(css: str, unread: set[str]) -> str:
    def rules(items: list) -> list[str]:
        out = []
        for rule in items:
            if isinstance(rule, QualifiedRule):
                kept = [d for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True,
                                                                  skip_comments=True)
                        if not (isinstance(d, Declaration) and d.name in unread)]
                # tinycss2 writes each declaration with its own ";".
                body = "".join(tinycss2.serialize([d]) for d in kept if isinstance(d, Declaration))
                if body:
                    out.append(tinycss2.serialize(rule.prelude) + "{" + body + "}")
            elif isinstance(rule, AtRule) and rule.content is not None and rule.lower_at_keyword in _GROUPING_AT_RULES:
                inner = rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
            else:
                out.append(tinycss2.serialize([rule]))
        return out

    return "".join(rules(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)))


def purge_css(css: str, used: set[str], style_sheets: str = "", scripts: str = "") -> str:
    """``css`` without the rules whose classes are not in ``used``, and without custom
    properties that nothing reads: not ``css`` itself, nor the other ``style_sheets``
    (through var()), nor ``scripts`` or pages (which may name them anywhere)."""
    sheet = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    purged = "".join(_purge_rules(sheet, used))
    outside = set(_VAR.findall(style_sheets)) | set(_CUSTOM_PROPERTY.findall(scripts))
    dropped: set[str] = set()
    while True:
        declared = set(re.findall(r"(--[_a-zA-Z0-9-]+)\s*:", purged))
        # Only names not tried before: one declared where declarations are not
        # dropped (inside @keyframes, say) would otherwise be tried for ever.
        unread = declared - set(_VAR.findall(purged)) - outside - dropped
        if not unread:
            return purged
        dropped |= unread
        purged = _drop_properties(purged, unread)
