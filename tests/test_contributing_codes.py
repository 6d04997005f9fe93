"""CONTRIBUTING.md documents exactly the problem codes the checks can print."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = r"[A-Z]{2,5}\d{3}"


def emitted_codes() -> set[str]:
    """Every code written as a string literal in the checks, e.g. "CIT001"."""
    codes: set[str] = set()
    for source in (ROOT / "hooks" / "ipt_site").rglob("*.py"):
        codes |= set(re.findall(rf"[\"']({CODE})[\"']", source.read_text(encoding="utf-8")))
    return codes


def contributing() -> str:
    return (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_the_checks_emit_codes() -> None:
    assert {"CIT001", "BIB001", "NAR001", "TOOL001", "FM001", "HTML001"} <= emitted_codes()


def test_every_emitted_code_has_a_row_in_contributing() -> None:
    documented = set(re.findall(rf"^\| ({CODE}) \|", contributing(), re.MULTILINE))
    assert sorted(emitted_codes() - documented) == []


def test_contributing_mentions_no_code_the_checks_cannot_print() -> None:
    mentioned = set(re.findall(rf"\b({CODE})\b", contributing()))
    assert sorted(mentioned - emitted_codes()) == []
