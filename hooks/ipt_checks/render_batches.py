"""Split citations into pandoc calls that give the same text as one call, faster.

citeproc's APA disambiguation (adding initials, names or a/b year suffixes) makes
one pandoc call grow roughly with the square of its distinct citations: at 1,000
pages, one call took over three minutes. Disambiguation only ever compares
works whose first authors share a family name, so batches that keep those
together render exactly as one call does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

BATCH_SIZE = 300  # about where a pandoc call's fixed start-up stops dominating


def citation_groups(
    blocks: Sequence[T],
    keys_of: Callable[[T], Iterable[str]],
    family_of: Callable[[str], str],
) -> list[list[T]]:
    """Blocks that must be rendered together, in input order.

    Blocks are joined (union-find) when they cite works whose first authors
    share a family name, directly or through a block citing several works.
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
            family = family_of(key)
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
