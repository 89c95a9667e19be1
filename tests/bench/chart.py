"""An SVG chart of wall time against chapters, one line per stage, on log-log axes.

The editor's loop rows (``tests.bench.loop``, those with a ``state``) are left out: two sizes
each, whole commands beside in-process stages; they are in the table and results.json.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 760, 460, 70, 50, 30, 190
COLOURS = ("#1f4e79", "#a23b2a", "#2e7d32", "#8e6c00", "#6a1b9a", "#00838f", "#c2185b",
           "#455a64", "#ef6c00", "#5d4037")  # fmt: skip


def _scale(value: float, low: float, high: float, size: float) -> float:
    return (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)) * size


def chart(rows: list[dict[str, Any]]) -> str:
    """The SVG text for ``rows`` (each: stage, chapters, wall_s, jobs)."""
    series: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in rows:
        if row["stage"] != "calibration" and "state" not in row:
            name = row["stage"] + (f" ×{row['jobs']}" if row["stage"] == "pdf-handouts" else "")
            series[name].append((row["chapters"], max(row["wall_s"], 0.001)))
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points]
    x_lo, x_hi = 1, max([*xs, 10])
    y_lo = 10 ** math.floor(math.log10(min(ys)))
    y_hi = 10 ** math.ceil(math.log10(max(ys)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    title = "Wall time against chapters (log-log)"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="14">{title}</text>',
    ]
    for exponent in range(int(math.log10(y_lo)), int(math.log10(y_hi)) + 1):
        y = TOP + plot_h - _scale(10**exponent, y_lo, y_hi, plot_h)
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#ddd"/><text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">'
                   f"{10**exponent:g} s</text>")  # fmt: skip
    for n in sorted(set(xs)):
        x = LEFT + _scale(n, x_lo, x_hi, plot_w)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
                   f'stroke="#eee"/><text x="{x:.1f}" y="{TOP + plot_h + 18}" '
                   f'text-anchor="middle">{n}</text>')  # fmt: skip
    out.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 10}" text-anchor="middle">chapters</text>'
    )
    for index, (name, points) in enumerate(sorted(series.items())):
        colour = COLOURS[index % len(COLOURS)]
        coords = " ".join(
            f"{LEFT + _scale(x, x_lo, x_hi, plot_w):.1f},"
            f"{TOP + plot_h - _scale(y, y_lo, y_hi, plot_h):.1f}"
            for x, y in sorted(points)
        )
        out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        legend_y = TOP + 16 * index
        out.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{legend_y}" width="12" height="3" '
                   f'fill="{colour}"/><text x="{WIDTH - RIGHT + 30}" y="{legend_y + 5}">'
                   f"{name}</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out) + "\n"
