"""The on-disk cache of rendered citations (ipt_site.citation_rendering.citation_cache), without MkDocs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ipt_site.citation_rendering.bib_texts import read_bib_texts
from ipt_site.citation_rendering.citation_cache import CitationCache, Rendered, group_key, look_up, stamp

GROUP = ["[@stuart2012]", "[see @stuart2003, p. 12]"]
RENDERED = Rendered({"[@stuart2012]": "(Stuart & Robertson, 2012)"},
                    {"stuart2012": "Stuart, S., & Robertson, M. (2012)."})


def test_saved_groups_come_back_in_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "citations.json"
    first = CitationCache(path, stamp("bib", "csl"))
    assert first.get(GROUP) is None
    first.put(GROUP, RENDERED)
    first.put_text("full bibliography", "<div>…</div>")
    first.save()
    again = CitationCache(path, stamp("bib", "csl"))
    assert again.get(list(reversed(GROUP))) == RENDERED  # the order of a group's citations does not matter
    assert again.get_text("full bibliography") == "<div>…</div>"


def test_anything_else_changed_makes_the_whole_cache_stale(tmp_path: Path) -> None:
    path = tmp_path / "citations.json"
    cache = CitationCache(path, stamp("bib", "csl"))
    cache.put(GROUP, RENDERED)
    cache.save()
    assert CitationCache(path, stamp("bib edited", "csl")).get(GROUP) is None
    assert CitationCache(path, stamp("bib", "other style")).get(GROUP) is None
    # The parts are length-prefixed, so moving text from one part to the next changes the stamp.
    assert stamp("ab", "c") != stamp("a", "bc")


def test_a_group_with_another_citation_is_rendered_again(tmp_path: Path) -> None:
    cache = CitationCache(tmp_path / "c.json", stamp("x"))
    cache.put(GROUP, RENDERED)
    assert cache.get([*GROUP, "[@stuart2012b]"]) is None
    assert group_key(GROUP) != group_key([*GROUP, "[@stuart2012b]"])


def test_only_what_the_last_build_used_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    cache = CitationCache(path, stamp("x"))
    cache.put(GROUP, RENDERED)
    cache.put(["[@other]"], Rendered({"[@other]": "(Other, 2000)"}, {}))
    cache.save()
    later = CitationCache(path, stamp("x"))
    assert later.get(GROUP) is not None
    later.save()
    assert list(json.loads(path.read_text())["groups"]) == [group_key(GROUP)]


def test_an_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    wrong_shape = json.dumps({"stamp": stamp("x"), "groups": {group_key(GROUP): 5}})
    for junk in ("", "not json", "[]", '{"stamp": 1}', wrong_shape):
        path.write_text(junk)
        cache = CitationCache(path, stamp("x"))
        assert cache.get(GROUP) is None and cache.get_text("full bibliography") is None


# --- keyed by the entries a group cites (bib_texts) --------------------------------------

BIB = """% a comment before any entry
@preamble{"\\newcommand{\\noop}[1]{}"}
@string{jpsy = "Journal of Psychotherapy"}
@string{unused = "Nobody cites this"}

@article{alpha2001,
  author = {Alpha, Ann},
  title = {Cited alone},
  journal = {Some Journal},
  year = {2001}
}

@article{beta2002,
  author = {Beta, Bob},
  title = {Uses a macro},
  journal = jpsy,
  year = {2002}
}

@book{parent2003,
  editor = {Parent, Pat},
  title = {The Book},
  publisher = {Press},
  year = {2003}
}

@incollection{child2003,
  author = {Child, Cy},
  title = {A Chapter},
  crossref = {parent2003},
  pages = {1--10}
}

