"""The evidence record: which source supports which statement on which page.

``evidence.yml`` sits beside ``references.bib``. For each bibliography key it
lists the statements that source supports, page by page, where in the source
each one is found, and how sure we are that the source says it::

    stuart2012:
      source: Stuart & Robertson, Interpersonal Psychotherapy, 2nd edition (2012)
      statements:
        - page: docs/theory.md
          says: IPT has three theoretical foundations; attachment theory is the most important.
          where: "as summarised in content-sources.md, 'Facts about IPT: Theory'"
          status: checked
          note: optional words for the clinical reviewer

The build can only check what is mechanical: every key a page cites has a
statement recorded for that page, every recorded statement names a real key
and a page that cites it, and no page leans on a source whose statements for
it are all ``unchecked``. Whether the source really says the statement is the
clinical reviewer's job; this file is what they read against the source.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ipt_site.codes import Code
from ipt_site.problems import Problem, line_col
from ipt_site.sources.evidence_plain import read_plain

if TYPE_CHECKING:
    from ipt_site.checks.site_context import Project

EVIDENCE_FILE = "evidence.yml"
STATUSES = ("checked", "secondary", "unchecked")
PUBLISHABLE = frozenset({"checked", "secondary"})
STATEMENT_FIELDS = ("page", "says", "where", "status")   # required
OPTIONAL_STATEMENT_FIELDS = ("note",)
_STATEMENT_NAMES = frozenset(STATEMENT_FIELDS + OPTIONAL_STATEMENT_FIELDS)
SOURCE_FIELDS = ("statements",)                          # required
OPTIONAL_SOURCE_FIELDS = ("source", "note")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_HOW_TO = "see CONTRIBUTING.md, 'The evidence record'"


@dataclass(frozen=True)
class Statement:
    key: str
    page: str
    says: str
    where: str
    status: str
    line: int          # of the '- page:' entry in the record, for located errors
    page_line: int     # of the page value
    page_column: int


@dataclass
class EvidenceRecord:
    path: str                          # as shown in problems, e.g. 'evidence.yml'
    statements: list[Statement]
    key_lines: dict[str, tuple[int, int]]  # key -> (line, column) of its entry
    problems: list[Problem]
    found: bool = True
    parsed: bool = True                # False when the YAML itself is broken
    _index: dict[tuple[str, str], list[Statement]] | None = field(default=None, repr=False)
    _indexed: int = field(default=0, repr=False)


    def for_page(self, key: str, page: str) -> list[Statement]:
        return self._by_key_and_page().get((key, page), [])

    def _by_key_and_page(self) -> dict[tuple[str, str], list[Statement]]:
        # Built once: a big site asks for every (key, page) it cites.
        if self._index is None or self._indexed != len(self.statements):
            self._index = {}
            for statement in self.statements:
                self._index.setdefault((statement.key, statement.page), []).append(statement)
            self._indexed = len(self.statements)
        return self._index


def load_evidence(file: Path, shown_as: str) -> EvidenceRecord:
    """Read the record; a missing or unreadable file is one located problem."""
    if not file.is_file():
        return EvidenceRecord(shown_as, [], {}, [Problem(
            shown_as, 0, 0, Code.EVD001.name, "no evidence record: the file does not exist",
            f"create {EVIDENCE_FILE} beside references.bib, with the statements each cited source supports "
            f"({_HOW_TO})")], found=False)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return EvidenceRecord(shown_as, [], {}, [Problem(
            shown_as, 0, 0, Code.EVD002.name, f"the evidence record cannot be read: {error}",
            "save it as UTF-8 text")], parsed=False)
    return parse_evidence(text, shown_as)


def parse_evidence(text: str, path: str) -> EvidenceRecord:
    """Parse the record's text; every malformed part is a problem at its line, never an exception."""
    return _plain_record(text, path) or compose_evidence(text, path)


def _plain_record(text: str, path: str) -> EvidenceRecord | None:
    """The record read by the fast reader, or None: not in the plain layout, or it has a problem to locate."""
    plain = read_plain(text, frozenset(OPTIONAL_SOURCE_FIELDS))
    if plain is None:
        return None
    statements = []
    for item in plain.statements:
        fields = item.fields
        if (fields.keys() - _STATEMENT_NAMES or not fields.keys() >= set(STATEMENT_FIELDS)
                or fields["status"][0] not in STATUSES):
            return None
        page, page_line, page_column = fields["page"]
        statements.append(Statement(item.key, page, fields["says"][0], fields["where"][0], fields["status"][0],
                                    item.line, page_line, page_column))
    return EvidenceRecord(path, statements, plain.key_lines, [])


