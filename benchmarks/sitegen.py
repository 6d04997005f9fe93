"""Generate synthetic sites with citations, for the benchmarks."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SURNAMES = ["Smith", "Nguyen", "Brown", "Wilson", "Taylor", "Martin", "Chen", "Walker", "King", "Lee"]


def write_bib(path: Path, entries: int) -> list[str]:
    """``entries`` valid articles; returns their keys."""
    keys, chunks = [], []
    for i in range(entries):
        surname = SURNAMES[i % len(SURNAMES)]
        key = f"{surname.lower()}{1950 + i % 70}x{i}"
        keys.append(key)
        chunks.append(
            f"@article{{{key},\n  author = {{{surname}, A. and Jones, B.}},\n"
            f"  title = {{Study number {i} of talking therapy}},\n"
            f"  journal = {{Journal of Examples}},\n  volume = {{{1 + i % 40}}},\n"
            f"  pages = {{{i % 90 + 1}--{i % 90 + 9}}},\n  year = {{{1950 + i % 70}}}\n}}\n"
        )
    path.write_text("\n".join(chunks), encoding="utf-8")
    return keys


def page_text(n: int, keys: list[str], citations: int, rng: random.Random) -> str:
    lines = [
        "---", f"title: Page {n}", f"description: Synthetic page {n} for benchmarks.",
        "last_reviewed: 2026-11-22", "next_review_due: 2027-11-22",
        "reviewed_by: Benchmark", "---", "", f"# Page {n}", "",
    ]
    for c in range(citations):
        key = rng.choice(keys)
        lines.append(f"Paragraph {c} says something useful about relationships and mood [@{key}].")
        lines.append("")
        if c % 5 == 4:
            lines += ["```text", f"Code shows [@{key}] as written.", "```", ""]
    return "\n".join(lines)


def write_evidence(path: Path, cited: dict[str, set[str]]) -> None:
    """The evidence record the build requires: one statement per key and page that cites it."""
    by_key: dict[str, list[str]] = {}
    for page, keys in sorted(cited.items()):
        for key in sorted(keys):
            by_key.setdefault(key, []).append(page)
    chunks = []
    for key, pages in by_key.items():
        chunks.append(f"{key}:\n  statements:\n" + "".join(
            f"    - page: {page}\n      says: something useful\n      where: the abstract\n"
            "      status: checked\n" for page in pages))
    path.write_text("".join(chunks), encoding="utf-8")


def make_site(dest: Path, pages: int, citations: int, entries: int, seed: int = 1, real_bib: bool = False) -> Path:
    """A copy of the project's config and hooks with ``pages`` generated pages.

    ``real_bib``: the bibliography of ``write_real_bib`` (shaped like a real one)
    instead of ``write_bib``'s ten family names.
    """
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "docs").mkdir(parents=True)
    for name in ("hooks", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    # The content API's published schemas: the build checks its documents against them.
    shutil.copytree(ROOT / "docs" / "api", dest / "docs" / "api")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config[: config.index("nav:")] + config[config.index("validation:"):]
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    rng = random.Random(seed)
    keys = (write_real_bib if real_bib else write_bib)(dest / "references.bib", entries)
    cited: dict[str, set[str]] = {}
    for n in range(pages):
        text = page_text(n, keys, citations, rng)
        (dest / "docs" / f"page{n:04d}.md").write_text(text, encoding="utf-8")
        # Citations are in the "Paragraph" lines; the code blocks only show one.
        cited[f"docs/page{n:04d}.md"] = set(re.findall(r"^Paragraph .*\[@([^\]]+)\]", text, re.MULTILINE))
    write_evidence(dest / "evidence.yml", cited)
    (dest / "docs" / "index.md").write_text(page_text(-1, keys, 0, rng).replace("Page -1", "Home"))
    return dest


def build_site(dest: Path) -> None:
    """Build the real site into ``dest`` (never with -q: it hides warnings)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if proc.returncode != 0:
        sys.exit("mkdocs build failed:\n" + proc.stderr[-3000:])


