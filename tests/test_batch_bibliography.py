"""Each batch of citations hands pandoc only the BibTeX it reads, and gets the same text back.

The oracle is mkdocs-bibtex's own registry and real pandoc: the same citations
rendered with the whole file (as mkdocs-bibtex does) and in the project's
batches, each reading only its own entries.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from ipt_site.citation_rendering import bibtex_pandoc
from ipt_site.citation_rendering.bib_texts import read_bib_texts
from ipt_site.citation_rendering.bibliography_render import apa_style_path
from ipt_site.citation_rendering.pandoc_run import run_pandoc as real_run
from ipt_site.citation_rendering.registry_fill import plan_registry, render_planned
from test_bibliography_render import families
from test_citation_cache import BIB, KEYS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from sitegen import write_real_bib


def test_a_batch_reads_only_what_its_citations_use_in_the_file_order() -> None:
    texts = read_bib_texts(BIB, KEYS)
    child = texts.bibtex(["child2003"])
    assert "@incollection{child2003" in child and "@book{parent2003" in child  # its crossref parent
    assert child.index("@book{parent2003") < child.index("@incollection{child2003")  # as in the file
    assert "@preamble" in child
    assert "alpha2001" not in child and "uncited2004" not in child and "@string" not in child
    beta = texts.bibtex(["BETA2002"])  # keys as cited, in any case
    assert beta.index("@string{jpsy") < beta.index("@article{beta2002")
    assert "unused" not in beta and "alpha2001" not in beta


def test_a_file_that_cannot_be_cut_is_read_whole() -> None:
    twice = BIB + '\n@string{jpsy = "Another Journal"}\n'  # which value an entry sees depends on its place
    assert read_bib_texts(twice, KEYS).bibtex(["beta2002"]) == twice


def _registry(bib: Path) -> Any:
    from mkdocs_bibtex.registry import PandocRegistry

    bibtex_pandoc.install()
    registry = PandocRegistry([str(bib)], apa_style_path(), None)
    registry.__dict__["bib_data_bibtex"] = bib.read_text(encoding="utf-8")  # the file as written, as the hook does
    return registry


@pytest.fixture(scope="module")
def real_bib(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("bib") / "references.bib"
    return path, write_real_bib(path, 600)


def test_batches_render_the_same_text_as_the_whole_file(
    real_bib: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_bibtex.citation import CitationBlock

    path, keys = real_bib
    # Single citations and pairs (so groups join): every key cited somewhere.
    markdown = "\n\n".join(
        f"Text [@{keys[n]}]." if n % 3 else f"Text [@{keys[n]}; @{keys[(n * 7) % len(keys)]}]."
        for n in range(len(keys)))
    blocks = CitationBlock.from_markdown(markdown)

    whole = _registry(path)
    whole.validate_citation_blocks(blocks)  # mkdocs-bibtex's own way: one call, the whole file

    handed: list[int] = []  # the size of the .bib each batch's pandoc call reads
    def run_pandoc(text: str, from_format: str, to_format: str, args: list[str], *rest: Any) -> str:
        handed.append(Path(args[args.index("--bibliography") + 1]).stat().st_size)
        return real_run(text, from_format, to_format, args, *rest)

    monkeypatch.setattr(bibtex_pandoc, "run_pandoc", run_pandoc)
    batched = _registry(path)
    texts = read_bib_texts(path.read_text(encoding="utf-8"), keys)
    # Works that can change each other's text stay in one batch (render_batches), as in the build.
    plan = plan_registry(batched, {markdown: "docs/page.md"}, families(path), texts, None)
    render_planned(batched, plan, texts, None, batch_size=100, time_limit=300)
    assert batched._inline_cache == whole._inline_cache
    assert batched._reference_cache == whole._reference_cache
    assert len(whole._reference_cache) == len(keys)
    # Every batch read its own entries: all of them together about one file, not one file each.
    assert len(handed) >= 3
    assert sum(handed) < 1.1 * path.stat().st_size


def test_the_bibliography_a_thread_is_given_stays_in_that_thread(real_bib: tuple[Path, list[str]]) -> None:
    path, _ = real_bib
    registry = _registry(path)
    bibtex_pandoc.bibliography_per_thread(registry)
    bibtex_pandoc.bibliography_per_thread(registry)  # idempotent
    seen: dict[str, str] = {}

    def other() -> None:
        seen["other"] = registry.bib_data_bibtex

    with bibtex_pandoc.rendering("a batch", None, "@misc{only,}"):
        seen["this"] = registry.bib_data_bibtex
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    seen["after"] = registry.bib_data_bibtex
    assert seen["this"] == "@misc{only,}"
    assert seen["other"] == seen["after"] == path.read_text(encoding="utf-8")
