"""Each build, ``mkdocs serve`` rebuilds included, starts from a fresh ipt_site.build_state.BuildState.

``mkdocs serve`` keeps one process and its hook modules, and loads mkdocs.yml again
for every rebuild: the builds here do the same, in this process.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path

import pybtex.errors
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import copy_project
from ipt_site import build_state
from preview import Preview


@pytest.fixture
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("IPT_CITATION_CACHE", "off")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    build_state.start_session("serve")
    yield
    build_state.start_session("build")


def _build(project: Path) -> build_state.BuildState:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    with redirect_stderr(io.StringIO()):
        build(config)
    state = build_state.current()
    assert state is not None and state.config is config
    return state


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_starts_from_new_state_with_the_settings_read_again(tmp_path: Path, serving: None) -> None:
    project = copy_project(tmp_path / "project")
    first = _build(project)
    assert first.serving and first.settings.pandoc_batch == 300
    api_pages = {page.src_uri for page in first.content_api.pages}
    assert "theory.md" in api_pages and "about.md" not in api_pages

    # The editor saves mkdocs.yml (a setting) and a page (now health information, so in the API).
    _edit(project / "mkdocs.yml", "  ipt:\n", "  ipt:\n    pandoc_batch: 2\n")
    _edit(project / "docs" / "about.md", "health_information: false\n", "")
    second = _build(project)
    assert second is not first
    assert second.settings.pandoc_batch == 2
    assert {page.src_uri for page in second.content_api.pages} == api_pages | {"about.md"}
    # Nothing of the first build is carried over: its lists are its own.
    assert second.content_api.pages is not first.content_api.pages
    assert second.citations.site_problems is not first.citations.site_problems
    assert second.minify.class_values is not first.minify.class_values


def test_events_of_one_build_share_its_state(tmp_path: Path, serving: None) -> None:
    project = copy_project(tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"))
    assert build_state.for_build(config) is build_state.for_build(config)
    assert build_state.for_build(load_config(str(project / "mkdocs.yml"))) is not build_state.for_build(config)


def test_pybtex_strict_mode_is_put_back_after_a_served_build(tmp_path: Path, serving: None) -> None:
    """Serving relaxes pybtex for mkdocs-bibtex's parse only: not for the rest of the process."""
    assert pybtex.errors.strict
    _build(copy_project(tmp_path / "project"))
    assert pybtex.errors.strict


def test_mkdocs_serve_reads_the_settings_again_on_each_rebuild_and_never_sticks(tmp_path: Path) -> None:
    """A real server: a bad setting saved in mkdocs.yml is logged, located, on the rebuild it
    causes (the pages still served), and gone once fixed; never a traceback."""
    server = Preview(copy_project(tmp_path / "project")).started()
    try:
        config = (server.project / "mkdocs.yml").read_text(encoding="utf-8")
        message = "mkdocs.yml: extra: ipt: pandoc_batch: 'many': expected a whole number of citations"
        assert message not in server.log()
        server.save("mkdocs.yml", config.replace("  ipt:\n", "  ipt:\n    pandoc_batch: many\n", 1))
        assert message in server.log(), server.log()
        assert "Interpersonal" in server.page("theory/")  # still serving, with the defaults
        logged = server.log().count(message)
        server.save("mkdocs.yml", config)
        server.save("docs/theory.md", (server.project / "docs" / "theory.md").read_text(encoding="utf-8") + "\nmark\n")
        assert server.log().count(message) == logged  # the fixed setting is read again: no new error
    finally:
        server.stop()
    assert "Traceback" not in server.log(), server.log()
