"""Author–year citations written out in prose, checked against the bibliography.

Pages cite with ``[@key]``, but prose also names works: "Stuart and Robertson
(2012)", "(Robertson et al., 2008)".  Those are typed by hand, so the surname,
year, author order and "et al." can drift from references.bib.

A false alarm on a public site costs more than a miss, so a capitalised name
followed by a year only counts as a citation when it looks like one:

* "et al." / "and colleagues", or several names in a parenthetical
  "(Smith & Jones, 2010)" — unmistakably a citation;
* several names joined by "and", "&" or commas, at least one of which is a
  bibliography surname or close to one (difflib ratio ≥ 0.8);
* a single name followed by "(2012)" (or "(Name, 2012)"), only if that name
  is, or is close to, a bibliography surname.

Everything is anchored on years, which are rare in prose: one scan of the
page for years, then one short anchored match before each.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ipt_site.checks.rule import Finding
from ipt_site.codes import Code
from ipt_site.sources.bibliography import BibEntry, Bibliography
from ipt_site.sources.page_scan import PageScan

if TYPE_CHECKING:
    from ipt_site.checks.site_context import SiteContext

__all__ = ["NarrativeIndex", "check"]

CLOSE_ENOUGH = 0.8  # difflib ratio for "this is meant to be that surname"
SUGGEST = 0.6  # weaker, only to offer a "did you mean"
WINDOW = 240  # how far before a year the names may start

# A year: 1900–2099 (so not "1800 55 1800"), optionally 2012a but not 1970s;
# not part of a number, path, key (@stuart2012) or range (2012-13).  A list
# "2003, 2012" is one match.
_YEARS_RE = re.compile(
    # Starts with a plain character class so the scan over a page stays in C.
    r"[12](?<![\w/.\-@].)(?:(?<=1)9|(?<=2)0)\d\d[a-h]?(?![\w/\-]|\.\d)"
    r"(?:\s*,\s*(?:19|20)\d\d[a-h]?(?![\w/\-]|\.\d))*"
)

_PARTICLES = ("van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "das",
              "la", "le", "ten", "ter", "op")
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĦĨĪĮİĶĹĻĽĿŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_LETTER = r"[^\W\d_]"
_SEP = r"(?P<sep>\s*\(\s*|\s*,\s*|\s+)"  # before the year: "(2012", ", 2012", " 2012"
_ET_AL = r"\s*,?\s+et\s+al\.?|\s+and\s+(?:colleagues|co-?workers|associates)"
_AND = r"\s*,?\s+(?:and|&)\s+"
_ABBREVIATION = r"(?:\s*\[[^\]\n]{1,40}\])?"  # "… Excellence [NICE], 2022"


def _reverse(pattern_text: str) -> str:
    return re.escape(pattern_text[::-1])


def _patterns(multiword: Sequence[str]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(one name, head, reversed head) for a bibliography with these multi-word surnames.

    The head of a citation, read forwards, is::

        names ("A", "A, B and C", "A & B")  [et al. | and colleagues]  ['s]  ("(" | "," | " ")  YEAR

    Finding its leftmost start with a forward ``search`` tries every position
    before every year, too slow for a whole site.  So the grammar is spelt
    backwards (sequences reversed, lookbehind turned into lookahead) and
    matched once, greedily, against the reversed text before the year.  The
    forward ``head`` is kept as the readable definition; the tests check that
    both find the same names.
    """
    # A surname: capitalised, may have particles ("van Oppen"), hyphens and
    # apostrophes ("O'Brien"), but not a possessive 's.
    particles = "|".join(_PARTICLES)
    generic = (rf"(?:(?:{particles})\s+)*[{_UPPER}]{_LETTER}*"
               rf"(?:-{_LETTER}+|['’](?!s\b){_LETTER}+)*")
    exact = [r"\s+".join(map(re.escape, name.split())) for name in multiword]
    name = "(?:" + "|".join([*exact, generic]) + ")" + _ABBREVIATION
    head = (
        rf"(?<![\w'’\-])(?P<names>{name}(?:\s*,\s*{name})*(?:{_AND}{name})?)"
        rf"(?P<etal>{_ET_AL})?(?:['’]s?)?{_SEP}\Z"
    )
    # The same pieces backwards.
    particles_r = rf"(?:\s+(?:{'|'.join(_reverse(p) for p in _PARTICLES)}))*"
    generic_r = rf"(?:{_LETTER}+-|(?!s['’]){_LETTER}+['’])*{_LETTER}*[{_UPPER}]{particles_r}"
    # Forwards, more particles before "van Oppen" come through the generic name.
    exact_r = [r"\s+".join(_reverse(word) for word in reversed(name.split()))
               + (particles_r if name.split()[0] in _PARTICLES else "")
               for name in multiword]
    name_r = r"(?:\][^\[\n]{1,40}\[\s*)?(?:" + "|".join([*exact_r, generic_r]) + ")"
    and_r = _reverse("and")
    etal_r = (rf"\.?{_reverse('al')}\s+{_reverse('et')}\s+,?\s*"
              rf"|(?:{_reverse('colleagues')}|{_reverse('workers')}-?{_reverse('co')}"
              rf"|{_reverse('associates')})\s+{and_r}\s+")
    head_r = (
        rf"(?P<sep>\s*\(\s*|\s*,\s*|\s+)(?:s?['’])?(?P<etal>{etal_r})?"
        rf"(?P<names>{name_r}(?:\s+(?:{and_r}|&)\s+,?\s*{name_r})?(?:\s*,\s*{name_r})*)"
        r"(?![\w'’\-])"
    )
    return re.compile(name), re.compile(head), re.compile(head_r)


