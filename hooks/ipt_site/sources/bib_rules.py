"""What a well-formed bibliography entry looks like: the data behind the BIB checks.

Kept apart from the parser so the rules can be read (and argued with) on
their own.  The required fields are biblatex's data model as biber validates
it, not a house style: ``tex/latex/biblatex/blx-dm.def``,
``\\DeclareDatamodelConstraints[...]{\\constraint[type=mandatory]{...}}``.
Biber first maps BibTeX spellings onto that model (biblatex.def,
``\\DeclareDefaultSourcemap``, driver ``bibtex``), so ``journal``, ``school``
and ``address`` count as ``journaltitle``, ``institution`` and ``location``,
and ``@phdthesis`` is ``@thesis`` with its ``type`` already set.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping

# One requirement is a tuple of alternatives: any one of them satisfies it
# (``\constraintfieldsor`` / ``\constraintfieldsxor``).
Requirement = tuple[str, ...]

DATE: Requirement = ("date", "year")  # the \constraintfieldsxor{date, year} block

# blx-dm.def, \DeclareDatamodelConstraints, type=mandatory.  The first block of
# that file adds date-or-year to every type listed here except the ones
# marked "no date" below.
REQUIRED_FIELDS: Mapping[str, tuple[Requirement, ...]] = {
    "article": (("author",), ("title",), ("journaltitle",), DATE),
    "book": (("author",), ("title",), DATE),
    "mvbook": (("author",), ("title",), DATE),
    "inbook": (("author",), ("title",), ("booktitle",), DATE),
    "bookinbook": (("author",), ("title",), ("booktitle",), DATE),
    "suppbook": (("author",), ("title",), ("booktitle",), DATE),
    "booklet": (("author", "editor"), ("title",), DATE),
    "collection": (("editor",), ("title",), DATE),
    "reference": (("editor",), ("title",), DATE),
    "mvcollection": (("author",), ("title",), DATE),
    "mvreference": (("author",), ("title",)),  # no date
    "incollection": (("author",), ("editor",), ("title",), ("booktitle",), DATE),
    "suppcollection": (("author",), ("editor",), ("title",), ("booktitle",), DATE),
    "inreference": (("author",), ("editor",), ("title",), ("booktitle",), DATE),
    "manual": (("title",), DATE),
    "misc": (("title",), DATE),
    # Not biblatex: many official pages show no date, and APA cites them "n.d."; a guessed year would be invented.
    "online": (("title",), ("url",)),
    "patent": (("author",), ("title",), ("number",), DATE),
    "periodical": (("editor",), ("title",), DATE),
    "suppperiodical": (DATE,),
    "proceedings": (("editor",), ("title",), DATE),
    "mvproceedings": (("editor",), ("title",)),  # no date
    "inproceedings": (("author",), ("title",), ("booktitle",), DATE),
    "report": (("author",), ("title",), ("type",), ("institution",), DATE),
    "set": (("entryset",), ("crossref",), DATE),
    "thesis": (("author",), ("title",), ("type",), ("institution",), DATE),
    "unpublished": (("author",), ("title",), DATE),
}

# Types in the data model that carry no mandatory fields at all.
UNCONSTRAINED_TYPES = frozenset(
    "artwork audio bibnote commentary dataset image jurisdiction legal legislation "
    "letter movie music performance review software standard video xdata".split()
)

# Biber's BibTeX driver: old entry types become data-model types.
TYPE_ALIASES: Mapping[str, str] = {
    "conference": "inproceedings",
    "electronic": "online",
    "www": "online",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "techreport": "report",
}

# ...and these old types also set the ``type`` field, so it is never missing.
TYPES_IMPLYING_TYPE_FIELD = frozenset({"phdthesis", "mastersthesis", "techreport"})

# Biber's BibTeX driver: old field names become data-model names.
FIELD_ALIASES: Mapping[str, str] = {
    "journal": "journaltitle",
    "school": "institution",
    "address": "location",
    "annote": "annotation",
    "archiveprefix": "eprinttype",
    "primaryclass": "eprintclass",
    "key": "sortkey",
}

# Biber's default crossref inheritance copies every field of the same name
# except these (biblatex manual, appendix B "Default Inheritance Setup").
NOT_INHERITED = frozenset(
    "ids crossref xref entryset entrysubtype execute label options presort related "
    "relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey".split()
)

# ...and renames a parent's title for children of these types, which is how an
# @incollection gets its booktitle from its @collection.
TITLE_INHERITED_AS: Mapping[tuple[str, str], str] = {
    **{(parent, child): "booktitle"
       for parent in ("book", "mvbook")
       for child in ("inbook", "bookinbook", "suppbook")},
    **{(parent, child): "booktitle"
       for parent in ("collection", "mvcollection", "reference", "mvreference")
       for child in ("incollection", "suppcollection", "inreference")},
    **{(parent, "inproceedings"): "booktitle" for parent in ("proceedings", "mvproceedings")},
    ("periodical", "article"): "journaltitle",
}


def canonical_type(entry_type: str) -> str:
    """The data-model type biber would file this entry under (unknown → misc)."""
    lowered = entry_type.lower()
    lowered = TYPE_ALIASES.get(lowered, lowered)
    if lowered in REQUIRED_FIELDS or lowered in UNCONSTRAINED_TYPES:
        return lowered
    return "misc"  # biber: "invalid entry type … defaulting to 'misc'"


def canonical_fields(entry_type: str, fields: Mapping[str, str]) -> dict[str, str]:
    """Field names as biber sees them after its BibTeX sourcemap (empty values dropped)."""
    result: dict[str, str] = {}
    for name, value in fields.items():
        if not value.strip():
            continue  # an empty field is as good as a missing one
        result.setdefault(FIELD_ALIASES.get(name, name), value)
    if entry_type.lower() in TYPES_IMPLYING_TYPE_FIELD:
        result.setdefault("type", entry_type.lower())
    return result


def missing_fields(entry_type: str, fields: Mapping[str, str]) -> list[str]:
    """Each unmet requirement, spelt 'author' or 'author/editor' (data-model names)."""
    present = canonical_fields(entry_type, fields)
    requirements = REQUIRED_FIELDS.get(canonical_type(entry_type), ())
    return ["/".join(req) for req in requirements if not any(f in present for f in req)]


def inherited_fields(parent_type: str, child_type: str,
                     parent: Mapping[str, str], child: Mapping[str, str]) -> dict[str, str]:
    """The child's fields after biber's crossref inheritance from ``parent``."""
    merged = dict(child)
    rename = TITLE_INHERITED_AS.get((canonical_type(parent_type), canonical_type(child_type)))
    for name, value in parent.items():
        if name in NOT_INHERITED:
            continue
        target = rename if (name == "title" and rename) else name
        merged.setdefault(target, value)
    return merged


# --- field values -----------------------------------------------------------

YEAR_RE = re.compile(r"\d{4}")

# ISO 8601 / EDTF as biblatex reads ``date``: 2022, 2022-06, 2022-06-29, an
# optional time, a trailing ? ~ % (uncertain/approximate), and ranges a/b
# whose ends may be open ("2020/" or "../2022").
_DATE_PART = (
    r"(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?[?~%]?"
)
_DATE_PART_RE = re.compile(_DATE_PART)


def is_valid_year(value: str) -> bool:
    return YEAR_RE.fullmatch(value.strip()) is not None


def _is_valid_date_part(part: str) -> bool:
    match = _DATE_PART_RE.fullmatch(part)
    if not match:
        return False
    if match["month"] is None:
        return True
    month = int(match["month"])
    if match["day"] is None:
        return 1 <= month <= 12 or 21 <= month <= 24  # 21–24 are EDTF seasons
    if not 1 <= month <= 12:
        return False
    year = abs(int(match["year"]))
    return 1 <= int(match["day"]) <= calendar.monthrange(year or 2000, month)[1]


def is_valid_date(value: str) -> bool:
    value = value.strip()
    if "/" not in value:
        return _is_valid_date_part(value)
    start, _, end = value.partition("/")
    if "/" in end or (start in ("", "..") and end in ("", "..")):
        return False
    return all(part in ("", "..") or _is_valid_date_part(part) for part in (start, end))


DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
# The ways people paste a DOI as a link or with a label.
DOI_PREFIX_RE = re.compile(r"(?i)^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)")


def doi_problem(value: str) -> tuple[str, str] | None:
    """(message, hint) if ``value`` is not a bare DOI, else None."""
    value = value.strip()
    if DOI_RE.fullmatch(value):
        return None
    prefix = DOI_PREFIX_RE.match(value)
    if prefix and DOI_RE.fullmatch(value[prefix.end():]):
        bare = value[prefix.end():]
        return (f"DOI '{value}' is written as a link or with a label",
                f"write only the DOI: {bare}")
    return (f"malformed DOI '{value}' (a DOI looks like 10.1176/appi.ajp.2010.10101411)",
            "write only the DOI: 10.xxxx/..., copied from the publisher's page")


# mkdocs-bibtex finds ``[@key]`` with ``@(?P<key>[\w-]+)`` (mkdocs_bibtex/citation.py),
# so a key with any other character can never be cited. The project keeps to ASCII
# letters, digits, '-' and '_' (one rule for references.bib and for the pages).
RENDERABLE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")


def is_renderable_key(key: str) -> bool:
    return RENDERABLE_KEY_RE.fullmatch(key) is not None


def renderable_key_like(key: str) -> str:
    """A citable key close to ``key``: accents dropped (ü to u), other characters removed.

    Never ``key`` itself when it is not citable; 'author2024' when nothing is left.
    """
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", errors="ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_-]+", "", ascii_key) or "author2024"
