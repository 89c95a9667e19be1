"""The host's libraries that can change a PDF's bytes, by version, for the manifest and cache.

WeasyPrint lays text out with the system's Pango and shapes it with the system's HarfBuzz;
a different version of either can move a glyph and so change the bytes. Fonts are subset by
fontTools on every host (``pipeline.render.pdf``), so ``libharfbuzz-subset0`` changes
nothing and is not listed. Versions are read through ``ctypes`` without loading WeasyPrint,
so a build that renders nothing stays fast.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

LIBRARIES: dict[str, tuple[str, str]] = {
    "pango": ("libpango-1.0.so.0", "pango_version_string"),
    "harfbuzz": ("libharfbuzz.so.0", "hb_version_string"),
}
"""Each library: the file name the dynamic loader finds it by, and its version function."""


def _version(filename: str, function: str) -> str:
    try:
        library = ctypes.CDLL(filename)
    except OSError:
        return "missing"
    call: Callable[[], bytes] = getattr(library, function)
    call.restype = ctypes.c_char_p  # type: ignore[attr-defined]
    return call().decode("ascii", "replace")


def host_libraries() -> dict[str, str]:
    """The version of each library in ``LIBRARIES``, or ``missing``."""
    return {name: _version(*where) for name, where in LIBRARIES.items()}