# Text before the names that makes them a parenthetical citation.
_PAREN_BEFORE_RE = re.compile(
    r"[(;]\s*(?:(?:see(?:\s+also)?|e\.g\.,?|cf\.|i\.e\.,?)\s+)?\Z", re.IGNORECASE
)


@dataclass
class _Mention:
    starts: list[int]  # offset of each name; the first is where the mention is reported
    names: list[str]
    joins: list[str]  # separator between names[i] and names[i+1]: ',', 'and' or '&'
    etal: str  # '' or the words used: 'et al.' / 'and colleagues'
    years: list[str]
    sep: str  # '(', ',' or ' '
    parenthetical: bool

    def signature(self) -> tuple[object, ...]:
        """Everything the verdict depends on (not where the mention is)."""
        return (tuple(self.names), tuple(self.joins), self.etal, tuple(self.years), self.sep,
                self.parenthetical)


# (code, message, hint)
VerdictFinding = tuple[Code, str, str]
# How many leading names are prose, not authors; and what is wrong, if anything.
# None: not a citation at all.
Verdict = tuple[int, VerdictFinding | None] | None


@dataclass
class NarrativeIndex:
    """The bibliography's authors, arranged for fast lookups; build once per bibliography."""

    entries: tuple[BibEntry, ...]
    surnames: dict[str, str]  # casefolded → as written in the .bib
    by_first: dict[str, list[BibEntry]]
    name_re: re.Pattern[str]
    head_re: re.Pattern[str]  # the grammar, readable; used by the tests
    reversed_head_re: re.Pattern[str]  # the same grammar backwards; used to check pages
    _closest: dict[str, tuple[str | None, float]] = field(default_factory=dict)
    # Pages repeat their citations; judge each distinct one once.
    _verdicts: dict[tuple[object, ...], Verdict] = field(default_factory=dict)

    @classmethod
    def build(cls, bib: Bibliography) -> NarrativeIndex:
        entries = tuple(e for e in bib.entries.values() if e.authors)
        surnames: dict[str, str] = {}
        by_first: dict[str, list[BibEntry]] = {}
        for entry in entries:
            for name in entry.authors:
                surnames.setdefault(name.casefold(), name)
            by_first.setdefault(entry.authors[0].casefold(), []).append(entry)
        multiword = sorted((n for n in surnames.values() if len(n.split()) > 1), key=len, reverse=True)
        return cls(entries, surnames, by_first, *_patterns(multiword))

    def closest(self, name: str) -> tuple[str | None, float]:
        """The bibliography surname nearest to ``name`` and its similarity (1.0 = same)."""
        folded = name.casefold()
        if folded in self.surnames:
            return self.surnames[folded], 1.0
        if folded not in self._closest:
            best, ratio = None, 0.0
            for candidate in difflib.get_close_matches(folded, self.surnames, n=1, cutoff=SUGGEST):
                best = self.surnames[candidate]
                ratio = difflib.SequenceMatcher(None, folded, candidate).ratio()
            self._closest[folded] = (best, ratio)
        return self._closest[folded]

    def resembles(self, name: str) -> bool:
        return self.closest(name)[1] >= CLOSE_ENOUGH


# --- finding mentions -------------------------------------------------------------

