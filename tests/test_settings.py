"""Build settings (ipt_site.settings): mkdocs.yml's extra: ipt:, environment overrides, and the documented table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from ipt_site.settings import Settings, SettingsError, load_settings, options


def test_defaults_then_mkdocs_yml_then_the_environment() -> None:
    assert load_settings(None, {}) == Settings()
    from_yml = load_settings({"ipt": {"pandoc_batch": 7, "pandoc_time_limit": 2.5}}, {})
    assert (from_yml.pandoc_batch, from_yml.pandoc_time_limit) == (7, 2.5)
    both = load_settings({"ipt": {"pandoc_batch": 7}}, {"IPT_PANDOC_BATCH": "1", "IPT_MINIFY_POOL_FROM": ""})
    assert both.pandoc_batch == 1 and both.minify_pool_from == Settings().minify_pool_from  # empty: not set


def test_yaml_off_and_flags_read_as_meant() -> None:
    extra = yaml.safe_load("ipt:\n  citation_cache: off\n  upstream_footnotes: yes\n")
    settings = load_settings(extra, {})
    assert settings.cache_off and settings.upstream_footnotes
    assert load_settings({}, {"IPT_CITATION_CACHE": "off"}).cache_off
    assert not load_settings({}, {"IPT_UPSTREAM_FOOTNOTES": "0"}).upstream_footnotes


@pytest.mark.parametrize(("extra", "environ", "message"), [
    ({"ipt": {"pandoc_batch": "many"}}, {},
     "mkdocs.yml: extra: ipt: pandoc_batch: 'many': expected a whole number of citations, like 300"),
    ({"ipt": {"pandoc_time_limit": True}}, {},
     "mkdocs.yml: extra: ipt: pandoc_time_limit: True: expected a number of seconds above 0, like 300"),
    ({"ipt": {"pandoc_batchs": 3}}, {}, "mkdocs.yml: extra: ipt: unknown option 'pandoc_batchs'"),
    ({"ipt": ["pandoc_batch"]}, {}, "mkdocs.yml: extra: ipt: expected a mapping of options"),
    ({}, {"IPT_PANDOC_TIME_LIMIT": "0"}, "IPT_PANDOC_TIME_LIMIT='0': expected a number of seconds above 0, like 300"),
])
def test_a_value_an_option_cannot_take_names_where_it_was_set(
    extra: dict[str, object], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(extra, environ)
    assert str(error.value).startswith(message)


def test_the_real_mkdocs_yml_has_one_extra_block_and_valid_settings() -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert len(re.findall(r"(?m)^extra:", text)) == 1  # YAML keeps only the last of two: CSP hashes break
    extra = yaml.safe_load(re.search(r"(?ms)^extra:\n(?:(?:  .*)?\n)+", text)[0])["extra"]  # type: ignore[index]
    assert "ipt" in extra
    load_settings(extra, {})


def test_contributing_lists_every_option_with_its_default_and_override() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index("## Build settings"):text.index("## Error codes")]
    rows = {m[1]: (m[2], m[3]) for m in re.finditer(r"^\| `(\w+)` \| `([^`]*)` \| `(\w+)` \|", section, re.M)}
    expected = {name: (str(default).lower() if isinstance(default, bool) else str(default), env)
                for name, default, env, _ in options()}
    assert rows == expected


def test_the_benchmarks_and_tests_overrides_are_the_documented_ones() -> None:
    """Every IPT_* variable the hooks read is an option's override (IPT_THEME is mkdocs.yml's own !ENV)."""
    hooks = ROOT / "hooks"
    read = set()
    for path in hooks.rglob("*.py"):
        read |= set(re.findall(r"\"(IPT_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    documented = {env for _, _, env, _ in options()}
    assert read - documented <= {"IPT_THEME"}, read - documented
    assert Path(hooks / "ipt_site" / "settings.py").is_file()


def test_a_bad_setting_stops_the_check_and_the_build_with_the_same_message(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import copy_project, mkdocs

    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("\n  ipt:\n") == 1  # under extra:, the project's own options
    config.write_text(text.replace("\n  ipt:\n", "\n  ipt:\n    pandoc_batch: many\n", 1), encoding="utf-8")
    message = ("mkdocs.yml: extra: ipt: pandoc_batch: 'many': expected a whole number of citations, like 300 "
               "(CONTRIBUTING.md, 'Build settings')")
    check = subprocess.run([sys.executable, "-m", "ipt_site.cli.check"], cwd=project, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")}, timeout=300)
    build = mkdocs("build", "--strict", cwd=project)
    assert check.returncode == 2 and check.stderr.strip() == message, check.stdout + check.stderr
    assert build.returncode != 0 and message in build.stdout + build.stderr
    for result in (check, build):
        assert "Traceback" not in result.stdout + result.stderr
