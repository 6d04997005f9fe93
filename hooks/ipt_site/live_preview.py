"""What ``mkdocs serve`` needs from the hooks besides the build: the files to watch (polled
often), the banner that shows an editor the problems on a page in the browser, and the
pages a problem in docs/ would otherwise stop the server on."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ipt_site.citation_rendering.shield import PLACEHOLDER
from ipt_site.problems import Problem
from ipt_site.sources.pages import LINK_LOOP, NOT_UTF8, display_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    from ipt_site.build_state import CitationState
    from ipt_site.checks.site_check import PageCheck

# Files outside docs/ that a build reads (the evidence record, when there is one):
# `mkdocs serve` rebuilds when any of them is saved.
EXTRA_INPUTS = ("evidence.yml", "evidence.yaml", "evidence.json", "evidence.csv")


def watched_inputs(root: Path, bib_file: str | None) -> list[Path]:
    """The files to watch; the bib's folder while the bib is missing, so that its return is seen."""
    watched = [root / name for name in EXTRA_INPUTS if (root / name).is_file()]
    if bib_file:
        bib = root / bib_file
        watched.insert(0, bib if bib.exists() else bib.parent)
    return watched


def problem_banner(problems: Iterable[Problem]) -> str:
    """Markdown shown at the top of a page while serving, so the editor sees the problems in the browser."""
    body = "\n".join("        " + line for p in sorted(set(problems)) for line in p.format().splitlines())
    body = body.replace("@", PLACEHOLDER)  # keep mkdocs-bibtex away from the messages
    return f'!!! failure "Problems on this page (see the console)"\n\n    ```text\n{body}\n    ```\n\n'


# How often `mkdocs serve` looks for saved files. MkDocs polls every 0.5 s and has no option
# for it, so a save waits 0.25 s on average (up to 0.5 s) before the rebuild starts. Looking
# every 0.1 s costs a directory listing of docs/ and a stat of a few files each time.
POLL_SECONDS = 0.1


def poll_faster(observer: object, seconds: float = POLL_SECONDS) -> bool:
    """Make MkDocs' file watcher (a watchdog PollingObserver) poll every ``seconds``: for the
    paths it already watches and those added later. Only the reload's speed depends on it, so
    on a watchdog whose private attributes differ it changes nothing and says so (False).
    """
    emitters = getattr(observer, "emitters", None)
    if not hasattr(observer, "_timeout") or emitters is None:
        return False
    if not all(hasattr(emitter, "_timeout") for emitter in emitters):
        return False
    observer._timeout = seconds  # watchdog's, for the emitters of paths watched later
    for emitter in emitters:
        emitter._timeout = seconds
    return True


# --- while serving, a problem in docs/ must not stick the server ---------------------------

def readable_pages(state: CitationState, files: Files, config: MkDocsConfig) -> None:
    """While serving, a page that is not UTF-8 is built from its checked text (bad bytes shown as �).

    MkDocs would stop with UnicodeDecodeError and the server would stick; its
    FILE001 problem shows on the page instead, until the editor re-saves it.
    """
    for file in files.documentation_pages():
        checked = checked_page(state, file, config)
        if checked is not None and file.abs_src_path and any(p.code == NOT_UTF8 for p in checked.problems):
            # (This also clears file.abs_src_path: checked_page goes by src_uri.)
            file.content_string = Path(file.abs_src_path).read_bytes().decode("utf-8-sig", errors="replace")


def drop_link_loops(state: CitationState, files: Files, config: MkDocsConfig) -> None:
    """While serving, skip what MkDocs found by going round a link loop (FILE002, on every page).

    Copying those files fails with OSError ("too many levels of symbolic links") and the
    server would stick; the build itself stops at the check, before MkDocs walks docs/.
    """
    loops = [p.path + "/" for p in state.site_problems if p.code == LINK_LOOP]
    if not loops:
        return
    for file in list(files):
        if display_path(Path(config.docs_dir) / file.src_uri, state.root).startswith(tuple(loops)):
            files.remove(file)


def checked_page(state: CitationState, file: File, config: MkDocsConfig) -> PageCheck | None:
    """What the checks found on the page of ``file``; None for generated files."""
    if state.site is None or file.generated_by:
        return None
    return state.site.pages.get(display_path(Path(config.docs_dir) / file.src_uri, state.root))
