"""One marker per citation: the author–date text becomes the link to its reference (no MkDocs needed)."""

from __future__ import annotations

from ipt_site.citation_rendering.citation_markers import merge_citation_markers


def sup(ref_id: str, key: str, number: int) -> str:
    """Python-Markdown's footnote marker, as it renders it."""
    return f'<sup id="{ref_id}"><a class="footnote-ref" href="#fn:{key}">{number}</a></sup>'


def link(ref_id: str, key: str, text: str) -> str:
    return f'<a class="footnote-ref ipt-cite" id="{ref_id}" href="#fn:{key}">{text}</a>'


def test_one_work_becomes_one_link_and_the_number_goes() -> None:
    html = f"<p>IPT is short (Stuart &amp; Robertson, 2012){sup('fnref:stuart2012', 'stuart2012', 2)}.</p>"
    assert merge_citation_markers(html) == (
        f"<p>IPT is short {link('fnref:stuart2012', 'stuart2012', '(Stuart &amp; Robertson, 2012)')}.</p>")


def test_two_works_become_two_links_in_order() -> None:
    html = f"(Cuijpers et al., 2011; Cuijpers et al., 2016){sup('fnref3:a', 'a', 1)} {sup('fnref4:b', 'b', 2)}."
    assert merge_citation_markers(html) == (
        f"{link('fnref3:a', 'a', '(Cuijpers et al., 2011')}; {link('fnref4:b', 'b', 'Cuijpers et al., 2016)')}.")


def test_same_authors_two_years_are_two_works() -> None:
    html = f"(Stuart &amp; Robertson, 2003, 2012){sup('fnref:s3', 's3', 2)} {sup('fnref:s12', 's12', 3)}"
    assert merge_citation_markers(html) == (
        f"{link('fnref:s3', 's3', '(Stuart &amp; Robertson, 2003')}, {link('fnref:s12', 's12', '2012)')}")


def test_a_narrative_citation_links_its_year() -> None:
    html = f"Cuijpers and colleagues (2011){sup('fnref:c', 'c', 1)} pooled 38 studies."
    assert merge_citation_markers(html) == (
        f"Cuijpers and colleagues {link('fnref:c', 'c', '(2011)')} pooled 38 studies.")


def test_unpaired_works_and_markers_are_left_as_they_were() -> None:
    html = f"(Stuart &amp; Robertson, 2012){sup('fnref:a', 'a', 1)} {sup('fnref:b', 'b', 2)}"
    assert merge_citation_markers(html) == html


def test_footnotes_that_are_not_citations_are_left_alone() -> None:
    html = f"A note{sup('fnref:note', 'note', 1)} and (see above){sup('fnref:x', 'x', 2)}."
    assert merge_citation_markers(html) == html


def test_works_with_no_date_become_links_too() -> None:
    # Web pages have no year: APA writes "n.d.", and "n.d.-a", "n.d.-b" for two by the same author.
    html = f"go to a hospital (Services Australia, n.d.){sup('fnref:sa', 'sa', 1)}."
    assert merge_citation_markers(html) == f"go to a hospital {link('fnref:sa', 'sa', '(Services Australia, n.d.)')}."
    two = f"(healthdirect, n.d.-a, n.d.-b){sup('fnref:h1', 'h1', 1)} {sup('fnref:h2', 'h2', 2)}"
    assert merge_citation_markers(two) == (
        f"{link('fnref:h1', 'h1', '(healthdirect, n.d.-a')}, {link('fnref:h2', 'h2', 'n.d.-b)')}")


def test_a_title_in_italics_is_kept_in_the_link() -> None:
    # A work with no author is cited by its title, which pandoc puts in <em>.
    html = f"(<em>Evaluation of Suicide Prevention Activities</em>, 2014){sup('fnref:d', 'd', 3)}."
    assert merge_citation_markers(html) == (
        f"{link('fnref:d', 'd', '(<em>Evaluation of Suicide Prevention Activities</em>, 2014)')}.")
