"""The on-disk cache of rendered citations (ipt_site.citation_rendering.citation_cache), without MkDocs."""

from __future__ import annotations

import json
from pathlib import Path

from ipt_site.citation_rendering.citation_cache import CitationCache, Rendered, group_key, stamp

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