def compose_evidence(text: str, path: str) -> EvidenceRecord:
    """Parse the record through YAML nodes, which locate every problem (the general, slower way)."""
    record = EvidenceRecord(path, [], {}, [])
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = getattr(error, "problem", None) or str(error)
        record.problems.append(Problem(path, line, column, Code.EVD002.name,
                                       f"the evidence record is not valid YAML: {reason}",
                                       "fix the YAML at this line: indent with spaces, and quote text that "
                                       "contains ': ' or starts with a quote mark"))
        record.parsed = False
        return record
    if root is None:
        return record
    if not isinstance(root, MappingNode):
        record.problems.append(_bad_shape(path, root, "the evidence record must be a list of 'key:' entries, "
                                                      "one per bibliography key"))
        return record
    for key_node, value in root.value:
        key = str(key_node.value)
        line, column = _at(key_node)
        if key in record.key_lines:
            record.problems.append(Problem(path, line, column, Code.EVD002.name, f"'{key}' is recorded twice",
                                           "merge its statements into one entry"))
            continue
        record.key_lines[key] = (line, column)
        _read_source(record, key, value)
    return record


def _read_source(record: EvidenceRecord, key: str, node: Node) -> None:
    wanted, shape = SOURCE_FIELDS + OPTIONAL_SOURCE_FIELDS, f"'{key}' must hold fields such as 'statements:'"
    if (fields := _mapping(record, node, wanted, f"'{key}'", shape)) is None:
        return
    path = record.path
    if "statements" not in fields:
        line, column = record.key_lines[key]
        record.problems.append(Problem(path, line, column, Code.EVD003.name, f"'{key}' has no 'statements:' list",
                                       f"list what this source supports, page by page ({_HOW_TO})"))
        return
    statements = fields["statements"]
    if not isinstance(statements, SequenceNode):
        record.problems.append(
            _bad_shape(path, statements, f"'statements' of '{key}' must be a list of '- page:' items"))
        return
    for item in statements.value:
        _read_statement(record, key, item)


def _read_statement(record: EvidenceRecord, key: str, node: Node) -> None:
    what = f"a statement of '{key}'"
    wanted = STATEMENT_FIELDS + OPTIONAL_STATEMENT_FIELDS
    if (fields := _mapping(record, node, wanted, what, f"{what} must be fields: page, says, where, status")) is None:
        return
    path, (line, column) = record.path, _at(node)
    values: dict[str, str] = {}
    for name in STATEMENT_FIELDS + OPTIONAL_STATEMENT_FIELDS:
        value = fields.get(name)
        if value is None:
            if name in STATEMENT_FIELDS:
                record.problems.append(Problem(path, line, column, Code.EVD003.name,
                                               f"a statement of '{key}' has no '{name}'",
                                               f"add '{name}: …' ({_HOW_TO})"))
            continue
        if not (isinstance(value, ScalarNode) and value.tag == _STR_TAG and value.value.strip()):
            record.problems.append(_bad_shape(path, value, f"'{name}' must be plain text", code=Code.EVD003.name))
            continue
        values[name] = value.value.strip()
    status = values.get("status")
    if status is not None and status not in STATUSES:
        sline, scol = _at(fields["status"])
        record.problems.append(Problem(path, sline, scol, Code.EVD003.name, f"unknown status '{status}'",
                                       "write one of: " + ", ".join(STATUSES)))
        return
    if all(name in values for name in STATEMENT_FIELDS):
        pline, pcol = _at(fields["page"])
        record.statements.append(Statement(key, values["page"], values["says"], values["where"],
                                           values["status"], line, pline, pcol))


def _mapping(record: EvidenceRecord, node: Node, known: tuple[str, ...], what: str,
             not_a_mapping: str) -> dict[str, Node] | None:
    """The fields of ``node``, or None (and a problem) when it is not a group of fields."""
    if not isinstance(node, MappingNode):
        record.problems.append(_bad_shape(record.path, node, not_a_mapping))
        return None
    return _fields(record, node, known, what)


