"""A content API schema the build cannot load: ``ipt-check`` and the build fail with the same located API004."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from test_check_agrees_with_build import citing_page, run_build, run_check, tiny_site

SCHEMAS = Path("docs") / "api" / "v1" / "schema"
HELP = "    help: restore the file from git (git checkout -- {path}); "


@pytest.fixture(autouse=True)
def _no_citation_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPT_CITATION_CACHE", "off")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.parametrize(("name", "damage", "expected"), [
    ("page.schema.json", None,
     "docs/api/v1/schema/page.schema.json: API004 content API schema cannot be read (No such file or directory)"),
    ("pages.schema.json", '{\n  "type": "object",,\n}\n',
     ("docs/api/v1/schema/pages.schema.json:2:20: API004 content API schema is not JSON: Expecting property name"
      " enclosed in double quotes")),
    ("page.schema.json", '{"type": 5}',
     "docs/api/v1/schema/page.schema.json: API004 content API schema is not a valid JSON Schema: 5 is not valid"),
])
def test_a_broken_schema_fails_check_and_build_with_the_same_located_problem(
    tmp_path: Path, name: str, damage: str | None, expected: str
) -> None:
    bib = (ROOT / "references.bib").read_bytes()
    config = tiny_site(tmp_path / "project", bib, citing_page(bib))
    schema = tmp_path / "project" / SCHEMAS / name
    if damage is None:
        schema.unlink()
    else:
        schema.write_text(damage, encoding="utf-8")
    passed, check_output = run_check(config)
    built, error = run_build(config, tmp_path / "site")  # no traceback in either
    assert not passed and not built
    for output in (check_output, error):
        assert expected in output, output
        assert HELP.format(path=f"docs/api/v1/schema/{name}") in output, output
    line = next(line for line in check_output.splitlines() if "API004" in line)
    assert line in error.splitlines()
