"""Split citations into pandoc calls that give the same text as one call, faster.

citeproc's APA disambiguation (adding initials, names or a/b year suffixes) makes
one pandoc call grow roughly with the square of its distinct citations: at 1,000
pages, one call took over three minutes. Disambiguation only ever compares
works whose first rendered names share a family name (citeproc's given-name rule
compares the first name of every citation with every other; a/b suffixes and
added names only separate citations whose text is identical), so batches that
keep those together render exactly as one call does.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from ipt_site.settings import Settings
from ipt_site.sources.bibliography import BibEntry

T = TypeVar("T")

BATCH_SIZE = Settings().pandoc_batch  # about where a pandoc call's fixed start-up stops dominating
NAMELESS = "\0no name"  # works cited by title: they can only collide with each other


def family_key(name: str) -> str:
    """A coarse form of a family name: two names pandoc could print alike get the same key.

    Coarser is always safe (it only makes a group bigger): LaTeX accents decoded,
    then accents, case, braces and particles ('van der') dropped.
    """
    import latexcodec  # noqa: F401 - registers the "latex" codec; it comes with pybtex

    with contextlib.suppress(UnicodeDecodeError, LookupError, ValueError):
        name = name.encode("utf-8").decode("latex")
    name = name.replace("{", "").replace("}", "")
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain.casefold()).split()
    return words[-1] if words else ""


def _first_family(names: str) -> str | None:
    first = names.split(" and ")[0].strip()
    if not first:
        return None
    return family_key(first.split(",")[0] if "," in first else first)


def entry_families(entry: BibEntry) -> list[str]:
    """What can make ``entry`` ambiguous with another: its first rendered name's family
    (author, else editor, as APA), the translator's for a work without either, and its
    crossref parent (rendered from the same data).
    """
    families = [f"\0key {entry.key.casefold()}"]
    if entry.fields.get("crossref", "").strip():
        families.append(f"\0key {entry.fields['crossref'].strip().casefold()}")
    if entry.authors:
        families.append(family_key(entry.authors[0]))
    else:
        families.append(NAMELESS)
        translator = _first_family(entry.fields.get("translator", ""))
        if translator:
            families.append(translator)
    return families


def citation_groups(
    blocks: Sequence[T],
    keys_of: Callable[[T], Iterable[str]],
    families_of: Callable[[str], Iterable[str]],
) -> list[list[T]]:
    """Blocks that must be rendered together, in input order.

    Blocks are joined (union-find) when they cite works that share a family
    (``entry_families``), directly or through a block citing several works.
    """
    parent = list(range(len(blocks)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for index, block in enumerate(blocks):
        for key in keys_of(block):
            for family in families_of(key):
                if family in first_with:
                    parent[root(index)] = root(first_with[family])
                else:
                    first_with[family] = index

    groups: dict[int, list[T]] = {}
    for index, block in enumerate(blocks):
        groups.setdefault(root(index), []).append(block)
    return list(groups.values())


def pack(groups: Iterable[list[T]], size: int = BATCH_SIZE) -> list[list[T]]:
    """Whole groups packed into batches of at most ``size`` blocks (a bigger group stays whole)."""
    batches: list[list[T]] = []
    current: list[T] = []
    for group in groups:
        if current and len(current) + len(group) > size:
            batches.append(current)
            current = []
        current.extend(group)
    if current:
        batches.append(current)
    return batches
