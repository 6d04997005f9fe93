"""The References page rendered in batches is byte-identical to one pandoc call (the oracle).

One call over the whole .bib is what the page was before batching; it is slow
past a few hundred entries but exact by definition. Each test renders a
bibliography both ways and compares the HTML.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ipt_site.citation_rendering.bibliography_render import (
    DOCUMENT,
    apa_style_path,
    merge_rendered,
    order_style,
    pandoc_html,
    render_full_bibliography,
    render_in_batches,
    split_bibtex,
    split_rendered,
)
from ipt_site.citation_rendering.render_batches import entry_families, family_key
from ipt_site.sources.bibliography import parse_bibliography

ROOT = Path(__file__).resolve().parent.parent
COLLISIONS = Path(__file__).parent / "fixtures" / "bibliography" / "collisions.bib"
sys.path.insert(0, str(ROOT / "benchmarks"))

from sitegen import write_real_bib  # noqa: E402 - the benchmarks' realistic bibliography


def families(bib: Path) -> dict[str, list[str]]:
    parsed = parse_bibliography(bib.read_bytes(), bib.name)
    assert not [p for p in parsed.problems if p.is_error], [p.format() for p in parsed.problems]
    return {key: entry_families(entry) for key, entry in parsed.entries.items()}


def one_call(bib: Path) -> str:
    return pandoc_html(DOCUMENT, str(bib), apa_style_path(), "test").strip()


def batched(bib: Path, tmp_path: Path, size: int, groups: dict[str, list[str]] | None = None) -> str | None:
    return render_in_batches(bib, apa_style_path(), groups or families(bib), tmp_path, batch_size=size)


@pytest.mark.parametrize("size", [1, 4, 150])
def test_the_real_bibliography(tmp_path: Path, size: int) -> None:
    bib = ROOT / "references.bib"
    assert batched(bib, tmp_path, size) == one_call(bib)


@pytest.mark.parametrize("size", [1, 3, 150])
def test_every_kind_of_collision(tmp_path: Path, size: int) -> None:
    html = batched(COLLISIONS, tmp_path, size)
    expected = one_call(COLLISIONS)
    assert html == expected
    # The fixture does exercise disambiguation: year suffixes, and a crossref child.
    for text in ("(2010a)", "(2010b)", "(2011b)", "(2019b)", "(2020b)", "(2018c)", "In T. Nguyen"):
        assert text in expected


def test_grouping_is_what_keeps_it_exact(tmp_path: Path) -> None:
    # Every entry on its own (no shared families): the a/b suffixes are lost, so the
    # comparison above would catch a grouping that splits colliding works.
    alone = {key: [f"\0key {key}"] for key in families(COLLISIONS)}
    assert batched(COLLISIONS, tmp_path, 1, alone) != one_call(COLLISIONS)


def test_a_generated_bibliography_of_400(tmp_path: Path) -> None:
    bib = tmp_path / "generated.bib"
    write_real_bib(bib, 400)
    html = batched(bib, tmp_path, 40)
    expected = one_call(bib)
    assert html == expected
    assert expected.count('class="csl-entry"') == 400
    assert "2001a)" in expected or any(f"{year}b)" in expected for year in range(1960, 2026))


def test_the_hook_entry_point_batches_and_falls_back(tmp_path: Path) -> None:
    bib = tmp_path / "c.bib"
    bib.write_bytes(COLLISIONS.read_bytes())
    assert render_full_bibliography(bib, apa_style_path(), families(bib)) == one_call(bib)
    assert render_full_bibliography(bib, apa_style_path(), None) == one_call(bib)


# --- the pieces, and when they refuse -------------------------------------------------------

def test_split_keeps_strings_and_entries_as_written() -> None:
    text = "% top\n@string{j = {J}}\n@article{a,\n  title = {x}}\n@comment{skip}\n@book{b, title={y}}\n"
    chunks = split_bibtex(text, ["a", "b"])
    assert chunks is not None
    assert chunks.prelude == "@string{j = {J}}\n"
    assert chunks.entries == {"a": "@article{a,\n  title = {x}}\n", "b": "@book{b, title={y}}\n"}


@pytest.mark.parametrize(("text", "keys"), [
    ("@string{j = {A}}\n@article{a, journal = j}\n@string{j = {B}}\n", ["a"]),  # redefined @string
    ("@article{a, title = {x}}\n@article{a, title = {y}}\n", ["a"]),  # duplicate key
    ("@article{a, title = {x}}\n", ["a", "b"]),  # an entry the cut did not find
    ("@article{a, abstract = {two\n@ lines}}\n", ["a"]),  # an @ starting a line inside a value
])
def test_split_refuses_what_it_cannot_cut_safely(text: str, keys: list[str]) -> None:
    assert split_bibtex(text, keys) is None


def test_order_style_renders_nothing_and_keeps_the_sort() -> None:
    style = order_style(Path(apa_style_path()).read_text(encoding="utf-8"))
    assert style is not None
    assert "disambiguate-add" not in style and "givenname-disambiguation-rule" not in style
    assert '<key macro="author-sort"/>' in style
    assert style.count('<text value="x"/>') == 2


def test_merge_refuses_parts_that_do_not_fit() -> None:
    head, tail = '<div id="refs" class="x">\n', "</div>"
    a = split_rendered(head + '<div id="ref-a" class="csl-entry" role="listitem">\nA\n</div>\n' + tail)
    b = split_rendered(head + '<div id="ref-b" class="csl-entry" role="listitem">\nB\n</div>\n' + tail)
    assert a is not None and b is not None
    assert merge_rendered([a, b], ["b", "a"]) == (
        head + '<div id="ref-b" class="csl-entry" role="listitem">\nB\n</div>\n'
        + '<div id="ref-a" class="csl-entry" role="listitem">\nA\n</div>\n' + tail)
    assert merge_rendered([a, b], ["a"]) is None  # an entry the order does not know
    other = split_rendered('<div id="refs" class="y">\n<div id="ref-c" class="csl-entry">\nC\n</div>\n</div>')
    assert other is not None and merge_rendered([a, other], ["a", "c"]) is None


@pytest.mark.parametrize(("one", "other"), [
    ('M{\\"u}ller', "Müller"),
    ("{\\o}rsted", "Ørsted"),
    ("van Oppen", "{Oppen}"),
    ("Garc{\\'\\i}a", "GARCÍA"),
])
def test_names_pandoc_may_print_alike_share_a_family(one: str, other: str) -> None:
    assert family_key(one) == family_key(other)
