"""The content API (api/v1/) of the real built site, and builds of a scratch copy broken on purpose."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from built_html import start_tags
from conftest import ROOT, mkdocs, mkdocs_serve
from preview import fetch, free_port
from test_hook_build import edit, project  # noqa: F401 (project: a fixture)

API = Path("api") / "v1"
SITE = "https://ipt-info.example.org/"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def documents(site_dir: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: load(p) for p in sorted((site_dir / API / "pages").glob("*.json"))}


def not_health_pages() -> set[str]:
    return {p.stem for p in (ROOT / "docs").glob("*.md")
            if re.search(r"^health_information: false$", p.read_text(encoding="utf-8"), re.MULTILINE)}


def test_index_lists_every_health_information_page_and_no_other(site_dir: Path) -> None:
    index = load(site_dir / API / "pages.json")
    slugs = [page["slug"] for page in index["pages"]]
    expected = {p.stem for p in (ROOT / "docs").glob("*.md")} - not_health_pages()
    assert {"about", "for-clinics", "references"} <= not_health_pages()
    assert sorted(slugs) == sorted(expected) == sorted(documents(site_dir))
    assert slugs[0] == "index" and "get-help-now" in slugs  # navigation order
    for entry in index["pages"]:
        document = documents(site_dir)[entry["slug"]]
        assert entry["document_url"] == f"{SITE}api/v1/pages/{entry['slug']}.json"
        for name, value in entry.items():
            assert document[name] == value, (entry["slug"], name)


def test_every_document_validates_against_the_shipped_schema(site_dir: Path) -> None:
    schema_dir = site_dir / API / "schema"
    for name in ("page.schema.json", "pages.schema.json"):
        # Copied unchanged (not minified, not mangled): clinics read these.
        assert (schema_dir / name).read_bytes() == (ROOT / "docs" / "api" / "v1" / "schema" / name).read_bytes()
    checker = Draft202012Validator.FORMAT_CHECKER
    page = Draft202012Validator(load(schema_dir / "page.schema.json"), format_checker=checker)
    index = Draft202012Validator(load(schema_dir / "pages.schema.json"), format_checker=checker)
    index.validate(load(site_dir / API / "pages.json"))
    docs = documents(site_dir)
    assert len(docs) >= 6
    for document in docs.values():
        page.validate(document)


def _declared(schema: dict[str, Any], value: Any, where: str, root: dict[str, Any]) -> list[str]:
    """Fields in ``value`` that the schema does not describe (CSL items are CSL-JSON's own)."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    missing = []
    if isinstance(value, dict) and "properties" in schema and not where.endswith(".csl"):
        for key, item in value.items():
            if key not in schema["properties"]:
                missing.append(f"{where}.{key}")
            else:
                missing += _declared(schema["properties"][key], item, f"{where}.{key}", root)
    if isinstance(value, list) and "items" in schema:
        for item in value:
            missing += _declared(schema["items"], item, f"{where}[]", root)
    return missing


def test_every_field_written_is_described_in_the_schema(site_dir: Path) -> None:
    page_schema = load(site_dir / API / "schema" / "page.schema.json")
    index_schema = load(site_dir / API / "schema" / "pages.schema.json")
    assert _declared(index_schema, load(site_dir / API / "pages.json"), "$", index_schema) == []
    for slug, document in documents(site_dir).items():
        assert _declared(page_schema, document, "$", page_schema) == [], slug


def _html_fields(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "html" and isinstance(v, str)] + [
            h for v in value.values() for h in _html_fields(v)]
    if isinstance(value, list):
        return [h for v in value for h in _html_fields(v)]
    return []


def test_html_is_sanitised_and_every_link_is_absolute(site_dir: Path) -> None:
    for slug, document in documents(site_dir).items():
        fields = _html_fields(document)
        assert len(fields) >= 4, slug
        for markup in fields:
            for tag, attrs in start_tags(markup):
                assert tag not in ("script", "style", "iframe", "object", "embed", "form", "input"), (slug, tag)
                for name, value in attrs.items():
                    assert not name.startswith("on") and name not in ("style", "class"), (slug, tag, name)
                    if name in ("href", "src"):
                        # absolute (a source may be http only)
                        assert re.match(r"https?://|#|tel:|mailto:", value), (slug, tag, value)
                        assert not value.startswith("https://") or "javascript" not in value.lower()


def test_content_sections_references_and_hash_match_the_page(site_dir: Path) -> None:
    theory = documents(site_dir)["theory"]
    assert theory["url"] == f"{SITE}theory/" and theory["embed_url"] == f"{SITE}embed/theory/"
    assert theory["attribution"]["text"] == (
        f'Source: IPT Information, "The theory behind IPT", {SITE}theory/ (CC BY 4.0)')
    assert theory["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    sections = theory["content"]["sections"]
    assert sections[0]["level"] == 1 and sections[0]["heading"] == theory["title"]
    assert {"attachment-theory", "references"} <= {s["anchor"] for s in sections}
    assert "Attachment means the close bonds" in next(s["text"] for s in sections if s["anchor"] == "attachment-theory")
    built = (site_dir / "theory" / "index.html").read_text(encoding="utf-8")
    assert 'id=attachment-theory' in built or 'id="attachment-theory"' in built
    # The reference list: numbered as the page's footnotes, with CSL-JSON from the bibliography.
    assert [r["key"] for r in theory["references"]] == theory["citations"]
    for number, reference in enumerate(theory["references"], start=1):
        assert reference["number"] == number and reference["csl"]["id"] == reference["key"]
        assert re.search(rf"@\w+\{{{reference['key']},", (ROOT / "references.bib").read_text(encoding="utf-8"))
    first = theory["references"][0]
    assert first["key"] == "stuart2012" and first["csl"]["edition"] == "2"
    assert first["csl"]["title"] == "Interpersonal psychotherapy: A clinician’s guide"
    assert first["text"].startswith("Stuart, S., & Robertson, M. (2012).")
    numbers = {n["dial"]: n for n in theory["help_line"]["numbers"]}
    assert numbers["131114"]["number"] == "13 11 14" and "Lifeline" in numbers["131114"]["context"]
    assert numbers["000"]["href"] == "tel:000"
    for document in documents(site_dir).values():
        digest = hashlib.sha256(document["content"]["html"].encode("utf-8")).hexdigest()
        assert document["content_hash"] == f"sha256:{digest}"


# --- builds of a scratch copy ------------------------------------------------------------


def failed_build(project: Path, env: dict[str, str] | None = None) -> str:
    result = mkdocs("build", "--strict", cwd=project, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    return output


def test_a_bad_health_information_marker_stops_the_build_located(project: Path) -> None:
    edit(project / "docs" / "theory.md", "reviewed_by: IPT Information editorial team\n",
         "reviewed_by: IPT Information editorial team\nhealth_information: maybe\n")
    output = failed_build(project)
    assert "docs/theory.md:7:21: API002 'health_information' must be true or false, not 'maybe'" in output
    assert "help: write 'health_information: false'" in output


def test_a_health_page_without_review_metadata_stops_the_build_located(project: Path) -> None:
    edit(project / "docs" / "theory.md", "reviewed_by: IPT Information editorial team\n", "reviewed_by:\n")
    output = failed_build(project)
    assert re.search(r"docs/theory\.md:6:\d+: API001 the content API needs 'reviewed_by' as text", output), output
    assert "health_information: false" in output  # the hint names the way out for a non-health page


@pytest.mark.parametrize("worker", [False, True], ids=["in process", "in the worker"])
def test_a_schema_change_the_documents_break_stops_the_build_naming_the_page(project: Path, worker: bool) -> None:
    schema_file = project / "docs" / "api" / "v1" / "schema" / "page.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["reviewed_by"] = {"const": "A named clinical reviewer"}
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    output = failed_build(project, {"IPT_API_POOL_FROM": "1"} if worker else None)
    assert ("docs/theory.md:6: API003 its content API document pages/theory.json breaks the published schema "
            "at $.reviewed_by: 'A named clinical reviewer' was expected") in output
    assert "docs/about.md" not in output  # not in the API, so not checked against it
    assert not (project / "site" / "api" / "v1" / "pages.json").exists()


def test_editing_one_page_changes_only_its_hash(project: Path, site_dir: Path) -> None:
    edit(project / "docs" / "theory.md", "Psychotherapy means talking therapy.",
         "Psychotherapy means therapy by talking.")
    mkdocs("build", "--strict", "--site-dir", str(project / "site"), cwd=project, check=True)
    before = {slug: d["content_hash"] for slug, d in documents(site_dir).items()}
    after = {slug: d["content_hash"] for slug, d in documents(project / "site").items()}
    changed = sorted(slug for slug in before if before[slug] != after[slug])
    assert changed == ["theory"]


def test_while_serving_a_page_the_api_cannot_describe_is_left_out_with_its_error(project: Path) -> None:
    edit(project / "docs" / "theory.md", "reviewed_by: IPT Information editorial team\n", "reviewed_by:\n")
    port = free_port()
    log = project / "serve.log"
    server = mkdocs_serve(project, port, log)
    try:
        index = ""
        for _ in range(240):
            try:
                index = fetch(f"http://127.0.0.1:{port}/api/v1/pages.json")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.5)
        slugs = [page["slug"] for page in json.loads(index)["pages"]]
        assert "theory" not in slugs and "what-to-expect" in slugs
        text = log.read_text()
        assert re.search(r"docs/theory\.md:6:\d+: API001", text), text
        assert "Traceback" not in text and server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_documents_made_in_the_worker_are_byte_identical(site_dir: Path, tmp_path: Path) -> None:
    """A big site makes its documents in a worker process; the real site is made to, by the setting."""
    out = tmp_path / "site"
    result = mkdocs("build", "--strict", "--verbose", "--site-dir", str(out), check=True,
                    env={"IPT_API_POOL_FROM": "1", "IPT_CITATION_CACHE": str(tmp_path / "cache.json")})
    assert "documents made in a worker process" in result.stderr
    built = sorted(p.relative_to(out) for p in (out / API).rglob("*") if p.is_file())
    assert built == sorted(p.relative_to(site_dir) for p in (site_dir / API).rglob("*") if p.is_file())
    differing = [str(p) for p in built if (out / p).read_bytes() != (site_dir / p).read_bytes()]
    assert not differing, differing


def test_a_first_build_takes_the_bibliographys_csl_json_from_the_checks(project: Path, site_dir: Path) -> None:
    """A copy with no .cache/: BIB011's pandoc reads references.bib, and the content API uses
    what it gave instead of reading the whole file again. The documents are the same bytes."""
    out = project / "site"
    result = mkdocs("build", "--strict", "--verbose", "--site-dir", str(out), cwd=project, check=True,
                    env={"IPT_CITATION_CACHE": str(project / "cache.json")})
    assert "content API: CSL-JSON from the checks' reading of references.bib" in result.stderr
    built = sorted(p.relative_to(out) for p in (out / API).rglob("*") if p.is_file())
    assert built == sorted(p.relative_to(site_dir) for p in (site_dir / API).rglob("*") if p.is_file())
    differing = [str(p) for p in built if (out / p).read_bytes() != (site_dir / p).read_bytes()]
    assert not differing, differing
    # Read before (.cache/ notes it): the checks do not run pandoc, and the API does.
    again = mkdocs("build", "--strict", "--verbose", "--site-dir", str(out), cwd=project, check=True,
                   env={"IPT_CITATION_CACHE": str(project / "cache.json")})
    assert "CSL-JSON from the checks' reading" not in again.stderr
    assert all((out / p).read_bytes() == (site_dir / p).read_bytes() for p in built)
