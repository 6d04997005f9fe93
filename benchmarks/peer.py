"""The project against the stack a user would otherwise pick, on the same generated pages.

"peer": Material for MkDocs + mkdocs-bibtex with its own CSL mode (APA, the same
style file), no project hooks: mkdocs-bibtex calls pandoc once per page. "ours":
the project's full configuration (checks, batched citations, embed copies, minify),
cold (no citation cache). Both build the same sitegen pages (20 citations each,
5,000-entry bibliography) as ``python -m mkdocs build`` subprocesses.

    python benchmarks/peer.py [--sizes 10 100 300] [--runs 1]

The project's claim: it stays ahead of the peer by a margin that does not shrink
as the site grows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_cost import Timing, build_once, generate, load, variant_config, write_variants

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))


def peer_config(site: Path) -> Path:
    from ipt_site.citation_rendering.bibliography_render import apa_style_path

    text = variant_config((site / "mkdocs.yml").read_text(encoding="utf-8"), (), True)
    marker = "bib_file: references.bib"
    assert marker in text
    text = text.replace(marker, f"{marker}\n      csl_file: {apa_style_path()}", 1)
    path = site / "mkdocs.peer.yml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"load average at start {load()}; sitegen pages, 20 citations each, 5,000 entries; best of {args.runs}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="peer-") as tmp_name:
        tmp = Path(tmp_name)
        for pages in args.sizes:
            site = generate(tmp / f"site{pages}", pages, 20, 5000)
            configs = {"ours": write_variants(site)["full"], "peer": peer_config(site)}
            timings = {name: Timing() for name in configs}
            for _ in range(args.runs):
                for name, config in configs.items():
                    cache = tmp / f"{name}.json"
                    cache.unlink(missing_ok=True)
                    build_once(config, tmp / "out", timings[name], cache)
            rows.append((pages, timings))
            print(f"  {pages} pages done (load {load()})", flush=True)
    print(f"\n{'pages':>6} | {'peer wall s':>11} {'CPU s':>7} | {'ours wall s':>11} {'CPU s':>7} | "
          f"{'peer / ours (wall)':>18} {'(CPU)':>6}")
    for pages, t in rows:
        peer, ours = t["peer"], t["ours"]
        print(f"{pages:6d} | {min(peer.wall):11.2f} {min(peer.cpu):7.2f} | {min(ours.wall):11.2f} {min(ours.cpu):7.2f}"
              f" | {min(peer.wall) / min(ours.wall):18.1f} {min(peer.cpu) / min(ours.cpu):6.1f}")
    print(f"load average at end {load()}")


if __name__ == "__main__":
    main()
