"""A fast reader for an evidence record written in its usual, plain layout.

Composing a YAML file into nodes (to keep every value's line for located
errors) takes about a second on libyaml for a record of 20,000 statements
(2.3 MB); loading it as plain data takes longer, not less.
Almost every record is written exactly as CONTRIBUTING.md shows it::

    key:
      source: text
      statements:
        - page: docs/x.md
          says: text
          where: text
          status: checked

This reads that layout line by line and returns what the YAML reader would
give. Anything outside it (other indents, flow style, multi-line or escaped
text, anchors, tags, comments after a value, text YAML would read as a
number, date or true/false), and any record with a problem to report, gives
None: the caller then composes the YAML, which locates every problem. So the
shortcut never decides an error itself; ``tests/test_fast_paths.py`` checks
that both ways give the same record.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = Resolver()
# Plain text YAML might read as something else (true, 12, 2012-01-01, ~): its implicit rules are
# filed by first character (None: rules for any text), so only text starting with one needs them.
_MAY_RESOLVE = frozenset(_RESOLVER.yaml_implicit_resolvers)
# Characters YAML reads as themselves, without line breaks other than '\n' (no '\r', NEL, LS, PS),
# tabs, a byte-order mark or anything YAML rejects.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_LINE = re.compile(r"""
    (?P<blank>[ ]*|\#.*)                                   # empty, or a comment from the first column
  | (?P<key>[A-Za-z0-9_][A-Za-z0-9_.+/-]*):[ ]*            # a bibliography key
  | [ ]{2}(?P<field>[a-z]+):(?:[ ]+(?P<value>.*))?         # a field of the source
  | [ ]{4}-[ ](?P<first>[a-z]+):[ ]+(?P<first_value>.*)    # the first field of a statement
  | [ ]{6}(?P<more>[a-z]+):[ ]+(?P<more_value>.*)          # a further field of that statement
""", re.VERBOSE)
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")


@dataclass
class PlainStatement:
    key: str
    line: int          # of its '- page:' line
    fields: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # name -> (text, line, column)


@dataclass
class PlainRecord:
    key_lines: dict[str, tuple[int, int]] = field(default_factory=dict)
    statements: list[PlainStatement] = field(default_factory=list)


@functools.lru_cache(maxsize=4096)  # statuses, pages and many 'where's repeat
def scalar(raw: str) -> str | None:
    """The text of a one-line value as YAML reads it, stripped; None unless it is plain text."""
    raw = raw.rstrip(" ")
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        inner = raw[1:-1]
        text = None if '"' in inner or "\\" in inner else inner
    elif len(raw) >= 2 and raw[0] == raw[-1] == "'":
        inner = raw[1:-1]
        text = None if "'" in inner.replace("''", "") else inner.replace("''", "'")
    elif (not raw or raw[0] in _PLAIN_START or ": " in raw or " #" in raw or raw.endswith(":")
          or ((raw[0] in _MAY_RESOLVE or None in _MAY_RESOLVE)
              and _RESOLVER.resolve(ScalarNode, raw, (True, False)) != _STR_TAG)):  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
        return None
    else:
        text = raw
    if text is None:
        return None
    return text.strip() or None


def read_plain(text: str, source_fields: frozenset[str]) -> PlainRecord | None:
    """The record's keys and statements, or None when the text is not in the plain layout.

    Statement fields are returned as written (the caller checks names and values);
    ``source_fields`` are the fields a source may have besides ``statements``.
    """
    if _UNUSUAL.search(text):
        return None
    record = PlainRecord()
    key: str | None = None
    seen: set[str] = set()       # the current source's fields
    items = -1                   # statements of the current source so far; -1 outside 'statements:'
    item: PlainStatement | None = None
    for number, line in enumerate(text.split("\n"), 1):
        match = _LINE.fullmatch(line)
        if match is None:
            return None
        if match["blank"] is not None:
            continue
        if match["more"] is not None:
            value = scalar(match["more_value"])
            if item is None or value is None or match["more"] in item.fields:
                return None
            item.fields[match["more"]] = (value, number, match.start("more_value") + 1)
            continue
        if match["first"] is not None:
            value = scalar(match["first_value"])
            if items < 0 or key is None or value is None:
                return None
            item = PlainStatement(key, number, {match["first"]: (value, number, match.start("first_value") + 1)})
            record.statements.append(item)
            items += 1
            continue
        item = None
        if items == 0:
            return None          # 'statements:' with nothing under it
        items = -1
        if match["field"] is not None:
            name, raw = match["field"], (match["value"] or "").strip(" ")
            if key is None or name in seen:
                return None
            seen.add(name)
            if name == "statements":
                if raw:
                    return None
                items = 0
            elif name not in source_fields or scalar(raw) is None:
                return None
            continue
        if key is not None and "statements" not in seen:
            return None
        key = match["key"]
        if key in record.key_lines:
            return None
        record.key_lines[key] = (number, 1)
        seen = set()
    if items == 0 or (key is not None and "statements" not in seen) or not record.key_lines:
        return None
    return record
