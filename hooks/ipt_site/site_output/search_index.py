"""Tune the built search index so readers' questions land on the answer.

Material's search (lunr, in a web worker) matches the words a reader types
against the words on the page, with a prefix match ("cost" finds "costs") but
no stemming and no synonyms; a page title's words count 1,000 times a body
word's, so "IPT" or "feel" in "What is IPT?" or "…how you feel" outranked the
answer to "how much does IPT cost" or "I feel suicidal". Two changes, made to
the built ``search/search_index.json`` so the pages stay as written:

1. Each page's reference list (its "References" section) is left out. Book
   and article titles ("…cost-effectiveness…") otherwise outrank the sections
   that answer the question.
2. The section that answers a common question gets the readers' words for it
   ("fees", "price", "teenager") in Material's ``tags`` field, which the index
   weights above titles (1,000,000): a reader's word then lands on its answer
   first. Each list belongs to one section, named by its exact heading, so
   the words cannot spread to other sections. Search results do not show these
   tags (assets/stylesheets/a11y.css hides them): they are for matching only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

REFERENCES_ANCHOR = "#references"
# The heading hooks/citations.py ends a citing page with (its section is the page's last).
REFERENCES_HEADING = '<h2 id="references">'
_HEADING = re.compile(r"<h[1-6][\s>]", re.IGNORECASE)
_HEADING_WITH_ID = re.compile(r"<h[1-6]\s[^>]*\bid=", re.IGNORECASE)


@dataclass(frozen=True)
class Synonyms:
    """Readers' words for the section that answers them."""

    heading: str               # the section's heading, exactly (case and spacing aside)
    readers: tuple[str, ...]   # words readers use for it that the section may not


# From the readers' questions in tests/test_search.py, and the words readers use for
# these topics. No word is given to two sections. Material searches each typed word as
# a prefix ("a" finds "alternative"), so no word here may start with a short word that
# questions are full of ("a", "i", "is", "me", "do", "the", "you"...): see COMMON_WORDS.
SYNONYMS: tuple[Synonyms, ...] = (
    Synonyms("How many sessions", ("many", "long", "length", "number", "course")),
    Synonyms("What it costs", ("cost", "costs", "fee", "fees", "price", "pay", "paying", "money",
                               "expensive", "rebate", "gap")),
    Synonyms("The short answer", ("evidence", "research", "proof", "proven", "effective",
                                  "effectiveness", "studies", "science", "work", "works")),
    Synonyms("Young people and teenagers", ("teenager", "teen", "teens", "kids", "child",
                                            "children", "school", "student", "daughter")),
    Synonyms("Pregnancy and after birth", ("pregnant", "pregnancy", "postnatal", "postpartum", "baby",
                                           "birth", "mum", "mother", "perinatal", "breastfeeding")),
    Synonyms("Group IPT", ("group", "groups")),
    # "online" starts with "on", a common word; kept, as it is what readers call video sessions.
    Synonyms("Sessions by video or phone", ("online", "telehealth", "video", "zoom", "remote", "phone")),
    Synonyms("Where to look", ("near", "nearby", "directory", "psychologist", "counsellor", "local")),
    Synonyms("IPT is not widely available", ("hard", "rare", "waiting", "wait", "shortage")),
    Synonyms("What IPT certification means", ("certified", "certification", "qualified", "qualifications",
                                              "training", "trained")),
    Synonyms("If you need an interpreter", ("language", "translator", "translate", "english")),
    Synonyms("In an emergency", ("suicide", "suicidal", "urgent", "danger", "emergency", "crisis",
                                 "kill", "unsafe")),
    Synonyms("When another treatment may come first", ("suit", "suitable", "unsuitable", "severe",
                                                       "psychosis", "psychotic", "right")),
    Synonyms("Grief", ("grief", "death", "died", "loss", "mourning", "grieving")),
    Synonyms("Relationship conflicts", ("fighting", "fights", "conflict", "divorce", "separation",
                                        "marriage", "partner", "row", "rows")),
    Synonyms("Major life changes", ("retirement", "retire", "job", "moving", "redundancy")),
    Synonyms("Medicare Mental Health Centres", ("free", "walk", "centre", "centres")),
)

# Short words that readers' questions are full of. A reader's word is searched as a
# prefix, so a synonym starting with one of these would match almost every question.
COMMON_WORDS = ("a", "i", "is", "it", "in", "me", "my", "to", "do", "the", "how", "can", "an",
                "of", "for", "and", "be", "we", "he", "so", "no", "or", "at", "as", "if", "us",
                "you", "what", "who", "why", "get", "need", "help", "with", "about", "when")


def tune_index(index: Mapping[str, Any], synonyms: Sequence[Synonyms] = SYNONYMS) -> dict[str, Any]:
    """A copy of Material's search index with reference lists out and readers' words in."""
    by_heading = {_normal(entry.heading): list(entry.readers) for entry in synonyms}
    docs = []
    for doc in index.get("docs", []):
        if str(doc.get("location", "")).endswith(REFERENCES_ANCHOR):
            continue
        words = by_heading.get(_normal(str(doc.get("title", ""))))
        if words:
            doc = {**doc, "tags": [*doc.get("tags", []), *words]}
        docs.append(doc)
    return {**index, "docs": docs}


def reference_list_start(html: str) -> int | None:
    """Where a page's closing References section starts, or None if the page has none.

    ``tune_index`` drops that section from the index, so the search plugin need not
    read it: the reference lists are most of a citing page's HTML, and Material's
    parser (pure Python) spent about 2 s on them at 1,000 pages. Only a last
    section is cut, one that no heading follows and no ``data-search-`` attribute
    (read by the plugin) is in, after a heading the plugin opens a section for
    (else the list's heading opens the page's first entry): so the other sections'
    entries stay exactly the same.
    """
    start = html.rfind(REFERENCES_HEADING)
    if (start < 0 or _HEADING.search(html, start + 1) or "data-search-" in html[start:]
            or not _HEADING_WITH_ID.search(html, 0, start)):
        return None
    return start


def _normal(text: str) -> str:
    return " ".join(text.lower().split())
