"""pandoc 3's citation grammar, over a page whose code and HTML are blanked out.

An emulation of pandoc's Markdown reader (``normalCite``, ``citeList``,
``prefix``, ``suffix``, ``citeKey``, ``textualCite``), run over one text region
of the copy of the page that markdown_regions.py blanks (code, HTML and escapes
replaced by FILLER): bracketed citations, bare ``@key``, and brackets that look
like citations but are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ipt_site.sources.markdown_regions import FILLER

__all__ = ["BadBracket", "CiteBlock", "CiteItem", "Found", "bad_brackets", "parse_region"]

# Nesting deeper than this is never meant; stop there so no input can exhaust
# the stack.
_MAX_DEPTH = 32


@dataclass(frozen=True)
class CiteItem:
    """One ``@key`` inside a bracketed citation; offsets are into the page text."""

    key: str
    start: int  # offset of '@'
    end: int  # one past the key (past the '}' of a braced key)
    suppress_author: bool = False  # written -@key
    braced: bool = False  # written @{key}
    prefix: str = ""  # text before the key, whitespace collapsed ("see")
    suffix: str = ""  # text after the key, whitespace collapsed (", p. 12")


@dataclass(frozen=True)
class CiteBlock:
    """A bracketed citation ``[see @a, p. 3; @b]`` as pandoc reads it."""

    start: int  # offset of '['
    end: int  # one past ']'
    items: tuple[CiteItem, ...]
    raw: str  # the page text from '[' to ']' inclusive

    @property
    def text(self) -> str:
        return self.raw

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def multiline(self) -> bool:
        return "\n" in self.raw or "\r" in self.raw


@dataclass(frozen=True)
class BadBracket:
    """A bracket that looks like a citation but will not render as one.

    ``reason`` is ``"invalid"`` (pandoc does not read it as a citation, e.g.
    ``[@]`` or ``[@a; b]``), ``"nested"`` (a citation inside another
    citation's brackets, which mkdocs-bibtex's one-level regex splits) or
    ``"definition"`` (``[@key]:`` at the start of a line, which Python-Markdown
    takes for a link definition).
    """

    start: int
    end: int
    reason: str
    raw: str



# --------------------------------------------------------------------------
# Citation grammar (pandoc 3's Markdown reader)
# --------------------------------------------------------------------------

# citeKey: a letter, digit, '_' (or '*', for nocite) first, then word
# characters, with single punctuation allowed only before a word character
# ("doe:2020", "a.b") and ':' or '/' before '/' ("https://...").
_KEY_PATTERN = r"(?:\w|\*)(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*"
_SIMPLE_KEY = re.compile(_KEY_PATTERN)
# Fast path for the usual shape, "[see @a, p. 3; -@b]" on one line: text free
# of anything that could start another construct, a prefix that ends in a
# space, and nothing after ']' that could make it a link.  Anything else goes
# through the full grammar below.
_PLAIN = r"[^\[\]@;*_\r\n{]"
_FAST_ITEM = rf"(?:{_PLAIN}*[ \t])?-?@{_KEY_PATTERN}{_PLAIN}*"
_FAST_CITE = re.compile(rf"\[[ \t]*{_FAST_ITEM}(?:;[ \t]*{_FAST_ITEM})*\](?![(\[{{])")
# One item of a citation _FAST_CITE matched: its key (from '-' or '@') and
# name, up to the ';' or ']' that ends it.
_FAST_ITEM_RE = re.compile(rf"[ \t]*(?:{_PLAIN}*[ \t])?(?P<key>-?@(?P<name>{_KEY_PATTERN})){_PLAIN}*")
_TOP_SPECIAL = re.compile(r"\[|-?@")
_INNER_SPECIAL = re.compile(r"[\[\];@*_]|-@")
_BRACKETS = re.compile(r"[\[\]]")
_SPACES = re.compile(r"[ \t\r\n]*")
_WHITESPACE_RUN = re.compile(r"\s+")
_ATTRIBUTES = re.compile(
    r"\{[ \t\r\n]*(?:(?:[#.][^\s{}#.=\"']+|=[A-Za-z0-9_-]+"
    r"|[A-Za-z_][\w:.-]*=(?:\"[^\"]*\"|'[^']*'|[^\s\"'{}]+))[ \t\r\n]*)*\}"
)


@dataclass
class _Key:
    key: str
    start: int  # of '-' when suppressed, else of '@'
    at: int  # of '@'
    end: int
    suppress: bool
    braced: bool


@dataclass
class Found:
    """What a (possibly abandoned) parse attempt found; merged on success."""

    blocks: list[CiteBlock] = field(default_factory=list)
    bare: list[tuple[str, int]] = field(default_factory=list)
    bad: list[tuple[int, int, str]] = field(default_factory=list)

    def merge(self, other: Found) -> None:
        self.blocks.extend(other.blocks)
        self.bare.extend(other.bare)
        self.bad.extend(other.bad)


@dataclass
class _Bracket:
    kind: str  # "cite" or "group" (a link, span, note or plain brackets)
    end: int  # one past the last character consumed
    found: Found


def _squash(text: str) -> str:
    if not text:
        return text  # most prefixes and suffixes
    return _WHITESPACE_RUN.sub(" ", text.replace(FILLER, " ")).strip()



def parse_region(md: str, blanked: str, unquoted: str, lo: int, hi: int, found: Found) -> None:
    """Add what pandoc reads as citations in ``blanked[lo:hi]`` to ``found``."""
    _CiteParser(md, blanked, unquoted, lo, hi).parse(found)


def bad_brackets(md: str, found: Found, blocks: Sequence[CiteBlock]) -> list[BadBracket]:
    """Brackets pandoc does not read as citations, nested citations, and citations read as link definitions."""
    bad = set(found.bad)
    reach = -1  # furthest end of the blocks that start before this one
    reach_start = -1
    for block in blocks:  # sorted by start
        if block.start > reach_start and block.end <= reach:
            bad.add((block.start, block.end, "nested"))
        if block.end > reach:
            reach, reach_start = block.end, block.start
    for block in blocks:
        line_start = max(md.rfind("\n", 0, block.start), md.rfind("\r", 0, block.start)) + 1
        indent = md[line_start : block.start]
        if md.startswith(":", block.end) and len(indent) < 4 and not indent.strip(" "):
            bad.add((block.start, block.end, "definition"))
    return [BadBracket(a, b, why, md[a:b]) for a, b, why in sorted(bad)]





class _CiteParser:
    """pandoc's citation grammar over one text region of the blanked copy ``s``.

    Each method mirrors the pandoc parser of the same name.  Parse attempts
    that pandoc would backtrack out of return ``None`` and their findings are
    dropped; ``_bracket`` results are memoised so nested brackets cost one
    parse each.
    """

    def __init__(self, md: str, s: str, t: str, lo: int, hi: int) -> None:
        self.md = md  # the page, for raw text
        self.s = s  # code, HTML and escapes blanked: what the grammar reads
        self.t = t  # blockquote markers blanked: where prefixes and suffixes come from
        self.lo = lo
        self.hi = hi
        self.depth = 0
        self.memo: dict[tuple[int, int], _Bracket | None] = {}
        self.emphasis_memo: dict[tuple[int, int], tuple[int | None, Found]] = {}
        self.bareloc_memo: dict[tuple[int, int], tuple[int, Found] | None] = {}
        self._close_cache: dict[int, int] | None = None

    def parse(self, found: Found) -> None:
        self._inlines(self.lo, self.hi, found)

    # -- helpers -----------------------------------------------------------

    @property
    def closes(self) -> dict[int, int]:
        """Balanced '['...']' pairs (pandoc's charsInBalancedBrackets), found once."""
        if self._close_cache is None:
            self._close_cache = self._match_brackets()
        return self._close_cache

    def _match_brackets(self) -> dict[int, int]:
        closes: dict[int, int] = {}
        stack: list[int] = []
        for match in _BRACKETS.finditer(self.s, self.lo, self.hi):
            if match.group() == "[":
                stack.append(match.start())
            elif stack:
                closes[stack.pop()] = match.start()
        return closes

    def _after_string(self, i: int) -> bool:
        """pandoc's notAfterString: '@' right after a word is an e-mail, not a key."""
        if i <= self.lo:
            return False
        before = self.s[i - 1]
        if before.isalnum():
            return True
        if before == ".":
            # "x.@key" and ".@key" continue a word; "...@key" is an ellipsis.
            dots = 0
            j = i - 1
            while j >= self.lo and self.s[j] == ".":
                dots += 1
                j -= 1
            return dots % 3 != 0
        return False

    def _spnl(self, i: int, end: int) -> int:
        match = _SPACES.match(self.s, i, end)
        return match.end() if match else i

    def _key_at(self, i: int, end: int) -> _Key | None:
        """citeKey: ``-@key``, ``@key`` or ``@{key}`` starting exactly at ``i``."""
        s = self.s
        if i >= end or self._after_string(i):
            return None
        j = i
        suppress = s[j] == "-"
        if suppress:
            j += 1
        if j >= end or s[j] != "@":
            return None
        at = j
        j += 1
        simple = _SIMPLE_KEY.match(s, j, end)
        if simple:
            return _Key(simple.group(), i, at, simple.end(), suppress, False)
        if j < end and s[j] == "{":
            depth = 0
            k = j
            while k < end:
                ch = s[k]
                if ch.isspace():
                    return None
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        return _Key(self.md[j + 1 : k], i, at, k + 1, suppress, True)
                k += 1
        return None

    def _link_suffix(self, i: int, end: int, consume_label: bool) -> int | None:
        """End of what makes ``[...]`` a link or span: ``(dest)``, ``[label]``, ``{attrs}``."""
        if i >= end:
            return None
        ch = self.s[i]
        if ch == "(":
            return self._destination(i, end)
        if ch == "[" and consume_label:
            if i + 1 < end and self.s[i + 1] == "^":
                return None
            close = self.closes.get(i)
            return close + 1 if close is not None and close < end else None
        if ch == "{":
            attrs = _ATTRIBUTES.match(self.s, i, end)
            return attrs.end() if attrs else None
        return None

    def _destination(self, i: int, end: int) -> int | None:
        """pandoc's link ``source``: ``(url "title")`` with balanced parentheses."""
        s = self.s
        k = self._spnl(i + 1, end)
        if k < end and s[k] == "<":
            close = s.find(">", k, end)
            if close < 0:
                return None
            k = self._spnl(close + 1, end)
        depth = 1
        while k < end:
            ch = s[k]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return k + 1
            elif ch in " \t\r\n":
                nxt = self._spnl(k, end)
                if nxt < end and s[nxt] in "\"'":
                    quote = s[nxt]
                    close = s.find(quote, nxt + 1, end)
                    if close < 0:
                        return None
                    after = self._spnl(close + 1, end)
                    return after + 1 if after < end and s[after] == ")" else None
                k = nxt
                continue
            k += 1
        return None

    # -- inline loops ------------------------------------------------------

    def _inlines(self, pos: int, end: int, found: Found) -> None:
        """Top level (or link text): find brackets and in-text keys."""
        s = self.s
        while pos < end:
            match = _TOP_SPECIAL.search(s, pos, end)
            if match is None:
                return
            i = match.start()
            pos = self._after_bracket(i, end, found) if s[i] == "[" else self._textual(i, end, found)

    def _after_bracket(self, i: int, end: int, found: Found) -> int:
        """Offset after the bracket at ``i``, its citations merged into ``found``; ``i + 1``
        if it is not a bracket pandoc would read."""
        result = self._bracket(i, end)
        if result is None:
            return i + 1
        found.merge(result.found)
        return result.end

    def _scan(self, pos: int, end: int, found: Found, mode: str, closer: str = "") -> tuple[int, str]:
        """Inlines inside a citation, until what ends ``mode``.

        Returns ``(offset, why)``: why is ``"]"`` or ``";"`` (the character at
        offset), ``"key"`` (prefix mode: a citation key starts at offset),
        ``"close"`` (emphasis mode: its closer starts at offset) or ``"end"``.
        """
        s = self.s
        while pos < end:
            match = _INNER_SPECIAL.search(s, pos, end)
            if match is None:
                return end, "end"
            i = match.start()
            ch = s[i]
            if ch == "[":
                pos = self._after_bracket(i, end, found)
            elif ch == "]":
                if mode in ("prefix", "suffix"):
                    return i, "]"
                pos = i + 1
            elif ch == ";":
                if mode in ("prefix", "suffix"):
                    return i, ";"  # a ';' ends a suffix, and no prefix may hold one
                pos = i + 1
            elif ch in "*_":
                run_end = i
                while run_end < end and s[run_end] == ch:
                    run_end += 1
                if mode == "emph" and ch == closer[0] and self._can_close(i, run_end, end):
                    return i, "close"
                after = self._emphasis(i, run_end, end, found)
                if after is None:  # never closed: pandoc swallows the rest
                    return end, "end"
                pos = after
            else:  # '@' or '-@'
                if mode == "prefix":
                    key = self._key_at(i, end) or (self._key_at(i + 1, end) if ch == "-" else None)
                    if key is not None:
                        return key.start, "key"
                    pos = i + 1
                else:
                    pos = self._textual(i, end, found)
        return end, "end"

    def _can_close(self, i: int, run_end: int, end: int) -> bool:
        # '_' cannot close inside a word ("snake_case").
        return not (self.s[i] == "_" and run_end < end and self.s[run_end].isalnum())

    def _emphasis(self, i: int, run_end: int, end: int, found: Found) -> int | None:
        """pandoc's ``enclosure``: where an emphasis opened at ``i`` ends.

        ``None`` when it never closes: pandoc then keeps the opener as text
        but has already consumed everything up to the end of the paragraph,
        including any ']' a citation needed.
        """
        s = self.s
        ch = s[i]
        length = run_end - i
        if ch == "_" and self._after_string(i):
            return run_end  # intraword underscore
        if run_end >= end or s[run_end] in " \t\r\n" or length > 3:
            return run_end  # followed by space: a literal '*'
        memo_key = (i, end)
        if memo_key not in self.emphasis_memo:
            if self.depth >= _MAX_DEPTH:
                return run_end
            self.depth += 1
            try:
                self.emphasis_memo[memo_key] = self._emphasis_uncached(i, run_end, end)
            finally:
                self.depth -= 1
        stop, inner = self.emphasis_memo[memo_key]
        if stop is not None:
            found.merge(inner)
        return stop

    def _emphasis_uncached(self, i: int, run_end: int, end: int) -> tuple[int | None, Found]:
        s = self.s
        ch = s[i]
        length = run_end - i
        inner = Found()
        pos = run_end
        while True:
            stop, why = self._scan(pos, end, inner, "emph", ch)
            if why != "close":
                return None, inner
            close_end = stop
            while close_end < end and s[close_end] == ch:
                close_end += 1
            run = close_end - stop
            if run == length or run >= 3 or length == 3:
                return stop + length, inner
            # "*a **b** c*" and "**a *b* c**": the other run length nests
            nested = self._emphasis(stop, close_end, end, inner)
            if nested is None:
                return None, inner
            pos = nested

    # -- citations ---------------------------------------------------------

    def _textual(self, i: int, end: int, found: Found) -> int:
        """textualCite: ``@key``, optionally followed by ``[locator]`` or a citation."""
        key = self._key_at(i, end)
        if key is None:
            return i + 1
        found.bare.append((key.key, key.at))
        after = self._spnl(key.end, end)
        if after < end and self.s[after] == "[":
            result = self._bracket(after, end)
            if result is not None and result.kind == "cite":
                found.merge(result.found)
                return result.end
            located = self._bareloc(after, end)
            if located is not None:
                stop, inner = located
                found.merge(inner)
                return stop
        return key.end

    def _bareloc(self, i: int, end: int) -> tuple[int, Found] | None:
        """``@key [p. 3; @other]``: a locator, then optionally more citations."""
        memo_key = (i, end)
        if memo_key not in self.bareloc_memo:
            if self.depth >= _MAX_DEPTH:
                self.bareloc_memo[memo_key] = None
            else:
                self.depth += 1
                try:
                    self.bareloc_memo[memo_key] = self._bareloc_uncached(i, end)
                finally:
                    self.depth -= 1
        return self.bareloc_memo[memo_key]

    def _bareloc_uncached(self, i: int, end: int) -> tuple[int, Found] | None:
        s = self.s
        if i + 1 < end and s[i + 1] == "^":
            return None
        inner = Found()
        pos, why = self._scan(i + 1, end, inner, "suffix")
        items: list[CiteItem] = []
        if why == ";":
            listed = self._cite_list(self._spnl(pos + 1, end), end)
            if listed is not None:
                pos, items, more = listed
                inner.merge(more)
        pos = self._spnl(pos, end)
        if pos >= end or s[pos] != "]":
            return None
        if pos + 1 < end and s[pos + 1] in "[(":
            return None
        if items:
            inner.blocks.append(CiteBlock(i, pos + 1, tuple(items), self.md[i : pos + 1]))
        return pos + 1, inner

    def _bracket(self, i: int, end: int) -> _Bracket | None:
        """What pandoc makes of a '[': a citation, a link/span/note, or a plain '['."""
        memo_key = (i, end)
        if memo_key in self.memo:
            return self.memo[memo_key]
        if self.depth >= _MAX_DEPTH:
            self.memo[memo_key] = None  # only absurd nesting gets here: read '[' as text
            return None
        self.depth += 1
        try:
            result = self._bracket_uncached(i, end)
        finally:
            self.depth -= 1
        self.memo[memo_key] = result
        return result

    def _bracket_uncached(self, i: int, end: int) -> _Bracket | None:
        s = self.s
        footnote = i + 1 < end and s[i + 1] == "^"
        inline_note = i > self.lo and s[i - 1] == "^"
        if not (footnote or inline_note):
            # Most brackets are plain citations: read those before pairing brackets.
            fast = self._fast_cite(i, end)
            if fast is not None:
                return fast
        close = self.closes.get(i)
        if close is not None and close >= end:
            close = None
        if footnote and close is not None:
            return _Bracket("group", close + 1, Found())  # footnote reference
        if not inline_note:
            # A fast citation has its closing bracket, so a "[^" skipped above
            # without one could not have been one: only the grammar is left.
            cite = self._normal_cite(i, end)
            if cite is not None:
                return cite
        if close is None:
            start = self._spnl(i + 1, end)
            if not inline_note and (s.startswith("@", start) or s.startswith("-@", start)):
                # "[@key" never closed: the '[' is text, but say so.
                key = self._key_at(start, end)
                stop = key.end if key else start + 1
                return _Bracket("group", i + 1, Found(bad=[(i, stop, "invalid")]))
            return None
        # A link, bracketed span or plain brackets: the text inside is read as
        # inlines, a destination after it is not text.
        inner = Found()
        self._inlines(i + 1, close, inner)
        stop = close + 1
        after = self._link_suffix(stop, end, consume_label=False)
        label = self._link_suffix(stop, end, consume_label=True) if after is None else None
        is_link = after is not None or label is not None
        if after is not None:
            stop = after
        elif label is not None:
            # "[text][label]": pandoc reads the label on its own, blind to
            # what follows it ("[x][@key](u)" still cites @key).
            self._inlines(stop, label, inner)
            stop = label
        if not is_link and not inline_note and self._stray_at(i + 1, close, inner):
            inner.bad.append((i, close + 1, "invalid"))
        return _Bracket("group", stop, inner)

    def _stray_at(self, lo: int, hi: int, inner: Found) -> bool:
        """Plain brackets holding an '@' that is neither an e-mail nor a citation's."""
        cited = [(b.start, b.end) for b in inner.blocks]
        pos = self.s.find("@", lo, hi)
        while pos >= 0:
            if not self._after_string(pos) and not any(a <= pos < b for a, b in cited):
                return True
            pos = self.s.find("@", pos + 1, hi)
        return False

    def _fast_cite(self, i: int, end: int) -> _Bracket | None:
        """The common one-line citation, read by regex; ``None`` means "use the grammar"."""
        match = _FAST_CITE.match(self.s, i, end)
        if match is None:
            return None
        s, t = self.s, self.t
        close = match.end() - 1
        items: list[CiteItem] = []
        start = i + 1
        while True:
            # A key here follows '[', ';' or a space, never a word, so it is
            # always a key (see _key_at); the name is as long as it can be.
            item = _FAST_ITEM_RE.match(s, start, close)
            if item is None or (item.end() < close and s[item.end()] != ";"):
                return None  # not expected, as _FAST_CITE matched: leave it to the grammar
            key_start, key_end = item.span("key")
            stop = item.end()
            items.append(CiteItem(
                key=item["name"], start=item.start("name") - 1, end=key_end,
                suppress_author=s[key_start] == "-",
                prefix=_squash(t[start:key_start]), suffix=_squash(t[key_end:stop]),
            ))
            if stop == close:
                break
            start = stop + 1
        block = CiteBlock(i, close + 1, tuple(items), self.md[i : close + 1])
        return _Bracket("cite", close + 1, Found(blocks=[block]))

    def _normal_cite(self, i: int, end: int) -> _Bracket | None:
        """normalCite: ``[`` citeList ``]``, not followed by a link's ``(url)``/``[ref]``/``{attrs}``."""
        listed = self._cite_list(self._spnl(i + 1, end), end)
        if listed is None:
            return None
        pos, items, found = listed
        pos = self._spnl(pos, end)
        if pos >= end or self.s[pos] != "]":
            return None
        if self._link_suffix(pos + 1, end, consume_label=True) is not None:
            return None
        found.blocks.append(CiteBlock(i, pos + 1, tuple(items), self.md[i : pos + 1]))
        return _Bracket("cite", pos + 1, found)

    def _cite_list(self, pos: int, end: int) -> tuple[int, list[CiteItem], Found] | None:
        """citeList: citations separated by ';' (each ';' must be followed by one)."""
        found = Found()
        items: list[CiteItem] = []
        while True:
            cited = self._citation(pos, end, found)
            if cited is None:
                return None
            item, pos = cited
            items.append(item)
            if pos < end and self.s[pos] == ";":
                pos = self._spnl(pos + 1, end)
                continue
            return pos, items, found

    def _citation(self, pos: int, end: int, found: Found) -> tuple[CiteItem, int] | None:
        """citation: prefix, key, suffix."""
        inner = Found()
        stop, why = self._scan(pos, end, inner, "prefix")
        if why == "key":
            key = self._key_at(stop, end)
        elif why == "]":
            # pandoc's prefix also ends by consuming a ']': "[see]@key]"
            key = self._key_at(stop + 1, end)
        else:
            return None
        if key is None:
            return None
        prefix = _squash(self.t[pos : key.start]) if why == "key" else _squash(self.t[pos:stop])
        after, why = self._scan(key.end, end, inner, "suffix")
        if why not in (";", "]"):
            return None
        found.merge(inner)
        item = CiteItem(
            key=key.key,
            start=key.at,
            end=key.end,
            suppress_author=key.suppress,
            braced=key.braced,
            prefix=prefix,
            suffix=_squash(self.t[key.end : after]),
        )
        return item, after
