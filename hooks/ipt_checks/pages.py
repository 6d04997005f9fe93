"""Find the Markdown pages of a site, the same set for the hook and the CLI."""

from __future__ import annotations

from pathlib import Path


def collect_pages(docs_dir: Path, root: Path) -> list[tuple[str, str]]:
    """``(path relative to root, text)`` for every Markdown page in ``docs_dir``.

    Dot-folders are skipped, as MkDocs skips them. Undecodable bytes are
    replaced so one bad page cannot hide the problems in the others.
    """
    pages = []
    resolved_root = root.resolve()  # once, not once per page
    for file in sorted(docs_dir.rglob("*.md")):
        rel = file.relative_to(docs_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        text = file.read_text(encoding="utf-8-sig", errors="replace")
        pages.append((_relative(file, resolved_root), text))
    return pages


def display_path(file: Path, root: Path) -> str:
    """``docs/theory.md``: relative to the project when possible, always with '/'."""
    return _relative(file, root.resolve())


def _relative(file: Path, resolved_root: Path) -> str:
    try:
        return file.resolve().relative_to(resolved_root).as_posix()
    except ValueError:
        return file.as_posix()
