"""What the content API (hooks/content_api.py) adds to a build: time per page document, and the bibliography's CSL-JSON.

Builds the real site once, then makes each page's document again from its
built HTML, many times over, as the hook does after a build (sanitise, split,
plain text, references, schema check), and prints the figures. Not a test.

    python benchmarks/content_api.py [--repeat 150]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from ipt_site.site_output.api_schema import load_validators, schema_problems  # noqa: E402
from ipt_site.site_output.content_api import PageInput, csl_items, is_health_information, page_document  # noqa: E402

SITE_URL = "https://ipt-info.example.org/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=150, help="documents per page (7 pages x 150: about 1,000)")
    args = parser.parse_args()
    import pypandoc
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", tmp], cwd=ROOT, check=True,
                       capture_output=True)
        inputs = []
        for source in sorted((ROOT / "docs").glob("*.md")):
            meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---", 2)[1])
            if not is_health_information(meta):
                continue
            slug = "" if source.stem == "index" else source.stem + "/"
            page_html = (Path(tmp) / slug / "index.html").read_text(encoding="utf-8")
            article = re.search(r"<article[^>]*>(.*?)</article>", page_html, re.DOTALL)
            assert article, source
            inputs.append(PageInput(source.name, f"docs/{source.name}", SITE_URL + slug, meta, article.group(1),
                                    page_html))
    started = time.perf_counter()
    csl = csl_items(pypandoc.convert_file(str(ROOT / "references.bib"), "csljson", format="biblatex"))
    csl_seconds = time.perf_counter() - started
    _, validator = load_validators(ROOT / "docs")
    made = checked = 0.0
    count = 0
    for _ in range(args.repeat):
        for page in inputs:
            t0 = time.perf_counter()
            document = page_document(page, SITE_URL, csl)
            t1 = time.perf_counter()
            assert not schema_problems(document, validator, page.source_path, "x")
            made += t1 - t0
            checked += time.perf_counter() - t1
            count += 1
    print(f"{'what':40} {'figure':>12}")
    print(f"{'bibliography to CSL-JSON (pandoc, once)':40} {csl_seconds * 1000:10.0f} ms")
    print(f"{'documents made':40} {count:12d}")
    print(f"{'making one document':40} {made / count * 1000:10.2f} ms")
    print(f"{'checking it against the schema':40} {checked / count * 1000:10.2f} ms")
    print(f"{'both, for 1,000 pages':40} {(made + checked) / count * 1000:10.2f} s")


if __name__ == "__main__":
    main()
