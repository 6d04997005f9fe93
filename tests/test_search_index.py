"""Tuning the built search index, as plain functions (the ranking itself: tests/test_search.py)."""

from __future__ import annotations

from ipt_site.site_output.search_index import COMMON_WORDS, SYNONYMS, Synonyms, tune_index


def test_reference_lists_are_left_out() -> None:
    index = {"config": {"lang": ["en"]}, "docs": [
        {"location": "theory/", "title": "The theory", "text": "x"},
        {"location": "theory/#references", "title": "References", "text": "cost-effectiveness"},
    ]}
    tuned = tune_index(index, ())
    assert [d["location"] for d in tuned["docs"]] == ["theory/"]
    assert tuned["config"] == index["config"] and len(index["docs"]) == 2  # the input is not changed


def test_readers_words_go_to_the_one_section_named_by_its_heading() -> None:
    rules = (Synonyms("What it costs", ("fees", "price")),)
    index = {"docs": [{"location": "a/#what-it-costs", "title": "What it  Costs", "text": "<p>Fees vary.</p>"},
                      {"location": "b/#costs-of-care", "title": "Costs of care", "text": ""}]}
    first, second = tune_index(index, rules)["docs"]
    assert first["tags"] == ["fees", "price"] and first["text"] == "<p>Fees vary.</p>"
    assert "tags" not in second


def test_no_synonym_matches_the_common_words_of_a_question() -> None:
    # Material searches each word as a prefix: "a" would find "alternative".
    clashes = [(word, common) for rule in SYNONYMS for word in rule.readers for common in COMMON_WORDS
               if word.startswith(common)]
    assert clashes == []
    words = [word for rule in SYNONYMS for word in rule.readers]
    assert len(words) == len(set(words)), "a word given to two sections"


def test_every_synonym_heading_is_a_heading_on_the_site() -> None:
    import re
    from pathlib import Path

    headings = {
        " ".join(m.lower().split()) for page in (Path(__file__).parent.parent / "docs").glob("*.md")
        for m in re.findall(r"^#{2,3} (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)}
    assert [rule.heading for rule in SYNONYMS if rule.heading.lower() not in headings] == []