def _mentions(text: str, index: NarrativeIndex) -> Iterable[tuple[_Mention, int]]:
    """Each capitalised-names-and-year mention, and where its years end."""
    backwards = text[::-1]  # offset i here is len(text) - i in the text
    for years in _YEARS_RE.finditer(text):
        year_start = years.start()
        window = max(0, year_start - WINDOW)
        paragraph = text.rfind("\n\n", window, year_start)  # citations do not span paragraphs
        window = paragraph + 2 if paragraph >= 0 else window
        head = index.reversed_head_re.match(backwards, len(text) - year_start, len(text) - window)
        if head is None:
            continue
        # Offsets within the head, counted backwards from the year.
        names_from = year_start - (head.end("names") - head.pos)
        names_to = year_start - (head.start("names") - head.pos)
        sep = head["sep"].strip() or " "
        if sep == "(" and text[years.end():years.end() + 1] not in (")", ",", ";"):
            continue  # "(2012 survey)" is not a citation year
        names, joins, starts = [], [], []
        previous_end = None
        # Back to forward offsets, then read the names one by one.
        for name in index.name_re.finditer(text, names_from, names_to):
            if previous_end is not None:
                between = text[previous_end:name.start()]
                joins.append("&" if "&" in between else "and" if "and" in between else ",")
            written = name.group()
            if "[" in written:  # "Excellence [NICE]"
                written = written[:written.index("[")]
            names.append(" ".join(written.split()))
            starts.append(name.start())
            previous_end = name.end()
        if not names:
            continue
        etal = " ".join(head["etal"][::-1].replace(",", " ").split()) if head["etal"] else ""
        parenthetical = _PAREN_BEFORE_RE.search(text, max(0, starts[0] - 20), starts[0]) is not None
        years_written = [y.strip() for y in years.group().split(",")]
        yield _Mention(starts, names, joins, etal, years_written, sep, parenthetical), years.end()


def _as_citation(mention: _Mention, index: NarrativeIndex) -> _Mention | None:
    """The mention trimmed to its citation part, or None when it is probably just prose."""
    starts, names, joins = list(mention.starts), list(mention.names), list(mention.joins)
    if not mention.parenthetical:
        # "In Australia, Stuart and Robertson (2012)": drop comma-joined lead-ins
        # that are nobody in the bibliography.
        while len(names) > 1 and joins[0] == "," and not index.resembles(names[0]):
            del starts[0], names[0], joins[0]
    several = len(names) > 1
    if mention.sep == " " and not (several or mention.etal):
        return None  # "November 2006", "Helpline 1800"
    if mention.sep == "," and not (several or mention.etal or mention.parenthetical):
        return None  # "In Sydney, 2006 was …"
    strong = bool(mention.etal) or (several and mention.parenthetical)
    if not strong and not any(index.resembles(n) for n in names):
        return None  # "Medicare Better Access (2006)", "Depression and Anxiety (2019)"
    return _Mention(starts, names, joins, mention.etal, mention.years, mention.sep, mention.parenthetical)


def _verdict(mention: _Mention, index: NarrativeIndex) -> Verdict:
    citation = _as_citation(mention, index)
    if citation is None:
        return None
    return len(mention.names) - len(citation.names), _finding(citation, index)


# --- checking mentions ------------------------------------------------------------

def _written(names: Sequence[str], joins: Sequence[str], etal: str) -> str:
    text = names[0]
    for join, name in zip(joins, names[1:], strict=False):
        text += f", {name}" if join == "," else f" {join} {name}"
    return f"{text} {etal}" if etal else text


def _citation_form(entry: BibEntry) -> str:
    """How APA-style prose names the entry's authors."""
    authors = entry.authors
    if entry.has_others or len(authors) > 3:
        return f"{authors[0]} et al."
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _matches(entry: BibEntry, names: Sequence[str]) -> bool:
    """The names are the entry's first authors, in order (a shortened list is tolerated)."""
    return len(names) <= len(entry.authors) and all(
        _same(n, a) for n, a in zip(names, entry.authors, strict=False))  # names may be fewer


def _year_of(entry: BibEntry) -> str:
    return (entry.year or "")[:4]