@misc{uncited2004,
  author = {Nobody, Ned},
  title = {Never cited},
  year = {2004}
}
"""
KEYS = ["alpha2001", "beta2002", "parent2003", "child2003", "uncited2004"]


@dataclass
class _Citation:
    key: str


@dataclass
class _Block:
    citations: list[_Citation]

    def __str__(self) -> str:
        return "[" + "; ".join(f"@{c.key}" for c in self.citations) + "]"


GROUPS = [[_Block([_Citation("alpha2001")])], [_Block([_Citation("beta2002")])], [_Block([_Citation("child2003")])]]


def _render_all(path: Path, bib: str) -> None:
    """A build: every group not in the cache is rendered and stored."""
    cache = CitationCache(path, stamp("csl", "pandoc"))
    for lookup in look_up(GROUPS, read_bib_texts(bib, KEYS), cache):
        cache.put(lookup.blocks, lookup.rendered or Rendered(dict.fromkeys(lookup.blocks, "rendered")), lookup.depends)
    cache.save()


def _rendered_after(tmp_path: Path, edited: str) -> list[list[str]]:
    """The groups a build of ``edited`` must render, after a build of BIB."""
    path = tmp_path / "citations.json"
    _render_all(path, BIB)
    cache = CitationCache(path, stamp("csl", "pandoc"))
    assert edited != BIB
    return [lookup.blocks for lookup in look_up(GROUPS, read_bib_texts(edited, KEYS), cache) if lookup.rendered is None]


def test_an_unchanged_bib_renders_nothing(tmp_path: Path) -> None:
    assert _rendered_after(tmp_path, BIB + "\n") == []


def test_an_edit_to_an_uncited_entry_renders_nothing(tmp_path: Path) -> None:
    assert _rendered_after(tmp_path, BIB.replace("Never cited", "Still never cited")) == []
    assert _rendered_after(tmp_path, BIB.replace("Nobody cites this", "Still nobody")) == []


def test_an_edit_to_a_cited_entry_renders_exactly_its_group(tmp_path: Path) -> None:
    assert _rendered_after(tmp_path, BIB.replace("Cited alone", "Cited alone, edited")) == [["[@alpha2001]"]]
    assert _rendered_after(tmp_path, BIB.replace("year = {2002}", "year = {2012}")) == [["[@beta2002]"]]


def test_an_edit_to_a_string_macro_renders_what_uses_it(tmp_path: Path) -> None:
    edited = BIB.replace('"Journal of Psychotherapy"', '"Journal of Psychotherapy Research"')
    assert _rendered_after(tmp_path, edited) == [["[@beta2002]"]]


def test_an_edit_to_a_crossref_parent_renders_its_children(tmp_path: Path) -> None:
    assert _rendered_after(tmp_path, BIB.replace("{Press}", "{Another Press}")) == [["[@child2003]"]]


def test_an_edit_to_the_preamble_renders_everything(tmp_path: Path) -> None:
    edited = BIB.replace("\\noop}[1]{}", "\\noop}[1]{#1}")
    assert _rendered_after(tmp_path, edited) == [["[@alpha2001]"], ["[@beta2002]"], ["[@child2003]"]]


def test_a_bib_that_cannot_be_cut_safely_renders_everything_on_any_edit(tmp_path: Path) -> None:
    redefined = BIB.replace('@string{unused = "Nobody cites this"}', '@string{jpsy = "Redefined"}')
    texts = read_bib_texts(redefined, KEYS)
    assert texts.whole == redefined and texts.depends(["alpha2001"]) == redefined
    # Two entries on one line: the cut sees one, pybtex two.
    joined = BIB.replace("}\n\n@misc{uncited2004", "} @misc{uncited2004")
    assert read_bib_texts(joined, KEYS).whole == joined


def test_the_full_bibliography_is_rendered_again_after_any_edit(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    cache = CitationCache(path, stamp("x"))
    cache.put_text("full bibliography", "<div>old</div>", BIB)
    cache.save()
    assert CitationCache(path, stamp("x")).get_text("full bibliography", BIB) == "<div>old</div>"
    edited = BIB.replace("Never cited", "Still never cited")
    assert CitationCache(path, stamp("x")).get_text("full bibliography", edited) is None
