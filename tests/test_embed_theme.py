"""Embeds that match their host: ?theme=light|dark|auto in real Chromium, on a clinic page of another site.

``auto`` follows the clinic page's own colour scheme, which the parent script
(assets/embed/ipt-embed.js) tells the frame, and tells again when it changes;
bad values fall back to light with no error. axe-core checks WCAG 2.2 AA
inside the frame in both schemes.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame

from test_accessibility import axe_source, inject_axe, report, run_axe  # noqa: F401 (axe_source: a fixture)
from test_embed import Clinic, clinic_server, clinic_snippet, open_clinic  # noqa: F401 (clinic_server: a fixture)

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}
# What Material's two palettes paint behind the text (the frame's own <html>).
DARK_PAGE = "html { color-scheme: dark; background: #121212; color: #eee }"


def scheme_of(frame: Frame) -> str:
    # While a reloaded frame is still loading it has no <body> yet: say so rather than throw.
    scheme: str = frame.evaluate("document.body ? document.body.getAttribute('data-md-color-scheme') : 'no body yet'")
    return scheme


def painted_background_is_dark(frame: Frame) -> bool:
    """From the colour the frame really paints, not from the attribute."""
    dark: bool = frame.evaluate("""() => {
        const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\\d+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) < 128;
    }""")
    return dark


def wait_for_scheme(clinic: Clinic, frame: Frame, scheme: str) -> None:
    with contextlib.suppress(Exception):  # the assertion below says what was shown instead
        frame.wait_for_function("(s) => document.body?.getAttribute('data-md-color-scheme') === s",
                                arg=SCHEMES[scheme], timeout=5000)
    assert scheme_of(frame) == SCHEMES[scheme], f"expected {scheme}, frame shows {scheme_of(frame)}"
    assert painted_background_is_dark(frame) == (scheme == "dark")


def follows_the_device(clinic: Clinic, frame: Frame) -> None:
    for device in ("dark", "light"):
        clinic.page.emulate_media(color_scheme=device)
        wait_for_scheme(clinic, frame, device)


def snippet(site_dir: Path, site: str, theme: str, *, script: bool = True) -> str:
    code = clinic_snippet(site_dir, "theory/", site, theme=theme)
    return code if script else code.split("\n")[0]


@pytest.mark.parametrize(
    ("theme", "expected"),
    [("light", "light"), ("dark", "dark"), ("", "light"), ("purple", "light"), ("DARK", "dark"),
     ("%E0%A4%A", "light"), ("dark%00", "light")],
)
def test_theme_in_the_address_and_bad_values_fall_back_to_light(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str], theme: str,
    expected: str,
) -> None:
    with open_clinic(browser, clinic_server, headers_site_url, snippet(site_dir, headers_site_url, theme)) as clinic:
        clinic.page.emulate_media(color_scheme="dark" if expected == "light" else "light")  # not the device's
        frame = clinic.frame()
        wait_for_scheme(clinic, frame, expected)
        # The clinic's page is dark: a fixed theme ignores it.
        clinic.page.add_style_tag(content=DARK_PAGE)
        clinic.page.wait_for_timeout(300)
        assert scheme_of(frame) == SCHEMES[expected]
        clinic.assert_clean()


def test_auto_follows_the_clinic_page_not_the_device_and_follows_its_changes(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    body = (f"<style>{DARK_PAGE} html.light {{ color-scheme: light; background: #fff; color: #000 }}"
            " .panel { background: #fafafa } html.light .panel { background: #1d1d1d }</style>"
            + snippet(site_dir, headers_site_url, "auto"))
    with open_clinic(browser, clinic_server, headers_site_url, body) as clinic:
        clinic.page.emulate_media(color_scheme="light")  # the device says light; the page is dark
        frame = clinic.frame()
        wait_for_scheme(clinic, frame, "dark")
        # The clinic's own switch (a class on <html>, as theme switchers do).
        clinic.page.evaluate("document.documentElement.classList.add('light')")
        wait_for_scheme(clinic, frame, "light")
        clinic.page.evaluate("document.documentElement.classList.remove('light')")
        wait_for_scheme(clinic, frame, "dark")
        # Reloading the frame: the new document is told again. Wait for the new
        # document, or the old one (already dark) would pass the check below.
        with frame.expect_navigation(wait_until="domcontentloaded"):
            frame.evaluate("location.reload()")
        frame = clinic.frame()
        wait_for_scheme(clinic, frame, "dark")
        clinic.assert_clean()


def test_auto_reads_the_background_around_the_frame_then_the_device(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    """A page with no color-scheme of one value: the background behind the frame decides, else the device."""
    body = ('<div id="box" data-theme="light">' + snippet(site_dir, headers_site_url, "auto", script=False)
            + "</div><style>[data-theme=dark] { background: rgb(20, 24, 36) }</style>"
            + '<script src="' + headers_site_url + '/assets/embed/ipt-embed.js" defer></script>')
    with open_clinic(browser, clinic_server, headers_site_url, body) as clinic:
        clinic.page.emulate_media(color_scheme="light")
        frame = clinic.frame()
        wait_for_scheme(clinic, frame, "light")
        clinic.page.evaluate("document.getElementById('box').dataset.theme = 'dark'")  # a data attribute
        wait_for_scheme(clinic, frame, "dark")
        clinic.page.evaluate("document.getElementById('box').dataset.theme = 'light'")
        wait_for_scheme(clinic, frame, "light")
        # Nothing painted behind the frame: the reader's device, and its changes.
        follows_the_device(clinic, clinic.frame())
        clinic.assert_clean()


def test_auto_without_the_parent_script_follows_the_device(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    with open_clinic(browser, clinic_server, headers_site_url,
                     snippet(site_dir, headers_site_url, "auto", script=False)) as clinic:
        follows_the_device(clinic, clinic.frame())
        clinic.assert_clean()


def test_messages_from_other_windows_or_with_bad_values_change_nothing(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str]
) -> None:
    with open_clinic(browser, clinic_server, headers_site_url, snippet(site_dir, headers_site_url, "auto")) as clinic:
        clinic.page.emulate_media(color_scheme="light")
        frame = clinic.frame()
        wait_for_scheme(clinic, frame, "light")
        # Bad values from the parent, and a good value from the frame itself (not its parent).
        clinic.page.evaluate("""() => {
            const w = document.querySelector('iframe').contentWindow;
            for (const data of [{type: 'ipt-embed:theme', scheme: 'purple'}, {type: 'ipt-embed:theme'},
                                'ipt-embed:theme', null, {type: 'ipt-embed:theme', scheme: {}}]) {
                w.postMessage(data, '*');
            }
        }""")
        frame.evaluate("window.postMessage({type: 'ipt-embed:theme', scheme: 'dark'}, '*')")
        clinic.page.wait_for_timeout(300)
        assert scheme_of(frame) == SCHEMES["light"]
        clinic.assert_clean()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_embed_in_auto_meets_wcag_aa_in_both_schemes_inside_a_frame(
    browser: Browser, site_dir: Path, headers_site_url: str, clinic_server: tuple[Path, str],
    axe_source: str, scheme: str,
) -> None:
    style = f"<style>{DARK_PAGE}</style>" if scheme == "dark" else "<style>html { color-scheme: light }</style>"
    with open_clinic(browser, clinic_server, headers_site_url,
                     style + snippet(site_dir, headers_site_url, "auto")) as clinic:
        clinic.page.emulate_media(color_scheme="light" if scheme == "dark" else "dark")  # the page decides
        frame = clinic.frame()
        wait_for_scheme(clinic, frame, scheme)
        inject_axe(frame, axe_source)
        violations = run_axe(frame)
        assert not violations, "\n".join(report(f"{scheme} embed/theory/ in a frame", violations))
        clinic.assert_clean()
