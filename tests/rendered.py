"""What a person sees, measured: colours against what is really behind them, and pixels of a printed page.

Shared by the print, help-in-reach and phone-number tests (imported by bare name, as ``browser``).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

# For each element (Playwright's evaluate_all(JS, backgrounds)): its text colour and the colour
# behind it, both as opaque sRGB. Semi-transparent
# backgrounds are stacked up to the first opaque ancestor, then over white (the paper, or the canvas).
# `backgrounds: false` is Chromium printing without "background graphics": everything is on white.
EFFECTIVE_COLOURS_JS = """
(els, backgrounds) => {
  const rgba = (css) => {
    const probe = document.createElement("canvas").getContext("2d");
    probe.fillStyle = "#000"; probe.fillStyle = css;  // any CSS colour -> #rrggbb or rgba()
    const value = probe.fillStyle;
    if (value.startsWith("#")) {
      return [1, 3, 5].map(i => parseInt(value.slice(i, i + 2), 16)).concat([1]);
    }
    return value.match(/[\\d.]+/g).map(Number);
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  return els.map(el => {
    const layers = [];
    if (backgrounds) {
      for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
        const layer = rgba(getComputedStyle(node).backgroundColor);
        if (layer[3] > 0) layers.push(layer);
        if (layer[3] >= 1) break;
      }
    }
    let background = [255, 255, 255, 1];
    for (const layer of layers.reverse()) background = over(layer, background);
    const style = getComputedStyle(el);
    const text = over(rgba(style.color), background);
    const box = el.getBoundingClientRect();
    return {
      text: text.slice(0, 3), background: background.slice(0, 3), label: el.textContent.trim(),
      opacity: Number(style.opacity), visible: el.checkVisibility({visibilityProperty: true, opacityProperty: true}),
      width: box.width, height: box.height,
    };
  });
}
"""


def luminance(rgb: tuple[float, ...] | list[float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour with 0-255 channels."""
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...] | list[float], b: tuple[float, ...] | list[float]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- a printed PDF as words and pixels (poppler-utils) ---------------------------------


def need_poppler() -> None:
    import shutil

    for tool in ("pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is not installed (Debian: apt-get install poppler-utils); "
                        "./dev test installs it as root")


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float  # PDF points from the page's top left
    y_min: float
    x_max: float
    y_max: float


def pdf_words(pdf: Path) -> list[list[Word]]:
    """The words of every page of ``pdf`` with their boxes, page by page (``pdftotext -bbox``)."""
    import html
    import re

    need_poppler()
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    return [
        [Word(html.unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in word.finditer(page)]
        for page in out.split("<page ")[1:]
    ]


@dataclass(frozen=True)
class GreyImage:
    width: int
    height: int
    pixels: bytes  # one byte a pixel, 0 black .. 255 white, row by row
    dpi: int

    def box(self, word: Word, margin_pt: float = 0.0) -> list[int]:
        """The grey values of the pixels inside a word's box (plus a margin), clipped to the image."""
        scale = self.dpi / 72
        x0 = max(0, int((word.x_min - margin_pt) * scale))
        x1 = min(self.width, int((word.x_max + margin_pt) * scale) + 1)
        y0 = max(0, int((word.y_min - margin_pt) * scale))
        y1 = min(self.height, int((word.y_max + margin_pt) * scale) + 1)
        return [self.pixels[y * self.width + x] for y in range(y0, y1) for x in range(x0, x1)]


def rasterise(pdf: Path, page: int = 1, dpi: int = 150) -> GreyImage:
    """One page of ``pdf`` as grey pixels (``pdftoppm -gray``, a binary PGM)."""
    need_poppler()
    data = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True, check=True,
    ).stdout
    # P5 header: magic, width, height, maxval, each followed by whitespace.
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        start = position
        while not data[position:position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic == b"P5" and maxval == 255, f"unexpected pdftoppm output {fields}"
    pixels = data[position + 1:position + 1 + width * height]
    return GreyImage(width, height, pixels, dpi)


def ink_contrast(image: GreyImage, word: Word) -> tuple[float, int, int]:
    """Contrast between a printed word's darkest ink and the lightest paper around it.

    Returns (ratio, ink grey, paper grey). Blank text (white on white) has ratio 1.
    """
    inside = sorted(image.box(word))
    around = sorted(image.box(word, margin_pt=2.0))
    # Robust to a stray pixel: the 2nd percentile of the word, the 98th percentile around it.
    ink = inside[len(inside) * 2 // 100]
    paper = around[len(around) * 98 // 100]
    ratio = contrast((ink, ink, ink), (paper, paper, paper)) if paper > ink else 1.0
    return ratio, ink, paper
