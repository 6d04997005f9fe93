"""Fill mkdocs-bibtex's registry with every citation of the site: from the cache where the
group is unchanged, else rendered by pandoc in batches, one thread per core.

mkdocs-bibtex (pinned 4.4.x) formats into two dicts of its registry, ``_inline_cache``
and ``_reference_cache``, which the pages then read; ``validate_citation_blocks``
renders the blocks it is given in one pandoc call. Rendering all the site's citations
here, grouped (render_batches) and batched, replaces its one call per page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ipt_site.citation_rendering import bibtex_pandoc
from ipt_site.citation_rendering.bib_texts import BibTexts
from ipt_site.citation_rendering.citation_cache import CitationCache, Lookup, Rendered, look_up
from ipt_site.citation_rendering.render_batches import citation_groups, pack


@dataclass
class Plan:
    """The citations still to render after the cache, in groups, and the pages citing each block."""

    to_render: list[Lookup[Any]]  # Lookup[mkdocs_bibtex.citation.CitationBlock]
    pages_of: dict[str, list[str]]  # block text -> the pages that cite it, for errors


def plan_registry(
    registry: Any,  # mkdocs_bibtex.registry.PandocRegistry (untyped)
    where: Mapping[str, str],
    families: Mapping[str, Sequence[str]],
    texts: BibTexts,
    cache: CitationCache | None,
) -> Plan:
    """Group the citations of every prepared page text in ``where`` (text -> its first page);
    the groups the cache holds go into ``registry`` now, the rest are the plan."""
    from mkdocs_bibtex.citation import CitationBlock

    unique: dict[str, CitationBlock] = {}
    pages_of: dict[str, list[str]] = {}
    for text, path in where.items():
        for block in CitationBlock.from_markdown(text):
            unique.setdefault(str(block), block)
            pages_of.setdefault(str(block), []).append(path)
    groups = citation_groups(
        list(unique.values()),
        keys_of=lambda block: (citation.key for citation in block.citations),
        families_of=lambda key: families.get(key, (key,)),
    )
    # From the cache where the group and the entries it cites are unchanged...
    to_render = []
    for lookup in look_up(groups, texts, cache):
        if lookup.rendered is None:
            to_render.append(lookup)
        else:
            registry._inline_cache.update(lookup.rendered.inline)
            registry._reference_cache.update(lookup.rendered.references)
    return Plan(to_render, pages_of)


def render_planned(
    registry: Any,
    plan: Plan,
    texts: BibTexts,
    cache: CitationCache | None,
    batch_size: int,
    time_limit: float,
    threads: int | None = None,
    before_each: Callable[[], None] | None = None,
) -> None:
    """Render the plan's groups into ``registry`` in batches, ``threads`` at a time (None: one a core).

    ``before_each`` is called before each batch starts (it may raise to start no more).
    Raises what pandoc or pybtex raised (``PandocTimeout`` past ``time_limit``); only
    groups rendered without error go into ``cache``.
    """
    from mkdocs_bibtex.citation import CitationBlock

    # ...and the rest in batches; pandoc runs in its own processes, so threads overlap them.
    # Each batch's call reads only the BibTeX its citations need, when the file could be cut
    # into entries; else (or with no verbatim file) the registry's own, as before.
    bibtex_pandoc.bibliography_per_thread(registry)

    def render(batch: list[CitationBlock]) -> None:
        if before_each is not None:
            before_each()
        bibliography = (texts.bibtex(citation.key for block in batch for citation in block.citations)
                        if texts.whole is None else None)
        with bibtex_pandoc.rendering(batch_description(batch, plan.pages_of), time_limit, bibliography):
            registry.validate_citation_blocks(batch)

    with ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1) as pool:
        list(pool.map(render, pack([lookup.group for lookup in plan.to_render], batch_size)))
    if cache:
        for lookup in plan.to_render:
            cache.put(lookup.blocks, Rendered(
                {b: registry._inline_cache[b] for b in lookup.blocks if b in registry._inline_cache},
                {c.key: registry._reference_cache[c.key] for b in lookup.group for c in b.citations
                 if c.key in registry._reference_cache},
            ), lookup.depends)


def batch_description(batch: Sequence[object], pages_of: Mapping[str, list[str]]) -> str:
    pages = sorted({path for block in batch for path in pages_of.get(str(block), [])})
    more = f" and {len(pages) - 3} more pages" if len(pages) > 3 else ""
    return f"rendering {len(batch)} citations of {', '.join(pages[:3])}{more}"
