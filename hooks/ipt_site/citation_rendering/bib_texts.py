"""The exact BibTeX text a group of citations depends on, so the cache can key on it.

pandoc renders a group of citations from the entries it cites and nothing else of
the file (citeproc disambiguates among cited works only; see render_batches), but
an entry's text pulls in more: the ``@string`` macros it uses (and the macros
those use), its crossref/xdata parents (and theirs), and every ``@preamble``.
``BibTexts.depends`` gathers that text. It errs on the side of too much: any
word of an entry that names a macro or another entry counts as a use, so an edit
can only ever re-render more than it must, never less. When the file cannot be
cut into entries the way pybtex read it (a macro defined twice, two entries on
one line, ...), every group depends on the whole file, as before this cache was
per group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# The cut the References page's batches use (bibliography_render.split_bibtex).
from ipt_site.citation_rendering.bibliography_render import _COMMAND_HEAD as COMMAND_HEAD
from ipt_site.citation_rendering.bibliography_render import _COMMAND_START as COMMAND_START

_WORD_SEPARATORS = re.compile(r'[\s,{}()"=#%\\]+')
_STRING_NAME = re.compile(r"\s*[{(]\s*([^\s=]+)")


@dataclass(frozen=True)
class BibTexts:
    entries: dict[str, str] = field(default_factory=dict)  # casefolded key -> the entry as written
    strings: dict[str, str] = field(default_factory=dict)  # casefolded macro name -> its @string as written
    preamble: str = ""  # every @preamble, in file order
    whole: str | None = None  # the whole file, when it could not be cut safely

    order: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, name) -> its place in the file

    def depends(self, keys: Iterable[str]) -> str:
        """The text that rendering the entries ``keys`` reads, in a stable order."""
        if self.whole is not None:
            return self.whole
        parts = self._read_by(keys)
        return self.preamble + "".join(f"\0{kind} {name}\0{parts[kind, name]}" for kind, name in sorted(parts))

    def bibtex(self, keys: Iterable[str]) -> str:
        """A .bib of what rendering the entries ``keys`` reads, in the file's order: pandoc gives
        their citations the same text from it as from the whole file, and reads it faster."""
        if self.whole is not None:
            return self.whole
        parts = self._read_by(keys)
        return self.preamble + "".join(parts[item] for item in sorted(parts, key=lambda item: self.order[item]))

    def _read_by(self, keys: Iterable[str]) -> dict[tuple[str, str], str]:
        """(kind, name) -> text of every entry and macro the entries ``keys`` use, themselves included."""
        seen: set[tuple[str, str]] = set()
        todo = [("entry", key.casefold()) for key in keys]
        parts: dict[tuple[str, str], str] = {}
        while todo:
            kind, name = todo.pop()
            if (kind, name) in seen:
                continue
            seen.add((kind, name))
            text = (self.entries if kind == "entry" else self.strings).get(name)
            if text is None:
                continue
            parts[(kind, name)] = text
            for word in _words(text):
                todo.extend((k, word) for k, table in (("entry", self.entries), ("string", self.strings))
                            if word in table)
        return parts


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD_SEPARATORS.split(text) if word}


def read_bib_texts(text: str, keys: Iterable[str]) -> BibTexts:
    """``text`` cut at each line that starts with ``@``; ``keys`` are the entries pybtex read."""
    entries: dict[str, str] = {}
    strings: dict[str, str] = {}
    preamble: list[str] = []
    order: dict[tuple[str, str], int] = {}
    for start, end in _chunks(text):
        chunk = text[start:end]
        head = COMMAND_HEAD.match(chunk)
        if head is None:
            return BibTexts(whole=text)
        kind = head.group(1).lower()
        if kind == "comment":
            continue
        if kind == "preamble":
            preamble.append(chunk)
        elif kind == "string":
            name = _STRING_NAME.match(chunk[head.end(1):])
            if name is None or name.group(1).casefold() in strings:
                return BibTexts(whole=text)  # redefined: which value an entry sees depends on where it is
            strings[name.group(1).casefold()] = chunk
            order[("string", name.group(1).casefold())] = start
        else:
            key = head.group(2).casefold()
            if not key or key in entries:
                return BibTexts(whole=text)
            entries[key] = chunk
            order[("entry", key)] = start
    if sorted(entries) != sorted(key.casefold() for key in keys):
        return BibTexts(whole=text)  # something the cut did not see the way pybtex did
    return BibTexts(entries, strings, "".join(preamble), order=order)


def _chunks(text: str) -> list[tuple[int, int]]:
    starts = [m.start() for m in COMMAND_START.finditer(text)]
    return list(zip(starts, [*starts[1:], len(text)], strict=False))  # no "@": one end, no start
