"""``ipt-check`` passes exactly when the build passes, on real-world messy BibTeX and Markdown.

Each case is a tiny site (one page, the References page, a bibliography) with
the project's own hooks and settings.  The check and the build both run in this
process (a build is about a second, not the five a new process costs):
whatever the build rejects, the check must reject first, and neither may let
an exception (a traceback, for an editor) escape.

The BibTeX files come from bibtex-tidy's test suite (tests/fixtures/bibtex-tidy/,
see its README); the pages are in tests/fixtures/messy-pages/.
"""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from conftest import ROOT
from ipt_site.cli import check as cli
from ipt_site.sources.bib_rules import is_renderable_key
from ipt_site.sources.bibliography import parse_bibliography
from ipt_site.sources.citation_scan import scan_page

FIXTURES = Path(__file__).parent / "fixtures"
BIB_FILES = sorted((FIXTURES / "bibtex-tidy").glob("*.bib"))
PAGES = sorted((FIXTURES / "messy-pages").glob("*.md"))
REFERENCES_PAGE = (ROOT / "docs" / "references.md").read_text(encoding="utf-8")
NAV = re.compile(r"^nav:\n(?:  - .*\n)+", re.MULTILINE)


def tiny_site(dest: Path, bib: bytes, page: bytes) -> Path:
    """A site with the project's mkdocs.yml, hooks and theme, one page and the References page."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (docs / "page.md").write_bytes(page)
    (docs / "references.md").write_text(REFERENCES_PAGE, encoding="utf-8")
    shutil.copy2(ROOT / "docs" / "_headers", docs / "_headers")
    shutil.copytree(ROOT / "docs" / "api", docs / "api")  # the content API's published schema
    (dest / "references.bib").write_bytes(bib)
    (dest / "evidence.yml").write_text(evidence_for(bib, page), encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = NAV.sub("nav:\n  - A page: page.md\n  - References: references.md\n", config, count=1)
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = re.sub(r"^  - hooks/", f"  - {ROOT}/hooks/", config, flags=re.MULTILINE)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest / "mkdocs.yml"


def evidence_for(bib: bytes, page: bytes) -> str:
    """An evidence record for every entry the page cites that the bibliography has.

    The cases are about BibTeX and Markdown: the record is the one an editor would
    write, so that the evidence checks (tested on their own) neither pass nor fail a case.
    """
    entries = parse_bibliography(bib, "references.bib").entries
    cited = {item.key for block in scan_page(page.decode("utf-8", errors="replace")).blocks for item in block.items}
    return "".join(
        f"{json.dumps(key)}:\n  statements:\n    - page: docs/page.md\n      says: what the page says\n"
        "      where: the abstract\n      status: checked\n"
        for key in sorted(cited & set(entries)))


def citing_page(bib: bytes) -> bytes:
    """A page that cites every entry the bibliography has under a citable key (so none is unused)."""
    keys = [key for key in parse_bibliography(bib, "references.bib").entries if is_renderable_key(key)]
    cites = "; ".join(f"@{key}" for key in keys)
    text = (PAGES_FRONT_MATTER + "# A page\n\nEvery entry is cited here"
            + (f" [{cites}]" if cites else "") + ".\n")
    return text.encode("utf-8")


PAGES_FRONT_MATTER = (ROOT / "tests" / "fixtures" / "messy-pages" / "good.md").read_text(
    encoding="utf-8").split("# Good", 1)[0]


def run_check(config: Path) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(out):
            code = cli.main(["-f", str(config), "--no-strict"])
    except Exception as error:  # noqa: BLE001 - any exception is what an editor would see as a traceback
        pytest.fail(f"ipt-check raised {error!r}:\n{out.getvalue()}")
    return code == 0, out.getvalue()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def run_build(config: Path, site: Path) -> tuple[bool, str]:
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    out = io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(out):
            build(load_config(str(config), site_dir=str(site)))
        passed = True
    except (Abort, PluginError, ConfigurationError):  # MkDocs prints these as one clean message
        passed = False
    except Exception as error:  # noqa: BLE001 - any other exception prints a traceback
        pytest.fail(f"the build raised {error!r} (a traceback for the editor):\n"
                    + "\n".join(collect.lines) + out.getvalue())
    finally:
        logger.removeHandler(collect)
    output = "\n".join(collect.lines) + out.getvalue()
    assert "Traceback" not in output, output
    return passed, output


def assert_agree(config: Path, tmp_path: Path) -> None:
    check_passed, check_output = run_check(config)
    build_passed, build_output = run_build(config, tmp_path / "site")
    assert check_passed == build_passed, (
        f"ipt-check {'passed' if check_passed else 'failed'} but the build "
        f"{'passed' if build_passed else 'failed'}:\n--- check\n{check_output}\n--- build\n{build_output}")
    if not check_passed:  # every failure is located: path:line(:col): CODE
        assert re.search(r"^[\w./-]+(:\d+)*: [A-Z]+\d{3} ", check_output, re.MULTILINE), check_output


@pytest.fixture(autouse=True)
def _no_citation_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPT_CITATION_CACHE", "off")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.parametrize("bib_file", BIB_FILES, ids=lambda p: p.name)
def test_check_and_build_agree_on_real_world_bibtex(bib_file: Path, tmp_path: Path) -> None:
    bib = bib_file.read_bytes()
    assert_agree(tiny_site(tmp_path / "project", bib, citing_page(bib)), tmp_path)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_check_and_build_agree_on_messy_pages(page: Path, tmp_path: Path) -> None:
    bib = (ROOT / "references.bib").read_bytes()
    assert_agree(tiny_site(tmp_path / "project", bib, page.read_bytes()), tmp_path)


def test_the_corpus_has_both_outcomes(tmp_path: Path) -> None:
    """Agreement only means something if some cases pass and some fail."""
    good = tiny_site(tmp_path / "good", (ROOT / "references.bib").read_bytes(),
                     (FIXTURES / "messy-pages" / "good.md").read_bytes())
    bad = tiny_site(tmp_path / "bad", (FIXTURES / "bibtex-tidy" / "entry-with-parentheses.bib").read_bytes(),
                    (FIXTURES / "messy-pages" / "good.md").read_bytes())
    assert run_check(good)[0] and not run_check(bad)[0]
