"""Check the content API's documents against the JSON Schemas the site publishes.

The schemas in ``docs/api/v1/schema/`` are the contract with clinics: the build
validates every document it writes against them (jsonschema, draft 2020-12), so
a change that breaks the contract stops the build, located at the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ipt_site.problems import Problem
from ipt_site.site_output.content_api import INDEX_SCHEMA, PAGE_SCHEMA, SCHEMA_DIR

API_SCHEMA_CODE = "API003"


API_SCHEMA_FILE_CODE = "API004"
_SCHEMA_HINT = ("restore the file from git (git checkout -- {path}); the schemas are the contract with clinics, "
                "change them only as the version rules on the content API page (docs/content-api.md) allow")


class SchemaFileError(ValueError):
    """A schema file that is missing, not JSON, or not a valid draft 2020-12 schema (API004)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def load_validator(docs_dir: Path, name: str) -> Draft202012Validator:
    """The validator for ``docs/api/v1/schema/<name>``; raises :class:`SchemaFileError`."""
    path = docs_dir / SCHEMA_DIR / name
    shown = f"{docs_dir.name}/{SCHEMA_DIR}/{name}"

    def error(message: str, line: int = 0, column: int = 0) -> SchemaFileError:
        return SchemaFileError(Problem(shown, line, column, API_SCHEMA_FILE_CODE, message,
                                       _SCHEMA_HINT.format(path=shown)))

    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except OSError as problem:
        raise error(f"content API schema cannot be read ({problem.strerror})") from None
    except json.JSONDecodeError as problem:
        raise error(f"content API schema is not JSON: {problem.msg}", problem.lineno, problem.colno) from None
    except SchemaError as problem:
        raise error(f"content API schema is not a valid JSON Schema: {problem.message}") from None
    return Draft202012Validator(_local_refs_inlined(schema), format_checker=Draft202012Validator.FORMAT_CHECKER)


_LOCAL_REF = "#/$defs/"
_ANNOTATIONS = {"title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly"}


def _local_refs_inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with each ``$ref`` to its own ``$defs`` replaced by the definition, where that is exact.

    jsonschema resolves a ``$ref`` again for every value it checks (about 40 % of the time
    on our page documents); the inlined schema accepts and rejects exactly the same
    documents with the same messages at the same paths. A definition that refers to
    itself, or a reference of another shape, leaves the schema as it is.
    """
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return schema

    def inline(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: inline(value, seen) for key, value in node.items() if key != "$defs"}
        ref = out.pop("$ref", None)
        if ref is None:
            return out
        name = ref[len(_LOCAL_REF):] if isinstance(ref, str) and ref.startswith(_LOCAL_REF) else None
        if name is None or name in seen or not isinstance(defs.get(name), dict) or "/" in name or "~" in name:
            raise _NotInlined
        target = inline(defs[name], (*seen, name))
        if set(out) <= _ANNOTATIONS:  # beside the $ref only words for readers: they check nothing
            return {**target, **out}
        # Keywords that check: both apply, as with $ref (allOf is as much "in place" for
        # unevaluated* and keeps additionalProperties from seeing the definition's properties).
        return {**out, "allOf": [*out.get("allOf", []), target]}

    try:
        inlined: dict[str, Any] = inline(schema, ())
    except _NotInlined:
        return schema
    return {**inlined, "$defs": defs}


class _NotInlined(Exception):
    pass


def load_validators(docs_dir: Path) -> tuple[Draft202012Validator, Draft202012Validator]:
    """``(index validator, page validator)``."""
    return load_validator(docs_dir, INDEX_SCHEMA), load_validator(docs_dir, PAGE_SCHEMA)


def schema_file_problems(docs_dir: Path) -> list[Problem]:
    """API004 for each schema the build could not load (ipt-check reports it before a build)."""
    problems = []
    for name in (INDEX_SCHEMA, PAGE_SCHEMA):
        try:
            load_validator(docs_dir, name)
        except SchemaFileError as error:
            problems.append(error.problem)
    return problems


def schema_problems(
    document: Mapping[str, Any],
    validator: Draft202012Validator,
    source_path: str,
    written_as: str,
    field_lines: Mapping[str, int] | None = None,
) -> list[Problem]:
    """One API003 problem per way ``document`` breaks the schema, located at the page's source.

    ``field_lines`` (front matter field -> line) puts a problem with a field the
    front matter gives (title, dates, reviewer) at that field's line.
    """
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = error.json_path
        top = str(error.absolute_path[0]) if error.absolute_path else ""
        problems.append(Problem(
            source_path, (field_lines or {}).get(top, 1), 0, API_SCHEMA_CODE,
            f"its content API document {written_as} breaks the published schema at {where}: {error.message}",
            "fix the page's front matter or content; if the schema itself must change, follow the version rules "
            "on docs/content-api.md (a breaking change needs api/v2)"))
    return problems
