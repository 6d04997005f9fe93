"""``ipt-check``: every citation and content check, without a build.

For editors and pre-commit: reads mkdocs.yml, references.bib and docs/, prints
problems like a linter (``file:line:col: CODE message`` and a help line), and
exits 1 when there is an error or a warning, as ``./dev build`` (``mkdocs build
--strict``) fails on both: a page passes the check exactly when it passes the build.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from ipt_site.checks.project_check import check_project
from ipt_site.problems import format_github, format_report
from ipt_site.settings import SettingsError, load_settings


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name: read them as plain values."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """``!ENV NAME`` or ``!ENV [NAME, ..., default]``, read as MkDocs reads it."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    items = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    return next((os.environ[str(n)] for n in names if str(n) in os.environ), default)


_TolerantLoader.add_constructor("!ENV", _env_tag)


def read_config(config_file: Path) -> dict[str, Any]:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    return data if isinstance(data, dict) else {}


def open_config(config_file: Path) -> dict[str, Any] | None:
    """mkdocs.yml's settings, or None after telling the user on stderr why not."""
    if not config_file.is_file():
        print(f"{config_file}: no such file — run from the project folder or pass -f", file=sys.stderr)
        return None
    return read_config(config_file)


def plugin_config(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The options of plugin ``name`` from mkdocs.yml's ``plugins`` list, or None."""
    for item in config.get("plugins") or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return dict(item[name] or {})
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ipt-check", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    parser.add_argument("--strict", action="store_true",
                        help="fail on warnings too (the default; kept for old scripts)")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="github: GitHub Actions workflow commands, so a pull request shows "
                             "each problem on its line (plus the usual report)")
    parser.add_argument("--no-strict", dest="lenient", action="store_true",
                        help="fail on errors only, as a non-strict 'mkdocs build' does")
    args = parser.parse_args(argv)
    config = open_config(args.config_file)
    if config is None:
        return 2
    root = args.config_file.parent
    extra = config.get("extra")
    try:
        settings = load_settings(extra if isinstance(extra, dict) else None, os.environ)
    except SettingsError as error:
        print(f"{error} (CONTRIBUTING.md, 'Build settings')", file=sys.stderr)  # as the build says it
        return 2
    result = check_project(
        args.config_file,
        config.get("markdown_extensions") or [],
        plugin_config(config, "bibtex"),
        root / config.get("docs_dir", "docs"),
        cache_off=settings.cache_off,
    )
    if args.format == "github":
        for problem in sorted(result.problems):
            print(format_github(problem))
    print(format_report(result.problems))
    failed = result.has_errors or (not args.lenient and bool(result.problems))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