def _fields(record: EvidenceRecord, node: MappingNode, known: tuple[str, ...], what: str) -> dict[str, Node]:
    fields: dict[str, Node] = {}
    for name_node, value in node.value:
        name = str(name_node.value)
        line, column = _at(name_node)
        if name in fields:
            record.problems.append(Problem(record.path, line, column, Code.EVD003.name, f"{what} gives '{name}' twice",
                                           "keep one of them"))
        elif name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            guess = f" — did you mean '{close[0]}'?" if close else ""
            record.problems.append(Problem(record.path, line, column, Code.EVD003.name,
                                           f"unknown field '{name}' in {what}{guess}",
                                           "allowed fields: " + ", ".join(known)))
        fields.setdefault(name, value)
    return fields


def _bad_shape(path: str, node: Node, message: str, code: str = Code.EVD002.name) -> Problem:
    line, column = _at(node)
    return Problem(path, line, column, code, message, f"compare with the entries already there ({_HOW_TO})")


def _at(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(frozen=True)
class Citation:
    """One use of a key on a page, where the page's problems should point."""

    key: str
    line: int
    column: int


def check_evidence(
    record: EvidenceRecord,
    cited: Mapping[str, Iterable[Citation]],
    bib_keys: Iterable[str],
) -> list[Problem]:
    """Cross-check the record with what each page cites (``page path -> citations``) and the bibliography."""
    problems = list(record.problems)
    if not (record.found and record.parsed):
        return problems  # one clear error, not one more for every citation on the site
    known = set(bib_keys)
    cited_keys = {page: {c.key for c in citations} for page, citations in cited.items()}
    for key, (line, column) in record.key_lines.items():
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            guess = f" — did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(record.path, line, column, Code.EVD004.name,
                                    f"'{key}' is not a key in references.bib{guess}",
                                    "correct the key, or remove this entry if the source is no longer used"))
    guesses: dict[str, str] = {}  # a missing page has a statement per source: compare it with every page once
    for statement in record.statements:
        if statement.key not in known:
            continue  # reported once, above
        if statement.page not in cited_keys:
            if statement.page not in guesses:
                pages = difflib.get_close_matches(statement.page, list(cited_keys), n=1, cutoff=0.6)
                guesses[statement.page] = f" — did you mean '{pages[0]}'?" if pages else ""
            guess = guesses[statement.page]
            problems.append(Problem(record.path, statement.page_line, statement.page_column, Code.EVD005.name,
                                    f"no page '{statement.page}'{guess}",
                                    "write the page's path as shown in the check's messages, e.g. docs/theory.md"))
        elif statement.key not in cited_keys[statement.page]:
            problems.append(Problem(record.path, statement.page_line, statement.page_column, Code.EVD005.name,
                                    f"{statement.page} does not cite '{statement.key}'",
                                    "remove this statement, or cite the source on that page where it says this"))
    for page, citations in cited.items():
        seen: set[str] = set()
        for citation in citations:
            if citation.key in seen or citation.key not in known:
                continue  # one problem per key and page; unknown keys are CIT001's
            seen.add(citation.key)
            statements = record.for_page(citation.key, page)
            if not statements:
                problems.append(Problem(
                    page, citation.line, citation.column, Code.EVD006.name,
                    f"no evidence recorded for '{citation.key}' on this page",
                    f"add a statement under '{citation.key}' in {record.path} with page: {page}, "
                    "what the source says, where it says it, and its status"))
            elif not any(s.status in PUBLISHABLE for s in statements):
                problems.append(Problem(
                    page, citation.line, citation.column, Code.EVD007.name,
                    f"'{citation.key}' is recorded only as unchecked for this page",
                    "do not publish an unchecked fact: check it in the source and mark it checked or "
                    "secondary, or remove the sentence and its citation"))
    return problems


def page_citations(body: str, line_offset: int, keys_at: Iterable[tuple[str, int]]) -> list[Citation]:
    """Citations with page line and column, from ``(key, offset into the body)`` pairs."""
    result = []
    for key, offset in keys_at:
        line, column = line_col(body, offset)
        result.append(Citation(key, line + line_offset, column))
    return result


def check(project: Project) -> list[Problem]:
    """The evidence record beside the bibliography, checked against what each page cites."""
    if project.site is None or project.bib is None or project.bib_path is None:
        return []
    evidence_path = project.bib_path.parent / EVIDENCE_FILE
    record = load_evidence(evidence_path, project.shown(evidence_path))
    cited = {
        path: page_citations(page.body, page.line_offset,
                             [(item.key, item.start) for block in page.blocks for item in block.items])
        for path, page in project.site.pages.items()
    }
    return check_evidence(record, cited, project.bib.entries)