def _finding(mention: _Mention, index: NarrativeIndex) -> VerdictFinding | None:
    """What is wrong with a citation, checked against the bibliography."""
    names, etal = mention.names, mention.etal
    written = _written(names, mention.joins, etal)
    for position, name in enumerate(names):
        best, ratio = index.closest(name)
        if ratio < 1.0:
            guess = f" — did you mean '{best}'?" if best else f" '{written}'"
            fixed = [*names[:position], best or name, *names[position + 1:]]
            return (Code.NAR001, f"unknown author '{name}' in narrative citation{guess}",
                    f"write '{_written(fixed, mention.joins, etal)}'" if best else
                    "check the spelling, or add the work to references.bib and cite it with [@key]")
    years = [y[:4] for y in mention.years]
    by_names = [e for e in index.by_first.get(names[0].casefold(), []) if _matches(e, names)]
    # The same people in another order (or not first), e.g. "Robertson (2012)" for stuart2012.
    wanted = {n.casefold() for n in names}
    reordered = [e for e in index.entries
                 if e not in by_names and wanted <= {a.casefold() for a in e.authors}]
    for year in years:
        if any(_year_of(e) == year for e in by_names):
            continue
        dated = [e for e in reordered if _year_of(e) == year]
        if dated or (reordered and not by_names):
            entry = (dated or reordered)[0]
            others = " and others" if entry.has_others else ""
            return (Code.NAR004,
                    (f"author order: '{written}' but {entry.key} lists "
                     f"{', '.join(entry.authors)}{others}"),
                    f"write '{_citation_form(entry)}'")
        found = ", ".join(sorted({_year_of(e) for e in by_names})) or "none by these authors"
        return (Code.NAR002, f"no entry by {written} from {year} — entries: {found}",
                "check the year against references.bib" if by_names else
                "check the names against references.bib, or add the work and cite it with [@key]")
    dated = [e for e in by_names if _year_of(e) in years]
    if etal and dated and all(len(e.authors) <= 2 and not e.has_others for e in dated):
        entry = dated[0]
        count = f"{len(entry.authors)} author{'s' * (len(entry.authors) != 1)}"
        return (Code.NAR003, f"'{names[0]} {etal}' but {entry.key} has {count}",
                f"write '{_citation_form(entry)}'")
    return None


# --- mentions that match no entry at all (NAR005) -----------------------------------------

UNMATCHED = Code.NAR005
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"}
# "Bureau of Statistics (2021)", "The June (2022) update": the name is part of a longer one.
_NAME_JOINERS = {"of", "the", "a", "an", "for", "this", "that", "our", "its", "their"}
# Capitalised words that open a sentence before a surname: "In Smith (2019)", "As Jones (2020)".
_OPENERS = {"in", "as", "see", "by", "and", "but", "while", "when", "unlike", "like", "after", "since",
            "then", "so", "although", "though", "however", "also", "both", "here", "later", "earlier"}


def _inside_a_longer_name(text: str, at: int) -> bool:
    """Whether the word before ``at`` makes what follows part of a proper name, not a surname.

    "Medicare Better Access (2006)", "Beyond Blue (2020)" (a capitalised word before it) and
    "Bureau of Statistics (2021)" are names of things; "In Smith (2019)" and "as Smith (2019)" are not.
    """
    words = text[text.rfind("\n", 0, at) + 1:at].split()
    if not words:
        return False
    last = words[-1]
    if last.casefold() in _NAME_JOINERS:
        return True
    return last[:1].isupper() and last.casefold() not in _OPENERS


def _unmatched(text: str, mention: _Mention, years_end: int, index: NarrativeIndex) -> VerdictFinding | None:
    """A single name and a year in brackets that no entry matches: "Smith (2019)", "(Smith, 2019)".

    Only the plain shapes, and never a name that reads as part of a longer one: a warning
    that fires on prose would teach editors to ignore it. ``Smith \\(2019)`` opts out.
    """
    if len(mention.names) != 1 or mention.etal or text[years_end:years_end + 1] != ")":
        return None
    name, start = mention.names[0], mention.starts[0]
    if name.casefold() in _MONTHS or index.resembles(name):
        return None  # a month, or a bibliography author (the NAR001–004 checks judge those)
    if mention.sep == "(" and not mention.parenthetical:
        if _inside_a_longer_name(text, start):
            return None
        written = f"{name} ({', '.join(mention.years)})"
        escaped = f"{name} \\({', '.join(mention.years)})"
    elif mention.sep == "," and mention.parenthetical:
        bracket = text.rfind("(", 0, start)
        if bracket < 0 or text[bracket - 1:bracket] == "\\" or _inside_a_longer_name(text, bracket):
            return None
        written = f"({name}, {', '.join(mention.years)})"
        escaped = "\\" + written
    else:
        return None
    return (UNMATCHED, f"'{written}' reads as a citation, but references.bib has no work by {name}",
            (f"add the work to references.bib and cite it with [@key]; if it is not a citation, "
             f"write {escaped} (a backslash before the bracket, not shown on the page)"))


def check(page: PageScan, site: SiteContext) -> Iterator[Finding]:
    """NAR findings for the author–year mentions in the page's prose (code and HTML blanked)."""
    text, index = page.prose, site.narrative
    for mention, years_end in _mentions(text, index):
        signature = mention.signature()
        if signature not in index._verdicts:
            index._verdicts[signature] = _verdict(mention, index)
        verdict = index._verdicts[signature]
        if verdict is None:
            unmatched = _unmatched(text, mention, years_end, index)
            if unmatched is not None:
                code, message, hint = unmatched
                yield Finding(code, mention.starts[0], message, hint)
        else:
            dropped, found = verdict
            if found is not None:
                code, message, hint = found
                yield Finding(code, mention.starts[dropped], message, hint)
