"""Batching citations for pandoc keeps every possibly-ambiguous pair in one call."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ipt_site.citation_rendering.render_batches import citation_groups, pack

FAMILY = {"smith2010": "smith", "smith2012": "smith", "jones2001": "jones", "lee1999": "lee", "lee2000": "lee"}


def batches_of(blocks: list[tuple[str, ...]], size: int) -> list[list[tuple[str, ...]]]:
    return pack(citation_groups(blocks, keys_of=lambda b: b, families_of=lambda key: [FAMILY[key]]), size)


def test_same_family_names_share_a_batch() -> None:
    blocks: list[tuple[str, ...]] = [("smith2010",), ("jones2001",), ("lee1999",), ("smith2012",), ("lee2000",)]
    batches = batches_of(blocks, size=2)
    where = {key: n for n, batch in enumerate(batches) for block in batch for key in block}
    assert where["smith2010"] == where["smith2012"]
    assert where["lee1999"] == where["lee2000"]
    assert len(batches) == 3


def test_a_block_citing_two_families_joins_them() -> None:
    blocks = [("smith2010",), ("jones2001",), ("jones2001", "smith2012")]
    # All three are linked, so they stay in one batch even though size is 1.
    assert len(batches_of(blocks, size=1)) == 1


@given(st.lists(st.lists(st.sampled_from(sorted(FAMILY)), min_size=1, max_size=3).map(tuple), max_size=40),
       st.integers(min_value=1, max_value=10))
def test_every_block_once_and_families_never_split(blocks: list[tuple[str, ...]], size: int) -> None:
    batches = batches_of(blocks, size)
    assert sorted(b for batch in batches for b in batch) == sorted(blocks)
    homes: dict[str, set[int]] = {}
    for n, batch in enumerate(batches):
        for block in batch:
            for key in block:
                homes.setdefault(FAMILY[key], set()).add(n)
    assert all(len(h) == 1 for h in homes.values())
