"""Every build option of the site's hooks, with its default and documentation, in one place.

Options are read from ``mkdocs.yml`` under ``extra: ipt:`` (MkDocs already reads that
file, ``mkdocs serve`` rebuilds when it is saved, and ``ipt-check`` reads it too);
``pyproject.toml`` would need a second reader and is a packaging file, not a site one.
An environment variable overrides an option for one run (the tests and benchmarks
use them): ``IPT_PANDOC_TIME_LIMIT=0.001 ./dev build``. Nothing under ``extra: ipt:``
reaches a built page (``tests/test_site_digests.py`` holds the built bytes).
CONTRIBUTING.md's "Build settings" lists the same options; a test keeps the two
in step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any, TypeVar, cast

T = TypeVar("T")

EXTRA_KEY = "ipt"  # mkdocs.yml: extra: ipt: <option>: <value>


class SettingsError(ValueError):
    """An option with a value it cannot take; the message names where it was set."""


def _whole_number(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


def _cache_setting(text: str) -> str:
    text = text.strip()
    return "off" if text.lower() in ("off", "false") else text  # YAML reads a bare off as false


def _flag(text: str) -> bool:
    return text.strip().lower() not in ("", "0", "false", "no", "off")


def _option(default: T, env: str, parse: Callable[[str], T], expected: str) -> T:
    return field(default=default, metadata={"env": env, "parse": parse, "expected": expected})


@dataclass(frozen=True)
class Settings:
    """Every option (documented in DOCS): its default, the variable that overrides it, and its values."""

    citation_cache: str = _option(".cache/ipt-citations.json", "IPT_CITATION_CACHE", _cache_setting,
                                  "a file path, or off")
    pandoc_batch: int = _option(300, "IPT_PANDOC_BATCH", _whole_number, "a whole number of citations, like 300")
    bibliography_batch: int = _option(150, "IPT_BIBLIOGRAPHY_BATCH", _whole_number,
                                      "a whole number of entries, like 150")
    pandoc_time_limit: float = _option(300.0, "IPT_PANDOC_TIME_LIMIT", _seconds,
                                       "a number of seconds above 0, like 300")
    minify_pool_from: int = _option(200, "IPT_MINIFY_POOL_FROM", int, "a whole number of pages, like 200")
    api_pool_from: int = _option(200, "IPT_API_POOL_FROM", int, "a whole number of pages, like 200")
    upstream_footnotes: bool = _option(False, "IPT_UPSTREAM_FOOTNOTES", _flag, "true or false")
    late_texts_from: int = _option(200, "IPT_LATE_TEXTS_FROM", int, "a whole number of pages, like 200")
    nav_cache: bool = _option(True, "IPT_NAV_CACHE", _flag, "true or false")

    @property
    def cache_off(self) -> bool:
        return self.citation_cache.lower() == "off"


DOCS = {
    "citation_cache": "where rendered citations are kept between builds (relative to mkdocs.yml), or `off`",
    "pandoc_batch": "at most this many citations in one pandoc call (the tests force 1 to prove batching changes "
                    "nothing)",
    "bibliography_batch": "at most this many entries in one pandoc call for the References page",
    "pandoc_time_limit": "seconds one pandoc call may take before it is stopped and the build fails naming it",
    "minify_pool_from": "from this many pages, pages are minified in a second process while MkDocs renders the next "
                        "(only with nav_cache off: with it, each navigation item is minified once, in process)",
    "api_pool_from": "from this many pages, the content API's documents are made in a second process while MkDocs "
                     "renders the next",
    "upstream_footnotes": "use Python-Markdown's own footnotes (quadratic) instead of the project's linear copy "
                          "(benchmarks/long_page.py compares them)",
    "late_texts_from": "from this many pages, a build renders the pages' Markdown while pandoc renders their "
                       "citations, and puts the texts in before the templates (the tests compare the two ways)",
    "nav_cache": "render each navigation item once per build and reuse its HTML on every page that shows it the "
                 "same way, instead of rendering the whole navigation for every page (the tests compare the two ways)",
}


def options() -> list[tuple[str, object, str, str]]:
    """``(name, default, environment variable, documentation)`` for every option."""
    return [(f.name, f.default, str(f.metadata["env"]), DOCS[f.name]) for f in fields(Settings)]


def _field(name: str) -> Field[object]:
    return next(f for f in fields(Settings) if f.name == name)


def _parse(name: str, value: object, where: str) -> object:
    """``value`` as option ``name`` takes it; else SettingsError: ``<where>: expected …``."""
    option = _field(name)
    if isinstance(value, bool) and option.type in ("int", "float"):  # YAML's yes/no/on/off
        raise SettingsError(f"{where}: expected {option.metadata['expected']}")
    try:
        return option.metadata["parse"](str(value).lower() if isinstance(value, bool) else str(value))
    except ValueError:
        raise SettingsError(f"{where}: expected {option.metadata['expected']}") from None


def parse_env(name: str, text: str) -> object:
    """Option ``name`` from its environment variable's ``text``."""
    return _parse(name, text, f"{_field(name).metadata['env']}={text!r}")


def load_settings(extra: Mapping[str, object] | None, environ: Mapping[str, str]) -> Settings:
    """The options from ``mkdocs.yml``'s ``extra:`` mapping, then any environment overrides."""
    section = (extra or {}).get(EXTRA_KEY) or {}
    if not isinstance(section, Mapping):
        raise SettingsError(f"mkdocs.yml: extra: {EXTRA_KEY}: expected a mapping of options, not {section!r}")
    names = {f.name: f for f in fields(Settings)}
    values: dict[str, object] = {}
    for name, value in section.items():
        if name not in names:
            raise SettingsError(f"mkdocs.yml: extra: {EXTRA_KEY}: unknown option {name!r}; "
                                f"the options are {', '.join(sorted(names))}")
        values[str(name)] = _parse(str(name), value, f"mkdocs.yml: extra: {EXTRA_KEY}: {name}: {value!r}")
    for name, option in names.items():
        text = environ.get(str(option.metadata["env"]))
        if text is not None and text.strip():
            values[name] = parse_env(name, text)
    # Each value was made by its option's own parse function: the field's type.
    return replace(Settings(), **cast("dict[str, Any]", values))
