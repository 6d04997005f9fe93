"""Rendered citations kept on disk between builds, so a rebuild skips pandoc.

pandoc is most of what citations cost a build (benchmarks/README.md). What it
renders for a group of citations (see render_batches.citation_groups) depends
only on that group's citations, the BibTeX text of the entries they cite (with
what that text uses: bib_texts.BibTexts.depends), the CSL style and the pandoc
and mkdocs-bibtex versions. So each group is stored under a hash of its
citations and of that text, in a file stamped with a hash of the rest: edit one
entry of the .bib and only the groups citing it are rendered again; change the
style or upgrade pandoc and the whole file is ignored and rewritten. A group
whose citations change (a page cites a new work by an author already cited,
say, which can change "2020" into "2020a") gets a new hash and is rendered
again. The file keeps only the groups the last build used.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from ipt_site.citation_rendering.bib_texts import BibTexts

SCHEMA = 2
FULL_BIBLIOGRAPHY = "full bibliography"


@dataclass
class Rendered:
    inline: dict[str, str] = field(default_factory=dict)      # citation block text -> inline text
    references: dict[str, str] = field(default_factory=dict)  # key -> reference list entry


def stamp(*parts: bytes | str) -> str:
    """A hash of everything rendered text depends on besides the citations."""
    digest = hashlib.sha256(f"schema {SCHEMA}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def group_key(blocks: list[str], depends: str = "") -> str:
    """The key of a group: its citations (in any order) and the text they read (``depends``)."""
    return stamp("\n".join(sorted(blocks)), depends)


class CitationCache:
    """``get``/``put`` rendered groups; ``save`` writes what this build used."""

    def __init__(self, path: Path, stamp_value: str) -> None:
        self.path = path
        self.stamp = stamp_value
        # group key -> {"inline": {...}, "references": {...}}; name -> {"text": ..., "depends": ...}
        self._stored: dict[str, dict[str, object]] = {}
        self._used: dict[str, dict[str, object]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("stamp") == stamp_value and isinstance(data["groups"], dict):
                self._stored = {key: entry for key, entry in data["groups"].items() if isinstance(entry, dict)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache yet, or an unreadable one: render everything

    def get(self, blocks: list[str], depends: str = "") -> Rendered | None:
        key = group_key(blocks, depends)
        entry = self._stored.get(key, {})
        inline, references = entry.get("inline"), entry.get("references")
        if not (isinstance(inline, dict) and isinstance(references, dict)):
            return None
        self._used[key] = entry
        return Rendered(dict(inline), dict(references))

    def put(self, blocks: list[str], rendered: Rendered, depends: str = "") -> None:
        self._used[group_key(blocks, depends)] = {"inline": rendered.inline, "references": rendered.references}

    def get_text(self, name: str, depends: str = "") -> str | None:
        """The text stored as ``name``, if it was made from the same ``depends``."""
        entry = self._stored.get(name, {})
        text = entry.get("text")
        if not (isinstance(text, str) and entry.get("depends") == stamp(depends)):
            return None
        self._used[name] = entry
        return text

    def put_text(self, name: str, text: str, depends: str = "") -> None:
        self._used[name] = {"text": text, "depends": stamp(depends)}

    def save(self) -> None:
        """Write the groups this build used, atomically. Raises OSError if it cannot."""
        if self._used == self._stored:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent,
                                         prefix=self.path.name, suffix=".tmp", delete=False) as out:
            json.dump({"stamp": self.stamp, "groups": self._used}, out, ensure_ascii=False)
        Path(out.name).replace(self.path)
        self._stored = dict(self._used)


def site_cache(path: Path, csl_path: Path) -> CitationCache:
    """The cache at ``path`` for the CSL style at ``csl_path`` and the pandoc and mkdocs-bibtex installed."""
    from importlib.metadata import version

    import pypandoc

    return CitationCache(path, stamp(csl_path.read_bytes(), pypandoc.get_pandoc_version(), version("mkdocs-bibtex")))


class Block(Protocol):
    """A citation block as mkdocs-bibtex parses it: its text is its ``str``."""

    @property
    def citations(self) -> Sequence[Cited]: ...


class Cited(Protocol):
    @property
    def key(self) -> str: ...


B = TypeVar("B", bound=Block)


@dataclass(frozen=True)
class Lookup(Generic[B]):
    group: list[B]
    depends: str  # the BibTeX text the group reads (bib_texts.BibTexts.depends)
    rendered: Rendered | None  # from the cache; None: pandoc must render the group

    @property
    def blocks(self) -> list[str]:
        return [str(block) for block in self.group]


def look_up(groups: Iterable[list[B]], texts: BibTexts, cache: CitationCache | None) -> list[Lookup[B]]:
    """Each group with what it depends on and, when unchanged since a build that rendered it, its texts."""
    found = []
    for group in groups:
        depends = texts.depends(citation.key for block in group for citation in block.citations)
        lookup = Lookup(group, depends, None)
        found.append(Lookup(group, depends, cache.get(lookup.blocks, depends)) if cache else lookup)
    return found
