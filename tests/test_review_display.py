"""The theme overrides show review dates, JSON-LD, the meta description and an edit link.

Built from a scratch project that uses the real overrides/ and the real theme
settings, but none of the citation machinery, so this runs on its own.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from built_html import read_built
from conftest import ROOT, mkdocs
from ipt_site.cli.check import read_config

PAGE = """\
---
title: Does IPT work?
description: What research says about how well IPT works & why.
last_reviewed: 2026-11-02
next_review_due: 2027-11-22
reviewed_by: IPT Information editorial team
---

# Does IPT work?

Text.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("display")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    real = read_config(ROOT / "mkdocs.yml")
    config = {
        "site_name": "Test site",
        "site_url": real["site_url"],
        "edit_uri": real["edit_uri"],
        "theme": {"name": real["theme"]["name"], "custom_dir": "overrides", "font": False,
                  "features": real["theme"]["features"]},
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (project / "docs" / "plain.md").write_text("# No front matter\n\nText.\n", encoding="utf-8")
    mkdocs("build", "--strict", cwd=project, check=True)
    return project / "site"


def html_of(site: Path, page: str = "index.html") -> str:
    return read_built(site / page)


def test_review_dates_near_the_top_with_time_elements(built: Path) -> None:
    html = html_of(built)
    assert 'Page last reviewed: <time datetime="2026-11-02">2 November 2026</time>' in html
    assert 'Next review due: <time datetime="2027-11-22">22 November 2027</time>' in html
    # In the article, before the page's heading, not in the footer.
    article = html[html.index('<article class="md-content__inner'):]
    assert article.index("Page last reviewed") < article.index("<h1")


def test_json_ld_describes_a_medical_web_page(built: Path) -> None:
    html = html_of(built)
    head = html[: html.index("</head>")]
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert match, "no JSON-LD in the page head"
    data = json.loads(match.group(1))
    assert data == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": "Does IPT work?",
        "description": "What research says about how well IPT works & why.",
        "lastReviewed": "2026-11-02",
        "url": "https://ipt-info.example.org/",
    }
    assert "&" not in match.group(1)  # escaped as \\u0026, so no field can end the script


def test_meta_description_comes_from_front_matter(built: Path) -> None:
    assert '<meta name="description" content="What research says about how well IPT works & why.">' in html_of(built)


def test_edit_link_without_repo_url(built: Path) -> None:
    html = html_of(built)
    assert 'href="https://github.com/ipt-info/ipt-site/edit/main/docs/index.md"' in html
    assert 'rel="edit"' in html
    assert "md-source" not in html  # no repository widget (it would call a code host's API)


def test_the_real_config_keeps_repo_url_unset() -> None:
    config = read_config(ROOT / "mkdocs.yml")
    assert "repo_url" not in config
    assert config["edit_uri"].startswith("https://")
    # The "Edit this page" link is in the footer (overrides/partials/copyright.html), not the heading.
    assert "content.action.edit" not in config["theme"]["features"]
    assert "page.edit_url" in (ROOT / "overrides" / "partials" / "copyright.html").read_text(encoding="utf-8")


def test_page_without_review_fields_shows_none(built: Path) -> None:
    html = html_of(built, "plain/index.html")
    assert "Page last reviewed" not in html and "ld+json" not in html
