"""Find the Markdown pages of a site, the same set for the hook and the CLI.

MkDocs walks ``docs/`` following symbolic links and reads each page as strict
UTF-8; a page under a linked folder is built like any other, a link loop makes
its walk fail with OSError, and a non-UTF-8 byte makes it (or our embed hook)
fail with UnicodeDecodeError. So the pages are found the way MkDocs finds them,
and what would crash the build is reported here first, located.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ipt_site.codes import Code
from ipt_site.problems import Problem, utf8_problem

NOT_UTF8 = Code.FILE001.name
LINK_LOOP = Code.FILE002.name
UNREADABLE = Code.FILE003.name


@dataclass
class FoundPages:
    pages: list[tuple[str, str]] = field(default_factory=list)  # (path relative to root, text)
    problems: list[Problem] = field(default_factory=list)


def collect_pages(docs_dir: Path, root: Path) -> list[tuple[str, str]]:
    """``(path relative to root, text)`` for every Markdown page in ``docs_dir``."""
    return find_pages(docs_dir, root).pages


def find_pages(docs_dir: Path, root: Path) -> FoundPages:
    """Every Markdown page MkDocs would build, and what about the files would stop it.

    Dot-folders and dot-files are skipped, as MkDocs skips them. Undecodable
    bytes are replaced (and reported) so one bad page cannot hide the problems
    in the others.
    """
    found = FoundPages()
    # abspath, not Path.resolve(): a page under a symlinked folder is named as the editor sees it.
    base = Path(os.path.abspath(root))  # noqa: PTH100
    for file in _markdown_files(Path(os.path.abspath(docs_dir)), base, found.problems):  # noqa: PTH100
        path = _relative(file, base)
        try:
            data = file.read_bytes()
        except OSError as error:
            found.problems.append(Problem(
                path, 0, 0, UNREADABLE, f"cannot read the page: {error.strerror or error}",
                "fix or remove it (a link whose target is missing, or a file without read permission)"))
            continue
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]  # MkDocs reads pages as utf-8-sig
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            found.problems.append(utf8_problem(
                path, data, error, NOT_UTF8,
                "re-save the page as UTF-8 (in most editors: Save As, Encoding: UTF-8); MkDocs reads only UTF-8"))
            text = data.decode("utf-8", errors="replace")
        found.pages.append((path, text))
    return found


def _markdown_files(docs_dir: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """``*.md`` under ``docs_dir`` in sorted order, into linked folders too, reporting link loops."""
    files: list[Path] = []

    def walk(folder: Path, ancestors: frozenset[str]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(_relative(folder, root), 0, 0, UNREADABLE,
                                    f"cannot read the folder: {error.strerror or error}",
                                    "fix or remove it: MkDocs cannot build the site while it is there"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=True):
                real = os.path.realpath(path)
                if real in ancestors:
                    problems.append(Problem(
                        _relative(path, root), 0, 0, LINK_LOOP,
                        f"symbolic link loop: this folder links back to {_relative(Path(real), root)}",
                        "remove the link, or point it at a folder outside docs/ (MkDocs would follow it forever)"))
                    continue
                walk(path, ancestors | {real})
            elif entry.name.endswith(".md") and (entry.is_file() or entry.is_symlink()):
                files.append(path)

    walk(docs_dir, frozenset({os.path.realpath(docs_dir)}))
    return files


def display_path(file: Path, root: Path) -> str:
    """``docs/theory.md``: relative to the project when possible, always with '/'.

    Symbolic links are not resolved: a page in a linked folder is shown where
    the editor sees it in ``docs/`` (and where MkDocs builds it from).
    """
    return _relative(Path(os.path.abspath(file)), Path(os.path.abspath(root)))  # noqa: PTH100 - symlinks as written


def _relative(file: Path, root: Path) -> str:
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        try:
            return file.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return file.as_posix()