# --- a bibliography shaped like a real one, for the References page -----------------

_SYLLABLES = ["an", "ber", "chen", "dal", "ek", "fo", "gar", "hol", "in", "jo", "ka", "lin", "mo", "nor",
              "ol", "par", "qui", "ros", "sun", "tan", "ul", "ver", "wes", "xu", "yo", "zan"]
_PARTICLES = ["van", "de", "van der", "von"]


def _surname(rng: random.Random, n: int) -> str:
    """A made-up family name; ``n`` picks it, so the same n gives the same name."""
    local = random.Random(n)
    name = "".join(local.choice(_SYLLABLES) for _ in range(local.choice((2, 2, 3)))).capitalize()
    if n % 37 == 5:
        name = f"{_PARTICLES[n % len(_PARTICLES)]} {name}"
    if n % 53 == 7:
        name = name.replace("o", "{\\\"o}", 1) if "o" in name else name + "{\\'e}"
    return name


def _person(rng: random.Random, surnames: int) -> str:
    # Skewed: a few family names are common (the commonest about 1 in sqrt(surnames), as
    # Smith or Nguyen), most are rare, so given-name and a/b year-suffix disambiguation happen.
    n = int(surnames * rng.random() ** 2)
    given = rng.choice("ABCDEFGHJKLMNPRSTW") + "." + (f" {rng.choice('ABCDEJLMR')}." if rng.random() < 0.4 else "")
    return f"{_surname(rng, n)}, {given}"


def write_real_bib(path: Path, entries: int, seed: int = 7) -> list[str]:
    """``entries`` entries with the collisions a real bibliography has; returns their keys.

    Shared family names with different initials (APA adds initials), the same first
    author and year (2020a, 2020b), et al. lists that differ only after the first
    author, editors instead of authors, organisations, particles ('van der') and
    LaTeX accents. Every entry passes the project's checks.
    """
    rng = random.Random(seed)
    surnames = max(50, entries // 2)
    keys, chunks = [], []
    for i in range(entries):
        key = f"w{i}"
        keys.append(key)
        year = 1960 + int(rng.triangular(0, 65, 60))
        kind = rng.random()
        people = " and ".join(_person(rng, surnames) for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6))))
        if rng.random() < 0.05:
            people += " and others"
        if kind < 0.07:
            org = rng.choice(["World Health Organization", "Beyond Blue",
                              "National Institute for Health and Care Excellence",
                              "Australian Psychological Society"])
            chunks.append(f"@report{{{key},\n  author = {{{{{org}}}}},\n"
                          f"  title = {{Report {i} on mental health services}},\n  type = {{Report}},\n"
                          f"  institution = {{{org}}},\n  year = {{{year}}}\n}}\n")
        elif kind < 0.15:
            chunks.append(f"@collection{{{key},\n  editor = {{{people}}},\n"
                          f"  title = {{Handbook number {i} of psychotherapy}},\n"
                          f"  publisher = {{Example Press}},\n  year = {{{year}}}\n}}\n")
        elif kind < 0.30:
            chunks.append(f"@book{{{key},\n  author = {{{people}}},\n"
                          f"  title = {{Interpersonal therapy in practice, volume {i}}},\n"
                          f"  publisher = {{Example Press}},\n  year = {{{year}}}\n}}\n")
        else:
            chunks.append(f"@article{{{key},\n  author = {{{people}}},\n"
                          f"  title = {{Study number {i} of talking therapy}},\n"
                          f"  journal = {{Journal of Examples}},\n  volume = {{{1 + i % 40}}},\n"
                          f"  pages = {{{i % 90 + 1}--{i % 90 + 9}}},\n  year = {{{year}}}\n}}\n")
    path.write_text("% generated by benchmarks/sitegen.py\n\n" + "\n".join(chunks), encoding="utf-8")
    return keys
