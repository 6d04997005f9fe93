"""The build checks API documents against the published schemas with their local $refs inlined (faster):
it must accept and reject exactly what the schemas as published do, with the same messages at the same paths."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ipt_site.site_output.api_schema import _local_refs_inlined, load_validator
from ipt_site.site_output.content_api import INDEX_SCHEMA, PAGE_SCHEMA, SCHEMA_DIR

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {name: json.loads((ROOT / "docs" / SCHEMA_DIR / name).read_text(encoding="utf-8"))
           for name in (INDEX_SCHEMA, PAGE_SCHEMA)}


def errors(validator: Draft202012Validator, document: Any) -> list[tuple[str, str]]:
    return sorted((error.json_path, error.message) for error in validator.iter_errors(document))


def as_published(name: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[name], format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_build_uses_the_inlined_schemas() -> None:
    for name in SCHEMAS:
        used = load_validator(ROOT / "docs", name).schema
        assert isinstance(used, dict)
        assert "$ref" not in json.dumps({key: value for key, value in used.items() if key != "$defs"})
    assert "$ref" in json.dumps(SCHEMAS[PAGE_SCHEMA])  # or this test would prove nothing


def test_a_definition_that_refers_to_itself_is_left_as_published() -> None:
    tree = {"$defs": {"node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/node"}}}},
            "$ref": "#/$defs/node"}
    assert _local_refs_inlined(tree) is tree


def test_checking_keywords_beside_a_ref_both_still_apply() -> None:
    schema = {"$defs": {"named": {"properties": {"name": {"type": "string"}}}},
              "type": "object", "properties": {"x": {"$ref": "#/$defs/named", "additionalProperties": False}}}
    inlined = Draft202012Validator(_local_refs_inlined(schema))
    for document in ({"x": {"name": 1}}, {"x": {"name": "a", "other": 2}}, {"x": {"name": "a"}}):
        assert errors(inlined, document) == errors(Draft202012Validator(schema), document)


@pytest.fixture(scope="module")
def documents(site_dir: Path) -> dict[str, list[Any]]:
    api = site_dir / "api" / "v1"
    pages = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((api / "pages").glob("*.json"))]
    return {PAGE_SCHEMA: pages, INDEX_SCHEMA: [json.loads((api / "pages.json").read_text(encoding="utf-8"))]}


BAD_VALUES = st.sampled_from([None, 0, -1, 1.5, "", "x", " ", "javascript:alert(1)", "<script>", [], {}, [1],
                              {"a": 1}, "2026-13-45", "not a url", True])


def mutate(document: Any, data: st.DataObject) -> Any:
    """``document`` with one value replaced, or one key removed, somewhere in it."""
    document = copy.deepcopy(document)
    node = document
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return document
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, (dict, list)) and child and data.draw(st.booleans()):
            node = child
            continue
        if isinstance(node, dict) and data.draw(st.booleans()):
            del node[key]
        else:
            node[key] = data.draw(BAD_VALUES)
        return document


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_broken_document_gets_the_same_errors(documents: dict[str, list[Any]], data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SCHEMAS)))
    document = mutate(data.draw(st.sampled_from(documents[name])), data)
    assert errors(load_validator(ROOT / "docs", name), document) == errors(as_published(name), document)


def test_the_real_documents_are_valid_both_ways(documents: dict[str, list[Any]]) -> None:
    for name, docs in documents.items():
        for document in docs:
            assert errors(load_validator(ROOT / "docs", name), document) == errors(as_published(name), document) == []
