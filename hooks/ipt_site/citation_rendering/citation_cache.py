"""Rendered citations kept on disk between builds, so a rebuild skips pandoc.

pandoc is most of what citations cost a build (benchmarks/README.md). What it
renders for a group of citations (see render_batches.citation_groups) depends
only on that group's citations, the bibliography, the CSL style and the pandoc
and mkdocs-bibtex versions. So each group is stored under a hash of its
citations, in a file stamped with a hash of everything else: edit the .bib,
change the style or upgrade pandoc, and the whole file is ignored and rewritten.
A group whose citations change (a page cites a new work by an author already
cited, say, which can change "2020" into "2020a") gets a new hash and is rendered
again. The file keeps only the groups the last build used.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, cast

SCHEMA = 1
FULL_BIBLIOGRAPHY = "full bibliography"


@dataclass
class Rendered:
    inline: dict[str, str] = field(default_factory=dict)      # citation block text -> inline text
    references: dict[str, str] = field(default_factory=dict)  # key -> reference list entry


class _GroupEntry(TypedDict):
    """A rendered citation group, as stored in the file (``put``)."""

    inline: dict[str, str]
    references: dict[str, str]


class _TextEntry(TypedDict):
    """A named rendered text, such as the full bibliography (``put_text``)."""

    text: str


def stamp(*parts: bytes | str) -> str:
    """A hash of everything rendered text depends on besides the citations."""
    digest = hashlib.sha256(f"schema {SCHEMA}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def group_key(blocks: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(blocks)).encode()).hexdigest()


class CitationCache:
    """``get``/``put`` rendered groups; ``save`` writes what this build used."""

    def __init__(self, path: Path, stamp_value: str) -> None:
        self.path = path
        self.stamp = stamp_value
        # What the file held: JSON not yet checked, so each entry's shape is tested as it is read.
        self._stored: dict[str, object] = {}
        self._used: dict[str, _GroupEntry | _TextEntry] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("stamp") == stamp_value and isinstance(data["groups"], dict):
                self._stored = data["groups"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache yet, or an unreadable one: render everything

    def get(self, blocks: list[str]) -> Rendered | None:
        key = group_key(blocks)
        entry = self._stored.get(key)
        if not (isinstance(entry, dict) and isinstance(entry.get("inline"), dict)
                and isinstance(entry.get("references"), dict)):
            return None
        group = cast("_GroupEntry", entry)  # its shape is checked just above
        self._used[key] = group
        return Rendered(dict(group["inline"]), dict(group["references"]))

    def put(self, blocks: list[str], rendered: Rendered) -> None:
        self._used[group_key(blocks)] = {"inline": rendered.inline, "references": rendered.references}

    def get_text(self, name: str) -> str | None:
        entry = self._stored.get(name)
        if not (isinstance(entry, dict) and isinstance(entry.get("text"), str)):
            return None
        text = cast("_TextEntry", entry)  # its shape is checked just above
        self._used[name] = text
        return text["text"]

    def put_text(self, name: str, text: str) -> None:
        self._used[name] = {"text": text}

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
