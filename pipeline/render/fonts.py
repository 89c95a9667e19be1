"""The fonts the book is set in: one table, the @font-face rules made from it, glyph coverage.

The fonts ship in ``pipeline/render/fonts/`` with their licences, so a build never depends on
the fonts a machine happens to have. Text is set in Noto Sans, headings in Noto Serif; DejaVu
Sans follows both as the fallback for arrows, annotation markers and mathematical signs that
Noto lacks. ``STACKS`` must name the same families, in the same order, as ``css/*.css``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class Face:
    """One font file and the CSS family, weight and style it answers to."""

    family: str
    file: str
    weight: int = 400
    style: str = "normal"

    @property
    def path(self) -> Path:
        """Where the file is."""
        return FONTS_DIR / self.file


SANS, SERIF, SYMBOLS = "Monograph Sans", "Monograph Serif", "Monograph Symbols"

FACES: tuple[Face, ...] = (
    Face(SANS, "NotoSans-Regular.ttf"),
    Face(SANS, "NotoSans-Bold.ttf", 700),
    Face(SANS, "NotoSans-Italic.ttf", 400, "italic"),
    Face(SANS, "NotoSans-BoldItalic.ttf", 700, "italic"),
    Face(SERIF, "NotoSerif-Regular.ttf"),
    Face(SERIF, "NotoSerif-Bold.ttf", 700),
    Face(SERIF, "NotoSerif-Italic.ttf", 400, "italic"),
    Face(SYMBOLS, "DejaVuSans.ttf"),
)

STACKS: dict[str, tuple[str, ...]] = {
    "text": (SANS, SYMBOLS),
    "display": (SERIF, SYMBOLS),
}
"""The font-family lists the stylesheets use; a character must be in every stack."""


def font_face_css() -> str:
    """Return the @font-face rules for every face, pointing at the shipped files."""
    rules = [
        f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in FACES
    ]
    return "\n".join(rules) + "\n"


@cache
def _cmap(file: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(FONTS_DIR / file, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@cache
def covered() -> frozenset[int]:
    """Return the code points every stack can draw (in at least one of its families)."""
    stacks = []
    for families in STACKS.values():
        points: set[int] = set()
        for face in FACES:
            if face.family in families and face.weight == 400 and face.style == "normal":
                points |= _cmap(face.file)
        stacks.append(points)
    return frozenset(set.intersection(*stacks))


COMMON = frozenset(
    (
        *range(0x20, 0x7F), *range(0xA1, 0x100),  # printable ASCII and Latin-1
        0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026,  # dashes, quotes, …
        0x2190, 0x2191, 0x2192, 0x2193, 0x2212, 0x2264, 0x2265,  # arrows, minus, ≤ ≥
        0x03B1, 0x03B2, 0x03B3, 0x03BC,  # α β γ μ
    )
)  # fmt: skip
"""Code points every stack is known to draw (a test checks it against the font files), so
the check reads no font file, nor imports fontTools, for text made only of these: 80 ms off
a build with nothing to render."""


def is_covered(char: str) -> bool:
    """Tell whether the book's fonts can draw ``char``."""
    return ord(char) in COMMON or ord(char) in covered()
