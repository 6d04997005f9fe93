"""The one test that reports the real site's problems: every other test that needs
the built site is skipped when it does not build (see tests/conftest.py)."""

from __future__ import annotations

import pytest

from conftest import real_site_build, real_site_problems


def test_the_real_site_passes_the_check_and_builds(tmp_path_factory: pytest.TempPathFactory) -> None:
    problems = real_site_problems()
    build = real_site_build(tmp_path_factory)
    if problems or build.returncode != 0:
        # The check's located lines first: the build's output repeats them, with MkDocs' own messages.
        pytest.fail("the real site has problems (./dev check shows them without a build):\n"
                    + (problems or build.stdout + build.stderr), pytrace=False)
