"""LICENSE, CITATION.cff, SECURITY.md and CHANGELOG.md say what the project says elsewhere."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_license_holds_both_texts_that_pyproject_declares() -> None:
    assert PYPROJECT["license"] == "MIT AND CC-BY-4.0"
    licence = text("LICENSE")
    mit = licence.index("Permission is hereby granted, free of charge, to any person obtaining a copy")
    cc = licence.index("Creative Commons Attribution 4.0 International Public License")
    assert mit < cc
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in licence
    # The whole legal code: its eight sections, and the closing notice.
    for number, title in enumerate(["Definitions", "Scope", "License Conditions", "Sui Generis Database Rights",
                                    "Disclaimer of Warranties and Limitation of Liability", "Term and Termination",
                                    "Other Terms and Conditions", "Interpretation"], start=1):
        assert f"Section {number} -- {title}." in licence, title
    assert licence.rstrip().endswith("Creative Commons may be contacted at creativecommons.org.")
    assert "CC BY 4.0" in text("mkdocs.yml")  # the footer says the same


def test_citation_file_is_cff_1_2_0_and_agrees_with_pyproject_and_mkdocs() -> None:
    cff = yaml.safe_load(text("CITATION.cff"))
    assert cff["cff-version"] == "1.2.0"
    assert {"cff-version", "message", "title", "authors"} <= set(cff)  # required by the 1.2.0 schema
    assert cff["authors"] and all("name" in a or "family-names" in a for a in cff["authors"])
    assert cff["license"] == PYPROJECT["license"].split(" AND ")
    assert cff["version"] == PYPROJECT["version"]
    assert "doi" not in cff  # none has been issued
    mkdocs = text("mkdocs.yml")
    site_url = re.search(r"^site_url: (\S+)", mkdocs, re.M)
    edit_uri = re.search(r"^edit_uri: (https://github\.com/[^/]+/[^/]+)/", mkdocs, re.M)
    assert site_url and cff["url"] == site_url.group(1)
    assert edit_uri and cff["repository-code"] == edit_uri.group(1)


def test_security_policy_says_how_to_report_and_covers_the_site_embed_script_and_headers() -> None:
    policy = text("SECURITY.md")
    assert "Report a vulnerability" in policy and "do not open a public issue" in policy
    for item in ("**The site**", "docs/assets/embed/ipt-embed.js", "docs/_headers"):
        assert item in policy, item
    assert (ROOT / "docs" / "assets" / "embed" / "ipt-embed.js").is_file()


def test_changelog_keeps_the_keep_a_changelog_form() -> None:
    log = text("CHANGELOG.md")
    assert log.startswith("# Changelog\n") and "## [Unreleased]" in log
    kinds = re.findall(r"^### (.+)$", log, re.M)
    assert kinds and set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds
