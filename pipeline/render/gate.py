"""What a renderer may load: the rule behind ``fetcher.Fetcher``, without WeasyPrint.

A renderer loads two kinds of thing. A figure's image is served from the bytes validation
read and checked (``ImageFile.data``), looked up by the exact URI the document uses: the file
is never opened again, so a file changed, removed or swapped for a link during a build cannot
reach an output. Anything else must be a ``file:`` URL that resolves (symbolic links
followed) to a file inside one of the renderer's asset folders; other files, other hosts,
``http:`` and ``data:`` are refused. The PDF renderer applies the rule through WeasyPrint's
fetcher; the EPUB renderer, which never loads WeasyPrint, applies it directly.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSETS = Path(__file__).resolve().parent
ASSET_DIRS = (ASSETS / "css", ASSETS / "fonts")


def asset_file(url: str) -> Path | None:
    """Return the file ``url`` points to if it is inside one of the renderer's asset folders."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    inside = any(path.is_relative_to(root) for root in ASSET_DIRS)
    return path if inside and path.is_file() else None
