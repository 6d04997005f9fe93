"""Flesch–Kincaid grade level of the prose a reader sees on a built page.

textstat (the usual library) is not used: from 0.7.4 it downloads NLTK's CMU
dictionary at run time, which neither CI nor a clean machine may do. So the
standard formula is computed here. Syllables: pyphen's en_GB hyphenation
dictionary gives one more than a word's hyphenation points (textstat's own
fallback), but it undercounts ("ther-apy"), so we take the larger of that and
the count of vowel groups (less a silent final "e"). Undercounting would make
the pages look easier than they are; this errs the other way.

    grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59

The prose is each paragraph, list item and table cell of the page's article,
without headings, code, citation markers and the reference list. A list item
or cell without a full stop counts as one sentence, as a reader takes it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyphen
from lxml import html as lxml_html

_HYPHENATOR = pyphen.Pyphen(lang="en_GB")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_BLOCKS = "//article//p | //article//li | //article//td"
_DROP = ("//article//sup | //article//pre | //article//code | //article//*[contains(@class, 'footnote')]"
         " | //article//*[contains(@class, 'md-source-file')] | //article//*[contains(@class, 'embed')]"
         " | //article//details")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def syllables(word: str) -> int:
    word = word.lower()
    groups = len(_VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # silent e: "make", "those"
    return max(len(_HYPHENATOR.positions(word)) + 1, groups, 1)


def measure(units: list[str]) -> Readability:
    words = sentences = sylls = 0
    for unit in units:
        found = _WORD.findall(unit)
        if not found:
            continue
        words += len(found)
        sylls += sum(syllables(w) for w in found)
        sentences += max(1, len(_SENTENCE_END.findall(unit)))
    return Readability(words, max(sentences, 1), sylls)


def page_prose(page_html: str) -> list[str]:
    """The text of each paragraph, list item and table cell in the page's article."""
    tree = lxml_html.fromstring(page_html)
    for node in tree.xpath(_DROP):
        node.drop_tree()
    units = []
    for block in tree.xpath(_BLOCKS):
        # A list item's nested list is its own unit.
        own = "".join(t for t in block.xpath("text() | *[not(self::ul or self::ol or self::p)]//text()"))
        own = " ".join(own.split())
        if own:
            units.append(own)
    return units
