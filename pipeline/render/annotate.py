"""Annotations drawn as vectors over a figure's image, in the image's own pixel coordinates.

In the PDF the figure shows an SVG document holding the image (by reference: the fetcher
serves the checked bytes) and the markers; in the EPUB an inline SVG of the markers lies
over the ``<img>``, which keeps its alt text (a separate SVG file would be a content
document of its own to the accessibility checkers). Either way a marker stays on its target
at any size and stays sharp when zoomed. Markers are
yellow with a dark outline, visible on black and on white. The document is built from
numbers and fixed shapes only: no text of the source goes into it (the alt text and the
legend say what each marker shows).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import quoteattr

from pipeline.model import Figure
from pipeline.model.source import Annotation

DIRECTIONS: dict[str, tuple[float, float]] = {
    "up": (0, -1),
    "down": (0, 1),
    "left": (-1, 0),
    "right": (1, 0),
    "up-left": (-math.sqrt(0.5), -math.sqrt(0.5)),
    "up-right": (math.sqrt(0.5), -math.sqrt(0.5)),
    "down-left": (-math.sqrt(0.5), math.sqrt(0.5)),
    "down-right": (math.sqrt(0.5), math.sqrt(0.5)),
}
"""Where a marker points, tip first, as a unit vector in image pixels (y down)."""
FILL, OUTLINE = "#ffd400", "#1a1a1a"
LENGTH = 0.14
"""An arrow's length, as a share of the image's long side."""


def overlay_svg(figure: Figure, href: str) -> bytes:
    """The SVG of ``figure``'s image (at ``href``) with its annotations drawn over it (PDF)."""
    width, height = _size(figure)
    image = f'<image x="0" y="0" width="{width}" height="{height}" xlink:href={quoteattr(href)}/>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'version="1.1" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"{image}{markers(figure)}</svg>\n"
    ).encode()


def overlay_inline(figure: Figure) -> str:
    """The markers alone, as an SVG element to lay over the image (EPUB, inline in XHTML).

    Hidden from assistive technology: the image's alt text says what each marker shows.
    """
    width, height = _size(figure)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="overlay" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="none" aria-hidden="true" focusable="false">{markers(figure)}</svg>'
    )


def markers(figure: Figure) -> str:
    """Every annotation of ``figure`` as SVG paths, in its image's pixel coordinates."""
    width, height = _size(figure)
    size = LENGTH * max(width, height)
    shapes = "".join(_shape(a, size) for a in figure.annotations)
    return (
        f'<g fill="{FILL}" stroke="{OUTLINE}" stroke-width="{_number(size / 14)}" '
        f'stroke-linejoin="round">{shapes}</g>'
    )


def _size(figure: Figure) -> tuple[int, int]:
    image = figure.image
    if image is None or image.width is None or image.height is None:
        raise ValueError(f"{figure.id} has no image to annotate")
    return image.width, image.height


def _shape(annotation: Annotation, size: float) -> str:
    x, y = annotation.at
    dx, dy = DIRECTIONS[annotation.direction]
    draw = {
        "arrow": _arrow,
        "open-arrow": _open_arrow,
        "curved-arrow": _curved_arrow,
        "arrowhead": _arrowhead,
        "asterisk": _asterisk,
    }[annotation.marker]
    return draw(x, y, dx, dy, size)


def _head(x: float, y: float, dx: float, dy: float, length: float, half: float) -> list[str]:
    """The three corners of an arrow's head: its tip at (x, y), its base ``length`` back."""
    bx, by = x - dx * length, y - dy * length
    return [
        _point(x, y),
        _point(bx - dy * half, by + dx * half),
        _point(bx + dy * half, by - dx * half),
    ]


def _arrow(x: float, y: float, dx: float, dy: float, size: float) -> str:
    head, half = size * 0.38, size * 0.2
    shaft = size * 0.07
    back = (x - dx * head, y - dy * head)
    tail = (x - dx * size, y - dy * size)
    body = [
        _point(back[0] - dy * shaft, back[1] + dx * shaft),
        _point(tail[0] - dy * shaft, tail[1] + dx * shaft),
        _point(tail[0] + dy * shaft, tail[1] - dx * shaft),
        _point(back[0] + dy * shaft, back[1] - dx * shaft),
    ]
    corners = _head(x, y, dx, dy, head, half)
    points = [corners[0], corners[2], body[3], body[2], body[1], body[0], corners[1]]
    return f'<path d="M{" L".join(points)} Z"/>'


def _open_arrow(x: float, y: float, dx: float, dy: float, size: float) -> str:
    tip, left, right = _head(x, y, dx, dy, size * 0.38, size * 0.22)
    tail = _point(x - dx * size, y - dy * size)
    return _stroked(f"M{left} L{tip} L{right} M{tip} L{tail}", size / 7)


def _curved_arrow(x: float, y: float, dx: float, dy: float, size: float) -> str:
    head = size * 0.34
    tip, left, right = _head(x, y, dx, dy, head, size * 0.2)
    back = (x - dx * head, y - dy * head)
    tail = (x - dx * size + dy * size * 0.45, y - dy * size - dx * size * 0.45)
    bend = (x - dx * size * 0.4 + dy * size * 0.45, y - dy * size * 0.4 - dx * size * 0.45)
    curve = f"M{_point(*tail)} Q{_point(*bend)} {_point(*back)}"
    return _stroked(curve, size / 9) + f'<path d="M{tip} L{left} L{right} Z"/>'


def _arrowhead(x: float, y: float, dx: float, dy: float, size: float) -> str:
    tip, left, right = _head(x, y, dx, dy, size * 0.4, size * 0.2)
    return f'<path d="M{tip} L{left} L{right} Z"/>'


def _asterisk(x: float, y: float, _dx: float, _dy: float, size: float) -> str:
    radius = size * 0.28
    spokes = []
    for spoke in range(3):
        angle = math.pi / 2 + spoke * math.pi / 3
        ux, uy = math.cos(angle) * radius, -math.sin(angle) * radius
        spokes.append(f"M{_point(x - ux, y - uy)} L{_point(x + ux, y + uy)}")
    return _stroked(" ".join(spokes), size / 9)


def _stroked(path: str, width: float) -> str:
    """A line drawn in the marker's colour over a wider one in the outline's colour."""
    outline = _number(width + width / 2)
    return (
        f'<path d="{path}" fill="none" stroke="{OUTLINE}" stroke-width="{outline}" '
        f'stroke-linecap="round"/><path d="{path}" fill="none" stroke="{FILL}" '
        f'stroke-width="{_number(width)}" stroke-linecap="round"/>'
    )


def _point(x: float, y: float) -> str:
    return f"{_number(x)},{_number(y)}"


def _number(value: float) -> str:
    """Two decimals, no trailing zeros: the same drawing always writes the same bytes."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
